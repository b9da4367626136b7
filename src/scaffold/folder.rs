//! Where `flippack init` may write: the folder it was given, with every
//! symbolic link resolved, and nothing outside it.
//!
//! `init --force` adds files to a folder that already holds some, so it
//! must not be fooled by what is there: a `content` that is a link to
//! another folder would have it write the starter site into that folder
//! instead. And some folders are never a site: making one in `/` or in the
//! home folder scatters `content/` and `site.yaml` among the system's or
//! the user's own files.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use super::ScaffoldError;
use crate::diagnostic::IoError;

/// The folder `dir` is, or will be once made, with every link resolved.
/// Refuses the root of the file system and the home folder, and a path
/// that climbs (`..`) out of a folder that does not exist yet, whose end
/// cannot be known before it is made.
pub fn real_folder(dir: &Path) -> Result<PathBuf, ScaffoldError> {
    let mut base = dir.to_path_buf();
    // The names at the end of `dir` that do not exist yet, last first.
    let mut missing: Vec<OsString> = Vec::new();
    let real = loop {
        let probe = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base.as_path()
        };
        match std::fs::canonicalize(probe) {
            Ok(real) => break real,
            Err(err) if err.kind() == ErrorKind::NotFound => match base.components().next_back() {
                Some(Component::Normal(name)) => {
                    missing.push(name.to_os_string());
                    base.pop();
                }
                Some(Component::CurDir) => {
                    base.pop();
                }
                _ => {
                    return Err(ScaffoldError::UnclearFolder {
                        dir: dir.to_path_buf(),
                    })
                }
            },
            Err(source) => {
                return Err(ScaffoldError::Io(IoError {
                    action: "open the folder",
                    path: dir.to_path_buf(),
                    source,
                }))
            }
        }
    };
    let real = missing
        .iter()
        .rev()
        .fold(real, |path, name| path.join(name));
    let home = home_folder().and_then(|h| std::fs::canonicalize(h).ok());
    match refused_place(&real, home.as_deref()) {
        Some(what) => Err(ScaffoldError::RefusedFolder {
            dir: dir.to_path_buf(),
            what,
        }),
        None => Ok(real),
    }
}

/// Why `real` (a folder with every link resolved) is no place for a
/// site, or `None` when it is fine. Decided on the path alone.
pub fn refused_place(real: &Path, home: Option<&Path>) -> Option<&'static str> {
    if real.parent().is_none() {
        Some("the root of the file system")
    } else if home == Some(real) {
        Some("your home folder")
    } else {
        None
    }
}

fn home_folder() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Refuses when anything on the way to one of `files` (paths relative to
/// `dir`, whose real place is `real`) is a symbolic link that leads out of
/// the folder, whether or not its target exists.
pub fn refuse_links_out<'a>(
    dir: &Path,
    real: &Path,
    files: impl IntoIterator<Item = &'a str>,
) -> Result<(), ScaffoldError> {
    for file in files {
        let mut at = dir.to_path_buf();
        let mut rel: Vec<String> = Vec::new();
        for part in Path::new(file).components() {
            at.push(part);
            rel.push(part.as_os_str().to_string_lossy().into_owned());
            let Ok(meta) = std::fs::symlink_metadata(&at) else {
                break; // Nothing exists below what does not exist.
            };
            if !meta.file_type().is_symlink() {
                continue;
            }
            let target = std::fs::canonicalize(&at).or_else(|_| {
                // A link to nothing: where it would lead once made.
                std::fs::read_link(&at).map(|to| {
                    let from = real.join(rel[..rel.len() - 1].join("/"));
                    lexical(&from.join(to))
                })
            });
            let target = target.map_err(|source| IoError {
                action: "follow the link",
                path: at.clone(),
                source,
            })?;
            if !target.starts_with(real) {
                return Err(ScaffoldError::LinkOutside {
                    dir: dir.to_path_buf(),
                    link: rel.join("/"),
                    target,
                });
            }
        }
    }
    Ok(())
}

/// `path` with `.` and `..` worked out on the names alone.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_and_the_home_folder_are_refused_by_their_path() {
        let home = Path::new("/home/coach");
        assert_eq!(
            refused_place(Path::new("/"), Some(home)),
            Some("the root of the file system")
        );
        assert_eq!(refused_place(home, Some(home)), Some("your home folder"));
        assert_eq!(refused_place(&home.join("pd-site"), Some(home)), None);
        assert_eq!(refused_place(Path::new("/srv/pd"), None), None);
    }

    #[test]
    fn a_folder_yet_to_be_made_resolves_under_the_one_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = std::fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            real_folder(&dir.path().join("a/./b")).unwrap(),
            real.join("a/b")
        );
        // Climbing out of a folder that does not exist yet is refused
        // without guessing where it ends.
        assert!(matches!(
            real_folder(&dir.path().join("new/../..")),
            Err(ScaffoldError::UnclearFolder { .. })
        ));
        assert!(matches!(
            real_folder(Path::new("/")),
            Err(ScaffoldError::RefusedFolder { .. })
        ));
    }

    #[test]
    fn names_are_worked_out_without_the_file_system() {
        assert_eq!(lexical(Path::new("/a/b/../c/./d")), Path::new("/a/c/d"));
        assert_eq!(lexical(Path::new("/a/../../b")), Path::new("/b"));
    }
}
