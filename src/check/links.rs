//! Link lints: `#anchor`s that name no heading of the page they point at.
//!
//! Links to missing pages and files are already errors when the site loads
//! (`broken-link`); this adds the part after `#`, checked against the `id`s
//! of the rendered page, so anchors the theme adds count too.

use std::collections::{HashMap, HashSet};

use super::{Document, Sources};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::links::{percent_decode, Target};
use crate::markdown::Heading;

/// The `id` attributes of an HTML page.
pub fn html_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find("id=") {
        let before = rest[..i].chars().next_back();
        let after = &rest[i + 3..];
        rest = after;
        if !before.is_some_and(char::is_whitespace) {
            continue; // `data-id=`, `aria-labelledby=` and the like
        }
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = after[1..].find(quote) {
            ids.insert(unescape(&after[1..1 + end]));
            rest = &after[1 + end..];
        }
    }
    ids
}

/// Undoes the HTML escaping that templates apply to attribute values.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether `fragment`, as written after `#`, names one of `ids`.
pub fn anchor_exists(ids: &HashSet<String>, fragment: &str) -> bool {
    // Browsers decode `%XX` escapes before matching a fragment to an id.
    fragment.is_empty()
        || ids.contains(fragment)
        || percent_decode(fragment).is_some_and(|decoded| ids.contains(&decoded))
}

/// How many comparisons of a fragment with a heading id the suggestions
/// of one check may make, a fraction of a second's work. A page with
/// thousands of headings and thousands of broken links to it would
/// otherwise compare every link with every heading; past the budget, the
/// help lists the page's headings instead.
pub const SUGGESTION_BUDGET: usize = 2_000_000;

/// "did you mean `#…`?" for broken anchors, within a budget of
/// comparisons, each fragment of each page worked out once.
pub struct Suggester {
    /// Comparisons made so far.
    pub compared: usize,
    budget: usize,
    known: HashMap<(String, String), Option<String>>,
}

impl Default for Suggester {
    fn default() -> Self {
        Suggester::with_budget(SUGGESTION_BUDGET)
    }
}

impl Suggester {
    pub fn with_budget(budget: usize) -> Self {
        Suggester {
            compared: 0,
            budget,
            known: HashMap::new(),
        }
    }

    /// The id of `ids` (the page `url`'s) closest to `fragment`, if one is
    /// close enough and the budget allows looking.
    pub fn suggest(&mut self, url: &str, fragment: &str, ids: &HashSet<String>) -> Option<String> {
        let key = (url.to_string(), fragment.to_string());
        if let Some(known) = self.known.get(&key) {
            return known.clone();
        }
        if self.compared + ids.len() > self.budget {
            return None;
        }
        self.compared += ids.len();
        let best = did_you_mean(fragment, ids.iter().map(String::as_str)).map(str::to_string);
        self.known.insert(key, best.clone());
        best
    }
}

/// `broken-anchor`: a link whose `#fragment` names no `id` on its page.
pub fn broken_anchors(
    documents: &[Document<'_>],
    ids: &HashMap<String, HashSet<String>>,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let headings: HashMap<&str, &[Heading]> =
        documents.iter().map(|d| (d.url, d.headings)).collect();
    let mut found = Vec::new();
    let mut suggester = Suggester::default();
    for doc in documents {
        for link in &doc.links {
            let (url, fragment) = match (&link.target, &link.url) {
                (Target::SamePage(fragment), _) => (doc.url, fragment.as_str()),
                (
                    Target::Content {
                        fragment: Some(fragment),
                        ..
                    },
                    Some(url),
                ) if url.ends_with(".html") => (url.as_str(), fragment.as_str()),
                _ => continue,
            };
            let Some(page_ids) = ids.get(url) else {
                continue;
            };
            if anchor_exists(page_ids, fragment) {
                continue;
            }
            let page = if url == doc.url {
                "this page".to_string()
            } else {
                format!("`{}`", link.dest.split('#').next().unwrap_or(url))
            };
            let help = match suggester.suggest(url, fragment, page_ids) {
                Some(best) => format!("did you mean `#{best}`?"),
                None => heading_help(headings.get(url).copied().unwrap_or_default()),
            };
            let d = Diagnostic::error(
                Code::BrokenAnchor,
                doc.file,
                format!("{page} has no heading `#{fragment}`"),
            )
            .with_help(help);
            found.push(sources.at(d, link.line, link.column));
        }
    }
    found
}

/// Lists a page's heading ids, so the author can pick the right one.
fn heading_help(headings: &[Heading]) -> String {
    const SHOWN: usize = 6;
    let rule = "a heading's anchor is its text in lower case with hyphens: `## Three tiers` is `#three-tiers`";
    if headings.is_empty() {
        return format!("that page has no headings; {rule}");
    }
    let mut list: Vec<String> = headings
        .iter()
        .take(SHOWN)
        .map(|h| format!("`#{}`", h.id))
        .collect();
    if headings.len() > SHOWN {
        list.push(format!("and {} more", headings.len() - SHOWN));
    }
    format!("headings there: {}; {rule}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_a_page() {
        let html = r#"<main id="main"><h2 id="three-tiers">x</h2><div data-id="no" class='c' id='single'>
            <a aria-labelledby="no" href="\#x">y</a><h3 id="a&amp;b">z</h3><p id=bare>"#;
        let mut ids: Vec<String> = html_ids(html).into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["a&b", "main", "single", "three-tiers"]);
    }

    #[test]
    fn fragments_match_ids() {
        let ids: HashSet<String> = ["three-tiers", "éducation"]
            .into_iter()
            .map(String::from)
            .collect();
        let cases = [
            ("three-tiers", true),
            ("", true),
            ("%C3%A9ducation", true),
            ("éducation", true),
            ("tiers", false),
            ("Three-Tiers", false),
            ("%zz", false),
        ];
        for (fragment, exists) in cases {
            assert_eq!(anchor_exists(&ids, fragment), exists, "{fragment}");
        }
    }

    #[test]
    fn suggestions_are_worked_out_within_a_budget() {
        let ids: HashSet<String> = (0..1_000).map(|i| format!("step-{i}")).collect();
        let mut suggester = Suggester::with_budget(50_000);
        assert_eq!(
            suggester.suggest("a.html", "step-12x", &ids).as_deref(),
            Some("step-12")
        );
        // The same fragment again costs nothing.
        suggester.suggest("a.html", "step-12x", &ids);
        assert_eq!(suggester.compared, 1_000);
        // 1,000 broken links, each to its own fragment of a page with
        // 1,000 headings: a million comparisons without the budget.
        let suggested = (0..1_000)
            .filter(|i| {
                suggester
                    .suggest("a.html", &format!("stp-{i}"), &ids)
                    .is_some()
            })
            .count();
        assert_eq!(suggester.compared, 50_000);
        assert_eq!(suggested, 49);
    }

    #[test]
    fn help_lists_headings() {
        let h = |id: &str| Heading {
            level: 2,
            text: id.into(),
            id: id.into(),
            line: 1,
        };
        assert!(heading_help(&[h("goal"), h("steps")])
            .starts_with("headings there: `#goal`, `#steps`;"));
        assert!(heading_help(&[]).starts_with("that page has no headings"));
    }
}
