//! Finding the line of a key in front matter, for checks that run after
//! deserializing (a `page:` that does not exist, agenda minutes that do not
//! add up).
//!
//! serde_yaml keeps no positions once a value is deserialized, so this
//! reads the block-style YAML coaches write by its indentation: good enough
//! to point at the right line, and it falls back to the nearest enclosing
//! key for anything unusual (flow style, anchors).

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use crate::markdown::{Link, LinkKind};

/// One step of a path into the front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The shallowest line of each key in a block.
type KeyLines<'a> = HashMap<&'a str, usize>;

/// Looks up lines in one file's front matter.
///
/// A pack with thousands of resources may have an error in each, and each
/// is pointed at its line: so what one lookup learns about a block (its
/// keys, its list items, where it ends) is kept for the next, and the
/// lookups of a whole file cost about one pass over it.
pub struct Locator<'a> {
    lines: Vec<&'a str>,
    /// File line of `lines[0]`.
    first_line: usize,
    /// The shallowest line of each key, by the range searched.
    keys: RefCell<HashMap<(usize, usize), KeyLines<'a>>>,
    /// The shallowest list items, by the range searched.
    items: RefCell<HashMap<(usize, usize), Vec<usize>>>,
    /// Where the block starting at a line ends, by (line, limit).
    ends: RefCell<HashMap<(usize, usize), usize>>,
}

impl<'a> Locator<'a> {
    pub fn new(yaml: &'a str, first_line: usize) -> Self {
        Locator {
            lines: yaml.lines().collect(),
            first_line,
            keys: RefCell::default(),
            items: RefCell::default(),
            ends: RefCell::default(),
        }
    }

    /// The file line of the deepest step of `path` that could be found;
    /// the first line of the front matter when none could.
    pub fn line(&self, path: &[Step<'_>]) -> usize {
        self.position(path).0
    }

    /// Like [`Locator::line`], with the 1-based column where the key (or
    /// the list item's dash) starts; 0 when nothing was found.
    pub fn position(&self, path: &[Step<'_>]) -> (usize, usize) {
        let (index, column) = self.find(path);
        (self.first_line + index.unwrap_or(0), column)
    }

    fn find(&self, path: &[Step<'_>]) -> (Option<usize>, usize) {
        let mut range = 0..self.lines.len();
        let mut found = None;
        let mut column = 0;
        for step in path {
            let hit = match step {
                Step::Key(key) => self.find_key(range.clone(), key),
                Step::Index(i) => self.find_item(range.clone(), *i),
            };
            match hit {
                Some(line) => {
                    found = Some(line);
                    let (indent, text) = content_of(self.lines[line]);
                    column = indent + 1;
                    if let (Step::Key(_), Some(rest)) = (step, text.strip_prefix('-')) {
                        column += text.len() - rest.trim_start().len();
                    }
                    range = line..self.block_end(line, range.end);
                }
                None => break,
            }
        }
        (found, column)
    }

    /// The shallowest line in `range` that starts with `key:`, also after a
    /// list dash (`- key:`).
    fn find_key(&self, range: Range<usize>, key: &str) -> Option<usize> {
        let mut cache = self.keys.borrow_mut();
        let keys = cache.entry((range.start, range.end)).or_insert_with(|| {
            let mut keys: HashMap<&'a str, (usize, usize)> = HashMap::new();
            for i in range {
                let (indent, text) = content_of(self.lines[i]);
                let text = text.strip_prefix("- ").map(str::trim_start).unwrap_or(text);
                let Some(colon) = text.find(':') else {
                    continue;
                };
                let name = text[..colon].trim_end();
                match keys.get(name) {
                    Some(&(_, d)) if d <= indent => {}
                    _ => {
                        keys.insert(name, (i, indent));
                    }
                }
            }
            keys.into_iter().map(|(k, (i, _))| (k, i)).collect()
        });
        keys.get(key).copied()
    }

    /// The `index`-th list item (`- …`) at the shallowest indentation in
    /// `range`.
    fn find_item(&self, range: Range<usize>, index: usize) -> Option<usize> {
        let mut cache = self.items.borrow_mut();
        let items = cache.entry((range.start, range.end)).or_insert_with(|| {
            let items: Vec<(usize, usize)> = range
                .filter_map(|i| {
                    let (indent, text) = content_of(self.lines[i]);
                    (text == "-" || text.starts_with("- ")).then_some((i, indent))
                })
                .collect();
            let shallowest = items.iter().map(|&(_, d)| d).min().unwrap_or(0);
            items
                .into_iter()
                .filter(|&(_, d)| d == shallowest)
                .map(|(i, _)| i)
                .collect()
        });
        items.get(index).copied()
    }

    /// Where the block that starts at `line` ends: the next line indented
    /// no deeper than it (a sibling key or item), or `limit`.
    fn block_end(&self, line: usize, limit: usize) -> usize {
        *self
            .ends
            .borrow_mut()
            .entry((line, limit))
            .or_insert_with(|| {
                let (indent, _) = content_of(self.lines[line]);
                (line + 1..limit)
                    .find(|&i| {
                        let (d, text) = content_of(self.lines[i]);
                        !text.is_empty() && !text.starts_with('#') && d <= indent
                    })
                    .unwrap_or(limit)
            })
    }
}

/// Points links found in front matter Markdown (a note, a prompt, the
/// goal) at where they are written in the file: a field rendered on its
/// own only knows lines within the field. Each link is looked up by its
/// destination (`](dest`, `<dest>`, or an HTML image's `src=dest`), in
/// order, so two links to the same place land on their own lines. A link
/// folded across lines points at its `](`; one that cannot be found (a
/// reference link) at the front matter's first line.
///
/// The front matter is read once into an index of the destinations
/// written in it, so that placing many links stays linear; a destination
/// written differently from how it reads (with escapes or parentheses) is
/// searched for, within a budget of work proportional to the text.
pub fn place_field_links(yaml: &str, first_line: usize, links: &mut [Link]) {
    let lines: Vec<&str> = yaml.lines().collect();
    let written = written_destinations(&lines);
    // How many of each destination's places are used up.
    let mut used: HashMap<(bool, &str), usize> = HashMap::new();
    // Where the search for each destination resumes: (line, byte offset).
    let mut resume: HashMap<String, (usize, usize)> = HashMap::new();
    let mut budget = 16 * yaml.len() + 4096;
    for link in links {
        let html = matches!(link.kind, LinkKind::HtmlImage { .. });
        let indexed =
            written
                .get_key_value(&(html, link.dest.as_str()))
                .and_then(|(key, places)| {
                    let n = used.entry(*key).or_insert(0);
                    let place = places.get(*n).copied();
                    *n += 1;
                    place
                });
        let found = match indexed {
            Some(place) => Some(place),
            None if html => None,
            None => search(&lines, link, &mut resume, &mut budget),
        };
        match found {
            Some((i, offset)) => {
                let line = lines[i];
                // The link starts at its `[` (or `![`), at the `<`, or at
                // the `<img` of its `src`.
                let begin = if html {
                    (0..offset)
                        .rev()
                        .find(|&at| {
                            line.as_bytes()
                                .get(at..at + 4)
                                .is_some_and(|tag| tag.eq_ignore_ascii_case(b"<img"))
                        })
                        .unwrap_or(offset)
                } else if line[offset..].starts_with('<') {
                    offset
                } else {
                    let open = line[..offset].rfind('[').unwrap_or(offset);
                    if link.kind == LinkKind::Image && line[..open].ends_with('!') {
                        open - 1
                    } else {
                        open
                    }
                };
                link.line = first_line + i;
                link.column = line[..begin].chars().count() + 1;
            }
            None => {
                link.line = first_line;
                link.column = 0;
            }
        }
    }
}

/// Every destination written in `lines`, as read without escapes: after
/// `](` up to `)` or a space (or inside `](<…>`), inside `<…>`, and an
/// HTML `src=` value; keyed by whether it is an HTML image's, each with
/// its places (line, byte offset of the `](`, `<` or value) in order.
fn written_destinations<'a>(lines: &[&'a str]) -> HashMap<(bool, &'a str), Vec<(usize, usize)>> {
    let mut found: HashMap<(bool, &'a str), Vec<(usize, usize)>> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        let bytes = line.as_bytes();
        for (at, byte) in bytes.iter().enumerate() {
            let (html, dest) = match byte {
                b']' if bytes.get(at + 1) == Some(&b'(') => {
                    let rest = &line[at + 2..];
                    let dest = match rest.strip_prefix('<') {
                        Some(inner) => inner.split('>').next().unwrap_or(inner),
                        None => rest.split([')', ' ', '\t']).next().unwrap_or(rest),
                    };
                    (false, dest)
                }
                b'<' => match line[at + 1..].split_once('>') {
                    Some((inner, _)) if !inner.contains(char::is_whitespace) => (false, inner),
                    _ => continue,
                },
                b'=' if at >= 3 && line[at - 3..at].eq_ignore_ascii_case("src") => {
                    let rest = &line[at + 1..];
                    let dest = match rest.chars().next() {
                        Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or(""),
                        _ => rest
                            .split(|c: char| c.is_whitespace() || c == '>')
                            .next()
                            .unwrap_or(rest),
                    };
                    (true, dest)
                }
                _ => continue,
            };
            let place = if html { at + 1 } else { at };
            found.entry((html, dest)).or_default().push((i, place));
        }
    }
    found
}

/// The next place of `link`'s destination, searched for as `](dest` or
/// `<dest>` from where the last link to it was found; `None` when it is
/// not there or the work `budget` (bytes to read) is spent.
fn search(
    lines: &[&str],
    link: &Link,
    resume: &mut HashMap<String, (usize, usize)>,
    budget: &mut usize,
) -> Option<(usize, usize)> {
    let from = resume.get(&link.dest).copied().unwrap_or((0, 0));
    let inline = format!("]({}", link.dest);
    let auto = format!("<{}>", link.dest);
    for (i, line) in lines.iter().enumerate().skip(from.0) {
        let start = if i == from.0 { from.1 } else { 0 };
        let rest = line.get(start..)?;
        *budget = budget.checked_sub(rest.len() + 1)?;
        let hit = match (rest.find(&inline), rest.find(&auto)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(offset) = hit.map(|h| start + h) {
            resume.insert(link.dest.clone(), (i, offset + 1));
            return Some((i, offset));
        }
    }
    None
}

/// Where a piece of a front matter field is written in the file, as
/// (line, column): `text` is the field's value and `offset` a byte offset
/// into it, such as a tag of raw HTML. A field rendered on its own knows
/// only positions within its value, and YAML may fold or quote it, so the
/// field is found by the start of its text, and the piece by its own text
/// (up to the end of its line, or else its first word) from there on.
/// Places already `taken` by an earlier piece are skipped, so two alike
/// land on their own places. One that cannot be found points at the front
/// matter's first line.
pub fn place_in_field(
    yaml: &str,
    first_line: usize,
    text: &str,
    offset: usize,
    taken: &mut Vec<(usize, usize)>,
) -> (usize, usize) {
    let lines: Vec<&str> = yaml.lines().collect();
    let head: String = text.trim_start().chars().take(30).collect();
    let head = head.lines().next().unwrap_or("").trim_end();
    let start = if head.is_empty() {
        0
    } else {
        lines.iter().position(|l| l.contains(head)).unwrap_or(0)
    };
    let piece = text.get(offset..).unwrap_or("");
    let piece = piece.lines().next().unwrap_or("").trim_end();
    let word = piece
        .split(|c: char| c.is_whitespace() || c == '>')
        .next()
        .unwrap_or("");
    for needle in [piece, word] {
        if needle.is_empty() {
            continue;
        }
        for (i, line) in lines.iter().enumerate().skip(start) {
            let mut from = 0;
            while let Some(hit) = line.get(from..).and_then(|rest| rest.find(needle)) {
                let at = from + hit;
                let place = (first_line + i, line[..at].chars().count() + 1);
                if !taken.contains(&place) {
                    taken.push(place);
                    return place;
                }
                from = at + needle.len();
            }
        }
    }
    (first_line, 0)
}

/// Indentation and the rest of a line.
fn content_of(line: &str) -> (usize, &str) {
    let text = line.trim_start();
    (line.len() - text.len(), text.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    const YAML: &str = "\
title: T
self_study:
  - title: One
    page: one.md
  - title: Two
    url: https://example.org
    duration: 5m
workshop:
  duration: 60m
  agenda:
    - title: A
      minutes: 20
    -
      title: B
      minutes: 30
";

    #[test]
    fn finds_keys_and_items() {
        let loc = Locator::new(YAML, 2);
        assert_eq!(loc.line(&[Key("title")]), 2);
        assert_eq!(loc.line(&[Key("self_study"), Index(0), Key("page")]), 5);
        assert_eq!(loc.line(&[Key("self_study"), Index(1)]), 6);
        assert_eq!(loc.line(&[Key("self_study"), Index(1), Key("duration")]), 8);
        assert_eq!(loc.line(&[Key("self_study"), Index(1), Key("title")]), 6);
        assert_eq!(loc.line(&[Key("workshop"), Key("duration")]), 10);
        assert_eq!(
            loc.line(&[Key("workshop"), Key("agenda"), Index(1), Key("minutes")]),
            16
        );
    }

    #[test]
    fn columns_point_at_the_key() {
        let loc = Locator::new(YAML, 2);
        assert_eq!(
            loc.position(&[Key("self_study"), Index(0), Key("page")]),
            (5, 5)
        );
        assert_eq!(
            loc.position(&[Key("self_study"), Index(1), Key("title")]),
            (6, 5)
        );
        assert_eq!(loc.position(&[Key("self_study"), Index(1)]), (6, 3));
        assert_eq!(loc.position(&[Key("nothing")]), (2, 0));
    }

    #[test]
    fn field_links_point_at_their_line() {
        let yaml = "\
goal: See [the guide](guide.md).
workshop:
  agenda:
    - title: A
      notes: Use the [handout](frames.txt) and ![a chart](chart.png), then [the guide](guide.md).
  prompts:
    - Read <https://example.org/x> first.
    - A [folded
      link](folded.md)
";
        let link = |dest: &str, is_image: bool| Link {
            dest: dest.into(),
            text: String::new(),
            kind: if is_image {
                LinkKind::Image
            } else {
                LinkKind::Link
            },
            target: crate::links::Target::External,
            url: None,
            line: 1,
            column: 1,
        };
        let mut links = vec![
            link("guide.md", false),
            link("frames.txt", false),
            link("chart.png", true),
            link("guide.md", false),
            link("https://example.org/x", false),
            link("folded.md", false),
        ];
        place_field_links(yaml, 2, &mut links);
        let at: Vec<(usize, usize)> = links.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(at, [(2, 11), (6, 22), (6, 48), (6, 76), (8, 12), (10, 11)]);
    }

    #[test]
    fn field_pieces_point_at_their_line() {
        let yaml = "\
goal: 'Run <b>it</b> twice'
workshop:
  prompts:
    - Same <b>it</b> here
  facilitator_notes: |
    First line.

    Then <script>x</script> and <script>y</script>.
";
        let mut taken = Vec::new();
        let mut at = |text: &str, piece: &str| {
            let offset = text.find(piece).expect("in the text");
            place_in_field(yaml, 2, text, offset, &mut taken)
        };
        assert_eq!(at("Same <b>it</b> here", "<b>"), (5, 12));
        assert_eq!(at("Run <b>it</b> twice", "<b>"), (2, 12));
        let notes = "First line.\n\nThen <script>x</script> and <script>y</script>.\n";
        assert_eq!(at(notes, "<script>x"), (9, 10));
        assert_eq!(at(notes, "<script>y"), (9, 33));
        // Not found as written (YAML escapes): the front matter's start.
        assert_eq!(at("A \"quoted\" <i>x</i>", "<i>"), (2, 0));
    }

    #[test]
    fn falls_back_to_the_deepest_found() {
        let loc = Locator::new(YAML, 2);
        assert_eq!(loc.line(&[Key("self_study"), Index(0), Key("duration")]), 4);
        assert_eq!(loc.line(&[Key("self_study"), Index(9)]), 3);
        assert_eq!(loc.line(&[Key("nothing")]), 2);
        // "title" under self_study is not the top-level one.
        assert_eq!(
            Locator::new("a:\n  title: x\ntitle: y\n", 1).line(&[Key("title")]),
            3
        );
    }
}
