//! Reading and validating a whole site into the model.
//!
//! Two passes, both parallel over packs: first every file is read and its
//! front matter deserialized (which tells drafts apart and so which pages
//! exist), then each pack is validated and its Markdown rendered against
//! the now-complete map of published files. Every problem of every file is
//! collected; the site is returned only when there are no errors.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::discover::{discover, is_slug, PackFiles};
use super::frontmatter::{from_yaml, split};
use super::locate::{Locator, Step};
use super::model::*;
use super::raw::{RawPack, RawPage, RawPathway, RawResource};
use crate::config::Config;
use crate::credit::{Duration, PackTimes};
use crate::diagnostic::{did_you_mean, display_path, Diagnostic, Diagnostics};
use crate::links::{self, url_for_source, ROOT_MARKER};
use crate::markdown::{self, Origin, Rendered};
use crate::slug::slugify;

/// Text files larger than this are refused: a Markdown page of this size is
/// a pasted export or a wrong file, and would stall the build.
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// Page names a pack may not use, because the site publishes its own page
/// at that place.
pub const RESERVED_PAGE_NAMES: &[&str] = &["facilitator", "pack"];

/// Names at the top of `content/` that the generated site uses itself.
pub const RESERVED_ROOT_NAMES: &[&str] = &[
    "index.html",
    "404.html",
    "packs",
    "pathways",
    "tags",
    "static",
    "my-learning",
    "atom.xml",
    "sitemap.xml",
    "search-index.js",
    "hours.csv",
    "__flippack",
];

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
    let mut problems = Diagnostics::default();
    let config = Config::load(root).map_err(|d| Diagnostics(d.clone()));
    let (sources, found) = discover(root);
    problems.extend(found);
    let config = match config {
        Ok(config) => config,
        Err(errors) => {
            problems.extend(errors);
            Config::default()
        }
    };

    // Pass 1: read and deserialize.
    let parsed: Vec<Result<ParsedPack, Vec<Diagnostic>>> = sources
        .packs
        .par_iter()
        .filter(|p| p.pack_md.is_some() && is_slug(&p.slug))
        .map(|files| parse_pack(root, files))
        .collect();
    let mut packs = Vec::new();
    let mut drafts_left_out = Vec::new();
    for result in parsed {
        match result {
            Ok(p) if p.raw.draft && !options.drafts => drafts_left_out.push(p.files.slug),
            Ok(p) => packs.push(p),
            Err(errors) => problems.extend(errors),
        }
    }
    let mut pathways = Vec::new();
    for path in &sources.pathways {
        match parse_pathway(root, path) {
            Ok(p) if p.raw.draft && !options.drafts => {}
            Ok(p) => pathways.push(p),
            Err(errors) => problems.extend(errors),
        }
    }
    let index = sources.index.as_ref().map(|path| parse_page(root, path));

    for asset in &sources.assets {
        let first = asset.split('/').next().unwrap_or(asset);
        if RESERVED_ROOT_NAMES.contains(&first) {
            problems.push(
                Diagnostic::error(
                    "reserved-name",
                    format!("content/{asset}"),
                    format!("`{first}` is a name the generated site uses itself"),
                )
                .with_help("rename or move this file"),
            );
        }
    }

    // The map of everything the site publishes, for link resolution.
    let mut published: HashMap<String, String> = HashMap::new();
    if sources.index.is_some() {
        published.insert("_index.md".into(), "index.html".into());
    }
    for pack in &packs {
        let slug = &pack.files.slug;
        let url = format!("packs/{slug}/index.html");
        published.insert(format!("packs/{slug}"), url.clone());
        published.insert(format!("packs/{slug}/pack.md"), url);
        for page in &pack.pages {
            if let Some(url) = url_for_source(&page.source.content_rel) {
                published.insert(page.source.content_rel.clone(), url);
            }
        }
        for asset in &pack.files.assets {
            let path = format!("packs/{slug}/{asset}");
            published.insert(path.clone(), path);
        }
    }
    for pathway in &pathways {
        if let Some(url) = url_for_source(&pathway.source.content_rel) {
            published.insert(pathway.source.content_rel.clone(), url);
        }
    }
    for asset in &sources.assets {
        published.insert(asset.clone(), asset.clone());
    }
    let url_of = |path: &str| published.get(path).cloned();

    // Pass 2: validate and render.
    let built: Vec<(Option<Pack>, Vec<Diagnostic>)> = packs
        .par_iter()
        .map(|parsed| build_pack(parsed, &config, &url_of))
        .collect();
    let mut site_packs = Vec::new();
    for (pack, found) in built {
        problems.extend(found);
        site_packs.extend(pack);
    }
    site_packs.sort_by(|a, b| {
        catalog_order((a.weight, &a.title, &a.slug), (b.weight, &b.title, &b.slug))
    });

    let mut site_pathways = Vec::new();
    for parsed in &pathways {
        let (pathway, found) =
            build_pathway(parsed, &site_packs, &packs, &drafts_left_out, &url_of);
        problems.extend(found);
        site_pathways.extend(pathway);
    }
    site_pathways.sort_by(|a, b| {
        catalog_order((a.weight, &a.title, &a.slug), (b.weight, &b.title, &b.slug))
    });
    for pack in &mut site_packs {
        pack.pathways = site_pathways
            .iter()
            .filter(|pw| pw.steps.iter().any(|s| s.pack == pack.slug))
            .map(|pw| PathwayRef {
                slug: pw.slug.clone(),
                title: pw.title.clone(),
                url: pw.url.clone(),
            })
            .collect();
    }

    let tags = collect_tags(&packs, &site_packs, &mut problems);

    let intro = match index {
        None => Intro::default(),
        Some(Err(errors)) => {
            problems.extend(errors);
            Intro::default()
        }
        Some(Ok(page)) => {
            let rendered = page.render(&url_of);
            problems.extend(broken_links(&page.source, &rendered));
            Intro {
                title: page.front.title,
                description: page.front.description,
                html: rendered.html,
            }
        }
    };

    problems.sort();
    if problems.has_errors() {
        return Err(problems);
    }
    let site = Site {
        config,
        intro,
        packs: site_packs,
        pathways: site_pathways,
        tags,
        assets: sources.assets,
    };
    Ok(Loaded {
        site,
        warnings: problems,
    })
}

fn catalog_order(
    a: (Option<i64>, &String, &String),
    b: (Option<i64>, &String, &String),
) -> std::cmp::Ordering {
    let key =
        |(w, t, s): (Option<i64>, &String, &String)| (w.is_none(), w, t.to_lowercase(), s.clone());
    key(a).cmp(&key(b))
}

/// A text file of the site, read whole.
#[derive(Debug)]
struct Source {
    /// Relative to the site root, for diagnostics.
    shown: String,
    /// Relative to `content/`, for links.
    content_rel: String,
    text: String,
}

fn read_source(root: &Path, path: &Path) -> Result<Source, Diagnostic> {
    let shown = display_path(root, path);
    let content_rel = display_path(&root.join("content"), path);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(
            "too-large",
            shown,
            format!(
                "this file is {:.1} MB; Markdown files are limited to {} MB",
                size as f64 / 1e6,
                MAX_TEXT_BYTES / 1024 / 1024
            ),
        )
        .with_help(
            "split it into several pages, or link to the large document as a `file:` resource",
        ));
    }
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::error(
            "unreadable",
            shown.clone(),
            format!("cannot read this file: {err}"),
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source {
            shown,
            content_rel,
            text,
        }),
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            Err(
                Diagnostic::error("not-utf8", shown, "this file is not UTF-8 text")
                    .with_help("save it as UTF-8 (\"Unicode\") in your editor")
                    .at(&String::from_utf8_lossy(err.as_bytes()), line, column),
            )
        }
    }
}

/// A Markdown file cut at its front matter.
struct Parts<'a> {
    yaml: &'a str,
    yaml_line: usize,
    body: &'a str,
    body_line: usize,
    has_front_matter: bool,
}

fn parts(source: &Source) -> Result<Parts<'_>, Diagnostic> {
    let s = split(&source.text).map_err(|message| {
        Diagnostic::error("front-matter", source.shown.clone(), message)
            .with_help("end the front matter with a line that holds only `---`")
            .at(&source.text, 1, 1)
    })?;
    Ok(Parts {
        yaml: s.yaml.unwrap_or(""),
        yaml_line: s.yaml_line,
        body: s.body,
        body_line: s.body_line,
        has_front_matter: s.yaml.is_some(),
    })
}

struct ParsedPage {
    source: Source,
    front: RawPage,
}

impl ParsedPage {
    fn parts(&self) -> Parts<'_> {
        // Already split once without error.
        parts(&self.source).unwrap_or(Parts {
            yaml: "",
            yaml_line: 1,
            body: "",
            body_line: 1,
            has_front_matter: false,
        })
    }

    fn render(&self, url_of: &(dyn Fn(&str) -> Option<String> + Sync)) -> Rendered {
        let p = self.parts();
        markdown::render(
            p.body,
            &Origin {
                source: &self.source.content_rel,
                first_line: p.body_line,
                url_of,
            },
        )
    }
}

fn parse_page(root: &Path, path: &Path) -> Result<ParsedPage, Vec<Diagnostic>> {
    let source = read_source(root, path).map_err(|d| vec![d])?;
    let p = parts(&source).map_err(|d| vec![d])?;
    let front: RawPage =
        from_yaml(p.yaml, &source.shown, &source.text, p.yaml_line).map_err(|d| vec![d])?;
    Ok(ParsedPage { source, front })
}

struct ParsedPack {
    files: PackFiles,
    source: Source,
    raw: RawPack,
    pages: Vec<ParsedPage>,
}

fn parse_pack(root: &Path, files: &PackFiles) -> Result<ParsedPack, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let pages: Vec<ParsedPage> = files
        .pages
        .iter()
        .filter_map(|path| parse_page(root, path).map_err(|e| problems.extend(e)).ok())
        .collect();
    let pack_md = files.pack_md.as_deref().unwrap_or(Path::new("pack.md"));
    let parsed = read_source(root, pack_md).and_then(|source| {
        let p = parts(&source)?;
        if !p.has_front_matter {
            return Err(Diagnostic::error("front-matter", source.shown.clone(), "pack.md has no front matter")
                .with_help("start the file with a line `---`, the pack's YAML (title, summary, goal, self_study, workshop), then another `---`")
                .at(&source.text, 1, 1));
        }
        let raw: RawPack = from_yaml(p.yaml, &source.shown, &source.text, p.yaml_line)?;
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
        Err(d) => {
            problems.push(d);
            Err(problems)
        }
    }
}

/// Problems of one file, each pointed at a front matter key.
struct Problems<'a> {
    source: &'a Source,
    locator: Locator<'a>,
    found: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    fn new(source: &'a Source, parts: &Parts<'a>) -> Self {
        Problems {
            source,
            locator: Locator::new(parts.yaml, parts.yaml_line),
            found: Vec::new(),
        }
    }

    fn error(
        &mut self,
        code: &'static str,
        path: &[Step<'_>],
        message: String,
        help: Option<String>,
    ) {
        let line = self.locator.line(path);
        let mut d = Diagnostic::error(code, self.source.shown.clone(), message).at(
            &self.source.text,
            line,
            0,
        );
        d.help = help;
        self.found.push(d);
    }

    fn warn(
        &mut self,
        code: &'static str,
        path: &[Step<'_>],
        message: String,
        help: Option<String>,
    ) {
        self.error(code, path, message, help);
        if let Some(last) = self.found.last_mut() {
            last.severity = crate::diagnostic::Severity::Warning;
        }
    }
}

/// Reports links to site files that do not exist.
fn broken_links(source: &Source, rendered: &Rendered) -> Vec<Diagnostic> {
    rendered
        .links
        .iter()
        .filter_map(|link| {
            let message = match &link.target {
                links::Target::Content { path, .. } if link.url.is_none() => {
                    format!("`{}` links to `content/{path}`, which is not part of the site", link.dest)
                }
                links::Target::Escapes => format!("`{}` points outside the content folder", link.dest),
                _ => return None,
            };
            Some(
                Diagnostic::error("broken-link", source.shown.clone(), message)
                    .with_help("link to another page by its .md file, e.g. `guide.md` or `../other-pack/pack.md`; drafts are only published with --drafts")
                    .at(&source.text, link.line, link.column),
            )
        })
        .collect()
}

fn non_empty(problems: &mut Problems<'_>, path: &[Step<'_>], value: &str, name: &str) {
    if value.trim().is_empty() {
        problems.error(
            "empty-value",
            path,
            format!("`{name}` is empty"),
            Some(format!("write the pack's {name}")),
        );
    }
}

fn build_pack(
    parsed: &ParsedPack,
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
) -> (Option<Pack>, Vec<Diagnostic>) {
    let raw = &parsed.raw;
    let slug = &parsed.files.slug;
    let source = &parsed.source;
    let Ok(p) = parts(source) else {
        return (None, Vec::new());
    };
    let mut problems = Problems::new(source, &p);
    let origin = Origin {
        source: &source.content_rel,
        first_line: p.yaml_line,
        url_of,
    };
    let inline = |text: &str| markdown::render_inline(text, &origin);
    use Step::{Index, Key};

    non_empty(&mut problems, &[Key("title")], &raw.title, "title");
    non_empty(&mut problems, &[Key("summary")], &raw.summary, "summary");
    non_empty(&mut problems, &[Key("goal")], &raw.goal, "goal");

    // Pages first: resources may be timed by a page's words.
    let mut pages = Vec::new();
    let mut all_links = Vec::new();
    for page in &parsed.pages {
        let name = page
            .source
            .content_rel
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md")
            .to_string();
        let rendered = page.render(url_of);
        problems.found.extend(broken_links(&page.source, &rendered));
        if RESERVED_PAGE_NAMES.contains(&name.as_str()) || !is_slug(&name) {
            let help = if is_slug(&name) {
                format!("`{name}` is used by the pack's own pages; rename the file")
            } else {
                format!(
                    "use lower-case letters, digits and hyphens, e.g. `{}.md`",
                    slugify(&name)
                )
            };
            problems.found.push(
                Diagnostic::error(
                    "bad-page-name",
                    page.source.shown.clone(),
                    format!("`{name}.md` cannot be published under this name"),
                )
                .with_help(help),
            );
        }
        if let Some(asset) = parsed
            .files
            .assets
            .iter()
            .find(|a| a.split('/').next() == Some(name.as_str()))
        {
            problems.found.push(
                Diagnostic::error(
                    "name-clash",
                    page.source.shown.clone(),
                    format!(
                        "this page and the file `{asset}` would be published at the same place"
                    ),
                )
                .with_help("rename the page or the folder"),
            );
        }
        let title = page
            .front
            .title
            .clone()
            .or_else(|| {
                rendered
                    .headings
                    .iter()
                    .find(|h| h.level == 1)
                    .map(|h| h.text.clone())
            })
            .unwrap_or_else(|| name.replace('-', " "));
        let reading_time = Duration::reading_time(rendered.words, config.reading_wpm);
        all_links.extend(
            rendered
                .links
                .iter()
                .map(|l| (page.source.shown.clone(), l.clone())),
        );
        pages.push(Page {
            url: format!("packs/{slug}/{name}/index.html"),
            name,
            source: page.source.shown.clone(),
            title,
            description: page.front.description.clone(),
            html: rendered.html,
            words: rendered.words,
            reading_time,
            reading_time_label: reading_time.label(),
            links: rendered.links,
            headings: rendered.headings,
        });
    }

    let body = markdown::render(
        p.body,
        &Origin {
            source: &source.content_rel,
            first_line: p.body_line,
            url_of,
        },
    );
    problems.found.extend(broken_links(source, &body));
    all_links.extend(body.links.iter().map(|l| (source.shown.clone(), l.clone())));

    if raw.self_study.is_empty() {
        problems.error(
            "no-resources",
            &[Key("self_study")],
            "`self_study` lists no resources".into(),
            Some("add at least one video, podcast, reading, guide or activity".into()),
        );
    }
    let mut self_study = Vec::new();
    for (i, r) in raw.self_study.iter().enumerate() {
        if let Some(resource) =
            build_resource(i, r, slug, parsed, &pages, config, &mut problems, &inline)
        {
            self_study.push(resource);
        }
    }

    let workshop = build_workshop(raw, &mut problems, &inline);
    let application = raw.application.as_ref().map(|a| Application {
        task: markdown::render(&a.task, &origin).html,
        time: a.duration.map(|d| d.0),
        time_label: a.duration.map(|d| d.0.label()),
        evidence: a.evidence.iter().map(|e| inline(e)).collect(),
    });

    let mut tags = Vec::new();
    for (i, name) in raw.tags.iter().enumerate() {
        let tag_slug = slugify(name);
        if tag_slug.is_empty() {
            problems.error(
                "bad-tag",
                &[Key("tags"), Index(i)],
                format!("the tag `{name}` has no letters or digits"),
                None,
            );
        } else if !tags.iter().any(|t: &TagRef| t.slug == tag_slug) {
            tags.push(TagRef {
                name: name.trim().to_string(),
                url: format!("tags/{tag_slug}/index.html"),
                slug: tag_slug,
            });
        }
    }

    let Some(workshop) = workshop else {
        return (None, problems.found);
    };
    if problems.found.iter().any(Diagnostic::is_error) {
        return (None, problems.found);
    }
    let times = PackTimes {
        self_study: self_study
            .iter()
            .filter(|r| !r.optional)
            .map(|r| r.time)
            .sum(),
        optional: self_study
            .iter()
            .filter(|r| r.optional)
            .map(|r| r.time)
            .sum(),
        workshop: workshop.time,
        application: application
            .as_ref()
            .and_then(|a| a.time)
            .unwrap_or_default(),
    };
    let credit = CreditView::new(
        config.credit.credit(times),
        config.credit.include_application,
    );
    let mut headings = body.headings;
    headings.extend(pages.iter().flat_map(|p| p.headings.iter().cloned()));
    let pack = Pack {
        slug: slug.clone(),
        url: format!("packs/{slug}/index.html"),
        source: source.shown.clone(),
        title: raw.title.trim().to_string(),
        summary: raw.summary.trim().to_string(),
        goal: inline(&raw.goal),
        problem: raw.problem.as_deref().map(inline),
        audience: raw.audience.clone(),
        tags,
        level: raw.level,
        authors: raw.authors.clone(),
        date: raw.date,
        updated: raw.updated,
        draft: raw.draft,
        weight: raw.weight,
        overview: body.html,
        self_study,
        workshop,
        application,
        reflection: raw.reflection.iter().map(|r| inline(r)).collect(),
        pages,
        assets: parsed.files.assets.clone(),
        credit,
        pathways: Vec::new(),
        links: all_links,
        headings,
    };
    (Some(pack), problems.found)
}

#[allow(
    clippy::too_many_arguments,
    reason = "one resource needs its pack's context; grouping it would only rename the arguments"
)]
fn build_resource(
    i: usize,
    r: &RawResource,
    slug: &str,
    parsed: &ParsedPack,
    pages: &[Page],
    config: &Config,
    problems: &mut Problems<'_>,
    inline: &dyn Fn(&str) -> String,
) -> Option<Resource> {
    let key = |k: &'static str| [Step::Key("self_study"), Step::Index(i), Step::Key(k)];
    if r.title.trim().is_empty() {
        problems.error(
            "empty-value",
            &key("title"),
            "the resource has an empty `title`".into(),
            None,
        );
    }
    let page_names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
    let targets = [("url", &r.url), ("page", &r.page), ("file", &r.file)];
    let given: Vec<&str> = targets
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| *k)
        .collect();
    if given.len() != 1 {
        let message = if given.is_empty() {
            format!(
                "resource {} (`{}`) has no `url`, `page` or `file`",
                i + 1,
                r.title
            )
        } else {
            format!(
                "resource {} (`{}`) has both `{}`; it needs exactly one",
                i + 1,
                r.title,
                given.join("` and `")
            )
        };
        problems.error("resource-target", &key(given.get(1).copied().unwrap_or("title")), message, Some("give exactly one of `url:` (a web address), `page:` (a .md page of this pack) or `file:` (a file of this pack)".into()));
        return None;
    }

    let mut page_words = None;
    let (target, href, location) = if let Some(url) = &r.url {
        if links::is_dangerous_url(url) || url.trim().is_empty() {
            problems.error(
                "bad-url",
                &key("url"),
                format!("`{url}` is not a web address"),
                Some("use an address starting with https://".into()),
            );
            return None;
        }
        (ResourceTarget::Url, url.trim().to_string(), url.clone())
    } else if let Some(page) = &r.page {
        let name = pack_path(page, "page", &key("page"), problems)?;
        let Some(stem) = name.strip_suffix(".md") else {
            problems.error(
                "resource-target",
                &key("page"),
                format!("`{page}` is not a .md page"),
                Some("use `file:` for files that are copied as they are".into()),
            );
            return None;
        };
        match pages.iter().find(|p| p.name == stem) {
            Some(p) => page_words = Some(p.words),
            None => {
                let help = match did_you_mean(stem, page_names.iter().copied()) {
                    Some(best) => format!("did you mean `{best}.md`?"),
                    None if page_names.is_empty() => "add the page to the pack folder".to_string(),
                    None => format!(
                        "pages of this pack: {}",
                        page_names
                            .iter()
                            .map(|n| format!("{n}.md"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                problems.error(
                    "missing-page",
                    &key("page"),
                    format!("there is no page `{name}` in this pack"),
                    Some(help),
                );
                return None;
            }
        }
        (
            ResourceTarget::Page,
            format!("{ROOT_MARKER}packs/{slug}/{stem}/index.html"),
            page.clone(),
        )
    } else {
        let file = r.file.as_deref().unwrap_or_default();
        let name = pack_path(file, "file", &key("file"), problems)?;
        if name.ends_with(".md") {
            problems.error(
                "resource-target",
                &key("file"),
                format!("`{file}` is a Markdown page"),
                Some(format!("use `page: {name}` so it is published as a page")),
            );
            return None;
        }
        if !parsed.files.assets.contains(&name) {
            let help = match did_you_mean(&name, parsed.files.assets.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "put the file in the pack's folder".to_string(),
            };
            problems.error(
                "missing-file",
                &key("file"),
                format!("there is no file `{name}` in this pack"),
                Some(help),
            );
            return None;
        }
        (
            ResourceTarget::File,
            format!("{ROOT_MARKER}packs/{slug}/{name}"),
            file.to_string(),
        )
    };

    let (time, estimated) = match (r.duration, page_words, r.words) {
        (Some(d), _, _) => (d.0, false),
        (None, Some(words), _) | (None, None, Some(words)) => {
            (Duration::reading_time(words, config.reading_wpm), true)
        }
        (None, None, None) => {
            problems.error(
                "no-duration",
                &key("title"),
                format!("resource {} (`{}`) has no duration", i + 1, r.title),
                Some(
                    "add `duration:` (e.g. 14:30 or 45m) or `words:` for a reading estimate".into(),
                ),
            );
            return None;
        }
    };
    if estimated && time == Duration::ZERO {
        problems.error(
            "no-duration",
            &key("words"),
            format!("resource {} (`{}`) takes no time to read", i + 1, r.title),
            Some("add `duration:`".into()),
        );
        return None;
    }

    let transcript = match &r.transcript {
        None => None,
        Some(t) if t.contains("://") => {
            if !links::is_web_url(t) {
                problems.error(
                    "bad-url",
                    &key("transcript"),
                    format!("`{t}` is not a web address"),
                    Some("use an https:// address or a page of this pack".into()),
                );
            }
            Some(t.trim().to_string())
        }
        Some(t) => {
            let name = pack_path(t, "transcript", &key("transcript"), problems)?;
            if let Some(stem) = name.strip_suffix(".md") {
                if !page_names.contains(&stem) {
                    problems.error(
                        "missing-page",
                        &key("transcript"),
                        format!("there is no page `{name}` in this pack"),
                        did_you_mean(stem, page_names.iter().copied())
                            .map(|b| format!("did you mean `{b}.md`?")),
                    );
                }
                Some(format!("{ROOT_MARKER}packs/{slug}/{stem}/index.html"))
            } else if parsed.files.assets.contains(&name) {
                Some(format!("{ROOT_MARKER}packs/{slug}/{name}"))
            } else {
                problems.error(
                    "missing-file",
                    &key("transcript"),
                    format!("there is no file `{name}` in this pack"),
                    Some(
                        "give a page of this pack (`transcript.md`) or an https:// address".into(),
                    ),
                );
                None
            }
        }
    };

    Some(Resource {
        number: i + 1,
        title: r.title.trim().to_string(),
        kind: r.kind,
        kind_label: r.kind.label(),
        href,
        target,
        location,
        time,
        time_label: time.label(),
        estimated,
        words: page_words.or(r.words),
        optional: r.optional,
        captions: r.captions,
        transcript,
        note: r.note.as_deref().map(inline),
    })
}

/// Normalises a path written in a pack's front matter; refuses one that
/// leaves the pack folder.
fn pack_path(
    value: &str,
    key: &str,
    at: &[Step<'_>],
    problems: &mut Problems<'_>,
) -> Option<String> {
    let absolute =
        value.starts_with('/') || value.starts_with('\\') || value.get(1..2) == Some(":");
    match links::normalize(Vec::new(), value) {
        Some(path) if !absolute && !path.is_empty() => Some(path),
        _ => {
            problems.error(
                "outside-pack",
                at,
                format!("`{key}: {value}` points outside the pack folder"),
                Some("name a file inside this pack's folder, e.g. `reading.md`".into()),
            );
            None
        }
    }
}

fn build_workshop(
    raw: &RawPack,
    problems: &mut Problems<'_>,
    inline: &dyn Fn(&str) -> String,
) -> Option<Workshop> {
    use Step::{Index, Key};
    let w = &raw.workshop;
    let agenda_total: Duration = w.agenda.iter().map(|a| a.minutes.0).sum();
    let time = match (w.duration, w.agenda.is_empty()) {
        (Some(d), true) => d.0,
        (Some(d), false) if d.0 != agenda_total => {
            problems.error(
                "workshop-time",
                &[Key("workshop"), Key("duration")],
                format!(
                    "the workshop `duration` is {} but its agenda adds up to {}",
                    minutes_text(d.0),
                    minutes_text(agenda_total)
                ),
                Some(
                    "make them agree, or leave out `duration:` and let the agenda give the time"
                        .into(),
                ),
            );
            return None;
        }
        (_, false) => agenda_total,
        (None, true) => {
            problems.error(
                "no-duration",
                &[Key("workshop")],
                "the workshop has no duration".into(),
                Some(
                    "add `duration:` (e.g. 60m) or an `agenda:` with `minutes:` for each item"
                        .into(),
                ),
            );
            return None;
        }
    };
    if w.prompts.is_empty() {
        problems.error(
            "no-prompts",
            &[Key("workshop")],
            "the workshop has no discussion `prompts`".into(),
            Some("add at least one question for teachers to discuss".into()),
        );
    }
    let mut clock = Duration::ZERO;
    let agenda = w
        .agenda
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if a.title.trim().is_empty() {
                problems.error(
                    "empty-value",
                    &[Key("workshop"), Key("agenda"), Index(i), Key("title")],
                    "an agenda item has an empty `title`".into(),
                    None,
                );
            }
            let starts_at = clock.whole_minutes();
            clock += a.minutes.0;
            AgendaItem {
                title: a.title.trim().to_string(),
                time: a.minutes.0,
                time_label: a.minutes.0.label(),
                starts_at,
                starts_at_label: format!("{}:{:02}", starts_at / 60, starts_at % 60),
                notes: a.notes.as_deref().map(inline),
            }
        })
        .collect();
    Some(Workshop {
        format: w.format,
        format_label: w.format.label(),
        time,
        time_label: time.label(),
        agenda,
        prompts: w.prompts.iter().map(|p| inline(p)).collect(),
        facilitator_notes: w.facilitator_notes.as_deref().map(inline),
    })
}

/// "90 minutes", "7.5 minutes": exact, for messages about figures.
fn minutes_text(d: Duration) -> String {
    let m = d.as_minutes_f64();
    let text = format!("{m:.2}");
    format!(
        "{} minutes",
        text.trim_end_matches('0').trim_end_matches('.')
    )
}

struct ParsedPathway {
    source: Source,
    raw: RawPathway,
}

fn parse_pathway(root: &Path, path: &Path) -> Result<ParsedPathway, Vec<Diagnostic>> {
    let source = read_source(root, path).map_err(|d| vec![d])?;
    let name = source
        .content_rel
        .trim_start_matches("pathways/")
        .trim_end_matches(".md")
        .to_string();
    if !is_slug(&name) {
        return Err(vec![Diagnostic::error(
            "bad-slug",
            source.shown.clone(),
            format!("`{name}` is not a valid pathway file name"),
        )
        .with_help(format!(
            "use lower-case letters, digits and single hyphens, e.g. `{}.md`",
            slugify(&name)
        ))]);
    }
    let p = parts(&source).map_err(|d| vec![d])?;
    if !p.has_front_matter {
        return Err(vec![Diagnostic::error(
            "front-matter",
            source.shown.clone(),
            "this pathway has no front matter",
        )
        .with_help("start the file with `---`, then `title:` and `packs:`, then `---`")
        .at(&source.text, 1, 1)]);
    }
    let raw: RawPathway =
        from_yaml(p.yaml, &source.shown, &source.text, p.yaml_line).map_err(|d| vec![d])?;
    Ok(ParsedPathway { source, raw })
}

fn build_pathway(
    parsed: &ParsedPathway,
    packs: &[Pack],
    all_parsed: &[ParsedPack],
    drafts_left_out: &[String],
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
) -> (Option<Pathway>, Vec<Diagnostic>) {
    use Step::{Index, Key};
    let source = &parsed.source;
    let Ok(p) = parts(source) else {
        return (None, Vec::new());
    };
    let mut problems = Problems::new(source, &p);
    let slug = source
        .content_rel
        .trim_start_matches("pathways/")
        .trim_end_matches(".md")
        .to_string();
    let body = markdown::render(
        p.body,
        &Origin {
            source: &source.content_rel,
            first_line: p.body_line,
            url_of,
        },
    );
    problems.found.extend(broken_links(source, &body));
    non_empty(&mut problems, &[Key("title")], &parsed.raw.title, "title");
    if parsed.raw.packs.is_empty() {
        problems.error(
            "empty-pathway",
            &[Key("packs")],
            "this pathway lists no packs".into(),
            Some("add `- pack: <slug>` entries".into()),
        );
    }
    let mut steps = Vec::new();
    for (i, step) in parsed.raw.packs.iter().enumerate() {
        let at = [Key("packs"), Index(i), Key("pack")];
        let line = problems.locator.line(&at);
        if packs.iter().any(|pk| pk.slug == step.pack) {
            steps.push(PathwayStep {
                pack: step.pack.clone(),
                when: step.when.clone(),
                line,
            });
        } else if all_parsed.iter().any(|pk| pk.files.slug == step.pack) {
            // The pack exists but failed to load: its own errors say why.
        } else if drafts_left_out.contains(&step.pack) {
            problems.warn(
                "draft-in-pathway",
                &at,
                format!(
                    "the pack `{}` is a draft, so this pathway leaves it out",
                    step.pack
                ),
                Some(
                    "publish the pack (remove `draft: true`), or build with --drafts to preview it"
                        .into(),
                ),
            );
        } else {
            let help = did_you_mean(&step.pack, packs.iter().map(|pk| pk.slug.as_str()))
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| {
                    "name a folder of content/packs (drafts count only with --drafts)".into()
                });
            problems.error(
                "unknown-pack",
                &at,
                format!("there is no pack `{}`", step.pack),
                Some(help),
            );
        }
    }
    if problems.found.iter().any(Diagnostic::is_error) {
        return (None, problems.found);
    }
    let step_packs: Vec<&Pack> = steps
        .iter()
        .filter_map(|s| packs.iter().find(|pk| pk.slug == s.pack))
        .collect();
    let credit =
        crate::credit::CreditHours::sum(step_packs.iter().map(|pk| pk.credit.exact.credit_hours));
    let self_study: Duration = step_packs
        .iter()
        .map(|pk| pk.credit.exact.times.self_study)
        .sum();
    let pathway = Pathway {
        url: format!("pathways/{slug}/index.html"),
        slug,
        source: source.shown.clone(),
        title: parsed.raw.title.trim().to_string(),
        summary: parsed.raw.summary.clone(),
        draft: parsed.raw.draft,
        weight: parsed.raw.weight,
        html: body.html,
        steps,
        credit_hours: credit.as_f64(),
        credit_label: credit.to_string(),
        self_study,
        self_study_label: self_study.label(),
        credit,
        links: body.links,
        headings: body.headings,
    };
    (Some(pathway), problems.found)
}

/// Gathers tags across packs. Two spellings that make the same slug
/// ("ELL" and "ell") would share one page, so the second is an error.
fn collect_tags(parsed: &[ParsedPack], packs: &[Pack], problems: &mut Diagnostics) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    // First spelling seen, in slug order of packs, for stable messages.
    let mut spelling: HashMap<String, (String, String)> = HashMap::new();
    let mut ordered: Vec<&ParsedPack> = parsed.iter().collect();
    ordered.sort_by(|a, b| a.files.slug.cmp(&b.files.slug));
    for pack in ordered {
        for (i, name) in pack.raw.tags.iter().enumerate() {
            let name = name.trim();
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            match spelling.get(&slug) {
                Some((first, first_pack)) if first != name => {
                    let p = parts(&pack.source);
                    let line = p.as_ref().map_or(1, |p| {
                        Locator::new(p.yaml, p.yaml_line).line(&[Step::Key("tags"), Step::Index(i)])
                    });
                    problems.push(
                        Diagnostic::error(
                            "tag-spelling",
                            pack.source.shown.clone(),
                            format!("the tag `{name}` is spelt `{first}` in pack `{first_pack}`"),
                        )
                        .with_help(format!(
                            "both would be published as tags/{slug}/; use one spelling, `{first}`"
                        ))
                        .at(&pack.source.text, line, 0),
                    );
                }
                Some(_) => {}
                None => {
                    spelling.insert(slug.clone(), (name.to_string(), pack.files.slug.clone()));
                }
            }
        }
    }
    for pack in packs {
        for tag in &pack.tags {
            let name = spelling
                .get(&tag.slug)
                .map_or(tag.name.clone(), |(n, _)| n.clone());
            by_slug
                .entry(tag.slug.clone())
                .or_insert_with(|| Tag {
                    name,
                    slug: tag.slug.clone(),
                    url: tag.url.clone(),
                    packs: Vec::new(),
                })
                .packs
                .push(pack.slug.clone());
        }
    }
    let mut tags: Vec<Tag> = by_slug.into_values().collect();
    tags.sort_by_key(|t| t.name.to_lowercase());
    tags
}

/// The output path of a pack's asset, for the writer.
pub fn pack_asset_source(root: &Path, slug: &str, asset: &str) -> PathBuf {
    root.join("content").join("packs").join(slug).join(asset)
}
