//! Lists of cards rendered without the cards as template values.
//!
//! A catalog or tag page lists up to every pack's card. Handing tera each
//! card as a template value costs more memory than the rest of a build,
//! and most of the page's time, yet the default theme prints nothing of a
//! card but its rendered HTML. When a template provably does only that
//! (`template_use`), it runs over short stand-ins and the cards are
//! spliced into what it made.

use std::hash::{BuildHasher, Hasher};

use tera::Context;

use super::{RenderError, Renderer};

/// Which of the theme's lists of cards print nothing of a card but its
/// HTML, and so are spliced.
#[derive(Debug, Clone, Copy, Default)]
pub struct CardLists {
    /// `index.html`'s `packs`.
    pub catalog: bool,
    /// `tag.html`'s `packs`.
    pub tags: bool,
}

impl CardLists {
    pub fn of(tera: &tera::Tera) -> Self {
        let prints_only_html =
            |template| super::template_use::list_prints_only_html(tera, template, "packs");
        CardLists {
            catalog: prints_only_html("index.html"),
            tags: prints_only_html("tag.html"),
        }
    }
}

impl Renderer<'_> {
    /// `template` rendered with `context` and, as its `packs`, `cards`:
    /// the page with its root links still to fix. None if the stand-ins
    /// did not come back whole (content that happens to spell one, say).
    pub(super) fn render_spliced(
        &self,
        template: &str,
        url: &str,
        context: &mut Context,
        cards: &[&str],
    ) -> Result<Option<String>, RenderError> {
        Ok(self
            .render_skeleton(template, url, context, cards.len())?
            .splice(cards))
    }

    /// `template` rendered with `context` and, as its `packs`, `count`
    /// stand-ins for the cards to splice in.
    pub(super) fn render_skeleton(
        &self,
        template: &str,
        url: &str,
        context: &mut Context,
        count: usize,
    ) -> Result<Skeleton, RenderError> {
        // A fresh tag per skeleton, so that no content can forge it.
        let nonce = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        let tag = format!("{STAND_IN}{nonce:016x}:");
        let stand_ins: Vec<StandIn> = (0..count)
            .map(|i| StandIn {
                html: format!("{tag}{i}{STAND_IN}"),
            })
            .collect();
        context.insert("packs", &stand_ins);
        let html = self.render_context(template, url, context);
        context.remove("packs");
        Ok(Skeleton { tag, html: html? })
    }
}

/// A page rendered over stand-ins for its cards, to splice them into.
pub(super) struct Skeleton {
    /// What each stand-in starts with.
    tag: String,
    html: String,
}

impl Skeleton {
    /// The page with each stand-in replaced by its card; None if one
    /// names no card or is cut short.
    pub(super) fn splice(&self, cards: &[&str]) -> Option<String> {
        splice(&self.html, &self.tag, cards)
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
