//! Writing a site: where output goes, and how it replaces the old one.
//!
//! A build writes into a staging folder beside the output and swaps it in
//! only when every file is written, so a failed build leaves the previous
//! site exactly as it was and a reader never sees half a site.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::IoError;
use crate::render::RenderError;

/// Where rendered files go: a folder on disk, or memory for the dev server.
pub trait Sink: Sync {
    /// Writes `bytes` at `path` (relative to the output root, `/`-separated).
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError>;
    /// Publishes the file at `from` as `path`.
    fn copy(&self, path: &str, from: &Path) -> Result<(), RenderError>;
}

/// Writes into a folder on disk.
pub struct DirSink {
    dir: PathBuf,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink { dir: dir.into() }
    }

    fn target(&self, path: &str) -> Result<PathBuf, RenderError> {
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| RenderError::io("create folder", parent, e))?;
        }
        Ok(target)
    }
}

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
        let target = self.target(path)?;
        fs::write(&target, bytes).map_err(|e| RenderError::io("write", &target, e))
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), RenderError> {
        let target = self.target(path)?;
        // A copy, not a hard link: someone editing the published file must
        // never be editing the source by accident.
        fs::copy(from, &target)
            .map(drop)
            .map_err(|e| RenderError::io("copy", from, e))
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
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), RenderError> {
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), RenderError> {
        let bytes = fs::read(from).map_err(|e| RenderError::io("read", from, e))?;
        self.write(path, &bytes)
    }
}

/// A staging folder that becomes the output folder on [`Staging::commit`],
/// and is removed if dropped before.
pub struct Staging {
    staging: PathBuf,
    out: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares a fresh staging folder beside `out`.
    pub fn new(out: &Path) -> Result<Staging, RenderError> {
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = out.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| RenderError::io("create folder", parent, e))?;
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| RenderError::io("remove", &staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| RenderError::io("create folder", &staging, e))?;
        Ok(Staging {
            staging,
            out: out.to_path_buf(),
            committed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Swaps the staging folder in for the output folder.
    pub fn commit(mut self) -> Result<(), RenderError> {
        let old = self.staging.with_file_name(format!(
            ".{}.old-{}",
            self.out
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.out.exists();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(|e| RenderError::io("remove", &old, e))?;
            }
            fs::rename(&self.out, &old).map_err(|e| RenderError::io("move aside", &self.out, e))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.out) {
            if had_old {
                // Put the previous site back rather than leave none.
                let _ = fs::rename(&old, &self.out);
            }
            return Err(RenderError::io("move into place", &self.out, e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(|e| RenderError::io("remove", &old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
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
    fs::write(&temp, bytes).map_err(fail("cannot write", path))?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        fail("cannot write", path)(e)
    })
}

/// Refuses output folders that a swap would destroy content with: the
/// site itself, a folder holding it, or one of its source folders.
pub fn check_output_folder(root: &Path, out: &Path) -> Result<(), String> {
    let root = real_path(root);
    let out_abs = real_path(out);
    if root.starts_with(&out_abs) {
        return Err(format!(
            "the output folder {} holds the site itself; choose a folder such as public/",
            out.display()
        ));
    }
    for source in ["content", "themes", "static", "site.yaml"] {
        if out_abs.starts_with(root.join(source)) {
            return Err(format!("the output folder {} is inside the site's `{source}`; choose a folder such as public/", out.display()));
        }
    }
    if out_abs.join("site.yaml").exists() || out_abs.join("content").is_dir() {
        return Err(format!("{} looks like a site (it has site.yaml or content/), not an output folder; flippack replaces its output folder as a whole", out.display()));
    }
    Ok(())
}

/// The absolute form of `path` with `.` and `..` folded and, as far as the
/// path exists, symlinks resolved: a folder that does not exist yet still
/// compares correctly with those that do.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut folded = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                folded.pop();
            }
            std::path::Component::CurDir => {}
            other => folded.push(other),
        }
    }
    // Resolve the longest existing ancestor, then re-attach the rest.
    let mut existing = folded.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return folded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_folder(root, &root.join("public")).is_ok());
        assert!(check_output_folder(root, root).is_err());
        assert!(check_output_folder(root, root.parent().unwrap()).is_err());
        assert!(check_output_folder(root, &root.join("content/out")).is_err());
        assert!(check_output_folder(root, &root.join("public/../content")).is_err());
    }

    #[test]
    fn staging_swaps_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();

        let staging = Staging::new(&out).unwrap();
        DirSink::new(staging.path())
            .write("a/b/index.html", b"new")
            .unwrap();
        drop(staging);
        assert!(
            out.join("old.html").exists(),
            "a dropped staging leaves the output alone"
        );

        let staging = Staging::new(&out).unwrap();
        DirSink::new(staging.path())
            .write("a/b/index.html", b"new")
            .unwrap();
        staging.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(
            fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the output folder remains");
    }
}
