//! `flippack export`: packs, a pathway or the whole site as a package an
//! LMS imports: an IMS Common Cartridge 1.1 (`cc`) or a SCORM 1.2 package
//! (`scorm12`).
//!
//! The site is loaded and rendered as for a build, into memory; the
//! package takes the pages of its packs and the theme's files from there
//! (`package`), adds what the format needs (`cc` with `qti`, or `scorm`)
//! and is written as one reproducible zip (`zip`). The published site
//! stays the primary output: nothing here changes how it is built.

mod cc;
mod package;
mod qti;
mod scorm;
mod xml;
mod zip;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::content::{load_site, LoadOptions, Pack, Site};
use crate::diagnostic::{did_you_mean, display_path, Diagnostics, IoError, Severity};
use crate::output::MemorySink;
use crate::render::{render_site, RenderError, Theme};
use crate::slug::slugify;

/// The package formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// IMS Common Cartridge 1.1, a `.imscc` file.
    CommonCartridge,
    /// SCORM 1.2, a `.zip` file.
    Scorm12,
}

/// What goes into the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Pack(String),
    Pathway(String),
    All,
}

/// What to export and where.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The site's folder (holding `content/` and `site.yaml`).
    pub root: PathBuf,
    pub selection: Selection,
    pub format: Format,
    /// The folder the package is written into; `exports/` under the root
    /// when `None`.
    pub out: Option<PathBuf>,
    /// Replace a package an earlier export wrote at the same path.
    pub force: bool,
}

/// What an export wrote.
#[derive(Debug)]
pub struct ExportReport {
    /// The package file.
    pub path: PathBuf,
    pub packs: usize,
    /// Files inside the package, its manifest included.
    pub files: usize,
    pub bytes: usize,
    /// Problems that did not stop the export.
    pub warnings: Diagnostics,
}

/// Why an export stopped, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "there is no pack `{slug}` in content/packs/\n  = help: {}",
        suggestion.as_ref().map_or_else(
            || "`flippack hours` lists every pack by its slug".to_string(),
            |s| format!("did you mean `{s}`?"))
    )]
    UnknownPack {
        slug: String,
        suggestion: Option<String>,
    },
    #[error(
        "there is no pathway `{slug}` in content/pathways/\n  = help: {}",
        suggestion.as_ref().map_or_else(
            || format!("the site's pathways are: {}", if known.is_empty() { "none".to_string() } else { known.join(", ") }),
            |s| format!("did you mean `{s}`?"))
    )]
    UnknownPathway {
        slug: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    #[error(
        "there is nothing to export: {what} has no published pack\n  = help: remove \
         `draft: true` from a pack, or add one with `flippack new pack`"
    )]
    NoPacks { what: String },
    #[error(
        "{} already exists\n  = help: add --force to replace it, or choose another folder \
         with --out",
        path.display()
    )]
    Exists { path: PathBuf },
    #[error(
        "{} exists and was not written by flippack export, so it is left alone, even with \
         --force\n  = help: choose another folder with --out, or move the file away",
        path.display()
    )]
    NotOurs { path: PathBuf },
    #[error(
        "{} is {what}, not a package file; an export replaces only a file it wrote\n  \
         = help: choose another folder with --out",
        path.display()
    )]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "the export folder {} is inside the site's content/, where the next build would \
         publish the package\n  = help: choose a folder outside content/, such as exports/",
        out.display()
    )]
    InsideContent { out: PathBuf },
    #[error(
        "{page} uses {file}, which the package does not hold, so the page would show it \
         broken inside the LMS\n  = help: put the file in the pack's folder and link to it \
         there (`flippack check` shows every link)"
    )]
    MissingFile { page: String, file: String },
    /// Problems in the site's content, each with file and line: the
    /// site must build before it can be exported.
    #[error("the site has problems: {}", .0.summary())]
    Content(Diagnostics),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Io(#[from] IoError),
}

/// A package's contents: its packs once each, and its modules in order
/// (a pathway's steps, which may name a pack twice).
pub struct Contents<'a> {
    /// Part of the manifest's identifier: the pack's or pathway's slug,
    /// or `site`.
    pub id: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub language: String,
    pub packs: Vec<&'a Pack>,
    pub modules: Vec<Module<'a>>,
}

/// One module of a cartridge, one SCO of a SCORM package.
pub struct Module<'a> {
    pub title: String,
    pub pack: &'a Pack,
}

/// Writes the package `options` asks for. Nothing is written when the
/// site has errors, a slug is unknown, or the file exists (without
/// `--force`, or a file flippack did not write).
pub fn export(options: &ExportOptions) -> Result<ExportReport, ExportError> {
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join("exports"));
    // Before anything is read, as for a build.
    refuse_inside_content(&options.root, &out)?;

    let loaded =
        load_site(&options.root, LoadOptions { drafts: false }).map_err(ExportError::Content)?;
    let site = loaded.site;
    let mut placeholders = crate::check::placeholders::placeholders(&site);
    if !placeholders.is_empty() {
        for d in &mut placeholders {
            d.severity = Severity::Error;
        }
        return Err(ExportError::Content(Diagnostics(placeholders)));
    }
    let contents = contents(&site, &options.selection)?;
    let path = out.join(file_name(&site, &options.selection, options.format));
    check_target(&path, options.force)?;

    let theme = Theme::load(&options.root, &site.config.theme)?;
    let sink = MemorySink::default();
    render_site(&site, &theme, &sink)?;
    let rendered = sink.into_files();
    let scorm = options.format == Format::Scorm12;
    let mut files = package::site_files(&rendered, &contents.packs, scorm);
    if scorm {
        for pack in &contents.packs {
            let launch = crate::layout::pack(&pack.slug);
            if let Some(bytes) = files.get_mut(&launch) {
                let html = String::from_utf8_lossy(bytes).into_owned();
                *bytes = package::add_scorm_script(&html, &launch, &pack.slug).into_bytes();
            }
        }
    }
    package::fix_links(&mut files, &site.config.base_url)?;
    let manifest = match options.format {
        Format::CommonCartridge => cc::cartridge(&contents, &mut files)?,
        Format::Scorm12 => scorm::manifest(&contents, &files),
    };
    files.insert("imsmanifest.xml".to_string(), manifest.into_bytes());
    let bytes = zip::zip(&files).map_err(|e| IoError::new("write", &path, e))?;

    fs::create_dir_all(&out).map_err(|e| IoError::new("create folder", &out, e))?;
    // Looked at again just before writing: another export may have
    // written the file meanwhile.
    check_target(&path, options.force)?;
    crate::output::write_atomically(&path, &bytes)?;
    Ok(ExportReport {
        path,
        packs: contents.packs.len(),
        files: files.len(),
        bytes: bytes.len(),
        warnings: loaded.warnings,
    })
}

/// The packs and modules of `selection`, with the package's title,
/// description and keywords.
fn contents<'a>(site: &'a Site, selection: &Selection) -> Result<Contents<'a>, ExportError> {
    let language = site.config.language.clone();
    match selection {
        Selection::Pack(slug) => {
            let pack = site.pack(slug).ok_or_else(|| ExportError::UnknownPack {
                slug: slug.clone(),
                suggestion: did_you_mean(slug, site.packs.iter().map(|p| p.slug.as_str()))
                    .map(String::from),
            })?;
            Ok(Contents {
                id: pack.slug.clone(),
                title: pack.title.clone(),
                description: pack_description(pack),
                keywords: pack.tags.iter().map(|t| t.name.clone()).collect(),
                language,
                packs: vec![pack],
                modules: vec![Module {
                    title: pack.title.clone(),
                    pack,
                }],
            })
        }
        Selection::Pathway(slug) => {
            let pathway = site
                .pathways
                .iter()
                .find(|p| p.slug == *slug)
                .ok_or_else(|| ExportError::UnknownPathway {
                    slug: slug.clone(),
                    suggestion: did_you_mean(slug, site.pathways.iter().map(|p| p.slug.as_str()))
                        .map(String::from),
                    known: site.pathways.iter().map(|p| p.slug.clone()).collect(),
                })?;
            let modules: Vec<Module<'a>> = pathway
                .steps
                .iter()
                .filter_map(|step| site.pack(&step.pack))
                .enumerate()
                .map(|(i, pack)| Module {
                    title: format!("Step {}: {}", i + 1, pack.title),
                    pack,
                })
                .collect();
            if modules.is_empty() {
                return Err(ExportError::NoPacks {
                    what: format!("the pathway `{slug}`"),
                });
            }
            let mut description = pathway.summary.clone().unwrap_or_default();
            push_sentence(
                &mut description,
                &format!("{} credit hours in all.", pathway.credit),
            );
            Ok(Contents {
                id: pathway.slug.clone(),
                title: pathway.title.clone(),
                description,
                keywords: keywords(modules.iter().map(|m| m.pack)),
                language,
                packs: unique(modules.iter().map(|m| m.pack)),
                modules,
            })
        }
        Selection::All => {
            if site.packs.is_empty() {
                return Err(ExportError::NoPacks {
                    what: "the site".into(),
                });
            }
            let modules: Vec<Module<'a>> = site
                .packs
                .iter()
                .map(|pack| Module {
                    title: pack.title.clone(),
                    pack,
                })
                .collect();
            Ok(Contents {
                id: "site".into(),
                title: site.config.title.clone(),
                description: site.config.description.clone(),
                keywords: keywords(site.packs.iter()),
                language,
                packs: site.packs.iter().collect(),
                modules,
            })
        }
    }
}

/// The pack's summary and its credit, as the manifest's description.
fn pack_description(pack: &Pack) -> String {
    let times = &pack.credit.times;
    let mut text = pack.summary.clone();
    push_sentence(
        &mut text,
        &format!(
            "{} credit hours: {} of self-study and a {} workshop.",
            pack.credit.credit_hours,
            times.self_study.label(),
            times.workshop.label()
        ),
    );
    text
}

fn push_sentence(text: &mut String, sentence: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(sentence);
}

/// The packs' tags, each once, sorted.
fn keywords<'a>(packs: impl Iterator<Item = &'a Pack>) -> Vec<String> {
    let set: BTreeSet<String> = packs
        .flat_map(|p| p.tags.iter().map(|t| t.name.clone()))
        .collect();
    set.into_iter().collect()
}

fn unique<'a>(packs: impl Iterator<Item = &'a Pack>) -> Vec<&'a Pack> {
    let mut seen = BTreeSet::new();
    packs.filter(|p| seen.insert(p.slug.as_str())).collect()
}

/// `wait-time.imscc`, `year-of-growth-pathway.scorm12.zip`, …: named
/// after what is in it and the format, so that exports of different
/// things never share a path.
fn file_name(site: &Site, selection: &Selection, format: Format) -> String {
    let stem = match selection {
        Selection::Pack(slug) => slug.clone(),
        Selection::Pathway(slug) => format!("{slug}-pathway"),
        Selection::All => {
            let title = slugify(&site.config.title);
            if title.is_empty() {
                "site-all".into()
            } else {
                format!("{title}-all")
            }
        }
    };
    match format {
        Format::CommonCartridge => format!("{stem}.imscc"),
        Format::Scorm12 => format!("{stem}.scorm12.zip"),
    }
}

/// The export folder must not be where the site's content is read from.
fn refuse_inside_content(root: &Path, out: &Path) -> Result<(), ExportError> {
    let content = root.join("content");
    let (Ok(content), Some(out_abs)) = (fs::canonicalize(&content), existing_ancestor(out)) else {
        return Ok(());
    };
    if out_abs.starts_with(&content) {
        return Err(ExportError::InsideContent {
            out: PathBuf::from(display_path(root, out)),
        });
    }
    Ok(())
}

/// `path` made absolute through its nearest folder that exists, so that
/// a folder still to be created is placed too.
fn existing_ancestor(path: &Path) -> Option<PathBuf> {
    let mut missing = Vec::new();
    let mut at = path.to_path_buf();
    loop {
        if let Ok(real) = fs::canonicalize(&at) {
            return Some(missing.iter().rev().fold(real, |p, part| p.join(part)));
        }
        missing.push(at.file_name()?.to_os_string());
        if !at.pop() || at.as_os_str().is_empty() {
            at = std::env::current_dir().ok()?;
            return fs::canonicalize(&at)
                .ok()
                .map(|real| missing.iter().rev().fold(real, |p, part| p.join(part)));
        }
    }
}

/// Whether the package may be written at `path`: nothing there, or
/// (with `force`) a package an earlier export wrote.
fn check_target(path: &Path, force: bool) -> Result<(), ExportError> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(IoError::new("look at", path, e).into()),
    };
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else if meta.file_type().is_symlink() {
            "a symbolic link"
        } else {
            "a special file"
        };
        return Err(ExportError::NotAFile {
            path: path.to_path_buf(),
            what,
        });
    }
    if !force {
        return Err(ExportError::Exists {
            path: path.to_path_buf(),
        });
    }
    let bytes = fs::read(path).map_err(|e| IoError::new("read", path, e))?;
    if zip::is_ours(&bytes) {
        Ok(())
    } else {
        Err(ExportError::NotOurs {
            path: path.to_path_buf(),
        })
    }
}
