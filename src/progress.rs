//! The progress display of `flippack build` on a terminal (part of the
//! command line, not the library).
//!
//! Small sites build in well under a second, and a bar that flashes up and
//! vanishes is noise, so the display appears only once a build has run for
//! [`DELAY`], and never when standard error is not a terminal (CI logs,
//! pipes) or with `--quiet`. It counts packs, because every pack writes
//! its page `packs/<slug>/index.html` (a fixed part of the output layout)
//! and the number of packs is known before writing starts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before the display appears.
const DELAY: Duration = Duration::from_secs(1);

pub struct BuildProgress {
    bar: ProgressBar,
    files: AtomicU64,
    /// Dropped to tell the thread waiting out [`DELAY`] that the build is over.
    done: Option<mpsc::Sender<()>>,
    waiter: Option<JoinHandle<()>>,
}

impl BuildProgress {
    /// A display that shows itself after [`DELAY`] when `enabled`.
    pub fn start(enabled: bool) -> BuildProgress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(style(
            "{spinner} Reading and checking the content {elapsed}",
        ));
        let (done, waiting) = mpsc::channel::<()>();
        let waiter = enabled.then(|| {
            let bar = bar.clone();
            std::thread::spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = waiting.recv_timeout(DELAY) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            })
        });
        BuildProgress {
            bar,
            files: AtomicU64::new(0),
            done: Some(done),
            waiter,
        }
    }

    /// Removes the display, leaving the terminal as it was.
    pub fn finish(mut self) {
        drop(self.done.take());
        if let Some(waiter) = self.waiter.take() {
            let _ = waiter.join();
        }
        self.bar.finish_and_clear();
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
        .progress_chars("=> ")
}

/// Whether `path` is a pack's own page, `packs/<slug>/index.html`.
fn is_pack_page(path: &str) -> bool {
    flippack::layout::pack_of(path).is_some()
}

impl flippack::Progress for BuildProgress {
    fn loaded(&self, packs: usize) {
        self.bar.set_length(packs as u64);
        self.bar.set_style(style(
            "{spinner} Writing the site [{bar:30}] {pos}/{len} packs, {msg} files {elapsed}",
        ));
        self.bar.set_message("0");
    }

    fn wrote(&self, path: &str) {
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        if is_pack_page(path) {
            self.bar.inc(1);
            self.bar.set_message(files.to_string());
        }
    }

    fn finishing(&self) {
        self.bar
            .set_style(style("{spinner} Replacing the output folder {elapsed}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pack_pages_only() {
        assert!(is_pack_page("packs/ell/index.html"));
        assert!(!is_pack_page("packs/ell/guide/index.html"));
        assert!(!is_pack_page("packs/ell/facilitator/index.html"));
        assert!(!is_pack_page("pathways/year/index.html"));
        assert!(!is_pack_page("packs/index.html"));
    }
}
