//! The catalog, the site's home page: every pack's card, the filters and
//! the pathways.
//!
//! Its cards are most of what a large site's build holds at once: they are
//! spliced in when the theme allows (see `splice`), and otherwise moved
//! into template values, or taken from those the dev server kept.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use tera::Context;

use super::cache::{CatalogKey, RenderCache};
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::content::{load_site, LoadOptions, Site};
    use crate::output::MemorySink;
    use crate::render::{render_selection, render_site, RenderCache, Selection, Theme};

    fn demo() -> (Site, Theme) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = load_site(root, LoadOptions::default())
            .expect("the demo site loads")
            .site;
        let theme = Theme::load(root, &site.config.theme).expect("the demo theme loads");
        (site, theme)
    }

    fn catalog_of(sink: MemorySink) -> String {
        file_of(sink, "index.html")
    }

    fn file_of(sink: MemorySink, path: &str) -> String {
        match sink.into_files().remove(path) {
            Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            _ => panic!("{path} not written"),
        }
    }

    /// The catalog of a partial render after an edit of the first
    /// `edited` packs.
    fn partial(site: &Site, theme: &Theme, cache: &RenderCache, edited: usize) -> String {
        let selection = Selection::Some {
            packs: site.packs[..edited]
                .iter()
                .map(|p| p.slug.clone())
                .collect(),
            pathways: Default::default(),
            tags: Default::default(),
        };
        let sink = MemorySink::default();
        render_selection(site, theme, &sink, &selection, cache).expect("a partial render");
        catalog_of(sink)
    }

    fn whole(site: &Site, theme: &Theme) -> String {
        let sink = MemorySink::default();
        render_site(site, theme, &sink).expect("a whole render");
        catalog_of(sink)
    }

    #[test]
    fn a_partial_render_makes_the_catalog_again_when_what_packs_add_to_it_changes() {
        let (mut site, theme) = demo();
        assert!(
            theme.card_lists.catalog,
            "the default theme's cards are spliced"
        );
        let cache = RenderCache::new();
        render_selection(
            &site,
            &theme,
            &MemorySink::default(),
            &Selection::All,
            &cache,
        )
        .expect("a whole render");
        let first = partial(&site, &theme, &cache, 1);
        assert!(
            first == whole(&site, &theme),
            "not what a whole render makes"
        );

        site.packs[0].title = "A title no catalog had".into();
        let retitled = partial(&site, &theme, &cache, 1);
        assert!(retitled.contains("A title no catalog had"));
        assert!(
            retitled == whole(&site, &theme),
            "not what a whole render makes"
        );

        site.packs[0].audience.push("Night-shift librarians".into());
        let audience = partial(&site, &theme, &cache, 1);
        assert!(audience != retitled);
        assert!(audience.contains("Night-shift librarians"));
        assert!(
            audience == whole(&site, &theme),
            "not what a whole render makes"
        );

        for pack in &mut site.packs {
            pack.level = None;
        }
        let levels = partial(&site, &theme, &cache, site.packs.len());
        assert!(levels != audience);
        assert!(
            levels == whole(&site, &theme),
            "not what a whole render makes"
        );

        site.tags[0].name = "A renamed tag".into();
        let tags = partial(&site, &theme, &cache, 1);
        assert!(tags.contains("A renamed tag"));
        assert!(
            tags == whole(&site, &theme),
            "not what a whole render makes"
        );

        let slug = site.packs[0].slug.clone();
        site.tags[1].packs.retain(|s| *s != slug);
        site.tags[1].packs.insert(0, slug);
        assert!(
            partial(&site, &theme, &cache, 1) == whole(&site, &theme),
            "not what a whole render makes"
        );

        if let Some(pathway) = site.pathways.first_mut() {
            pathway.credit = crate::credit::CreditHours::default();
            assert!(
                partial(&site, &theme, &cache, 1) == whole(&site, &theme),
                "not what a whole render makes"
            );
        }
    }

    #[test]
    fn a_partial_render_makes_the_tag_list_again_when_the_tags_change() {
        let (mut site, theme) = demo();
        let cache = RenderCache::new();
        let tag_list = |site: &Site, selection: &Selection, cache: &RenderCache| {
            let sink = MemorySink::default();
            render_selection(site, &theme, &sink, selection, cache).expect("a render");
            file_of(sink, "tags/index.html")
        };
        let edit = Selection::Some {
            packs: [site.packs[0].slug.clone()].into_iter().collect(),
            pathways: Default::default(),
            tags: Default::default(),
        };
        let first = tag_list(&site, &Selection::All, &cache);
        assert!(tag_list(&site, &edit, &cache) == first);

        site.tags[0].name = "A renamed tag".into();
        let renamed = tag_list(&site, &edit, &cache);
        assert!(renamed.contains("A renamed tag"));
        assert!(renamed == tag_list(&site, &Selection::All, &RenderCache::default()));

        site.tags[0].packs.pop();
        let fewer = tag_list(&site, &edit, &cache);
        assert!(fewer != renamed);
        assert!(fewer == tag_list(&site, &Selection::All, &RenderCache::default()));
    }
}
