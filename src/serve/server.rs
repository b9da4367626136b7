//! The HTTP side of `flippack serve`: answers requests from the snapshot
//! the rebuild loop last swapped in.
//!
//! A request path is decoded and checked by [`route`], a pure function:
//! anything that could name a file outside the site (`..`, `%2e%2e`, an
//! absolute path, a backslash, a NUL) is refused before any lookup. Files
//! are then looked up in the in-memory snapshot only, so no request can
//! reach the disk except for files the build itself chose to publish.
//!
//! The site is mounted at the path of `base_url` (`/` unless site.yaml says
//! otherwise), as it will be on the real host; the live-reload files answer
//! under `__flippack/` there and at the server root.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, RwLock};

use tiny_http::{Method, Request, StatusCode};

use super::files::{Body, Entry, Snapshot};
use super::reload::{self, ErrorsData, Hub, StatusData, VersionToken};
use crate::diagnostic::{Diagnostic, Style};
use crate::links::root_prefix;

/// The live-reload script, served as a file so a strict
/// Content-Security-Policy (`script-src 'self'`) allows it.
const RELOAD_JS: &str = include_str!("assets/reload.js");
/// The error overlay's styles, loaded by the script into a shadow root.
const OVERLAY_CSS: &str = include_str!("assets/overlay.css");
/// Where the live-reload files live, under the site's base path.
pub const INTERNAL_PREFIX: &str = "__flippack/";

/// One version of the site as served: the files of the last good build,
/// and the problems of the last build if it failed.
pub struct Served {
    pub snapshot: Arc<Snapshot>,
    /// The path part of `base_url`, starting and ending with `/`.
    pub base: String,
    /// Errors of the latest build; empty when it succeeded.
    pub problems: Arc<Vec<Diagnostic>>,
}

/// What the request threads share with the rebuild loop.
pub struct Shared {
    served: RwLock<Arc<Served>>,
    pub hub: Hub,
    pub live_reload: bool,
    /// Tells this process's versions from a previous run's.
    pub instance: String,
}

impl Shared {
    pub fn new(served: Served, live_reload: bool, instance: String) -> Self {
        Shared {
            served: RwLock::new(Arc::new(served)),
            hub: Hub::default(),
            live_reload,
            instance,
        }
    }

    /// The site being served now.
    pub fn current(&self) -> Arc<Served> {
        self.served
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Swaps in a new version; requests already running finish with the
    /// old one.
    pub fn replace(&self, served: Served) {
        *self
            .served
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(served);
    }

    pub fn token(&self, version: u64) -> VersionToken {
        VersionToken {
            instance: self.instance.clone(),
            version,
        }
    }
}

/// Answers requests until the server is unblocked, one thread per request
/// (an event stream or a long video download must not hold up the rest).
pub fn run(server: Arc<tiny_http::Server>, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("flippack-request".into())
            .spawn(move || handle(request, &shared));
        if let Err(err) = spawned {
            eprintln!("cannot answer a request: {err}");
        }
    }
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// A file of the site: the output path, relative to the site root;
    /// empty or ending in `/` for a folder.
    Site(String),
    /// A live-reload file, by name (`events`, `reload.js`).
    Internal(String),
    /// The server root or the base path without its slash: send the
    /// browser to the base path.
    ToBase,
    /// Not part of the site, or refused.
    NotFound,
}

/// Decodes and checks a request path (without its query) and says where it
/// leads. Pure, so every refusal is unit-tested.
pub fn route(raw_path: &str, base: &str) -> Route {
    let Some(path) = percent_decode(raw_path) else {
        return Route::NotFound;
    };
    if !path.starts_with('/') || path.contains(['\\', '\0']) {
        return Route::NotFound;
    }
    let internal = |rest: &str| match rest {
        "events" | "status" | "reload.js" | "overlay.css" => Route::Internal(rest.to_string()),
        _ => Route::NotFound,
    };
    if let Some(rest) = path.strip_prefix("/__flippack/") {
        return internal(rest);
    }
    let Some(rest) = path.strip_prefix(base) else {
        return if path == "/" || path == base.trim_end_matches('/') {
            Route::ToBase
        } else {
            Route::NotFound
        };
    };
    if let Some(rest) = rest.strip_prefix(INTERNAL_PREFIX) {
        return internal(rest);
    }
    if is_safe_relative(rest) {
        Route::Site(rest.to_string())
    } else {
        Route::NotFound
    }
}

/// A path that stays inside the site: no `.` or `..` segment, no empty
/// segment (`a//b`, a leading `/`), no drive letter.
fn is_safe_relative(path: &str) -> bool {
    if path.is_empty() {
        return true;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let drive = segments[0].len() == 2 && segments[0].ends_with(':');
    !drive
        && segments
            .iter()
            .enumerate()
            .all(|(i, s)| !matches!(*s, "." | "..") && (!s.is_empty() || i == last))
}

/// `%XX` escapes decoded; `None` for a malformed escape or bytes that are
/// not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What a site path names in the snapshot.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    File(String),
    /// A folder asked for without its trailing slash: redirect, so that
    /// the page's relative links resolve.
    AddSlash,
    Missing,
}

pub fn lookup(path: &str, exists: impl Fn(&str) -> bool) -> Lookup {
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return if exists(&index) {
            Lookup::File(index)
        } else {
            Lookup::Missing
        };
    }
    if exists(path) {
        Lookup::File(path.to_string())
    } else if exists(&format!("{path}/index.html")) {
        Lookup::AddSlash
    } else {
        Lookup::Missing
    }
}

/// The part of a file a `Range` header asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// No usable range: send the whole file.
    Whole,
    /// From `start` to `end`, inclusive.
    Part { start: u64, end: u64 },
    /// Starts past the end of the file.
    Unsatisfiable,
}

/// Parses a single `bytes=` range. Several ranges, or a header that does
/// not parse, get the whole file, as RFC 9110 allows.
pub fn parse_range(header: Option<&str>, len: u64) -> ByteRange {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return ByteRange::Whole;
    };
    if spec.contains(',') {
        return ByteRange::Whole;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return ByteRange::Whole;
    };
    let (start, end) = (start.trim(), end.trim());
    let parsed = |s: &str| s.parse::<u64>().ok();
    match (start.is_empty(), end.is_empty()) {
        (true, false) => match parsed(end) {
            Some(0) => ByteRange::Unsatisfiable,
            Some(_) if len == 0 => ByteRange::Unsatisfiable,
            Some(n) => ByteRange::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
            None => ByteRange::Whole,
        },
        (false, _) => {
            let Some(first) = parsed(start) else {
                return ByteRange::Whole;
            };
            let last = if end.is_empty() {
                Some(u64::MAX)
            } else {
                parsed(end)
            };
            match last {
                Some(last) if last < first => ByteRange::Whole,
                Some(_) if first >= len => ByteRange::Unsatisfiable,
                Some(last) => ByteRange::Part {
                    start: first,
                    end: last.min(len - 1),
                },
                None => ByteRange::Whole,
            }
        }
        (true, true) => ByteRange::Whole,
    }
}

/// The `Content-Type` for an output path, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// Inserts `tag` before `</head>` (or `</body>`, or at the end).
pub fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let at = find_ignore_case(html, b"</head>")
        .or_else(|| find_ignore_case(html, b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// The `<script>` element that serve mode adds to each page. `src` is
/// relative to the page where possible, so the site also works behind a
/// proxy that mounts it under another path.
fn script_tag(src_prefix: &str, page: &str, token: &VersionToken, missing: bool) -> String {
    format!(
        "<script src=\"{src_prefix}{INTERNAL_PREFIX}reload.js\" data-page=\"{}\" data-version=\"{token}\"{} defer></script>\n",
        escape_attribute(page),
        if missing { " data-missing" } else { "" }
    )
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// A response, written to the socket by [`Answer::send`].
struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Box<dyn Read + Send>,
    len: u64,
}

impl Answer {
    fn new(status: u16, content_type: &str, bytes: Vec<u8>) -> Answer {
        let len = bytes.len() as u64;
        Answer {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: Box::new(Cursor::new(bytes)),
            len,
        }
    }

    fn empty(status: u16) -> Answer {
        Answer::new(status, "text/plain; charset=utf-8", Vec::new())
    }

    fn with(mut self, name: &'static str, value: &str) -> Answer {
        // A value never spans lines: no header can be smuggled in.
        if !value.contains(['\r', '\n']) {
            self.headers.retain(|(n, _)| *n != name);
            self.headers.push((name, value.to_string()));
        }
        self
    }

    /// Writes the response itself rather than through tiny_http's
    /// `Response`, to say `Connection: close`: tiny_http serves each
    /// connection on a thread of a small pool, and a browser's idle
    /// keep-alive connections can hold every thread while a new
    /// connection waits (the page never finishes loading). Closing after
    /// each answer keeps the threads turning over; on this machine a new
    /// connection costs nothing. The head and a small body go out in one
    /// write, so no part waits on the client's delayed acknowledgement.
    fn send(self, request: Request) {
        let head_only = *request.method() == Method::Head;
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            StatusCode(self.status).default_reason_phrase()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
            self.len
        ));
        let mut out = head.into_bytes();
        let mut body = self.body;
        if !head_only {
            // Up to 1 MB in the same write as the head; the rest streams.
            let _ = (&mut body).take(1 << 20).read_to_end(&mut out);
        }
        let mut writer = request.into_writer();
        // A browser that gave up on a request is no error of ours.
        let _ = writer.write_all(&out);
        if !head_only {
            let _ = std::io::copy(&mut body, &mut writer);
        }
        let _ = writer.flush();
    }
}

/// An `Arc<[u8]>` seen as a byte slice, so a range of it can be sent
/// without copying.
struct SharedBytes(Arc<[u8]>, std::ops::Range<usize>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0[self.1.clone()]
    }
}

fn handle(request: Request, shared: &Shared) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return Answer::empty(405).with("Allow", "GET, HEAD").send(request);
    }
    let served = shared.current();
    let url = request.url().to_string();
    let (raw_path, query) = match url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (url.as_str(), None),
    };
    let raw_path = raw_path.split('#').next().unwrap_or(raw_path);
    let with_query = |location: &str| match query {
        Some(q) => format!("{location}?{q}"),
        None => location.to_string(),
    };
    match route(raw_path, &served.base) {
        Route::ToBase => Answer::empty(302)
            .with("Location", &with_query(&served.base))
            .send(request),
        Route::Internal(name) if shared.live_reload => {
            internal(request, &name, query.unwrap_or(""), &served, shared)
        }
        Route::Internal(_) | Route::NotFound => not_found(request, &served, shared),
        Route::Site(path) => match lookup(&path, |p| served.snapshot.files.contains_key(p)) {
            Lookup::File(key) => {
                let answer = file_answer(&request, &served, shared, &key, 200);
                match answer {
                    Some(answer) => answer.send(request),
                    None => not_found(request, &served, shared),
                }
            }
            Lookup::AddSlash => Answer::empty(302)
                .with("Location", &with_query(&format!("{raw_path}/")))
                .send(request),
            Lookup::Missing => not_found(request, &served, shared),
        },
    }
}

/// The site's own 404 page with status 404; while no build has succeeded
/// yet, a page listing the problems instead.
fn not_found(request: Request, served: &Served, shared: &Shared) {
    if served.snapshot.files.is_empty() && !served.problems.is_empty() {
        let html = problems_page(&served.problems);
        let html = maybe_inject(html.into_bytes(), served, shared, "", true);
        return Answer::new(503, content_type("x.html"), html).send(request);
    }
    match file_answer(&request, served, shared, "404.html", 404) {
        Some(answer) => answer.send(request),
        None => Answer::new(404, "text/plain; charset=utf-8", b"Not found".to_vec()).send(request),
    }
}

fn maybe_inject(
    html: Vec<u8>,
    served: &Served,
    shared: &Shared,
    page: &str,
    missing: bool,
) -> Vec<u8> {
    if !shared.live_reload {
        return html;
    }
    // A missing page is answered at any depth, so its script is found
    // from the base path rather than relatively.
    let prefix = if missing {
        served.base.clone()
    } else {
        root_prefix(page)
    };
    let token = shared.token(served.snapshot.version);
    inject(&html, &script_tag(&prefix, page, &token, missing))
}

/// A file of the snapshot, whole or the requested range.
fn file_answer(
    request: &Request,
    served: &Served,
    shared: &Shared,
    key: &str,
    status: u16,
) -> Option<Answer> {
    let entry: &Entry = served.snapshot.files.get(key)?;
    let kind = content_type(key);
    let is_html = kind.starts_with("text/html");
    let (body, len): (Box<dyn Read + Send>, u64) = match &entry.body {
        Body::Bytes(bytes) if is_html && shared.live_reload => {
            let html = maybe_inject(bytes.to_vec(), served, shared, key, status == 404);
            let len = html.len() as u64;
            (Box::new(Cursor::new(html)), len)
        }
        Body::Bytes(bytes) => {
            let len = bytes.len();
            (
                Box::new(Cursor::new(SharedBytes(bytes.clone(), 0..len))),
                len as u64,
            )
        }
        Body::File { path, .. } if is_html && shared.live_reload => {
            let html = std::fs::read(path).ok()?;
            let html = maybe_inject(html, served, shared, key, status == 404);
            let len = html.len() as u64;
            (Box::new(Cursor::new(html)), len)
        }
        Body::File { path, .. } => {
            let file = File::open(path).ok()?;
            let len = file.metadata().ok()?.len();
            (Box::new(file), len)
        }
    };
    let range = if status == 200 {
        parse_range(
            request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Range"))
                .map(|h| h.value.as_str()),
            len,
        )
    } else {
        ByteRange::Whole
    };
    let answer = match range {
        ByteRange::Whole => Answer {
            status,
            headers: Vec::new(),
            body,
            len,
        },
        ByteRange::Part { start, end } => {
            let mut body = body;
            skip(&mut body, &entry.body, start)?;
            let count = end - start + 1;
            Answer {
                status: 206,
                headers: Vec::new(),
                body: Box::new(body.take(count)),
                len: count,
            }
            .with("Content-Range", &format!("bytes {start}-{end}/{len}"))
        }
        ByteRange::Unsatisfiable => {
            Answer::empty(416).with("Content-Range", &format!("bytes */{len}"))
        }
    };
    Some(
        answer
            .with("Content-Type", kind)
            .with("Accept-Ranges", "bytes"),
    )
}

/// Moves `body` forward by `count` bytes: a seek for files, a read for
/// memory (which is cheap).
fn skip(body: &mut Box<dyn Read + Send>, source: &Body, count: u64) -> Option<()> {
    if let Body::File { path, .. } = source {
        // Reopen to seek: the boxed reader has lost its `Seek`.
        let mut file = File::open(path).ok()?;
        file.seek(SeekFrom::Start(count)).ok()?;
        *body = Box::new(file);
        return Some(());
    }
    std::io::copy(&mut body.take(count), &mut std::io::sink()).ok()?;
    Some(())
}

fn internal(request: Request, name: &str, query: &str, served: &Served, shared: &Shared) {
    match name {
        "reload.js" => {
            Answer::new(200, content_type("x.js"), RELOAD_JS.as_bytes().to_vec()).send(request)
        }
        "overlay.css" => {
            Answer::new(200, content_type("x.css"), OVERLAY_CSS.as_bytes().to_vec()).send(request)
        }
        "status" => {
            let status = status(query, served, shared);
            let json = serde_json::to_vec(&status).unwrap_or_default();
            Answer::new(200, "application/json", json).send(request)
        }
        "events" => {
            let first = (!served.problems.is_empty()).then(|| {
                let token = shared.token(served.snapshot.version);
                reload::event("errors", &ErrorsData::new(&token, &served.problems))
            });
            shared.hub.stream(request.into_writer(), first);
        }
        _ => not_found(request, served, shared),
    }
}

/// Answers a page that asks whether it is stale: `page` is its output
/// path, `v` the version token it was served with, `missing` present when
/// it was a 404 (which any rebuild may have fixed).
fn status(query: &str, served: &Served, shared: &Shared) -> StatusData {
    let params: HashMap<String, String> = query
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((
                percent_decode(key)?,
                percent_decode(&value.replace('+', " "))?,
            ))
        })
        .collect();
    let version = served.snapshot.version;
    let stale = match params.get("v").and_then(|v| VersionToken::parse(v)) {
        Some(token) if token.instance == shared.instance => {
            if params.contains_key("missing") {
                token.version != version
            } else {
                let page = params.get("page").map_or("", String::as_str);
                served.snapshot.changed_since(page, token.version)
            }
        }
        _ => true,
    };
    let token = shared.token(version);
    StatusData {
        version: token.to_string(),
        stale,
        errors: (!served.problems.is_empty()).then(|| ErrorsData::new(&token, &served.problems)),
    }
}

/// Shown for every page while the site has never built: the problems, as
/// in the terminal. The reload script replaces it once a build succeeds.
fn problems_page(problems: &[Diagnostic]) -> String {
    let mut text = String::new();
    for d in problems {
        text.push_str(&d.render(&Style::plain()));
        text.push('\n');
    }
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<title>The site has problems · flippack</title>\n</head>\n<body>\n<main>\n\
<h1>The site has problems</h1>\n<p>flippack could not build the site yet. Fix these and save; this page reloads by itself.</p>\n\
<pre>{text}</pre>\n</main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_site_paths_under_the_base() {
        assert_eq!(route("/", "/"), Route::Site(String::new()));
        assert_eq!(route("/packs/ell/", "/"), Route::Site("packs/ell/".into()));
        assert_eq!(
            route("/packs/ell/clip%20one.mp4", "/"),
            Route::Site("packs/ell/clip one.mp4".into())
        );
        assert_eq!(route("/pd/", "/pd/"), Route::Site(String::new()));
        assert_eq!(
            route("/pd/index.html", "/pd/"),
            Route::Site("index.html".into())
        );
        assert_eq!(route("/", "/pd/"), Route::ToBase);
        assert_eq!(route("/pd", "/pd/"), Route::ToBase);
        assert_eq!(route("/other/", "/pd/"), Route::NotFound);
    }

    #[test]
    fn routes_live_reload_files_at_the_root_and_under_the_base() {
        assert_eq!(
            route("/__flippack/events", "/"),
            Route::Internal("events".into())
        );
        assert_eq!(
            route("/pd/__flippack/reload.js", "/pd/"),
            Route::Internal("reload.js".into())
        );
        assert_eq!(
            route("/__flippack/status", "/pd/"),
            Route::Internal("status".into())
        );
        assert_eq!(route("/__flippack/../site.yaml", "/"), Route::NotFound);
        assert_eq!(route("/__flippack/other", "/"), Route::NotFound);
    }

    #[test]
    fn refuses_every_path_that_could_leave_the_site() {
        for path in [
            "/../Cargo.toml",
            "/%2e%2e/",
            "/%2E%2E/site.yaml",
            "/..%2fsite.yaml",
            "/..%2Fsite.yaml",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/packs/../../site.yaml",
            "/packs/./ell/",
            "/packs/%2e/ell/",
            "/packs//ell/",
            "/..\\site.yaml",
            "/%5c..%5csite.yaml",
            "/packs/ell%00.html",
            "/C:/Windows/win.ini",
            "/c%3a/Windows/win.ini",
            "/%zz",
            "/%c3%28",
            "relative",
            "/pd/../site.yaml",
        ] {
            assert_eq!(route(path, "/"), Route::NotFound, "{path}");
        }
        assert_eq!(route("/pd/..%2f..%2fsite.yaml", "/pd/"), Route::NotFound);
        assert_eq!(route("/pd/%2e%2e/", "/pd/"), Route::NotFound);
    }

    #[test]
    fn dots_inside_names_are_fine() {
        assert_eq!(
            route("/packs/ell/notes..v2.pdf", "/"),
            Route::Site("packs/ell/notes..v2.pdf".into())
        );
        assert_eq!(
            route("/packs/ell/.well", "/"),
            Route::Site("packs/ell/.well".into())
        );
    }

    #[test]
    fn looks_up_folders_and_redirects_without_slash() {
        let files = ["index.html", "packs/ell/index.html", "static/style.css"];
        let exists = |p: &str| files.contains(&p);
        assert_eq!(lookup("", exists), Lookup::File("index.html".into()));
        assert_eq!(
            lookup("packs/ell/", exists),
            Lookup::File("packs/ell/index.html".into())
        );
        assert_eq!(lookup("packs/ell", exists), Lookup::AddSlash);
        assert_eq!(
            lookup("static/style.css", exists),
            Lookup::File("static/style.css".into())
        );
        assert_eq!(lookup("packs/", exists), Lookup::Missing);
        assert_eq!(lookup("packs/rti", exists), Lookup::Missing);
    }

    #[test]
    fn parses_ranges() {
        use ByteRange::*;
        let r = |h: &str| parse_range(Some(h), 100);
        assert_eq!(parse_range(None, 100), Whole);
        assert_eq!(r("bytes=0-9"), Part { start: 0, end: 9 });
        assert_eq!(r("bytes=90-"), Part { start: 90, end: 99 });
        assert_eq!(r("bytes=90-500"), Part { start: 90, end: 99 });
        assert_eq!(r("bytes=-10"), Part { start: 90, end: 99 });
        assert_eq!(r("bytes=-500"), Part { start: 0, end: 99 });
        assert_eq!(r("bytes=100-"), Unsatisfiable);
        assert_eq!(r("bytes=-0"), Unsatisfiable);
        assert_eq!(r("bytes=5-1"), Whole);
        assert_eq!(r("bytes=0-1,5-6"), Whole);
        assert_eq!(r("items=0-1"), Whole);
        assert_eq!(r("bytes=x-1"), Whole);
        assert_eq!(r("bytes=-"), Whole);
        assert_eq!(parse_range(Some("bytes=0-"), 0), Unsatisfiable);
    }

    #[test]
    fn content_types_by_extension() {
        for (path, kind) in [
            ("index.html", "text/html; charset=utf-8"),
            ("static/style.css", "text/css; charset=utf-8"),
            ("search-index.js", "text/javascript; charset=utf-8"),
            ("x.json", "application/json"),
            ("atom.xml", "application/xml"),
            ("logo.SVG", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.webp", "image/webp"),
            ("talk.mp3", "audio/mpeg"),
            ("clip.mp4", "video/mp4"),
            ("clip.vtt", "text/vtt; charset=utf-8"),
            ("rubric.pdf", "application/pdf"),
            ("packs/x/README", "application/octet-stream"),
            ("packs/x.y/README", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), kind, "{path}");
        }
    }

    #[test]
    fn injects_before_the_end_of_head() {
        let tag = "<script src=\"x\"></script>";
        assert_eq!(
            inject(b"<html><head><title>t</title></HEAD><body></body>", tag),
            b"<html><head><title>t</title><script src=\"x\"></script></HEAD><body></body>"
        );
        assert_eq!(
            inject(b"<p>no head</p></body>", tag),
            b"<p>no head</p><script src=\"x\"></script></body>"
        );
        assert_eq!(inject(b"bare", tag), b"bare<script src=\"x\"></script>");
    }

    #[test]
    fn the_script_tag_names_the_page_and_version() {
        let token = VersionToken {
            instance: "ab".into(),
            version: 3,
        };
        assert_eq!(
            script_tag("../../", "packs/ell/index.html", &token, false),
            "<script src=\"../../__flippack/reload.js\" data-page=\"packs/ell/index.html\" data-version=\"ab-3\" defer></script>\n"
        );
        assert!(script_tag("/pd/", "404.html", &token, true).contains(" data-missing defer"));
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b%2F").as_deref(), Some("a b/"));
        assert_eq!(percent_decode("caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(percent_decode("%"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
