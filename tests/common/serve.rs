//! A running `flippack serve`, as the serve tests start it and read it.

use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use super::TestSite;

/// How long the server may take to print its address: generous, so that a
/// busy machine does not fail the tests.
pub const STARTUP: Duration = Duration::from_secs(60);

/// The line `serve` prints once it answers, with its address after it.
const BANNER: &str = "Serving the site at http://";

/// A running `flippack serve` on a free port, killed when dropped.
pub struct Serve {
    pub child: Child,
    /// `host:port`, as a client connects to it.
    pub host: String,
    /// The path the site is mounted at, from `base_url`: `/` or `/district/`.
    pub base: String,
    output: Receiver<String>,
    /// Lines read while waiting for another, in order, not yet waited for.
    seen: Vec<String>,
    /// The server's temporary folder, unless the command names one: the
    /// folder of pages a killed server leaves goes with it.
    _temp: tempfile::TempDir,
}

impl Serve {
    /// Starts `flippack serve --port 0` with `args` in the site's folder.
    pub fn start(site: &TestSite, args: &[&str]) -> Serve {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flippack"));
        command.args(["serve", "--port", "0"]).args(args);
        Serve::spawn(site, command)
    }

    /// Starts `command`, which runs `flippack serve` in some other way
    /// (under `ulimit`, say), in the site's folder, and waits until it
    /// prints its address.
    pub fn spawn(site: &TestSite, mut command: Command) -> Serve {
        let temp = tempfile::tempdir().expect("create a temporary folder");
        if !command.get_envs().any(|(name, _)| name == "TMPDIR") {
            command.env("TMPDIR", temp.path());
        }
        let mut child = command
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start flippack serve");
        let output = super::output_lines(&mut child);
        let mut serve = Serve {
            child,
            host: String::new(),
            base: String::new(),
            output,
            seen: Vec::new(),
            _temp: temp,
        };
        let banner = serve.wait_for_line(BANNER, STARTUP);
        let url = banner
            .split("http://")
            .nth(1)
            .expect("a URL in the banner")
            .to_string();
        let (host, path) = url.split_at(url.find('/').expect("a path after the host"));
        serve.host = host.to_string();
        serve.base = path.to_string();
        serve
    }

    /// Waits for a line of the terminal output that contains `text`,
    /// counting lines that came while waiting for an earlier one (a
    /// warning can come before the address), each line found once.
    pub fn wait_for_line(&mut self, text: &str, within: Duration) -> String {
        if let Some(at) = self.seen.iter().position(|l| l.contains(text)) {
            return self.seen.remove(at);
        }
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    let status = self.child.try_wait().ok().flatten();
                    panic!(
                        "no line with {text:?} within {within:?} (exit status: {status:?}); output so far:\n{}",
                        self.seen.join("\n")
                    );
                }
            }
        }
    }

    /// What the server printed since the last look, for a failure message.
    pub fn printed(&self) -> String {
        self.output.try_iter().collect::<Vec<_>>().join("\n")
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
