//! What each fuzz target does with its input, shared by the `cargo fuzz`
//! targets and by `tests/fuzz_corpus.rs`, which replays the committed corpus
//! on every `cargo test` so that an input that once broke flippack keeps
//! being tried.
//!
//! Every function must return normally for any input: a panic, a hang or an
//! assertion failure here is a bug in flippack.

#![allow(dead_code, reason = "each fuzz target uses one function")]

use std::fs;
use std::path::Path;

use flippack::check::{check, CheckOptions};
use flippack::config::Config;
use flippack::content::raw::{RawPack, RawPage, RawPathway};
use flippack::credit::parse_duration;
use flippack::input::frontmatter::{from_yaml, split};
use flippack::input::text::unix_line_ends;
use flippack::markdown::{render_with, HtmlPolicy, Origin};
use flippack::output::MemorySink;
use flippack::render::{render_site, Theme};
use flippack::{load_site, LoadOptions};

/// Front matter of a pack, a pathway or a page, and `site.yaml`.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // As flippack reads a file.
    let source = &unix_line_ends(text.to_string());
    let _ = Config::parse(source);
    let Ok(parts) = split(source) else {
        return;
    };
    let Some(yaml) = parts.yaml else {
        return;
    };
    let file = "packs/fuzz/pack.md";
    let lines = source.lines().count().max(1);
    for line in [
        from_yaml::<RawPack>(yaml, file, source, parts.yaml_line).err(),
        from_yaml::<RawPathway>(yaml, file, source, parts.yaml_line).err(),
        from_yaml::<RawPage>(yaml, file, source, parts.yaml_line).err(),
    ]
    .into_iter()
    .flatten()
    .map(|d| d.line)
    {
        // A diagnostic points into the file, or at its end.
        assert!(line <= lines + 1, "line {line} of a {lines}-line file");
    }
}

/// A duration as coaches write it: whatever parses must print as a label
/// and be positive.
pub fn duration(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(duration) = parse_duration(text) {
        assert!(duration.as_millis() > 0, "{text:?} parsed as no time");
        let _ = duration.label();
    }
}

/// Markdown rendering with link rewriting, against a site that publishes a
/// few files, under the site's default raw-HTML policy: whatever the text,
/// the HTML must not be able to run script.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let url_of = |path: &str| match path {
        "packs/fuzz/pack.md" => Some("packs/fuzz/index.html".to_string()),
        "packs/fuzz/reading.md" => Some("packs/fuzz/reading/index.html".to_string()),
        "packs/fuzz/notes.pdf" => Some("packs/fuzz/notes.pdf".to_string()),
        _ => None,
    };
    let origin = Origin {
        source: "packs/fuzz/reading.md",
        first_line: 3,
        url_of: &url_of,
    };
    let video_hosts = ["www.youtube-nocookie.com".to_string()];
    let policy = HtmlPolicy {
        trust: false,
        video_hosts: &video_hosts,
    };
    let rendered = render_with(text, &origin, &policy);
    let last_line = origin.first_line + text.lines().count();
    for link in &rendered.links {
        assert!(
            (origin.first_line..=last_line).contains(&link.line),
            "link on line {} of a text on lines {}..={last_line}",
            link.line,
            origin.first_line
        );
    }
    for heading in &rendered.headings {
        assert!(!heading.id.is_empty(), "a heading without an id");
    }
    if let Some(danger) = scripting(&rendered.html) {
        panic!("{danger} in {:?}", rendered.html);
    }
}

/// The first thing in `html` that could run script, if any: a tag that
/// runs or loads code, an `on…` attribute, or a `javascript:` address.
/// `html` is the sanitizer's output, so its tags are well formed and a
/// `<` in text is always written `&lt;`.
pub fn scripting(html: &str) -> Option<String> {
    const TAGS: &[&str] = &[
        "script", "style", "object", "embed", "meta", "base", "form", "link", "frame", "frameset",
        "svg", "math",
    ];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        if TAGS.contains(&name.as_str()) {
            return Some(format!("a <{name}> tag"));
        }
        let mut attrs = &rest[name_end..];
        loop {
            attrs = attrs.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if attrs.is_empty() || attrs.starts_with('>') {
                break;
            }
            let key_end = attrs
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(attrs.len());
            let key = attrs[..key_end].to_ascii_lowercase();
            attrs = &attrs[key_end..];
            let mut value = "";
            if let Some(after) = attrs.trim_start().strip_prefix('=') {
                let after = after.trim_start();
                let (v, left) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let end = after[1..].find(q).map_or(after.len(), |i| i + 1);
                        (&after[1..end], after.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                value = v;
                attrs = left;
            }
            if key.starts_with("on") {
                return Some(format!("an `{key}` attribute on <{name}>"));
            }
            // As a browser reads it (the URL standard): entities decoded
            // once, leading and trailing controls and spaces trimmed, and
            // tabs and new lines anywhere ignored.
            let address: String = decode_entities(value)
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            let runs_code = ["javascript:", "vbscript:", "data:text/html"]
                .iter()
                .any(|scheme| address.starts_with(scheme));
            if ["href", "src", "action", "formaction", "xlink:href"].contains(&key.as_str())
                && runs_code
            {
                return Some(format!("`{key}={value}` on <{name}>"));
            }
            if name == "iframe"
                && key == "src"
                && !value.is_empty()
                && !value.starts_with("https://www.youtube-nocookie.com/")
            {
                return Some(format!("an iframe from {value}"));
            }
        }
        rest = rest
            .get(rest.find('>').map_or(rest.len(), |i| i + 1)..)
            .unwrap_or("");
    }
    None
}

/// `text` with its character references decoded, as an attribute value
/// is before the browser uses it.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let number = match name.strip_prefix('#') {
                Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
                Some(dec) => dec.parse().ok(),
                None => None,
            };
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => number.and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Most files one input may make, so that each run stays quick.
const MAX_FILES: usize = 12;

/// A whole site, from a small tree of files the input describes: each
/// file starts with a line `@@ path`, and its text runs to the next such
/// line. Paths are kept inside the site; anything else is skipped.
///
/// Loading, checking and building must agree: a site that builds has no
/// errors in `check`, and one that `check` cannot load does not build.
pub fn site(data: &[u8]) {
    let Ok(dir) = tempfile::Builder::new()
        .prefix("flippack-fuzz")
        .tempdir_in(scratch())
    else {
        return;
    };
    let root = dir.path();
    for (path, contents) in files(data) {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            if fs::create_dir_all(parent).is_err() {
                continue;
            }
        }
        // A later file may reuse a folder's name; skip it as a person's
        // editor would fail to save it.
        let _ = fs::write(&target, contents);
    }

    let loaded = load_site(root, LoadOptions { drafts: false });
    let built = loaded.as_ref().ok().and_then(|loaded| {
        let theme = Theme::load(root, &loaded.site.config.theme).ok()?;
        render_site(&loaded.site, &theme, &MemorySink::default()).ok()
    });
    let report = check(&CheckOptions {
        root: root.to_path_buf(),
        drafts: false,
        codes: None,
    });
    if built.is_some() {
        assert!(
            report.loaded,
            "the site builds, but check could not load it: {:?}",
            report.findings
        );
    }
    if !report.loaded {
        assert!(loaded.is_err(), "check could not load a site that loads");
    }
    assert!(
        !(report.loaded && loaded.is_err()),
        "check loaded a site that does not load"
    );
}

/// Where the fuzzed sites are written: memory when the system has it.
fn scratch() -> &'static Path {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        Path::new(".")
    }
}

/// The files an input describes, with their paths made safe.
fn files(data: &[u8]) -> Vec<(String, &[u8])> {
    let mut files = Vec::new();
    // Text before the first header is site.yaml, so that inputs without
    // headers still exercise the configuration.
    let mut current = Some("site.yaml".to_string());
    let mut start = 0;
    let mut offset = 0;
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(header) = line.strip_prefix(b"@@ ") {
            if let Some(path) = current.take() {
                files.push((path, &data[start..offset]));
            }
            current = safe_path(header);
            start = offset + line.len();
        }
        offset += line.len();
    }
    if let Some(path) = current {
        files.push((path, &data[start..]));
    }
    files.truncate(MAX_FILES);
    files
}

/// A relative path of at most four plain names, or `None`.
fn safe_path(header: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(header).ok()?.trim();
    let parts: Vec<&str> = text.split('/').collect();
    let plain = |part: &&str| {
        !part.is_empty()
            && *part != "."
            && *part != ".."
            && part.len() <= 40
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    };
    (parts.len() <= 4 && parts.iter().all(plain)).then(|| text.to_string())
}
