//! Walking `content/`: which files exist and what role each plays.
//! Paths only; nothing here reads a file.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{display_path, Diagnostic, Diagnostics};

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

/// True for files no author means to publish: hidden files and the
/// leftovers of editors (`.swp`, `~`, `.#x`, vim's `4913` probe).
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

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
                "no-content",
                "content",
                "there is no `content` folder in the site",
            )
            .with_help(format!(
                "run flippack in the site's folder, or pass --root; looked in {}",
                root.display()
            )),
        );
        return (sources, problems);
    }

    walk(root, &content, &mut sources, &mut problems);
    // Pack folders that hold nothing (no files at all) are still worth a word.
    if let Ok(dirs) = std::fs::read_dir(content.join("packs")) {
        for dir in dirs.flatten() {
            let name = dir.file_name().to_string_lossy().into_owned();
            if !is_ignored_name(&name)
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
                    "bad-slug",
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
                Diagnostic::error("missing-pack-md", shown, "this pack folder has no `pack.md`")
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

/// Classifies every file below `from` (a folder inside `content/`),
/// collecting every walk error (unreadable folder, symlink loop) rather
/// than stopping at the first.
fn walk(root: &Path, from: &Path, sources: &mut Sources, problems: &mut Diagnostics) {
    let content = root.join("content");
    let walker = WalkDir::new(from)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                let message = if err.loop_ancestor().is_some() {
                    "this folder links back to one of its own parent folders (a symlink loop)"
                        .to_string()
                } else {
                    format!(
                        "cannot read this: {}",
                        err.io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string())
                    )
                };
                problems.push(Diagnostic::error("unreadable", path, message));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let rel = path.strip_prefix(&content).unwrap_or(path);
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        classify(root, path, &parts, sources, problems);
    }
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
            Diagnostic::error("misplaced-page", shown(), "flippack does not know where to publish this page")
                .with_help("put pack pages in content/packs/<slug>/ and pathways in content/pathways/; the home page intro is content/_index.md"),
        ),
        [packs, _] if packs == "packs" => problems.push(
            Diagnostic::error("misplaced-file", shown(), "files directly in content/packs are not part of any pack")
                .with_help("move it into a pack folder, content/packs/<slug>/"),
        ),
        [packs, slug, rest @ ..] if packs == "packs" => {
            let pack = pack_entry(sources, &content, slug);
            match rest {
                [name] if name == "pack.md" => pack.pack_md = Some(path.to_path_buf()),
                [name] if is_md(name) => pack.pages.push(path.to_path_buf()),
                _ if rest.last().is_some_and(|n| is_md(n)) => problems.push(
                    Diagnostic::error("misplaced-page", shown(), "pages must sit directly in their pack folder")
                        .with_help(format!("move it to content/packs/{slug}/")),
                ),
                _ => pack.assets.push(rest.join("/")),
            }
        }
        [pathways, name] if pathways == "pathways" && is_md(name) => sources.pathways.push(path.to_path_buf()),
        [pathways, ..] if pathways == "pathways" => problems.push(
            Diagnostic::error("misplaced-file", shown(), "content/pathways holds only pathway `.md` files")
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
