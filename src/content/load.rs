//! Reading and validating a whole site into the model.
//!
//! Two passes, both parallel over packs: first every file is read and its
//! front matter deserialized (which tells drafts apart and so which pages
//! exist), then each pack is validated and its Markdown rendered against
//! the now-complete map of published files. Every problem of every file is
//! collected; the site is returned only when there are no errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::discover::{check_theme, discover, discover_pack, is_slug, PackFiles, Sources};
use super::frontmatter::from_yaml_all;
use super::model::*;
use super::pack::build_pack;
use super::pathway::{
    add_totals, build_pathway, packs_by_slug, parse_pathway, refresh_totals, Known, ParsedPathway,
};
use super::raw::{self, RawPack, RawPage};
use super::source::{
    broken_links, parts, read_source, removed_html, ParsedPack, ParsedPage, ReadPack,
};
use super::tags::{index_tags, spelling_clashes, spelling_problems};
use crate::config::Config;
use crate::diagnostic::{display_path, Code, Diagnostic, Diagnostics};
use crate::links::{self, url_for_source};
use crate::markdown::HtmlPolicy;

pub use super::text::MAX_TEXT_BYTES;

pub use crate::layout::{RESERVED_PAGE_NAMES, RESERVED_ROOT_NAMES};

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include packs and pathways marked `draft: true`.
    pub drafts: bool,
}

/// A loaded site and the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub site: Site,
    pub warnings: Diagnostics,
}

/// Loads the site at `root`. On failure, returns every problem found.
pub fn load_site(root: &Path, options: LoadOptions) -> Result<Loaded, Diagnostics> {
    Loading::new(root, options).finish(None)
}

/// What a streaming load hands each pack to, as soon as the pack is loaded
/// and before its text is dropped: the site as far as it is known (its
/// configuration and attendance; no packs, pathways or tags yet) and the
/// whole pack. Called from several threads at once, and only while no
/// error has been found.
pub type PackVisit<'v> = dyn Fn(&Site, &Pack) + Sync + 'v;

/// A site being loaded, between the two passes: every file found and its
/// front matter read, so that which pages exist, which packs are drafts
/// and which packs each pathway holds are known; no pack loaded in full.
pub struct Loading {
    root: PathBuf,
    options: LoadOptions,
    problems: Diagnostics,
    /// The site without packs, pathways or tags: what a pack's own pages
    /// are made against while the packs load.
    site: Site,
    packs: Vec<ReadPack>,
    pathways: Vec<(Pathway, ParsedPathway)>,
}

impl Loading {
    /// Pass 1, keeping what it read for pass 2.
    pub fn new(root: &Path, options: LoadOptions) -> Self {
        Self::begin(root, options, true)
    }

    /// Pass 1 of a load that streams: it keeps only what site-wide checks
    /// need of each pack, and pass 2 reads each pack again. Finish it with
    /// a [`PackVisit`], which gets each pack whole; the site it returns
    /// holds each pack without its text (see [`Pack::release_text`]).
    pub fn streaming(root: &Path, options: LoadOptions) -> Self {
        Self::begin(root, options, false)
    }

    fn begin(root: &Path, options: LoadOptions, keep: bool) -> Self {
        let mut problems = Diagnostics::default();
        let config = site_config(root, &mut problems);
        let (sources, found) = discover(root);
        problems.extend(found);
        problems.extend(check_theme(root, &config.theme));

        let mut read = read_all(root, &sources, options, keep, &mut problems);
        problems.extend(reserved_names(&sources.assets));
        problems.extend(spelling_problems(root, &read.packs));
        let published = publish_all(root, &sources, &read);
        let url_of = |path: &str| published.get(path).cloned();
        let intro = build_intro(read.index.take(), &config, &url_of, &mut problems);
        let packs = std::mem::take(&mut read.packs);
        let pathways = build_pathways(read, &packs, &config, &url_of, &mut problems);
        let site = Site {
            config,
            intro,
            packs: Vec::new(),
            pathways: Vec::new(),
            tags: Vec::new(),
            assets: sources.assets,
            content_folder: root.join("content"),
            published,
            attendance: Default::default(),
            pack_index: Default::default(),
        };
        Loading {
            root: root.to_path_buf(),
            options,
            problems,
            site,
            packs,
            pathways,
        }
    }

    /// The site as far as it is known: see [`PackVisit`].
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// For what the caller adds before the packs load, such as attendance.
    pub fn site_mut(&mut self) -> &mut Site {
        &mut self.site
    }

    /// How many packs the site publishes, if none fails to load.
    pub fn pack_count(&self) -> usize {
        self.packs.len()
    }

    /// Whether pass 1 found an error already.
    pub fn has_errors(&self) -> bool {
        self.problems.has_errors()
    }

    /// Pass 2: validates each pack and renders its Markdown, hands it to
    /// `visit` (if given, and while there are no errors) and then drops
    /// its text; then sums the pathways and gathers the tags.
    pub fn finish(self, visit: Option<&PackVisit<'_>>) -> Result<Loaded, Diagnostics> {
        let Loading {
            root,
            options,
            mut problems,
            mut site,
            packs,
            pathways,
        } = self;
        let visit = visit.filter(|_| !problems.has_errors());
        let failed = AtomicBool::new(false);
        let refs = pathway_refs(&pathways);
        let published = &site.published;
        let url_of = |path: &str| published.get(path).cloned();
        let shell = &site;
        let built: Vec<(Option<Pack>, Vec<Diagnostic>)> = packs
            .into_par_iter()
            .map(|read| {
                let (pack, found) = load_pack(&root, read, &shell.config, &url_of, options);
                let Some(mut pack) = pack.filter(|_| !found.iter().any(Diagnostic::is_error))
                else {
                    failed.store(true, Ordering::Relaxed);
                    return (None, found);
                };
                pack.pathways = refs.get(pack.slug.as_str()).cloned().unwrap_or_default();
                if let Some(visit) = visit {
                    if !failed.load(Ordering::Relaxed) {
                        visit(shell, &pack);
                    }
                    pack.release_text();
                }
                (Some(pack), found)
            })
            .collect();
        let mut packs = Vec::with_capacity(built.len());
        for (pack, found) in built {
            problems.extend(found);
            packs.extend(pack);
        }
        packs.sort_by(|a, b| {
            catalog_order((a.weight, &a.title, &a.slug), (b.weight, &b.title, &b.slug))
        });
        let by_slug = packs_by_slug(&packs);
        site.pathways = pathways
            .into_iter()
            .map(|(mut pathway, parsed)| {
                problems.extend(add_totals(&mut pathway, &parsed, &by_slug));
                pathway
            })
            .collect();
        drop(by_slug);
        site.tags = index_tags(&packs);
        site.packs = packs;
        site.pack_index = Default::default();

        problems.sort();
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Loaded {
            site,
            warnings: problems,
        })
    }
}
/// `site.yaml`, or the defaults when it is broken: its problems are
/// reported, and the content still checked, so that one run shows every
/// problem.
fn site_config(root: &Path, problems: &mut Diagnostics) -> Config {
    let config = Config::load(root).unwrap_or_else(|errors| {
        problems.extend(errors);
        Config::default()
    });
    problems.extend(crate::config::missing_theme(root, &config.theme));
    config
}

/// What pass 1 read: every file read and its front matter deserialized,
/// which tells drafts apart and so which pages exist.
struct Read<'s> {
    packs: Vec<ReadPack>,
    drafts_left_out: Vec<String>,
    /// Packs that failed to parse. They still count as published for
    /// links, so one typo does not also break every link to the pack.
    failed: Vec<&'s PackFiles>,
    /// The slugs of the packs that failed: a pathway that names one says
    /// nothing more, as the pack's own errors say why.
    failed_slugs: Vec<String>,
    pathways: Vec<ParsedPathway>,
    /// `content/_index.md`, whose problems are reported with the intro's.
    index: Option<Result<ParsedPage, Vec<Diagnostic>>>,
}

/// Pass 1: reads and deserializes every pack (in parallel), pathway and
/// the home page's intro, leaving drafts out unless asked for. Keeps what
/// it read of each pack only with `keep`.
fn read_all<'s>(
    root: &Path,
    sources: &'s Sources,
    options: LoadOptions,
    keep: bool,
    problems: &mut Diagnostics,
) -> Read<'s> {
    let loadable: Vec<&PackFiles> = sources
        .packs
        .iter()
        .filter(|p| p.pack_md.is_some() && is_slug(&p.slug))
        .collect();
    let parsed: Vec<Result<ReadPack, Vec<Diagnostic>>> = loadable
        .par_iter()
        .map(|files| {
            let parsed = parse_pack(root, files)?;
            Ok(ReadPack {
                files: parsed.files.clone(),
                tags: parsed.raw.tags.clone(),
                draft: parsed.raw.draft,
                parsed: keep.then_some(parsed),
            })
        })
        .collect();
    let mut read = Read {
        packs: Vec::new(),
        drafts_left_out: Vec::new(),
        failed: Vec::new(),
        failed_slugs: Vec::new(),
        pathways: Vec::new(),
        index: None,
    };
    for (files, result) in loadable.iter().zip(parsed) {
        match result {
            Ok(p) if p.draft && !options.drafts => read.drafts_left_out.push(p.files.slug),
            Ok(p) => read.packs.push(p),
            Err(errors) => {
                problems.extend(errors);
                read.failed.push(*files);
                read.failed_slugs.push(files.slug.clone());
            }
        }
    }
    for path in &sources.pathways {
        match parse_pathway(root, path) {
            Ok(p) if p.raw.draft && !options.drafts => {}
            Ok(p) => read.pathways.push(p),
            Err(errors) => problems.extend(errors),
        }
    }
    read.index = sources.index.as_ref().map(|path| parse_page(root, path));
    read
}

/// `reserved-name`: files at the top of `content/` that would take the
/// place of something the generated site writes.
fn reserved_names(assets: &[String]) -> Vec<Diagnostic> {
    assets
        .iter()
        .filter_map(|asset| {
            let first = asset.split('/').next().unwrap_or(asset);
            RESERVED_ROOT_NAMES.contains(&first).then(|| {
                Diagnostic::error(
                    Code::ReservedName,
                    format!("content/{asset}"),
                    format!("`{first}` is a name the generated site uses itself"),
                )
                .with_help("rename or move this file")
            })
        })
        .collect()
}

/// The map of everything the site publishes, by path under `content/`,
/// for link resolution.
fn publish_all(root: &Path, sources: &Sources, read: &Read<'_>) -> HashMap<String, String> {
    let mut published: HashMap<String, String> = HashMap::new();
    if sources.index.is_some() {
        published.insert("_index.md".into(), "index.html".into());
    }
    let failed = read.failed.iter().copied();
    for files in read.packs.iter().map(|p| &p.files).chain(failed) {
        publish_pack(&mut published, root, files);
    }
    for pathway in &read.pathways {
        if let Some(url) = url_for_source(&pathway.source.content_rel) {
            published.insert(pathway.source.content_rel.clone(), url);
        }
    }
    for asset in &sources.assets {
        published.insert(asset.clone(), links::percent_encode_path(asset));
    }
    published
}

/// The pathways, checked against the packs that pass 1 found published,
/// in order, each with the file it came from for [`add_totals`].
fn build_pathways(
    read: Read<'_>,
    packs: &[ReadPack],
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    problems: &mut Diagnostics,
) -> Vec<(Pathway, ParsedPathway)> {
    let published: Vec<&str> = packs.iter().map(|p| p.files.slug.as_str()).collect();
    let known = Known {
        is_published: published.iter().copied().collect(),
        published,
        failed: &read.failed_slugs,
        drafts_left_out: &read.drafts_left_out,
    };
    let mut pathways = Vec::new();
    for parsed in read.pathways {
        let (pathway, found) = build_pathway(&parsed, &known, url_of, config);
        problems.extend(found);
        if let Some(pathway) = pathway {
            pathways.push((pathway, parsed));
        }
    }
    pathways.sort_by(|(a, _), (b, _)| {
        catalog_order((a.weight, &a.title, &a.slug), (b.weight, &b.title, &b.slug))
    });
    pathways
}

/// Each pack's pathways, in pathway order, each once: one pass over the
/// pathways rather than one per pack.
fn pathway_refs(pathways: &[(Pathway, ParsedPathway)]) -> HashMap<&str, Vec<PathwayRef>> {
    let mut pathways_of: HashMap<&str, Vec<PathwayRef>> = HashMap::new();
    for (pw, _) in pathways {
        for step in &pw.steps {
            let refs = pathways_of.entry(step.pack.as_str()).or_default();
            if refs.last().is_none_or(|r| r.slug != pw.slug) {
                refs.push(PathwayRef {
                    slug: pw.slug.clone(),
                    title: pw.title.clone(),
                    url: pw.url.clone(),
                });
            }
        }
    }
    pathways_of
}

/// Pass 2 for one pack: its model, or its problems. A pack that pass 1
/// did not keep is read again; if it became a draft or changed its tags
/// in between, the site pass 1 saw is no longer the site on disk.
fn load_pack(
    root: &Path,
    read: ReadPack,
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    options: LoadOptions,
) -> (Option<Pack>, Vec<Diagnostic>) {
    let parsed = match read.parsed {
        Some(parsed) => parsed,
        None => match parse_pack(root, &read.files) {
            Ok(parsed) if (parsed.raw.draft && !options.drafts) || parsed.raw.tags != read.tags => {
                let d = Diagnostic::error(
                    Code::ChangedWhileBuilding,
                    parsed.source.shown.clone(),
                    "this pack changed while the site was being built",
                )
                .with_help("build again once the files are saved");
                return (None, vec![d]);
            }
            Ok(parsed) => parsed,
            Err(found) => return (None, found),
        },
    };
    build_pack(&parsed, config, url_of)
}

/// The home page's intro from `content/_index.md`, if there is one.
fn build_intro(
    index: Option<Result<ParsedPage, Vec<Diagnostic>>>,
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    problems: &mut Diagnostics,
) -> Intro {
    match index {
        None => Intro::default(),
        Some(Err(errors)) => {
            problems.extend(errors);
            Intro::default()
        }
        Some(Ok(page)) => {
            let rendered = page.render(url_of, HtmlPolicy::of(config));
            problems.extend(broken_links(&page.source, &rendered));
            problems.extend(removed_html(&page.source, &rendered.removed));
            Intro {
                source: Some(page.source.file()),
                title: page.front.title,
                description: page.front.description,
                html: rendered.html,
                links: rendered.links,
                headings: rendered.headings,
            }
        }
    }
}

/// What [`reload_pack`] did.
#[derive(Debug)]
pub enum PackReload {
    /// The pack was read again and replaced in the site.
    Replaced {
        /// The version it replaced, for working out which pages changed.
        previous: Box<Pack>,
        warnings: Diagnostics,
    },
    /// The change reaches past the pack: it appeared, disappeared or
    /// became a draft, lost a page or file that other pages may link to,
    /// or spells a tag differently from another pack. Only [`load_site`]
    /// gets that right.
    NeedsFullLoad,
}

/// Reads the pack `slug` again after its files changed, and puts it in
/// `site` in place of its previous version, with catalog order, tags and
/// pathway totals updated: the site a whole [`load_site`] would give, for
/// the cost of one pack. `site` must come from a successful load with the
/// same `options`. On error `site` is unchanged and the errors are the
/// pack's own.
pub fn reload_pack(
    root: &Path,
    site: &mut Site,
    slug: &str,
    options: LoadOptions,
) -> Result<PackReload, Diagnostics> {
    let Some(previous) = site.pack(slug) else {
        return Ok(PackReload::NeedsFullLoad);
    };
    let (files, found) = discover_pack(root, slug);
    let Some(files) = files.filter(|f| f.pack_md.is_some() && found.is_empty()) else {
        return Ok(PackReload::NeedsFullLoad);
    };
    let page_names: Vec<String> = files
        .pages
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let kept_everything = previous.pages.iter().all(|p| page_names.contains(&p.name))
        && previous.assets.iter().all(|a| files.assets.contains(a));
    if !kept_everything {
        return Ok(PackReload::NeedsFullLoad);
    }
    // Which pathways hold the pack depends on the pathways alone.
    let pathways = previous.pathways.clone();
    let parsed = parse_pack(root, &files).map_err(Diagnostics)?;
    if (parsed.raw.draft && !options.drafts) || spelling_clashes(&parsed, &site.packs) {
        return Ok(PackReload::NeedsFullLoad);
    }

    // The pack's files now, in place of those it had.
    // The files it had are among those it has (`kept_everything`), so
    // publishing these replaces every entry the pack had: no walk through
    // every published path.
    publish_pack(&mut site.published, root, &files);
    let published = &site.published;
    let url_of = |path: &str| published.get(path).cloned();
    let (pack, found) = build_pack(&parsed, &site.config, &url_of);
    let mut problems = Diagnostics(found);
    problems.sort();
    let Some(mut pack) = pack.filter(|_| !problems.has_errors()) else {
        return Err(problems);
    };

    pack.pathways = pathways;
    let Some(at) = site.packs.iter().position(|p| p.slug == slug) else {
        return Ok(PackReload::NeedsFullLoad);
    };
    // The others are in catalog order already: move the pack to its
    // place, shifting only the packs between its old place and its new.
    let before = |p: &Pack| {
        catalog_order(
            (p.weight, &p.title, &p.slug),
            (pack.weight, &pack.title, &pack.slug),
        ) == std::cmp::Ordering::Less
    };
    let (head, tail) = site.packs.split_at(at);
    let to = head.partition_point(before);
    let to = if to < at {
        to
    } else {
        at + tail[1..].partition_point(before)
    };
    let mut tag_slugs: Vec<String> = pack.tags.iter().map(|t| t.slug.clone()).collect();
    let previous = std::mem::replace(&mut site.packs[at], pack);
    let moved = if to < at {
        site.packs[to..=at].rotate_right(1);
        to..=at
    } else {
        site.packs[at..=to].rotate_left(1);
        at..=to
    };
    if let Some(index) = site.pack_index.get_mut() {
        for i in moved {
            index.insert(site.packs[i].slug.clone(), i);
        }
    }
    for pathway in &mut site.pathways {
        if pathway.steps.iter().any(|s| s.pack == slug) && !refresh_totals(pathway, &site.packs) {
            return Ok(PackReload::NeedsFullLoad);
        }
    }
    tag_slugs.extend(previous.tags.iter().map(|t| t.slug.clone()));
    reindex_tags(&mut site.tags, &site.packs, &tag_slugs);
    Ok(PackReload::Replaced {
        previous: Box::new(previous),
        warnings: problems,
    })
}

/// Brings the tags `slugs` of `tags` (as `tags::index_tags` made them) up to
/// date with `packs`: the tags one pack had and has, the only ones its
/// edit changes. One look at each pack's few tags, rather than the whole
/// index made again.
fn reindex_tags(tags: &mut Vec<Tag>, packs: &[Pack], slugs: &[String]) {
    let mut fresh: Vec<Tag> = Vec::new();
    for pack in packs {
        for tag in pack.tags.iter().filter(|t| slugs.contains(&t.slug)) {
            match fresh.iter_mut().find(|t| t.slug == tag.slug) {
                Some(known) => known.packs.push(pack.slug.clone()),
                None => fresh.push(Tag {
                    name: tag.name.clone(),
                    slug: tag.slug.clone(),
                    url: tag.url.clone(),
                    packs: vec![pack.slug.clone()],
                }),
            }
        }
    }
    tags.retain(|t| !slugs.contains(&t.slug));
    // Sorted by name without case, and by slug among equal names, as
    // index_tags' stable sort of tags in slug order leaves them.
    let key = |t: &Tag| (t.name.to_lowercase(), t.slug.clone());
    for tag in fresh {
        let at = tags.partition_point(|t| key(t) < key(&tag));
        tags.insert(at, tag);
    }
}

/// Adds a pack's pages and files to the map of published files.
fn publish_pack(published: &mut HashMap<String, String>, root: &Path, files: &PackFiles) {
    let slug = &files.slug;
    let url = crate::layout::pack(slug);
    published.insert(format!("packs/{slug}"), url.clone());
    published.insert(format!("packs/{slug}/pack.md"), url);
    for page in &files.pages {
        let rel = display_path(&root.join("content"), page);
        if let Some(url) = url_for_source(&rel) {
            published.insert(rel, url);
        }
    }
    for asset in &files.assets {
        // A pack's own file keeps its path under `content/` in the site.
        let path = crate::layout::pack_file(slug, asset);
        let url = links::percent_encode_path(&path);
        published.insert(path, url);
    }
}

fn catalog_order(
    a: (Option<i64>, &String, &String),
    b: (Option<i64>, &String, &String),
) -> std::cmp::Ordering {
    let key =
        |(w, t, s): (Option<i64>, &String, &String)| (w.is_none(), w, t.to_lowercase(), s.clone());
    key(a).cmp(&key(b))
}

fn parse_page(root: &Path, path: &Path) -> Result<ParsedPage, Vec<Diagnostic>> {
    let source = read_source(root, path).map_err(|d| vec![d])?;
    let p = parts(&source).map_err(|d| vec![d])?;
    let front: RawPage =
        from_yaml_all(p.yaml, &source.shown, &source.text, p.yaml_line, &raw::PAGE)?;
    Ok(ParsedPage { source, front })
}

fn parse_pack(root: &Path, files: &PackFiles) -> Result<ParsedPack, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let pages: Vec<ParsedPage> = files
        .pages
        .iter()
        .filter_map(|path| parse_page(root, path).map_err(|e| problems.extend(e)).ok())
        .collect();
    let pack_md = files.pack_md.as_deref().unwrap_or(Path::new("pack.md"));
    let parsed = read_source(root, pack_md)
        .map_err(|d| vec![d])
        .and_then(|source| {
            let p = parts(&source).map_err(|d| vec![d])?;
            if !p.has_front_matter {
                return Err(vec![Diagnostic::error(Code::FrontMatter, source.shown.clone(), "pack.md has no front matter")
                    .with_help("start the file with a line `---`, the pack's YAML (title, summary, goal, self_study, workshop), then another `---`")
                    .at(&source.text, 1, 1)]);
            }
            let raw: RawPack =
                from_yaml_all(p.yaml, &source.shown, &source.text, p.yaml_line, &raw::PACK)?;
            Ok((source, raw))
        });
    match parsed {
        Ok((source, raw)) if problems.is_empty() => Ok(ParsedPack {
            files: files.clone(),
            source,
            raw,
            pages,
        }),
        Ok(_) => Err(problems),
        Err(found) => {
            problems.extend(found);
            Err(problems)
        }
    }
}
