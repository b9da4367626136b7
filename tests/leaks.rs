//! Nothing outside the site folder gets into the site, and nothing in it
//! makes flippack hang: symbolic links that lead out of the site, named
//! pipes, sockets and devices, web addresses that are not web addresses,
//! and `init` pointed at a folder it must not write into.
//!
//! Every site here lives in a temporary folder; what stands for "outside"
//! is another temporary folder. Each run of the binary has a deadline, so
//! a file that blocks a reader fails the test instead of hanging it.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::serve::Serve;
use common::{Run, TestSite};

const PACK: &str = "content/packs/alpha/pack.md";

/// A generous bound for a build of the minimal site, which takes
/// milliseconds: long enough for a busy machine, short enough that a
/// reader blocked on a pipe fails the test.
const DEADLINE: Duration = Duration::from_secs(60);

/// What an outside file holds, to look for in the output.
const SECRET: &str = "the-outside-secret-4d1f";

/// Runs `flippack ARGS` in `dir`, killing it if it outlives [`DEADLINE`].
fn run_within(dir: &Path, args: &[&str]) -> Run {
    let child = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run flippack");
    Run(wait_within(child, args))
}

/// Waits for `child`, reading its output meanwhile; kills it and fails
/// the test at the deadline.
fn wait_within(mut child: Child, args: &[&str]) -> std::process::Output {
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for flippack") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`flippack {}` did not finish within {DEADLINE:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::process::Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

fn minimal() -> TestSite {
    TestSite::fixture("minimal")
}

/// A folder outside the site, holding `secret.txt`, `secret.md` and a
/// folder `certs/` of three files, all with [`SECRET`] in them.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    fs::write(dir.path().join("secret.txt"), SECRET).expect("write");
    fs::write(
        dir.path().join("secret.md"),
        format!("---\ntitle: Secret\n---\n{SECRET}\n"),
    )
    .expect("write");
    fs::create_dir(dir.path().join("certs")).expect("create");
    for name in ["a.pem", "b.pem", "c.pem"] {
        fs::write(dir.path().join("certs").join(name), SECRET).expect("write");
    }
    dir
}

fn link(target: impl AsRef<Path>, site: &TestSite, rel: &str) {
    let at = site.path(rel);
    fs::create_dir_all(at.parent().expect("a parent")).expect("create folders");
    symlink(target, at).expect("make a symbolic link");
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Every finding of `check --format json`, and whether it passed.
fn check_findings(site: &TestSite) -> (bool, Vec<serde_json::Value>) {
    let run = run_within(site.root(), &["check", "--format", "json"]);
    let list: Vec<serde_json::Value> = serde_json::from_str(&run.stdout())
        .unwrap_or_else(|e| panic!("check prints JSON ({e}):\n{}", run.stdout()));
    (run.success(), list)
}

/// Asserts that `build` and `check` both fail on the site with the same
/// error `code` on `file`, each saying how to fix it, and that nothing was
/// published. Returns the build's error output.
fn both_refuse(site: &TestSite, code: &str, file: &str) -> String {
    let build = run_within(site.root(), &["build"]);
    let stderr = build.fails();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!site.path("public").exists(), "nothing is published");

    let (ok, list) = check_findings(site);
    assert!(!ok, "check fails too: {list:#?}");
    let found: Vec<&serde_json::Value> = list
        .iter()
        .filter(|f| f["code"] == code && f["file"] == file)
        .collect();
    assert_eq!(found.len(), 1, "one `{code}` on {file}: {list:#?}");
    let finding = found[0];
    assert_eq!(finding["severity"], "error");
    let help = finding["help"].as_str().unwrap_or("");
    assert!(!help.is_empty(), "a help line: {finding:#}");

    // The build reports the very same problem.
    let message = finding["message"].as_str().expect("a message");
    assert!(
        stderr.contains(&format!("error[{code}]: {message}")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("--> {file}")), "{stderr}");
    assert!(stderr.contains(&format!("= help: {help}")), "{stderr}");
    stderr
}

#[test]
fn a_symlink_to_a_file_outside_the_site_is_refused() {
    let outside = outside();
    let secret = outside.path().join("secret.txt");
    let secret = secret.as_path();
    // Relative links count just the same: the two temporary folders sit
    // side by side.
    let beside = Path::new("../../../..")
        .join(outside.path().file_name().expect("a name"))
        .join("secret.txt");
    let cases: Vec<(&Path, &str)> = vec![
        (secret, "content/packs/alpha/passwd.txt"),
        (Path::new("/etc/passwd"), "content/packs/alpha/passwd.txt"),
        // A loose file of content/, published beside the packs.
        (secret, "content/handout.txt"),
        (&beside, "content/packs/alpha/beside.txt"),
    ];
    for (target, rel) in cases {
        let site = minimal();
        link(target, &site, rel);
        let stderr = both_refuse(&site, "symlink-outside-site", rel);
        assert!(stderr.contains("outside the site folder"), "{stderr}");
        assert!(stderr.contains("into the site instead"), "{stderr}");
    }
}

#[test]
fn a_symlink_to_a_folder_outside_the_site_is_one_error_and_nothing_is_copied() {
    let outside = outside();
    let site = minimal();
    link(outside.path().join("certs"), &site, "content/ssl");
    let stderr = both_refuse(&site, "symlink-outside-site", "content/ssl");
    assert!(
        !stderr.contains("a.pem"),
        "not a word about its files: {stderr}"
    );

    // Inside a pack, a folder of assets.
    let site = minimal();
    link(
        outside.path().join("certs"),
        &site,
        "content/packs/alpha/certs",
    );
    both_refuse(&site, "symlink-outside-site", "content/packs/alpha/certs");

    // A folder above the site is outside it, not merely a loop.
    let site = minimal();
    link("/", &site, "content/packs/alpha/up");
    both_refuse(&site, "symlink-outside-site", "content/packs/alpha/up");
}

#[test]
fn a_symlink_to_nothing_says_so() {
    let site = minimal();
    link(
        "missing-handout.txt",
        &site,
        "content/packs/alpha/handout.txt",
    );
    let stderr = both_refuse(&site, "unreadable", "content/packs/alpha/handout.txt");
    assert!(
        stderr.contains("a symbolic link to missing-handout.txt, which does not exist"),
        "{stderr}"
    );
}

#[test]
fn a_symlinked_page_from_outside_is_neither_published_nor_indexed() {
    let outside = outside();
    let site = minimal();
    link(
        outside.path().join("secret.md"),
        &site,
        "content/packs/alpha/secret.md",
    );
    both_refuse(
        &site,
        "symlink-outside-site",
        "content/packs/alpha/secret.md",
    );

    // pack.md itself, a pathway and the home page intro are pages too.
    for rel in ["content/pathways/secret.md", "content/_index.md"] {
        let site = minimal();
        link(outside.path().join("secret.md"), &site, rel);
        both_refuse(&site, "symlink-outside-site", rel);
    }
    let site = minimal();
    let pack = site.read(PACK);
    fs::write(outside.path().join("pack.md"), pack).expect("write");
    fs::remove_file(site.path(PACK)).expect("remove");
    link(outside.path().join("pack.md"), &site, PACK);
    both_refuse(&site, "symlink-outside-site", PACK);
}

#[test]
fn a_whole_content_folder_or_site_yaml_from_outside_is_refused() {
    let outside = outside();
    let site = minimal();
    fs::rename(site.path("content"), outside.path().join("content")).expect("move");
    link(outside.path().join("content"), &site, "content");
    both_refuse(&site, "symlink-outside-site", "content");

    let site = minimal();
    fs::rename(site.path("site.yaml"), outside.path().join("site.yaml")).expect("move");
    link(outside.path().join("site.yaml"), &site, "site.yaml");
    both_refuse(&site, "symlink-outside-site", "site.yaml");
}

#[test]
fn a_theme_file_from_outside_is_refused() {
    let outside = outside();
    fs::write(
        outside.path().join("base.html"),
        format!("<html><body>{SECRET}{{% block main %}}{{% endblock %}}</body></html>"),
    )
    .expect("write");
    for rel in [
        "themes/district/templates/base.html",
        "themes/district/static/extra.css",
    ] {
        let site = minimal();
        site.write("site.yaml", "title: Test site\ntheme: district\n");
        site.write("themes/district/static/style-extra.css", "body {}\n");
        let target = if rel.ends_with(".html") {
            outside.path().join("base.html")
        } else {
            outside.path().join("secret.txt")
        };
        link(target, &site, rel);
        both_refuse(&site, "symlink-outside-site", rel);
    }
}

#[test]
fn symlinks_that_stay_inside_the_site_are_followed() {
    let site = minimal();
    site.write("shared/handout.txt", "a shared handout\n");
    site.write("shared/media/clip.txt", "a shared clip\n");
    site.write(
        "shared/extra.md",
        "---\ntitle: Shared extra\n---\nShared words.\n",
    );
    link(
        "../../../shared/handout.txt",
        &site,
        "content/packs/alpha/handout.txt",
    );
    link("../../../shared/media", &site, "content/packs/alpha/media");
    link(
        "../../../shared/extra.md",
        &site,
        "content/packs/alpha/extra.md",
    );
    fs::rename(site.path("site.yaml"), site.path("shared/site.yaml")).expect("move");
    link("shared/site.yaml", &site, "site.yaml");

    let build = run_within(site.root(), &["build"]);
    build.ok();
    assert_eq!(
        site.read("public/packs/alpha/handout.txt"),
        "a shared handout\n"
    );
    assert_eq!(
        site.read("public/packs/alpha/media/clip.txt"),
        "a shared clip\n"
    );
    assert!(site
        .read("public/packs/alpha/extra/index.html")
        .contains("Shared words."));
    let (ok, list) = check_findings(&site);
    // Notes and suggestions (the fixture is an example site), but no
    // error or warning.
    assert!(
        ok && list.iter().all(|f| f["severity"] == "info"),
        "{list:#?}"
    );
}

#[test]
fn named_pipes_sockets_and_devices_are_refused_without_being_opened() {
    // A named pipe as a pack file, as a page, reached through a symlink
    // inside the site, and as site.yaml: reading any of them would wait
    // for a writer for ever.
    for rel in [
        "content/packs/alpha/pipe.bin",
        "content/packs/alpha/pipe.md",
        "content/pipe.txt",
        "site.yaml",
    ] {
        let site = minimal();
        let _ = fs::remove_file(site.path(rel));
        mkfifo(&site.path(rel));
        let stderr = both_refuse(&site, "not-a-file", rel);
        assert!(stderr.contains("named pipe"), "{stderr}");
    }

    let site = minimal();
    mkfifo(&site.path("pipe-in-the-site"));
    link(
        "../../../pipe-in-the-site",
        &site,
        "content/packs/alpha/pipe.bin",
    );
    both_refuse(&site, "not-a-file", "content/packs/alpha/pipe.bin");

    let site = minimal();
    site.write("site.yaml", "title: Test site\ntheme: district\n");
    fs::create_dir_all(site.path("themes/district/templates")).expect("create");
    mkfifo(&site.path("themes/district/templates/base.html"));
    both_refuse(&site, "not-a-file", "themes/district/templates/base.html");

    let site = minimal();
    let socket = std::os::unix::net::UnixListener::bind(site.path("content/packs/alpha/talk.sock"))
        .expect("make a socket");
    let stderr = both_refuse(&site, "not-a-file", "content/packs/alpha/talk.sock");
    assert!(stderr.contains("socket"), "{stderr}");
    drop(socket);

    // /dev/zero is outside the site; build and check both say so.
    let site = minimal();
    link("/dev/zero", &site, "content/packs/alpha/zero.bin");
    both_refuse(
        &site,
        "symlink-outside-site",
        "content/packs/alpha/zero.bin",
    );
}

#[test]
fn every_address_field_takes_only_web_addresses() {
    // (the value, the key it is written in)
    let bad = [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "javascript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/video.mp4",
        "mailto:coach@example.org",
        "www.example.org/video",
        "//example.org/video",
        "https://",
        "http:/example.org",
    ];
    for value in bad {
        let site = minimal();
        site.replace(
            PACK,
            "url: https://example.org/alpha",
            &format!("url: \"{value}\""),
        );
        let stderr = both_refuse(&site, "bad-url", PACK);
        assert!(
            stderr.contains(&format!("--> {PACK}:9:")),
            "{value}: {stderr}"
        );
        assert!(stderr.contains("https://"), "{value}: {stderr}");

        if !value.contains(':') {
            // Without a scheme, a transcript names a file of the pack.
            continue;
        }
        let site = minimal();
        site.replace(
            PACK,
            "    captions: true",
            &format!("    transcript: \"{value}\""),
        );
        let stderr = both_refuse(&site, "bad-url", PACK);
        assert!(
            stderr.contains(&format!("--> {PACK}:11:")),
            "{value}: {stderr}"
        );
    }
    for good in [
        "https://example.org/alpha",
        "HTTPS://Example.org/Alpha?x=1#t",
        "http://example.org:8080/alpha",
    ] {
        let site = minimal();
        site.replace(
            PACK,
            "url: https://example.org/alpha",
            &format!("url: \"{good}\""),
        );
        site.replace(
            PACK,
            "    captions: true",
            &format!("    transcript: \"{good}\""),
        );
        run_within(site.root(), &["build"]).ok();
        let (ok, list) = check_findings(&site);
        assert!(ok, "{good}: {list:#?}");
    }
}

/// Starts `flippack serve` on a free port without live reload.
fn start_serve(site: &TestSite) -> Serve {
    Serve::start(site, &["--no-reload"])
}

/// What these tests ask of the running server.
impl Serve {
    /// The status and body of `GET path`.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.host).expect("connect");
        stream
            .set_read_timeout(Some(DEADLINE))
            .expect("set a timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        )
        .expect("send");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        (status, text)
    }
}

#[test]
fn serve_does_not_serve_what_links_out_of_the_site() {
    let outside = outside();
    let site = minimal();
    link(
        outside.path().join("secret.txt"),
        &site,
        "content/packs/alpha/passwd.txt",
    );
    let mut serve = start_serve(&site);
    serve.wait_for_line("symlink-outside-site", DEADLINE);
    let (status, body) = serve.get("/packs/alpha/passwd.txt");
    assert_ne!(status, 200, "{body}");
    assert!(!body.contains(SECRET), "{body}");

    // Added while serving: the rebuild refuses it, and the last good site
    // stays served without it.
    let site = minimal();
    let mut serve = start_serve(&site);
    let (status, _) = serve.get("/packs/alpha/index.html");
    assert_eq!(status, 200);
    link(
        outside.path().join("secret.txt"),
        &site,
        "content/packs/alpha/passwd.txt",
    );
    serve.wait_for_line("symlink-outside-site", DEADLINE);
    let (status, body) = serve.get("/packs/alpha/passwd.txt");
    assert_ne!(status, 200, "{body}");
    assert!(!body.contains(SECRET), "{body}");
}

#[test]
fn serve_never_follows_a_published_file_swapped_for_a_link_out_of_the_site() {
    // The last good build stays served when a rebuild fails; the files it
    // copies are read at each request, so one replaced since by a link to
    // outside, or by a named pipe, must not be read.
    let outside = outside();
    let site = minimal();
    site.write("content/packs/alpha/handout.txt", "the handout");
    site.write("content/packs/alpha/notes.txt", "the notes");
    let mut serve = start_serve(&site);
    let (status, body) = serve.get("/packs/alpha/handout.txt");
    assert_eq!(status, 200);
    assert!(body.ends_with("the handout"), "{body}");

    fs::remove_file(site.path("content/packs/alpha/handout.txt")).expect("remove");
    link(
        outside.path().join("secret.txt"),
        &site,
        "content/packs/alpha/handout.txt",
    );
    serve.wait_for_line("symlink-outside-site", DEADLINE);
    let (status, body) = serve.get("/packs/alpha/handout.txt");
    assert_ne!(status, 200, "{body}");
    assert!(!body.contains(SECRET), "{body}");

    fs::remove_file(site.path("content/packs/alpha/notes.txt")).expect("remove");
    mkfifo(&site.path("content/packs/alpha/notes.txt"));
    serve.wait_for_line("not-a-file", DEADLINE);
    let (status, _) = serve.get("/packs/alpha/notes.txt");
    assert_ne!(status, 200);
    let (status, _) = serve.get("/packs/alpha/index.html");
    assert_eq!(status, 200, "the server still answers");
}

#[test]
fn init_force_never_writes_through_a_symlink_out_of_the_folder() {
    for rel in ["content", "content/packs", "site.yaml", ".gitignore"] {
        let outside = tempfile::tempdir().expect("create a temporary folder");
        let folder = TestSite::empty();
        let target = outside.path().join("elsewhere");
        if !rel.contains('.') {
            fs::create_dir(&target).expect("create");
        }
        link(&target, &folder, rel);
        let run = run_within(folder.root(), &["init", ".", "--force"]);
        let stderr = run.fails();
        assert!(stderr.contains(&format!("`{rel}`")), "{rel}: {stderr}");
        assert!(stderr.contains("outside"), "{rel}: {stderr}");
        assert!(
            common::snapshot(outside.path()).is_empty(),
            "{rel}: nothing was written outside: {:?}",
            common::snapshot(outside.path())
        );
        assert!(
            !folder.path("content/_index.md").exists() && !folder.path("site.yaml").is_file(),
            "{rel}: nothing was written in the folder either"
        );
    }

    // A symlink that stays inside the folder is written through.
    let folder = TestSite::empty();
    fs::create_dir(folder.path("real-content")).expect("create");
    link("real-content", &folder, "content");
    run_within(folder.root(), &["init", ".", "--force"]).ok();
    assert!(folder
        .path("real-content/packs/exit-tickets/pack.md")
        .is_file());
}

#[test]
fn init_refuses_the_home_folder() {
    let home = TestSite::empty();
    let child = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(["init", ".", "--force"])
        .current_dir(home.root())
        .env("HOME", home.root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run flippack");
    let run = Run(wait_within(child, &["init", ".", "--force"]));
    let stderr = run.fails();
    assert!(stderr.contains("home folder"), "{stderr}");
    assert!(
        common::snapshot(home.root()).is_empty(),
        "nothing was written"
    );
}

#[test]
fn init_refuses_the_file_system_root() {
    // Without --force, / is refused for what it is, not for being full.
    let folder = TestSite::empty();
    let stderr = run_within(folder.root(), &["init", "/"]).fails();
    assert!(stderr.contains("root of the file system"), "{stderr}");

    // With --force, run as a user who cannot write to / at all, so that if
    // the refusal were ever lost the run fails on permissions instead of
    // writing anything there.
    let Some((uid, gid)) = unprivileged_user() else {
        eprintln!("skipped `init / --force`: no user here is unable to write to /");
        return;
    };
    use std::os::unix::process::CommandExt;
    let spawned = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(["init", "/", "--force"])
        .current_dir("/")
        .env("NO_COLOR", "1")
        .uid(uid)
        .gid(gid)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(child) = spawned else {
        eprintln!("skipped `init / --force`: cannot run the binary as user {uid}");
        return;
    };
    let run = Run(wait_within(child, &["init", "/", "--force"]));
    let stderr = run.fails();
    assert!(stderr.contains("root of the file system"), "{stderr}");
}

/// A user and group that cannot write to `/`: `nobody` when the tests run
/// as root, else the current user when `/` is closed to them.
fn unprivileged_user() -> Option<(u32, u32)> {
    use std::os::unix::fs::MetadataExt;
    let me = fs::metadata("/proc/self").ok()?;
    let root = fs::metadata("/").ok()?;
    let (uid, gid) = if me.uid() == 0 {
        (65534, 65534)
    } else {
        (me.uid(), me.gid())
    };
    let mode = root.mode();
    let writable =
        root.uid() == uid || (root.gid() == gid && mode & 0o020 != 0) || mode & 0o002 != 0;
    (!writable).then_some((uid, gid))
}
