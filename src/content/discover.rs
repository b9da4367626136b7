//! Walking `content/`: which files exist and what role each plays.
//! Paths only; nothing here reads a file.
//!
//! The walk is also where files that must not be read are turned away
//! (see [`confine`](super::confine)): symbolic links out of the site and
//! anything that is not a regular file are errors, and are left out of
//! the [`Sources`], so nothing later opens them.

use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::confine::{not_a_file, outside_site, SiteFolder};
use crate::diagnostic::{display_path, Code, Diagnostic, Diagnostics};

/// The files of one pack folder.
#[derive(Debug, Clone, Default)]
pub struct PackFiles {
    pub slug: String,
    /// `content/packs/<slug>`.
    pub dir: PathBuf,
    /// `pack.md`, when present.
    pub pack_md: Option<PathBuf>,
    /// Further `.md` pages directly in the pack folder, sorted.
    pub pages: Vec<PathBuf>,
    /// Everything else, copied as-is, as paths relative to `dir`, sorted.
    pub assets: Vec<String>,
}

/// Every source file of a site, by role.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub index: Option<PathBuf>,
    pub packs: Vec<PackFiles>,
    pub pathways: Vec<PathBuf>,
    /// Other files under `content/` (outside packs and pathways), copied
    /// to the same place in the output, as paths relative to `content/`.
    pub assets: Vec<String>,
}

/// Which names are skipped lives in a leaf, so that the theme and the
/// watcher skip the same files without reaching into content.
pub use crate::ignored::is_ignored_name;

/// Is `s` a valid slug: lower-case ASCII letters, digits, single hyphens
/// inside.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Walks `<root>/content`, collecting every walk error (unreadable folder,
/// symlink loop) rather than stopping at the first.
pub fn discover(root: &Path) -> (Sources, Diagnostics) {
    let content = root.join("content");
    let mut sources = Sources::default();
    let mut problems = Diagnostics::default();
    if !content.is_dir() {
        problems.push(
            Diagnostic::error(
                Code::NoContent,
                "content",
                "there is no `content` folder in the site",
            )
            .with_help(format!(
                "run flippack in the site's folder, or pass --root; looked in {}; \
                 to start a new site there, run `flippack init`",
                root.display()
            )),
        );
        return (sources, problems);
    }

    walk(root, &content, &mut sources, &mut problems);
    // Pack folders that hold nothing (no files at all) are still worth a word.
    let site = SiteFolder::new(root);
    if let Ok(dirs) = std::fs::read_dir(content.join("packs")) {
        for dir in dirs.flatten() {
            let name = dir.file_name().to_string_lossy().into_owned();
            // A link out of the site was reported by the walk.
            let refused = dir.file_type().is_ok_and(|t| t.is_symlink())
                && site.check_link(&dir.path()).is_err();
            if !is_ignored_name(&name)
                && !refused
                && dir.path().is_dir()
                && !sources.packs.iter().any(|p| p.slug == name)
            {
                pack_entry(&mut sources, &content, &name);
            }
        }
    }
    sources.packs.sort_by(|a, b| a.slug.cmp(&b.slug));
    for pack in &sources.packs {
        let shown = display_path(root, &pack.dir);
        if !is_slug(&pack.slug) {
            problems.push(
                Diagnostic::error(
                    Code::BadSlug,
                    shown.clone(),
                    format!("`{}` is not a valid pack folder name", pack.slug),
                )
                .with_help(format!(
                    "use lower-case letters, digits and single hyphens, e.g. `{}`",
                    crate::slug::slugify(&pack.slug)
                )),
            );
        }
        if pack.pack_md.is_none() {
            problems.push(
                Diagnostic::error(Code::MissingPackMd, shown, "this pack folder has no `pack.md`")
                    .with_help("every folder in content/packs is a pack and needs a pack.md with its front matter"),
            );
        }
    }
    (sources, problems)
}

/// Walks one pack folder, `content/packs/<slug>`, exactly as [`discover`]
/// would: its files by role, or `None` when the folder is gone. The dev
/// server uses it to re-read one pack after a save.
pub fn discover_pack(root: &Path, slug: &str) -> (Option<PackFiles>, Diagnostics) {
    let content = root.join("content");
    let dir = content.join("packs").join(slug);
    let mut sources = Sources::default();
    let mut problems = Diagnostics::default();
    if !dir.is_dir() {
        return (None, problems);
    }
    walk(root, &dir, &mut sources, &mut problems);
    let files = sources
        .packs
        .into_iter()
        .find(|p| p.slug == slug)
        .unwrap_or_else(|| PackFiles {
            slug: slug.to_string(),
            dir,
            ..PackFiles::default()
        });
    (Some(files), problems)
}

/// Classifies every file below `from` (a folder inside `content/`).
fn walk(root: &Path, from: &Path, sources: &mut Sources, problems: &mut Diagnostics) {
    let content = root.join("content");
    let skip = |e: &DirEntry| e.depth() > 0 && is_ignored_name(&e.file_name().to_string_lossy());
    walk_files(root, from, skip, problems, |path, problems| {
        let rel = path.strip_prefix(&content).unwrap_or(path);
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        classify(root, path, &parts, sources, problems);
    });
}

/// Checks the files of the site's theme folder, `themes/<name>/`, that
/// the theme is made of (its `templates/` and `static/`), by the same
/// rules as `content/`: no symbolic link out of the site, only regular
/// files. A missing folder is not a problem here.
pub fn check_theme(root: &Path, name: &str) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let site = SiteFolder::new(root);
    let theme = root.join("themes").join(name);
    // The folders on the way, themselves links out of the site?
    for folder in [root.join("themes"), theme.clone()] {
        if is_symlink(&folder) {
            if let Err(d) = site.check_link(&folder) {
                problems.push(d);
                return problems;
            }
        }
    }
    // The theme reads every file there but editor leftovers.
    let skip = |e: &DirEntry| {
        e.depth() > 0
            && !e.file_type().is_dir()
            && is_ignored_name(&e.file_name().to_string_lossy())
    };
    for part in ["templates", "static"] {
        let from = theme.join(part);
        if from.exists() || is_symlink(&from) {
            walk_files(root, &from, skip, &mut problems, |_, _| {});
        }
    }
    problems
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Calls `found` with every regular file below `from`, following
/// symbolic links that stay inside the site, and reports the rest: links
/// out of the site, named pipes, sockets and devices, unreadable folders
/// and symlink loops. Every problem is collected rather than stopping at
/// the first. Entries for which `skip` is true are passed over, with
/// everything below them.
fn walk_files(
    root: &Path,
    from: &Path,
    skip: impl FnMut(&DirEntry) -> bool,
    problems: &mut Diagnostics,
    mut found: impl FnMut(&Path, &mut Diagnostics),
) {
    let site = SiteFolder::new(root);
    // The folder walked from may itself be a link (`content -> /srv/x`);
    // walkdir follows it without saying so.
    if is_symlink(from) {
        if let Err(d) = site.check_link(from) {
            problems.push(d);
            return;
        }
    }
    let mut skip = skip;
    let mut entries = WalkDir::new(from)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| !skip(e));
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(walk_error(root, &site, &err));
                continue;
            }
        };
        let kind = entry.file_type();
        let refused = if entry.depth() > 0 && entry.path_is_symlink() {
            site.check_link(entry.path()).err()
        } else {
            None
        };
        let refused = refused.or_else(|| {
            (!kind.is_dir() && !kind.is_file())
                .then(|| not_a_file(display_path(root, entry.path()), kind))
        });
        if let Some(d) = refused {
            problems.push(d);
            if kind.is_dir() {
                entries.skip_current_dir();
            }
            continue;
        }
        if !kind.is_dir() {
            found(entry.path(), problems);
        }
    }
}

/// A walk error in words. A link to one of its own parent folders is a
/// loop, unless the parent is outside the site (`content/up -> /`): then
/// that is what matters.
fn walk_error(root: &Path, site: &SiteFolder, err: &walkdir::Error) -> Diagnostic {
    let path = err
        .path()
        .map(|p| display_path(root, p))
        .unwrap_or_else(|| "content".into());
    if let Some(ancestor) = err.loop_ancestor() {
        if let Some(link) = err.path().filter(|p| site.check_link(p).is_err()) {
            return outside_site(display_path(root, link), ancestor);
        }
        return Diagnostic::error(
            Code::Unreadable,
            path,
            "this folder links back to one of its own parent folders (a symlink loop)",
        )
        .with_help("remove the link, or point it at a folder that is not above it");
    }
    let missing = err
        .io_error()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    if let Some(to) = err
        .path()
        .filter(|p| missing && is_symlink(p))
        .and_then(|p| std::fs::read_link(p).ok())
    {
        return Diagnostic::error(
            Code::Unreadable,
            path,
            format!(
                "this is a symbolic link to {}, which does not exist",
                to.display()
            ),
        )
        .with_help("point the link at a file inside the site folder, or remove it");
    }
    let message = format!(
        "cannot read this: {}",
        err.io_error()
            .map_or_else(|| err.to_string(), |e| e.to_string())
    );
    Diagnostic::error(Code::Unreadable, path, message)
}

fn pack_entry<'a>(sources: &'a mut Sources, content: &Path, slug: &str) -> &'a mut PackFiles {
    if let Some(i) = sources.packs.iter().position(|p| p.slug == slug) {
        return &mut sources.packs[i];
    }
    sources.packs.push(PackFiles {
        slug: slug.to_string(),
        dir: content.join("packs").join(slug),
        ..PackFiles::default()
    });
    sources.packs.last_mut().expect("just pushed")
}

fn classify(
    root: &Path,
    path: &Path,
    parts: &[String],
    sources: &mut Sources,
    problems: &mut Diagnostics,
) {
    let content = root.join("content");
    let shown = || display_path(root, path);
    let is_md = |name: &str| name.ends_with(".md");
    match parts {
        [name] if name == "_index.md" => sources.index = Some(path.to_path_buf()),
        [name] if is_md(name) => problems.push(
            Diagnostic::error(Code::MisplacedPage, shown(), "flippack does not know where to publish this page")
                .with_help("put pack pages in content/packs/<slug>/ and pathways in content/pathways/; the home page intro is content/_index.md"),
        ),
        [packs, _] if packs == "packs" => problems.push(
            Diagnostic::error(Code::MisplacedFile, shown(), "files directly in content/packs are not part of any pack")
                .with_help("move it into a pack folder, content/packs/<slug>/"),
        ),
        [packs, slug, rest @ ..] if packs == "packs" => {
            let pack = pack_entry(sources, &content, slug);
            match rest {
                [name] if name == "pack.md" => pack.pack_md = Some(path.to_path_buf()),
                [name] if is_md(name) => pack.pages.push(path.to_path_buf()),
                _ if rest.last().is_some_and(|n| is_md(n)) => problems.push(
                    Diagnostic::error(Code::MisplacedPage, shown(), "pages must sit directly in their pack folder")
                        .with_help(format!("move it to content/packs/{slug}/")),
                ),
                _ => pack.assets.push(rest.join("/")),
            }
        }
        [pathways, name] if pathways == "pathways" && is_md(name) => sources.pathways.push(path.to_path_buf()),
        [pathways, ..] if pathways == "pathways" => problems.push(
            Diagnostic::error(Code::MisplacedFile, shown(), "content/pathways holds only pathway `.md` files")
                .with_help("put files that belong to a pack in that pack's folder"),
        ),
        _ => sources.assets.push(parts.join("/")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for good in ["ell", "ell-communication", "rti-2026", "a1"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "", "ELL", "ell_comm", "-ell", "ell-", "ell--x", "ell comm", "été",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".pack.md.swp", "pack.md~", ".#pack.md", "4913", ".DS_Store"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("pack.md"));
    }
}
