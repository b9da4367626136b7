//! Watching the site, and deciding what a batch of changes needs rebuilt.
//!
//! [`classify`] is pure: given changed paths, it says whether nothing, some
//! packs, or the whole site must be rebuilt. A change inside
//! `content/packs/<slug>/` touches that pack only; `site.yaml`, the site's
//! `themes/`, pathways, the home page intro and other content files touch
//! everything. Editor leftovers (`.swp`, `~`, `.#x`, vim's `4913`), hidden
//! files, and anything outside `content/`, `themes/` and `site.yaml` (the
//! output folder, `.git`) are ignored.
//!
//! Events are debounced by [`next_batch`]: it waits until the file system
//! has been quiet for [`QUIET`], so a save that writes then renames, or a
//! `git checkout` of many files, is one rebuild — after tens of
//! milliseconds, not the second other generators wait.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{EventKind, RecursiveMode};

use crate::ignored::is_ignored_name;

/// A batch ends when no event came for this long.
pub const QUIET: Duration = Duration::from_millis(15);
/// A batch ends after this long even if events keep coming, so a process
/// that writes without pause cannot hold rebuilds off for ever.
pub const LONGEST_BATCH: Duration = Duration::from_millis(500);
/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// What the watcher thread hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Something happened to this path.
    Changed(PathBuf),
    /// Events were lost (the kernel's queue overflowed): look at everything.
    Rescan,
    /// Ctrl-C: stop serving.
    Stop,
}

/// What a batch of changes needs rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Only ignored files changed.
    Nothing,
    /// Files of these packs changed, and nothing else.
    Packs(BTreeSet<String>),
    /// The configuration, the theme, or content outside packs changed.
    Site,
}

/// A classified batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    pub plan: Plan,
    /// The relevant changed files, in the order first seen, as the
    /// terminal shows them: relative to `content/` for content files
    /// (`packs/ell/pack.md`), to the site otherwise (`site.yaml`).
    pub files: Vec<String>,
    /// The same files, as given.
    pub paths: Vec<PathBuf>,
}

impl Changes {
    /// `packs/ell/pack.md`, or `packs/ell/pack.md and 3 other files`.
    /// Paths for which `is_file` is false (an editor's or a tool's
    /// temporary file, gone by now; the folder that held it) are only
    /// counted when nothing else changed.
    pub fn describe(&self, is_file: impl Fn(&Path) -> bool) -> String {
        let existing: Vec<&String> = self
            .files
            .iter()
            .zip(&self.paths)
            .filter(|(_, path)| is_file(path))
            .map(|(shown, _)| shown)
            .collect();
        let shown = if existing.is_empty() {
            self.files.iter().collect()
        } else {
            existing
        };
        match shown.as_slice() {
            [] => "the site".to_string(),
            [one] => one.to_string(),
            [first, rest @ ..] => format!(
                "{first} and {} other file{}",
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

/// Decides what `signals` need rebuilt, for the site at `root`. Paths may
/// be absolute (under `root`) or relative to it.
pub fn classify(root: &Path, signals: &[Signal]) -> Changes {
    let mut touched = BTreeSet::new();
    let mut whole_site = false;
    let mut files: Vec<String> = Vec::new();
    let mut paths = Vec::new();
    for signal in signals {
        let path = match signal {
            Signal::Changed(path) => path,
            Signal::Rescan => {
                whole_site = true;
                continue;
            }
            Signal::Stop => continue,
        };
        let rel = path.strip_prefix(root).unwrap_or(path);
        let mut parts = Vec::new();
        for component in rel.components() {
            match component {
                Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
                Component::CurDir => {}
                // Outside the site, or not a path we know how to read.
                _ => {
                    parts.clear();
                    break;
                }
            }
        }
        if parts.iter().any(|p| is_ignored_name(p)) {
            continue;
        }
        let shown = match parts.as_slice() {
            [content, rest @ ..] if content == "content" => {
                match rest {
                    [packs, slug, _, ..] if packs == "packs" => {
                        touched.insert(slug.clone());
                    }
                    // A pack folder itself created, removed or renamed:
                    // the set of packs changes, which the rebuild notices.
                    [packs, slug] if packs == "packs" && !slug.contains('.') => {
                        touched.insert(slug.clone());
                    }
                    _ => whole_site = true,
                }
                if rest.is_empty() {
                    "content".to_string()
                } else {
                    rest.join("/")
                }
            }
            [name] if name == crate::config::FILE_NAME => {
                whole_site = true;
                name.clone()
            }
            [themes, ..] if themes == "themes" => {
                whole_site = true;
                parts.join("/")
            }
            _ => continue,
        };
        if !files.contains(&shown) {
            files.push(shown);
            paths.push(path.clone());
        }
    }
    let plan = if whole_site {
        Plan::Site
    } else if touched.is_empty() {
        Plan::Nothing
    } else {
        Plan::Packs(touched)
    };
    Changes { plan, files, paths }
}

/// Waits for the next batch of signals: blocks for the first, then takes
/// more until the files have been quiet for `quiet` (or `longest` has
/// passed). `None` when every sender is gone.
pub fn next_batch(
    receiver: &Receiver<Signal>,
    quiet: Duration,
    longest: Duration,
) -> Option<Vec<Signal>> {
    let first = receiver.recv().ok()?;
    let started = Instant::now();
    let mut batch = vec![first];
    loop {
        if batch.last() == Some(&Signal::Stop) {
            return Some(batch);
        }
        let left = longest.saturating_sub(started.elapsed());
        match receiver.recv_timeout(quiet.min(left)) {
            Ok(signal) => batch.push(signal),
            Err(RecvTimeoutError::Timeout) => return Some(batch),
            Err(RecvTimeoutError::Disconnected) => return Some(batch),
        }
    }
}

/// Which events mean "a file changed". Opening and reading are not (the
/// rebuild itself reads every file it watches).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// How changes are noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The operating system's file events (inotify, FSEvents,
    /// ReadDirectoryChangesW).
    Native,
    /// Looking at every file's modification time, every few hundred
    /// milliseconds: slower, but works on network drives, WSL and
    /// containers where native events are unreliable.
    Polling,
}

/// A running watcher over a site's `content/`, `themes/` and `site.yaml`.
pub struct SiteWatcher {
    inner: Box<dyn notify::Watcher + Send>,
    pub backend: Backend,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

/// Why the site cannot be watched, or not with native events.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("native file events are not available: {0}")]
    NoNativeEvents(#[source] notify::Error),
    #[error("cannot watch the site for changes: {0}")]
    CannotPoll(#[source] notify::Error),
    #[error("cannot watch {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
}

impl SiteWatcher {
    /// Starts watching `root`, sending what changes to `sender`. Native
    /// events unless `poll`; when they cannot be had (inotify's limit on
    /// watches, say) falls back to polling and returns the reason too.
    pub fn start(
        root: &Path,
        poll: bool,
        sender: Sender<Signal>,
    ) -> Result<(SiteWatcher, Option<WatchError>), WatchError> {
        let handler = move |result: notify::Result<notify::Event>| match result {
            Ok(event) if event.need_rescan() => {
                let _ = sender.send(Signal::Rescan);
            }
            Ok(event) if is_change(&event.kind) => {
                for path in event.paths {
                    let _ = sender.send(Signal::Changed(path));
                }
            }
            Ok(_) => {}
            Err(_) => {
                let _ = sender.send(Signal::Rescan);
            }
        };
        let mut fallback = None;
        if !poll {
            match SiteWatcher::with(root, Backend::Native, handler.clone()) {
                Ok(watcher) => return Ok((watcher, None)),
                Err(reason) => fallback = Some(reason),
            }
        }
        let watcher = SiteWatcher::with(root, Backend::Polling, handler)?;
        Ok((watcher, fallback))
    }

    fn with<F>(root: &Path, backend: Backend, handler: F) -> Result<SiteWatcher, WatchError>
    where
        F: notify::EventHandler,
    {
        let inner: Box<dyn notify::Watcher + Send> = match backend {
            Backend::Native => {
                Box::new(notify::recommended_watcher(handler).map_err(WatchError::NoNativeEvents)?)
            }
            Backend::Polling => Box::new(
                notify::PollWatcher::new(
                    handler,
                    notify::Config::default().with_poll_interval(POLL_INTERVAL),
                )
                .map_err(WatchError::CannotPoll)?,
            ),
        };
        let mut watcher = SiteWatcher {
            inner,
            backend,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        watcher.watch_all(&[])?;
        Ok(watcher)
    }

    /// Watches whichever of `content/`, `themes/` and the site folder
    /// itself (for `site.yaml`, and for the other two appearing) are not
    /// watched yet, and watches again those among `changed`: a folder that
    /// was deleted, moved away or made anew (a `git checkout` of a branch
    /// without it, then back) would otherwise go unwatched. Called after
    /// each full rebuild, so a `themes/` folder created while serving is
    /// watched from then on.
    pub fn watch_all(&mut self, changed: &[PathBuf]) -> Result<(), WatchError> {
        let targets = [
            (self.root.clone(), RecursiveMode::NonRecursive),
            (self.root.join("content"), RecursiveMode::Recursive),
            (self.root.join("themes"), RecursiveMode::Recursive),
        ];
        for (path, mode) in targets {
            let stale = changed.contains(&path) || !path.is_dir();
            if stale && self.watched.contains(&path) {
                // The watch may already be gone with the folder.
                let _ = self.inner.unwatch(&path);
                self.watched.retain(|w| *w != path);
            }
            if self.watched.contains(&path) || !path.is_dir() {
                continue;
            }
            self.inner
                .watch(&path, mode)
                .map_err(|source| WatchError::Folder {
                    path: path.clone(),
                    source,
                })?;
            self.watched.push(path);
        }
        Ok(())
    }

    /// For the terminal.
    pub fn describe(&self) -> String {
        match self.backend {
            Backend::Native => "native file events".to_string(),
            Backend::Polling => format!("polling every {} ms", POLL_INTERVAL.as_millis()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        let signals: Vec<Signal> = paths
            .iter()
            .map(|p| Signal::Changed(root.join(p)))
            .collect();
        classify(root, &signals)
    }

    fn packs(slugs: &[&str]) -> Plan {
        Plan::Packs(slugs.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_pack_file_touches_its_pack() {
        let c = changed(&["content/packs/ell/pack.md"]);
        assert_eq!(c.plan, packs(&["ell"]));
        assert_eq!(c.files, ["packs/ell/pack.md"]);
        assert_eq!(c.describe(|_| true), "packs/ell/pack.md");
        assert_eq!(
            changed(&[
                "content/packs/ell/reading.md",
                "content/packs/ell/img/a.png"
            ])
            .plan,
            packs(&["ell"])
        );
        assert_eq!(
            changed(&["content/packs/ell/pack.md", "content/packs/rti/pack.md"]).plan,
            packs(&["ell", "rti"])
        );
    }

    #[test]
    fn a_pack_folder_appearing_or_going_touches_that_pack() {
        assert_eq!(
            changed(&["content/packs/new-pack"]).plan,
            packs(&["new-pack"])
        );
    }

    #[test]
    fn configuration_theme_and_other_content_touch_the_site() {
        for path in [
            "site.yaml",
            "themes/mine/templates/pack.html",
            "themes/mine/static/style.css",
            "themes",
            "content/pathways/year.md",
            "content/_index.md",
            "content/logo.png",
            "content/packs/stray.md",
            "content",
        ] {
            assert_eq!(changed(&[path]).plan, Plan::Site, "{path}");
        }
        let c = changed(&["content/packs/ell/pack.md", "site.yaml"]);
        assert_eq!(c.plan, Plan::Site);
        assert_eq!(c.describe(|_| true), "packs/ell/pack.md and 1 other file");
    }

    #[test]
    fn editor_leftovers_and_other_folders_are_ignored() {
        for path in [
            "content/packs/ell/.pack.md.swp",
            "content/packs/ell/pack.md~",
            "content/packs/ell/.#pack.md",
            "content/packs/ell/4913",
            "content/.git/index",
            "themes/mine/templates/.base.html.swx",
            "public/index.html",
            "public",
            ".git/HEAD",
            "README.md",
            "site.yaml~",
            ".site.yaml.swp",
            "target/debug/flippack",
            "/elsewhere/site.yaml",
        ] {
            let c = changed(&[path]);
            assert_eq!(c.plan, Plan::Nothing, "{path}");
            assert!(c.files.is_empty(), "{path}");
        }
    }

    #[test]
    fn a_save_that_writes_and_renames_is_one_change() {
        let c = changed(&[
            "content/packs/ell/4913",
            "content/packs/ell/pack.md",
            "content/packs/ell/pack.md~",
            "content/packs/ell/pack.md",
        ]);
        assert_eq!(c.plan, packs(&["ell"]));
        assert_eq!(c.files, ["packs/ell/pack.md"]);
    }

    #[test]
    fn temporary_files_are_not_named_when_a_real_one_changed() {
        let c = changed(&["content/packs/ell/sedX1b2c3", "content/packs/ell/pack.md"]);
        let real = |p: &Path| p.ends_with("pack.md");
        assert_eq!(c.describe(real), "packs/ell/pack.md");
        let c = changed(&["content/packs/ell/gone.md"]);
        assert_eq!(
            c.describe(|_| false),
            "packs/ell/gone.md",
            "a deletion is still named"
        );
    }

    #[test]
    fn lost_events_rebuild_everything() {
        let c = classify(Path::new("/site"), &[Signal::Rescan]);
        assert_eq!(c.plan, Plan::Site);
        assert_eq!(c.describe(|_| true), "the site");
    }

    #[test]
    fn relative_paths_work_too() {
        let c = classify(
            Path::new("."),
            &[Signal::Changed(PathBuf::from(
                "./content/packs/ell/pack.md",
            ))],
        );
        assert_eq!(c.plan, packs(&["ell"]));
    }

    #[test]
    fn batches_end_when_quiet() {
        let (tx, rx) = std::sync::mpsc::channel();
        for i in 0..3 {
            tx.send(Signal::Changed(PathBuf::from(format!("{i}"))))
                .unwrap();
        }
        let batch = next_batch(&rx, Duration::from_millis(5), Duration::from_secs(10)).unwrap();
        assert_eq!(batch.len(), 3);
        tx.send(Signal::Stop).unwrap();
        tx.send(Signal::Rescan).unwrap();
        assert_eq!(
            next_batch(&rx, Duration::from_secs(10), Duration::from_secs(10)).unwrap(),
            [Signal::Stop],
            "Stop ends a batch at once"
        );
        drop(tx);
        assert_eq!(
            next_batch(&rx, Duration::from_millis(5), Duration::from_secs(1)).unwrap(),
            [Signal::Rescan]
        );
        assert_eq!(
            next_batch(&rx, Duration::from_millis(5), Duration::from_secs(1)),
            None
        );
    }

    #[test]
    fn reading_is_not_a_change() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Remove(
            notify::event::RemoveKind::Any
        )));
    }
}
