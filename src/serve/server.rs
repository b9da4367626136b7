//! The HTTP side of `flippack serve`: answers requests from the snapshot
//! the rebuild loop last swapped in.
//!
//! A request path is decoded and checked by [`route`] (in [`super::request`],
//! with the other pure parts of answering):
//! anything that could name a file outside the site (`..`, `%2e%2e`, an
//! absolute path, a backslash, a NUL) is refused before any lookup. Files
//! are then looked up in the snapshot only, so no request can reach the
//! disk except for files the build itself wrote into the server's folder
//! or chose to publish from the site.
//!
//! The site is mounted at the path of `base_url` (`/` unless site.yaml says
//! otherwise), as it will be on the real host; the live-reload files answer
//! under `__flippack/` there and at the server root.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use super::files::{Body, Entry, Snapshot};
use super::http::{reason, Method, Request};
use super::reload::{self, ErrorsData, Hub, StatusData, VersionToken};
use super::request::{
    content_type, inject, lookup, parse_range, route, ByteRange, Lookup, Route, INTERNAL_PREFIX,
};
use crate::diagnostic::{Diagnostic, Style};
use crate::links::{percent_decode, root_prefix};

/// The live-reload script, served as a file so a strict
/// Content-Security-Policy (`script-src 'self'`) allows it.
const RELOAD_JS: &str = include_str!("assets/reload.js");
/// The error overlay's styles, loaded by the script into a shadow root.
const OVERLAY_CSS: &str = include_str!("assets/overlay.css");

/// One version of the site as served: the files of the last good build,
/// and the problems of the last build if it failed.
pub struct Served {
    pub snapshot: Arc<Snapshot>,
    /// The path part of `base_url`, starting and ending with `/`.
    pub base: String,
    /// The Content-Security-Policy the pages state, sent as a header too.
    pub policy: Option<String>,
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
    /// The site's folder, resolved: no file outside it is ever read but
    /// those the server rendered, in `store`.
    root: PathBuf,
    /// The folder the server writes rendered files into.
    store: PathBuf,
}

impl Shared {
    /// `root` is the site's folder with its links resolved; `store` the
    /// folder the rendered files are in.
    pub fn new(
        served: Served,
        live_reload: bool,
        instance: String,
        hub: Hub,
        root: PathBuf,
        store: PathBuf,
    ) -> Self {
        Shared {
            served: RwLock::new(Arc::new(served)),
            hub,
            live_reload,
            instance,
            root,
            store,
        }
    }

    /// Opens a served file: rendered into the store, or published from
    /// the site.
    fn open(&self, body: &Body) -> Option<File> {
        match body {
            Body::Stored(stored) => stored.open_in(&self.store),
            Body::File { path, .. } => self.open_published(path),
        }
    }

    /// Opens a file the last good build published by reference. It is
    /// read at each request, and the build that checked it may be older
    /// than what is there now: a rebuild that refused a link out of the
    /// site, or a named pipe, leaves the last good build served, so the
    /// path is checked again here rather than trusted.
    fn open_published(&self, path: &Path) -> Option<File> {
        let real = std::fs::canonicalize(path).ok()?;
        if !real.starts_with(&self.root) || !std::fs::metadata(&real).ok()?.is_file() {
            return None;
        }
        File::open(real).ok()
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

/// The `<script>` element that serve mode adds to each page. `src` is
/// relative to the page where possible, so the site also works behind a
/// proxy that mounts it under another path.
fn script_tag(src_prefix: &str, page: &str, token: &VersionToken, missing: bool) -> String {
    format!(
        "<script src=\"{src_prefix}{INTERNAL_PREFIX}reload.js\" data-page=\"{}\" data-version=\"{token}\"{} defer></script>\n",
        crate::html::escape(page),
        if missing { " data-missing" } else { "" }
    )
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

    /// Says `Connection: close`, and [`super::http`] closes the
    /// connection after it: a browser's idle keep-alive connections would
    /// otherwise hold threads while a new connection waits. On this
    /// machine a new connection costs nothing. The head and a small body
    /// go out in one write, so no part waits on the client's delayed
    /// acknowledgement.
    fn send(self, request: Request) {
        let head_only = *request.method() == Method::Head;
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
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

/// Answers one request, on the thread of its connection.
pub fn handle(request: Request, shared: &Shared) {
    if let Some(status) = request.refused() {
        return Answer::empty(status).send(request);
    }
    // Refused from the head alone: no address takes a body, and none is
    // read (see `super::http`).
    if !matches!(request.method(), Method::Get | Method::Head) {
        return Answer::empty(405).with("Allow", "GET, HEAD").send(request);
    }
    if request.has_body() {
        return Answer::empty(413).send(request);
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

/// A file of the snapshot, whole or the requested range. Read from disk
/// at each request: a file opened here stays readable to the end of the
/// answer even if a rebuild replaces it meanwhile.
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
    let mut file = shared.open(&entry.body)?;
    let (mut body, len): (Box<dyn Read + Send>, u64) = if is_html && shared.live_reload {
        let mut html = Vec::new();
        file.read_to_end(&mut html).ok()?;
        let html = maybe_inject(html, served, shared, key, status == 404);
        let len = html.len() as u64;
        (Box::new(Cursor::new(html)), len)
    } else {
        let len = file.metadata().ok()?.len();
        (Box::new(file), len)
    };
    let range = if status == 200 {
        parse_range(request.header("Range"), len)
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
            // A boxed reader has lost its `Seek`: what comes before the
            // range is read past (a page in memory) or skipped by
            // reopening the file at the range's start.
            if is_html && shared.live_reload {
                std::io::copy(&mut (&mut body).take(start), &mut std::io::sink()).ok()?;
            } else {
                let mut file = shared.open(&entry.body)?;
                file.seek(SeekFrom::Start(start)).ok()?;
                body = Box::new(file);
            }
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
    let answer = match &served.policy {
        Some(policy) => answer.with("Content-Security-Policy", policy),
        None => answer,
    };
    Some(
        answer
            .with("Content-Type", kind)
            .with("Accept-Ranges", "bytes"),
    )
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
    let text = crate::html::escape(&text);
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
}
