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

pub mod attendance;
mod cache;
mod catalog;
mod context;
pub mod cycle_view;
pub mod feeds;
mod hours_csv;
pub mod ics;
pub mod schedule_view;
pub mod search;
mod shares;
mod site_wide;
mod splice;
mod stream;
mod template_use;
pub mod theme;
pub mod view;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::{Pack, Pathway, Site, Tag};
use crate::diagnostic::IoError;
use crate::layout;
use crate::links::{fix_root_links_in, root_prefix, ROOT_MARKER};
use crate::output::Sink;
use crate::slug::slugify;
pub use cache::RenderCache;
pub use context::{Card, SiteInfo};
pub use splice::CardLists;
pub use stream::PackPages;
pub use theme::{TemplateError, Theme, ThemeError};

use context::*;
use view::{PackView, PageView, PathwayView, TagView};

/// What can go wrong while rendering and writing.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template error: {0}")]
    Template(TemplateError),
    #[error(transparent)]
    Theme(ThemeError),
    /// A file could not be read or written (by the theme or a sink).
    #[error(transparent)]
    Io(#[from] IoError),
}

impl RenderError {
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        RenderError::Io(IoError::new(action, path, source))
    }
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
            Selection::Some { packs, .. } => few_contain(packs, slug),
        }
    }

    /// Whether the page of this pathway is rendered.
    pub fn has_pathway(&self, slug: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Some { pathways, .. } => few_contain(pathways, slug),
        }
    }

    /// Whether the page of this tag is rendered.
    pub fn has_tag(&self, slug: &str) -> bool {
        match self {
            Selection::All => true,
            Selection::Some { tags, .. } => few_contain(tags, slug),
        }
    }
}

/// Whether `set` holds `slug`. Asked of every pack by a render, of the
/// few packs an edit touches: comparing with each costs less than
/// hashing the slug.
fn few_contain(set: &HashSet<String>, slug: &str) -> bool {
    if set.len() <= 8 {
        set.iter().any(|s| s == slug)
    } else {
        set.contains(slug)
    }
}

/// The files made from the whole site rather than from one pack, pathway
/// or tag: written by every render, whole or partial.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SiteWide {
    Catalog,
    TagIndex,
    NotFound,
    HoursCsv,
    /// Every pack's, pathway's and the site's `.ics`.
    Calendars,
    MyLearning,
    /// The search index and every document's text fragment.
    Search,
    Atom,
    Sitemap,
    /// The theme's static files and the site's own files: whole renders only.
    Assets,
}

impl SiteWide {
    /// Every file made from the whole site, `Assets` last.
    const ALL: [SiteWide; 10] = [
        SiteWide::Catalog,
        SiteWide::TagIndex,
        SiteWide::NotFound,
        SiteWide::HoursCsv,
        SiteWide::Calendars,
        SiteWide::MyLearning,
        SiteWide::Search,
        SiteWide::Atom,
        SiteWide::Sitemap,
        SiteWide::Assets,
    ];
}

/// Renders every page of `site` into `sink`.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
) -> Result<RenderStats, RenderError> {
    render_selection(site, theme, sink, &Selection::All, &RenderCache::default())
}

/// Renders the pages of `site` that `selection` names into `sink`. With
/// [`Selection::Some`], `cache` must come from renders of this same site
/// (the packs outside the selection unchanged since).
pub fn render_selection(
    site: &Site,
    theme: &Theme,
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
    let whole = matches!(selection, Selection::All);
    let site_wide: Vec<SiteWide> = SiteWide::ALL
        .into_iter()
        .filter(|file| whole || *file != SiteWide::Assets)
        .collect();
    let results: Vec<Result<RenderStats, RenderError>> = site
        .packs
        .par_iter()
        .filter(|pack| selection.has_pack(&pack.slug))
        .map(|pack| r.pack(pack, sink))
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
            SiteWide::HoursCsv => r.hours_csv_of(sink, cache, selection),
            SiteWide::Calendars => r.calendars_of(sink, selection),
            SiteWide::MyLearning => r.my_learning(sink),
            SiteWide::Search => r.search(sink, selection, cache),
            SiteWide::Atom => r.atom(sink, cache),
            SiteWide::Sitemap => r.sitemap(sink, cache),
            SiteWide::Assets => r.assets(sink),
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

/// Shared, read-only state of one render.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    info: SiteInfo<'a>,
    cards: Vec<Card<'a>>,
    card_index: HashMap<&'a str, usize, search::FastHash>,
    /// Whether this render is of a [`Selection::Some`], which may reuse
    /// what a [`RenderCache`] kept; a whole render makes everything anew.
    partial: bool,
    /// Where the cards' HTML came from and goes back to, if it is kept.
    lent: Option<&'a std::sync::Mutex<HashMap<String, String, search::FastHash>>>,
}

impl Drop for Renderer<'_> {
    /// Gives each card's HTML to the cache it is kept in, for the next
    /// render. A card left empty (its template failed, or the catalog
    /// took its HTML) leaves an empty entry, which the next render
    /// renders again.
    fn drop(&mut self) {
        let Some(kept) = self.lent else {
            return;
        };
        let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
        for card in &mut self.cards {
            let html = std::mem::take(&mut card.html);
            match kept.get_mut(card.slug) {
                Some(slot) => *slot = html,
                None if !html.is_empty() => {
                    kept.insert(card.slug.to_string(), html);
                }
                None => {}
            }
        }
    }
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, theme: &'a Theme) -> Self {
        let credit_application = site.config.credit.include_application;
        let cards: Vec<Card<'a>> = site
            .packs
            .iter()
            .map(|p| Card::new(p, credit_application))
            .collect();
        Self::with_cards(site, theme, cards, site.packs.len())
    }

    /// A renderer of packs' own pages only, for a site whose packs are
    /// still loading: it has no cards, and `pack_count` is the number of
    /// packs the site will publish.
    fn for_pack_pages(site: &'a Site, theme: &'a Theme, pack_count: usize) -> Self {
        Self::with_cards(site, theme, Vec::new(), pack_count)
    }

    fn with_cards(
        site: &'a Site,
        theme: &'a Theme,
        cards: Vec<Card<'a>>,
        pack_count: usize,
    ) -> Self {
        let card_index = cards.iter().enumerate().map(|(i, c)| (c.slug, i)).collect();
        let c = &site.config;
        let info = SiteInfo {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: &c.base_url,
            generator: concat!("flippack ", env!("CARGO_PKG_VERSION")),
            pack_count,
            absolute: c.base_url.is_absolute(),
            storage_key: format!("flippack:{}:{}", c.base_url, slugify(&c.title)),
            id: c.id.as_deref(),
            content_security_policy: c.content_security_policy(),
            sponsor: c.sponsor.as_ref(),
            categories: &c.categories,
            ceu: c.ceu,
        };
        Renderer {
            site,
            theme,
            info,
            cards,
            card_index,
            partial: false,
            lent: None,
        }
    }

    /// Fills in each card's HTML: rendered anew for the packs `fresh`
    /// names, taken from `cache` for the others. Taken, not copied: the
    /// cards give their HTML back when the renderer is dropped.
    fn render_cards(
        &mut self,
        fresh: &Selection,
        cache: &'a RenderCache,
    ) -> Result<(), RenderError> {
        if cache.keep {
            let mut kept = cache.cards.lock().unwrap_or_else(|p| p.into_inner());
            // What is to be rendered anew goes from the cache at once: should
            // a card not come back (one whose HTML the catalog took), the
            // next render makes it again rather than reuse a stale one.
            if matches!(fresh, Selection::All) {
                kept.clear();
            }
            for card in self.cards.iter_mut() {
                if let Some(html) = kept.get_mut(card.slug) {
                    let html = std::mem::take(html);
                    if !fresh.has_pack(card.slug) {
                        card.html = html;
                    }
                }
            }
            self.lent = Some(&cache.cards);
        }
        // An empty card is one to render: what the cache had for it, if
        // anything, was as empty.
        let rendered: Vec<(usize, Result<String, RenderError>)> = self
            .cards
            .par_iter()
            .enumerate()
            .filter(|(_, card)| card.html.is_empty())
            .map(|(i, card)| {
                let html = self.render_template(
                    "card.html",
                    card.url,
                    card.title,
                    "",
                    CardData { pack: card },
                );
                (i, html)
            })
            .collect();
        for (i, html) in rendered {
            self.cards[i].html = html?;
        }
        Ok(())
    }

    /// The pack `slug`, found by its card rather than by a walk through
    /// every pack.
    fn pack_of(&self, slug: &str) -> Option<&'a Pack> {
        self.card_index.get(slug).map(|&i| &self.site.packs[i])
    }

    fn card(&self, slug: &str) -> Option<&Card<'a>> {
        self.card_index.get(slug).map(|&i| &self.cards[i])
    }

    /// The pack `slug` of the site, found by its card: the cards are the
    /// site's packs, in the same order.
    fn site_pack(&self, slug: &str) -> Option<&'a Pack> {
        self.card_index.get(slug).map(|&i| &self.site.packs[i])
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
        Ok(fix_root_links_in(html, &root_prefix(url)))
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
            paths: &context::PATHS,
            title,
            description,
            page_url: self.info.absolute.then(|| base.absolute(url)),
            data,
        };
        Context::from_serialize(&context)
            .map_err(|e| RenderError::Template(TemplateError::from_tera(&e)))
    }

    fn render_context(
        &self,
        template: &str,
        url: &str,
        context: &Context,
    ) -> Result<String, RenderError> {
        self.theme
            .tera
            .render(template, context)
            .map_err(|e| RenderError::Template(TemplateError::rendering(template, url, &e)))
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
        Ok(sink.write(url, html.as_bytes())?)
    }

    fn pack(&self, pack: &Pack, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        let includes_application = self.site.config.credit.include_application;
        let view = PackView::new(pack, includes_application);
        let schedule = schedule_view::PackScheduleView::new(pack, &self.site.config);
        let attendance = attendance::AttendanceView::new(pack, self.site);
        self.write_page(
            sink,
            "pack.html",
            &pack.url,
            &pack.title,
            &pack.summary,
            PackData {
                pack: &view,
                schedule: &schedule,
                attendance: attendance.as_ref(),
            },
        )?;
        self.write_page(
            sink,
            "facilitator.html",
            &layout::facilitator(&pack.slug),
            &format!("Workshop plan: {}", pack.title),
            &pack.summary,
            PackData {
                pack: &view,
                schedule: &schedule,
                attendance: attendance.as_ref(),
            },
        )?;
        let card = self
            .card(&pack.slug)
            .cloned()
            .unwrap_or_else(|| Card::new(pack, includes_application));
        for page in &pack.pages {
            let description = page.description.as_deref().unwrap_or(&pack.summary);
            self.write_page(
                sink,
                "page.html",
                &page.url,
                &page.title,
                description,
                PageData {
                    pack: &card,
                    page: &PageView::new(page),
                },
            )?;
        }
        for asset in &pack.assets {
            sink.copy(
                &layout::pack_file(&pack.slug, asset),
                &pack.folder.join(asset),
            )?;
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
            PathwayData {
                pathway: PathwayView::new(pathway),
                schedule: schedule_view::PathwayScheduleView::new(
                    pathway,
                    &self.site.config,
                    |slug| self.site_pack(slug),
                ),
                steps,
            },
        )?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    fn tag(&self, tag: &Tag, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        let title = format!("Tag: {}", tag.name);
        if self.theme.card_lists.tags {
            let cards = tag
                .packs
                .iter()
                .filter_map(|s| self.card(s))
                .map(|card| self.tag_page_card_html(card))
                .collect::<Result<Vec<&str>, _>>()?;
            let data = TagHead {
                tag: TagView::new(tag),
            };
            let mut context = self.context(&tag.url, &title, "", data)?;
            if let Some(html) = self.render_spliced("tag.html", &tag.url, &mut context, &cards)? {
                let html = fix_root_links_in(html, &root_prefix(&tag.url));
                sink.write(&tag.url, html.as_bytes())?;
                return Ok(RenderStats { pages: 1, files: 0 });
            }
        }
        let packs = tag
            .packs
            .iter()
            .filter_map(|s| self.card(s))
            .map(|card| self.tag_page_card(card))
            .collect::<Result<_, _>>()?;
        self.write_page(
            sink,
            "tag.html",
            &tag.url,
            &title,
            "",
            TagData {
                tag: TagView::new(tag),
                packs,
            },
        )?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The HTML of a pack's card as a tag page lists it (see
    /// [`Renderer::tag_page_card`]).
    fn tag_page_card_html<'c>(&self, card: &'c Card<'a>) -> Result<&'c str, RenderError> {
        if card.tags.len() <= TAGS_ON_TAG_PAGES {
            return Ok(&card.html);
        }
        if card.short_html.get().is_none() {
            // Renders the short card and keeps it in `short_html`.
            self.tag_page_card(card)?;
        }
        Ok(card.short_html.get().map_or("", String::as_str))
    }

    /// A pack's card as a tag page lists it: with at most
    /// [`TAGS_ON_TAG_PAGES`] of its tags. Rendered once per pack, and only
    /// for packs with more tags than that.
    fn tag_page_card(&self, card: &Card<'a>) -> Result<Card<'a>, RenderError> {
        if card.tags.len() <= TAGS_ON_TAG_PAGES {
            return Ok(card.clone());
        }
        let mut short = Card {
            slug: card.slug,
            url: card.url,
            title: card.title,
            summary: card.summary,
            level: card.level,
            audience: card.audience,
            tags: card.tags.first(TAGS_ON_TAG_PAGES),
            date: card.date,
            updated: card.updated,
            draft: card.draft,
            credit: card.credit,
            resource_count: card.resource_count,
            html: String::new(),
            short_html: std::sync::OnceLock::new(),
        };
        short.html = match card.short_html.get() {
            Some(html) => html.clone(),
            None => {
                let html = self.render_template(
                    "card.html",
                    card.url,
                    card.title,
                    "",
                    CardData { pack: &short },
                )?;
                // Two tag pages may render it at once; either copy will do.
                let _ = card.short_html.set(html.clone());
                html
            }
        };
        Ok(short)
    }
}
