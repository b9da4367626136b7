//! The catalog, the site's home page: every pack's card, the filters and
//! the pathways.
//!
//! Its cards are most of what a large site's build holds at once. When the
//! theme's template prints nothing of a card but its HTML (see
//! `template_use`), the template runs over short stand-ins and the cards
//! are spliced in after; otherwise each card becomes a template value.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};

use tera::Context;

use super::cache::RenderCache;
use super::context::*;
use super::view::{self, IntroView, PathwayView};
use super::{RenderError, RenderStats, Renderer, Selection};
use crate::content::Level;
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
        let mut context = self.catalog_context()?;
        if self.theme.catalog_prints_only_cards {
            let cards: Vec<&str> = self.cards.iter().map(|c| c.html.as_str()).collect();
            if self.write_spliced_catalog(sink, &mut context, &cards)? {
                return Ok(RenderStats { pages: 1, files: 0 });
            }
        }
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

    /// The catalog's variables but its `packs`.
    pub(super) fn catalog_context(&self) -> Result<Context, RenderError> {
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
            intro: IntroView::new(&site.intro),
            pathways: site.pathways.iter().map(PathwayView::new).collect(),
            tags: view::tags(&site.tags),
            audiences,
            levels,
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

    /// Writes the catalog of `context` with `cards` spliced into what the
    /// template made of their stand-ins. False, with nothing written, if
    /// the stand-ins did not come back whole (content that happens to
    /// spell one, say): the caller then renders the cards as values.
    pub(super) fn write_spliced_catalog(
        &self,
        sink: &dyn Sink,
        context: &mut Context,
        cards: &[&str],
    ) -> Result<bool, RenderError> {
        // A fresh tag per render, so that no content can forge it.
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let tag = format!("{STAND_IN}{nonce:016x}:");
        let stand_ins: Vec<StandIn> = (0..cards.len())
            .map(|i| StandIn {
                html: format!("{tag}{i}{STAND_IN}"),
            })
            .collect();
        context.insert("packs", &stand_ins);
        let skeleton = self.render_context("index.html", "index.html", context);
        context.remove("packs");
        let Some(html) = splice(&skeleton?, &tag, cards) else {
            return Ok(false);
        };
        let html = fix_root_links_in(html, &root_prefix("index.html"));
        sink.write("index.html", html.as_bytes())?;
        Ok(true)
    }
}

/// Opens and closes a card's stand-in: a control character, which no
/// escaping changes and no Markdown produces.
const STAND_IN: char = '\u{1}';

/// What the template gets for a card when it prints only its HTML.
#[derive(serde::Serialize)]
struct StandIn {
    html: String,
}

/// `skeleton` with each stand-in `{tag}{i}\u{1}` replaced by `cards[i]`;
/// None if one names no card or is cut short.
fn splice(skeleton: &str, tag: &str, cards: &[&str]) -> Option<String> {
    let finder = memchr::memmem::Finder::new(tag.as_bytes());
    let mut pieces: Vec<(&str, &str)> = Vec::with_capacity(cards.len());
    let mut len = 0;
    let mut read = 0;
    while let Some(at) = finder.find(&skeleton.as_bytes()[read..]).map(|i| i + read) {
        let number = &skeleton[at + tag.len()..];
        let end = number.find(STAND_IN)?;
        let card = cards.get(number[..end].parse::<usize>().ok()?)?;
        pieces.push((&skeleton[read..at], card));
        len += at - read + card.len();
        read = at + tag.len() + end + STAND_IN.len_utf8();
    }
    let mut html = String::with_capacity(len + skeleton.len() - read);
    for (before, card) in pieces {
        html.push_str(before);
        html.push_str(card);
    }
    html.push_str(&skeleton[read..]);
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_are_replaced_by_their_cards_in_the_order_printed() {
        let tag = "\u{1}ab:";
        let skeleton = "<p>2</p>\u{1}ab:1\u{1}<hr>\u{1}ab:0\u{1}!";
        assert_eq!(
            splice(skeleton, tag, &["<a>", "<b>"]).as_deref(),
            Some("<p>2</p><b><hr><a>!")
        );
        assert_eq!(splice("none", tag, &["<a>"]).as_deref(), Some("none"));
    }

    #[test]
    fn a_stand_in_that_names_no_card_fails_the_splice() {
        let tag = "\u{1}ab:";
        for skeleton in ["\u{1}ab:2\u{1}", "\u{1}ab:x\u{1}", "\u{1}ab:0"] {
            assert_eq!(splice(skeleton, tag, &["<a>", "<b>"]), None, "{skeleton:?}");
        }
    }
}
