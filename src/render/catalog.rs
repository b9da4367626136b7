//! The catalog, the site's home page: every pack's card, the filters and
//! the pathways.
//!
//! Its cards are most of what a large site's build holds at once: they are
//! spliced in when the theme allows (see `splice`), and otherwise moved
//! into template values, or taken from those the dev server kept.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use tera::Context;

use super::cache::RenderCache;
use super::context::*;
use super::search::FastHash;
use super::splice::Skeleton;
use super::view::{self, IntroView, PathwayView};
use super::{RenderError, RenderStats, Renderer, Selection};
use crate::content::{Level, Tag};
use crate::credit::{CreditHours, Duration};
use crate::links::{fix_root_links_in, root_prefix};
use crate::output::Sink;

impl Renderer<'_> {
    /// The catalog: the home page. The cards of the packs `fresh` names
    /// are made into template values anew, the others taken from `cache`.
    pub(super) fn catalog(
        &self,
        sink: &dyn Sink,
        fresh: &Selection,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        if self.theme.card_lists.catalog {
            let cards: Vec<&str> = self.cards.iter().map(|c| c.html.as_str()).collect();
            let html = if cache.keep {
                self.kept_skeleton(cache)?.splice(&cards)
            } else {
                let mut context = self.catalog_context()?;
                self.render_spliced("index.html", "index.html", &mut context, &cards)?
            };
            if let Some(html) = html {
                let html = fix_root_links_in(html, &root_prefix("index.html"));
                sink.write("index.html", html.as_bytes())?;
                return Ok(RenderStats { pages: 1, files: 0 });
            }
        }
        let context = self.catalog_context()?;
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
            .map_err(|e| RenderError::Template(super::TemplateError::data(&e)))?;
        let packs = self.write_catalog(sink, context, packs)?;
        if cache.keep {
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

    /// The catalog rendered over stand-ins, as the dev server kept it
    /// when a partial render finds the same [`CatalogKey`]; made anew
    /// otherwise.
    fn kept_skeleton(&self, cache: &RenderCache) -> Result<Arc<Skeleton>, RenderError> {
        let inputs = self.catalog_inputs();
        let update = |key: &mut CatalogKey| {
            let same = inputs.is(key);
            if !same {
                *key = inputs.key();
            }
            !same
        };
        cache.catalog.update_or_make(
            cache,
            self.partial,
            update,
            || inputs.key(),
            |_| {
                let mut context = self.catalog_context_of(&inputs)?;
                let skeleton = self.render_skeleton(
                    "index.html",
                    "index.html",
                    &mut context,
                    self.cards.len(),
                )?;
                Ok(Arc::new(skeleton))
            },
        )
    }

    /// What the packs contribute to the catalog's variables.
    fn catalog_inputs(&self) -> CatalogInputs<'_> {
        let site = self.site;
        // Each audience once, whatever its case, spelt as the first pack
        // in the catalog spells it.
        let mut by_lowercase: BTreeMap<String, &str> = BTreeMap::new();
        // A spelling met before has its entry already: most packs spell
        // theirs as others do, and a lookup costs less than lowercasing.
        let mut seen: HashSet<&str, FastHash> = HashSet::default();
        for audience in site.packs.iter().flat_map(|p| &p.audience) {
            if seen.insert(audience) {
                by_lowercase
                    .entry(audience.to_lowercase())
                    .or_insert(audience);
            }
        }
        let audiences: Vec<&str> = by_lowercase.into_values().collect();
        let mut levels: Vec<Level> = site.packs.iter().filter_map(|p| p.level).collect();
        levels.sort_unstable();
        levels.dedup();
        CatalogInputs {
            pack_count: self.info.pack_count,
            tags: &site.tags,
            audiences,
            levels,
            pathways: site
                .pathways
                .iter()
                .map(|p| (p.credit, p.self_study))
                .collect(),
        }
    }

    /// The catalog's variables but its `packs`.
    pub(super) fn catalog_context(&self) -> Result<Context, RenderError> {
        self.catalog_context_of(&self.catalog_inputs())
    }

    fn catalog_context_of(&self, inputs: &CatalogInputs<'_>) -> Result<Context, RenderError> {
        let site = self.site;
        let title = site.intro.title.as_deref().unwrap_or(&site.config.title);
        let description = site
            .intro
            .description
            .as_deref()
            .unwrap_or(&site.config.description);
        let data = IndexData {
            intro: IntroView::new(&site.intro),
            pathways: site.pathways.iter().map(PathwayView::new).collect(),
            tags: view::tags(inputs.tags),
            audiences: inputs.audiences.clone(),
            levels: inputs.levels.clone(),
        };
        self.context("index.html", title, description, data)
    }

    /// Writes the catalog of `context` with `packs`, the cards as
    /// template values, and gives the values back.
    pub(super) fn write_catalog(
        &self,
        sink: &dyn Sink,
        mut context: Context,
        packs: Vec<serde_json::Value>,
    ) -> Result<Vec<serde_json::Value>, RenderError> {
        // Moved, not copied: `json!` and `Context::insert` would copy.
        let mut variables = serde_json::Map::new();
        variables.insert("packs".into(), serde_json::Value::Array(packs));
        context.extend(
            Context::from_value(serde_json::Value::Object(variables))
                .map_err(|e| RenderError::Template(super::TemplateError::from_tera(&e)))?,
        );
        let html = self.render_context("index.html", "index.html", &context)?;
        let html = fix_root_links_in(html, &root_prefix("index.html"));
        sink.write("index.html", html.as_bytes())?;
        match context.remove("packs") {
            Some(serde_json::Value::Array(packs)) => Ok(packs),
            _ => Ok(Vec::new()),
        }
    }

    /// Writes the catalog of `context` with `cards` spliced in (see
    /// [`Renderer::render_spliced`]). False, with nothing written, if the
    /// splice failed: the caller then renders the cards as values.
    pub(super) fn write_spliced_catalog(
        &self,
        sink: &dyn Sink,
        context: &mut Context,
        cards: &[&str],
    ) -> Result<bool, RenderError> {
        let Some(html) = self.render_spliced("index.html", "index.html", context, cards)? else {
            return Ok(false);
        };
        let html = fix_root_links_in(html, &root_prefix("index.html"));
        sink.write("index.html", html.as_bytes())?;
        Ok(true)
    }
}

/// What packs contribute to the catalog but its cards: all of it that can
/// differ from one partial render to the next, since those follow edits
/// inside packs (site.yaml, the intro, pathways or templates changing make
/// a whole render, which makes the catalog anew). Compared as data: to
/// make the catalog's variables for a comparison would cost most of what
/// rendering them does.
pub(super) struct CatalogKey {
    pack_count: usize,
    tags: Vec<Tag>,
    audiences: Vec<String>,
    levels: Vec<Level>,
    /// Each pathway's credit and self-study time, sums over its packs.
    pathways: Vec<(CreditHours, Duration)>,
}

/// A [`CatalogKey`] as the site holds it.
struct CatalogInputs<'a> {
    pack_count: usize,
    tags: &'a [Tag],
    audiences: Vec<&'a str>,
    levels: Vec<Level>,
    pathways: Vec<(CreditHours, Duration)>,
}

impl CatalogInputs<'_> {
    fn is(&self, key: &CatalogKey) -> bool {
        self.pack_count == key.pack_count
            && self.levels == key.levels
            && self.pathways == key.pathways
            && self.audiences.len() == key.audiences.len()
            && self
                .audiences
                .iter()
                .zip(&key.audiences)
                .all(|(a, b)| a == b)
            && same_tags(self.tags, &key.tags)
    }

    fn key(&self) -> CatalogKey {
        CatalogKey {
            pack_count: self.pack_count,
            tags: self.tags.to_vec(),
            audiences: self.audiences.iter().map(|a| a.to_string()).collect(),
            levels: self.levels.clone(),
            pathways: self.pathways.clone(),
        }
    }
}

/// Whether two lists of tags are the same, packs and all.
pub(super) fn same_tags(a: &[Tag], b: &[Tag]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(a, b)| {
            a.name == b.name && a.slug == b.slug && a.url == b.url && a.packs == b.packs
        })
}
