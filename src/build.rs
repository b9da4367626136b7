//! `flippack build`: runs the stages (load, render, write) and nothing else.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::sync::Mutex;

use crate::attendance;
use crate::check::placeholders;
use crate::content::{LoadOptions, Loading, Pack, Site};
use crate::diagnostic::{Diagnostics, IoError, Severity};
use crate::error::Error;
use crate::output::{check_output_folder, DirSink, Sink, Staging};
use crate::render::{PackPages, Theme};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holding `content/` and `site.yaml`).
    pub root: PathBuf,
    /// The output folder; `public/` under the root when `None`.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Also replace an output folder that flippack did not write (never
    /// a file, nor the site itself).
    pub force: bool,
    /// The attendance codes file named with `--codes`; without it,
    /// `FLIPPACK_CODES` or the site's `attendance.yaml` (see
    /// [`crate::attendance::codes::codes_path`]).
    pub codes: Option<PathBuf>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            force: false,
            codes: None,
        }
    }

    /// The output folder this build writes.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub packs: usize,
    pub pathways: usize,
    pub pages: usize,
    pub files: usize,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// What a build tells a progress display while it runs. Every method
/// does nothing unless overridden; `()` is the display that shows nothing.
pub trait Progress: Sync {
    /// The content is read and checked; `packs` packs are to be written.
    fn loaded(&self, _packs: usize) {}
    /// A file was written, at `path` from the output root.
    fn wrote(&self, _path: &str) {}
    /// Every file is written; the new site is being swapped in.
    fn finishing(&self) {}
}

impl Progress for () {}

/// Builds the site into its output folder. On any error the previous
/// output is left exactly as it was. The output folder is replaced only if
/// it is missing, empty (but for a `.git`) or written by an earlier build,
/// or with [`BuildOptions::force`]; its `.git` is kept.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    build_with_progress(options, &())
}

/// [`build`], telling `progress` how far it got.
///
/// The build streams: each pack's pages are written (into the staging
/// folder) as soon as the pack is loaded, and its text dropped, so that
/// memory holds what the catalog, tags, pathways and search index need
/// rather than the whole site.
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let out = options.out_dir();
    // Before anything is read, so that a folder the build would refuse
    // to replace is reported at once, not after minutes of work.
    check_output_folder(&options.root, &out, options.force)?;
    let drafts = options.drafts;
    let mut loading = Loading::streaming(&options.root, LoadOptions { drafts });
    let codes = attendance::read(
        &options.root,
        options.codes.as_deref(),
        &loading.site().config,
    );
    let codes = match codes {
        Ok(codes) => codes,
        Err(found) => return Err(Error::Content(content_problems(loading, found))),
    };
    if loading.has_errors() {
        return Err(Error::Content(content_problems(
            loading,
            Diagnostics::default(),
        )));
    }
    let theme = Theme::load(&options.root, &loading.site().config.theme)?;
    let codes = codes.map(|(codes, published)| {
        loading.site_mut().attendance = published;
        codes
    });
    progress.loaded(loading.pack_count());

    let staging = Staging::new(&out, options.force)?;
    let sink = Reporting {
        sink: DirSink::new(staging.path()),
        progress,
    };
    let pages = PackPages::new(&theme, &sink, loading.pack_count());
    // A pack that says "Teachers can ..." must not reach teachers, so
    // placeholders stop a build; a build of drafts is a preview, where
    // they are only warnings.
    let placeholders = Mutex::new(Vec::new());
    let visit = |site: &Site, pack: &Pack| {
        let found = placeholders::in_files(placeholders::pack_files(pack));
        let stops = !found.is_empty() && !drafts;
        if !found.is_empty() {
            lock(&placeholders).extend(found);
        }
        if !stops {
            pages.write(site, pack);
        }
    };
    let loaded = loading.finish(Some(&visit)).map_err(Error::Content)?;
    let site = loaded.site;
    let mut warnings = loaded.warnings;
    if let Some(codes) = codes {
        let problems = codes.check_against(&site);
        if problems.has_errors() {
            return Err(Error::Content(problems));
        }
    }
    let mut placeholders = lock(&placeholders).split_off(0);
    let intro = site.intro.source.iter().map(|f| &**f);
    let pathways = site.pathways.iter().map(|p| &*p.source);
    placeholders.extend(placeholders::in_files(intro.chain(pathways)));
    let mut placeholders = Diagnostics(placeholders);
    placeholders.sort();
    if drafts {
        warnings.extend(placeholders.0);
        warnings.sort();
    } else if !placeholders.is_empty() {
        for d in &mut placeholders.0 {
            d.severity = Severity::Error;
        }
        return Err(Error::Content(placeholders));
    }
    let stats = pages.finish(&site)?;
    progress.finishing();
    staging.commit()?;

    Ok(BuildReport {
        out,
        packs: site.packs.len(),
        pathways: site.pathways.len(),
        pages: stats.pages,
        files: stats.files,
        warnings,
        elapsed: started.elapsed(),
    })
}

/// Every problem of the content, when the build cannot go on: those the
/// load finds, with `more` (the codes file's).
fn content_problems(loading: Loading, more: Diagnostics) -> Diagnostics {
    let mut problems = loading.finish(None).err().unwrap_or_default();
    problems.extend(more.0);
    problems.sort();
    problems
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A sink that tells a [`Progress`] about every file it writes.
struct Reporting<'a, S> {
    sink: S,
    progress: &'a dyn Progress,
}

impl<S: Sink> Sink for Reporting<'_, S> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        self.sink.write(path, bytes)?;
        self.progress.wrote(path);
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), IoError> {
        self.sink.copy(path, from)?;
        self.progress.wrote(path);
        Ok(())
    }
}

/// `root` as given, or the current folder.
pub fn resolve_root(root: Option<&Path>) -> PathBuf {
    root.map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
