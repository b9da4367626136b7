//! Live reload: the event stream that tells open pages a rebuild finished.
//!
//! Pages load `/__flippack/reload.js` (a file, so a strict
//! Content-Security-Policy allows it) which listens on
//! `/__flippack/events`, a Server-Sent Events stream. Two events:
//!
//! - `reload`: a rebuild succeeded and is being served. `changed` lists the
//!   output files whose bytes changed (`all` when the list would be too
//!   long); a page reloads when it is among them, swaps its stylesheets
//!   when only CSS changed, and otherwise stays put.
//! - `errors`: a rebuild failed. The last good site is still served; the
//!   page shows an overlay with every diagnostic.
//!
//! Pages that were disconnected, or that loaded just before a rebuild,
//! ask `/__flippack/status?page=…&v=…` whether they are stale; the version
//! token carries a per-process id so a restarted server is noticed too.
//!
//! Events are only sent once the new snapshot is swapped in, so a reload
//! never lands on a half-built site. Each stream is served by the request
//! thread that accepted it; a client that went away is noticed on the next
//! write (a comment is sent every few seconds for that reason).
//!
//! At most [`MOST_STREAMS`] streams are open at once (one browser needs
//! one): when another opens, the oldest is closed, and its page asks for
//! the status every second instead, which is all a stream saves it.

use std::io::Write;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Style};

/// Beyond this many changed files, a `reload` event says `all` instead.
pub const MAX_LISTED_CHANGES: usize = 2_000;

/// Event streams open at once, at most, however many connections the
/// server can take.
pub const MOST_STREAMS: usize = 64;

/// How often an idle stream sends a comment, to find clients that left.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// The response head of an event stream, written straight to the socket.
const STREAM_HEAD: &str = "HTTP/1.1 200 OK\r\n\
Content-Type: text/event-stream; charset=utf-8\r\n\
Cache-Control: no-store\r\n\
Connection: close\r\n\
X-Accel-Buffering: no\r\n\r\n\
retry: 1000\n\n";

/// The open event streams, oldest first.
pub struct Hub {
    clients: Mutex<Vec<Sender<Arc<str>>>>,
    limit: usize,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new(MOST_STREAMS)
    }
}

impl Hub {
    /// A hub keeping at most `limit` streams open.
    pub fn new(limit: usize) -> Hub {
        Hub {
            clients: Mutex::default(),
            limit: limit.max(1),
        }
    }

    /// The most streams that fit beside other requests in `connections`:
    /// half of them, and at most [`MOST_STREAMS`].
    pub fn for_connections(connections: usize) -> Hub {
        Hub::new((connections / 2).min(MOST_STREAMS))
    }

    /// Streams events to one client until it disconnects; `first` is sent
    /// at once (the current errors, for a page opened while the site is
    /// broken). Blocks the calling thread.
    pub fn stream(&self, mut writer: Box<dyn Write + Send>, first: Option<String>) {
        let (sender, receiver) = channel::<Arc<str>>();
        // Registered before the client hears anything, so that no event
        // sent after it saw the stream open can pass it by.
        {
            let mut clients = self
                .clients
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            clients.push(sender);
            // Dropping a sender ends its stream: the thread serving it
            // wakes up disconnected and closes the connection.
            let excess = clients.len().saturating_sub(self.limit);
            clients.drain(..excess);
        }
        let opening = format!("{STREAM_HEAD}{}", first.unwrap_or_default());
        if writer.write_all(opening.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
        loop {
            let message = match receiver.recv_timeout(KEEP_ALIVE) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => Arc::from(": keep-alive\n\n"),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if writer.write_all(message.as_bytes()).is_err() || writer.flush().is_err() {
                return;
            }
        }
    }

    /// Sends an event to every open stream.
    pub fn broadcast(&self, message: String) {
        let message: Arc<str> = Arc::from(message);
        self.clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .retain(|client| client.send(message.clone()).is_ok());
    }

    /// How many streams are open (for the terminal and tests).
    pub fn client_count(&self) -> usize {
        self.clients.lock().map_or(0, |clients| clients.len())
    }

    /// Ends every stream, when the server stops.
    pub fn close_all(&self) {
        self.clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}

/// Identifies a version of the site across server restarts: the process's
/// instance id and the snapshot version, as `3f9a1c-12`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionToken {
    pub instance: String,
    pub version: u64,
}

impl VersionToken {
    pub fn parse(text: &str) -> Option<VersionToken> {
        let (instance, version) = text.rsplit_once('-')?;
        Some(VersionToken {
            instance: instance.to_string(),
            version: version.parse().ok()?,
        })
    }
}

impl std::fmt::Display for VersionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.instance, self.version)
    }
}

/// One server-sent event, framed.
pub fn event(name: &str, data: &impl Serialize) -> String {
    // serde_json never writes a raw newline, so the data is one line.
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    format!("event: {name}\ndata: {json}\n\n")
}

#[derive(Serialize)]
pub struct ReloadData<'a> {
    pub version: String,
    pub changed: &'a [String],
    pub all: bool,
}

impl<'a> ReloadData<'a> {
    pub fn new(version: &VersionToken, changed: &'a [String]) -> Self {
        let all = changed.len() > MAX_LISTED_CHANGES;
        ReloadData {
            version: version.to_string(),
            changed: if all { &[] } else { changed },
            all,
        }
    }
}

#[derive(Serialize)]
pub struct ErrorsData {
    pub version: String,
    pub summary: String,
    pub diagnostics: Vec<DiagnosticData>,
}

/// A diagnostic as the overlay shows it: its fields, the offending line
/// of the file, and the text the terminal shows.
#[derive(Serialize)]
pub struct DiagnosticData {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// Kept out of [`Diagnostic`]'s own serialized form (`check --format
    /// json`), shown here.
    pub source_line: Option<String>,
    /// The same text as in the terminal, without colours.
    pub text: String,
}

impl From<&Diagnostic> for DiagnosticData {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticData {
            diagnostic: d.clone(),
            source_line: d.source_line.clone(),
            text: d.render(&Style::plain()),
        }
    }
}

impl ErrorsData {
    pub fn new(version: &VersionToken, problems: &[Diagnostic]) -> Self {
        let errors: Vec<&Diagnostic> = problems.iter().filter(|d| d.is_error()).collect();
        let files = {
            let mut files: Vec<&str> = errors.iter().map(|d| d.file.as_str()).collect();
            files.sort_unstable();
            files.dedup();
            files.len()
        };
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        ErrorsData {
            version: version.to_string(),
            summary: format!(
                "{} in {}",
                plural(errors.len(), "error", "errors"),
                plural(files, "file", "files")
            ),
            diagnostics: errors.into_iter().map(DiagnosticData::from).collect(),
        }
    }
}

/// The answer to `/__flippack/status`.
#[derive(Serialize)]
pub struct StatusData {
    pub version: String,
    /// The asking page has changed (or gone) since the version it was
    /// served at.
    pub stale: bool,
    pub errors: Option<ErrorsData>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn version_tokens_round_trip() {
        let token = VersionToken {
            instance: "19a3f-c2".into(),
            version: 12,
        };
        assert_eq!(token.to_string(), "19a3f-c2-12");
        assert_eq!(VersionToken::parse("19a3f-c2-12"), Some(token));
        assert_eq!(VersionToken::parse("12"), None);
        assert_eq!(VersionToken::parse("a-b"), None);
    }

    #[test]
    fn events_are_framed_on_one_data_line() {
        let changed = vec!["packs/ell/index.html".to_string()];
        let token = VersionToken {
            instance: "x".into(),
            version: 2,
        };
        let text = event("reload", &ReloadData::new(&token, &changed));
        assert_eq!(
            text,
            "event: reload\ndata: {\"version\":\"x-2\",\"changed\":[\"packs/ell/index.html\"],\"all\":false}\n\n"
        );
    }

    #[test]
    fn long_change_lists_become_all() {
        let changed: Vec<String> = (0..=MAX_LISTED_CHANGES)
            .map(|i| format!("{i}.html"))
            .collect();
        let token = VersionToken {
            instance: "x".into(),
            version: 2,
        };
        let data = ReloadData::new(&token, &changed);
        assert!(data.all);
        assert!(data.changed.is_empty());
    }

    #[test]
    fn errors_carry_file_line_and_the_terminal_text() {
        let d = Diagnostic::error(
            Code::YamlSyntax,
            "content/packs/ell/pack.md",
            "bad indentation",
        )
        .at("---\ntitle: x\n  summary: y\n---\n", 3, 3);
        let token = VersionToken {
            instance: "x".into(),
            version: 1,
        };
        let warning = Diagnostic::warning(Code::DraftInPathway, "content/pathways/a.md", "a draft");
        let data = ErrorsData::new(&token, &[d, warning]);
        assert_eq!(data.summary, "1 error in 1 file");
        assert_eq!(data.diagnostics.len(), 1, "warnings stay in the terminal");
        let first = &data.diagnostics[0];
        assert_eq!(
            (first.diagnostic.file.as_str(), first.diagnostic.line),
            ("content/packs/ell/pack.md", 3)
        );
        assert!(first.text.contains("content/packs/ell/pack.md:3:3"));
        assert!(first.text.contains("  summary: y"));
    }

    #[test]
    fn broadcasts_reach_every_stream_and_forget_closed_ones() {
        struct Pipe(std::sync::mpsc::Sender<Vec<u8>>);
        impl Write for Pipe {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0
                    .send(buf.to_vec())
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let hub = Arc::new(Hub::default());
        let mut readers = Vec::new();
        for _ in 0..3 {
            let (tx, rx) = channel();
            let h = hub.clone();
            std::thread::spawn(move || h.stream(Box::new(Pipe(tx)), None));
            let head = rx.recv_timeout(Duration::from_secs(5)).unwrap();
            assert!(String::from_utf8_lossy(&head).contains("text/event-stream"));
            readers.push(rx);
        }
        while hub.client_count() < 3 {
            std::thread::yield_now();
        }
        let closed = readers.pop().unwrap();
        drop(closed);
        hub.broadcast("event: reload\ndata: {}\n\n".into());
        for rx in &readers {
            let got = rx.recv_timeout(Duration::from_secs(5)).unwrap();
            assert_eq!(got, b"event: reload\ndata: {}\n\n");
        }
        // The closed stream's thread ends on its failed write, and the
        // next broadcast forgets it.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while hub.client_count() > 2 && std::time::Instant::now() < deadline {
            hub.broadcast(": ping\n\n".into());
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(hub.client_count(), 2);
    }

    #[test]
    fn a_stream_beyond_the_limit_closes_the_oldest() {
        struct Sink;
        impl Write for Sink {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let hub = Arc::new(Hub::new(2));
        let (ended, ends) = channel();
        for i in 0..3 {
            let (streams, ended) = (hub.clone(), ended.clone());
            std::thread::spawn(move || {
                streams.stream(Box::new(Sink), None);
                let _ = ended.send(i);
            });
            while hub.client_count() < (i + 1).min(2) {
                std::thread::yield_now();
            }
        }
        assert_eq!(ends.recv_timeout(Duration::from_secs(5)), Ok(0));
        assert_eq!(hub.client_count(), 2);
        hub.close_all();
        let mut rest: Vec<usize> = (0..2)
            .map(|_| {
                ends.recv_timeout(Duration::from_secs(5))
                    .expect("a stream ends")
            })
            .collect();
        rest.sort_unstable();
        assert_eq!(rest, [1, 2]);
    }

    #[test]
    fn streams_take_at_most_half_the_connections() {
        assert_eq!(Hub::for_connections(256).limit, MOST_STREAMS);
        assert_eq!(Hub::for_connections(96).limit, 48);
        assert_eq!(Hub::for_connections(1).limit, 1);
    }
}
