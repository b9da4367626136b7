//! What a request asks for: its path decoded, checked and mapped to a
//! file of the site, its byte range, and the type of what it gets. Pure
//! functions, so that every refusal is unit-tested.

use crate::links::percent_decode;

/// Where the live-reload files live, under the site's base path (and at
/// the server root). The router owns it, as it owns every other address
/// the server answers; the server only writes it into pages.
pub use crate::layout::INTERNAL_PREFIX;

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
    if let Some(rest) = path
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(INTERNAL_PREFIX))
    {
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
        let index = format!("{path}{}", crate::layout::HOME);
        return if exists(&index) {
            Lookup::File(index)
        } else {
            Lookup::Missing
        };
    }
    if exists(path) {
        Lookup::File(path.to_string())
    } else if exists(&format!("{path}/{}", crate::layout::HOME)) {
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
}
