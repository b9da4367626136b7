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
            for (term, tier) in old.terms.iter() {
                if let Some(p) = self.terms.get_mut(term) {
                    let list = &mut p.by_tier[tier as usize];
                    if let Ok(at) = list.binary_search(&number) {
                        list.remove(at);
                    }
                }
                touched.push(term);
            }
            for (term, tier) in new.terms.iter() {
                let list =
                    &mut self.terms.entry(term.to_string()).or_default().by_tier[tier as usize];
                if let Err(at) = list.binary_search(&number) {
                    list.insert(at, number);
                }
                touched.push(term);
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

    /// The script that loads the index into the browser's search.
    pub fn to_js(&self) -> String {
        let mut terms = String::new();
        let mut lists = String::new();
        let mut previous = "";
        for (i, (term, postings)) in self.terms.iter().enumerate() {
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
            lists.push_str(&postings.encoded);
        }
        let mut order = String::new();
        for &number in &self.order {
            encode_number(number, &mut order);
        }

        #[derive(Serialize)]
        struct Script<'a> {
            v: u32,
            stop: &'a [&'a str],
            docs: Vec<(u8, &'a str, &'a str, Option<&'a str>)>,
            order: String,
            terms: String,
            post: String,
            paths: super::Paths,
        }
        let script = Script {
            v: VERSION,
            stop: STOP_WORDS,
            docs: self
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
                .collect(),
            order,
            terms,
            post: lists,
            paths: super::Paths::new(),
        };
        let json = serde_json::to_string(&script).unwrap_or_else(|_| "{}".into());
        format!("flippackSearch.index({json});\n")
    }
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
        let js = index.to_js();
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

    #[test]
    fn an_updated_index_is_the_index_made_afresh() {
        let words = ["apple", "apricot", "bee", "beet", "cow", "dog", "ewe"];
        let tiers = [Tier::Body, Tier::About, Tier::Title];
        // A deterministic stream of small edits: each round gives every
        // document a new set of terms, or keeps it, and changes the order.
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
            let turn = next() % docs.len();
            docs.rotate_left(turn);
            kept.update(&docs);
            let mut fresh = Index::default();
            fresh.update(&docs);
            assert_eq!(kept.to_js(), fresh.to_js(), "round {round}");
        }
    }
}
