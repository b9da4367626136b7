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
//!    title, credit), the sorted vocabulary, front-coded, and for every term
//!    the documents it occurs in, delta-encoded as base-32 varints (or as a
//!    bitmap when that is shorter), in three lists by where the term occurs (title and tags; summary, goal,
//!    audience and resource titles; anywhere else). No full text, no term
//!    frequencies, no positions.
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

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;

use crate::content::{Pack, Pathway};

/// Where the index is published, from the site root.
pub const INDEX_PATH: &str = "search-index.js";

/// Format version, checked by the browser side.
const VERSION: u32 = 1;

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
    pub terms: Vec<(String, Tier)>,
    /// The document's fragment script.
    pub fragment: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Pack = 0,
    Pathway = 1,
}

/// The published path of a document's fragment, from the site root.
pub fn fragment_path(kind: DocKind, slug: &str) -> String {
    match kind {
        DocKind::Pack => format!("search/packs/{slug}.js"),
        DocKind::Pathway => format!("search/pathways/{slug}.js"),
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
        credit: Some(pack.credit.credit_label.clone()),
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
type FastHash = std::hash::BuildHasherDefault<WordHasher>;

#[derive(Default)]
struct WordHasher(u64);

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

    fn into_sorted(self) -> Vec<(String, Tier)> {
        let mut terms: Vec<(String, Tier)> = self.0.into_iter().collect();
        terms.sort_unstable();
        terms
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

/// The script that loads the index into the browser's search.
pub fn index_js<D: std::borrow::Borrow<SearchDoc>>(docs: &[D]) -> String {
    let mut slots: HashMap<&str, usize, FastHash> = HashMap::default();
    let mut postings: Vec<(&str, [Vec<u32>; 3])> = Vec::new();
    for (number, doc) in docs.iter().enumerate() {
        for (term, tier) in &doc.borrow().terms {
            let slot = *slots.entry(term.as_str()).or_insert_with(|| {
                postings.push((term.as_str(), Default::default()));
                postings.len() - 1
            });
            postings[slot].1[*tier as usize].push(number as u32);
        }
    }
    postings.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut terms = String::new();
    let mut lists = String::new();
    let mut previous = "";
    for (i, (term, by_tier)) in postings.iter().enumerate() {
        if i > 0 {
            terms.push(',');
            lists.push(',');
        }
        // At most 35 shared units, one base-36 digit; never half a character.
        let mut shared = shared_prefix_utf16(previous, term).min(35);
        let mut units = 0;
        let mut cut = 0;
        for (at, c) in term.char_indices() {
            if units + c.len_utf16() > shared {
                break;
            }
            units += c.len_utf16();
            cut = at + c.len_utf8();
        }
        shared = units;
        terms.push(char::from_digit(shared as u32, 36).unwrap_or('0'));
        terms.push_str(&term[cut..]);
        previous = term;
        // Title list first, then about, then body; trailing empty lists
        // are left out.
        let order = [Tier::Title, Tier::About, Tier::Body];
        let last = order
            .iter()
            .rposition(|t| !by_tier[*t as usize].is_empty())
            .unwrap_or(0);
        for (n, tier) in order.iter().enumerate().take(last + 1) {
            if n > 0 {
                lists.push('.');
            }
            encode_list(&by_tier[*tier as usize], &mut lists);
        }
    }

    #[derive(Serialize)]
    struct Index<'a> {
        v: u32,
        stop: &'a [&'a str],
        docs: Vec<(u8, &'a str, &'a str, Option<&'a str>)>,
        terms: String,
        post: String,
    }
    let index = Index {
        v: VERSION,
        stop: STOP_WORDS,
        docs: docs
            .iter()
            .map(|d| {
                let d = d.borrow();
                (
                    d.kind as u8,
                    d.slug.as_str(),
                    d.title.as_str(),
                    d.credit.as_deref(),
                )
            })
            .collect(),
        terms,
        post: lists,
    };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".into());
    format!("flippackSearch.index({json});\n")
}

/// The length of the common beginning of `a` and `b`, in UTF-16 code
/// units, which is how the browser's `String.slice` counts.
fn shared_prefix_utf16(a: &str, b: &str) -> usize {
    a.chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(c, _)| c.len_utf16())
        .sum()
}

/// Digits that end a number, and digits that continue it: every value is
/// written most significant group first, five bits a character.
const FINAL_DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE_DIGITS: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";

/// Marks a list written as a bitmap.
const BITMAP_MARK: char = '~';
/// Six bits a character, document 0 in the lowest bit of the first one.
const BITMAP_DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Writes ascending document numbers as gaps from the previous one, or,
/// for a term in a good share of all documents (where that is shorter),
/// as a bitmap after [`BITMAP_MARK`]: common words in real prose make up
/// about a fifth of all postings and compress far better that way.
fn encode_list(numbers: &[u32], out: &mut String) {
    let mut gaps = String::new();
    let mut previous = 0;
    for (i, &n) in numbers.iter().enumerate() {
        let gap = if i == 0 { n } else { n - previous };
        previous = n;
        encode_number(gap, &mut gaps);
    }
    let bitmap_len = numbers.last().map_or(0, |&last| last as usize / 6 + 1);
    if bitmap_len + 1 >= gaps.len() {
        out.push_str(&gaps);
        return;
    }
    let mut bits = vec![0u8; bitmap_len];
    for &n in numbers {
        bits[n as usize / 6] |= 1 << (n % 6);
    }
    out.push(BITMAP_MARK);
    out.extend(bits.iter().map(|&b| BITMAP_DIGITS[b as usize] as char));
}

fn encode_number(mut value: u32, out: &mut String) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    loop {
        groups[len] = (value & 31) as u8;
        len += 1;
        value >>= 5;
        if value == 0 {
            break;
        }
    }
    for i in (1..len).rev() {
        out.push(MORE_DIGITS[groups[i] as usize] as char);
    }
    out.push(FINAL_DIGITS[groups[0] as usize] as char);
}

/// The plain text of rendered HTML as short segments: one per block
/// (paragraph, list item, heading, table cell), long blocks cut into
/// sentences.
pub fn segments(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in blocks(html) {
        push_sentences(block, &mut out);
    }
    out
}

/// The plain text of rendered HTML on one line.
pub fn plain_text(html: &str) -> String {
    blocks(html).join(" ")
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "div",
    "td",
    "th",
    "tr",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "table",
    "hr",
    "figcaption",
    "section",
];

/// Text between block boundaries, tags removed, entities decoded and
/// white space collapsed.
fn blocks(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let text = collapse_whitespace(&decode_entities(current));
        if !text.is_empty() {
            out.push(text);
        }
        current.clear();
    };
    while let Some(lt) = rest.find('<') {
        current.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        rest = &rest[end..];
        // The tag's name, compared in place: this runs for every tag of
        // every page of the site.
        let name = tag.trim_start_matches('/');
        let name = &name[..name
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        if !tag.starts_with('/') {
            if let Some(raw) = ["script", "style"]
                .into_iter()
                .find(|r| name.eq_ignore_ascii_case(r))
            {
                let close = format!("</{raw}");
                rest = find_ascii_case_insensitive(rest, &close).map_or("", |i| &rest[i..]);
                continue;
            }
        }
        if BLOCK_TAGS.iter().any(|b| name.eq_ignore_ascii_case(b)) {
            flush(&mut current, &mut out);
        }
    }
    current.push_str(rest);
    flush(&mut current, &mut out);
    out
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Blocks longer than this are cut into sentences.
const LONG_BLOCK: usize = 200;

/// Cuts a long block after `.`, `?` or `!` when a capital letter or a
/// digit starts the next sentence; a short block is kept whole.
fn push_sentences(block: String, out: &mut Vec<String>) {
    if block.len() <= LONG_BLOCK {
        out.push(block);
        return;
    }
    let mut start = 0;
    let mut chars = block.char_indices();
    let (mut end, mut space) = (chars.next(), chars.next());
    for (at, next) in chars {
        if let (Some((_, e)), Some((space_at, ' '))) = (end, space) {
            if matches!(e, '.' | '?' | '!') && (next.is_uppercase() || next.is_ascii_digit()) {
                let sentence = block[start..space_at].trim();
                if !sentence.is_empty() {
                    out.push(sentence.to_string());
                }
                start = space_at + 1;
            }
        }
        (end, space) = (space, Some((at, next)));
    }
    let last = block[start..].trim();
    if !last.is_empty() {
        out.push(last.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser's decoder, in Rust, to check that encoding round-trips.
    fn decode_list(text: &str) -> Vec<u32> {
        if let Some(bitmap) = text.strip_prefix(BITMAP_MARK) {
            let mut out = Vec::new();
            for (i, b) in bitmap.bytes().enumerate() {
                let v = BITMAP_DIGITS.iter().position(|&d| d == b).unwrap() as u32;
                out.extend(
                    (0..6)
                        .filter(|bit| v & (1 << bit) != 0)
                        .map(|bit| i as u32 * 6 + bit),
                );
            }
            return out;
        }
        let mut out = Vec::new();
        let mut value = 0;
        let mut previous = 0;
        for b in text.bytes() {
            if let Some(d) = MORE_DIGITS.iter().position(|&m| m == b) {
                value = value * 32 + d as u32;
            } else {
                let d = FINAL_DIGITS.iter().position(|&f| f == b).unwrap() as u32;
                let n = if out.is_empty() {
                    value * 32 + d
                } else {
                    previous + value * 32 + d
                };
                out.push(n);
                previous = n;
                value = 0;
            }
        }
        out
    }

    #[test]
    fn document_lists_round_trip() {
        for list in [
            vec![0],
            vec![5, 6, 7, 40],
            vec![31, 32, 1023, 1024, 70_000, 5_000_000],
        ] {
            let mut text = String::new();
            encode_list(&list, &mut text);
            assert_eq!(decode_list(&text), list, "{text}");
        }
        let mut one = String::new();
        encode_list(&[100, 101, 102], &mut one);
        assert_eq!(one, "D411", "100 takes two characters, small gaps one each");

        // A term in most documents is a bitmap: 40 documents of the first
        // 60 fit in 10 characters instead of 40.
        let common: Vec<u32> = (0..60).filter(|n| n % 3 != 0).collect();
        let mut text = String::new();
        encode_list(&common, &mut text);
        assert!(text.starts_with(BITMAP_MARK) && text.len() == 11, "{text}");
        assert_eq!(decode_list(&text), common);
    }

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

    #[test]
    fn html_becomes_sentences_without_markup() {
        let html = "<h2 id=\"why\">Why &amp; how</h2>\n<p>First <em>point</em>.</p><ul><li>One</li><li>Two &lt;3&#39;s</li></ul><script>alert(1)</script><!-- note --><p>Tail</p>";
        assert_eq!(
            segments(html),
            ["Why & how", "First point.", "One", "Two <3's", "Tail"]
        );
        let long = format!(
            "{}. Second one here. and not here. 3 more.",
            "word ".repeat(45).trim()
        );
        let got = segments(&format!("<p>{long}</p>"));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], "Second one here. and not here.");
    }

    #[test]
    fn index_lists_each_document_under_its_best_tier() {
        let doc = |slug: &str, terms: &[(&str, Tier)]| SearchDoc {
            kind: DocKind::Pack,
            slug: slug.into(),
            title: slug.into(),
            credit: Some("1".into()),
            terms: terms
                .iter()
                .map(|(t, tier)| (t.to_string(), *tier))
                .collect(),
            fragment: String::new(),
        };
        let docs = [
            doc("a", &[("wait", Tier::Title), ("waiting", Tier::Body)]),
            doc("b", &[("wait", Tier::Body)]),
            doc("c", &[("wait", Tier::About), ("zebra", Tier::Body)]),
        ];
        let js = index_js(&docs.iter().collect::<Vec<_>>());
        let json = js
            .strip_prefix("flippackSearch.index(")
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap();
        let index: serde_json::Value = serde_json::from_str(json).unwrap();
        // "wait", then "waiting" sharing 4 characters, then "zebra".
        assert_eq!(index["terms"], "0wait,4ing,0zebra");
        // wait: title [0], about [2], body [1]; waiting: body [0]; zebra: body [2].
        assert_eq!(index["post"], "0.2.1,..0,..2");
        assert_eq!(index["docs"][2], serde_json::json!([0, "c", "c", "1"]));
    }
}
