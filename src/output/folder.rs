//! Which folders a build may replace. Replacing a folder deletes what was
//! in it, so a build takes only a folder that is missing, empty, or marked
//! by an earlier build as its own, and never the site, a file or a link.

use std::fs;
use std::path::{Path, PathBuf};

use super::OutputError;

/// The file every build writes at the top of its output folder, so that
/// the next build knows the folder as its own to replace.
pub const MARKER: &str = ".flippack-output";

/// What the marker says to someone who finds it.
pub const MARKER_TEXT: &str =
    "This folder was written by `flippack build`, which replaces it as a \
whole on every build.\nAnything put here is removed by the next build, except a .git.\n";

/// What a build carries over from the output folder it replaces into the
/// new one: a `.git` makes the output a work tree of a pages branch, and
/// its history is not the build's to delete.
pub const KEPT: &str = ".git";

/// What is at the output folder's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Nothing yet.
    Absent,
    /// A folder with nothing in it but, perhaps, a `.git`.
    Empty,
    /// A folder an earlier build wrote.
    Ours,
    /// A folder holding these entries, not written by flippack.
    Foreign(Vec<String>),
}

/// Looks at `out` without changing anything; a file, a link or anything
/// else that is not a folder is an error, since a build never replaces it.
pub fn state(out: &Path) -> Result<State, OutputError> {
    let meta = match fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::Absent),
        Err(e) => return Err(OutputError::io("look at", out, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(OutputError::Symlink {
            out: out.to_path_buf(),
            target: fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf()),
        });
    }
    if !meta.is_dir() {
        let what = if meta.is_file() {
            "a file"
        } else {
            "a special file"
        };
        return Err(OutputError::NotAFolder {
            out: out.to_path_buf(),
            what,
        });
    }
    let mut entries = Vec::new();
    for entry in fs::read_dir(out).map_err(|e| OutputError::io("list", out, e))? {
        let entry = entry.map_err(|e| OutputError::io("list", out, e))?;
        entries.push(entry.file_name().to_string_lossy().into_owned());
    }
    if is_marked(out) {
        return Ok(State::Ours);
    }
    if entries.iter().all(|name| name == KEPT) {
        return Ok(State::Empty);
    }
    entries.sort();
    Ok(State::Foreign(entries))
}

/// Whether `dir` carries the marker of a build, as a regular file: a
/// folder or link of that name proves nothing.
pub fn is_marked(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Writes the marker into `dir`.
pub fn mark(dir: &Path) -> Result<(), OutputError> {
    let marker = dir.join(MARKER);
    fs::write(&marker, MARKER_TEXT).map_err(|e| OutputError::io("write", &marker, e))
}

/// The first few of `entries`, for a message.
pub fn list(entries: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = entries
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if entries.len() > SHOWN {
        text.push_str(&format!(" and {} more", entries.len() - SHOWN));
    }
    text
}

/// Refuses output folders a build must not replace: the site itself, a
/// folder holding it or one of its source folders (even with `force`), a
/// file or link, and, unless `force`, a folder flippack did not write.
pub fn check_output_folder(root: &Path, out: &Path, force: bool) -> Result<(), OutputError> {
    let root = real_path(root);
    let out_abs = real_path(out);
    let shown = out.to_path_buf();
    if root.starts_with(&out_abs) {
        return Err(OutputError::HoldsSite { out: shown });
    }
    for part in ["content", "themes", "static", "site.yaml"] {
        if out_abs.starts_with(root.join(part)) {
            return Err(OutputError::InsideSource { out: shown, part });
        }
    }
    if out_abs.join("site.yaml").exists() || out_abs.join("content").is_dir() {
        return Err(OutputError::LooksLikeSite { out: shown });
    }
    match state(out)? {
        State::Foreign(entries) if !force => Err(OutputError::NotOurs {
            out: shown,
            entries,
        }),
        _ => Ok(()),
    }
}

/// The absolute form of `path` with `.` and `..` folded and, as far as the
/// path exists, symlinks resolved: a folder that does not exist yet still
/// compares correctly with those that do.
pub fn real_path(path: &Path) -> PathBuf {
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
        for force in [false, true] {
            assert!(check_output_folder(root, &root.join("public"), force).is_ok());
            assert!(check_output_folder(root, root, force).is_err());
            assert!(check_output_folder(root, root.parent().unwrap(), force).is_err());
            assert!(check_output_folder(root, &root.join("content/out"), force).is_err());
            assert!(check_output_folder(root, &root.join("public/../content"), force).is_err());
        }
    }

    #[test]
    fn tells_the_folders_apart() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert_eq!(state(&out).unwrap(), State::Absent);
        fs::create_dir(&out).unwrap();
        assert_eq!(state(&out).unwrap(), State::Empty);
        fs::create_dir(out.join(".git")).unwrap();
        assert_eq!(state(&out).unwrap(), State::Empty, "a .git alone is empty");
        fs::write(out.join("keep"), "mine").unwrap();
        assert_eq!(
            state(&out).unwrap(),
            State::Foreign(vec![".git".into(), "keep".into()])
        );
        fs::create_dir(out.join(MARKER)).unwrap();
        assert!(
            matches!(state(&out).unwrap(), State::Foreign(_)),
            "a folder named like the marker is no marker"
        );
        fs::remove_dir(out.join(MARKER)).unwrap();
        mark(&out).unwrap();
        assert_eq!(state(&out).unwrap(), State::Ours);

        let file = dir.path().join("README.md");
        fs::write(&file, "# hello").unwrap();
        assert!(matches!(
            state(&file),
            Err(OutputError::NotAFolder { what: "a file", .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_not_a_folder_even_to_an_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        mark(&out).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&out, &link).unwrap();
        assert!(matches!(state(&link), Err(OutputError::Symlink { .. })));
    }

    #[test]
    fn lists_a_few_entries() {
        let entries: Vec<String> = (1..=7).map(|i| format!("f{i}")).collect();
        assert_eq!(list(&entries[..2]), "f1, f2");
        assert_eq!(list(&entries), "f1, f2, f3, f4, f5 and 2 more");
    }
}
