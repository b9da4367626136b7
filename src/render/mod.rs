//! Rendering the model into pages.
//!
//! Templates receive typed context structs (see docs/theming.md). Listing
//! pages (catalog, tags, pathways) get small [`Card`]s rather than whole
//! packs, so a catalog of thousands of packs does not re-serialize every
//! pack's overview and resources once per listing.
//!
//! Besides the pages of the content, a site gets: a facilitator page per
//! pack (the workshop plan, to print on its own), the "My learning" page,
//! the search index ([`search`]), `atom.xml` and `sitemap.xml`
//! ([`feeds`]).

pub mod feeds;
pub mod search;
pub mod theme;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::raw::Date;
use crate::content::{CreditView, Intro, Level, Pack, Page, Pathway, Site, Tag, TagRef};
use crate::links::{fix_root_links, root_prefix, ROOT_MARKER};
use crate::output::Sink;
use crate::slug::slugify;
pub use theme::Theme;

/// What can go wrong while rendering and writing.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template error: {0}")]
    Template(String),
    #[error("{0}")]
    Theme(String),
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl RenderError {
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        RenderError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Site-wide values every template gets as `site`.
#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub generator: &'static str,
    pub pack_count: usize,
    /// Whether `base_url` is a full address, so pages can carry canonical
    /// and Open Graph addresses.
    pub absolute: bool,
    /// The browser storage key under which a teacher's progress on this
    /// site is kept. Pages opened from disk all share one storage, so the
    /// key names the site by its `base_url` and title.
    pub storage_key: String,
}

/// A pack as listed in the catalog, on tag pages and on pathways.
#[derive(Serialize, Clone)]
pub struct Card<'a> {
    pub slug: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub level: Option<Level>,
    pub audience: &'a [String],
    pub tags: &'a [TagRef],
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub credit: &'a CreditView,
    pub resource_count: usize,
    /// The card rendered by `card.html`, once per pack and reused by the
    /// catalog, tag and pathway pages: listing pages then cost a copy per
    /// pack rather than a template run.
    pub html: String,
}

impl<'a> Card<'a> {
    pub fn new(p: &'a Pack) -> Self {
        Card {
            slug: &p.slug,
            url: &p.url,
            title: &p.title,
            summary: &p.summary,
            level: p.level,
            audience: &p.audience,
            tags: &p.tags,
            date: p.date,
            updated: p.updated,
            credit: &p.credit,
            resource_count: p.self_study.len(),
            html: String::new(),
        }
    }
}

#[derive(Serialize)]
struct CardData<'a> {
    pack: &'a Card<'a>,
}

/// A pathway step with its pack's card.
#[derive(Serialize)]
struct Step<'a> {
    number: usize,
    when: Option<&'a str>,
    pack: Card<'a>,
}

/// The variables common to every page, around the page's own data.
#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    site: &'a SiteInfo<'a>,
    /// Prefix for links to other files of the site; see `links`.
    root: &'static str,
    /// This page's path from the site root.
    current_url: &'a str,
    /// For `<title>` and the main heading.
    title: &'a str,
    /// For `<meta name="description">`.
    description: &'a str,
    /// The page's full address, when `base_url` is one.
    page_url: Option<String>,
    #[serde(flatten)]
    data: T,
}

/// The catalog's variables; its `packs` (cards) are added as values, see
/// [`RenderCache::card_values`].
#[derive(Serialize)]
struct IndexData<'a> {
    intro: &'a Intro,
    pathways: &'a [Pathway],
    tags: &'a [Tag],
    /// Every audience named by a pack, sorted, for the catalog filter.
    audiences: Vec<&'a str>,
    /// The levels packs use, in order, for the catalog filter.
    levels: Vec<Level>,
}

#[derive(Serialize)]
struct PackData<'a> {
    pack: &'a Pack,
}

#[derive(Serialize)]
struct PageData<'a> {
    pack: &'a Card<'a>,
    page: &'a Page,
}

#[derive(Serialize)]
struct PathwayData<'a> {
    pathway: &'a Pathway,
    steps: Vec<Step<'a>>,
}

#[derive(Serialize)]
struct TagsData<'a> {
    tags: &'a [Tag],
}

#[derive(Serialize)]
struct TagData<'a> {
    tag: &'a Tag,
    packs: Vec<Card<'a>>,
}

/// Counts of what a render wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub pages: usize,
    pub files: usize,
}

/// Which pages a render writes.
#[derive(Debug, Clone, Default)]
pub enum Selection {
    /// The whole site.
    #[default]
    All,
    /// The pages of these packs, pathways and tags (by slug), for the dev
    /// server's rebuild after a pack changed. The site-wide pages (the
    /// catalog, the tag index, 404 and any other file made from the whole
    /// site) are always written; the static files only with `All`.
    Some {
        packs: HashSet<String>,
        pathways: HashSet<String>,
        tags: HashSet<String>,
    },
}

impl Selection {
    /// Whether the pages of this pack are rendered.
    pub fn has_pack(&self, slug: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Some { packs, .. } => packs.contains(slug),
        }
    }

    /// Whether the page of this pathway is rendered.
    pub fn has_pathway(&self, slug: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Some { pathways, .. } => pathways.contains(slug),
        }
    }

    /// Whether the page of this tag is rendered.
    pub fn has_tag(&self, slug: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Some { tags, .. } => tags.contains(slug),
        }
    }
}

/// The files made from the whole site rather than from one pack, pathway
/// or tag: written by every render, whole or partial.
enum SiteWide {
    Catalog,
    TagIndex,
    NotFound,
    HoursCsv,
    MyLearning,
    /// The search index and every document's text fragment.
    Search,
    Atom,
    Sitemap,
    /// The theme's static files and the site's own files: whole renders only.
    Assets,
}

/// Renders every page of `site` into `sink`.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    root: &Path,
    sink: &dyn Sink,
) -> Result<RenderStats, RenderError> {
    render_selection(
        site,
        theme,
        root,
        sink,
        &Selection::All,
        &RenderCache::default(),
    )
}

/// What one render keeps for the next, so that rendering again after a
/// change to a few packs does not redo the work for all the others. The
/// dev server holds one ([`RenderCache::new`]) for as long as it runs; a
/// build uses the default one, which keeps nothing, so that what a render
/// needs only once is freed as soon as it is done with.
#[derive(Default)]
pub struct RenderCache {
    keep: bool,
    /// The search index of the last render, with each document.
    search_index: Mutex<search::Index>,
    /// Each pack's rendered card, by slug, as of the last render.
    cards: Mutex<HashMap<String, String>>,
    /// Each pack's card as a template value, by slug, for the catalog.
    /// Making these values is most of the catalog's cost on a large site,
    /// so they are moved into its context and back out after rendering.
    card_values: Mutex<HashMap<String, serde_json::Value>>,
    /// Site-wide files that one pack's edit seldom changes, with what
    /// they were made from.
    tag_index: Memo<Context>,
    atom: Memo<Context>,
    sitemap: Memo<Context>,
    hours: Memo<Vec<crate::report::HoursRow>>,
}

impl RenderCache {
    /// A cache that keeps what each render makes, for the next.
    pub fn new() -> Self {
        RenderCache {
            keep: true,
            ..RenderCache::default()
        }
    }
}

/// A file's contents and what they were made from, so that the same input
/// next time costs a comparison rather than a template run.
struct Memo<K>(Mutex<Option<(K, Arc<str>)>>);

impl<K> Default for Memo<K> {
    fn default() -> Self {
        Memo(Mutex::new(None))
    }
}

impl<K: PartialEq> Memo<K> {
    /// What `make` made from `input` last time if `reuse` and the input is
    /// the same, else what it makes now.
    /// What `make` made from `input` last time if `r` may reuse it and
    /// the input is the same, else what it makes now (kept if `r` keeps).
    fn get_or_make(
        &self,
        r: &Renderer<'_>,
        cache: &RenderCache,
        input: K,
        make: impl FnOnce(&K) -> Result<String, RenderError>,
    ) -> Result<Arc<str>, RenderError> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((made_from, made)) = slot.as_ref() {
            if r.partial && *made_from == input {
                return Ok(made.clone());
            }
        }
        let made: Arc<str> = make(&input)?.into();
        if cache.keep {
            *slot = Some((input, made.clone()));
        }
        Ok(made)
    }
}

/// Renders the pages of `site` that `selection` names into `sink`. With
/// [`Selection::Some`], `cache` must come from renders of this same site
/// (the packs outside the selection unchanged since).
pub fn render_selection(
    site: &Site,
    theme: &Theme,
    root: &Path,
    sink: &dyn Sink,
    selection: &Selection,
    cache: &RenderCache,
) -> Result<RenderStats, RenderError> {
    let mut r = Renderer::new(site, theme);
    r.partial = matches!(selection, Selection::Some { .. });
    r.render_cards(selection, cache)?;
    // Files made from the whole site, each a task of its own. (Written as
    // `once(r.catalog(sink))` they would run one after the other before
    // the parallel part starts.)
    let mut site_wide = vec![
        SiteWide::Catalog,
        SiteWide::TagIndex,
        SiteWide::NotFound,
        SiteWide::HoursCsv,
        SiteWide::MyLearning,
        SiteWide::Search,
        SiteWide::Atom,
        SiteWide::Sitemap,
    ];
    if matches!(selection, Selection::All) {
        site_wide.push(SiteWide::Assets);
    }
    let results: Vec<Result<RenderStats, RenderError>> = site
        .packs
        .par_iter()
        .filter(|pack| selection.has_pack(&pack.slug))
        .map(|pack| r.pack(pack, root, sink))
        .chain(
            site.pathways
                .par_iter()
                .filter(|pw| selection.has_pathway(&pw.slug))
                .map(|pw| r.pathway(pw, sink)),
        )
        .chain(
            site.tags
                .par_iter()
                .filter(|tag| selection.has_tag(&tag.slug))
                .map(|tag| r.tag(tag, sink)),
        )
        .chain(site_wide.into_par_iter().map(|file| match file {
            SiteWide::Catalog => r.catalog(sink, selection, cache),
            SiteWide::TagIndex => r.tag_index(sink, cache),
            SiteWide::NotFound => r.not_found(sink),
            SiteWide::HoursCsv => r.hours_csv(sink, cache),
            SiteWide::MyLearning => r.my_learning(sink),
            SiteWide::Search => r.search(sink, selection, cache),
            SiteWide::Atom => r.atom(sink, cache),
            SiteWide::Sitemap => r.sitemap(sink, cache),
            SiteWide::Assets => r.assets(root, sink),
        }))
        .collect();
    let mut stats = RenderStats::default();
    for result in results {
        let s = result?;
        stats.pages += s.pages;
        stats.files += s.files;
    }
    Ok(stats)
}

/// Which template makes a site-wide file, and where.
struct SiteFile<'a> {
    template: &'a str,
    /// The file's path from the site root.
    url: &'a str,
    title: &'a str,
    /// What links to the rest of the site start with.
    links: &'a str,
}

/// Shared, read-only state of one render.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    info: SiteInfo<'a>,
    cards: Vec<Card<'a>>,
    card_index: HashMap<&'a str, usize>,
    /// Whether this render is of a [`Selection::Some`], which may reuse
    /// what a [`RenderCache`] kept; a whole render makes everything anew.
    partial: bool,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let cards: Vec<Card<'a>> = site.packs.iter().map(Card::new).collect();
        let card_index = cards.iter().enumerate().map(|(i, c)| (c.slug, i)).collect();
        let c = &site.config;
        let info = SiteInfo {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            generator: concat!("flippack ", env!("CARGO_PKG_VERSION")),
            pack_count: site.packs.len(),
            absolute: feeds::is_absolute(&c.base_url),
            storage_key: format!("flippack:{}:{}", c.base_url, slugify(&c.title)),
        };
        Renderer {
            site,
            theme,
            info,
            cards,
            card_index,
            partial: false,
        }
    }

    /// Fills in each card's HTML: rendered anew for the packs `fresh`
    /// names, taken from `cache` for the others.
    fn render_cards(&mut self, fresh: &Selection, cache: &RenderCache) -> Result<(), RenderError> {
        let mut cached = cache.cards.lock().unwrap_or_else(|p| p.into_inner());
        let html: Vec<Result<String, RenderError>> = self
            .cards
            .par_iter()
            .map(|card| match cached.get(card.slug) {
                Some(html) if !fresh.has_pack(card.slug) => Ok(html.clone()),
                _ => self.render_template(
                    "card.html",
                    card.url,
                    card.title,
                    "",
                    CardData { pack: card },
                ),
            })
            .collect();
        for (card, html) in self.cards.iter_mut().zip(html) {
            card.html = html?;
            if cache.keep {
                cached.insert(card.slug.to_string(), card.html.clone());
            }
        }
        Ok(())
    }

    fn card(&self, slug: &str) -> Option<&Card<'a>> {
        self.card_index.get(slug).map(|&i| &self.cards[i])
    }

    /// Renders `template` for the page at `url` (a path from the site root).
    pub fn page<T: Serialize>(
        &self,
        template: &str,
        url: &str,
        title: &str,
        description: &str,
        data: T,
    ) -> Result<String, RenderError> {
        let html = self.render_template(template, url, title, description, data)?;
        Ok(fix_root_links(&html, &root_prefix(url)))
    }

    /// Renders a template, leaving links to the site behind [`ROOT_MARKER`].
    pub fn render_template<T: Serialize>(
        &self,
        template: &str,
        url: &str,
        title: &str,
        description: &str,
        data: T,
    ) -> Result<String, RenderError> {
        let context = self.context(url, title, description, data)?;
        self.render_context(template, url, &context)
    }

    /// The variables of the page at `url`: its own `data` and those every
    /// page gets.
    fn context<T: Serialize>(
        &self,
        url: &str,
        title: &str,
        description: &str,
        data: T,
    ) -> Result<Context, RenderError> {
        let base = &self.site.config.base_url;
        let context = PageContext {
            site: &self.info,
            root: ROOT_MARKER,
            current_url: url,
            title,
            description,
            page_url: self.info.absolute.then(|| feeds::absolute_url(base, url)),
            data,
        };
        Context::from_serialize(&context).map_err(|e| RenderError::Template(theme::error_chain(&e)))
    }

    /// Renders a site-wide file, unless `memo` holds what the same
    /// variables made last time.
    fn write_unless_same<T: Serialize>(
        &self,
        sink: &dyn Sink,
        cache: &RenderCache,
        memo: &Memo<Context>,
        file: SiteFile<'_>,
        data: T,
    ) -> Result<(), RenderError> {
        let context = self.context(file.url, file.title, "", data)?;
        let text = memo.get_or_make(self, cache, context, |c| {
            let text = self.render_context(file.template, file.url, c)?;
            Ok(fix_root_links(&text, file.links))
        })?;
        sink.write(file.url, text.as_bytes())
    }

    fn render_context(
        &self,
        template: &str,
        url: &str,
        context: &Context,
    ) -> Result<String, RenderError> {
        self.theme.tera.render(template, context).map_err(|e| {
            RenderError::Template(format!(
                "{template} (for {url}): {}",
                theme::error_chain(&e)
            ))
        })
    }

    fn write_page<T: Serialize>(
        &self,
        sink: &dyn Sink,
        template: &str,
        url: &str,
        title: &str,
        description: &str,
        data: T,
    ) -> Result<(), RenderError> {
        let html = self.page(template, url, title, description, data)?;
        sink.write(url, html.as_bytes())
    }

    fn pack(&self, pack: &Pack, root: &Path, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        self.write_page(
            sink,
            "pack.html",
            &pack.url,
            &pack.title,
            &pack.summary,
            PackData { pack },
        )?;
        self.write_page(
            sink,
            "facilitator.html",
            &format!("packs/{}/facilitator/index.html", pack.slug),
            &format!("Workshop plan: {}", pack.title),
            &pack.summary,
            PackData { pack },
        )?;
        let card = self
            .card(&pack.slug)
            .cloned()
            .unwrap_or_else(|| Card::new(pack));
        for page in &pack.pages {
            let description = page.description.as_deref().unwrap_or(&pack.summary);
            self.write_page(
                sink,
                "page.html",
                &page.url,
                &page.title,
                description,
                PageData { pack: &card, page },
            )?;
        }
        for asset in &pack.assets {
            let from = crate::content::load::pack_asset_source(root, &pack.slug, asset);
            sink.copy(&format!("packs/{}/{asset}", pack.slug), &from)?;
        }
        Ok(RenderStats {
            pages: 2 + pack.pages.len(),
            files: pack.assets.len(),
        })
    }

    fn pathway(&self, pathway: &Pathway, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        let steps = pathway
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                Some(Step {
                    number: i + 1,
                    when: s.when.as_deref(),
                    pack: self.card(&s.pack)?.clone(),
                })
            })
            .collect();
        let description = pathway.summary.as_deref().unwrap_or("");
        self.write_page(
            sink,
            "pathway.html",
            &pathway.url,
            &pathway.title,
            description,
            PathwayData { pathway, steps },
        )?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    fn tag(&self, tag: &Tag, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        let packs = tag
            .packs
            .iter()
            .filter_map(|s| self.card(s).cloned())
            .collect();
        let title = format!("Tag: {}", tag.name);
        self.write_page(
            sink,
            "tag.html",
            &tag.url,
            &title,
            "",
            TagData { tag, packs },
        )?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The catalog: the home page. The cards of the packs `fresh` names
    /// are made into template values anew, the others taken from `cache`.
    fn catalog(
        &self,
        sink: &dyn Sink,
        fresh: &Selection,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        let site = self.site;
        let title = site.intro.title.as_deref().unwrap_or(&site.config.title);
        let description = site
            .intro
            .description
            .as_deref()
            .unwrap_or(&site.config.description);
        // Each audience once, whatever its case, spelt as the first pack
        // in the catalog spells it.
        let mut by_lowercase: BTreeMap<String, &str> = BTreeMap::new();
        for audience in site.packs.iter().flat_map(|p| &p.audience) {
            by_lowercase
                .entry(audience.to_lowercase())
                .or_insert(audience);
        }
        let audiences: Vec<&str> = by_lowercase.into_values().collect();
        let mut levels: Vec<Level> = site.packs.iter().filter_map(|p| p.level).collect();
        levels.sort_unstable();
        levels.dedup();
        let data = IndexData {
            intro: &site.intro,
            pathways: &site.pathways,
            tags: &site.tags,
            audiences,
            levels,
        };
        let mut context = self.context("index.html", title, description, data)?;

        let mut values = std::mem::take(
            &mut *cache
                .card_values
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        );
        let packs = self
            .cards
            .iter()
            .map(|card| match values.remove(card.slug) {
                Some(value) if !fresh.has_pack(card.slug) => Ok(value),
                _ => serde_json::to_value(card),
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| RenderError::Template(e.to_string()))?;
        // Moved, not copied: `json!` and `Context::insert` would copy.
        let mut variables = serde_json::Map::new();
        variables.insert("packs".into(), serde_json::Value::Array(packs));
        context.extend(
            Context::from_value(serde_json::Value::Object(variables))
                .map_err(|e| RenderError::Template(theme::error_chain(&e)))?,
        );
        let html = self.render_context("index.html", "index.html", &context)?;
        sink.write(
            "index.html",
            fix_root_links(&html, &root_prefix("index.html")).as_bytes(),
        )?;

        if !cache.keep {
            return Ok(RenderStats { pages: 1, files: 0 });
        }
        if let Some(serde_json::Value::Array(packs)) = context.remove("packs") {
            let mut kept = cache
                .card_values
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            kept.extend(
                self.cards
                    .iter()
                    .map(|card| card.slug.to_string())
                    .zip(packs),
            );
        }
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The list of tags.
    fn tag_index(&self, sink: &dyn Sink, cache: &RenderCache) -> Result<RenderStats, RenderError> {
        let url = "tags/index.html";
        let data = TagsData {
            tags: &self.site.tags,
        };
        let file = SiteFile {
            template: "tags.html",
            url,
            title: "Tags",
            links: &root_prefix(url),
        };
        self.write_unless_same(sink, cache, &cache.tag_index, file, data)?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The page for missing paths.
    fn not_found(&self, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        // 404.html is served for any missing path, at any depth, so its
        // links cannot be relative: they start from the base URL's path.
        let html = self.render_template("404.html", "404.html", "Page not found", "", ())?;
        let html = fix_root_links(&html, crate::links::base_path(&self.site.config.base_url));
        sink.write("404.html", html.as_bytes())?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The "My learning" page: filled in by the browser from its own storage.
    fn my_learning(&self, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        self.write_page(
            sink,
            "my-learning.html",
            "my-learning/index.html",
            "My learning",
            "Your progress through the self-study of each pack, kept in this browser.",
            (),
        )?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The search index and one text fragment per pack and pathway. Only
    /// the packs and pathways that `fresh` names are indexed again (and
    /// their fragments written); the others' documents come from `cache`.
    fn search(
        &self,
        sink: &dyn Sink,
        fresh: &Selection,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        let mut index = cache
            .search_index
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A new document's fragment is written at once and dropped: the
        // fragments together are as large as the site's text, and the
        // index needs only the terms.
        let write_fragment = |mut doc: search::SearchDoc| -> Result<_, RenderError> {
            let fragment = std::mem::take(&mut doc.fragment);
            sink.write(
                &search::fragment_path(doc.kind, &doc.slug),
                fragment.as_bytes(),
            )?;
            Ok(Arc::new(doc))
        };
        let known = &*index;
        let packs = self.site.packs.par_iter().map(|pack| {
            match known.get(search::DocKind::Pack, &pack.slug) {
                Some(doc) if !fresh.has_pack(&pack.slug) => Ok(doc.clone()),
                _ => write_fragment(search::pack_doc(pack)),
            }
        });
        // A pathway's document holds its packs' titles: the pathways of a
        // changed pack are in the selection.
        let pathways = self.site.pathways.par_iter().map(|pathway| {
            match known.get(search::DocKind::Pathway, &pathway.slug) {
                Some(doc) if !fresh.has_pathway(&pathway.slug) => Ok(doc.clone()),
                _ => {
                    let titles: Vec<&str> = pathway
                        .steps
                        .iter()
                        .filter_map(|s| self.card(&s.pack).map(|c| c.title))
                        .collect();
                    write_fragment(search::pathway_doc(pathway, &titles))
                }
            }
        });
        let docs: Vec<Arc<search::SearchDoc>> = packs.chain(pathways).collect::<Result<_, _>>()?;
        index.update(&docs);
        sink.write(search::INDEX_PATH, index.to_js().as_bytes())?;
        if !cache.keep {
            *index = search::Index::default();
        }
        Ok(RenderStats {
            pages: 0,
            files: docs.len() + 1,
        })
    }

    /// `atom.xml`: the newest packs.
    fn atom(&self, sink: &dyn Sink, cache: &RenderCache) -> Result<RenderStats, RenderError> {
        #[derive(Serialize)]
        struct AtomData<'a> {
            feed: feeds::Feed<'a>,
        }
        let data = AtomData {
            feed: feeds::feed(self.site),
        };
        let file = SiteFile {
            template: "atom.xml",
            url: feeds::ATOM_PATH,
            title: &self.site.config.title,
            links: &self.site.config.base_url,
        };
        self.write_unless_same(sink, cache, &cache.atom, file, data)?;
        Ok(RenderStats { pages: 0, files: 1 })
    }

    /// `sitemap.xml`: every page.
    fn sitemap(&self, sink: &dyn Sink, cache: &RenderCache) -> Result<RenderStats, RenderError> {
        #[derive(Serialize)]
        struct SitemapData {
            urls: Vec<feeds::SitemapUrl>,
        }
        let data = SitemapData {
            urls: feeds::sitemap(self.site),
        };
        let file = SiteFile {
            template: "sitemap.xml",
            url: feeds::SITEMAP_PATH,
            title: &self.site.config.title,
            links: &self.site.config.base_url,
        };
        self.write_unless_same(sink, cache, &cache.sitemap, file, data)?;
        Ok(RenderStats { pages: 0, files: 1 })
    }

    /// `hours.csv`: every pack's credit hours, for a PD office's
    /// spreadsheet or records system.
    fn hours_csv(&self, sink: &dyn Sink, cache: &RenderCache) -> Result<RenderStats, RenderError> {
        let rows = crate::report::hours_rows(self.site);
        let csv = cache.hours.get_or_make(self, cache, rows, |rows| {
            Ok(crate::report::to_spreadsheet_csv(rows))
        })?;
        sink.write("hours.csv", csv.as_bytes())?;
        Ok(RenderStats { pages: 0, files: 1 })
    }

    /// The theme's static files and the site's own files under `content/`.
    fn assets(&self, root: &Path, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        for (path, file) in &self.theme.statics {
            let to = format!("static/{path}");
            match file {
                theme::StaticFile::Embedded(bytes) => sink.write(&to, bytes)?,
                theme::StaticFile::OnDisk(from) => sink.copy(&to, from)?,
            }
        }
        for asset in &self.site.assets {
            sink.copy(asset, &root.join("content").join(asset))?;
        }
        Ok(RenderStats {
            pages: 0,
            files: self.theme.statics.len() + self.site.assets.len(),
        })
    }
}
