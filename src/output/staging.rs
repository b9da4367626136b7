//! The folder a build writes into, beside the output folder, and its swap
//! into place once every file is written.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use super::folder::{self, State, KEPT};
use super::leftovers::{self, is_flippacks, remove_tree};
use super::{swap, OutputError};

/// A staging folder that becomes the output folder on [`Staging::commit`],
/// and is removed if dropped before.
pub struct Staging {
    staging: PathBuf,
    /// Where the old output goes if it takes two renames to replace it.
    aside: PathBuf,
    /// The output folder, absolute.
    out: PathBuf,
    /// The output folder as the user named it, for messages.
    shown: PathBuf,
    force: bool,
    committed: bool,
}

impl Staging {
    /// Clears what killed builds left beside `out`, then prepares a fresh,
    /// marked staging folder there. With `force`, [`Staging::commit`] also
    /// replaces a folder flippack did not write.
    pub fn new(out: &Path, force: bool) -> Result<Staging, OutputError> {
        let (parent, file_name) = location(out)?;
        // Most often there already: asking to make it would fail, and cost
        // a second call to see that it is a folder.
        if !parent.is_dir() {
            fs::create_dir_all(&parent)
                .map_err(|e| OutputError::io("create folder", &parent, e))?;
        }
        let out_abs = parent.join(&file_name);
        let name = file_name.to_string_lossy();
        leftovers::clear(&parent, &name, &out_abs)?;

        let pid = std::process::id();
        let staging = parent.join(leftovers::staging_name(&name, pid));
        let aside = parent.join(leftovers::old_name(&name, pid));
        // Left by an earlier process that had this id, or an earlier
        // build of this one.
        for own in [&staging, &aside] {
            if is_flippacks(own) {
                remove_tree(own).map_err(|e| OutputError::io("remove", own, e))?;
            }
        }
        fs::create_dir(&staging).map_err(|e| OutputError::io("create folder", &staging, e))?;
        let staging = Staging {
            staging,
            aside,
            out: out_abs,
            shown: out.to_path_buf(),
            force,
            committed: false,
        };
        folder::mark(&staging.staging)?;
        Ok(staging)
    }

    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Swaps the staging folder in for the output folder, carrying the
    /// output's `.git` over, and removes the old site. The output folder
    /// is checked again first: it may have changed during the build.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if !folder::is_marked(&self.staging) {
            return Err(OutputError::StagingGone {
                staging: self.staging.clone(),
            });
        }
        let state = folder::state(&self.shown)?;
        let foreign = match state {
            State::Foreign(entries) if !self.force => {
                return Err(OutputError::NotOurs {
                    out: self.shown.clone(),
                    entries,
                })
            }
            State::Foreign(_) => true,
            _ => false,
        };

        let git = self.out.join(KEPT);
        let carried = self.staging.join(KEPT);
        let has_git = state != State::Absent && fs::symlink_metadata(&git).is_ok();
        if has_git {
            fs::rename(&git, &carried).map_err(|e| OutputError::io("move", &git, e))?;
        }
        let old = match swap::swap_in(&self.staging, &self.out, &self.aside) {
            Ok(old) => old,
            Err(e) => {
                if has_git {
                    let _ = fs::rename(&carried, &git);
                }
                return Err(OutputError::io("move into place", &self.out, e));
            }
        };
        self.committed = true;
        if let Some(old) = old {
            // A folder flippack did not write gets the marker only now
            // that it is out of place, so that a build killed while
            // removing it leaves something the next one can clear.
            if foreign {
                // Without it the removal still works; only a kill during
                // it would leave a folder the next build must keep.
                let _ = folder::mark(&old);
            }
            remove_tree(&old).map_err(|e| OutputError::io("remove", &old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.staging);
        }
    }
}

/// The folder holding `out`, absolute, and `out`'s name in it. A path
/// ending in `..` is resolved first, since it names no entry of its own.
fn location(out: &Path) -> Result<(PathBuf, OsString), OutputError> {
    let absolute = std::path::absolute(out).map_err(|e| OutputError::io("find", out, e))?;
    let absolute = if absolute.file_name().is_none() {
        folder::real_path(&absolute)
    } else {
        absolute
    };
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => Ok((parent.to_path_buf(), name.to_os_string())),
        _ => Err(OutputError::HoldsSite {
            out: out.to_path_buf(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{DirSink, Sink, MARKER};

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn staging_swaps_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        folder::mark(&out).unwrap();

        let staging = Staging::new(&out, false).unwrap();
        DirSink::new(staging.path())
            .write("a/b/index.html", b"new")
            .unwrap();
        drop(staging);
        assert!(
            out.join("old.html").exists(),
            "a dropped staging leaves the output alone"
        );

        let staging = Staging::new(&out, false).unwrap();
        DirSink::new(staging.path())
            .write("a/b/index.html", b"new")
            .unwrap();
        staging.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(
            fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "new"
        );
        assert!(out.join(MARKER).is_file());
        assert_eq!(names(dir.path()), ["public"], "only the output remains");
    }

    #[test]
    fn a_folder_that_became_foreign_during_the_build_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out, false).unwrap();
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(matches!(staging.commit(), Err(OutputError::NotOurs { .. })));
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn a_staging_folder_removed_during_the_build_is_not_swapped_in() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out, false).unwrap();
        fs::remove_dir_all(staging.path()).unwrap();
        // Writing files makes their folders again, but not the marker.
        DirSink::new(staging.path())
            .write("packs/a/index.html", b"half a site")
            .unwrap();
        assert!(matches!(
            staging.commit(),
            Err(OutputError::StagingGone { .. })
        ));
        assert!(!out.exists());
    }

    #[test]
    fn a_dropped_staging_folder_never_takes_a_git_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out, false).unwrap();
        fs::create_dir_all(staging.path().join(".git")).unwrap();
        fs::write(staging.path().join(".git/HEAD"), "ref").unwrap();
        fs::write(staging.path().join("index.html"), "page").unwrap();
        let path = staging.path().to_path_buf();
        drop(staging);
        assert_eq!(fs::read_to_string(path.join(".git/HEAD")).unwrap(), "ref");
        assert!(!path.join("index.html").exists());
        assert!(path.join(MARKER).is_file(), "still marked as flippack's");
    }

    #[test]
    fn an_output_named_with_dot_dot_is_the_folder_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("sub")).unwrap();
        folder::mark(&out).unwrap();
        let staging = Staging::new(&out.join("sub/.."), false).unwrap();
        DirSink::new(staging.path())
            .write("index.html", b"new")
            .unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert!(!out.join("sub").exists());
        assert_eq!(names(dir.path()), ["public"]);
    }
}
