//! A tiny HTTP server for the browser tests, on 127.0.0.1: it serves a
//! built site, and it is also the proxy Chromium must use for every other
//! host, where it records the host and refuses the request.
//!
//! Serving pages with a strict Content-Security-Policy means an inline
//! script or `style=""` in a template shows up as a console error, which
//! the tests fail on. Recording proxied hosts catches a request to a third
//! party from any frame or process of the browser, not only from the page
//! being watched.

#![allow(dead_code, reason = "each browser test file uses a different subset")]

use std::io::{BufRead, BufReader, Read, Write};

use crate::common::percent_decode;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the pages may load: their own files, and the two video players
/// once a teacher clicks play.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; media-src 'self' https:; \
    frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
    object-src 'none'; base-uri 'none'; form-action 'self'";

pub struct Server {
    addr: SocketAddr,
    proxied: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Serves `root` on an ephemeral port until the test process ends.
    pub fn start(root: PathBuf) -> std::io::Result<Server> {
        Server::start_with(root, Duration::ZERO, CONTENT_SECURITY_POLICY)
    }

    /// Serves `root` as [`Server::start`] does, but answers every request
    /// for a `.js` file only after `delay`: as on a slow phone network,
    /// the page is drawn before its scripts run, so whatever the scripts
    /// move shows up as a layout shift.
    pub fn start_with_script_delay(root: PathBuf, delay: Duration) -> std::io::Result<Server> {
        Server::start_with(root, delay, CONTENT_SECURITY_POLICY)
    }

    /// [`Server::start`], sending `policy` as the Content-Security-Policy
    /// (an LMS's page that frames a package needs `frame-src 'self'`).
    pub fn start_with_policy(root: PathBuf, policy: &'static str) -> std::io::Result<Server> {
        Server::start_with(root, Duration::ZERO, policy)
    }

    fn start_with(root: PathBuf, delay: Duration, policy: &'static str) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let proxied = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&proxied);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let root = root.clone();
                let recorded = Arc::clone(&recorded);
                std::thread::spawn(move || {
                    let _ = handle(stream, &root, &recorded, delay, policy);
                });
            }
        });
        Ok(Server { addr, proxied })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address of `path` (from the site root) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    /// Hosts the browser tried to reach through the proxy, and forgets
    /// them.
    pub fn take_proxied_hosts(&self) -> Vec<String> {
        std::mem::take(&mut *self.proxied.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

fn handle(
    stream: TcpStream,
    root: &Path,
    proxied: &Mutex<Vec<String>>,
    script_delay: Duration,
    policy: &str,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers; requests here have no body we need.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    let mut stream = stream;

    // A proxy request: `CONNECT host:443` for https, an absolute URL for
    // http. Record the host and refuse.
    if method == "CONNECT" || target.starts_with("http://") || target.starts_with("https://") {
        let host = target
            .split("://")
            .last()
            .unwrap_or(target)
            .split(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_string();
        proxied.lock().unwrap_or_else(|e| e.into_inner()).push(host);
        return stream.write_all(
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }

    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let safe = !path.split('/').any(|part| part == "..") && !path.contains('\\');
    let mut file = root.join(path.trim_start_matches('/'));
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if safe && file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    if file.extension().is_some_and(|e| e == "js") {
        std::thread::sleep(script_delay);
    }
    let mut body = Vec::new();
    if let Ok(mut f) = std::fs::File::open(&file) {
        f.read_to_end(&mut body)?;
    }
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Content-Security-Policy: {policy}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "vtt" => "text/vtt",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}
