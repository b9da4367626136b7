//! How fast `flippack serve` shows a save: for the bundled demo site and for
//! a generated site of 1,000 packs, the first build's time and the time
//! from saving a pack to the reload event reaching an open page (median,
//! 90th percentile, least and most), over 20 edits of one pack's title.
//!
//! ```sh
//! cargo bench --bench serve                 # demo and 1,000 packs
//! cargo bench --bench serve -- --packs 5000 --edits 50
//! ```
//!
//! It runs the real binary on a free port and listens to the event stream
//! like a browser does. The figures are printed, not asserted: machines are
//! noisy, so the load average is printed beside them, and the server's own
//! CPU time per edit (which other work on the machine hardly changes).
//! Beside them, the server's memory from /proc: resident after the first
//! build, and its peak over the whole run (`VmHWM`), to set against a
//! build's peak (`/usr/bin/time -v flippack build`).

#[allow(dead_code, reason = "the benchmark uses part of the generator's API")]
#[path = "../examples/gen-site/synth.rs"]
mod synth;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// Bounds on waiting, so a broken server ends the run instead of hanging it.
const STARTUP: Duration = Duration::from_secs(600);
const EVENT: Duration = Duration::from_secs(60);

struct Options {
    packs: usize,
    edits: usize,
}

fn main() {
    let options = parse_args();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("a temporary folder");

    let demo = work.path().join("demo");
    copy_dir(&repo.join("content"), &demo.join("content"));
    std::fs::copy(repo.join("site.yaml"), demo.join("site.yaml")).expect("copy site.yaml");

    let generated = work.path().join("generated");
    let started = Instant::now();
    synth::write_flippack(&synth::generate(options.packs, 1), &generated)
        .expect("write the generated site");
    eprintln!(
        "generated {} packs in {} ms",
        options.packs,
        started.elapsed().as_millis()
    );

    println!(
        "flippack serve: save-to-reload latency, {} edits of one pack's title",
        options.edits
    );
    println!(
        "machine: {} cores; load average before: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    println!();
    println!(
        "{:<16} {:>6} {:>12} {:>14} {:>10} {:>10} {:>10} {:>16} {:>13} {:>13} {:>13}",
        "site",
        "packs",
        "first build",
        "save→event p50",
        "p90",
        "min",
        "max",
        "server rebuild p50",
        "CPU per edit",
        "RSS built",
        "peak RSS"
    );
    for (name, root) in [("demo", &demo), ("generated", &generated)] {
        let result = measure(root, options.edits);
        println!(
            "{:<16} {:>6} {:>9} ms {:>11} ms {:>7} ms {:>7} ms {:>7} ms {:>15} ms {:>10} ms {:>9} MiB {:>9} MiB",
            name,
            result.packs,
            result.first_build_ms,
            result.latency_p50_ms,
            result.latency_p90_ms,
            result.latency_min_ms,
            result.latency_max_ms,
            result.rebuild_p50_ms,
            result
                .cpu_per_edit_ms
                .map_or_else(|| "n/a".to_string(), |ms| format!("{ms:.1}")),
            mib(result.rss_built_kib),
            mib(result.rss_peak_kib),
        );
    }
    println!();
    println!("load average after: {}", load_average());
}

fn parse_args() -> Options {
    let mut options = Options {
        packs: 1000,
        edits: 20,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--packs" => options.packs = number("--packs"),
            "--edits" => options.edits = number("--edits"),
            // `cargo bench` passes --bench; anything else is a mistake.
            "--bench" => {}
            other => panic!("unknown argument {other}; use --packs N and --edits N"),
        }
    }
    options
}

struct Measured {
    packs: usize,
    first_build_ms: u64,
    latency_p50_ms: u64,
    latency_p90_ms: u64,
    latency_min_ms: u64,
    latency_max_ms: u64,
    rebuild_p50_ms: u64,
    cpu_per_edit_ms: Option<f64>,
    /// The server's resident memory once the first build is served, and
    /// its peak by the end of the edits, in KiB.
    rss_built_kib: Option<u64>,
    rss_peak_kib: Option<u64>,
}

fn measure(root: &Path, edits: usize) -> Measured {
    let mut serve = Serve::start(root);
    let banner = serve.wait_for_line("Built ", STARTUP);
    // "Built 1000 packs in 2088 ms."
    let words: Vec<&str> = banner.split_whitespace().collect();
    let packs = words.get(1).and_then(|w| w.parse().ok()).unwrap_or(0);
    let first_build_ms = words
        .iter()
        .position(|w| *w == "in")
        .and_then(|i| words.get(i + 1))
        .and_then(|w| w.parse().ok())
        .unwrap_or(0);
    let line = serve.wait_for_line("Serving the site at http://", STARTUP);
    let host = line
        .split("http://")
        .nth(1)
        .and_then(|url| url.split('/').next())
        .expect("the address in the banner")
        .to_string();

    let rss_built_kib = memory_kib(serve.child.id(), "VmRSS:");
    let slug = first_pack(root);
    let pack_md = root.join("content/packs").join(&slug).join("pack.md");
    let original = std::fs::read_to_string(&pack_md).expect("read pack.md");
    let mut events = Events::open(&host);
    let page = format!("\"packs/{slug}/index.html\"");

    let cpu_before = cpu_ms(serve.child.id());
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    for i in 0..edits {
        let edited = retitle(&original, &format!("Benchmark edit {i}"));
        let saved = Instant::now();
        std::fs::write(&pack_md, edited).expect("save pack.md");
        events.wait_for_reload(&page);
        latencies.push(saved.elapsed());
        let line = serve.wait_for_line("rebuilt ", EVENT);
        if let Some(ms) = line
            .rsplit(" in ")
            .next()
            .and_then(|t| t.split(' ').next())
            .and_then(|t| t.parse::<u64>().ok())
        {
            rebuilds.push(Duration::from_millis(ms));
        }
    }
    let cpu_per_edit_ms = cpu_before
        .zip(cpu_ms(serve.child.id()))
        .map(|(before, after)| (after - before) / edits as f64);
    let rss_peak_kib = memory_kib(serve.child.id(), "VmHWM:");
    std::fs::write(&pack_md, original).expect("restore pack.md");

    latencies.sort();
    rebuilds.sort();
    let ms = |d: Option<&Duration>| d.map_or(0, |d| d.as_millis() as u64);
    Measured {
        packs,
        first_build_ms,
        latency_p50_ms: ms(latencies.get(latencies.len() / 2)),
        latency_p90_ms: ms(latencies.get(latencies.len() * 9 / 10)),
        latency_min_ms: ms(latencies.first()),
        latency_max_ms: ms(latencies.last()),
        rebuild_p50_ms: ms(rebuilds.get(rebuilds.len() / 2)),
        cpu_per_edit_ms,
        rss_built_kib,
        rss_peak_kib,
    }
}

/// The pack the edits go to: the first by folder name.
fn first_pack(root: &Path) -> String {
    let mut slugs: Vec<String> = std::fs::read_dir(root.join("content/packs"))
        .expect("list the packs")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("pack.md").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    slugs.sort();
    // A draft would not be served; the demo's drafts say so in pack.md.
    slugs
        .into_iter()
        .find(|s| {
            let text = std::fs::read_to_string(root.join("content/packs").join(s).join("pack.md"))
                .unwrap_or_default();
            !text.contains("\ndraft: true")
        })
        .expect("a published pack")
}

/// `text` with its front matter's `title:` line replaced.
fn retitle(text: &str, title: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|line| {
            if !done && line.starts_with("title:") {
                done = true;
                format!("title: \"{title}\"\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

/// The CPU time (user + system) used so far by process `pid`, from
/// /proc; `None` elsewhere than Linux.
fn cpu_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // Linux reports clock ticks of 10 ms (USER_HZ = 100).
    Some((utime + stime) * 10.0)
}

/// A memory figure of process `pid` from /proc (`VmRSS:` resident now,
/// `VmHWM:` the peak), in KiB; `None` elsewhere than Linux.
fn memory_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].split_whitespace().next()?.parse().ok()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_string(), |k| (k / 1024).to_string())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| {
            let parts: Vec<&str> = text.split_whitespace().take(3).collect();
            (parts.len() == 3).then(|| parts.join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

/// A running `flippack serve`, killed when dropped.
struct Serve {
    child: Child,
    lines: Receiver<String>,
}

impl Serve {
    fn start(root: &Path) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flippack"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start flippack serve");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Serve { child, lines }
    }

    fn wait_for_line(&mut self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!("flippack serve printed no line with {text:?}"),
            }
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The event stream, as a page reads it.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(host: &str) -> Events {
        let mut stream = TcpStream::connect(host).expect("connect to the event stream");
        write!(
            stream,
            "GET /__flippack/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("ask for the event stream");
        stream
            .set_read_timeout(Some(EVENT))
            .expect("set a read timeout");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        // Up to the end of the response head.
        while line != "\r\n" {
            line.clear();
            reader.read_line(&mut line).expect("read the stream head");
        }
        Events { reader }
    }

    /// Reads events until a `reload` whose data mentions `page`.
    fn wait_for_reload(&mut self, page: &str) {
        let mut name = String::new();
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("read an event");
            assert!(read > 0, "the event stream closed");
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.trim().to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                if name == "reload" && data.contains(page) {
                    return;
                }
                assert!(name != "errors", "the edit broke the site: {data}");
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the demo site");
        let target = to.join(
            entry
                .path()
                .strip_prefix(from)
                .expect("below the demo site"),
        );
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}
