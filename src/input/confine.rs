//! Which files of a site flippack reads: regular files inside the site
//! folder, and nothing else.
//!
//! A symbolic link is followed only when what it points at, fully
//! resolved, lies inside the site folder: otherwise a link to
//! `/etc/passwd`, a home folder or a network share would be published to
//! every teacher. And only regular files are opened: opening a named pipe
//! waits for a writer for ever, and a device such as `/dev/zero` never
//! ends. Both are decided from the file's type and the link's target,
//! before anything is opened.

use std::fs::FileType;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::diagnostic::{display_path, Code, Diagnostic};

/// The site folder, resolved once, to compare link targets with.
pub struct SiteFolder {
    root: PathBuf,
    /// `root` with every symbolic link resolved; `None` when it cannot be,
    /// and then no link counts as inside.
    real: Option<PathBuf>,
}

impl SiteFolder {
    pub fn new(root: &Path) -> SiteFolder {
        SiteFolder {
            root: root.to_path_buf(),
            real: std::fs::canonicalize(root).ok(),
        }
    }

    /// Checks the symbolic link at `path`: fine when its target is inside
    /// the site folder.
    pub fn check_link(&self, path: &Path) -> Result<(), Diagnostic> {
        let shown = display_path(&self.root, path);
        match std::fs::canonicalize(path) {
            Ok(target) if self.contains(&target) => Ok(()),
            Ok(target) => Err(outside_site(shown, &target)),
            Err(err) => Err(Diagnostic::error(
                Code::Unreadable,
                shown,
                format!("cannot follow this symbolic link: {err}"),
            )
            .with_help(
                "point the link at a file that exists inside the site folder, or remove it",
            )),
        }
    }

    /// Checks `path` before it is read, whatever it is: a symbolic link
    /// must stay inside the site, and what it is (or points at) must be a
    /// regular file. A file that does not exist passes, for the reader to
    /// report as it does.
    pub fn check_file(&self, path: &Path) -> Result<(), Diagnostic> {
        let shown = || display_path(&self.root, path);
        let unreadable = |err: std::io::Error| {
            Diagnostic::error(
                Code::Unreadable,
                shown(),
                format!("cannot read this file: {err}"),
            )
        };
        let own = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == ErrorKind::NotFound => return Ok(()),
            Err(err) => return Err(unreadable(err)),
        };
        if own.file_type().is_symlink() {
            self.check_link(path)?;
        }
        let meta = std::fs::metadata(path).map_err(unreadable)?;
        if meta.is_file() {
            Ok(())
        } else {
            Err(not_a_file(shown(), meta.file_type()))
        }
    }

    fn contains(&self, target: &Path) -> bool {
        self.real
            .as_deref()
            .is_some_and(|real| target.starts_with(real))
    }
}

/// The finding for a symbolic link at `shown` whose target is outside the
/// site folder.
pub fn outside_site(shown: String, target: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::SymlinkOutsideSite,
        shown,
        format!(
            "this is a symbolic link to {}, which is outside the site folder",
            target.display()
        ),
    )
    .with_help(
        "copy the file (or folder) into the site instead; symbolic links are followed only \
         when they point inside the site folder",
    )
}

/// The finding for something at `shown` that is not a regular file (nor
/// a folder).
pub fn not_a_file(shown: String, kind: FileType) -> Diagnostic {
    Diagnostic::error(
        Code::NotAFile,
        shown,
        format!("this is {}, not a regular file", kind_name(kind)),
    )
    .with_help("flippack reads only regular files: remove it, or put the file it stands for here")
}

/// What a file that is not a regular file is, in words.
fn kind_name(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_char_device() {
            return "a device (like /dev/zero)";
        }
    }
    if kind.is_dir() {
        return "a folder";
    }
    "a special file"
}

/// Checks a file of the site named relative to `root` (such as
/// `site.yaml`) before it is read; see [`SiteFolder::check_file`].
pub fn check_site_file(root: &Path, rel: &str) -> Result<(), Diagnostic> {
    SiteFolder::new(root).check_file(&root.join(rel))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_pass_and_links_outside_are_refused() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("real.txt"), "x").unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        symlink("real.txt", site.path().join("inside.txt")).unwrap();
        symlink(
            outside.path().join("secret.txt"),
            site.path().join("outside.txt"),
        )
        .unwrap();
        let folder = SiteFolder::new(site.path());
        assert!(folder.check_file(&site.path().join("real.txt")).is_ok());
        assert!(folder.check_file(&site.path().join("inside.txt")).is_ok());
        assert!(folder.check_file(&site.path().join("missing.txt")).is_ok());
        let refused = folder
            .check_file(&site.path().join("outside.txt"))
            .unwrap_err();
        assert_eq!(refused.code, Code::SymlinkOutsideSite);
        assert_eq!(refused.file, "outside.txt");
        assert!(refused.help.is_some());
    }

    #[test]
    fn a_folder_beside_the_site_with_the_same_prefix_is_outside() {
        let parent = tempfile::tempdir().unwrap();
        let site = parent.path().join("site");
        let beside = parent.path().join("site-other");
        std::fs::create_dir(&site).unwrap();
        std::fs::create_dir(&beside).unwrap();
        std::fs::write(beside.join("x.txt"), "x").unwrap();
        symlink(beside.join("x.txt"), site.join("x.txt")).unwrap();
        let refused = SiteFolder::new(&site)
            .check_file(&site.join("x.txt"))
            .unwrap_err();
        assert_eq!(refused.code, Code::SymlinkOutsideSite);
    }

    #[test]
    fn devices_are_not_files() {
        let site = tempfile::tempdir().unwrap();
        symlink("/dev/null", site.path().join("null")).unwrap();
        let refused = check_site_file(site.path(), "null").unwrap_err();
        assert_eq!(refused.code, Code::SymlinkOutsideSite);
        let kind = std::fs::metadata("/dev/null").unwrap().file_type();
        assert!(not_a_file("x".into(), kind).message.contains("a device"));
        let kind = std::fs::metadata(site.path()).unwrap().file_type();
        assert!(not_a_file("x".into(), kind).message.contains("a folder"));
    }
}
