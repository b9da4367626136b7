//! The HTTP/1.1 front of `flippack serve`: accepts connections, reads
//! each request's head and hands the request to [`super::server`], then
//! closes the connection.
//!
//! A dev server is opened by browsers that keep idle connections, by
//! tools that open hundreds, and sometimes by something hostile on the
//! network (`--bind 0.0.0.0`). Whatever they do, the next page request
//! must be answered, so:
//!
//! - At most [`connection_limit`] connections are served at once, each on
//!   its own thread (an event stream or a video download must not hold
//!   up the rest). When all are taken, the oldest one that is still
//!   waiting for its client is let go; when none is, new connections wait
//!   in the system's queue until one ends.
//! - A request's head must arrive whole within [`HEAD_TIMEOUT`] and fit
//!   in [`MOST_HEAD_BYTES`].
//! - A request body is never read: every address is GET or HEAD, and the
//!   server refuses a request that announces a body from its head alone.
//! - One request per connection, answered with `Connection: close` and
//!   then closed, so no idle keep-alive connection holds a thread.
//! - An error accepting a connection (out of file descriptors, say) is
//!   waited out and never stops the server; a listener that stops working
//!   is bound again, and a panic in the accept loop restarts it.
//!
//! The head is parsed by `httparse`, the parser hyper uses; everything
//! here is about limits.

use std::collections::BTreeMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a client has to send a request's whole head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest head accepted; browsers send a few kilobytes.
pub const MOST_HEAD_BYTES: usize = 32 * 1024;
/// More header lines than any browser sends.
const MOST_HEADERS: usize = 100;
/// A client that takes no bytes of an answer for this long is let go.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// After refusing a body, how long (and how much) to read and discard
/// before closing, so that the client reads the refusal rather than a
/// reset connection.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1 << 20;
/// Connections served at once, at most, however many files are allowed.
pub const MOST_CONNECTIONS: usize = 256;
const FEWEST_CONNECTIONS: usize = 4;
/// File descriptors left for everything but connections: the watcher,
/// standard streams, and one file per connection being sent from disk.
const FILES_KEPT_FREE: u64 = 64;

/// A request method; every address of the dev server is GET or HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Other(String),
}

/// One request, its head read and its body (if any) left unread.
pub struct Request {
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    refused: Option<u16>,
    stream: Arc<TcpStream>,
}

impl Request {
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The request target as sent: path and query.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The first header named `name` (in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the head announces a body: a `Content-Length` other than
    /// 0, or any `Transfer-Encoding`. The body itself is never read.
    pub fn has_body(&self) -> bool {
        self.header("Transfer-Encoding").is_some()
            || self
                .header("Content-Length")
                .is_some_and(|v| v.trim() != "0")
    }

    /// Set when what arrived was not a request to answer: the status to
    /// refuse it with (400 unreadable, 408 too slow, 431 too long).
    pub fn refused(&self) -> Option<u16> {
        self.refused
    }

    /// Where the answer goes: the connection itself, unbuffered.
    pub fn into_writer(self) -> Box<dyn Write + Send> {
        Box::new(Writer(self.stream))
    }
}

struct Writer(Arc<TcpStream>);

impl Write for Writer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.0).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.0).flush()
    }
}

/// The reason phrase of the statuses the dev server answers with.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// What the start of a connection turned out to be.
#[derive(Debug, PartialEq, Eq)]
enum Head {
    /// A whole head, and whether more bytes came after it.
    Request {
        method: Method,
        url: String,
        headers: Vec<(String, String)>,
        more: bool,
    },
    /// Not a request to answer: refuse it with this status.
    Refuse(u16),
    /// Nothing to answer: the client left, or never said anything.
    Close,
    /// Not whole yet.
    Partial,
}

/// Parses a request head from the bytes received so far. Pure.
fn parse_head(bytes: &[u8]) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MOST_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(length)) => {
            let method = match request.method.unwrap_or_default() {
                "GET" => Method::Get,
                "HEAD" => Method::Head,
                other => Method::Other(other.to_string()),
            };
            Head::Request {
                method,
                url: request.path.unwrap_or_default().to_string(),
                headers: request
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_string(),
                            String::from_utf8_lossy(h.value).into_owned(),
                        )
                    })
                    .collect(),
                more: bytes.len() > length,
            }
        }
        Ok(httparse::Status::Partial) if bytes.len() > MOST_HEAD_BYTES => Head::Refuse(431),
        Ok(httparse::Status::Partial) => Head::Partial,
        Err(httparse::Error::TooManyHeaders) => Head::Refuse(431),
        Err(_) => Head::Refuse(400),
    }
}

/// Whether `bytes`, the end of what arrived so far, hold the blank line
/// that ends a head (CRLF or bare LF).
fn ends_head(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"\r\n\r\n").is_some()
        || memchr::memmem::find(bytes, b"\n\n").is_some()
}

/// Reads a request head until `deadline`. Bytes are only parsed once a
/// blank line has arrived, so a client sending one byte at a time costs
/// nothing but its connection.
fn read_head(mut stream: &TcpStream, deadline: Instant) -> Head {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            // A connection opened ahead of need (browsers do) and never
            // used is closed without a word.
            return if bytes.is_empty() {
                Head::Close
            } else {
                Head::Refuse(408)
            };
        }
        if stream.set_read_timeout(Some(left)).is_err() {
            return Head::Close;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Head::Close,
            Ok(n) => {
                let from = bytes.len().saturating_sub(3);
                bytes.extend_from_slice(&chunk[..n]);
                if ends_head(&bytes[from..]) || bytes.len() > MOST_HEAD_BYTES {
                    match parse_head(&bytes) {
                        Head::Partial => {}
                        head => return head,
                    }
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Interrupted | ErrorKind::WouldBlock | ErrorKind::TimedOut
                ) => {}
            Err(_) => return Head::Close,
        }
    }
}

/// Reads and discards what the client still sends, for a little while,
/// then returns so the connection can close.
fn linger(mut stream: &TcpStream) {
    let deadline = Instant::now() + LINGER;
    let mut chunk = [0u8; 16 * 1024];
    let mut read = 0;
    while read < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => read += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// The open connections, oldest first.
struct Slots {
    limit: usize,
    state: Mutex<State>,
    /// Signalled when a connection ends or starts waiting for its client.
    changed: Condvar,
}

#[derive(Default)]
struct State {
    next: u64,
    open: BTreeMap<u64, Slot>,
}

struct Slot {
    stream: Arc<TcpStream>,
    /// Waiting for the client (its head, or its goodbye) rather than
    /// being answered: such a connection may be let go for a new one.
    waiting: bool,
}

impl State {
    /// Closes the oldest connection that waits for its client.
    fn let_go_oldest_waiting(&mut self) -> bool {
        let Some(id) = self
            .open
            .iter()
            .find(|(_, slot)| slot.waiting)
            .map(|(id, _)| *id)
        else {
            return false;
        };
        if let Some(slot) = self.open.remove(&id) {
            // Its thread's read returns at once, and the thread ends.
            let _ = slot.stream.shutdown(Shutdown::Both);
        }
        true
    }

    fn has_room(&self, limit: usize) -> bool {
        self.open.len() < limit || self.open.values().any(|slot| slot.waiting)
    }
}

impl Slots {
    fn new(limit: usize) -> Slots {
        Slots {
            limit: limit.max(1),
            state: Mutex::default(),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until a new connection can be taken: one is free, or one
    /// can be let go.
    fn wait_for_room(&self, stopping: &AtomicBool) {
        let mut state = self.lock();
        while !state.has_room(self.limit) && !stopping.load(Ordering::SeqCst) {
            state = self
                .changed
                .wait_timeout(state, Duration::from_secs(1))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// Takes a new connection, letting the oldest waiting one go when all
    /// are taken.
    fn admit(self: &Arc<Self>, stream: Arc<TcpStream>) -> Ticket {
        let mut state = self.lock();
        if state.open.len() >= self.limit {
            state.let_go_oldest_waiting();
        }
        let id = state.next;
        state.next += 1;
        state.open.insert(
            id,
            Slot {
                stream,
                waiting: true,
            },
        );
        Ticket {
            id,
            slots: self.clone(),
        }
    }

    /// Makes room when the system is out of file descriptors.
    fn let_go_oldest_waiting(&self) -> bool {
        self.lock().let_go_oldest_waiting()
    }

    #[cfg(test)]
    fn count(&self) -> usize {
        self.lock().open.len()
    }
}

/// A connection's place among the open ones, given back when dropped
/// (also when its thread panics).
struct Ticket {
    id: u64,
    slots: Arc<Slots>,
}

impl Ticket {
    fn waiting(&self, waiting: bool) {
        if let Some(slot) = self.slots.lock().open.get_mut(&self.id) {
            slot.waiting = waiting;
        }
        if waiting {
            self.slots.changed.notify_all();
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.slots.lock().open.remove(&self.id);
        self.slots.changed.notify_all();
    }
}

/// Answers one request.
pub type Handler = dyn Fn(Request) + Send + Sync;

/// The running front; [`Server::stop`] ends it.
pub struct Server {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
}

impl Server {
    /// Starts accepting on `listener`, serving at most `limit`
    /// connections at once.
    pub fn start(listener: TcpListener, limit: usize, handler: Arc<Handler>) -> io::Result<Server> {
        let address = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let accept = Accept {
            listener: Some(listener),
            address,
            slots: Arc::new(Slots::new(limit)),
            handler,
            stopping: stopping.clone(),
            pause: Pause::default(),
        };
        std::thread::Builder::new()
            .name("flippack-http".into())
            .spawn(move || {
                let mut accept = accept;
                keep_running(|| accept.run());
            })?;
        Ok(Server { address, stopping })
    }

    /// Stops accepting and closes the listener; connections being
    /// answered finish on their own.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees it should stop.
        let _ = TcpStream::connect_timeout(&reachable(self.address), Duration::from_secs(1));
    }
}

/// The address to connect to for a listener on `address` (0.0.0.0 and
/// :: are reached through loopback).
fn reachable(address: SocketAddr) -> SocketAddr {
    let ip = match address.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, address.port())
}

/// Runs `task` again each time it panics, until it returns.
fn keep_running(mut task: impl FnMut()) {
    while catch_unwind(AssertUnwindSafe(&mut task)).is_err() {
        eprintln!("warning: the web server stopped accepting connections; restarting it");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits between failed attempts, longer each time, up to half a second.
#[derive(Default)]
struct Pause {
    failures: u32,
}

impl Pause {
    /// Waits after a failure; says whether it is the first in a row.
    fn after_failure(&mut self) -> bool {
        let wait = Duration::from_millis(5 << self.failures.min(7)).min(Duration::from_millis(500));
        self.failures += 1;
        std::thread::sleep(wait);
        self.failures == 1
    }

    fn after_success(&mut self) {
        self.failures = 0;
    }
}

/// What an error from `accept` calls for.
#[derive(Debug, PartialEq, Eq)]
enum AcceptError {
    /// Out of file descriptors or memory: make room, wait, try again.
    OutOfResources,
    /// The listening socket itself no longer works: bind it again.
    Broken,
    /// Anything else (a client that left before it was accepted, a
    /// signal): try again.
    Passing,
}

fn classify(error: &io::Error) -> AcceptError {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        match Errno::from_io_error(error) {
            Some(Errno::MFILE | Errno::NFILE | Errno::NOBUFS | Errno::NOMEM) => {
                return AcceptError::OutOfResources
            }
            Some(Errno::BADF | Errno::INVAL | Errno::NOTSOCK) => return AcceptError::Broken,
            _ => {}
        }
    }
    match error.kind() {
        ErrorKind::OutOfMemory => AcceptError::OutOfResources,
        ErrorKind::InvalidInput => AcceptError::Broken,
        _ => AcceptError::Passing,
    }
}

/// The accept loop and what it keeps across restarts.
struct Accept {
    /// `None` while the listener is being bound again.
    listener: Option<TcpListener>,
    address: SocketAddr,
    slots: Arc<Slots>,
    handler: Arc<Handler>,
    stopping: Arc<AtomicBool>,
    pause: Pause,
}

impl Accept {
    fn run(&mut self) {
        while !self.stopping.load(Ordering::SeqCst) {
            let Some(listener) = &self.listener else {
                self.bind_again();
                continue;
            };
            self.slots.wait_for_room(&self.stopping);
            match listener.accept() {
                Ok((stream, _)) => {
                    self.pause.after_success();
                    if self.stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    self.take(stream);
                }
                Err(error) => self.after_error(&error),
            }
        }
    }

    fn after_error(&mut self, error: &io::Error) {
        let kind = classify(error);
        if kind == AcceptError::OutOfResources {
            self.slots.let_go_oldest_waiting();
        }
        if kind == AcceptError::Broken {
            // Closed first, so that its port can be bound again.
            self.listener = None;
        }
        if self.pause.after_failure() && kind != AcceptError::Passing {
            eprintln!("warning: the web server cannot accept connections ({error}); retrying");
        }
    }

    fn bind_again(&mut self) {
        match TcpListener::bind(self.address) {
            Ok(listener) => {
                eprintln!("The web server listens again on {}.", self.address);
                self.listener = Some(listener);
            }
            Err(error) => {
                if self.pause.after_failure() {
                    eprintln!(
                        "warning: the web server cannot listen on {} again ({error}); retrying",
                        self.address
                    );
                }
            }
        }
    }

    /// Serves a new connection on a thread of its own.
    fn take(&mut self, stream: TcpStream) {
        // Each answer goes out in as few writes as possible; no need to
        // wait for the client's acknowledgements between them.
        let _ = stream.set_nodelay(true);
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let stream = Arc::new(stream);
        let ticket = self.slots.admit(stream.clone());
        let handler = self.handler.clone();
        let spawned = std::thread::Builder::new()
            .name("flippack-request".into())
            .spawn(move || connection(&stream, &ticket, &*handler));
        // Without a thread the connection is closed unanswered (the
        // closure, and with it the socket and the ticket, is dropped).
        if let Err(error) = spawned {
            if self.pause.after_failure() {
                eprintln!("warning: cannot answer a connection ({error})");
            }
        }
    }
}

/// One connection: its head, the answer, and a clean close.
fn connection(stream: &Arc<TcpStream>, ticket: &Ticket, handler: &Handler) {
    let (request, unread) = match read_head(stream, Instant::now() + HEAD_TIMEOUT) {
        Head::Close | Head::Partial => return,
        Head::Refuse(status) => (
            Request {
                method: Method::Get,
                url: String::new(),
                headers: Vec::new(),
                refused: Some(status),
                stream: stream.clone(),
            },
            true,
        ),
        Head::Request {
            method,
            url,
            headers,
            more,
        } => {
            let request = Request {
                method,
                url,
                headers,
                refused: None,
                stream: stream.clone(),
            };
            let unread = more || request.has_body();
            (request, unread)
        }
    };
    ticket.waiting(false);
    handler(request);
    // The answer is whole: say so, and close.
    let _ = stream.shutdown(Shutdown::Write);
    if unread {
        // The client may still be sending what was never read; closing
        // now could reset the connection before it reads the answer.
        ticket.waiting(true);
        linger(stream);
    }
}

/// Raises this process's soft limit on open files to its hard limit (as
/// far as the system allows), and says how many connections the result
/// affords.
pub fn connection_limit() -> usize {
    connections_for(raise_open_files())
}

/// Connections for `open_files` file descriptors: two each (the socket,
/// and a file being sent), after those kept for everything else.
fn connections_for(open_files: u64) -> usize {
    let spare = open_files.saturating_sub(FILES_KEPT_FREE) / 2;
    usize::try_from(spare)
        .unwrap_or(usize::MAX)
        .clamp(FEWEST_CONNECTIONS, MOST_CONNECTIONS)
}

#[cfg(unix)]
fn raise_open_files() -> u64 {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let current = limit.current.unwrap_or(u64::MAX);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    // Some systems refuse the hard limit itself (macOS above OPEN_MAX,
    // Linux above fs.nr_open, an unlimited one): then smaller ones.
    for wanted in [hard, 1 << 20, 1 << 16, 10_240] {
        if wanted <= current || wanted > hard {
            continue;
        }
        let raised = Rlimit {
            current: Some(wanted),
            maximum: limit.maximum,
        };
        if setrlimit(Resource::Nofile, raised).is_ok() {
            return wanted;
        }
    }
    current
}

/// Windows counts sockets as handles, with no small per-process limit.
#[cfg(not(unix))]
fn raise_open_files() -> u64 {
    u64::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> Head {
        parse_head(text.as_bytes())
    }

    #[test]
    fn parses_a_whole_head_and_nothing_less() {
        let Head::Request {
            method,
            url,
            headers,
            more,
        } = request("GET /packs/?q=1 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n")
        else {
            panic!("a whole head");
        };
        assert_eq!(method, Method::Get);
        assert_eq!(url, "/packs/?q=1");
        assert_eq!(headers[1], ("Range".to_string(), "bytes=0-1".to_string()));
        assert!(!more);
        assert!(matches!(
            request("HEAD / HTTP/1.0\n\nbody"),
            Head::Request {
                method: Method::Head,
                more: true,
                ..
            }
        ));
        assert!(matches!(
            request("POST / HTTP/1.1\r\n\r\n"),
            Head::Request { method: Method::Other(m), .. } if m == "POST"
        ));
        assert_eq!(request("GET / HTTP/1.1\r\nHost: x\r\n"), Head::Partial);
        assert_eq!(
            request("GET / HTTP/1.1\r\nHo st: x\r\n\r\n"),
            Head::Refuse(400)
        );
        assert_eq!(request("\u{1}\u{2}\r\n\r\n"), Head::Refuse(400));
        let many: String = (0..=MOST_HEADERS)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect();
        assert_eq!(
            request(&format!("GET / HTTP/1.1\r\n{many}\r\n")),
            Head::Refuse(431)
        );
        let long = format!("GET / HTTP/1.1\r\nX: {}", "y".repeat(MOST_HEAD_BYTES));
        assert_eq!(request(&long), Head::Refuse(431));
    }

    #[test]
    fn the_end_of_a_head_is_found_in_any_line_ending() {
        assert!(ends_head(b"Host: x\r\n\r\n"));
        assert!(ends_head(b"Host: x\n\n"));
        assert!(!ends_head(b"Host: x\r\n"));
    }

    /// A connected pair of loopback sockets: (client, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    fn served(head: &str) -> Request {
        let (_client, server) = pair();
        let Head::Request {
            method,
            url,
            headers,
            ..
        } = request(head)
        else {
            panic!("a whole head: {head}");
        };
        Request {
            method,
            url,
            headers,
            refused: None,
            stream: Arc::new(server),
        }
    }

    #[test]
    fn bodies_are_seen_in_the_head() {
        assert!(!served("GET / HTTP/1.1\r\n\r\n").has_body());
        assert!(!served("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").has_body());
        assert!(served("GET / HTTP/1.1\r\ncontent-length: 5\r\n\r\n").has_body());
        assert!(served("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n").has_body());
        assert!(served("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").has_body());
    }

    #[test]
    fn heads_that_do_not_arrive_in_time_are_refused_or_dropped() {
        let (mut client, server) = pair();
        client.write_all(b"GET / HTTP/1.1\r\nHost").unwrap();
        let soon = Instant::now() + Duration::from_millis(100);
        assert_eq!(read_head(&server, soon), Head::Refuse(408));

        let (_silent, server) = pair();
        let soon = Instant::now() + Duration::from_millis(100);
        assert_eq!(read_head(&server, soon), Head::Close);

        let (mut client, server) = pair();
        client.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        client.write_all(b"Host: x\r\n\r\n").unwrap();
        let later = Instant::now() + Duration::from_secs(10);
        assert!(matches!(read_head(&server, later), Head::Request { .. }));
    }

    #[test]
    fn a_new_connection_lets_go_of_the_oldest_waiting_one() {
        let slots = Arc::new(Slots::new(2));
        let (mut first, first_server) = pair();
        let (_second, second_server) = pair();
        let (_third, third_server) = pair();
        let one = slots.admit(Arc::new(first_server));
        let two = slots.admit(Arc::new(second_server));
        // Both wait for their head: the oldest goes.
        let _three = slots.admit(Arc::new(third_server));
        first
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        assert_eq!(
            first.read(&mut [0u8; 8]).unwrap(),
            0,
            "the oldest was closed"
        );
        assert_eq!(slots.count(), 2);
        drop(one);
        assert_eq!(slots.count(), 2, "a ticket let go is already gone");
        // Connections being answered are never let go.
        two.waiting(false);
        _three.waiting(false);
        assert!(!slots.lock().has_room(slots.limit));
        drop(two);
        assert!(slots.lock().has_room(slots.limit));
    }

    #[test]
    fn the_accept_loop_runs_again_after_a_panic() {
        let mut runs = 0;
        keep_running(|| {
            runs += 1;
            assert!(runs > 2, "a deliberate panic, run {runs}");
        });
        assert_eq!(runs, 3);
    }

    #[test]
    fn a_listener_that_stops_working_is_bound_again() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let handler: Arc<Handler> = Arc::new(|request: Request| {
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Url: {}\r\n\r\n",
                request.url()
            );
            let _ = request.into_writer().write_all(answer.as_bytes());
        });
        let stopping = Arc::new(AtomicBool::new(false));
        let mut accept = Accept {
            listener: Some(listener),
            address,
            slots: Arc::new(Slots::new(4)),
            handler,
            stopping: stopping.clone(),
            pause: Pause::default(),
        };
        #[cfg(unix)]
        let broken = io::Error::from_raw_os_error(rustix::io::Errno::BADF.raw_os_error());
        #[cfg(not(unix))]
        let broken = io::Error::from(ErrorKind::InvalidInput);
        accept.after_error(&broken);
        assert!(accept.listener.is_none(), "the broken listener is closed");
        let running = std::thread::spawn(move || accept.run());
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut answer = String::new();
        while !answer.contains("X-Url: /again") {
            assert!(Instant::now() < deadline, "not listening again: {answer:?}");
            if let Ok(mut client) = TcpStream::connect(address) {
                client.write_all(b"GET /again HTTP/1.1\r\n\r\n").unwrap();
                answer.clear();
                let _ = client.read_to_string(&mut answer);
            }
        }
        stopping.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(address);
        running.join().unwrap();
    }

    #[test]
    fn accept_errors_are_told_apart() {
        let error = |code| io::Error::from_raw_os_error(code);
        #[cfg(unix)]
        {
            use rustix::io::Errno;
            assert_eq!(
                classify(&error(Errno::MFILE.raw_os_error())),
                AcceptError::OutOfResources
            );
            assert_eq!(
                classify(&error(Errno::NFILE.raw_os_error())),
                AcceptError::OutOfResources
            );
            assert_eq!(
                classify(&error(Errno::BADF.raw_os_error())),
                AcceptError::Broken
            );
            assert_eq!(
                classify(&error(Errno::CONNABORTED.raw_os_error())),
                AcceptError::Passing
            );
        }
        assert_eq!(
            classify(&io::Error::from(ErrorKind::Interrupted)),
            AcceptError::Passing
        );
    }

    #[test]
    fn connections_fit_in_the_open_file_limit() {
        assert_eq!(connections_for(256), 96);
        assert_eq!(connections_for(1024), MOST_CONNECTIONS);
        assert_eq!(connections_for(20), FEWEST_CONNECTIONS);
        assert_eq!(connections_for(u64::MAX), MOST_CONNECTIONS);
    }
}
