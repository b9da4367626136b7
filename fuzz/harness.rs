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
use flippack::content::frontmatter::{from_yaml, split};
use flippack::content::raw::{RawPack, RawPage, RawPathway};
use flippack::credit::parse_duration;
use flippack::markdown::{render, Origin};
use flippack::output::MemorySink;
use flippack::render::{render_site, Theme};
use flippack::{load_site, LoadOptions};

/// Front matter of a pack, a pathway or a page, and `site.yaml`.
pub fn front_matter(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
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
/// few files.
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
    let rendered = render(text, &origin);
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
        render_site(&loaded.site, &theme, root, &MemorySink::default()).ok()
    });
    let report = check(&CheckOptions {
        root: root.to_path_buf(),
        drafts: false,
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
