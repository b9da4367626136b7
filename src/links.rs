//! Where each source file is published, and how pages link to each other.
//!
//! Every link flippack writes is relative, so a site works under any
//! sub-path and opened straight from disk. Rendered Markdown is shared
//! between pages at different depths (a prompt appears on the pack page and
//! on its facilitator page), so links inside it are written against the
//! site root behind [`ROOT_MARKER`]; the writer swaps the marker for the
//! right `../` prefix of each page as it writes it.

use crate::layout;

/// Stands for "the site root, relative to the page being written". It is
/// shaped like a URL scheme so that HTML escaping leaves it intact, and it
/// is only replaced right after an opening quote, inside an attribute.
pub const ROOT_MARKER: &str = "flippack-root:";

/// The output URL (relative to the site root) of a content file, given its
/// path relative to `content/` with `/` separators.
pub fn url_for_source(content_rel: &str) -> Option<String> {
    let parts: Vec<&str> = content_rel.split('/').collect();
    match parts.as_slice() {
        ["_index.md"] => Some(layout::HOME.into()),
        ["packs", slug] | ["packs", slug, "pack.md"] | ["packs", slug, ""] => {
            Some(layout::pack(slug))
        }
        ["packs", slug, page] if page.ends_with(".md") => {
            Some(layout::page(slug, page.trim_end_matches(".md")))
        }
        ["pathways", name] if name.ends_with(".md") => {
            Some(layout::pathway(name.trim_end_matches(".md")))
        }
        _ => None,
    }
}

/// The `../` prefix that leads from the page at `url` back to the root:
/// `packs/ell/index.html` → `../../`.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Replaces [`ROOT_MARKER`] in a page with `prefix` (the page's
/// [`root_prefix`], or the site's absolute base URL in feeds).
pub fn fix_root_links(html: &str, prefix: &str) -> String {
    // Every page of the site goes through here: one vectorised pass
    // (memchr) rather than a search and then a replace.
    // The prefix lands inside an attribute: `base_url` is checked to hold
    // nothing that ends one, but a `&` must still be written `&amp;`.
    let escaped;
    let prefix = if prefix.contains(['&', '"', '\'', '<', '>']) {
        escaped = crate::html::escape(prefix);
        escaped.as_str()
    } else {
        prefix
    };
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for at in memchr::memmem::find_iter(html.as_bytes(), QUOTED_MARKER) {
        out.push_str(&html[copied..at]);
        out.push('"');
        out.push_str(prefix);
        copied = at + QUOTED_MARKER.len();
    }
    out.push_str(&html[copied..]);
    out
}

/// [`fix_root_links`] on a page the caller is done with, rewritten in its
/// own buffer: a page's `../` prefix is shorter than the marker it
/// replaces, so the page only shrinks, and writing a site of large
/// listing pages then costs no second page-sized buffer per page.
pub fn fix_root_links_in(html: String, prefix: &str) -> String {
    let escaped;
    let written = if prefix.contains(['&', '"', '\'', '<', '>']) {
        escaped = crate::html::escape(prefix);
        escaped.as_str()
    } else {
        prefix
    };
    if 1 + written.len() > QUOTED_MARKER.len() {
        return fix_root_links(&html, prefix);
    }
    let prefix = written;
    let finder = memchr::memmem::Finder::new(QUOTED_MARKER);
    let mut bytes = html.into_bytes();
    // What is left to read always lies after what has been written.
    let (mut read, mut write) = (0, 0);
    while let Some(at) = finder.find(&bytes[read..]).map(|i| i + read) {
        bytes.copy_within(read..at, write);
        write += at - read;
        bytes[write] = b'"';
        bytes[write + 1..write + 1 + prefix.len()].copy_from_slice(prefix.as_bytes());
        write += 1 + prefix.len();
        read = at + QUOTED_MARKER.len();
    }
    let len = bytes.len();
    bytes.copy_within(read..len, write);
    bytes.truncate(write + len - read);
    // Only whole ASCII runs were moved or written, so the text is still
    // UTF-8; the fallback cannot change a byte of it.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`ROOT_MARKER`] as pages hold it: right after an attribute's quote.
const QUOTED_MARKER: &str = "\"flippack-root:";

/// What a link in Markdown points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another site, `mailto:` and the like: left alone.
    External,
    /// `#anchor` on the same page.
    SamePage(String),
    /// A path inside `content/`, normalised, plus the `#fragment` if any.
    Content {
        path: String,
        fragment: Option<String>,
    },
    /// A relative path that climbs out of `content/`.
    Escapes,
}

/// Classifies `dest` written in the file at `source` (both relative to
/// `content/`) and resolves relative paths against the file's folder.
pub fn resolve(source: &str, dest: &str) -> Target {
    if let Some(anchor) = dest.strip_prefix('#') {
        return Target::SamePage(anchor.to_string());
    }
    if dest.starts_with("//") || has_scheme(dest) {
        return Target::External;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    // `notes%20%231.txt` names the file `notes #1.txt`; a `%` that starts
    // no escape is taken as it is.
    let decoded = percent_decode(path);
    let path = decoded.as_deref().unwrap_or(path);
    let base: Vec<&str> = match path.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => {
            let mut dirs: Vec<&str> = source.split('/').collect();
            dirs.pop();
            dirs
        }
    };
    match normalize(base, path.trim_start_matches('/')) {
        Some(path) => Target::Content { path, fragment },
        None => Target::Escapes,
    }
}

/// Joins `rel` onto the folders `base`, folding `.` and `..`; `None` when
/// it climbs above the start.
pub fn normalize<'a>(mut base: Vec<&'a str>, rel: &'a str) -> Option<String> {
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                base.pop()?;
            }
            _ => base.push(part),
        }
    }
    Some(base.join("/"))
}

/// Whether `dest` starts with a URL scheme (`https:`, `mailto:`, `file:`).
pub fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Whether `url` is a web address a browser opens as a page: `http://`
/// or `https://`, then a host, and no control characters. Front matter
/// fields that hold an address (a resource's `url` and `transcript`) take
/// nothing else, so a `file:///etc/passwd` or a script never reaches a
/// page.
pub fn is_web_address(url: &str) -> bool {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !url.chars().any(char::is_control)
}

/// Schemes that run code when clicked: never written into a page.
pub fn is_dangerous_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// A path of the site written for an address: every byte but letters,
/// digits, `-._~` and the `/` between folders as a `%XX` escape. A file
/// named `notes #1.txt` must be linked as `notes%20%231.txt`, or the
/// browser reads `#1.txt` as a place in the page.
pub fn percent_encode_path(path: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    out
}

/// `%XX` escapes decoded; `None` for a malformed escape or bytes that are
/// not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_urls() {
        let cases = [
            ("_index.md", Some("index.html")),
            ("packs/ell/pack.md", Some("packs/ell/index.html")),
            ("packs/ell", Some("packs/ell/index.html")),
            ("packs/ell/guide.md", Some("packs/ell/guide/index.html")),
            ("pathways/year.md", Some("pathways/year/index.html")),
            ("packs/ell/handout.pdf", None),
            ("other.md", None),
        ];
        for (src, url) in cases {
            assert_eq!(url_for_source(src).as_deref(), url, "{src}");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("packs/ell/index.html"), "../../");
        assert_eq!(root_prefix("packs/ell/guide/index.html"), "../../../");
        assert_eq!(
            fix_root_links(
                "<a href=\"flippack-root:packs/x/index.html\">flippack-root:",
                "../"
            ),
            "<a href=\"../packs/x/index.html\">flippack-root:"
        );
        assert_eq!(
            fix_root_links("\"flippack-root:a\" é \"flippack-root:", "/"),
            "\"/a\" é \"/"
        );
        assert_eq!(fix_root_links("no links", "../"), "no links");
    }

    #[test]
    fn root_links_fixed_in_place_as_in_a_copy() {
        let pages = [
            "",
            "no links",
            "\"flippack-root:",
            "<a href=\"flippack-root:packs/a/index.html\">é</a><img src=\"flippack-root:x.png\">",
            "flippack-root: unquoted, \"flippack-root:\"flippack-root:twice ü",
        ];
        for page in pages {
            for prefix in [
                "",
                "../",
                "../../../../",
                "a&b/",
                "https://pd.example.org/sub/path/",
            ] {
                assert_eq!(
                    fix_root_links_in(page.to_string(), prefix),
                    fix_root_links(page, prefix),
                    "{page:?} with {prefix:?}"
                );
            }
        }
    }

    #[test]
    fn link_resolution() {
        let from = "packs/ell/pack.md";
        let content = |p: &str, f: Option<&str>| Target::Content {
            path: p.into(),
            fragment: f.map(Into::into),
        };
        let cases = [
            ("guide.md", content("packs/ell/guide.md", None)),
            (
                "./guide.md#step-2",
                content("packs/ell/guide.md", Some("step-2")),
            ),
            (
                "../rti/pack.md#tiers",
                content("packs/rti/pack.md", Some("tiers")),
            ),
            ("../../pathways/year.md", content("pathways/year.md", None)),
            ("/packs/rti/pack.md", content("packs/rti/pack.md", None)),
            ("handout.pdf?v=2", content("packs/ell/handout.pdf", None)),
            (
                "notes%20%231.txt#part",
                content("packs/ell/notes #1.txt", Some("part")),
            ),
            ("100%.txt", content("packs/ell/100%.txt", None)),
            ("#goal", Target::SamePage("goal".into())),
            ("https://example.org/x.md", Target::External),
            ("mailto:coach@example.org", Target::External),
            ("//cdn.example.org/a.js", Target::External),
            ("../../../secret.md", Target::Escapes),
            ("..\\..\\..\\x", Target::Escapes),
        ];
        for (dest, expected) in cases {
            assert_eq!(resolve(from, dest), expected, "{dest}");
        }
    }

    #[test]
    fn url_schemes() {
        assert!(is_dangerous_url(" JavaScript:alert(1)"));
        assert!(is_dangerous_url("java\tscript:alert(1)"));
        assert!(!is_dangerous_url("https://example.org"));
    }

    #[test]
    fn web_addresses() {
        for good in [
            "https://example.org",
            " https://example.org/a?b#c ",
            "HTTP://Example.org:8080/x",
            "https://user@example.org/x",
        ] {
            assert!(is_web_address(good), "{good}");
        }
        for bad in [
            "",
            "https://",
            "https:///etc/passwd",
            "http:/example.org",
            "file:///etc/passwd",
            "ftp://example.org/x",
            "javascript:alert(1)",
            "data:text/html,x",
            "mailto:coach@example.org",
            "www.example.org",
            "//example.org/x",
            "https://example.org/\njavascript:x",
            "htt",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
        assert!(has_scheme("file:///x") && has_scheme("mailto:x"));
        assert!(!has_scheme("reading.md") && !has_scheme("//example.org"));
    }

    #[test]
    fn encodes_paths_for_addresses() {
        assert_eq!(
            percent_encode_path("packs/ell/notes #1 (v2) 100%?.txt"),
            "packs/ell/notes%20%231%20%28v2%29%20100%25%3F.txt"
        );
        assert_eq!(percent_encode_path("a/b-c_d.e~f"), "a/b-c_d.e~f");
        assert_eq!(percent_encode_path("café.pdf"), "caf%C3%A9.pdf");
        let name = "what? #1 100%.txt";
        assert_eq!(
            percent_decode(&percent_encode_path(name)).as_deref(),
            Some(name)
        );
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b%2F").as_deref(), Some("a b/"));
        assert_eq!(percent_decode("caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(percent_decode("%"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
