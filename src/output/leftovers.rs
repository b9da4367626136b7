//! What builds that were killed left beside their output folder: the
//! staging folder they were writing (`.NAME.staging-PID`), and the old
//! site they were removing or had moved aside (`.NAME.old-PID`). The next
//! build removes them, but only what it can tell is flippack's own: named
//! exactly so, of a process that is gone, and marked (or empty).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::folder::{is_marked, KEPT, MARKER};
#[cfg(unix)]
use super::remove::remove_entries;
use super::OutputError;

/// Which of a build's two folders beside the output a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Staging,
    Old,
}

/// The name of the staging folder of process `pid` for output `name`.
pub fn staging_name(name: &str, pid: u32) -> String {
    format!(".{name}.staging-{pid}")
}

/// The name the old output `name` takes while process `pid` replaces it
/// by two renames.
pub fn old_name(name: &str, pid: u32) -> String {
    format!(".{name}.old-{pid}")
}

/// Reads a name given by [`staging_name`] or [`old_name`] for `name`, and
/// nothing else: not a name with more after the process id.
fn parse(entry: &str, name: &str) -> Option<(Kind, u32)> {
    let rest = entry
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('.')?;
    let (kind, pid) = if let Some(pid) = rest.strip_prefix("staging-") {
        (Kind::Staging, pid)
    } else {
        (Kind::Old, rest.strip_prefix("old-")?)
    };
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok().map(|pid| (kind, pid))
}

/// Whether `dir` is a folder flippack made: marked, or empty (a build
/// killed before it could mark its staging folder, or one that had
/// removed everything but the folder itself).
pub fn is_flippacks(dir: &Path) -> bool {
    let is_dir = fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir());
    is_dir
        && (is_marked(dir) || fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none()))
}

/// Removes what dead builds left beside the output folder `out` (named
/// `name`, in `parent`). A build killed between moving the old site aside
/// and moving the new one in left no output folder: that old site is put
/// back first. A `.git` found in a leftover goes back into the output
/// folder; if the output already has one, the leftover is kept.
pub fn clear(parent: &Path, name: &str, out: &Path) -> Result<(), OutputError> {
    let mut dead: Vec<(Kind, PathBuf)> = Vec::new();
    let entries = fs::read_dir(parent).map_err(|e| OutputError::io("list", parent, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| OutputError::io("list", parent, e))?;
        let file_name = entry.file_name();
        let Some((kind, pid)) = file_name.to_str().and_then(|n| parse(n, name)) else {
            continue;
        };
        let path = entry.path();
        if pid != std::process::id() && !alive(pid) && is_flippacks(&path) {
            dead.push((kind, path));
        }
    }
    dead.sort();

    if fs::symlink_metadata(out).is_err() {
        if let Some(i) = dead.iter().position(|(kind, _)| *kind == Kind::Old) {
            let (_, old) = dead.remove(i);
            fs::rename(&old, out).map_err(|e| OutputError::io("put back", &old, e))?;
        }
    }
    for (_, path) in dead {
        if fs::symlink_metadata(path.join(KEPT)).is_ok() && !bring_back(&path, out) {
            continue;
        }
        remove_tree(&path).map_err(|e| OutputError::io("remove", &path, e))?;
    }
    Ok(())
}

/// Moves the `.git` of `leftover` into the output folder `out`, if that
/// is a folder without one; tells whether it did.
fn bring_back(leftover: &Path, out: &Path) -> bool {
    let out_is_dir = fs::symlink_metadata(out).is_ok_and(|m| m.is_dir());
    out_is_dir
        && fs::symlink_metadata(out.join(KEPT)).is_err()
        && fs::rename(leftover.join(KEPT), out.join(KEPT)).is_ok()
}

/// Removes `dir` and everything in it but a `.git`, the marker last, so a
/// build killed halfway leaves a folder the next build still knows as its
/// own. A `.git` is never deleted: a folder holding one is kept, marked.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut kept = false;
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return gone_ok(e, ()),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        if name == MARKER {
            continue;
        }
        if name == KEPT {
            kept = true;
            continue;
        }
        names.push(name);
    }
    remove_entries(dir, names)?;
    if kept {
        return Ok(());
    }
    fs::remove_file(dir.join(MARKER)).or_else(|e| gone_ok(e, ()))?;
    fs::remove_dir(dir).or_else(|e| gone_ok(e, ()))
}

/// Removes `names`, entries of `dir`, one after another; a link is
/// removed, never followed.
#[cfg(not(unix))]
fn remove_entries(dir: &Path, names: Vec<std::ffi::OsString>) -> io::Result<()> {
    for name in names {
        let path = dir.join(name);
        let removed = match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path),
            Ok(_) => fs::remove_file(&path),
            Err(e) => Err(e),
        };
        // Another build clearing the same leftover got there first.
        removed.or_else(|e| gone_ok(e, ()))?;
    }
    Ok(())
}

/// Treats "not found" as done: what was to be removed is gone.
fn gone_ok<T>(error: io::Error, done: T) -> io::Result<T> {
    if error.kind() == io::ErrorKind::NotFound {
        Ok(done)
    } else {
        Err(error)
    }
}

/// Whether process `pid` is running. Signal 0 asks the system whether the
/// process exists without sending it anything; a process of another user
/// exists too.
#[cfg(unix)]
pub(crate) fn alive(pid: u32) -> bool {
    use rustix::io::Errno;
    use rustix::process::{test_kill_process, Pid};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return true;
    };
    !matches!(test_kill_process(pid), Err(Errno::SRCH))
}

/// Without a way to ask, every process counts as running, so nothing is
/// removed that might still be in use.
#[cfg(not(unix))]
pub(crate) fn alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::folder::mark;

    #[test]
    fn reads_only_the_names_a_build_gives() {
        assert_eq!(
            parse(".public.staging-42", "public"),
            Some((Kind::Staging, 42))
        );
        assert_eq!(parse(".public.old-7", "public"), Some((Kind::Old, 7)));
        assert_eq!(parse(".site.v2.old-7", "site.v2"), Some((Kind::Old, 7)));
        for other in [
            ".public.old-",
            ".public.old-7x",
            ".public.old-+7",
            ".public.old-7.bak",
            ".public.staging-1.old-2",
            "public.old-7",
            ".public.new-7",
            ".other.old-7",
            ".public.old-99999999999",
        ] {
            assert_eq!(parse(other, "public"), None, "{other}");
        }
        assert_eq!(parse(".a.staging-1.old-5", "a"), None);
    }

    #[test]
    fn removal_keeps_the_marker_to_the_last_and_a_git_for_ever() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        fs::create_dir_all(tree.join("packs/a")).unwrap();
        fs::write(tree.join("packs/a/index.html"), "page").unwrap();
        mark(&tree).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        remove_tree(&tree).expect("a folder already gone is removed");

        fs::create_dir_all(tree.join(".git")).unwrap();
        fs::write(tree.join("index.html"), "page").unwrap();
        mark(&tree).unwrap();
        remove_tree(&tree).unwrap();
        assert!(tree.join(".git").is_dir() && tree.join(MARKER).is_file());
        assert!(!tree.join("index.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_a_leftover_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).unwrap();
        fs::write(outside.join("precious"), "keep").unwrap();
        let tree = dir.path().join("tree");
        fs::create_dir(&tree).unwrap();
        mark(&tree).unwrap();
        std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(
            fs::read_to_string(outside.join("precious")).unwrap(),
            "keep"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_old_site_goes_back_when_there_is_no_output() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let old = dir.path().join(old_name("public", dead));
        fs::create_dir(&old).unwrap();
        fs::write(old.join("index.html"), "old").unwrap();
        mark(&old).unwrap();
        let staging = dir.path().join(staging_name("public", dead));
        fs::create_dir_all(staging.join(".git")).unwrap();
        mark(&staging).unwrap();

        let out = dir.path().join("public");
        clear(dir.path(), "public", &out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert!(out.join(".git").is_dir(), "the .git is back in the output");
        assert!(!old.exists() && !staging.exists());
    }

    #[test]
    fn this_process_is_alive() {
        assert!(alive(std::process::id()));
    }
}
