//! Writing a site: where output goes, and how it replaces the old one.
//!
//! A build writes into a staging folder beside the output and swaps it in
//! only when every file is written, so a failed build leaves the previous
//! site exactly as it was and a reader never sees half a site.
//!
//! Replacing a folder deletes what was in it, so a build replaces only a
//! folder that is missing, empty or marked as its own (`folder`); swaps
//! in one step where the system can (`swap`); and clears what builds
//! that were killed left beside the output (`leftovers`).

mod folder;
mod leftovers;
/// Whether a process runs, to tell a folder left by a killed process.
pub(crate) use leftovers::alive;
#[cfg(unix)]
mod remove;
mod staging;
mod swap;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::IoError;

pub use folder::{check_output_folder, MARKER};
pub use staging::Staging;

/// Why a build cannot use, or could not replace, its output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "the output folder {} holds the site itself\n  = help: choose a folder such as public/",
        out.display()
    )]
    HoldsSite { out: PathBuf },
    #[error(
        "the output folder {} is inside the site's `{part}`\n  = help: choose a folder such as public/",
        out.display()
    )]
    InsideSource { out: PathBuf, part: &'static str },
    #[error(
        "{} looks like a site (it has site.yaml or content/), not an output folder; \
         flippack replaces its output folder as a whole\n  = help: choose a folder such as public/",
        out.display()
    )]
    LooksLikeSite { out: PathBuf },
    #[error(
        "{} is {what}, not a folder; a build writes only into a folder and leaves {what} alone\n  \
         = help: choose a folder with --out, such as --out public",
        out.display()
    )]
    NotAFolder { out: PathBuf, what: &'static str },
    #[error(
        "{} is a symbolic link; a build replaces its output folder as a whole, and would \
         replace the link rather than the folder it points to\n  \
         = help: give --out the folder itself: --out {}",
        out.display(),
        target.display()
    )]
    Symlink { out: PathBuf, target: PathBuf },
    #[error(
        "{} is not empty and was not written by flippack (it holds {}); a build replaces \
         its output folder as a whole, so it leaves this one alone\n  \
         = help: choose a new or empty folder with --out, or add --force to replace \
         everything in it but a .git (a folder built by a flippack that did not yet mark \
         its output with {MARKER} needs --force once too)",
        out.display(),
        folder::list(entries)
    )]
    NotOurs { out: PathBuf, entries: Vec<String> },
    #[error(
        "the staging folder {} was removed while the site was being written into it, \
         so the output folder was left as it was\n  = help: run the build again",
        staging.display()
    )]
    StagingGone { staging: PathBuf },
    /// A file or folder could not be read, written or moved.
    #[error(transparent)]
    Io(#[from] IoError),
}

impl OutputError {
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        OutputError::Io(IoError::new(action, path, source))
    }
}

/// Where rendered files go: a folder on disk, or memory for the dev server.
/// A sink knows only paths and bytes, so it fails with an [`IoError`];
/// the renderer turns that into its own error.
pub trait Sink: Sync {
    /// Writes `bytes` at `path` (relative to the output root, `/`-separated).
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError>;
    /// Publishes the file at `from` as `path`.
    fn copy(&self, path: &str, from: &Path) -> Result<(), IoError>;
}

/// Writes into a folder on disk, which must exist and start empty.
///
/// Each folder is made once, parents before children, and remembered:
/// `create_dir_all` before every file would ask the system for every
/// folder of the path again, and each of those asks fails (the folder
/// exists) and costs a second call to check that it is a folder. On a
/// site of thousands of files that is most of the build's time in the
/// kernel.
pub struct DirSink {
    dir: PathBuf,
    /// The folders made so far, as paths from `dir`.
    made: Mutex<HashSet<String>>,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink {
            dir: dir.into(),
            made: Mutex::new(HashSet::new()),
        }
    }

    fn target(&self, path: &str) -> Result<PathBuf, IoError> {
        if let Some((folder, _)) = path.rsplit_once('/') {
            self.make_folder(folder)?;
        }
        Ok(self.dir.join(path))
    }

    /// Makes `folder` (a path from `dir`) and whichever of its parents
    /// this sink has not made yet, in order. The lock is held while
    /// making them, so that no two threads make the same folder and one
    /// of them fails.
    fn make_folder(&self, folder: &str) -> Result<(), IoError> {
        let mut made = self.made.lock().unwrap_or_else(|p| p.into_inner());
        if made.contains(folder) {
            return Ok(());
        }
        let ends = folder
            .match_indices('/')
            .map(|(at, _)| at)
            .chain(std::iter::once(folder.len()));
        for end in ends {
            let part = &folder[..end];
            if part.is_empty() || made.contains(part) {
                continue;
            }
            let at = self.dir.join(part);
            match fs::create_dir(&at) {
                Ok(()) => {}
                // Made by someone else, or the sink's folder itself was
                // replaced: make what is missing the slow way.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && at.is_dir() => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    fs::create_dir_all(&at).map_err(|e| IoError::new("create folder", &at, e))?
                }
                Err(e) => return Err(IoError::new("create folder", &at, e)),
            }
            made.insert(part.to_string());
        }
        Ok(())
    }
}

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        let target = self.target(path)?;
        fs::write(&target, bytes).map_err(|e| IoError::new("write", &target, e))
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), IoError> {
        let target = self.target(path)?;
        // A copy, not a hard link: someone editing the published file must
        // never be editing the source by accident.
        fs::copy(from, &target)
            .map(drop)
            .map_err(|e| IoError::new("copy", from, e))
    }
}

/// Keeps every file in memory, keyed by path.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<HashMap<String, Vec<u8>>>,
}

impl MemorySink {
    pub fn into_files(self) -> HashMap<String, Vec<u8>> {
        self.files
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), IoError> {
        let bytes = fs::read(from).map_err(|e| IoError::new("read", from, e))?;
        self.write(path, &bytes)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder
/// and a rename, so a reader, or a crash, never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let fail = |action: &'static str, at: &Path| {
        let at = at.to_path_buf();
        move |source| IoError {
            action,
            path: at,
            source,
        }
    };
    fs::write(&temp, bytes).map_err(fail("write", path))?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        fail("write", path)(e)
    })
}
