//! `flippack serve` over real HTTP: the binary serves a copy of the demo
//! site on an ephemeral port, and these tests edit its files and watch what
//! the server answers and which events it sends.

mod common;
#[allow(dead_code, reason = "these tests use part of the generator's API")]
#[path = "../examples/gen-site/synth.rs"]
mod synth;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::serve::Serve;
use common::TestSite;

/// Generous bounds for things that should take milliseconds, so a busy
/// machine does not fail the tests; the tests wait for events, not time.
const REBUILD: Duration = Duration::from_secs(20);

/// What these tests ask of the running server.
impl Serve {
    fn get(&self, path: &str) -> Response {
        request(&self.host, "GET", path, &[])
    }

    fn events(&self) -> Events {
        Events::open(&self.host, &format!("{}__flippack/events", self.base))
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request, sent as written: the path is not normalised or
/// escaped, which is the point of the path-traversal tests.
fn request(host: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut stream = TcpStream::connect(host).expect("connect to the server");
    stream
        .set_read_timeout(Some(REBUILD))
        .expect("set a read timeout");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send a request");
    // Read the head, then as many bytes as it announces, as a browser does
    // (which does not wait for the server to close the connection).
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).expect("read the response head");
        assert!(n > 0, "the connection closed before the head ended");
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .expect("every answer has a Content-Length");
    let mut body = raw[split + 4..].to_vec();
    if method != "HEAD" {
        while body.len() < length {
            let n = stream.read(&mut chunk).expect("read the response body");
            assert!(n > 0, "the connection closed before the body ended");
            body.extend_from_slice(&chunk[..n]);
        }
    }
    Response {
        status,
        headers,
        body,
    }
}

/// A Server-Sent Events stream, read line by line.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(host: &str, path: &str) -> Events {
        let mut stream = TcpStream::connect(host).expect("connect to the event stream");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("ask for the event stream");
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("set a read timeout");
        let mut reader = BufReader::new(stream);
        let deadline = Instant::now() + REBUILD;
        let mut head = String::new();
        // The head ends with an empty line; then the stream is registered.
        while !head.ends_with("\r\n\r\n") {
            assert!(Instant::now() < deadline, "no event stream head: {head:?}");
            let mut line = String::new();
            if reader.read_line(&mut line).is_ok() {
                head.push_str(&line);
            }
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("text/event-stream"), "{head}");
        Events { reader }
    }

    /// The next event (name, data) within `within`, or `None`.
    fn next(&mut self, within: Duration) -> Option<(String, String)> {
        let deadline = Instant::now() + within;
        let (mut name, mut data) = (String::new(), String::new());
        let mut line = String::new();
        while Instant::now() < deadline {
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) if line.ends_with('\n') => {
                    let text = line.trim_end_matches(['\r', '\n']).to_string();
                    line.clear();
                    if let Some(value) = text.strip_prefix("event: ") {
                        name = value.to_string();
                    } else if let Some(value) = text.strip_prefix("data: ") {
                        data = value.to_string();
                    } else if text.is_empty() && !name.is_empty() {
                        return Some((name, data));
                    }
                }
                // A timeout leaves the partial line in `line`.
                _ => {}
            }
        }
        None
    }

    /// Waits for an event named `name` whose data contains `text`.
    fn wait_for(&mut self, name: &str, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left) {
                Some((n, data)) if n == name && data.contains(text) => return data,
                Some(other) => seen.push(other),
                None => break,
            }
        }
        panic!("no `{name}` event with {text:?} within {within:?}; saw {seen:?}");
    }
}

/// The text between `<title>` and `</title>`.
fn title_of(html: &str) -> &str {
    let start = html.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = html[start..]
        .find("</title>")
        .map_or(html.len(), |i| start + i);
    &html[start..end]
}

#[test]
fn pages_get_the_reload_script_and_builds_do_not() {
    let site = TestSite::demo();
    let serve = Serve::start(&site, &[]);

    let page = serve.get("/packs/ell-communication/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
    let html = page.text();
    assert!(
        html.contains(r#"<script src="../../__flippack/reload.js" data-page="packs/ell-communication/index.html""#),
        "{html}"
    );
    assert!(!html.contains("<script>"), "no inline script");

    let script = serve.get("/__flippack/reload.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("EventSource"));
    assert_eq!(serve.get("/__flippack/overlay.css").status, 200);

    // Serving writes nothing into the site, and a build has no trace of
    // the dev server.
    assert!(!site.path("public").exists(), "serve wrote public/");
    site.run(&["build"]).ok();
    for (path, bytes) in common::snapshot(&site.path("public")) {
        assert!(!path.contains("__flippack"), "{path}");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__flippack"),
            "{path} mentions the dev server"
        );
    }
}

/// The policy a page states in its `<meta>`, as the browser reads it.
fn meta_policy(html: &str) -> Option<String> {
    let tag = "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let start = html.find(tag)? + tag.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].replace("&#39;", "'"))
}

#[test]
fn every_answer_sends_the_pages_content_security_policy() {
    let site = TestSite::demo();
    site.replace(
        "site.yaml",
        "video_hosts: [www.youtube-nocookie.com, player.vimeo.com]",
        "video_hosts: [media.district.example]",
    );
    let serve = Serve::start(&site, &[]);
    let page = serve.get("/packs/ell-communication/");
    let policy = meta_policy(&page.text()).expect("the page states a policy");
    assert!(
        policy.contains("frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://media.district.example;"),
        "{policy}"
    );
    for path in [
        "/packs/ell-communication/",
        "/no-such-page",
        "/static/style.css",
        "/",
    ] {
        let answer = serve.get(path);
        assert_eq!(
            answer.header("Content-Security-Policy"),
            Some(policy.as_str()),
            "{path}"
        );
        assert_eq!(
            answer.header("X-Content-Type-Options"),
            Some("nosniff"),
            "{path}"
        );
    }
}

#[test]
fn editing_a_pack_title_changes_the_page_and_sends_a_reload_event() {
    let site = TestSite::demo();
    let serve = Serve::start(&site, &[]);
    let mut events = serve.events();
    let before = serve.get("/packs/time-management/").text();
    assert!(title_of(&before).starts_with("Time management for teachers"));

    site.replace(
        "content/packs/time-management/pack.md",
        "title: \"Time management for teachers: protecting planning time\"",
        "title: Guarding planning time",
    );
    // The event is what a page acts on; it must come promptly.
    let data = events.wait_for(
        "reload",
        "\"packs/time-management/index.html\"",
        Duration::from_secs(2),
    );
    assert!(
        data.contains("\"index.html\""),
        "the catalog lists the pack: {data}"
    );
    assert!(
        !data.contains("packs/rti-rollout/index.html"),
        "other packs' pages did not change: {data}"
    );
    let after = serve.get("/packs/time-management/").text();
    assert!(
        title_of(&after).starts_with("Guarding planning time"),
        "{}",
        title_of(&after)
    );
    assert!(serve.get("/").text().contains("Guarding planning time"));
}

#[test]
fn broken_front_matter_keeps_the_last_page_and_sends_the_errors() {
    let site = TestSite::demo();
    let mut serve = Serve::start(&site, &[]);
    let mut events = serve.events();
    let pack = "content/packs/rti-rollout/pack.md";
    let good = site.read(pack);

    site.replace(
        pack,
        "title: Rolling out RTI/MTSS across a district",
        "title: [unclosed",
    );
    let data = events.wait_for("errors", "content/packs/rti-rollout/pack.md", REBUILD);
    assert!(
        data.contains("\"line\":2"),
        "the error points at line 2: {data}"
    );
    assert!(data.contains("title: [unclosed"), "and quotes it: {data}");
    serve.wait_for_line("content/packs/rti-rollout/pack.md:2", REBUILD);

    // The last good page is still served, and a page that asks is told.
    let page = serve.get("/packs/rti-rollout/");
    assert_eq!(page.status, 200);
    assert!(title_of(&page.text()).starts_with("Rolling out RTI/MTSS"));
    let status = serve
        .get("/__flippack/status?page=packs/rti-rollout/index.html&v=0-0")
        .text();
    assert!(
        status.contains("content/packs/rti-rollout/pack.md"),
        "{status}"
    );

    // A new page opened now hears about the errors at once.
    let mut late = serve.events();
    late.wait_for("errors", "content/packs/rti-rollout/pack.md", REBUILD);

    site.write(
        pack,
        good.replace("Rolling out RTI/MTSS", "Rolling out MTSS"),
    );
    events.wait_for("reload", "packs/rti-rollout/index.html", REBUILD);
    let status = serve
        .get("/__flippack/status?page=packs/rti-rollout/index.html&v=0-0")
        .text();
    assert!(status.contains("\"errors\":null"), "{status}");
    assert!(title_of(&serve.get("/packs/rti-rollout/").text()).starts_with("Rolling out MTSS"));
}

#[test]
fn renamed_and_deleted_packs_lose_their_pages() {
    let site = TestSite::demo();
    // The draft pack is in no pathway, so it can go without breaking one.
    let serve = Serve::start(&site, &["--drafts"]);
    let mut events = serve.events();
    assert_eq!(serve.get("/packs/feedback-conferences/").status, 200);

    std::fs::rename(
        site.path("content/packs/feedback-conferences"),
        site.path("content/packs/feedback-chats"),
    )
    .expect("rename the pack folder");
    events.wait_for("reload", "packs/feedback-chats/index.html", REBUILD);
    let old = serve.get("/packs/feedback-conferences/");
    assert_eq!(old.status, 404);
    assert!(old.text().contains("Page not found"), "the site's 404 page");
    assert_eq!(serve.get("/packs/feedback-chats/").status, 200);

    std::fs::remove_dir_all(site.path("content/packs/feedback-chats")).expect("delete the pack");
    events.wait_for("reload", "packs/feedback-chats/index.html", REBUILD);
    assert_eq!(serve.get("/packs/feedback-chats/").status, 404);
    assert_eq!(
        serve
            .get("/packs/feedback-chats/guide-conference-routine/")
            .status,
        404
    );
    assert!(!serve.get("/").text().contains("feedback-chats"));
}

#[test]
fn a_content_folder_taken_away_and_put_back_is_watched_again() {
    let site = TestSite::demo();
    let serve = Serve::start(&site, &[]);
    let mut events = serve.events();

    // As a `git checkout` of a branch without the site, then back.
    let aside = site.root().join("content-aside");
    std::fs::rename(site.path("content"), &aside).expect("move content/ aside");
    events.wait_for("errors", "content", REBUILD);
    assert_eq!(
        serve.get("/packs/time-management/").status,
        200,
        "the last good site stays served"
    );
    std::fs::rename(&aside, site.path("content")).expect("put content/ back");
    events.wait_for("reload", "", REBUILD);

    // Edits inside the folder that came back are seen.
    site.replace(
        "content/packs/time-management/pack.md",
        "title: \"Time management for teachers: protecting planning time\"",
        "title: Back in time",
    );
    events.wait_for("reload", "packs/time-management/index.html", REBUILD);
    assert!(serve.get("/").text().contains("Back in time"));
}

#[test]
fn paths_outside_the_site_are_never_served() {
    let site = TestSite::demo();
    site.write("secret.txt", "TOP-SECRET-VALUE");
    let serve = Serve::start(&site, &[]);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/",
        "/..%2fsite.yaml",
        "//etc/passwd",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2f..%2f..%2f..%2fetc/passwd",
        "/packs/../../secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "/%2fetc%2fpasswd",
        "/site.yaml",
        "/content/packs/ell-communication/pack.md",
        "/__flippack/../secret.txt",
    ] {
        let response = serve.get(path);
        let body = response.text();
        assert_eq!(response.status, 404, "{path}");
        for secret in [
            "TOP-SECRET-VALUE",
            "root:x:0:0",
            "[package]",
            "reading_wpm",
            "self_study:",
        ] {
            assert!(!body.contains(secret), "{path} leaked {secret}");
        }
    }
}

/// Starts the server with its temporary folder in `temp`, where the
/// folder it writes its pages into can be seen.
fn serve_with_temp(site: &TestSite, temp: &std::path::Path) -> Serve {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_flippack"));
    command
        .args(["serve", "--port", "0"])
        .env("TMPDIR", temp)
        .env("TMP", temp)
        .env("TEMP", temp);
    Serve::spawn(site, command)
}

/// The folders `flippack serve` made in `temp`.
fn serve_folders(temp: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(temp)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("flippack-serve-"))
        })
        .collect()
}

#[test]
fn files_in_the_servers_own_folder_are_served_only_as_the_site() {
    let site = TestSite::demo();
    let temp = tempfile::tempdir().unwrap();
    let serve = serve_with_temp(&site, temp.path());
    let folders = serve_folders(temp.path());
    assert_eq!(folders.len(), 1, "one folder for the served pages");
    let folder = &folders[0];
    std::fs::write(folder.join("planted.html"), "PLANTED-VALUE").unwrap();
    let stored: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        stored.len() > 10,
        "the rendered pages are in it: {stored:?}"
    );
    let absolute = folder.display().to_string();
    let mut paths = vec![
        "/planted.html".to_string(),
        format!("/{absolute}/planted.html"),
        format!("/..{absolute}/planted.html"),
        format!("/../../../../../..{absolute}/planted.html"),
    ];
    paths.extend(stored.iter().take(5).map(|name| format!("/{name}")));
    for path in paths {
        let response = serve.get(&path);
        assert_eq!(response.status, 404, "{path}");
        assert!(!response.text().contains("PLANTED-VALUE"), "{path}");
    }
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn a_page_that_cannot_be_written_keeps_the_last_version_served() {
    let site = TestSite::demo();
    let temp = tempfile::tempdir().unwrap();
    let mut serve = serve_with_temp(&site, temp.path());
    let mut events = serve.events();
    let folder = serve_folders(temp.path()).remove(0);
    // The server never writes over a file: taking the names its next
    // files would get makes every write fail, as a full disk would.
    let next = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_string_lossy().parse::<u64>().ok())
        .max()
        .map_or(0, |n| n + 1);
    let taken: Vec<std::path::PathBuf> = (next..next + 5000)
        .map(|n| folder.join(n.to_string()))
        .collect();
    for path in &taken {
        std::fs::write(path, "").unwrap();
    }
    let pack = "content/packs/rti-rollout/pack.md";
    site.replace(
        pack,
        "title: Rolling out RTI/MTSS across a district",
        "title: Rolling out MTSS across a district",
    );
    let data = events.wait_for("errors", "dev server's copy", REBUILD);
    assert!(data.contains(&*folder.to_string_lossy()), "{data}");
    serve.wait_for_line("still serving the last version", REBUILD);
    let page = serve.get("/packs/rti-rollout/");
    assert_eq!(page.status, 200);
    assert!(title_of(&page.text()).starts_with("Rolling out RTI/MTSS"));

    for path in &taken {
        std::fs::remove_file(path).unwrap();
    }
    site.replace(
        pack,
        "title: Rolling out MTSS across a district",
        "title: Rolling out MTSS in a district",
    );
    events.wait_for("reload", "packs/rti-rollout/index.html", REBUILD);
    assert!(title_of(&serve.get("/packs/rti-rollout/").text()).starts_with("Rolling out MTSS in"));
}

#[cfg(unix)]
#[test]
fn the_servers_folder_is_removed_when_it_stops() {
    let site = TestSite::demo();
    let temp = tempfile::tempdir().unwrap();
    let mut serve = serve_with_temp(&site, temp.path());
    let folders = serve_folders(temp.path());
    assert_eq!(folders.len(), 1, "one folder for the served pages");
    // What Ctrl-C sends.
    let status = std::process::Command::new("kill")
        .args(["-INT", &serve.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    serve.wait_for_line("Stopped.", REBUILD);
    let deadline = Instant::now() + REBUILD;
    while serve.is_running() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!serve.is_running(), "the server stopped");
    assert!(!folders[0].exists(), "{} is left", folders[0].display());
    assert!(serve_folders(temp.path()).is_empty());
}

#[test]
fn ranges_heads_redirects_and_missing_pages() {
    let site = TestSite::demo();
    let serve = Serve::start(&site, &[]);

    let whole = serve.get("/static/style.css");
    assert_eq!(whole.status, 200);
    assert_eq!(whole.header("Accept-Ranges"), Some("bytes"));
    // Browsers must not park idle connections on the server's few threads.
    assert_eq!(whole.header("Connection"), Some("close"));
    let part = request(
        &serve.host,
        "GET",
        "/static/style.css",
        &[("Range", "bytes=10-19")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.body, whole.body[10..20]);
    assert_eq!(
        part.header("Content-Range"),
        Some(format!("bytes 10-19/{}", whole.body.len()).as_str())
    );

    // A file copied from the pack is read from its source.
    let source = std::fs::read(site.path("content/packs/ell-communication/sentence-frames.txt"))
        .expect("read the source file");
    let tail = request(
        &serve.host,
        "GET",
        "/packs/ell-communication/sentence-frames.txt",
        &[("Range", "bytes=-7")],
    );
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, source[source.len() - 7..]);
    assert_eq!(
        tail.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    let past = request(
        &serve.host,
        "GET",
        "/packs/ell-communication/sentence-frames.txt",
        &[("Range", &format!("bytes={}-", source.len()))],
    );
    assert_eq!(past.status, 416);

    let head = request(
        &serve.host,
        "HEAD",
        "/packs/ell-communication/sentence-frames.txt",
        &[],
    );
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("Content-Length"),
        Some(source.len().to_string().as_str())
    );
    assert!(head.body.is_empty());

    let redirect = serve.get("/packs/ell-communication?from=test");
    assert_eq!(redirect.status, 302);
    assert_eq!(
        redirect.header("Location"),
        Some("/packs/ell-communication/?from=test")
    );
    let missing = serve.get("/packs/no-such-pack/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
    assert!(
        missing.text().contains("data-missing"),
        "it reloads once the page exists"
    );
    assert_eq!(request(&serve.host, "POST", "/", &[]).status, 405);
}

#[test]
fn no_reload_serves_pages_as_built() {
    let site = TestSite::demo();
    let serve = Serve::start(&site, &["--no-reload"]);
    let html = serve.get("/").text();
    assert!(html.contains("<title>"));
    assert!(!html.contains("__flippack"));
    assert_eq!(serve.get("/__flippack/reload.js").status, 404);
    assert_eq!(serve.get("/__flippack/events").status, 404);
}

#[test]
fn a_sub_path_base_url_mounts_the_site_there() {
    let site = TestSite::demo();
    let config = site.read("site.yaml");
    let config: String = config
        .lines()
        .filter(|l| !l.starts_with("base_url:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write(
        "site.yaml",
        format!("{config}base_url: https://pd.example.org/district/\n"),
    );
    let serve = Serve::start(&site, &[]);
    assert_eq!(serve.base, "/district/");

    let root = serve.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some("/district/"));
    let html = serve.get("/district/packs/ell-communication/").text();
    assert!(
        html.contains(r#"src="../../__flippack/reload.js""#),
        "{html}"
    );
    assert_eq!(serve.get("/district/__flippack/reload.js").status, 200);
    let missing = serve.get("/district/nothing-here/").text();
    assert!(missing.contains(r#"src="/district/__flippack/reload.js""#));

    let mut events = serve.events();
    site.replace(
        "content/packs/questioning-wait-time/pack.md",
        "title: Questioning and wait time",
        "title: Wait time",
    );
    events.wait_for("reload", "packs/questioning-wait-time/index.html", REBUILD);
}

#[test]
fn listens_on_ipv6_loopback() {
    if let Err(e) = std::net::TcpListener::bind("[::1]:0") {
        common::skipped(
            "listens_on_ipv6_loopback",
            &format!("this machine has no IPv6 loopback (binding [::1] failed: {e})"),
        );
        return;
    }
    let site = TestSite::demo();
    let serve = Serve::start(&site, &["--bind", "::1"]);
    assert!(serve.host.starts_with("[::1]:"), "{}", serve.host);
    assert_eq!(serve.get("/").status, 200);
    let mut events = serve.events();
    site.replace(
        "content/packs/questioning-wait-time/pack.md",
        "title: Questioning and wait time",
        "title: Wait time",
    );
    events.wait_for("reload", "packs/questioning-wait-time/index.html", REBUILD);
}

/// The page as built: the served bytes without the reload script.
fn without_reload_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let Some(at) = text.find("__flippack/reload.js") else {
        return body.to_vec();
    };
    let start = text[..at]
        .rfind("<script")
        .expect("the script element starts");
    let end = at + text[at..].find("</script>\n").expect("and ends") + "</script>\n".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

#[test]
fn after_edits_the_served_site_is_what_a_build_makes() {
    let site = TestSite::demo();
    let serve = Serve::start(&site, &[]);
    let mut events = serve.events();
    // A new title moves the pack in the catalog and changes every page
    // that lists it, the feeds and the search index; new tags add and
    // empty tag pages.
    site.replace(
        "content/packs/time-management/pack.md",
        "title: \"Time management for teachers: protecting planning time\"",
        "title: Any time at all",
    );
    site.replace(
        "content/packs/time-management/pack.md",
        "tags: [planning, wellbeing, classroom management]",
        "tags: [planning, time]",
    );
    events.wait_for("reload", "packs/time-management/index.html", REBUILD);
    // Both saves may come as one rebuild or two: wait until the last one
    // is served.
    let deadline = Instant::now() + REBUILD;
    while !serve.get("/tags/time/").text().contains("Any time at all") {
        assert!(Instant::now() < deadline, "the second save was not served");
        std::thread::sleep(Duration::from_millis(20));
    }

    site.run(&["build"]).ok();
    let built = common::snapshot(&site.path("public"));
    assert!(built.len() > 50, "the demo builds into many files");
    for (path, bytes) in built {
        if path == flippack::output::MARKER {
            continue; // marks the folder on disk as a build's; not a page
        }
        let served = serve.get(&format!("/{path}"));
        assert_eq!(served.status, 200, "{path} is not served");
        assert!(
            without_reload_script(&served.body) == bytes,
            "{path} differs from the build:\n{}",
            String::from_utf8_lossy(&without_reload_script(&served.body))
        );
    }
    assert_eq!(
        serve.get("/tags/wellbeing/").status,
        404,
        "an emptied tag's page is gone"
    );
}

/// Asserts that `serve` answers every file of the build in `built` with
/// its bytes, and no longer answers `gone`: paths of earlier builds that
/// this one no longer makes.
fn assert_served_as_built(serve: &Serve, built: &std::path::Path, gone: &[String]) {
    let files = common::snapshot(built);
    let mut stale = Vec::new();
    for (path, bytes) in &files {
        if path == flippack::output::MARKER {
            continue;
        }
        let served = serve.get(&format!("/{path}"));
        if served.status != 200 || without_reload_script(&served.body) != *bytes {
            stale.push(format!("{path} ({})", served.status));
        }
    }
    for path in gone {
        if files.iter().all(|(p, _)| p != path) && serve.get(&format!("/{path}")).status != 404 {
            stale.push(format!(
                "{path} (still served, but the build has no such file)"
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{} files differ from the build: {stale:?}",
        stale.len()
    );
}

/// Builds the site as it is now into `out`.
fn build_into(site: &TestSite, out: &std::path::Path) {
    site.run(&["build", "--force", "--out", &out.to_string_lossy()])
        .ok();
}

#[test]
fn on_a_large_site_edits_serve_what_a_fresh_build_makes() {
    let site = TestSite::empty();
    synth::write_flippack(&synth::generate(300, 1), site.root()).expect("write the site");
    // A pack on a pathway: its edits reach the pathway's page, calendar
    // and search document as well as the site-wide files.
    let pathway = site.read("content/pathways/pathway-1.md");
    let slug = pathway
        .lines()
        .find_map(|l| l.trim().strip_prefix("- pack: "))
        .expect("the pathway has packs")
        .to_string();
    let pack_md = format!("content/packs/{slug}/pack.md");
    let page = format!("packs/{slug}/index.html");
    let builds = tempfile::tempdir().expect("a temporary folder");
    let before = builds.path().join("before");
    build_into(&site, &before);

    let serve = Serve::start(&site, &[]);
    let mut events = serve.events();
    let original = site.read(&pack_md);
    let edit = |from: &str, to: &str| {
        let text = site.read(&pack_md);
        let at = text
            .lines()
            .find(|l| l.starts_with(from))
            .unwrap_or_else(|| panic!("{pack_md} has a line starting {from:?}"))
            .to_string();
        site.write(&pack_md, text.replacen(&at, to, 1));
    };
    // A new title (which moves the pack in the catalog), new tags (one
    // that no other pack has), a longer workshop (credit), and
    // a session (calendars of the pack, its pathway and the site).
    edit("title:", "title: \"Aardvark first in the catalog\"");
    events.wait_for("reload", &page, REBUILD);
    edit("tags:", "tags: [\"Served fresh\", \"MTSS\"]");
    events.wait_for("reload", &page, REBUILD);
    edit("      minutes:", "      minutes: 95");
    events.wait_for("reload", &page, REBUILD);
    edit(
        "  format:",
        "  format: in-person\n  sessions:\n    - date: 2026-10-05\n      place: Room 9",
    );
    events.wait_for("reload", &page, REBUILD);
    let with_session = builds.path().join("with-session");
    build_into(&site, &with_session);
    let earlier: Vec<String> = common::snapshot(&before)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_served_as_built(&serve, &with_session, &earlier);

    // Back to the pack as it was: the calendars and the new tag go.
    site.write(&pack_md, &original);
    events.wait_for("reload", &page, REBUILD);
    let after = builds.path().join("after");
    build_into(&site, &after);
    let earlier: Vec<String> = common::snapshot(&with_session)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_served_as_built(&serve, &after, &earlier);
}

#[test]
fn a_burst_of_requests_from_browser_like_connections_is_answered() {
    let site = TestSite::demo();
    let serve = Serve::start(&site, &[]);
    // Like a browser: keep-alive connections, several at once, some of
    // them left open and idle, plus an event stream.
    let _events = serve.events();
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(&serve.host).expect("connect"))
        .collect();
    let threads: Vec<_> = (0..12)
        .map(|i| {
            let host = serve.host.clone();
            std::thread::spawn(move || {
                let path = if i % 2 == 0 { "/static/style.css" } else { "/" };
                request(&host, "GET", path, &[("Connection", "keep-alive")]).status
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("a request thread"), 200);
    }
    drop(idle);
}
