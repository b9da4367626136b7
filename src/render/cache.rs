//! What the dev server keeps from one render for the next.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::Context;

use super::{search, RenderError};
use crate::date::Date;

/// What one render keeps for the next, so that rendering again after a
/// change to a few packs does not redo the work for all the others. The
/// dev server holds one ([`RenderCache::new`]) for as long as it runs; a
/// build uses the default one, which keeps nothing, so that what a render
/// needs only once is freed as soon as it is done with.
#[derive(Default)]
pub struct RenderCache {
    /// Whether renders leave their work here; see [`RenderCache::new`].
    pub(super) keep: bool,
    /// The search index of the last render, with each document.
    pub(super) search_index: Mutex<search::Index>,
    /// Each pack's rendered card, by slug, as of the last render. A render
    /// takes them out and gives them back (see `Renderer::render_cards`);
    /// an empty one is rendered again.
    pub(super) cards: Mutex<HashMap<String, String, search::FastHash>>,
    /// Each pack's card as a template value, by slug, for the catalog.
    /// Making these values is most of the catalog's cost on a large site,
    /// so they are moved into its context and back out after rendering.
    pub(super) card_values: Mutex<HashMap<String, serde_json::Value>>,
    /// Site-wide files that one pack's edit seldom changes, with what
    /// they were made from.
    /// By the tags and their packs.
    pub(super) tag_index: Memo<Vec<crate::content::Tag>>,
    pub(super) atom: Memo<Context>,
    /// By the pages and dates it lists, which are much cheaper to compare
    /// than its template variables.
    pub(super) sitemap: Memo<Vec<(String, Option<Date>)>>,
    pub(super) hours: Memo<super::hours_csv::HoursCsv>,
    /// The catalog rendered over stand-ins for its cards, by what packs
    /// contribute to the rest of it.
    pub(super) catalog: Memo<CatalogKey, Arc<super::splice::Skeleton>>,
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

/// A file's contents (or what they are made from) and what they were made
/// from, so that the same input next time costs a comparison rather than a
/// template run.
pub(super) struct Memo<K, V = Arc<str>>(Mutex<Option<(K, V)>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(Mutex::new(None))
    }
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    /// What `make` made from `input` last time, if `reuse` and the input
    /// is the same; else what it makes now, kept if `cache` keeps.
    pub(super) fn get_or_make(
        &self,
        cache: &RenderCache,
        reuse: bool,
        input: K,
        make: impl FnOnce(&K) -> Result<V, RenderError>,
    ) -> Result<V, RenderError> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((made_from, made)) = slot.as_ref() {
            if reuse && *made_from == input {
                return Ok(made.clone());
            }
        }
        let made = make(&input)?;
        if cache.keep {
            *slot = Some((input, made.clone()));
        }
        Ok(made)
    }
}

impl<K, V: Clone> Memo<K, V> {
    /// What `make` made from the input as `update` brings it up to date,
    /// if `reuse` and there is one: made again only when `update` says it
    /// changed the input. Else what `make` makes from `fresh()`, kept if
    /// `cache` keeps. For inputs too large to build whole for every edit.
    pub(super) fn update_or_make(
        &self,
        cache: &RenderCache,
        reuse: bool,
        update: impl FnOnce(&mut K) -> bool,
        fresh: impl FnOnce() -> K,
        make: impl FnOnce(&K) -> Result<V, RenderError>,
    ) -> Result<V, RenderError> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((input, made)) = slot.as_mut().filter(|_| reuse) {
            if update(input) {
                *made = make(input)?;
            }
            return Ok(made.clone());
        }
        let input = fresh();
        let made = make(&input)?;
        if cache.keep {
            *slot = Some((input, made.clone()));
        }
        Ok(made)
    }
}

/// What packs contribute to the catalog but its cards: all of it that can
/// differ from one partial render to the next, since those follow edits
/// inside packs (site.yaml, the intro, pathways or templates changing make
/// a whole render, which makes the catalog anew). Compared as data: to
/// make the catalog's variables for a comparison would cost most of what
/// rendering them does.
pub(super) struct CatalogKey {
    pub(super) pack_count: usize,
    pub(super) tags: Vec<crate::content::Tag>,
    pub(super) audiences: Vec<String>,
    pub(super) levels: Vec<crate::content::Level>,
    /// Each pathway's credit and self-study time, sums over its packs.
    pub(super) pathways: Vec<(crate::credit::CreditHours, crate::credit::Duration)>,
}
