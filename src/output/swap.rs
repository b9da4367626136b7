//! Putting a new folder where an old one is, in one step where the system
//! can, so that a build killed at any moment leaves one of the two there.

use std::io;
use std::path::{Path, PathBuf};

/// Puts `new` at `out`, and tells where the folder that was at `out` went:
/// to `new`'s path when the two could be exchanged in one step, to `aside`
/// when it took two renames, or nowhere when `out` did not exist.
///
/// Two renames leave a moment with no folder at `out`; a build killed
/// then leaves the old site at `aside`, for the next build to put back.
pub fn swap_in(new: &Path, out: &Path, aside: &Path) -> io::Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(new, out)?;
        return Ok(None);
    }
    match exchange(new, out) {
        Ok(()) => Ok(Some(new.to_path_buf())),
        Err(e) if unsupported(&e) => {
            swap_by_renames(new, out, aside)?;
            Ok(Some(aside.to_path_buf()))
        }
        Err(e) => Err(e),
    }
}

/// The swap for systems and file systems that cannot exchange two paths.
pub fn swap_by_renames(new: &Path, out: &Path, aside: &Path) -> io::Result<()> {
    std::fs::rename(out, aside)?;
    if let Err(e) = std::fs::rename(new, out) {
        // Put the previous site back rather than leave none.
        let _ = std::fs::rename(aside, out);
        return Err(e);
    }
    Ok(())
}

/// Whether `error` means that exchanging is not possible here (an old
/// kernel, or a file system without it), so two renames must do.
fn unsupported(error: &io::Error) -> bool {
    if error.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::io::Errno;
        [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP]
            .iter()
            .any(|errno| error.raw_os_error() == Some(errno.raw_os_error()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Exchanges `a` and `b` in one step: `renameat2(RENAME_EXCHANGE)`.
#[cfg(target_os = "linux")]
pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Elsewhere there is no exchange, and [`swap_in`] falls back on renames.
#[cfg(not(target_os = "linux"))]
pub fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(dir: &Path, file: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(file), file).unwrap();
    }

    #[test]
    fn into_a_missing_folder_it_is_a_rename() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out) = (dir.path().join("new"), dir.path().join("out"));
        tree(&new, "new.html");
        let old = swap_in(&new, &out, &dir.path().join("aside")).unwrap();
        assert_eq!(old, None);
        assert!(out.join("new.html").is_file() && !new.exists());
    }

    #[test]
    fn the_old_folder_ends_where_it_says() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, aside) = (
            dir.path().join("new"),
            dir.path().join("out"),
            dir.path().join("aside"),
        );
        tree(&new, "new.html");
        tree(&out, "old.html");
        let old = swap_in(&new, &out, &aside).unwrap().unwrap();
        assert!(out.join("new.html").is_file() && !out.join("old.html").exists());
        assert!(old.join("old.html").is_file());
    }

    /// With an exchange there is no moment without an output folder: one
    /// system call puts each folder at the other's path.
    #[cfg(target_os = "linux")]
    #[test]
    fn an_exchange_is_one_step_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        tree(&a, "from-a");
        tree(&b, "from-b");
        match exchange(&a, &b) {
            Ok(()) => {
                assert!(a.join("from-b").is_file() && b.join("from-a").is_file());
            }
            // A file system without exchanges: the renames are used instead.
            Err(e) => assert!(unsupported(&e), "{e}"),
        }
    }

    #[test]
    fn two_renames_put_the_old_folder_back_when_the_second_fails() {
        let dir = tempfile::tempdir().unwrap();
        let (out, aside) = (dir.path().join("out"), dir.path().join("aside"));
        tree(&out, "old.html");
        let missing = dir.path().join("never-written");
        assert!(swap_by_renames(&missing, &out, &aside).is_err());
        assert!(out.join("old.html").is_file(), "the old site is back");
        assert!(!aside.exists());
    }
}
