//! The site as the dev server holds it: every output file, in memory.
//!
//! A rebuild never touches the files being served. It renders into a
//! [`CollectSink`], then [`Snapshot::next`] makes a new snapshot from the
//! old one and what was written, and the server swaps it in whole: a
//! request sees either the old site or the new one, never a mix.
//!
//! Files that a build only copies (a pack's PDFs, audio, video) are held as
//! a reference to their source rather than read into memory, so a site
//! with gigabytes of media costs nothing to serve. Each file remembers the
//! version in which its bytes last changed, which is how a page asks "am I
//! stale?" and how a rebuild lists what changed for the browser.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::diagnostic::IoError;
use crate::output::Sink;

/// Where a served file's bytes are.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered by flippack: pages, feeds, the theme's files.
    Bytes(Arc<[u8]>),
    /// Copied as-is from the site's source: read at each request.
    File {
        path: PathBuf,
        len: u64,
        modified: Option<SystemTime>,
    },
}

impl Body {
    /// The same bytes (for copied files: the same file, size and time).
    fn same_as(&self, other: &Body) -> bool {
        match (self, other) {
            (Body::Bytes(a), Body::Bytes(b)) => a == b,
            (
                Body::File {
                    path: a,
                    len: al,
                    modified: am,
                },
                Body::File {
                    path: b,
                    len: bl,
                    modified: bm,
                },
            ) => a == b && al == bl && am == bm,
            _ => false,
        }
    }
}

/// One served file.
#[derive(Debug, Clone)]
pub struct Entry {
    pub body: Body,
    /// The snapshot version in which these bytes first appeared.
    pub changed_in: u64,
}

/// Every file of one version of the site, keyed by output path
/// (`packs/ell/index.html`).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Paths are shared with the snapshot before, so that making the next
    /// one after a small rebuild copies no strings.
    pub files: HashMap<Arc<str>, Entry>,
    /// Goes up by one with each rebuild that changes anything.
    pub version: u64,
}

/// What a rebuild keeps of the previous snapshot besides what it wrote.
#[derive(Debug, Clone)]
pub enum Keep {
    /// Nothing: the rebuild wrote the whole site.
    Nothing,
    /// Everything except the files under these folders (`packs/ell/`),
    /// which belong to the pages that were rendered again; a page that no
    /// longer exists (a tag nobody uses any more) is dropped this way.
    AllBut(Vec<String>),
}

impl Keep {
    fn keeps(&self, path: &str) -> bool {
        match self {
            Keep::Nothing => false,
            Keep::AllBut(folders) => !folders.iter().any(|f| path.starts_with(f.as_str())),
        }
    }
}

impl Snapshot {
    /// The snapshot after a rebuild that wrote `written`, and the paths
    /// that were added, changed or removed, sorted. The version goes up
    /// only when something changed.
    pub fn next(&self, keep: &Keep, written: HashMap<String, Body>) -> (Snapshot, Vec<String>) {
        let version = self.version + 1;
        let mut changed = Vec::new();
        // A copy of the map as it is, which hashes nothing, less what is
        // not kept: after one pack's edit, a few entries of tens of
        // thousands are looked at twice.
        let mut files = self.files.clone();
        files.retain(|path, _| {
            if keep.keeps(path) || written.contains_key(&**path) {
                return true;
            }
            changed.push(path.to_string());
            false
        });
        for (path, body) in written {
            let changed_in = match files.get(path.as_str()) {
                Some(old) if old.body.same_as(&body) => old.changed_in,
                _ => {
                    changed.push(path.clone());
                    version
                }
            };
            files.insert(path.into(), Entry { body, changed_in });
        }
        changed.sort();
        let version = if changed.is_empty() {
            self.version
        } else {
            version
        };
        (Snapshot { files, version }, changed)
    }

    /// Has the file at `path` changed, or gone, since `version`?
    pub fn changed_since(&self, path: &str, version: u64) -> bool {
        self.files
            .get(path)
            .is_none_or(|entry| entry.changed_in > version)
    }
}

/// A [`Sink`] that keeps what a render writes, for [`Snapshot::next`].
#[derive(Default)]
pub struct CollectSink {
    files: Mutex<HashMap<String, Body>>,
}

impl CollectSink {
    pub fn into_files(self) -> HashMap<String, Body> {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn insert(&self, path: &str, body: Body) {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.to_string(), body);
    }

    /// The paths written so far.
    pub fn paths(&self) -> HashSet<String> {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .keys()
            .cloned()
            .collect()
    }
}

impl Sink for CollectSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        self.insert(path, Body::Bytes(Arc::from(bytes)));
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), IoError> {
        let meta = fs::metadata(from).map_err(|e| IoError::new("read", from, e))?;
        self.insert(
            path,
            Body::File {
                path: from.to_path_buf(),
                len: meta.len(),
                modified: meta.modified().ok(),
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> Body {
        Body::Bytes(Arc::from(text.as_bytes()))
    }

    fn written(files: &[(&str, &str)]) -> HashMap<String, Body> {
        files
            .iter()
            .map(|(path, text)| (path.to_string(), bytes(text)))
            .collect()
    }

    #[test]
    fn a_full_rebuild_lists_added_changed_and_removed_files() {
        let (first, changed) = Snapshot::default().next(
            &Keep::Nothing,
            written(&[("index.html", "a"), ("packs/ell/index.html", "b")]),
        );
        assert_eq!(changed, ["index.html", "packs/ell/index.html"]);
        assert_eq!(first.version, 1);

        let (second, changed) = first.next(
            &Keep::Nothing,
            written(&[("index.html", "a2"), ("packs/rti/index.html", "c")]),
        );
        assert_eq!(
            changed,
            ["index.html", "packs/ell/index.html", "packs/rti/index.html"]
        );
        assert!(!second.files.contains_key("packs/ell/index.html"));
        assert_eq!(second.version, 2);
    }

    #[test]
    fn unchanged_files_keep_their_version() {
        let (first, _) = Snapshot::default().next(
            &Keep::Nothing,
            written(&[("index.html", "a"), ("static/style.css", "s")]),
        );
        let (second, changed) = first.next(
            &Keep::Nothing,
            written(&[("index.html", "a"), ("static/style.css", "s2")]),
        );
        assert_eq!(changed, ["static/style.css"]);
        assert_eq!(second.files["index.html"].changed_in, 1);
        assert!(!second.changed_since("index.html", 1));
        assert!(second.changed_since("static/style.css", 1));
        assert!(
            second.changed_since("gone.html", 2),
            "a missing file is stale"
        );

        let (third, changed) = second.next(
            &Keep::Nothing,
            written(&[("index.html", "a"), ("static/style.css", "s2")]),
        );
        assert!(changed.is_empty());
        assert_eq!(third.version, 2, "nothing changed, same version");
    }

    #[test]
    fn a_partial_rebuild_replaces_only_the_folders_it_rendered() {
        let (first, _) = Snapshot::default().next(
            &Keep::Nothing,
            written(&[
                ("index.html", "catalog"),
                ("packs/ell/index.html", "ell"),
                ("packs/ell/old-page/index.html", "old"),
                ("packs/rti/index.html", "rti"),
                ("tags/ell/index.html", "tag"),
                ("tags/index.html", "tags"),
            ]),
        );
        let keep = Keep::AllBut(vec!["packs/ell/".into(), "tags/ell/".into()]);
        let (second, changed) = first.next(
            &keep,
            written(&[("index.html", "catalog2"), ("packs/ell/index.html", "ell2")]),
        );
        assert_eq!(
            changed,
            [
                "index.html",
                "packs/ell/index.html",
                "packs/ell/old-page/index.html",
                "tags/ell/index.html"
            ]
        );
        let mut paths: Vec<&str> = second.files.keys().map(|p| &**p).collect();
        paths.sort_unstable();
        assert_eq!(
            paths,
            [
                "index.html",
                "packs/ell/index.html",
                "packs/rti/index.html",
                "tags/index.html"
            ]
        );
    }

    #[test]
    fn copied_files_are_referenced_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("clip.mp4");
        fs::write(&source, b"0123456789").unwrap();
        let sink = CollectSink::default();
        sink.copy("packs/ell/clip.mp4", &source).unwrap();
        match &sink.into_files()["packs/ell/clip.mp4"] {
            Body::File { path, len, .. } => {
                assert_eq!(path, &source);
                assert_eq!(*len, 10);
            }
            other => panic!("expected a file reference, got {other:?}"),
        }
        assert!(CollectSink::default()
            .copy("x", &dir.path().join("missing"))
            .is_err());
    }
}
