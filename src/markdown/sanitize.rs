//! Raw HTML in Markdown: what it may contain, taking the rest out, and
//! saying what was taken out and where.
//!
//! A district site has many authors, and one pasted embed code must not
//! run script in every teacher's browser. So the HTML of a text that holds
//! raw HTML goes through ammonia (a sanitizer built on a browser-grade
//! HTML parser) with the allow-list below, and the raw HTML as written is
//! read against the same allow-list to report each tag and attribute that
//! goes, at its line. Text without raw HTML needs neither: the HTML that
//! pulldown-cmark makes of Markdown is escaped already.
//!
//! The report is for authors; safety does not depend on it. Where the
//! reading here and the browser's would differ (HTML broken in odd ways),
//! ammonia still removes what it must, and at worst the report misses it.

use std::collections::{HashMap, HashSet};

use ammonia::Url;

/// What raw HTML may do on this site, from `site.yaml` (`HtmlPolicy::of`
/// is in `config`, which sits above Markdown).
#[derive(Debug, Clone, Copy)]
pub struct HtmlPolicy<'a> {
    /// Publish raw HTML as written (`trust_html: true`).
    pub trust: bool,
    /// Hosts that `<iframe>`s may load from, over https (`video_hosts`).
    pub video_hosts: &'a [String],
}

impl HtmlPolicy<'_> {
    /// Nothing trusted, no iframes.
    pub const STRICT: HtmlPolicy<'static> = HtmlPolicy {
        trust: false,
        video_hosts: &[],
    };
}

/// Elements authors may write: text, lists, tables, `details`, images,
/// figures, links, media and (from the video hosts) iframes.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements removed with everything inside them: their content is code
/// or would be shown as raw text.
const REMOVED_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "textarea",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
];

/// Attributes allowed on every allowed element (and `aria-*`). Markdown
/// headings get their `id`s and classes this way; code blocks their
/// `language-…` class.
const GENERIC_ATTRIBUTES: &[&str] = &["class", "id", "title", "lang", "dir"];

/// Attributes allowed on one element.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "target"]),
    (
        "img",
        &["src", "alt", "width", "height", "loading", "decoding"],
    ),
    (
        "iframe",
        &[
            "src",
            "width",
            "height",
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
            "frameborder",
        ],
    ),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("time", &["datetime"]),
    ("details", &["open"]),
    // Markdown task lists: `<input disabled="" type="checkbox">`.
    ("input", &["checked", "disabled"]),
    (
        "video",
        &[
            "src",
            "controls",
            "poster",
            "preload",
            "width",
            "height",
            "muted",
            "loop",
            "playsinline",
        ],
    ),
    ("audio", &["src", "controls", "preload", "muted", "loop"]),
    ("source", &["src", "type"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
];

/// Attributes that hold an address, checked against [`URL_SCHEMES`]: the
/// ones ammonia checks.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster"];

/// Schemes an address may have. `flippack-root:` is the site's own marker
/// for links to other pages (see `links::ROOT_MARKER`).
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "flippack-root"];

/// `rel` on links is written by the sanitizer itself (`noopener
/// noreferrer`), so a `rel` an author wrote is replaced, not lost.
const LINK_REL: &str = "noopener noreferrer";

/// Why an attribute is taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `onclick`, `onerror`, …: runs script.
    EventHandler,
    /// `style`: blocked by the pages' Content-Security-Policy anyway.
    Style,
    /// An address with a scheme that is not allowed (`javascript`, `data`).
    Scheme(String),
    /// An iframe from a host not in `video_hosts`.
    FrameHost(String),
    /// An iframe address that is not https.
    FrameNotHttps,
    /// Any other attribute the allow-list does not have.
    NotAllowed,
}

/// What was taken out of one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// The whole element; `with_content` when what it held went too.
    Tag { with_content: bool },
    /// Some of its attributes, each with why.
    Attributes(Vec<(String, Reason)>),
}

/// A tag of raw HTML that loses something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// Byte offset of the tag's `<` in the text that was read.
    pub at: usize,
    /// The element's name, in lower case.
    pub tag: String,
    /// Written as `{…}` attributes of a Markdown heading, not as HTML.
    pub heading: bool,
    pub removed: Removed,
}

impl Removal {
    /// What was removed, for a finding.
    pub fn message(&self) -> String {
        let tag = &self.tag;
        let element = if self.heading {
            "this heading".to_string()
        } else {
            format!("raw HTML `<{tag}>`")
        };
        match &self.removed {
            Removed::Tag { with_content: true } => {
                format!("raw HTML `<{tag}>` was removed from the page, with everything inside it")
            }
            Removed::Tag {
                with_content: false,
            } => format!("raw HTML `<{tag}>` was removed from the page"),
            Removed::Attributes(attributes) => {
                let names: Vec<String> = attributes.iter().map(|(n, _)| format!("`{n}`")).collect();
                let names = match names.split_last() {
                    Some((last, [])) => last.clone(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                };
                let (noun, verb) = if attributes.len() == 1 {
                    ("attribute", "was")
                } else {
                    ("attributes", "were")
                };
                format!("the {noun} {names} of {element} {verb} removed from the page")
            }
        }
    }

    /// Why, and what to do instead.
    pub fn help(&self) -> String {
        let why = match &self.removed {
            Removed::Tag { .. } if self.tag == "script" => {
                "a script in a page would run in every teacher's browser".to_string()
            }
            Removed::Tag { .. } if self.tag == "style" => {
                "styles belong in the theme's stylesheet".to_string()
            }
            Removed::Tag { .. } => "raw HTML may hold text, lists, tables, `details`, images, \
                figures, links, audio, video and iframes from `video_hosts`; write the rest in Markdown"
                .to_string(),
            Removed::Attributes(attributes) => {
                let reason = attributes
                    .iter()
                    .map(|(_, r)| r)
                    .find(|r| **r != Reason::NotAllowed)
                    .unwrap_or(&Reason::NotAllowed);
                match reason {
                    Reason::EventHandler => {
                        "event-handler attributes (`onclick`, `onerror`, …) run scripts".to_string()
                    }
                    Reason::Style => "`style` attributes are blocked by the pages' \
                        Content-Security-Policy; use the theme's stylesheet"
                        .to_string(),
                    Reason::Scheme(scheme) => format!(
                        "`{scheme}:` addresses are not allowed: link to an https:// address, \
                         an email (`mailto:`) or a page of the site"
                    ),
                    Reason::FrameHost(host) => format!(
                        "`{host}` is not in `video_hosts` in site.yaml; add it there if it is a \
                         video player you trust"
                    ),
                    Reason::FrameNotHttps => {
                        "an `<iframe>` must load an https:// address from a host in `video_hosts` \
                         in site.yaml"
                            .to_string()
                    }
                    Reason::NotAllowed if attributes.len() == 1 => {
                        "pages do not allow this attribute".to_string()
                    }
                    Reason::NotAllowed => "pages do not allow these attributes".to_string(),
                }
            }
        };
        format!(
            "{why}. To publish raw HTML exactly as written, set `trust_html: true` in site.yaml, \
             but only if you trust every author: it lets their HTML run scripts in teachers' browsers"
        )
    }
}

/// The HTML of a text, with what the policy does not allow taken out.
pub fn clean(html: &str, policy: &HtmlPolicy<'_>) -> String {
    let set = |names: &[&'static str]| names.iter().copied().collect::<HashSet<_>>();
    let tag_attributes: HashMap<&'static str, HashSet<&'static str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, names)| (*tag, set(names)))
        .collect();
    let hosts: Vec<String> = policy.video_hosts.to_vec();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(set(TAGS))
        .clean_content_tags(set(REMOVED_WITH_CONTENT))
        .generic_attributes(set(GENERIC_ATTRIBUTES))
        .generic_attribute_prefixes(set(&["aria-"]))
        .tag_attributes(tag_attributes)
        .tag_attribute_values(HashMap::from([(
            "input",
            HashMap::from([("type", set(&["checkbox"]))]),
        )]))
        // Task lists are the only inputs pages need: any other becomes an
        // inert box too, rather than a text field that goes nowhere.
        .set_tag_attribute_values(HashMap::from([(
            "input",
            HashMap::from([("type", "checkbox"), ("disabled", "")]),
        )]))
        .url_schemes(set(URL_SCHEMES))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" && frame_problem(value, &hosts).is_some() {
                None
            } else {
                Some(value.into())
            }
        });
    empty_frames(builder.clean(html).to_string())
}

/// `html` with nothing between each `<iframe …>` and its `</iframe>`. A
/// browser takes what an iframe holds as plain text and never shows it,
/// but an iframe left open by its author holds the rest of the text, tags
/// and all: dropping it keeps that markup out of the page altogether.
/// `html` is the sanitizer's output, whose tags are lower case and whose
/// attribute values are quoted with `"`.
fn empty_frames(html: String) -> String {
    if !html.contains("<iframe") {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(open) = rest.find("<iframe") {
        let mut quoted = false;
        let tag_end = rest[open..].char_indices().find_map(|(i, c)| {
            match c {
                '"' => quoted = !quoted,
                '>' if !quoted => return Some(open + i + 1),
                _ => {}
            }
            None
        });
        let Some(tag_end) = tag_end else {
            break;
        };
        out.push_str(&rest[..tag_end]);
        rest = &rest[tag_end..];
        rest = rest.find("</iframe>").map_or("", |close| &rest[close..]);
    }
    out.push_str(rest);
    out
}

/// The tags of `html` (raw HTML as written) that [`clean`] takes
/// something out of.
pub fn removals(html: &str, policy: &HtmlPolicy<'_>) -> Vec<Removal> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find('<').map(|i| from + i) {
        let rest = &lower[at + 1..];
        from = at + 1;
        if let Some(comment) = rest.strip_prefix("!--") {
            from += 3 + comment.find("-->").map_or(comment.len(), |e| e + 3);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // An end tag, a doctype, a `<` in text: nothing to report.
            continue;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let tag = &rest[..name_len];
        let (attributes, len) = super::tag_attributes(&html[at + 1 + name_len..]);
        from = at + 1 + name_len + len;
        if !TAGS.contains(&tag) {
            let with_content = REMOVED_WITH_CONTENT.contains(&tag);
            if with_content {
                // Skip what it holds: it is text to the browser, not tags.
                let close = format!("</{tag}");
                from = lower[from..].find(&close).map_or(lower.len(), |e| from + e);
            }
            found.push(Removal {
                at,
                tag: tag.to_string(),
                heading: false,
                removed: Removed::Tag { with_content },
            });
            continue;
        }
        let taken: Vec<(String, Reason)> = attributes
            .iter()
            .filter_map(|(name, value)| {
                let name = name.to_ascii_lowercase();
                let reason = attribute_problem(tag, &name, &decode_entities(value), policy)?;
                Some((name, reason))
            })
            .collect();
        if !taken.is_empty() {
            found.push(Removal {
                at,
                tag: tag.to_string(),
                heading: false,
                removed: Removed::Attributes(taken),
            });
        }
    }
    found
}

/// Why the attribute `name="value"` of an allowed `tag` is taken out, if
/// it is. `name` is in lower case.
pub fn attribute_problem(
    tag: &str,
    name: &str,
    value: &str,
    policy: &HtmlPolicy<'_>,
) -> Option<Reason> {
    if name.starts_with("on") {
        return Some(Reason::EventHandler);
    }
    if name == "style" {
        return Some(Reason::Style);
    }
    let allowed = GENERIC_ATTRIBUTES.contains(&name)
        || name.starts_with("aria-")
        || (tag == "a" && name == "rel")
        || (tag == "input" && name == "type" && value.eq_ignore_ascii_case("checkbox"))
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, names)| *t == tag && names.contains(&name));
    if !allowed {
        return Some(Reason::NotAllowed);
    }
    if tag == "iframe" && name == "src" {
        return frame_problem(value, policy.video_hosts);
    }
    if URL_ATTRIBUTES.contains(&name) {
        return match Url::parse(value) {
            Ok(url) if URL_SCHEMES.contains(&url.scheme()) => None,
            Ok(url) => Some(Reason::Scheme(url.scheme().to_string())),
            Err(ammonia::url::ParseError::RelativeUrlWithoutBase) => None,
            Err(_) => Some(Reason::NotAllowed),
        };
    }
    None
}

/// Why an iframe may not load `src`: it must be https, from one of `hosts`.
fn frame_problem(src: &str, hosts: &[String]) -> Option<Reason> {
    match Url::parse(src) {
        Ok(url) if url.scheme() == "https" => {
            let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
            let host = match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            };
            (!hosts.contains(&host)).then_some(Reason::FrameHost(host))
        }
        Ok(url) if url.scheme() != "http" => Some(Reason::Scheme(url.scheme().to_string())),
        _ => Some(Reason::FrameNotHttps),
    }
}

/// Character references in an attribute value, decoded as a browser
/// would for the ones that disguise an address (`java&#115;cript:`).
/// Others are left as written: the report may miss them, the sanitizer
/// does not.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'))
            .map_or(rest.len(), |(i, _)| i);
        let name = &rest[1..end];
        let decoded = if let Some(number) = name.strip_prefix('#') {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            code.and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if end > 1 => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> (Vec<String>, bool) {
        (vec!["www.youtube-nocookie.com".to_string()], false)
    }

    fn clean_default(html: &str) -> String {
        let (hosts, trust) = policy();
        clean(
            html,
            &HtmlPolicy {
                trust,
                video_hosts: &hosts,
            },
        )
    }

    fn found(html: &str) -> Vec<(String, Removed)> {
        let (hosts, trust) = policy();
        removals(
            html,
            &HtmlPolicy {
                trust,
                video_hosts: &hosts,
            },
        )
        .into_iter()
        .map(|r| (r.tag, r.removed))
        .collect()
    }

    #[test]
    fn scripts_and_handlers_go_text_stays() {
        assert_eq!(
            clean_default("<p>Hi<script>alert(1)</script> <b onclick=\"x()\">there</b></p>"),
            "<p>Hi <b>there</b></p>"
        );
        assert_eq!(
            clean_default("<svg onload=alert(1)><circle/></svg>ok"),
            "ok"
        );
        assert_eq!(
            clean_default("<a href=\"javascript:alert(1)\" target=\"_blank\">x</a>"),
            "<a target=\"_blank\" rel=\"noopener noreferrer\">x</a>"
        );
    }

    #[test]
    fn iframes_only_from_the_hosts() {
        let kept = "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"T\" allowfullscreen=\"\"></iframe>";
        assert_eq!(clean_default(kept), kept);
        assert_eq!(
            clean_default("<iframe src=\"https://evil.example/x\"></iframe>"),
            "<iframe></iframe>"
        );
        assert_eq!(
            clean_default("<iframe src=\"http://www.youtube-nocookie.com/embed/x\"></iframe>"),
            "<iframe></iframe>"
        );
    }

    #[test]
    fn what_an_iframe_holds_is_dropped() {
        // Left open, the first iframe holds the rest of the text, which a
        // browser never parses but which would still stand in the page.
        assert_eq!(
            clean_default(
                "<iframe></iUframe> a <iframe src=\"javascript:alert(1)\"></iUframe> b</iframe><p>after</p>"
            ),
            "<iframe></iframe><p>after</p>"
        );
        assert_eq!(
            clean_default(
                "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"a > b\">text</iframe>"
            ),
            "<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"a &gt; b\"></iframe>"
        );
    }

    #[test]
    fn the_report_names_each_tag_and_attribute() {
        assert_eq!(
            found("<p onclick=x style=\"color: red\">a</p><script>document.write('<img onerror=y>')</script><b>ok</b>"),
            [
                (
                    "p".to_string(),
                    Removed::Attributes(vec![
                        ("onclick".into(), Reason::EventHandler),
                        ("style".into(), Reason::Style)
                    ])
                ),
                (
                    "script".to_string(),
                    Removed::Tag { with_content: true }
                ),
            ]
        );
        assert_eq!(
            found("<A HREF=\"java&#115;cript:x\">a</A><iframe src=https://evil.example/v></iframe><!-- <script> -->"),
            [
                (
                    "a".to_string(),
                    Removed::Attributes(vec![("href".into(), Reason::Scheme("javascript".into()))])
                ),
                (
                    "iframe".to_string(),
                    Removed::Attributes(vec![(
                        "src".into(),
                        Reason::FrameHost("evil.example".into())
                    )])
                ),
            ]
        );
        assert!(found(
            "<a href=\"guide.md\" rel=\"noopener\">g</a><input type=checkbox checked disabled>"
        )
        .is_empty());
    }

    #[test]
    fn messages_say_what_and_why() {
        let r = Removal {
            at: 0,
            tag: "img".into(),
            heading: false,
            removed: Removed::Attributes(vec![
                ("onerror".into(), Reason::EventHandler),
                ("style".into(), Reason::Style),
            ]),
        };
        assert_eq!(
            r.message(),
            "the attributes `onerror` and `style` of raw HTML `<img>` were removed from the page"
        );
        assert!(
            r.help().starts_with("event-handler attributes"),
            "{}",
            r.help()
        );
        assert!(r.help().contains("trust_html: true"));
    }

    #[test]
    fn entities_are_decoded_where_they_hide_a_scheme() {
        assert_eq!(decode_entities("java&#x73;cript&colon;x"), "javascript:x");
        assert_eq!(decode_entities("a&b &amp; &#; &zz;"), "a&b & &#; &zz;");
        assert_eq!(decode_entities("&#xFFFFFFFF;é"), "&#xFFFFFFFF;é");
    }
}
