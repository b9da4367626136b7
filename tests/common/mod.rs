//! Helpers shared by the integration tests: a site in a temporary folder,
//! built by the real `flippack` binary.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::sync::mpsc::{channel, Receiver};

pub mod serve;

/// The repository root, where the bundled demo site lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty folder.
    pub fn empty() -> Self {
        TestSite {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Self {
        let site = TestSite::empty();
        copy_dir(&repo_root().join("tests/fixtures").join(name), site.root());
        site
    }

    /// A copy of the bundled demo site (`content/` and `site.yaml`).
    pub fn demo() -> Self {
        let site = TestSite::empty();
        copy_dir(&repo_root().join("content"), &site.root().join("content"));
        fs::copy(repo_root().join("site.yaml"), site.root().join("site.yaml"))
            .expect("copy site.yaml");
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes (or replaces) a file of the site.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create folders");
        fs::write(path, contents).expect("write a test file");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Edits a file with a string replacement that must match.
    pub fn replace(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    /// Runs `flippack ARGS` in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_flippack"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run flippack");
        Run(output)
    }
}

/// The result of one run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn success(&self) -> bool {
        self.0.status.success()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    /// Asserts success and returns stdout.
    pub fn ok(&self) -> String {
        assert!(
            self.success(),
            "flippack failed:\n{}\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }

    /// Asserts failure and returns stderr.
    pub fn fails(&self) -> String {
        assert!(
            !self.success(),
            "flippack should have failed:\n{}\n{}",
            self.stdout(),
            self.stderr()
        );
        self.stderr()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk a fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("below the fixture"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Every file below `dir`, as relative paths with their bytes, sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read output file"))
        })
        .collect();
    files.sort();
    files
}

/// The values of every `href="…"` and `src="…"` attribute in `html`.
pub fn links_in(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            // Only whole attribute names: `data-src="` is not `src="`.
            let before = rest[..i].chars().last();
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            if matches!(before, Some(c) if c.is_whitespace()) {
                found.push(rest[..end].replace("&amp;", "&"));
            }
            rest = &rest[end..];
        }
    }
    found
}

/// Whether a link leaves the site (another host, mail, a script URL).
pub fn is_external(link: &str) -> bool {
    link.starts_with("//")
        || link.find(':').is_some_and(|i| {
            link[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// Internal links of every HTML page under `out` that do not resolve to a
/// file of the output, as "page: link".
pub fn broken_internal_links(out: &Path) -> Vec<String> {
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot(out) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let page_dir = out
            .join(&rel)
            .parent()
            .expect("a page has a folder")
            .to_path_buf();
        for link in links_in(&html) {
            if is_external(&link) || link.starts_with('#') || link.is_empty() {
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap_or("");
            if path.is_empty() {
                continue;
            }
            let decoded = percent_decode(path);
            let mut target = page_dir.join(&decoded);
            if decoded.ends_with('/') {
                target = target.join("index.html");
            }
            let inside = target
                .canonicalize()
                .map(|t| t.starts_with(out.canonicalize().expect("out exists")));
            if !matches!(inside, Ok(true)) || !target.is_file() {
                broken.push(format!("{rel}: {link}"));
            }
        }
    }
    broken
}

/// Decodes `%XX` escapes of a URL path.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The lines a running process prints, on stdout and stderr as they
/// come, so a test can wait for one without blocking on either stream.
pub fn output_lines(child: &mut Child) -> Receiver<String> {
    let (lines, output) = channel();
    for stream in [
        Box::new(child.stdout.take().expect("stdout is piped")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("stderr is piped")),
    ] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
    }
    output
}

/// Whether the tests run in continuous integration (`CI=true`), where a
/// test that cannot run is a failure, never a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Writes past the test harness's output capture, so the message shows
/// in a normal `cargo test` run even when the test passes.
pub fn shout(message: &str) {
    let line = "=".repeat(72);
    let _ = writeln!(std::io::stderr(), "\n{line}\n{message}\n{line}\n");
}

/// Reports that `test` did not check anything because of `reason`: loudly
/// on a developer's machine, where the test then returns as passed, and as
/// a failure under `CI=true`, where every test must run.
pub fn skipped(test: &str, reason: &str) {
    let message = format!("SKIPPED `{test}`: {reason}; it checked nothing");
    assert!(!in_ci(), "{message}. CI=true, so this is a failure.");
    shout(&message);
}
