//! The search index, built at build time and loaded by the browser as a
//! JavaScript file.
//!
//! # Why our own index rather than elasticlunr-rs
//!
//! mdBook ships elasticlunr-rs output, and that is the index the issue
//! warns about: it stores each document's full text *and* a JSON map per
//! field from every token to its term frequency, with keys repeated in every
//! entry, so large books produce indexes of tens of megabytes that a phone
//! must download and parse before the first result. Its JavaScript side
//! (elasticlunr.js) would also have to be vendored into every site.
//!
//! What teachers need is smaller: find a pack or page by words from its
//! title, summary, goal, resources, prompts or body, as they type (so by
//! prefix), ranked so that a title match comes first, with the sentence
//! that matched. That fits in two layers, the same split that Pagefind
//! makes:
//!
//! 1. [`INDEX_PATH`] (`search-index.js`), loaded on the first focus of the
//!    search box: a table of documents (packs and pathways: kind, slug,
//!    title, credit) in slug order, the catalog order of those documents
//!    (for ties between results), the sorted vocabulary, front-coded, and
//!    for every term the documents it occurs in, delta-encoded as base-32
//!    varints (or as a bitmap when that is shorter), in three lists by
//!    where the term occurs (title and tags; summary, goal, audience and
//!    resource titles; anywhere else). No full text, no term frequencies,
//!    no positions, and the patterns of the addresses the script links to
//!    and loads ([`Paths`]). See [`Index`].
//!
//!    On a large site the vocabulary with its lists, and the table of
//!    documents, come in *chunks* instead (`search/terms/N.js`, about
//!    [`CHUNK_BYTES`] each, and `search/docs/N.js`, of
//!    [`DOCS_PER_CHUNK`] documents): `search-index.js` keeps the
//!    catalog order and the first term of each chunk of terms, and a query
//!    loads the chunks its words' terms are in and those of the documents
//!    on screen. At 10,000 packs of prose the whole index is megabytes; a
//!    query loads tens of kilobytes of it. This is how Pagefind splits its
//!    index, with scripts in place of `fetch`.
//! 2. One *fragment* per document ([`fragment_path`]): its plain text as
//!    short sentences, grouped by page. The browser loads fragments only
//!    for the results on screen, to show the matching snippet and to link
//!    to the page of the pack where the words occur.
//!
//! Both are scripts (`flippackSearch.index({...})`) rather than JSON files,
//! because browsers refuse `fetch` on `file://` but load scripts from it.
//!
//! The browser side (`themes/default/static/search.js`) tokenizes queries
//! exactly as [`tokens`] does here; the stop words travel inside the index
//! so the two cannot drift apart on them.

mod index;
mod text;

use std::collections::HashMap;

use serde::Serialize;

use super::view::hours_label;
use crate::content::{Pack, Pathway};
use crate::layout;
pub use index::{Index, Scripts, CHUNK_BYTES, DOCS_PER_CHUNK};
pub use text::{plain_text, segments};

/// Where the index is published, from the site root.
pub const INDEX_PATH: &str = crate::layout::SEARCH_INDEX;

/// Format version, checked by the browser side.
const VERSION: u32 = 2;

/// Very common English words that would match nearly every document. They
/// are neither indexed nor searched for.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "but",
    "by", "can", "do", "for", "from", "had", "has", "have", "how", "if", "in", "into", "is", "it",
    "its", "not", "of", "on", "one", "or", "our", "so", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "to", "up", "was", "we", "were", "what", "when",
    "which", "who", "will", "with", "you", "your",
];

const MAX_STOP_WORD_LEN: usize = 5;

/// Where a term occurs in a document; a document is listed under a term
/// once, for the most important place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// Text, notes, prompts, pages.
    Body = 0,
    /// Summary, goal, audience, resource and page titles.
    About = 1,
    /// Title and tags.
    Title = 2,
}

/// What the index knows about one pack or pathway.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub kind: DocKind,
    pub slug: String,
    pub title: String,
    /// The credit-hours label, for packs.
    pub credit: Option<String>,
    /// Distinct terms with the best tier each, sorted by term.
    pub terms: TermList,
    /// The document's fragment script.
    pub fragment: String,
}

/// A document's distinct terms, sorted, each with its best tier, kept in
/// one string: a large site holds millions of terms until its index is
/// made, and a `String` each would cost several times their text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermList {
    text: String,
    /// Where each term ends in `text`.
    ends: Vec<u32>,
    tiers: Vec<Tier>,
}

impl TermList {
    pub fn iter(&self) -> impl Iterator<Item = (&str, Tier)> {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&e| e as usize));
        starts
            .zip(&self.ends)
            .zip(&self.tiers)
            .map(|((start, &end), &tier)| (&self.text[start..end as usize], tier))
    }
}

impl<'a> FromIterator<(&'a str, Tier)> for TermList {
    /// Takes the terms in the order given; [`SearchDoc::terms`] wants them
    /// sorted and distinct.
    fn from_iter<I: IntoIterator<Item = (&'a str, Tier)>>(terms: I) -> Self {
        let mut list = TermList::default();
        for (term, tier) in terms {
            list.text.push_str(term);
            list.ends.push(list.text.len() as u32);
            list.tiers.push(tier);
        }
        list.text.shrink_to_fit();
        list
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocKind {
    Pack = 0,
    Pathway = 1,
}

/// The published path of a document's fragment, from the site root.
pub fn fragment_path(kind: DocKind, slug: &str) -> String {
    match kind {
        DocKind::Pack => layout::pack_search_fragment(slug),
        DocKind::Pathway => layout::pathway_search_fragment(slug),
    }
}

/// The addresses the browser side links to and loads, as patterns from
/// the layout with `{slug}` and `{page}` in place of a document's slug and
/// a page's name: the script builds no address of its own, so it follows
/// the layout wherever [`layout`] puts things. By [`DocKind`] where a
/// pathway has its own.
#[derive(Serialize)]
pub(super) struct Paths {
    /// The page of a pack, then of a pathway.
    doc: [String; 2],
    /// A further page of a pack.
    page: String,
    /// The fragment of a pack, then of a pathway, as its first value
    /// names it.
    fragment: [String; 2],
    /// A chunk of terms, then of documents, with `{n}` for its number.
    chunks: [String; 2],
}

/// What stands for a slug in [`Paths`]; no slug holds braces.
const SLUG: &str = "{slug}";
/// What stands for a page's name in [`Paths`].
const PAGE: &str = "{page}";
/// What stands for a chunk's number in [`Paths`].
const NUMBER: &str = "{n}";

impl Paths {
    pub(super) fn new() -> Paths {
        Paths {
            doc: [layout::pack(SLUG), layout::pathway(SLUG)],
            page: layout::page(SLUG, PAGE),
            fragment: [
                fragment_path(DocKind::Pack, SLUG),
                fragment_path(DocKind::Pathway, SLUG),
            ],
            chunks: [
                layout::search_terms_chunk(NUMBER),
                layout::search_docs_chunk(NUMBER),
            ],
        }
    }
}

/// A page of a document in its fragment: `name` is empty for the pack or
/// pathway page itself, else the pack page's name.
#[derive(Serialize)]
struct Section<'a>(&'a str, &'a str, Vec<String>);

/// Indexes a pack: its own page and every further page.
pub fn pack_doc(pack: &Pack) -> SearchDoc {
    let mut terms = Terms::default();
    terms.add(&pack.title, Tier::Title);
    for tag in &pack.tags {
        terms.add(&tag.name, Tier::Title);
    }
    terms.add(&pack.summary, Tier::About);
    terms.add(&plain_text(&pack.goal), Tier::About);
    for audience in &pack.audience {
        terms.add(audience, Tier::About);
    }
    for r in &pack.self_study {
        terms.add(&r.title, Tier::About);
    }
    for page in &pack.pages {
        terms.add(&page.title, Tier::About);
    }

    let mut main = vec![pack.summary.clone()];
    main.extend(segments(&pack.goal));
    if let Some(problem) = &pack.problem {
        main.extend(segments(problem));
    }
    if !pack.audience.is_empty() {
        main.push(format!("For {}.", pack.audience.join(", ")));
    }
    main.extend(segments(&pack.overview));
    for r in &pack.self_study {
        main.push(r.title.clone());
        if let Some(note) = &r.note {
            main.extend(segments(note));
        }
    }
    let w = &pack.workshop;
    for item in &w.agenda {
        main.push(item.title.clone());
        if let Some(notes) = &item.notes {
            main.extend(segments(notes));
        }
    }
    for prompt in &w.prompts {
        main.extend(segments(prompt));
    }
    if let Some(notes) = &w.facilitator_notes {
        main.extend(segments(notes));
    }
    if let Some(a) = &pack.application {
        main.extend(segments(&a.task));
        for e in &a.evidence {
            main.extend(segments(e));
        }
    }
    for q in &pack.reflection {
        main.extend(segments(q));
    }

    let mut sections = vec![Section("", &pack.title, main)];
    for page in &pack.pages {
        let mut text = Vec::new();
        if let Some(d) = &page.description {
            text.push(d.clone());
        }
        text.extend(segments(&page.html));
        sections.push(Section(&page.name, &page.title, text));
    }
    for section in &sections {
        for segment in &section.2 {
            terms.add(segment, Tier::Body);
        }
    }
    SearchDoc {
        kind: DocKind::Pack,
        slug: pack.slug.clone(),
        title: pack.title.clone(),
        credit: Some(hours_label(pack.credit.credit_hours)),
        fragment: fragment_js(DocKind::Pack, &pack.slug, &sections),
        terms: terms.into_sorted(),
    }
}

/// Indexes a pathway page. `pack_titles` are the titles of its packs.
pub fn pathway_doc(pathway: &Pathway, pack_titles: &[&str]) -> SearchDoc {
    let mut terms = Terms::default();
    terms.add(&pathway.title, Tier::Title);
    if let Some(s) = &pathway.summary {
        terms.add(s, Tier::About);
    }
    for title in pack_titles {
        terms.add(title, Tier::About);
    }
    let mut main = Vec::new();
    main.extend(pathway.summary.clone());
    main.extend(segments(&pathway.html));
    main.extend(pack_titles.iter().map(|t| t.to_string()));
    for segment in &main {
        terms.add(segment, Tier::Body);
    }
    let sections = [Section("", &pathway.title, main)];
    SearchDoc {
        kind: DocKind::Pathway,
        slug: pathway.slug.clone(),
        title: pathway.title.clone(),
        credit: None,
        fragment: fragment_js(DocKind::Pathway, &pathway.slug, &sections),
        terms: terms.into_sorted(),
    }
}

fn fragment_js(kind: DocKind, slug: &str, sections: &[Section<'_>]) -> String {
    let id = fragment_path(kind, slug);
    let json = serde_json::to_string(&(id, sections)).unwrap_or_else(|_| "[]".into());
    format!("flippackSearch.fragment({json});\n")
}

/// The distinct terms of a document with the best tier of each.
#[derive(Default)]
struct Terms(HashMap<String, Tier, FastHash>);

/// A multiply-and-rotate hash (the one rustc and Firefox use) for short
/// words: several times faster than the default SipHash, which protects
/// against hostile keys that a site's own words are not.
pub(in crate::render) type FastHash = std::hash::BuildHasherDefault<WordHasher>;

#[derive(Default)]
pub(in crate::render) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Terms {
    fn add(&mut self, text: &str, tier: Tier) {
        for_each_token(text, |term| match self.0.get_mut(term) {
            Some(best) => *best = (*best).max(tier),
            None => {
                self.0.insert(term.to_string(), tier);
            }
        });
    }

    fn into_sorted(self) -> TermList {
        let mut terms: Vec<(String, Tier)> = self.0.into_iter().collect();
        terms.sort_unstable();
        terms.iter().map(|(t, tier)| (t.as_str(), *tier)).collect()
    }
}

/// The search terms of `text`: lower-cased runs of letters and digits,
/// apostrophes dropped (`don't` → `dont`), without one-letter words and
/// [`STOP_WORDS`]. The browser does exactly the same to queries.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each search term of `text` (see [`tokens`]), reusing
/// one buffer: a large site has millions of words to go through.
fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut lower = String::new();
    let mut emit = |word: &mut String| {
        if word.chars().nth(1).is_some() {
            let term = if word.is_ascii() {
                word.make_ascii_lowercase();
                word.as_str()
            } else {
                // Whole-word lower-casing, as the browser's does: a Greek
                // final sigma depends on its neighbours.
                lower = word.to_lowercase();
                lower.as_str()
            };
            // Every stop word is short; most words are not.
            if term.len() > MAX_STOP_WORD_LEN || STOP_WORDS.binary_search(&term).is_err() {
                f(term);
            }
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else if !matches!(c, '\'' | '\u{2019}' | '\u{02bc}') {
            emit(&mut word);
        }
    }
    emit(&mut word);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= MAX_STOP_WORD_LEN));
    }

    #[test]
    fn tokens_fold_case_and_drop_noise() {
        assert_eq!(
            tokens("ΟΔΟΣ 'quoted' rock’n’roll"),
            ["οδος", "quoted", "rocknroll"]
        );
        let got = tokens("Don't REPEAT the question: rephrase it, 2x! A Über-idea");
        assert_eq!(
            got,
            ["dont", "repeat", "question", "rephrase", "2x", "über", "idea"]
        );
    }
}
