//! Text that was never meant to be published: the placeholders of the
//! `flippack new` templates, and web addresses on the domains reserved for
//! examples, which lead nowhere.
//!
//! | code | finding |
//! | --- | --- |
//! | `placeholder` | a placeholder of the `new pack` or `new pathway` template still in a file |
//! | `example-address` | a web address on `example.org`, `.com`, `.net`, or a `.example`, `.test`, `.invalid` or `localhost` host |
//! | `example-site` | (info) `example_site: true` in site.yaml: the site's example addresses are counted, not listed |
//!
//! Both scan the source text line by line, so that every finding points at
//! the line and column where the text is, wherever in the file it is
//! written: a front matter value, a Markdown link or raw HTML.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::Sources;
use crate::content::{Pack, Site, SourceFile};
use crate::diagnostic::{Code, Diagnostic};
use crate::scaffold::placeholders;

/// The domains RFC 2606 and RFC 6761 keep for examples and tests: a
/// teacher who follows such an address gets an error page or nothing.
/// `localhost` is there too: it is the teacher's own computer.
const EXAMPLE_DOMAINS: &[&str] = &["example.org", "example.com", "example.net"];
const EXAMPLE_TLDS: &[&str] = &["example", "test", "invalid", "localhost"];

/// Whether `host` (lower-case, without a port) is reserved for examples.
pub fn is_example_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    EXAMPLE_DOMAINS.iter().any(|d| under(d)) || EXAMPLE_TLDS.iter().any(|t| under(t))
}

/// The `(column, address)` of every http(s) address in `line` whose host is
/// reserved for examples; columns are 1-based, in characters.
pub fn example_addresses(line: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let lower = line.to_ascii_lowercase();
    let mut from = 0;
    let mut column = Column::default();
    while let Some(i) = lower[from..].find("http").map(|i| i + from) {
        from = i + 4;
        let rest = &lower[i..];
        let Some(after) = rest
            .strip_prefix("https://")
            .or_else(|| rest.strip_prefix("http://"))
        else {
            continue;
        };
        let host_start = i + (rest.len() - after.len());
        let end = line[i..]
            .find(|c: char| c.is_whitespace() || "\"'<>)]`".contains(c))
            .map_or(line.len(), |e| e + i);
        let host_end = lower[host_start..end]
            .find(['/', ':', '?', '#'])
            .map_or(end, |e| e + host_start);
        if is_example_host(&lower[host_start..host_end]) {
            found.push((column.at(line, i), &line[i..end]));
        }
        from = end.max(from);
    }
    found
}

/// The `(column, text)` of each placeholder in `line` (its first
/// occurrence), 1-based columns in characters. A shorter placeholder inside
/// a longer one found on the same line is not counted again.
pub fn placeholders_in(line: &str) -> Vec<(usize, &'static str)> {
    first_of_each(line, placeholders::all(), matcher())
}

/// One automaton for every placeholder text, built on first use: a build
/// scans every line of the site, and one pass over a line finds them all,
/// where a search per text reads the line once per text.
fn matcher() -> &'static AhoCorasick {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    MATCHER.get_or_init(|| {
        AhoCorasick::new(placeholders::all()).expect(
            "the template placeholders are a few short texts, well within the automaton's limits",
        )
    })
}

/// The first occurrence on `line` of each of `texts` (longest first, as
/// [`placeholders::all`] gives them) that is not inside the occurrence of a
/// longer one already found, as `(column, text)` in the order they appear.
/// `matcher` is `texts` as an automaton, pattern `n` being `texts[n]`.
fn first_of_each(
    line: &str,
    texts: &[&'static str],
    matcher: &AhoCorasick,
) -> Vec<(usize, &'static str)> {
    // Every occurrence of every text, overlapping ones too, in one pass:
    // most lines have none.
    let mut occurrences: Vec<(usize, usize)> = matcher
        .find_overlapping_iter(line)
        .map(|m| (m.pattern().as_usize(), m.start()))
        .collect();
    if occurrences.is_empty() {
        return Vec::new();
    }
    // By text, longest first, then by where they start.
    occurrences.sort_unstable();
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    for same_text in occurrences.chunk_by(|a, b| a.0 == b.0) {
        let text = texts[same_text[0].0];
        // The first of each on the line is enough to point at it. One
        // inside a longer text is passed over, and so is any that starts
        // within it, as a search resumed after it would.
        let mut from = 0;
        for &(_, i) in same_text {
            if i < from {
                continue;
            }
            let end = i + text.len();
            if !found.iter().any(|(s, e, _)| *s <= i && end <= *e) {
                found.push((i, end, text));
                break;
            }
            from = end;
        }
    }
    found.sort();
    let mut column = Column::default();
    found
        .into_iter()
        .map(|(i, _, text)| (column.at(line, i), text))
        .collect()
}

/// 1-based character columns of byte offsets met in increasing order,
/// counted from the last one, so that a line of thousands of addresses is
/// read once rather than once per address.
#[derive(Default)]
struct Column {
    byte: usize,
    chars: usize,
}

impl Column {
    fn at(&mut self, line: &str, byte: usize) -> usize {
        self.chars += line[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars + 1
    }
}

/// The site's Markdown files that coaches write: the home page intro,
/// packs with their pages, and pathways.
fn files(site: &Site) -> Vec<&SourceFile> {
    let mut files: Vec<&SourceFile> = site.intro.source.iter().map(|f| &**f).collect();
    files.extend(site.packs.iter().flat_map(pack_files));
    files.extend(site.pathways.iter().map(|p| &*p.source));
    files
}

/// A pack's `pack.md` and its pages.
pub fn pack_files(pack: &Pack) -> impl Iterator<Item = &SourceFile> {
    std::iter::once(&*pack.source).chain(pack.pages.iter().map(|p| &*p.source))
}

/// `placeholder`, as warnings, for every file of `site`. `build` makes
/// them errors.
pub fn placeholders(site: &Site) -> Vec<Diagnostic> {
    in_files(files(site))
}

/// `placeholder`, as warnings, in `files`: a build that writes each pack
/// as it loads looks at the pack's files before their text is dropped.
pub fn in_files<'f>(files: impl IntoIterator<Item = &'f SourceFile>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for file in files {
        for (n, line) in file.text.lines().enumerate() {
            for (column, text) in placeholders_in(line) {
                let d = Diagnostic::warning(
                    Code::Placeholder,
                    file.path.as_str(),
                    format!(
                        "`{}` is a placeholder from the `flippack new` template",
                        short(text)
                    ),
                )
                .with_help(
                    "write your own text in its place: a site with a placeholder is not \
                     built, except as a preview with --drafts",
                );
                found.push(d.at_line(Some(line), n + 1, column));
            }
        }
    }
    found
}

/// `example-address` for every address on an example domain that is not a
/// placeholder; or, on a site that says it is an example, one `example-site`
/// note that counts them.
pub fn example_addresses_of(site: &Site, sources: &Sources, site_yaml: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Every address, for the note of an example site.
    let mut count = 0;
    for file in files(site) {
        for (n, line) in file.text.lines().enumerate() {
            let placeholders = placeholders_in(line);
            let addresses: Vec<(usize, &str)> = example_addresses(line)
                .into_iter()
                .filter(|(column, address)| {
                    let end = column + address.chars().count();
                    !placeholders
                        .iter()
                        .any(|(c, t)| c <= column && end <= c + t.chars().count())
                })
                .collect();
            let Some(&(column, address)) = addresses.first() else {
                continue;
            };
            count += addresses.len();
            // One finding a line: a paragraph of a thousand example links
            // is one thing to fix, not a thousand.
            let more = match addresses.len() - 1 {
                0 => String::new(),
                1 => " (and 1 more address on this line)".to_string(),
                n => format!(" (and {n} more addresses on this line)"),
            };
            let d = Diagnostic::warning(
                Code::ExampleAddress,
                file.path.as_str(),
                format!("`{address}` is on a domain reserved for examples{more}: it leads nowhere"),
            )
            .with_help("replace with the real address");
            found.push(sources.at(d, n + 1, column));
        }
    }
    if !site.config.example_site || found.is_empty() {
        return found;
    }
    let files = {
        let mut names: Vec<&str> = found.iter().map(|d| d.file.as_str()).collect();
        names.dedup();
        names.len()
    };
    let (line, column) = site_yaml
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.starts_with("example_site:").then_some((i + 1, 1)))
        .unwrap_or((0, 0));
    let d = Diagnostic::info(
        Code::ExampleSite,
        crate::config::FILE_NAME,
        format!(
            "an example site: {} on domains reserved for examples, in {} {}, are not listed",
            plural(count, "address", "addresses"),
            files,
            if files == 1 { "file" } else { "files" }
        ),
    )
    .with_help("remove `example_site: true` from site.yaml to list each one");
    vec![d.at(site_yaml, line, column)]
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The start of a long placeholder, enough to recognise it.
fn short(text: &str) -> String {
    const SHOWN: usize = 40;
    if text.chars().count() <= SHOWN {
        return text.to_string();
    }
    let mut start: String = text.chars().take(SHOWN).collect();
    start.push('…');
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_hosts() {
        for host in [
            "example.org",
            "www.example.com",
            "EXAMPLE.NET",
            "web.school.example",
            "pd.test",
            "nowhere.invalid",
            "localhost",
            "app.localhost",
        ] {
            assert!(is_example_host(host), "{host}");
        }
        for host in [
            "example.edu",
            "myexample.org",
            "example.org.uk",
            "youtube.com",
            "testing.org",
            "contest",
        ] {
            assert!(!is_example_host(host), "{host}");
        }
    }

    #[test]
    fn finds_example_addresses_in_a_line() {
        assert_eq!(
            example_addresses("    url: https://example.org/videos/a # note"),
            [(10, "https://example.org/videos/a")]
        );
        assert_eq!(
            example_addresses("See [the video](http://localhost:8080/v) and <https://pd.test>."),
            [(17, "http://localhost:8080/v"), (47, "https://pd.test")]
        );
        assert_eq!(
            example_addresses("é <a href=\"https://Example.com?q=1\">x</a>"),
            [(12, "https://Example.com?q=1")]
        );
        assert!(example_addresses("https://www.youtube.com/watch?v=1 http https:").is_empty());
        assert!(example_addresses("https://example.org.evil.com/").is_empty());
    }

    #[test]
    fn finds_placeholders_in_a_line_once() {
        assert_eq!(
            placeholders_in("goal: Teachers can ..."),
            [(7, "Teachers can ...")]
        );
        assert_eq!(
            placeholders_in("    url: https://example.org/replace-with-the-address"),
            [(10, "https://example.org/replace-with-the-address")]
        );
        assert!(placeholders_in("goal: Teachers can plan a lesson.").is_empty());
    }

    /// The search this module made before it matched every text in one
    /// pass: one `find` per text, longest first.
    fn one_search_per_text(line: &str, texts: &[&'static str]) -> Vec<(usize, &'static str)> {
        let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
        for text in texts {
            let mut from = 0;
            while let Some(i) = line[from..].find(text).map(|i| i + from) {
                let end = i + text.len();
                if !found.iter().any(|(s, e, _)| *s <= i && end <= *e) {
                    found.push((i, end, text));
                    break;
                }
                from = end;
            }
        }
        found.sort();
        let mut column = Column::default();
        found
            .into_iter()
            .map(|(i, _, text)| (column.at(line, i), text))
            .collect()
    }

    #[test]
    fn one_pass_finds_what_one_search_per_text_finds() {
        // Texts inside others, overlapping each other and themselves,
        // longest first as the templates' list is.
        let texts: &[&'static str] = &["can plan it", "aaaa", "plan it", "an p", "aa", "é"];
        let matcher = AhoCorasick::new(texts).expect("a few short texts");
        for line in [
            "",
            "nothing here",
            "Teachers can plan it.",
            "plan it, then can plan it",
            "aaaaaa",
            "aaa aaaa",
            "can plan itaa plan it",
            "é can plan it é aa",
            "an pan p can plan it an p",
        ] {
            assert_eq!(
                first_of_each(line, texts, &matcher),
                one_search_per_text(line, texts),
                "{line:?}"
            );
        }
        // A text inside a longer one is not found again; a later one on
        // its own is.
        assert_eq!(
            first_of_each("can plan it and plan it", texts, &matcher),
            [(1, "can plan it"), (17, "plan it")]
        );
    }

    #[test]
    fn placeholders_on_a_line_in_the_order_written() {
        let line =
            "x https://example.org/replace-with-the-address Teachers can ... Teachers can ...";
        assert_eq!(
            placeholders_in(line),
            one_search_per_text(line, placeholders::all())
        );
        assert_eq!(
            placeholders_in(line),
            [
                (3, "https://example.org/replace-with-the-address"),
                (48, "Teachers can ...")
            ]
        );
    }
}
