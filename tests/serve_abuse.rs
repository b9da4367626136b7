//! `flippack serve` under abuse: more sockets than it has file
//! descriptors, request heads that never end, hundreds of event streams,
//! bodies it never asked for. The real binary serves a copy of the demo
//! site on an ephemeral loopback port; through all of it, a page request
//! must still be answered at once.

#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use common::serve::Serve;
use common::TestSite;

/// Generous bounds for things that take milliseconds, so that a busy
/// machine does not fail the tests.
const PATIENCE: Duration = Duration::from_secs(20);
/// How fast a page must be answered while the server is under load: a
/// liveness bound, not a speed test.
const ANSWERED_WITHIN: Duration = Duration::from_secs(1);

/// Starts the server under `limits`, shell `ulimit` options such as
/// `-n 256`, or none.
fn start(site: &TestSite, limits: &str) -> Serve {
    let binary = env!("CARGO_BIN_EXE_flippack");
    let script = if limits.is_empty() {
        "exec \"$0\" serve --port 0".to_string()
    } else {
        format!("ulimit {limits} && exec \"$0\" serve --port 0")
    };
    let mut command = Command::new("sh");
    command.args(["-c", &script, binary]);
    Serve::spawn(site, command)
}

/// What these tests ask of the running server.
impl Serve {
    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.host).expect("connect to the server");
        stream
            .set_read_timeout(Some(PATIENCE))
            .expect("set a read timeout");
        stream
    }

    /// `GET path` on a new connection: the status, once the whole body
    /// announced by Content-Length has arrived.
    fn get(&self, path: &str) -> Result<u16, String> {
        let mut stream = TcpStream::connect(&self.host).map_err(|e| format!("connect: {e}"))?;
        let _ = stream.set_read_timeout(Some(PATIENCE));
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        )
        .map_err(|e| format!("send: {e}"))?;
        let (status, head, mut body) = read_head(&mut stream)?;
        let length: usize = header(&head, "Content-Length")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("no Content-Length in {head:?}"))?;
        let mut chunk = [0u8; 8192];
        while body.len() < length {
            match stream.read(&mut chunk) {
                Ok(0) => return Err("the body was cut short".into()),
                Ok(n) => body.extend_from_slice(&chunk[..n]),
                Err(e) => return Err(format!("read the body: {e}")),
            }
        }
        Ok(status)
    }

    /// Asserts that the home page is answered, and how long it took.
    fn home_page_answers(&self) -> Duration {
        let started = Instant::now();
        let status = self.get("/");
        let took = started.elapsed();
        assert_eq!(
            status,
            Ok(200),
            "the home page was not answered; the server said:\n{}",
            self.printed()
        );
        took
    }
}

/// Reads a response head: its status, the head's text and whatever came
/// after it.
fn read_head(stream: &mut TcpStream) -> Result<(u16, String, Vec<u8>), String> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(format!("closed before the head ended: {raw:?}")),
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(format!("read the head: {e}")),
        }
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    Ok((status, head, raw[split + 4..].to_vec()))
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// Whether the server closes `stream` within `within`, discarding what
/// it sends before that.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    let mut chunk = [0u8; 4096];
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let _ = stream.set_read_timeout(Some(left.max(Duration::from_millis(1))));
        match stream.read(&mut chunk) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            // Reset by the server: closed too.
            Err(_) => return true,
        }
    }
    false
}

/// Whether the server has closed `stream` by now (without waiting).
fn is_closed(mut stream: &TcpStream) -> bool {
    stream
        .set_nonblocking(true)
        .expect("make a socket non-blocking");
    let mut chunk = [0u8; 4096];
    let closed = loop {
        match stream.read(&mut chunk) {
            Ok(0) => break true,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => break false,
            Err(_) => break true,
        }
    };
    stream
        .set_nonblocking(false)
        .expect("make a socket blocking");
    closed
}

/// Lets this test process open `wanted` sockets if it may: raises its
/// own soft limit on open files to the hard one. Returns how many it can
/// open, keeping some room for everything else.
fn room_for_sockets(wanted: usize) -> usize {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let _ = setrlimit(
        Resource::Nofile,
        Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        },
    );
    let now = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
    let room = usize::try_from(now.saturating_sub(128)).unwrap_or(usize::MAX);
    wanted.min(room)
}

/// Opens an event stream and reads its head.
fn open_events(serve: &Serve) -> Result<TcpStream, String> {
    let mut stream = TcpStream::connect(&serve.host).map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_read_timeout(Some(PATIENCE));
    write!(
        stream,
        "GET /__flippack/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        serve.host
    )
    .map_err(|e| format!("send: {e}"))?;
    let (status, head, _) = read_head(&mut stream)?;
    if status != 200 || !head.contains("text/event-stream") {
        return Err(format!("not an event stream: {head}"));
    }
    Ok(stream)
}

#[test]
fn slow_sockets_and_event_streams_do_not_lock_out_a_page() {
    let site = TestSite::demo();
    // 256 open files for the server, soft and hard: it cannot raise them,
    // and holds far fewer than the sockets below.
    let mut serve = start(&site, "-n 256");
    let slow_wanted = room_for_sockets(1_600) * 1_000 / 1_600;
    let streams_wanted = slow_wanted / 2;
    assert!(
        slow_wanted >= 500,
        "this machine lets the test open only {slow_wanted} sockets"
    );

    // Connections that start a request and never finish its head.
    let mut slow = Vec::new();
    let mut failed = Vec::new();
    for _ in 0..slow_wanted {
        match TcpStream::connect(&serve.host) {
            Ok(mut stream) => {
                // A socket the server already let go may refuse this.
                let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag");
                slow.push(stream);
            }
            Err(e) => failed.push(e.to_string()),
        }
    }
    // Pages listening for reloads, far more than a browser opens.
    let mut streams = Vec::new();
    for _ in 0..streams_wanted {
        match open_events(&serve) {
            Ok(stream) => streams.push(stream),
            Err(e) => failed.push(e),
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} connections failed, the first: {:?}",
        failed.len(),
        slow_wanted + streams_wanted,
        failed.first()
    );
    let took = serve.home_page_answers();
    eprintln!(
        "{} slow sockets, {} event streams: the home page took {:.1} ms",
        slow.len(),
        streams.len(),
        took.as_secs_f64() * 1000.0
    );
    assert!(
        took < ANSWERED_WITHIN,
        "the home page took {took:?} under load"
    );

    // Older streams were let go: pages fall back to asking for status.
    let deadline = Instant::now() + PATIENCE;
    loop {
        let still_open = streams.iter().filter(|s| !is_closed(s)).count();
        if still_open <= 64 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{still_open} event streams are still open"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    drop(slow);
    drop(streams);
    let slowest = (0..20).map(|_| serve.home_page_answers()).max();
    eprintln!("afterwards, the slowest of 20 took {slowest:?}");
    assert!(
        slowest < Some(ANSWERED_WITHIN),
        "after the load: {slowest:?}"
    );
    assert!(serve.is_running());
}

#[test]
fn request_bodies_are_refused_before_they_are_sent() {
    let site = TestSite::demo();
    let mut serve = start(&site, "");
    for (method, status) in [("POST", 405), ("PUT", 405), ("GET", 413)] {
        let mut stream = serve.connect();
        write!(
            stream,
            "{method} / HTTP/1.1\r\nHost: {}\r\nContent-Length: 100000000\r\n\r\n",
            serve.host
        )
        .expect("send the head");
        // Not a byte of the 100 MB is sent: the answer comes anyway.
        let started = Instant::now();
        let (got, head, _) =
            read_head(&mut stream).unwrap_or_else(|e| panic!("{method} with a 100 MB body: {e}"));
        assert_eq!(got, status, "{method}: {head}");
        assert!(started.elapsed() < PATIENCE);
        assert!(
            closed_within(&mut stream, PATIENCE),
            "{method}: the connection stays open for the body"
        );
    }

    // A body the size of no memory, announced or chunked.
    for body in [
        "Content-Length: 1000000000000000",
        "Transfer-Encoding: chunked",
    ] {
        let mut stream = serve.connect();
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {}\r\n{body}\r\n\r\n",
            serve.host
        )
        .expect("send the head");
        let (got, head, _) = read_head(&mut stream).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(got, 413, "{body}: {head}");
    }
    assert!(serve.is_running(), "{}", serve.printed());
    serve.home_page_answers();
}

#[test]
fn a_request_head_that_never_ends_is_cut_off() {
    let site = TestSite::demo();
    let serve = start(&site, "");
    let mut partial = serve.connect();
    partial
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .expect("send part of a head");
    let mut silent = serve.connect();
    // Meanwhile everyone else is answered.
    serve.home_page_answers();
    // After 10 seconds without a whole head, both are let go.
    let started = Instant::now();
    assert!(
        closed_within(&mut partial, PATIENCE),
        "a head that never ends keeps its connection"
    );
    assert!(
        closed_within(&mut silent, PATIENCE),
        "a connection that sends nothing stays open"
    );
    assert!(started.elapsed() < PATIENCE);
    serve.home_page_answers();
}

#[test]
fn each_connection_answers_one_request_and_closes() {
    let site = TestSite::demo();
    let serve = start(&site, "");
    let mut stream = serve.connect();
    // HTTP/1.1 keeps connections open unless told otherwise.
    write!(
        stream,
        "GET /static/style.css HTTP/1.1\r\nHost: {}\r\n\r\n",
        serve.host
    )
    .expect("send a request");
    let (status, head, _) = read_head(&mut stream).expect("an answer");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "Connection"), Some("close"));
    assert!(
        closed_within(&mut stream, Duration::from_secs(5)),
        "the server said Connection: close but kept the connection"
    );
    let _ = stream.shutdown(Shutdown::Both);
}

#[test]
fn event_streams_beyond_64_close_the_oldest() {
    let site = TestSite::demo();
    let serve = start(&site, "");
    let mut streams: Vec<TcpStream> = (0..80)
        .map(|i| open_events(&serve).unwrap_or_else(|e| panic!("stream {i}: {e}")))
        .collect();
    for (i, stream) in streams.iter_mut().enumerate().take(16) {
        assert!(
            closed_within(stream, PATIENCE),
            "stream {i} of 80 is still open"
        );
    }
    let mut newest = BufReader::new(streams.pop().expect("80 streams"));
    for (i, stream) in streams.iter().enumerate().skip(16) {
        assert!(!is_closed(stream), "stream {i} of 80 was closed");
    }
    // The newest still hears about rebuilds.
    site.replace(
        "content/packs/questioning-wait-time/pack.md",
        "title: Questioning and wait time",
        "title: Wait time",
    );
    let deadline = Instant::now() + PATIENCE;
    let mut line = String::new();
    while !line.starts_with("event: reload") {
        assert!(
            Instant::now() < deadline,
            "no reload event on the newest stream"
        );
        line.clear();
        let _ = newest.read_line(&mut line);
    }
}

/// The server takes all the open files the system allows it.
#[cfg(target_os = "linux")]
#[test]
fn the_open_file_limit_is_raised_to_the_hard_limit() {
    let site = TestSite::demo();
    let serve = start(&site, "-S -n 256");
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", serve.pid()))
        .expect("read the server's limits");
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .expect("a line for open files");
    let numbers: Vec<&str> = line.split_whitespace().skip(3).take(2).collect();
    assert_eq!(numbers.len(), 2, "{line}");
    assert_ne!(numbers[0], "256", "{line}");
    assert_eq!(numbers[0], numbers[1], "{line}");
}
