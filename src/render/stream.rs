//! The build's render, in step with loading: each pack's pages are
//! written as soon as the pack is loaded, and its text dropped right
//! after (see [`crate::content::Loading::streaming`]); the pathways, tags
//! and site-wide files follow, made from what every pack keeps. A site of
//! 100,000 packs is so never held whole in memory. The files are those
//! [`super::render_site`] writes, byte for byte.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::search::{self, SearchDoc};
use super::{RenderCache, RenderError, RenderStats, Renderer, Selection, SiteWide, Theme};
use crate::content::{Pack, Site};
use crate::output::Sink;

/// Writes each pack's pages and search fragment as the pack loads,
/// keeping its search terms for the index.
pub struct PackPages<'a> {
    theme: &'a Theme,
    sink: &'a dyn Sink,
    pack_count: usize,
    written: Mutex<Written>,
}

/// What the packs' pages left for the rest of the site.
#[derive(Default)]
struct Written {
    stats: RenderStats,
    docs: HashMap<String, Arc<SearchDoc>>,
    /// The first error: once there is one, nothing more is written.
    error: Option<RenderError>,
}

impl<'a> PackPages<'a> {
    /// For a site that publishes `pack_count` packs, which every page
    /// says.
    pub fn new(theme: &'a Theme, sink: &'a dyn Sink, pack_count: usize) -> Self {
        PackPages {
            theme,
            sink,
            pack_count,
            written: Mutex::new(Written::default()),
        }
    }

    /// Writes the pages of `pack`, against `site` as far as it is known
    /// while packs load (its configuration and attendance).
    pub fn write(&self, site: &Site, pack: &Pack) {
        if self.lock().error.is_some() {
            return;
        }
        let r = Renderer::for_pack_pages(site, self.theme, self.pack_count);
        let result = r.pack(pack, self.sink).and_then(|stats| {
            let doc = r.write_fragment(self.sink, search::pack_doc(pack))?;
            Ok((stats, doc))
        });
        let mut written = self.lock();
        match result {
            Ok((stats, doc)) => {
                written.stats.pages += stats.pages;
                written.stats.files += stats.files + 1;
                written.docs.insert(pack.slug.clone(), doc);
            }
            Err(e) => {
                written.error.get_or_insert(e);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Written> {
        self.written.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the rest of `site`, whose packs are loaded (without their
    /// text), and counts everything written.
    pub fn finish(self, site: &Site) -> Result<RenderStats, RenderError> {
        self.finish_with(site, &RenderCache::default())
    }

    /// [`PackPages::finish`], leaving in `cache` what the renders of a
    /// few packs after it reuse for the others (see [`RenderCache::new`]):
    /// each card, each search document and the site-wide files.
    pub fn finish_with(self, site: &Site, cache: &RenderCache) -> Result<RenderStats, RenderError> {
        let Written {
            mut stats,
            mut docs,
            error,
        } = self.written.into_inner().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = error {
            return Err(e);
        }
        // In catalog order, as the index numbers them.
        let docs: Vec<Arc<SearchDoc>> = site
            .packs
            .iter()
            .filter_map(|pack| docs.remove(&pack.slug))
            .collect();
        let sink = self.sink;
        let all = Selection::All;
        let mut r = Renderer::new(site, self.theme);
        r.render_cards(&all, cache)?;
        // The catalog and the search index on their own first: the index
        // then reuses what the catalog freed, and neither adds to the
        // memory the pages made in parallel hold at once.
        let catalog_written = spliced_catalog(&r, sink)?;
        let search = if cache.keep {
            kept_search(&r, sink, docs, cache)?
        } else {
            r.search_of(sink, docs)?
        };
        stats.pages += search.pages;
        stats.files += search.files;
        let results: Vec<Result<RenderStats, RenderError>> = site
            .pathways
            .par_iter()
            .map(|pw| r.pathway(pw, sink))
            .chain(site.tags.par_iter().map(|tag| r.tag(tag, sink)))
            .chain(SiteWide::ALL.into_par_iter().map(|file| match file {
                // Made on their own, before or after.
                SiteWide::Catalog => Ok(RenderStats::default()),
                SiteWide::TagIndex => r.tag_index(sink, cache),
                SiteWide::NotFound => r.not_found(sink),
                SiteWide::HoursCsv => r.hours_csv(sink, cache),
                SiteWide::Calendars => r.calendars(sink),
                SiteWide::MyLearning => r.my_learning(sink),
                SiteWide::Search => Ok(RenderStats::default()),
                SiteWide::Atom => r.atom(sink, cache),
                SiteWide::Sitemap => r.sitemap(sink, cache),
                SiteWide::Assets => r.assets(sink),
            }))
            .collect();
        for result in results {
            let s = result?;
            stats.pages += s.pages;
            stats.files += s.files;
        }
        stats.pages += if catalog_written {
            1
        } else if cache.keep {
            // Keeps the cards' template values for the next render.
            r.catalog(sink, &all, cache)?.pages
        } else {
            catalog(r, sink)?
        };
        Ok(stats)
    }
}

/// The search index, made in `cache`'s index so that the next render
/// takes every pack's document from there: the packs' text is gone, and
/// their documents, made as they loaded, are in `docs` alone.
fn kept_search(
    r: &Renderer<'_>,
    sink: &dyn Sink,
    docs: Vec<Arc<SearchDoc>>,
    cache: &RenderCache,
) -> Result<RenderStats, RenderError> {
    let written = docs.len();
    cache
        .search_index
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .update(&docs);
    drop(docs);
    // Nothing fresh: each pack's document is taken from the index, each
    // pathway's (not there yet) made.
    let none = Selection::Some {
        packs: HashSet::new(),
        pathways: HashSet::new(),
        tags: HashSet::new(),
    };
    let mut stats = r.search(sink, &none, cache)?;
    // The packs' fragments were counted with their pages.
    stats.files -= written;
    Ok(stats)
}

/// Writes the catalog with its cards spliced in, if the theme allows;
/// false if it was not written. Being cheap, this runs before the other
/// site-wide files, whose work would otherwise leave memory that the
/// catalog's page does not reuse.
fn spliced_catalog(r: &Renderer<'_>, sink: &dyn Sink) -> Result<bool, RenderError> {
    if !r.theme.card_lists.catalog {
        return Ok(false);
    }
    let mut context = r.catalog_context()?;
    let cards: Vec<&str> = r.cards.iter().map(|c| c.html.as_str()).collect();
    r.write_spliced_catalog(sink, &mut context, &cards)
}

/// Writes the catalog from its cards as template values, with nothing
/// else at the same time: they are the largest thing a build holds, so the
/// cards are moved into those values rather than copied, and the page is
/// written after everything else is made. Returns the pages written.
fn catalog(mut r: Renderer<'_>, sink: &dyn Sink) -> Result<usize, RenderError> {
    let context = r.catalog_context()?;
    let values = std::mem::take(&mut r.cards)
        .into_iter()
        .map(|mut card| {
            let html = std::mem::take(&mut card.html);
            let mut value = serde_json::to_value(&card)?;
            if let Some(fields) = value.as_object_mut() {
                fields.insert("html".into(), serde_json::Value::String(html));
            }
            Ok(value)
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(|e| RenderError::Template(super::TemplateError::data(&e)))?;
    r.write_catalog(sink, context, values)?;
    Ok(1)
}
