//! Markdown to HTML: the one place that sets pulldown-cmark's options and
//! rewrites links.
//!
//! Besides the HTML, rendering reports what later stages need without
//! parsing again: the word count (for reading time), the headings (for page
//! titles and `#anchor` checks), and every link and image with its line (for
//! `flippack check`), and the raw HTML that [`sanitize`] took out.

mod sanitize;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::links::{self, Target, ROOT_MARKER};
use crate::slug::slugify;
pub use sanitize::HtmlPolicy;
use sanitize::{Removal, Removed};

/// A heading of a rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    pub line: usize,
}

/// A link or image as written in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    /// The link text, or an image's alt text.
    pub text: String,
    pub kind: LinkKind,
    pub target: Target,
    /// The output URL (relative to the site root) when the target is a
    /// file of the site; `None` for external links and broken ones.
    pub url: Option<String>,
    pub line: usize,
    pub column: usize,
}

/// How a link or image is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)` or `<dest>`.
    Link,
    /// `![alt](src)`.
    Image,
    /// An HTML `<img>` tag. `alt=""` written out there marks an image as
    /// decoration, on purpose.
    HtmlImage { decorative: bool },
}

impl Link {
    pub fn is_image(&self) -> bool {
        !matches!(self.kind, LinkKind::Link)
    }
}

/// Raw HTML (or a heading attribute) that was taken out of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedHtml {
    pub line: usize,
    pub column: usize,
    /// Byte offset of the tag (or heading) in the rendered text.
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// The result of rendering one Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Whitespace-separated words of the rendered text.
    pub words: u64,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub removed: Vec<RemovedHtml>,
}

/// Where a text comes from, so its relative links can be resolved.
pub struct Origin<'a> {
    /// The source file, relative to `content/`, e.g. `packs/ell/pack.md`.
    pub source: &'a str,
    /// The file line on which the text starts.
    pub first_line: usize,
    /// Maps a path relative to `content/` to its output URL, if the site
    /// publishes it.
    pub url_of: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `text`, rewriting links to other sources of the site into
/// root-relative output URLs behind [`ROOT_MARKER`], under the strictest
/// policy for raw HTML (no iframes at all).
pub fn render(text: &str, origin: &Origin<'_>) -> Rendered {
    render_with(text, origin, &HtmlPolicy::STRICT)
}

/// [`render`], with raw HTML allowed as far as the site's `html` policy
/// says.
pub fn render_with(text: &str, origin: &Origin<'_>, html: &HtmlPolicy<'_>) -> Rendered {
    let position = Positions::new(text, origin.first_line);
    let mut walk = Walk::default();
    for (mut event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if !html.trust {
            if let Some(removed) = heading_attributes(&mut event, range.start, html, &position) {
                walk.out.removed.push(removed);
            }
        }
        walk.event(event, range, origin, &position);
    }
    let Walk {
        mut events,
        mut out,
        words,
        html_runs,
        ..
    } = walk;

    let sanitizing = !html.trust && !html_runs.is_empty();
    if sanitizing {
        sanitize_runs(text, &html_runs, html, &position, &mut out);
    }
    // Images in raw HTML come after the Markdown links, which
    // `rewrite_links` counts as it meets them.
    html_image_links(text, &html_runs, origin, &position, &mut out.links);
    rewrite_links(&mut events, &out.links);

    out.html.reserve(text.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    align_with_classes(&mut out.html);
    if sanitizing {
        out.html = sanitize::clean(&out.html, html);
    }
    // The model keeps every page's HTML until the site is written: room
    // reserved and not used would be a third of a large build's memory.
    out.html.shrink_to_fit();
    out.words = words.count;
    out
}

/// File lines and columns of offsets into one text.
struct Positions<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    first_line: usize,
    /// The last offset found, with its line and column. Offsets mostly come
    /// in order: a column is counted on from the last one found on the same
    /// line, not from the line's start, so a paragraph written on one line
    /// with thousands of links is not counted again for each of them.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'t> Positions<'t> {
    fn new(text: &'t str, first_line: usize) -> Self {
        Positions {
            text,
            line_starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            first_line,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// The file line and 1-based column of `offset`.
    fn at(&self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let (last_line, last_offset, last_column) = self.last.get();
        let column = if line == last_line && offset >= last_offset {
            last_column + text[last_offset..offset].chars().count()
        } else {
            text[self.line_starts[line - 1]..offset].chars().count() + 1
        };
        self.last.set((line, offset, column));
        (self.first_line + line - 1, column)
    }
}

/// `## Title {onclick=…}`: attributes on a heading are raw HTML too. Takes
/// out those the policy refuses, and says so.
fn heading_attributes(
    event: &mut Event<'_>,
    at: usize,
    html: &HtmlPolicy<'_>,
    position: &Positions<'_>,
) -> Option<RemovedHtml> {
    let Event::Start(Tag::Heading { level, attrs, .. }) = event else {
        return None;
    };
    if attrs.is_empty() {
        return None;
    }
    let tag = format!("h{}", heading_number(*level));
    let mut taken = Vec::new();
    attrs.retain(|(name, value)| {
        let name = name.to_ascii_lowercase();
        let value = value.as_deref().unwrap_or("");
        match sanitize::attribute_problem(&tag, &name, value, html) {
            Some(reason) => {
                taken.push((name, reason));
                false
            }
            None => true,
        }
    });
    if taken.is_empty() {
        return None;
    }
    let removal = Removal {
        at,
        tag,
        heading: true,
        removed: Removed::Attributes(taken),
    };
    let (line, column) = position.at(at);
    Some(removed_html(&removal, line, column))
}

/// One pass over a text's Markdown events: what it collects on the way.
#[derive(Default)]
struct Walk<'e> {
    events: Vec<Event<'e>>,
    out: Rendered,
    words: WordCounter,
    /// The open heading: its index in `events`, its text so far, its line.
    heading: Option<(usize, String, usize)>,
    /// Open links, as indexes into `out.links`.
    link_stack: Vec<usize>,
    used_ids: HeadingIds,
    /// Runs of raw HTML, as ranges of the text.
    html_runs: Vec<std::ops::Range<usize>>,
}

impl<'e> Walk<'e> {
    fn event(
        &mut self,
        event: Event<'e>,
        range: std::ops::Range<usize>,
        origin: &Origin<'_>,
        position: &Positions<'_>,
    ) {
        match &event {
            Event::Text(t) | Event::Code(t) => {
                self.words.add(t);
                if let Some((_, heading_text, _)) = self.heading.as_mut() {
                    heading_text.push_str(t);
                }
                for &i in &self.link_stack {
                    self.out.links[i].text.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => self.words.gap(),
            Event::Start(Tag::Heading { .. }) => {
                self.heading = Some((self.events.len(), String::new(), position.at(range.start).0));
            }
            Event::End(TagEnd::Heading(level)) => {
                self.words.gap();
                if let Some((index, text, line)) = self.heading.take() {
                    let id = set_heading_id(&mut self.events[index], &text, &mut self.used_ids);
                    self.out.headings.push(Heading {
                        level: heading_number(*level),
                        text,
                        id,
                        line,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let (line, column) = position.at(range.start);
                let target = links::resolve(origin.source, dest_url);
                let url = match &target {
                    Target::Content { path, .. } => (origin.url_of)(path),
                    _ => None,
                };
                self.link_stack.push(self.out.links.len());
                self.out.links.push(Link {
                    dest: dest_url.to_string(),
                    text: String::new(),
                    kind: if matches!(event, Event::Start(Tag::Image { .. })) {
                        LinkKind::Image
                    } else {
                        LinkKind::Link
                    },
                    target,
                    url,
                    line,
                    column,
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.link_stack.pop();
            }
            // Raw HTML, for its `<img>` tags; a block comes a line at a
            // time, so runs are joined to read tags that span lines.
            Event::Html(_) | Event::InlineHtml(_) => match self.html_runs.last_mut() {
                Some(run) if run.end == range.start => run.end = range.end,
                _ => self.html_runs.push(range.clone()),
            },
            // Inline elements do not separate words: `half*way*`.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) => self.words.gap(),
            _ => {}
        }
        self.events.push(event);
    }
}

/// Records the raw HTML the policy takes out of each run, in text order.
fn sanitize_runs(
    text: &str,
    runs: &[std::ops::Range<usize>],
    html: &HtmlPolicy<'_>,
    position: &Positions<'_>,
    out: &mut Rendered,
) {
    for run in runs {
        for removal in sanitize::removals(&text[run.clone()], html) {
            let at = run.start + removal.at;
            let (line, column) = position.at(at);
            let removal = Removal { at, ..removal };
            out.removed.push(removed_html(&removal, line, column));
        }
    }
    out.removed.sort_by_key(|r| r.offset);
}

/// The `<img>` tags of raw HTML, as links, so they are checked like
/// Markdown images.
fn html_image_links(
    text: &str,
    runs: &[std::ops::Range<usize>],
    origin: &Origin<'_>,
    position: &Positions<'_>,
    links_out: &mut Vec<Link>,
) {
    for run in runs {
        for image in html_images(&text[run.clone()]) {
            let (line, column) = position.at(run.start + image.at);
            let target = links::resolve(origin.source, &image.src);
            let url = match &target {
                Target::Content { path, .. } => (origin.url_of)(path),
                _ => None,
            };
            links_out.push(Link {
                kind: LinkKind::HtmlImage {
                    decorative: image.alt.as_deref() == Some(""),
                },
                text: image.alt.unwrap_or_default(),
                dest: image.src,
                target,
                url,
                line,
                column,
            });
        }
    }
}

/// Rewrites each Markdown link whose target is now known: a link to a
/// source of the site goes to its output page behind [`ROOT_MARKER`], and
/// an address that runs code goes nowhere.
fn rewrite_links(events: &mut [Event<'_>], found: &[Link]) {
    let mut link_index = 0;
    for event in events {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            let link = &found[link_index];
            link_index += 1;
            if links::is_dangerous_url(dest_url) {
                *dest_url = CowStr::Borrowed("#");
            } else if let (Some(url), Target::Content { fragment, .. }) = (&link.url, &link.target)
            {
                let fragment = fragment
                    .as_deref()
                    .map(|f| format!("#{f}"))
                    .unwrap_or_default();
                *dest_url = format!("{ROOT_MARKER}{url}{fragment}").into();
            }
        }
    }
}

/// The heading ids of one document so far.
#[derive(Default)]
struct HeadingIds {
    used: std::collections::HashSet<String>,
    /// For each slug, the number to try next after it: a page of a
    /// thousand `## Step` headings would otherwise try `step-1` to
    /// `step-999` again for the last one.
    next: std::collections::HashMap<String, usize>,
}

fn removed_html(removal: &Removal, line: usize, column: usize) -> RemovedHtml {
    RemovedHtml {
        line,
        column,
        offset: removal.at,
        message: removal.message(),
        help: removal.help(),
    }
}

/// pulldown-cmark aligns table columns with `style=""`, which the pages'
/// Content-Security-Policy does not apply; the theme's `align-…` classes
/// do the same.
fn align_with_classes(html: &mut String) {
    if !html.contains(" style=\"text-align: ") {
        return;
    }
    for cell in ["th", "td"] {
        for side in ["left", "center", "right"] {
            *html = html.replace(
                &format!("<{cell} style=\"text-align: {side}\">"),
                &format!("<{cell} class=\"align-{side}\">"),
            );
        }
    }
}

/// Gives a heading its `id`: the author's `{#id}` if written, else a slug of
/// its text made unique within the document.
fn set_heading_id(event: &mut Event<'_>, text: &str, ids: &mut HeadingIds) -> String {
    let Event::Start(Tag::Heading { id, .. }) = event else {
        return String::new();
    };
    if let Some(existing) = id {
        ids.used.insert(existing.to_string());
        return existing.to_string();
    }
    let base = match slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut candidate = base.clone();
    if ids.used.contains(&candidate) {
        let n = ids.next.entry(base.clone()).or_insert(1);
        loop {
            candidate = format!("{base}-{n}");
            *n += 1;
            if !ids.used.contains(&candidate) {
                break;
            }
        }
    }
    ids.used.insert(candidate.clone());
    *id = Some(candidate.clone().into());
    candidate
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Counts words across text events, so that `half*way*` is one word and a
/// paragraph break always separates two.
#[derive(Default)]
struct WordCounter {
    count: u64,
    /// The last text ended inside a word.
    in_word: bool,
}

impl WordCounter {
    fn add(&mut self, text: &str) {
        let mut words = text.split_whitespace().count() as u64;
        if self.in_word && text.starts_with(|c: char| !c.is_whitespace()) && words > 0 {
            words -= 1;
        }
        self.count += words;
        if !text.is_empty() {
            self.in_word = !text.ends_with(char::is_whitespace);
        }
    }

    fn gap(&mut self) {
        self.in_word = false;
    }
}

/// Renders a short front-matter field (a note, a prompt). A single
/// paragraph loses its `<p>` so it sits inline in a list item.
pub fn render_inline(text: &str, origin: &Origin<'_>) -> String {
    without_paragraph(render(text, origin).html)
}

/// Unwraps HTML that is a single paragraph, for text shown inline.
pub fn without_paragraph(html: String) -> String {
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// An `<img>` tag found in raw HTML.
#[derive(Debug, PartialEq, Eq)]
struct HtmlImage {
    /// Byte offset of the `<`.
    at: usize,
    src: String,
    /// `None` when the tag has no `alt` attribute at all.
    alt: Option<String>,
}

/// The `<img>` tags of a piece of HTML, with their `src` and `alt`.
fn html_images(html: &str) -> Vec<HtmlImage> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<img").map(|i| from + i) {
        from = start + 4;
        // `<img` and not `<imgfoo`.
        if !lower[from..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>') {
            continue;
        }
        let (attributes, end) = tag_attributes(&html[from..]);
        from += end;
        let value = |name: &str| {
            attributes
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_string())
        };
        found.push(HtmlImage {
            at: start,
            src: value("src").unwrap_or_default(),
            alt: value("alt"),
        });
    }
    found
}

/// The attributes of a tag whose name has been read, up to its `>`, and
/// the length read. A `>` inside a quoted value does not end the tag.
fn tag_attributes(rest: &str) -> (Vec<(&str, &str)>, usize) {
    let bytes = rest.as_bytes();
    let mut attributes = Vec::new();
    let mut i = 0;
    let skip_space = |mut i: usize| {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        i
    };
    loop {
        i = skip_space(i);
        if i >= bytes.len() || bytes[i] == b'>' {
            return (attributes, (i + 1).min(bytes.len()));
        }
        let name_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = &rest[name_start..i];
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'=' {
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = rest[j + 1..]
                        .find(quote as char)
                        .map_or(bytes.len(), |e| j + 1 + e);
                    let value = &rest[j + 1..end];
                    j = (end + 1).min(bytes.len());
                    value
                }
                _ => {
                    let start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    &rest[start..j]
                }
            };
            attributes.push((name, value));
            i = j;
        } else {
            attributes.push((name, ""));
            i = i.max(name_start + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(path: &str) -> Option<String> {
        match path {
            "packs/ell/guide.md" => Some("packs/ell/guide/index.html".into()),
            "packs/rti/pack.md" => Some("packs/rti/index.html".into()),
            "packs/ell/handout.pdf" => Some("packs/ell/handout.pdf".into()),
            _ => None,
        }
    }

    fn render_at(text: &str) -> Rendered {
        render(
            text,
            &Origin {
                source: "packs/ell/pack.md",
                first_line: 10,
                url_of: &known,
            },
        )
    }

    #[test]
    fn rewrites_links_to_sources() {
        let r = render_at(
            "See [the guide](guide.md), [tiers](../rti/pack.md#tiers) and [x](missing.md).\n",
        );
        assert!(
            r.html
                .contains("href=\"flippack-root:packs/ell/guide/index.html\""),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("href=\"flippack-root:packs/rti/index.html#tiers\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"missing.md\""), "{}", r.html);
        assert_eq!(r.links.len(), 3);
        assert_eq!(r.links[2].url, None);
        assert_eq!(r.links[0].text, "the guide");
        assert_eq!((r.links[1].line, r.links[1].column), (10, 28));
    }

    #[test]
    fn leaves_external_links_and_defuses_scripts() {
        let r = render_at("[a](https://example.org) [b](javascript:alert(1))");
        assert!(r.html.contains("href=\"https://example.org\""));
        assert!(!r.html.contains("javascript"), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids_and_lines() {
        let r = render_at("# Title\n\n## Steps\n\n## Steps\n\n## Custom {#mine}\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "steps", "steps-1", "mine"]);
        assert_eq!(r.headings[1].line, 12);
        assert!(r.html.contains("<h2 id=\"steps-1\">"), "{}", r.html);
    }

    #[test]
    fn many_headings_with_one_text_are_numbered_in_order() {
        let text = "## Step\n\n## Step 1\n\n".to_string() + &"## Step\n\n".repeat(3000);
        let r = render_at(&text);
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(&ids[..4], ["step", "step-1", "step-2", "step-3"]);
        assert_eq!(ids.last(), Some(&"step-3001"));
    }

    #[test]
    fn columns_of_many_links_on_one_line() {
        let text = "[a](x) é ".repeat(1000);
        let r = render_at(&text);
        assert_eq!(r.links.len(), 1000);
        assert_eq!((r.links[999].line, r.links[999].column), (10, 1 + 9 * 999));
    }

    #[test]
    fn text_without_raw_html_is_published_as_pulldown_cmark_writes_it() {
        let r = render_at("He said \"wait\" & *paused*.\n\n- [x] done\n");
        assert_eq!(
            r.html,
            "<p>He said “wait” &amp; <em>paused</em>.</p>\n<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>\n</ul>\n"
        );
        assert!(r.removed.is_empty());
    }

    #[test]
    fn raw_html_is_cleaned_and_each_removal_placed() {
        let r = render_at("Intro.\n\n<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n\n## Steps {onclick=y() title=Steps}\n\n- [ ] <input type=text>\n");
        assert!(
            !r.html.contains("onclick") && !r.html.contains("alert"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<h2 id=\"steps\" title=\"Steps\">"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("type=\"text\""), "{}", r.html);
        let at: Vec<(usize, usize)> = r.removed.iter().map(|x| (x.line, x.column)).collect();
        assert_eq!(at, [(12, 1), (13, 1), (16, 1), (18, 7)], "{:?}", r.removed);
        assert!(
            r.removed[2].message.contains("this heading"),
            "{:?}",
            r.removed[2]
        );
    }

    #[test]
    fn trusted_html_is_left_alone() {
        let origin = Origin {
            source: "packs/ell/pack.md",
            first_line: 1,
            url_of: &known,
        };
        let trusted = HtmlPolicy {
            trust: true,
            video_hosts: &[],
        };
        let r = render_with(
            "<script>ok()</script>\n\n# T {onclick=x()}\n",
            &origin,
            &trusted,
        );
        assert!(r.html.starts_with("<script>ok()</script>"), "{}", r.html);
        assert!(r.html.contains("onclick"), "{}", r.html);
        assert!(r.removed.is_empty());
    }

    #[test]
    fn broken_html_never_panics() {
        for text in [
            "<",
            "<a",
            "<a href",
            "<a href=\"",
            "<a href='x",
            "<!--",
            "<!-- x",
            "<script",
            "<script>",
            "<é onclick=x>",
            "<img src=\"é\" onerror=\"é\"",
            "<a\nhref=javascript:x\n>y</a>",
            "&#xFFFFFF; <b title=\"&#99999999;\">",
            "<svg><style><img src=x onerror=y></style></svg>",
            "<iframe src=https://[::1]/x></iframe>",
            "<td style=\"text-align: left\">",
        ] {
            let r = render_at(text);
            // Left as text, or cleaned: never a live attribute.
            let html = r.html.replace("&lt;", "");
            assert!(
                !html.contains("<img src=\"é\" onerror"),
                "{text}: {}",
                r.html
            );
            assert!(!html.contains("onerror=y"), "{text}: {}", r.html);
        }
    }

    #[test]
    fn counts_rendered_words_only() {
        let r = render_at("# Two words\n\nOne *half*way [link text](guide.md) `code`.\n\n<!-- not words -->\n- a\n- b\n");
        // Two, words, One, halfway, link, text, code., a, b
        assert_eq!(r.words, 9);
        assert_eq!(render_at("").words, 0);
    }

    #[test]
    fn inline_fields_lose_their_paragraph() {
        let origin = Origin {
            source: "packs/ell/pack.md",
            first_line: 1,
            url_of: &known,
        };
        assert_eq!(
            render_inline("Watch *three* moves.", &origin),
            "Watch <em>three</em> moves."
        );
        assert!(render_inline("One.\n\nTwo.", &origin).starts_with("<p>"));
    }

    #[test]
    fn images_in_raw_html() {
        let found = html_images(
            "<p><IMG src=\"a.png\" alt='A > B'> <imgx> <img\n src=b.png\n alt=\"\"/><img src=\"c.png\"></p>",
        );
        let got: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|i| (i.src.as_str(), i.alt.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("a.png", Some("A > B")),
                ("b.png", Some("")),
                ("c.png", None)
            ]
        );
        assert_eq!(found[0].at, 3);
        // An unclosed tag at the end reads what there is.
        assert_eq!(html_images("<img src=\"d.png")[0].src, "d.png");
    }
}
