//! Where the dev server keeps the files it renders: a folder of its own
//! under the system's temporary folder (`flippack-serve-…`), made when the
//! server starts and removed when it stops. Holding a large site's pages in
//! memory would cost as much memory as the site has bytes; on disk, the
//! system's page cache holds what is read often, and gives the rest back.
//!
//! A file in the folder is never written twice: each write makes a new
//! file under a new name, so a request that is reading a version of the
//! site goes on reading it while the next version is written beside it.
//! A file is deleted when the last snapshot that names it is dropped
//! ([`Stored`]), which is after the requests that were answering from that
//! snapshot have opened it (an open file stays readable once deleted).
//! A page whose bytes did not change keeps its file, so a rebuild after a
//! small edit writes only what the edit changed.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::files::{Body, Entry, Snapshot, Stored};
use crate::diagnostic::IoError;
use crate::output::{alive, Sink};

/// What [`Store::create`] names its folder with, before the server's
/// process id and a part of its own: `flippack-serve-4242-18ed4c3f`.
pub const FOLDER_PREFIX: &str = "flippack-serve-";

/// The empty file that marks a folder as a server's, so that only such a
/// folder is ever removed as left over.
const MARKER: &str = ".flippack-serve";

/// The folder the dev server writes its rendered files into, removed with
/// everything in it when the store is dropped.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// The name of the next file written: a count, so no two writes of
    /// one run share a name.
    next: AtomicU64,
}

impl Store {
    /// A new, empty folder under the system's temporary folder, after
    /// removing those that servers which were killed left there.
    pub fn create() -> std::io::Result<Store> {
        let parent = std::env::temp_dir();
        clear_leftovers(&parent);
        Store::create_in(&parent)
    }

    /// A new, empty folder in `parent`, readable by this user only (the
    /// site may hold drafts). Its name is made new for this run; a folder
    /// of that name that exists already is never used.
    pub fn create_in(parent: &Path) -> std::io::Result<Store> {
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut last = None;
        for attempt in 0..100u32 {
            let name = format!(
                "{FOLDER_PREFIX}{}-{:x}",
                std::process::id(),
                stamp.wrapping_add(u128::from(attempt))
            );
            let dir = parent.join(name);
            match private_folder(&dir) {
                Ok(()) => {
                    if let Err(e) = File::create(dir.join(MARKER)) {
                        let _ = fs::remove_dir(&dir);
                        return Err(e);
                    }
                    return Ok(Store {
                        dir,
                        next: AtomicU64::new(0),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| std::io::Error::other("no free folder name")))
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// A sink that writes a rebuild's files into the folder. `previous`
    /// is the snapshot being served: a file whose bytes are those it
    /// serves at the same path is not written again.
    pub fn sink<'a>(&'a self, previous: &'a Snapshot) -> StoreSink<'a> {
        StoreSink {
            store: self,
            previous,
            files: Mutex::default(),
        }
    }

    fn new_file(&self, bytes: &[u8], digest: [u8; 32]) -> Result<Stored, IoError> {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(number.to_string());
        let cannot = |e| IoError::new("write the dev server's copy of a page to", &path, e);
        // Never over a file that is there: it is not ours to change.
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(cannot)?;
        if let Err(e) = file.write_all(bytes) {
            // Half a file is never served; the next rebuild writes it anew.
            drop(file);
            let _ = fs::remove_file(&path);
            return Err(cannot(e));
        }
        Ok(Stored::new(path, bytes.len() as u64, digest))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Removes the folders in `parent` that servers left when they were
/// killed (a server that stops removes its own): only those named as
/// [`Store::create_in`] names them, of a process that is gone, and marked.
/// What cannot be removed is left; it is in the temporary folder.
fn clear_leftovers(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(server_of) else {
            continue;
        };
        let path = entry.path();
        let is_folder = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if pid != std::process::id() && !alive(pid) && is_folder && path.join(MARKER).is_file() {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// The process id in a folder name that [`Store::create_in`] gives, and
/// nothing else.
fn server_of(name: &str) -> Option<u32> {
    let (pid, own) = name.strip_prefix(FOLDER_PREFIX)?.split_once('-')?;
    let digits = |s: &str, hex: bool| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (hex && b.is_ascii_hexdigit()))
    };
    if !digits(pid, false) || !digits(own, true) {
        return None;
    }
    pid.parse().ok()
}

#[cfg(unix)]
fn private_folder(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn private_folder(dir: &Path) -> std::io::Result<()> {
    fs::DirBuilder::new().create(dir)
}

/// A [`Sink`] that writes into a [`Store`] and keeps what it wrote, for
/// [`Snapshot::next`]. Dropped without being used, it deletes the files it
/// wrote (a rebuild that failed half-way leaves nothing behind).
pub struct StoreSink<'a> {
    store: &'a Store,
    previous: &'a Snapshot,
    files: Mutex<HashMap<String, Body>>,
}

impl StoreSink<'_> {
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
}

impl Sink for StoreSink<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        let digest: [u8; 32] = Sha256::digest(bytes).into();
        let served = match self.previous.files.get(path) {
            Some(Entry {
                body: Body::Stored(old),
                ..
            }) if old.holds(bytes.len() as u64, &digest) => Some(old.clone()),
            _ => None,
        };
        let stored = match served {
            Some(old) => old,
            None => Arc::new(self.store.new_file(bytes, digest)?),
        };
        self.insert(path, Body::Stored(stored));
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
    use super::super::files::Keep;
    use super::*;

    /// The rendered files in the store's folder.
    fn files_in(dir: &Path) -> usize {
        fs::read_dir(dir).map_or(0, |entries| {
            entries
                .filter(|e| e.as_ref().is_ok_and(|e| e.file_name() != MARKER))
                .count()
        })
    }

    #[test]
    fn reads_only_the_names_a_server_gives() {
        assert_eq!(server_of("flippack-serve-42-18ed4c3f"), Some(42));
        for other in [
            "flippack-serve-42",
            "flippack-serve--18ed",
            "flippack-serve-4x2-18ed",
            "flippack-serve-42-18ed.bak",
            "flippack-serve-42-18ed-1",
            "flippack-build-42-18ed",
        ] {
            assert_eq!(server_of(other), None, "{other}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_marked_folders_of_servers_that_are_gone_are_cleared() {
        let parent = tempfile::tempdir().unwrap();
        // No process has this id (above the largest Linux allows).
        let gone = parent.path().join(format!("{FOLDER_PREFIX}99999999-ab"));
        fs::create_dir(&gone).unwrap();
        fs::write(gone.join(MARKER), "").unwrap();
        fs::write(gone.join("0"), "page").unwrap();
        let unmarked = parent.path().join(format!("{FOLDER_PREFIX}99999998-ab"));
        fs::create_dir(&unmarked).unwrap();
        let running = Store::create_in(parent.path()).unwrap();
        let other = parent.path().join("flippack-serve-notes");
        fs::create_dir(&other).unwrap();

        clear_leftovers(parent.path());
        assert!(!gone.exists());
        assert!(unmarked.exists() && other.exists() && running.path().exists());
    }

    #[test]
    fn the_folder_is_removed_with_the_store() {
        let parent = tempfile::tempdir().unwrap();
        let store = Store::create_in(parent.path()).unwrap();
        let dir = store.path().to_path_buf();
        assert!(dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(FOLDER_PREFIX));
        let empty = Snapshot::default();
        let sink = store.sink(&empty);
        sink.write("index.html", b"home").unwrap();
        let files = sink.into_files();
        assert_eq!(files_in(&dir), 1);
        drop(store);
        assert!(!dir.exists());
        drop(files);
    }

    #[test]
    fn unchanged_bytes_keep_their_file_and_new_bytes_get_a_new_one() {
        let parent = tempfile::tempdir().unwrap();
        let store = Store::create_in(parent.path()).unwrap();
        let empty = Snapshot::default();
        let sink = store.sink(&empty);
        sink.write("index.html", b"home").unwrap();
        sink.write("about.html", b"about").unwrap();
        let (first, _) = Snapshot::default().next(&Keep::Nothing, sink.into_files());
        let path_of = |snapshot: &Snapshot, key: &str| match &snapshot.files[key].body {
            Body::Stored(stored) => stored.path().to_path_buf(),
            other => panic!("expected a stored file, got {other:?}"),
        };
        let home = path_of(&first, "index.html");
        let about = path_of(&first, "about.html");

        let sink = store.sink(&first);
        sink.write("index.html", b"home").unwrap();
        sink.write("about.html", b"about us").unwrap();
        let (second, changed) = first.next(&Keep::Nothing, sink.into_files());
        assert_eq!(changed, ["about.html"]);
        assert_eq!(path_of(&second, "index.html"), home);
        let new_about = path_of(&second, "about.html");
        assert_ne!(
            new_about, about,
            "a changed file is written under a new name"
        );
        assert_eq!(
            fs::read(&about).unwrap(),
            b"about",
            "the old version is intact"
        );
        assert_eq!(fs::read(&new_about).unwrap(), b"about us");

        drop(first);
        assert!(
            !about.exists(),
            "no snapshot names the old version any more"
        );
        assert!(home.exists() && new_about.exists());
        drop(second);
        assert_eq!(files_in(store.path()), 0);
    }

    #[test]
    fn a_dropped_rebuild_leaves_no_files() {
        let parent = tempfile::tempdir().unwrap();
        let store = Store::create_in(parent.path()).unwrap();
        let empty = Snapshot::default();
        let sink = store.sink(&empty);
        sink.write("index.html", b"home").unwrap();
        drop(sink);
        assert_eq!(files_in(store.path()), 0);
    }

    #[test]
    fn only_files_of_the_store_are_opened() {
        let parent = tempfile::tempdir().unwrap();
        let store = Store::create_in(parent.path()).unwrap();
        let empty = Snapshot::default();
        let sink = store.sink(&empty);
        sink.write("index.html", b"home").unwrap();
        let files = sink.into_files();
        let Body::Stored(stored) = &files["index.html"] else {
            panic!("expected a stored file");
        };
        assert!(stored.open_in(store.path()).is_some());
        assert!(stored.open_in(parent.path()).is_none());
    }

    #[test]
    fn a_write_that_fails_says_where() {
        let parent = tempfile::tempdir().unwrap();
        let store = Store::create_in(parent.path()).unwrap();
        fs::remove_dir_all(store.path()).unwrap();
        let empty = Snapshot::default();
        let err = store.sink(&empty).write("index.html", b"home").unwrap_err();
        assert!(err.to_string().contains("dev server's copy"), "{err}");
        assert!(err.path.starts_with(store.path()));
    }
}
