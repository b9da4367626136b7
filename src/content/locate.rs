//! Finding the line of a key in front matter, for checks that run after
//! deserializing (a `page:` that does not exist, agenda minutes that do not
//! add up).
//!
//! serde_yaml keeps no positions once a value is deserialized, so this
//! reads the block-style YAML coaches write by its indentation: good enough
//! to point at the right line, and it falls back to the nearest enclosing
//! key for anything unusual (flow style, anchors).

use crate::markdown::{Link, LinkKind};

/// One step of a path into the front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Looks up lines in one file's front matter.
pub struct Locator<'a> {
    lines: Vec<&'a str>,
    /// File line of `lines[0]`.
    first_line: usize,
}

impl<'a> Locator<'a> {
    pub fn new(yaml: &'a str, first_line: usize) -> Self {
        Locator {
            lines: yaml.lines().collect(),
            first_line,
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
    fn find_key(&self, range: std::ops::Range<usize>, key: &str) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for i in range {
            let (indent, text) = content_of(self.lines[i]);
            let text = text.strip_prefix("- ").map(str::trim_start).unwrap_or(text);
            let is_key = text
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
            if is_key && best.is_none_or(|(_, d)| indent < d) {
                best = Some((i, indent));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The `index`-th list item (`- …`) at the shallowest indentation in
    /// `range`.
    fn find_item(&self, range: std::ops::Range<usize>, index: usize) -> Option<usize> {
        let items: Vec<(usize, usize)> = range
            .filter_map(|i| {
                let (indent, text) = content_of(self.lines[i]);
                (text == "-" || text.starts_with("- ")).then_some((i, indent))
            })
            .collect();
        let shallowest = items.iter().map(|&(_, d)| d).min()?;
        items
            .into_iter()
            .filter(|&(_, d)| d == shallowest)
            .nth(index)
            .map(|(i, _)| i)
    }

    /// Where the block that starts at `line` ends: the next line indented
    /// no deeper than it (a sibling key or item), or `limit`.
    fn block_end(&self, line: usize, limit: usize) -> usize {
        let (indent, _) = content_of(self.lines[line]);
        (line + 1..limit)
            .find(|&i| {
                let (d, text) = content_of(self.lines[i]);
                !text.is_empty() && !text.starts_with('#') && d <= indent
            })
            .unwrap_or(limit)
    }
}

/// Points links found in front matter Markdown (a note, a prompt, the
/// goal) at where they are written in the file: a field rendered on its
/// own only knows lines within the field. Each link is looked up by its
/// destination (`](dest` or `<dest>`), in order, so two links to the same
/// place land on their own lines. A link folded across lines points at
/// its `](`; one that cannot be found (a reference link) at the front
/// matter's first line.
pub fn place_field_links(yaml: &str, first_line: usize, links: &mut [Link]) {
    let lines: Vec<&str> = yaml.lines().collect();
    // Where the search for each destination resumes: (line, byte offset).
    let mut resume: Vec<(String, (usize, usize))> = Vec::new();
    for link in links {
        let from = resume
            .iter()
            .find(|(dest, _)| *dest == link.dest)
            .map_or((0, 0), |(_, at)| *at);
        let inline = format!("]({}", link.dest);
        let auto = format!("<{}>", link.dest);
        let mut found = None;
        for (i, line) in lines.iter().enumerate().skip(from.0) {
            let start = if i == from.0 { from.1 } else { 0 };
            let Some(rest) = line.get(start..) else {
                continue;
            };
            let hit = match (rest.find(&inline), rest.find(&auto)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if let Some(offset) = hit.map(|h| start + h) {
                // The link starts at its `[` (or `![`), or at the `<`.
                let begin = if line[offset..].starts_with('<') {
                    offset
                } else {
                    let open = line[..offset].rfind('[').unwrap_or(offset);
                    if link.kind == LinkKind::Image && line[..open].ends_with('!') {
                        open - 1
                    } else {
                        open
                    }
                };
                found = Some((i, begin, offset + 1));
                break;
            }
        }
        match found {
            Some((i, begin, next)) => {
                link.line = first_line + i;
                link.column = lines[i][..begin].chars().count() + 1;
                let at = (i, next);
                match resume.iter_mut().find(|(dest, _)| *dest == link.dest) {
                    Some(entry) => entry.1 = at,
                    None => resume.push((link.dest.clone(), at)),
                }
            }
            None => {
                link.line = first_line;
                link.column = 0;
            }
        }
    }
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
