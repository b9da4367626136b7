//! The site as the dev server serves it: where each output file is, and
//! in which version its bytes last changed.
//!
//! A rebuild never touches the files being served. It renders into a
//! [`super::store::StoreSink`], which writes each changed file under a new
//! name in the server's own folder; then [`Snapshot::next`] makes a new
//! snapshot from the old one and what was written, and the server swaps it
//! in whole: a request sees either the old site or the new one, never a mix.
//!
//! Files that a build only copies (a pack's PDFs, audio, video) are held as
//! a reference to their source rather than copied, so a site with
//! gigabytes of media costs nothing to serve. Each file remembers the
//! version in which its bytes last changed, which is how a page asks "am I
//! stale?" and how a rebuild lists what changed for the browser.

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// Where a served file's bytes are.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered by flippack (pages, feeds, the theme's files), in the
    /// server's folder.
    Stored(Arc<Stored>),
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
            (Body::Stored(a), Body::Stored(b)) => a.same_bytes(b),
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
            match files.get(path.as_str()) {
                // The old entry stays whole, its file too: the new one, if
                // there is one, is deleted as it is dropped here.
                Some(old) if old.body.same_as(&body) => {}
                _ => {
                    changed.push(path.clone());
                    let changed_in = version;
                    files.insert(path.into(), Entry { body, changed_in });
                }
            }
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

/// One file of the server's folder ([`super::store`]), deleted when the last snapshot naming it goes.
#[derive(Debug)]
pub struct Stored {
    path: PathBuf,
    len: u64,
    /// SHA-256 of the bytes: tells a page that changed from one rendered
    /// again the same, without keeping the old bytes to compare.
    digest: [u8; 32],
}

impl Stored {
    /// A file just written at `path`, holding `len` bytes of that digest.
    pub fn new(path: PathBuf, len: u64, digest: [u8; 32]) -> Stored {
        Stored { path, len, digest }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file holds `len` bytes of this digest.
    pub fn holds(&self, len: u64, digest: &[u8; 32]) -> bool {
        self.len == len && self.digest == *digest
    }

    /// Whether both hold the same bytes.
    pub fn same_bytes(&self, other: &Stored) -> bool {
        self.len == other.len && self.digest == other.digest
    }

    /// Opens the file, if it is in `store` (the folder of the server
    /// answering): nothing else is ever read through a snapshot.
    pub fn open_in(&self, store: &Path) -> Option<File> {
        if self.path.parent() != Some(store) {
            return None;
        }
        File::open(&self.path).ok()
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        // Gone already if the store was removed first.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::super::store::Store;
    use super::*;
    use crate::output::Sink;
    use std::fs;

    /// A store in a folder of its own, for a test.
    struct Folder {
        store: Store,
        parent: tempfile::TempDir,
    }

    impl Folder {
        fn new() -> Folder {
            let parent = tempfile::tempdir().unwrap();
            Folder {
                store: Store::create_in(parent.path()).unwrap(),
                parent,
            }
        }

        /// What a rebuild that wrote `files` after `previous` gives.
        fn written(&self, previous: &Snapshot, files: &[(&str, &str)]) -> HashMap<String, Body> {
            let sink = self.store.sink(previous);
            for (path, text) in files {
                sink.write(path, text.as_bytes()).unwrap();
            }
            sink.into_files()
        }
    }

    fn stored_path(snapshot: &Snapshot, key: &str) -> PathBuf {
        match &snapshot.files[key].body {
            Body::Stored(stored) => stored.path().to_path_buf(),
            other => panic!("expected a stored file, got {other:?}"),
        }
    }

    #[test]
    fn a_full_rebuild_lists_added_changed_and_removed_files() {
        let dir = Folder::new();
        let (first, changed) = Snapshot::default().next(
            &Keep::Nothing,
            dir.written(
                &Snapshot::default(),
                &[("index.html", "a"), ("packs/ell/index.html", "b")],
            ),
        );
        assert_eq!(changed, ["index.html", "packs/ell/index.html"]);
        assert_eq!(first.version, 1);

        let (second, changed) = first.next(
            &Keep::Nothing,
            dir.written(
                &first,
                &[("index.html", "a2"), ("packs/rti/index.html", "c")],
            ),
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
        let dir = Folder::new();
        let (first, _) = Snapshot::default().next(
            &Keep::Nothing,
            dir.written(
                &Snapshot::default(),
                &[("index.html", "a"), ("static/style.css", "s")],
            ),
        );
        let (second, changed) = first.next(
            &Keep::Nothing,
            dir.written(&first, &[("index.html", "a"), ("static/style.css", "s2")]),
        );
        assert_eq!(changed, ["static/style.css"]);
        assert_eq!(second.files["index.html"].changed_in, 1);
        assert_eq!(
            stored_path(&second, "index.html"),
            stored_path(&first, "index.html"),
            "an unchanged file is not written again"
        );
        assert!(!second.changed_since("index.html", 1));
        assert!(second.changed_since("static/style.css", 1));
        assert!(
            second.changed_since("gone.html", 2),
            "a missing file is stale"
        );

        let (third, changed) = second.next(
            &Keep::Nothing,
            dir.written(&second, &[("index.html", "a"), ("static/style.css", "s2")]),
        );
        assert!(changed.is_empty());
        assert_eq!(third.version, 2, "nothing changed, same version");
    }

    #[test]
    fn a_partial_rebuild_replaces_only_the_folders_it_rendered() {
        let dir = Folder::new();
        let (first, _) = Snapshot::default().next(
            &Keep::Nothing,
            dir.written(
                &Snapshot::default(),
                &[
                    ("index.html", "catalog"),
                    ("packs/ell/index.html", "ell"),
                    ("packs/ell/old-page/index.html", "old"),
                    ("packs/rti/index.html", "rti"),
                    ("tags/ell/index.html", "tag"),
                    ("tags/index.html", "tags"),
                ],
            ),
        );
        let keep = Keep::AllBut(vec!["packs/ell/".into(), "tags/ell/".into()]);
        let (second, changed) = first.next(
            &keep,
            dir.written(
                &first,
                &[("index.html", "catalog2"), ("packs/ell/index.html", "ell2")],
            ),
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
        let dir = Folder::new();
        let source = dir.parent.path().join("clip.mp4");
        fs::write(&source, b"0123456789").unwrap();
        let empty = Snapshot::default();
        let sink = dir.store.sink(&empty);
        sink.copy("packs/ell/clip.mp4", &source).unwrap();
        match &sink.into_files()["packs/ell/clip.mp4"] {
            Body::File { path, len, .. } => {
                assert_eq!(path, &source);
                assert_eq!(*len, 10);
            }
            other => panic!("expected a file reference, got {other:?}"),
        }
        let copies = fs::read_dir(dir.store.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != ".flippack-serve")
            .count();
        assert_eq!(copies, 0, "nothing is copied into the server's folder");
        assert!(dir
            .store
            .sink(&empty)
            .copy("x", &dir.parent.path().join("missing"))
            .is_err());
    }
}
