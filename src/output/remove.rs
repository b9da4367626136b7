//! Removing the folders of an old site, on several threads at once.
//!
//! Removing a file is mostly waiting: on a disk mounted with online
//! discard, each removal waits for the disk to be told the space is free.
//! One file after another, the old output of a 1,000-pack site took
//! seconds to remove, longer than building the new one; several removals
//! waiting at once take a fraction of that, and the processor is no
//! busier for it.
//!
//! Every folder is opened relative to the one holding it, never followed
//! through a link, so that a folder swapped for a link while it is being
//! removed cannot lead the removal outside the tree.

use std::ffi::{CStr, CString, OsString};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use rustix::fs::{openat, statat, unlinkat, AtFlags, Dir, FileType, Mode, OFlags, CWD};
use rustix::io::Errno;

/// How many removals wait on the disk at once. The threads spend their
/// time waiting, not computing, so there are more of them than cores.
const WORKERS: usize = 8;

/// Removes `names`, the entries of the folder `dir`, with everything in
/// them; a link is removed, never followed. An entry already gone counts
/// as removed.
pub fn remove_entries(dir: &Path, names: Vec<OsString>) -> io::Result<()> {
    let top = match open_folder(CWD, dir) {
        Ok(fd) => Arc::new(Folder {
            fd,
            parent: None,
            waiting: AtomicUsize::new(0),
        }),
        Err(Errno::NOENT) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let work = Work::default();
    for name in names {
        let name = CString::new(name.into_vec()).map_err(io::Error::other)?;
        work.push(Job {
            parent: Arc::clone(&top),
            name,
            kind: None,
        });
    }
    let workers = if in_memory(&top.fd) { 1 } else { WORKERS };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(|| work.run());
        }
        work.run();
    });
    let failed = work
        .state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .failed
        .take();
    match failed {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// A folder being emptied: it is removed from its parent once it was
/// listed and every folder in it is gone.
struct Folder {
    fd: OwnedFd,
    /// The folder holding this one and this one's name in it; none for
    /// the top folder, which the caller removes itself.
    parent: Option<(Arc<Folder>, CString)>,
    /// Its listing, if not done, and the folders in it not yet removed.
    waiting: AtomicUsize,
}

/// An entry to remove, with its type when the listing told it.
struct Job {
    parent: Arc<Folder>,
    name: CString,
    kind: Option<FileType>,
}

#[derive(Default)]
struct Work {
    state: Mutex<State>,
    ready: Condvar,
}

#[derive(Default)]
struct State {
    jobs: Vec<Job>,
    /// Jobs taken and not finished: while there are any, more may come.
    running: usize,
    failed: Option<io::Error>,
}

impl Work {
    fn push(&self, job: Job) {
        job.parent.waiting.fetch_add(1, Ordering::AcqRel);
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.jobs.push(job);
        drop(state);
        self.ready.notify_one();
    }

    /// Takes jobs until there are none left and none running, or one failed.
    fn run(&self) {
        loop {
            let job = {
                let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                loop {
                    if state.failed.is_some() {
                        return;
                    }
                    if let Some(job) = state.jobs.pop() {
                        state.running += 1;
                        break job;
                    }
                    if state.running == 0 {
                        return;
                    }
                    state = self.ready.wait(state).unwrap_or_else(|p| p.into_inner());
                }
            };
            let result = self.remove(job);
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.running -= 1;
            if let Err(e) = result {
                state.failed.get_or_insert(e.into());
            }
            // The others wait for jobs; tell them when none will come.
            let over = state.failed.is_some() || (state.jobs.is_empty() && state.running == 0);
            drop(state);
            if over {
                self.ready.notify_all();
            }
        }
    }

    /// Removes one entry: a file or link at once, a folder by listing it
    /// and leaving its folders to whichever thread is free.
    fn remove(&self, job: Job) -> Result<(), Errno> {
        let kind = match job.kind {
            Some(kind) if kind != FileType::Unknown => kind,
            _ => match statat(&job.parent.fd, &*job.name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => FileType::from_raw_mode(stat.st_mode),
                Err(Errno::NOENT) => return done(&job.parent),
                Err(e) => return Err(e),
            },
        };
        if kind != FileType::Directory {
            gone_ok(unlinkat(&job.parent.fd, &*job.name, AtFlags::empty()))?;
            return done(&job.parent);
        }
        let fd = match open_folder(&job.parent.fd, &*job.name) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return done(&job.parent),
            Err(e) => return Err(e),
        };
        let folder = Arc::new(Folder {
            fd,
            parent: Some((job.parent, job.name)),
            // The listing below.
            waiting: AtomicUsize::new(1),
        });
        let mut entries = Dir::read_from(&folder.fd)?;
        while let Some(entry) = entries.read() {
            let entry = entry?;
            let name = entry.file_name();
            if is_dot(name) {
                continue;
            }
            let kind = entry.file_type();
            if kind == FileType::Directory || kind == FileType::Unknown {
                self.push(Job {
                    parent: Arc::clone(&folder),
                    name: name.to_owned(),
                    kind: Some(kind),
                });
            } else {
                gone_ok(unlinkat(&folder.fd, name, AtFlags::empty()))?;
            }
        }
        done(&folder)
    }
}

/// Counts one thing `folder` waited for as done; the last removes the
/// folder from its parent, and so on up.
fn done(folder: &Arc<Folder>) -> Result<(), Errno> {
    let mut folder = Arc::clone(folder);
    loop {
        if folder.waiting.fetch_sub(1, Ordering::AcqRel) != 1 {
            return Ok(());
        }
        let Some((parent, name)) = &folder.parent else {
            return Ok(());
        };
        gone_ok(unlinkat(&parent.fd, name.as_c_str(), AtFlags::REMOVEDIR))?;
        let parent = Arc::clone(parent);
        folder = parent;
    }
}

/// Whether `folder` is on a file system in memory, where a removal
/// waits for nothing and more threads would only take turns at the same
/// locks.
#[cfg(target_os = "linux")]
fn in_memory(folder: &OwnedFd) -> bool {
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    const RAMFS_MAGIC: i64 = 0x8584_58f6;
    rustix::fs::fstatfs(folder).is_ok_and(|fs| {
        #[allow(
            clippy::unnecessary_cast,
            reason = "its type differs from one target to another"
        )]
        let kind = fs.f_type as i64;
        kind == TMPFS_MAGIC || kind == RAMFS_MAGIC
    })
}

#[cfg(not(target_os = "linux"))]
fn in_memory(_folder: &OwnedFd) -> bool {
    false
}

/// Opens the folder `path` in `dir` for listing, not through a link.
fn open_folder<Fd: std::os::fd::AsFd, P: rustix::path::Arg>(
    dir: Fd,
    path: P,
) -> Result<OwnedFd, Errno> {
    openat(
        dir,
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

fn is_dot(name: &CStr) -> bool {
    matches!(name.to_bytes(), b"." | b"..")
}

/// Treats "not found" as done: another removal got there first.
fn gone_ok(result: Result<(), Errno>) -> Result<(), Errno> {
    match result {
        Err(Errno::NOENT) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn removes_deep_trees_and_never_follows_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::create_dir_all(outside.join("inner")).unwrap();
        fs::write(outside.join("inner/precious"), "keep").unwrap();
        let tree = dir.path().join("tree");
        for a in 0..5 {
            for b in 0..5 {
                let folder = tree.join(format!("{a}/{b}/c/d"));
                fs::create_dir_all(&folder).unwrap();
                fs::write(folder.join("index.html"), "page").unwrap();
                std::os::unix::fs::symlink(&outside, folder.join("link")).unwrap();
            }
        }
        fs::write(tree.join("kept.txt"), "kept").unwrap();
        let names = (0..5).map(|a| OsString::from(a.to_string())).collect();
        remove_entries(&tree, names).unwrap();
        let left: Vec<_> = fs::read_dir(&tree)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["kept.txt"], "only what was not named is left");
        assert_eq!(
            fs::read_to_string(outside.join("inner/precious")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn what_is_already_gone_counts_as_removed() {
        let dir = tempfile::tempdir().unwrap();
        remove_entries(&dir.path().join("missing"), vec!["a".into()]).unwrap();
        remove_entries(dir.path(), vec!["never-there".into()]).unwrap();
        remove_entries(dir.path(), Vec::new()).unwrap();
    }
}
