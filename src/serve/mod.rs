//! `flippack serve`: builds the site into a folder of its own, serves it over HTTP,
//! watches the sources and rebuilds on change, and tells open pages to
//! reload.
//!
//! The pieces, each in its own module:
//! - [`watch`] notices changes and decides what they need rebuilt (pure);
//! - [`rebuild`] turns that into new files: one pack, or the whole site;
//! - [`files`] holds the served snapshot, swapped whole after a rebuild;
//! - [`store`] is the folder the rendered files are written into;
//! - [`http`] takes connections and reads requests, within limits;
//! - [`server`] answers requests from the snapshot (path checks are pure);
//! - [`reload`] is the event stream that tells pages to reload.
//!
//! The rendered files go into a new folder under the system's temporary
//! folder (`flippack-serve-…`), removed when the server stops: `public/`
//! and any `flippack build` output stay exactly as they are.

pub mod files;
pub mod http;
mod rebuild;
pub mod reload;
pub mod request;
pub mod server;
pub mod store;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::config::Config;
use crate::content::LoadOptions;
use crate::diagnostic::{Diagnostics, Style};
use files::Snapshot;
use rebuild::{Builder, Built};
use reload::{ErrorsData, Hub, ReloadData};
use server::{Served, Shared};
use store::Store;
use watch::{classify, next_batch, Plan, Signal, SiteWatcher, WatchError};

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after [`DEFAULT_PORT`] are tried when it is taken.
const PORTS_TO_TRY: u16 = 20;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// The address to listen on; 127.0.0.1 keeps the site on this machine.
    pub bind: IpAddr,
    /// `None`: [`DEFAULT_PORT`], or the next free one. `Some(port)`: that
    /// port or an error; 0 lets the system pick a free one.
    pub port: Option<u16>,
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Add the live-reload script to pages.
    pub live_reload: bool,
    /// Poll for changes instead of using the system's file events.
    pub poll: bool,
    /// How to show diagnostics in the terminal.
    pub style: Style,
    /// The attendance codes file named with `--codes`, as for `build`.
    pub codes: Option<PathBuf>,
}

/// Why `flippack serve` cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot open the site folder {}: {source}", path.display())]
    SiteFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "port {port} is already in use on {address} (another flippack serve?); \
         choose another with --port, e.g. --port {}",
        port.wrapping_add(1)
    )]
    PortInUse { port: u16, address: IpAddr },
    #[error(
        "ports {DEFAULT_PORT} to {} are all in use ({}); choose a free one with --port",
        DEFAULT_PORT + PORTS_TO_TRY - 1,
        last.as_ref().map_or_else(String::new, ToString::to_string)
    )]
    AllPortsInUse { last: Option<std::io::Error> },
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot listen: {0}")]
    Address(#[source] std::io::Error),
    #[error("cannot start the web server: {0}")]
    Start(#[source] std::io::Error),
    #[error(
        "cannot make a folder for the served pages in {}: {source}\n  = help: flippack serve \
         writes the pages it renders into the system's temporary folder; check that it exists \
         and has room, or set TMPDIR to another folder",
        parent.display()
    )]
    Folder {
        parent: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Watch(#[from] WatchError),
    /// Where the site is served could not be said (a full disk, a closed
    /// pipe).
    #[error(
        "cannot write to standard output: {0}\n  = help: check that the disk is not full, \
         or that the program reading flippack's output did not stop early"
    )]
    Stdout(#[source] std::io::Error),
}

/// Serves the site until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&options.root).map_err(|source| ServeError::SiteFolder {
        path: options.root.clone(),
        source,
    })?;
    // Removed when the last of its owners (the builder, this function)
    // lets go, which is when serve returns, after Ctrl-C or an error.
    let store = Arc::new(Store::create().map_err(|source| ServeError::Folder {
        parent: std::env::temp_dir(),
        source,
    })?);
    let mut builder = Builder::new(
        &root,
        LoadOptions {
            drafts: options.drafts,
        },
        store.clone(),
    )
    .with_codes(options.codes.clone());
    let first = first_build(&mut builder, &root, &options.style);
    let base = first.served.base.clone();
    // As many connections as the open-file limit allows, raised first:
    // a low default (256 on macOS) is soon used up by browser tabs.
    let connections = http::connection_limit();
    let shared = Arc::new(Shared::new(
        first.served,
        options.live_reload,
        instance(),
        Hub::for_connections(connections),
        root.clone(),
        store.path().to_path_buf(),
    ));

    let (http, address, port_note) = listen(options, &shared, connections)?;
    let (receiver, mut watcher, fallback) = watch_sources(&root, options.poll)?;

    if let Err(problems) = &first.outcome {
        problems.eprint(&options.style);
    }
    let url = site_url(address, &base);
    let banner = Banner {
        port_note,
        fallback,
        first: &first.outcome,
        url: &url,
        watching: watcher.describe(),
    };
    // Without these lines no one knows where the site is: stop rather
    // than serve unseen.
    if let Err(e) = say(&banner.text(options)) {
        stop(&http, &shared);
        return Err(ServeError::Stdout(e));
    }
    if options.open {
        open_browser(&url);
    }

    watch_and_rebuild(
        &receiver,
        &root,
        &mut builder,
        &mut watcher,
        &shared,
        &options.style,
    );
    stop(&http, &shared);
    let _ = say("Stopped.\n");
    Ok(())
}

/// Listens where `options` say and starts answering from `shared`: the
/// server, its address and why the port is not the one asked for, if not.
fn listen(
    options: &ServeOptions,
    shared: &Arc<Shared>,
    connections: usize,
) -> Result<(http::Server, SocketAddr, Option<String>), ServeError> {
    let (listener, port_note) = bind(options.bind, options.port)?;
    let address = listener.local_addr().map_err(ServeError::Address)?;
    let handler = {
        let shared = shared.clone();
        Arc::new(move |request| server::handle(request, &shared))
    };
    let http = http::Server::start(listener, connections, handler).map_err(ServeError::Start)?;
    Ok((http, address, port_note))
}

/// Starts watching the site's sources, and Ctrl-C: both arrive as
/// signals on the receiver. Also says why the watcher polls, if it does.
fn watch_sources(
    root: &Path,
    poll: bool,
) -> Result<(Receiver<Signal>, SiteWatcher, Option<WatchError>), ServeError> {
    let (sender, receiver) = channel();
    let (watcher, fallback) = SiteWatcher::start(root, poll, sender.clone())?;
    // Ctrl-C ends the watch loop, which stops the server. A handler may
    // already be set when serve runs inside a larger program; then the
    // default (ending the process) is just as clean.
    let _ = ctrlc::set_handler(move || {
        let _ = sender.send(Signal::Stop);
    });
    Ok((receiver, watcher, fallback))
}

/// The first build, as it is served: the site, or its problems until they
/// are fixed.
struct FirstBuild {
    served: Served,
    /// How many packs built and in how long, or what stopped the build.
    outcome: Result<(usize, Duration), Diagnostics>,
}

/// Builds the whole site once, printing its warnings.
fn first_build(builder: &mut Builder, root: &Path, style: &Style) -> FirstBuild {
    let started = Instant::now();
    match builder.whole(&Snapshot::default()) {
        Ok(built) => {
            let took = started.elapsed();
            built.warnings.eprint(style);
            let (snapshot, _) = Snapshot::default().next(&built.keep, built.written);
            FirstBuild {
                served: Served {
                    snapshot: Arc::new(snapshot),
                    base: built.base,
                    policy: built.policy,
                    problems: Arc::default(),
                },
                outcome: Ok((built.packs, took)),
            }
        }
        Err(problems) => {
            // The site may still be fixed while serving: serve the
            // problems until it is.
            let config = Config::load(root).unwrap_or_default();
            FirstBuild {
                served: Served {
                    snapshot: Arc::default(),
                    base: config.base_url.path().to_string(),
                    policy: config.content_security_policy(),
                    problems: Arc::new(problems.0.clone()),
                },
                outcome: Err(problems),
            }
        }
    }
}

/// A name for this run of the server, so that a page can tell a restarted
/// server from the one that served it.
fn instance() -> String {
    format!(
        "{:x}",
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    )
}

/// What the terminal is told once the site is served.
struct Banner<'a> {
    /// Why the port is not the one asked for, if it is not.
    port_note: Option<String>,
    /// Why the watcher polls, if it does.
    fallback: Option<WatchError>,
    first: &'a Result<(usize, Duration), Diagnostics>,
    url: &'a str,
    /// How the sources are watched.
    watching: String,
}

impl Banner<'_> {
    fn text(&self, options: &ServeOptions) -> String {
        let mut banner = String::new();
        if let Some(note) = &self.port_note {
            banner.push_str(&format!("{note}\n"));
        }
        if let Some(reason) = &self.fallback {
            banner.push_str(&format!(
                "Native file events are not available here ({reason}); polling instead.\n"
            ));
        }
        match self.first {
            Ok((packs, took)) => banner.push_str(&format!(
                "Built {packs} pack{} in {} ms.\n",
                if *packs == 1 { "" } else { "s" },
                took.as_millis()
            )),
            Err(problems) => banner.push_str(&format!(
                "The site does not build yet ({}). The browser shows the problems; fix them and save.\n",
                problems.summary()
            )),
        }
        banner.push_str(&format!("Serving the site at {}\n", self.url));
        if !options.bind.is_loopback() {
            banner.push_str(&format!(
                "warning: listening on {} makes the site (and its drafts) reachable from other computers on your network\n",
                options.bind
            ));
        }
        banner.push_str(&format!(
            "Watching content/, themes/ and site.yaml ({}).{}\n",
            self.watching,
            if options.live_reload {
                " Open pages reload when you save."
            } else {
                " Live reload is off."
            }
        ));
        banner.push_str("Press Ctrl-C to stop.\n");
        banner
    }
}

/// Rebuilds what each batch of changes needs and serves it, until Ctrl-C.
fn watch_and_rebuild(
    receiver: &Receiver<Signal>,
    root: &Path,
    builder: &mut Builder,
    watcher: &mut SiteWatcher,
    shared: &Shared,
    style: &Style,
) {
    while let Some(batch) = next_batch(receiver, watch::QUIET, watch::LONGEST_BATCH) {
        if batch.contains(&Signal::Stop) {
            break;
        }
        let changes = classify(root, &batch);
        let started = Instant::now();
        let served = shared.current();
        let result = match &changes.plan {
            Plan::Nothing => continue,
            Plan::Packs(slugs) => builder.packs(slugs, &served.snapshot),
            Plan::Site => {
                let result = builder.whole(&served.snapshot);
                if let Err(reason) = watcher.watch_all(&changes.paths) {
                    eprintln!("warning: {reason}");
                }
                result
            }
        };
        drop(served);
        let what = changes.describe(|path| path.is_file());
        publish(shared, result, &what, started, style);
    }
}

/// Stops answering and ends every open event stream.
fn stop(http: &http::Server, shared: &Shared) {
    http.stop();
    shared.hub.close_all();
}

/// Swaps in the result of a rebuild, tells the terminal and the pages.
fn publish(
    shared: &Shared,
    result: Result<Built, Diagnostics>,
    what: &str,
    started: Instant,
    style: &Style,
) {
    let current = shared.current();
    match result {
        Ok(built) => {
            let whole = built.whole;
            let (snapshot, changed) = current.snapshot.next(&built.keep, built.written);
            let token = shared.token(snapshot.version);
            let was_failing = !current.problems.is_empty();
            shared.replace(Served {
                snapshot: Arc::new(snapshot),
                base: built.base,
                policy: built.policy,
                problems: Arc::default(),
            });
            // Only now that the new version is served.
            if !changed.is_empty() || was_failing {
                shared
                    .hub
                    .broadcast(reload::event("reload", &ReloadData::new(&token, &changed)));
            }
            built.warnings.eprint(style);
            let _ = say(&format!(
                "rebuilt {what}{} in {} ms{}\n",
                if whole { " (whole site)" } else { "" },
                started.elapsed().as_millis(),
                if was_failing {
                    "; the problems are fixed"
                } else {
                    ""
                }
            ));
        }
        Err(problems) => {
            let token = shared.token(current.snapshot.version);
            shared.replace(Served {
                snapshot: current.snapshot.clone(),
                base: current.base.clone(),
                policy: current.policy.clone(),
                problems: Arc::new(problems.0.clone()),
            });
            shared.hub.broadcast(reload::event(
                "errors",
                &ErrorsData::new(&token, &problems.0),
            ));
            problems.eprint(style);
            let _ = say(&format!(
                "{what}: the site does not build ({}); still serving the last version that built\n",
                problems.summary()
            ));
        }
    }
}

/// Writes `text` to standard output whole. Once the site is served, a
/// line that cannot be written is let go (the server goes on serving,
/// which is its job); `println!` would panic instead.
fn say(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Listens on `port`, or on the first free port from [`DEFAULT_PORT`]
/// when none was asked for (saying so when it is not the default).
fn bind(address: IpAddr, port: Option<u16>) -> Result<(TcpListener, Option<String>), ServeError> {
    let cannot = |port: u16, source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse { port, address }
        } else {
            ServeError::Listen {
                address: SocketAddr::new(address, port),
                source,
            }
        }
    };
    if let Some(port) = port {
        return TcpListener::bind((address, port))
            .map(|l| (l, None))
            .map_err(|e| cannot(port, e));
    }
    let mut last = None;
    for port in DEFAULT_PORT..DEFAULT_PORT + PORTS_TO_TRY {
        match TcpListener::bind((address, port)) {
            Ok(listener) => {
                let note = (port != DEFAULT_PORT).then(|| {
                    format!("Port {DEFAULT_PORT} is in use, so the site is on port {port} instead (choose one with --port).")
                });
                return Ok((listener, note));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(cannot(port, e)),
        }
    }
    Err(ServeError::AllPortsInUse { last })
}

/// The address to open in a browser: an unspecified bind address
/// (0.0.0.0, ::) is reached through the loopback one.
fn site_url(address: SocketAddr, base: &str) -> String {
    let ip = match address.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}{base}", SocketAddr::new(ip, address.port()))
}

/// Opens `url` in the default browser; says so when that fails.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = command {
        let _ = say(&format!(
            "Could not open a browser ({e}); open {url} yourself.\n"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_reachable_address() {
        let v4: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(site_url(v4, "/"), "http://127.0.0.1:1111/");
        let v6: SocketAddr = "[::1]:1112".parse().unwrap();
        assert_eq!(site_url(v6, "/pd/"), "http://[::1]:1112/pd/");
        let any6: SocketAddr = "[::]:1111".parse().unwrap();
        assert_eq!(site_url(any6, "/"), "http://[::1]:1111/");
    }

    #[test]
    fn a_taken_port_is_reported() {
        let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let err = bind(IpAddr::from([127, 0, 0, 1]), Some(port)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("port {port} is already in use")),
            "{text}"
        );
        assert!(text.contains("--port"), "{text}");
    }
}
