//! The inverted index: for every term, the documents it occurs in, by
//! tier, and the script that hands it to the browser.
//!
//! [`Index`] outlives a render in the dev server, so that saving one pack
//! re-indexes that pack's terms rather than every term of the site: on
//! 1,000 packs a whole index takes tens of milliseconds, an update a few.
//!
//! Documents are numbered in (kind, slug) order, which editing a title
//! does not change; the order results take on equal scores, the catalog's
//! (weight, then title), travels beside it as `order`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::{DocKind, FastHash, SearchDoc, Tier, STOP_WORDS, VERSION};
use crate::layout;

/// Where each term occurs, kept up to date as documents change.
#[derive(Default)]
pub struct Index {
    /// Documents by number.
    docs: Vec<Arc<SearchDoc>>,
    /// Document numbers in the order the documents were given.
    order: Vec<u32>,
    terms: BTreeMap<String, Postings>,
}

/// One term's documents.
#[derive(Default)]
struct Postings {
    /// Ascending document numbers, by [`Tier`].
    by_tier: [Vec<u32>; 3],
    /// The lists as written into the index, made again only when they
    /// change.
    encoded: String,
}

impl Postings {
    fn encode(&mut self) {
        self.encoded.clear();
        // Title list first, then about, then body; trailing empty lists
        // are left out.
        let order = [Tier::Title, Tier::About, Tier::Body];
        let last = order
            .iter()
            .rposition(|t| !self.by_tier[*t as usize].is_empty())
            .unwrap_or(0);
        for (n, tier) in order.iter().enumerate().take(last + 1) {
            if n > 0 {
                self.encoded.push('.');
            }
            encode_list(&self.by_tier[*tier as usize], &mut self.encoded);
        }
    }

    fn is_empty(&self) -> bool {
        self.by_tier.iter().all(Vec::is_empty)
    }
}

impl Index {
    /// Indexes `docs`, given in the order that ranks them on equal
    /// scores. Documents that are the same as in the last call (the same
    /// `Arc`, or the same terms) cost nothing; a document added or removed
    /// indexes everything again.
    pub fn update(&mut self, docs: &[Arc<SearchDoc>]) {
        if let Some(numbered) = self.numbered_as_before(docs) {
            self.reindex_changed(&numbered);
            self.docs = numbered;
            return;
        }
        let mut numbered: Vec<(usize, &Arc<SearchDoc>)> = docs.iter().enumerate().collect();
        numbered.sort_by(|(_, a), (_, b)| (a.kind, &a.slug).cmp(&(b.kind, &b.slug)));
        self.order = vec![0; docs.len()];
        for (number, (given, _)) in numbered.iter().enumerate() {
            self.order[*given] = number as u32;
        }
        let numbered: Vec<Arc<SearchDoc>> = numbered.into_iter().map(|(_, d)| d.clone()).collect();
        let same_documents = numbered.len() == self.docs.len()
            && numbered
                .iter()
                .zip(&self.docs)
                .all(|(new, old)| new.kind == old.kind && new.slug == old.slug);
        if same_documents {
            self.reindex_changed(&numbered);
        } else {
            self.reindex_all(&numbered);
        }
        self.docs = numbered;
    }

    /// `docs` in number order, if they are the documents of the last
    /// update given in the same order: the numbers and `order` then stand,
    /// and sorting the documents again is not needed.
    fn numbered_as_before(&self, docs: &[Arc<SearchDoc>]) -> Option<Vec<Arc<SearchDoc>>> {
        if docs.len() != self.order.len() || docs.len() != self.docs.len() {
            return None;
        }
        let mut numbered: Vec<Option<Arc<SearchDoc>>> = vec![None; docs.len()];
        for (doc, &number) in docs.iter().zip(&self.order) {
            let old = &self.docs[number as usize];
            if old.kind != doc.kind || old.slug != doc.slug {
                return None;
            }
            numbered[number as usize] = Some(doc.clone());
        }
        numbered.into_iter().collect()
    }

    /// The document of this kind and slug, as of the last update, where
    /// it was the `given`th document given then: a lookup by position,
    /// and by slug only if the documents moved since.
    pub fn get_given(&self, given: usize, kind: DocKind, slug: &str) -> Option<&Arc<SearchDoc>> {
        let at = *self.order.get(given)? as usize;
        match self.docs.get(at) {
            Some(doc) if doc.kind == kind && doc.slug == slug => Some(doc),
            _ => self.get(kind, slug),
        }
    }

    /// The document of this kind and slug, as of the last update.
    pub fn get(&self, kind: DocKind, slug: &str) -> Option<&Arc<SearchDoc>> {
        self.docs
            .binary_search_by(|d| (d.kind, d.slug.as_str()).cmp(&(kind, slug)))
            .ok()
            .map(|at| &self.docs[at])
    }

    fn reindex_all(&mut self, docs: &[Arc<SearchDoc>]) {
        let mut slots: HashMap<&str, usize, FastHash> = HashMap::default();
        let mut postings: Vec<(&str, Postings)> = Vec::new();
        for (number, doc) in docs.iter().enumerate() {
            for (term, tier) in doc.terms.iter() {
                let slot = *slots.entry(term).or_insert_with(|| {
                    postings.push((term, Postings::default()));
                    postings.len() - 1
                });
                postings[slot].1.by_tier[tier as usize].push(number as u32);
            }
        }
        postings.par_iter_mut().for_each(|(_, p)| p.encode());
        self.terms = postings
            .into_iter()
            .map(|(term, p)| (term.to_string(), p))
            .collect();
    }

    /// Moves the documents whose terms changed from their old terms to
    /// their new ones; `docs` are numbered as `self.docs` are.
    fn reindex_changed(&mut self, docs: &[Arc<SearchDoc>]) {
        let mut touched: Vec<&str> = Vec::new();
        for (number, (old, new)) in self.docs.iter().zip(docs).enumerate() {
            if Arc::ptr_eq(old, new) || old.terms == new.terms {
                continue;
            }
            let number = number as u32;
            // Both lists are sorted: a term in both at the same tier stays
            // where it is, and only the others move.
            let mut olds = old.terms.iter().peekable();
            let mut news = new.terms.iter().peekable();
            loop {
                let (gone, added) = match (olds.peek(), news.peek()) {
                    (None, None) => break,
                    (Some(&o), Some(&n)) if o.0 == n.0 => {
                        olds.next();
                        news.next();
                        if o.1 == n.1 {
                            continue;
                        }
                        (Some(o), Some(n))
                    }
                    (Some(&o), Some(&n)) if o.0 < n.0 => {
                        olds.next();
                        (Some(o), None)
                    }
                    (Some(&o), None) => {
                        olds.next();
                        (Some(o), None)
                    }
                    (_, Some(&n)) => {
                        news.next();
                        (None, Some(n))
                    }
                };
                if let Some((term, tier)) = gone {
                    if let Some(p) = self.terms.get_mut(term) {
                        let list = &mut p.by_tier[tier as usize];
                        if let Ok(at) = list.binary_search(&number) {
                            list.remove(at);
                        }
                    }
                    touched.push(term);
                }
                if let Some((term, tier)) = added {
                    let list =
                        &mut self.terms.entry(term.to_string()).or_default().by_tier[tier as usize];
                    if let Err(at) = list.binary_search(&number) {
                        list.insert(at, number);
                    }
                    touched.push(term);
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        for term in touched {
            let Some(p) = self.terms.get_mut(term) else {
                continue;
            };
            if p.is_empty() {
                self.terms.remove(term);
            } else {
                p.encode();
            }
        }
    }

    /// The scripts that load the index into the browser's search, at
    /// the sizes the site is published with.
    pub fn scripts(&self) -> Scripts {
        self.scripts_sized(CHUNK_BYTES, DOCS_PER_CHUNK)
    }

    /// The scripts of the index: the root script, and, unless the whole
    /// index fits in it, chunks of terms of about `chunk_bytes` each and
    /// chunks of `docs_per_chunk` documents.
    ///
    /// A query needs the terms its words are a prefix of and the
    /// documents of its first results, a few chunks of each: the browser
    /// loads those and nothing else (see [`super`]).
    pub fn scripts_sized(&self, chunk_bytes: usize, docs_per_chunk: usize) -> Scripts {
        let chunks = self.term_chunks(chunk_bytes);
        let docs_per_chunk = docs_per_chunk.max(1);
        let mut order = String::new();
        for &number in &self.order {
            encode_number(number, &mut order);
        }
        let docs: Vec<Doc<'_>> = self
            .docs
            .iter()
            .map(|d| {
                (
                    d.kind as u8,
                    d.slug.as_str(),
                    d.title.as_str(),
                    d.credit.as_deref(),
                )
            })
            .collect();
        let inline_terms = chunks.len() == 1;
        let inline_docs = docs.len() <= docs_per_chunk;

        #[derive(Serialize)]
        struct Root<'a> {
            v: u32,
            stop: &'a [&'a str],
            /// How many documents there are, and how many a chunk holds.
            count: usize,
            per: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            docs: Option<&'a [Doc<'a>]>,
            order: String,
            /// The first term of each chunk of terms.
            chunks: Vec<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            terms: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            post: Option<&'a str>,
            paths: super::Paths,
        }
        let root = Root {
            v: VERSION,
            stop: STOP_WORDS,
            count: docs.len(),
            per: docs_per_chunk,
            docs: inline_docs.then_some(&docs[..]),
            order,
            chunks: chunks.iter().map(|c| c.first).collect(),
            terms: inline_terms.then(|| chunks[0].terms.as_str()),
            post: inline_terms.then(|| chunks[0].post.as_str()),
            paths: super::Paths::new(),
        };
        let mut scripts = Scripts {
            root: call("index", &root),
            chunks: Vec::new(),
        };
        if !inline_terms {
            for (n, chunk) in chunks.iter().enumerate() {
                #[derive(Serialize)]
                struct Terms<'a> {
                    n: usize,
                    terms: &'a str,
                    post: &'a str,
                }
                let text = call(
                    "terms",
                    &Terms {
                        n,
                        terms: &chunk.terms,
                        post: &chunk.post,
                    },
                );
                scripts
                    .chunks
                    .push((layout::search_terms_chunk(&n.to_string()), text));
            }
        }
        if !inline_docs {
            for (n, part) in docs.chunks(docs_per_chunk).enumerate() {
                #[derive(Serialize)]
                struct Docs<'a> {
                    n: usize,
                    docs: &'a [Doc<'a>],
                }
                let text = call("docs", &Docs { n, docs: part });
                scripts
                    .chunks
                    .push((layout::search_docs_chunk(&n.to_string()), text));
            }
        }
        scripts
    }

    /// The vocabulary in runs of about `chunk_bytes` of terms and lists,
    /// each front-coded from its own first term, so that a chunk reads
    /// without the ones before it. At least one, empty for no terms.
    fn term_chunks(&self, chunk_bytes: usize) -> Vec<TermChunk<'_>> {
        let mut chunks: Vec<TermChunk<'_>> = Vec::new();
        let mut current: Option<TermChunk<'_>> = None;
        let mut previous = "";
        for (term, postings) in &self.terms {
            let full = current
                .as_ref()
                .is_some_and(|c| c.terms.len() + c.post.len() >= chunk_bytes);
            if full {
                chunks.extend(current.take());
            }
            let chunk = match &mut current {
                Some(chunk) => {
                    chunk.terms.push(',');
                    chunk.post.push(',');
                    chunk
                }
                None => {
                    previous = "";
                    current.insert(TermChunk {
                        first: term,
                        terms: String::new(),
                        post: String::new(),
                    })
                }
            };
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
            chunk
                .terms
                .push(char::from_digit(shared as u32, 36).unwrap_or('0'));
            chunk.terms.push_str(&term[cut..]);
            previous = term;
            chunk.post.push_str(&postings.encoded);
        }
        chunks.extend(current);
        if chunks.is_empty() {
            chunks.push(TermChunk {
                first: "",
                terms: String::new(),
                post: String::new(),
            });
        }
        chunks
    }
}

/// The scripts of an index: [`INDEX_PATH`](super::INDEX_PATH) and the
/// chunks it names, as (path, text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripts {
    pub root: String,
    pub chunks: Vec<(String, String)>,
}

/// About how many bytes of terms and document lists a chunk of terms
/// holds. A query loads the chunk where each of its words would be and,
/// for a short prefix of many words, the next few: small enough that a
/// query at 10,000 packs loads tens of kilobytes, large enough that a
/// site of that size has hundreds of files of them, not thousands.
pub const CHUNK_BYTES: usize = 16 * 1024;

/// How many documents a chunk of the table of documents holds: the ten
/// results on screen need at most ten chunks of about 3 kB.
pub const DOCS_PER_CHUNK: usize = 32;

/// A document as the browser sees it: kind, slug, title, credit label.
type Doc<'a> = (u8, &'a str, &'a str, Option<&'a str>);

/// A run of the vocabulary: its first term, the terms front-coded, and
/// each term's lists, comma-separated.
struct TermChunk<'a> {
    first: &'a str,
    terms: String,
    post: String,
}

/// `flippackSearch.name(value);`: a script, not JSON, because browsers
/// refuse `fetch` on `file://` but load scripts from it.
fn call(name: &str, value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    format!("flippackSearch.{name}({json});\n")
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

    fn doc(slug: &str, terms: &[(&str, Tier)]) -> Arc<SearchDoc> {
        Arc::new(SearchDoc {
            kind: DocKind::Pack,
            slug: slug.into(),
            title: slug.into(),
            credit: Some("1".into()),
            terms: terms.iter().copied().collect(),
            fragment: String::new(),
        })
    }

    fn script(index: &Index) -> serde_json::Value {
        let js = index.scripts().root;
        let json = js
            .strip_prefix("flippackSearch.index(")
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap();
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn index_lists_each_document_under_its_best_tier() {
        let mut index = Index::default();
        // Given in catalog order: c, a, b.
        index.update(&[
            doc("c", &[("wait", Tier::About), ("zebra", Tier::Body)]),
            doc("a", &[("wait", Tier::Title), ("waiting", Tier::Body)]),
            doc("b", &[("wait", Tier::Body)]),
        ]);
        let index = script(&index);
        // "wait", then "waiting" sharing 4 characters, then "zebra".
        assert_eq!(index["terms"], "0wait,4ing,0zebra");
        // Numbered by slug. wait: title [0], about [2], body [1];
        // waiting: body [0]; zebra: body [2].
        assert_eq!(index["post"], "0.2.1,..0,..2");
        assert_eq!(index["docs"][2], serde_json::json!([0, "c", "c", "1"]));
        // The catalog order, by number: c (2), a (0), b (1).
        assert_eq!(index["order"], "201");
    }

    /// The browser's reading of front-coded terms.
    fn decode_terms(text: &str) -> Vec<String> {
        let mut previous: Vec<u16> = Vec::new();
        let mut out = Vec::new();
        for coded in text.split(',').filter(|c| !c.is_empty()) {
            let mut chars = coded.chars();
            let shared = chars.next().and_then(|c| c.to_digit(36)).unwrap() as usize;
            previous.truncate(shared);
            previous.extend(chars.as_str().encode_utf16());
            out.push(String::from_utf16(&previous).unwrap());
        }
        out
    }

    fn call_value(text: &str, name: &str) -> serde_json::Value {
        let json = text
            .strip_prefix(&format!("flippackSearch.{name}("))
            .and_then(|s| s.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("a call to {name}: {text}"));
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_large_index_comes_in_chunks_that_add_up_to_the_whole() {
        let words: Vec<String> = (0..300).map(|n| format!("w{n:03}ë")).collect();
        let docs: Vec<Arc<SearchDoc>> = (0..10)
            .map(|d| {
                let terms: Vec<(&str, Tier)> = words
                    .iter()
                    .enumerate()
                    .filter(|(w, _)| (w + d) % 3 == 0)
                    .map(|(_, w)| (w.as_str(), Tier::Body))
                    .collect();
                doc(&format!("d{d}"), &terms)
            })
            .collect();
        let mut index = Index::default();
        index.update(&docs);
        let whole = script(&index);
        let scripts = index.scripts_sized(200, 4);
        let root = call_value(&scripts.root, "index");
        assert!(root.get("terms").is_none() && root.get("docs").is_none());
        assert_eq!(root["count"], 10);
        let firsts: Vec<&str> = root["chunks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert!(firsts.len() > 10, "{} chunks", firsts.len());

        let mut terms = Vec::new();
        let mut post = Vec::new();
        let mut table = Vec::new();
        for (path, text) in &scripts.chunks {
            if let Some(n) = path
                .strip_prefix("search/terms/")
                .and_then(|p| p.strip_suffix(".js"))
            {
                let chunk = call_value(text, "terms");
                let n: usize = n.parse().unwrap();
                assert_eq!(chunk["n"], n);
                let decoded = decode_terms(chunk["terms"].as_str().unwrap());
                assert_eq!(decoded[0], firsts[n], "chunk {n} starts at its first term");
                terms.extend(decoded);
                post.push(chunk["post"].as_str().unwrap().to_string());
            } else {
                let chunk = call_value(text, "docs");
                assert!(path.starts_with("search/docs/"), "{path}");
                table.extend(chunk["docs"].as_array().unwrap().clone());
            }
        }
        let mut sorted = words.clone();
        sorted.sort();
        assert_eq!(terms, sorted, "every term once, in order");
        assert_eq!(post.join(","), whole["post"].as_str().unwrap());
        assert_eq!(&table[..], whole["docs"].as_array().unwrap().as_slice());
    }

    #[test]
    fn an_updated_index_is_the_index_made_afresh() {
        let words = ["apple", "apricot", "bee", "beet", "cow", "dog", "ewe"];
        let tiers = [Tier::Body, Tier::About, Tier::Title];
        // A deterministic stream of small edits: each round gives every
        // document a new set of terms, or keeps it, and may change the order.
        let mut seed = 7u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as usize
        };
        let slugs = ["a", "b", "c", "d", "e", "f"];
        let mut kept = Index::default();
        let mut by_slug: Vec<Arc<SearchDoc>> = Vec::new();
        for round in 0..40 {
            by_slug = slugs
                .iter()
                .enumerate()
                .map(|(i, slug)| {
                    if round > 0 && next() % 3 != 0 {
                        return by_slug[i].clone();
                    }
                    let mut terms: Vec<(&str, Tier)> = Vec::new();
                    for word in words {
                        let pick = next();
                        if pick % 2 == 0 {
                            terms.push((word, tiers[pick / 2 % 3]));
                        }
                    }
                    terms.sort_unstable();
                    doc(slug, &terms)
                })
                .collect();
            let mut docs = by_slug.clone();
            // Most rounds in the order of the last, as a dev server's edits
            // mostly are.
            let turn = if round % 3 == 0 {
                next() % docs.len()
            } else {
                0
            };
            docs.rotate_left(turn);
            kept.update(&docs);
            let mut fresh = Index::default();
            fresh.update(&docs);
            assert_eq!(
                kept.scripts_sized(20, 2),
                fresh.scripts_sized(20, 2),
                "round {round}"
            );
        }
    }
}
