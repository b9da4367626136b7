//! A SCORM 1.2 package of `flippack export` run inside an independent
//! SCORM 1.2 runtime, as an LMS runs it: the npm package `scorm-again`
//! provides `window.API` on a small LMS page, which opens the package's
//! pack page in an iframe, all served on 127.0.0.1. The teacher ticks
//! every resource, answers the self-check and leaves; the runtime must
//! have seen the whole conversation, and reopening the package with what
//! it stored must bring the ticks back.
//!
//! Needs Chromium and `npm ci --prefix tests/browser` (for scorm-again);
//! without them the test is skipped, and with CI=true it fails, as the
//! other browser tests do.

#[allow(dead_code, reason = "tests/browser.rs uses the rest of the client")]
#[path = "browser/cdp.rs"]
mod cdp;
#[path = "common/mod.rs"]
mod common;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/support.rs"]
mod support;

use std::fs;
use std::io::Read;
use std::path::Path;

use cdp::{Chromium, Page, Result};
use common::TestSite;
use server::Server;
use support::{ensure, leaving_requests};

const PACK: &str = r#"---
title: Wait time that works
summary: Three seconds of silence after a question, and what students do with it.
goal: Teachers wait at least three seconds after a question and after an answer.
self_study:
  - title: The research on wait time
    kind: reading
    url: https://example.org/wait-time
    duration: 20
  - title: Guide to the pause
    kind: guide
    page: guide.md
  - title: A longer talk
    kind: video
    url: https://example.org/talk
    duration: 30
    optional: true
workshop:
  format: in-person
  duration: 1h
  prompts:
    - What did the silence feel like from the front of the room?
self_check:
  pass_percent: 80
  questions:
    - question: How long should a teacher wait after asking a question?
      choices:
        - text: One second
        - text: At least three seconds
          correct: true
        - text: Until someone answers
    - question: Which of these follow longer wait time?
      choices:
        - text: Longer answers
          correct: true
        - text: More students answering
          correct: true
        - text: Fewer questions from students
    - question: Describe one moment in a lesson where you will wait longer.
plan: true
---
Wait time is the pause after a question.
"#;

const GUIDE: &str = "---\ntitle: Guide to the pause\n---\nCount to three, silently.\n";

/// The LMS's page: scorm-again's SCORM 1.2 runtime as `window.API`, and
/// the package in an iframe. Scripts are files, as the server's policy
/// asks.
const HARNESS_HTML: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>A test LMS</title><link rel=\"icon\" href=\"data:,\"><script src=\"scorm12.js\"></script><script src=\"harness.js\"></script>\
</head><body><main id=\"sco\"></main></body></html>\n";

/// Every call the package makes is logged in `lmsLog`; `startLms` opens
/// the package with an LMS record to resume from (or none), `leave`
/// navigates the frame away, as closing the activity does.
const HARNESS_JS: &str = r#"window.lmsLog = [];
window.startLms = function (resume, launch) {
  var api = new Scorm12API({ autocommit: false, logLevel: 5 });
  ["LMSInitialize", "LMSCommit", "LMSFinish"].forEach(function (name) {
    api.on(name, function () { window.lmsLog.push(name); });
  });
  api.on("LMSSetValue.cmi.*", function (element, value) {
    window.lmsLog.push("set " + element + "=" + value);
  });
  if (resume) api.loadFromJSON(resume);
  window.API = api;
  var frame = document.createElement("iframe");
  frame.title = "The pack";
  frame.width = "1200";
  frame.height = "900";
  frame.src = launch;
  document.getElementById("sco").appendChild(frame);
};
window.leave = function () {
  document.querySelector("iframe").src = "about:blank";
};
window.closeFrame = function () {
  document.querySelector("iframe").remove();
};
"#;

/// The harness's policy: the site's, with frames from itself allowed.
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; media-src 'self' https:; frame-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'";

const LAUNCH: &str = "package/packs/wait-time/index.html";

/// The package unzipped beside the harness and scorm-again, served; or
/// `None` when the tools are missing (skipped, or failed in CI).
fn lms() -> Option<(tempfile::TempDir, Server, std::path::PathBuf)> {
    let support::Tools { chromium, .. } = support::tools()?;
    let runtime =
        common::repo_root().join("tests/browser/node_modules/scorm-again/dist/scorm12.js");
    let Ok(runtime) = fs::read(&runtime) else {
        panic!(
            "the SCORM tests cannot run: scorm-again is not in tests/browser/node_modules; \
             run `npm ci --prefix tests/browser` (.ci/run does), or set \
             FLIPPACK_SKIP_BROWSER_TESTS=1 to leave the browser tests out on purpose"
        );
    };

    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: Our district PD\nid: 3f2a9c41d07e\nbase_url: \"/\"\n",
    );
    site.write("content/packs/wait-time/pack.md", PACK);
    site.write("content/packs/wait-time/guide.md", GUIDE);
    site.run(&[
        "export",
        "--pack",
        "wait-time",
        "--format",
        "scorm12",
        "--out",
        "out",
    ])
    .ok();
    let bytes = fs::read(site.path("out/wait-time.scorm12.zip")).expect("the package");

    let dir = tempfile::tempdir().expect("a temporary folder");
    unzip(&bytes, &dir.path().join("package"));
    fs::write(dir.path().join("scorm12.js"), runtime).expect("write the runtime");
    fs::write(dir.path().join("harness.html"), HARNESS_HTML).expect("write the harness");
    fs::write(dir.path().join("harness.js"), HARNESS_JS).expect("write the harness");
    let server = Server::start_with_policy(dir.path().to_path_buf(), POLICY).expect("serve");
    Some((dir, server, chromium))
}

fn unzip(bytes: &[u8], to: &Path) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let path = to.join(entry.enclosed_name().expect("a safe name"));
        fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read an entry");
        fs::write(path, data).expect("write an entry");
    }
}

/// `expression` evaluated in the package's frame.
fn in_frame(expression: &str) -> String {
    format!(
        "(() => {{ const d = document.querySelector('iframe').contentDocument; {expression} }})()"
    )
}

fn open(page: &mut Page, base: &str, resume: &str) -> Result<()> {
    page.goto(&format!("{base}harness.html"))?;
    page.eval(&format!("startLms({resume}, {LAUNCH:?})"))?;
    // Ready once site.js has shown the "done" boxes.
    page.wait_until(&in_frame(
        "return !!d && d.readyState === 'complete' && !!d.querySelector('label.done:not([hidden])');",
    ))
}

fn log(page: &mut Page) -> Result<Vec<String>> {
    let value = page.eval("window.lmsLog")?;
    Ok(value
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect())
}

fn has(log: &[String], entry: &str) -> bool {
    log.iter().any(|l| l == entry)
}

#[test]
fn a_scorm_package_reports_to_the_lms_and_resumes_where_the_teacher_left() {
    let Some((_dir, server, chromium)) = lms() else {
        return;
    };
    let background_dir = tempfile::tempdir().expect("a temporary folder");
    let background = Server::start(background_dir.path().join("none")).expect("a proxy");
    let mut browser = Chromium::launch(&chromium, background.addr()).expect("start Chromium");
    let mut page = browser.new_page(server.addr()).expect("a tab");
    let base = server.url("");
    if let Err(e) = run(&mut page, &base) {
        panic!(
            "{e}\nLMS log: {:?}\nconsole: {}",
            log(&mut page).unwrap_or_default(),
            page.console_errors.join("\n"),
        );
    }
    let left = leaving_requests(&page.requests, &base);
    let proxied = server.take_proxied_hosts();
    assert!(
        left.is_empty() && proxied.is_empty(),
        "requests that left the package: {left:?} {proxied:?}"
    );
    let outside: Vec<&String> = page
        .requests
        .iter()
        .filter(|r| r.starts_with(&base))
        .filter(|r| {
            let path = &r[base.len()..];
            !(path.starts_with("package/")
                || ["harness.html", "harness.js", "scorm12.js"].contains(&path))
        })
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside the package: {outside:?}"
    );
    assert!(
        page.console_errors.is_empty(),
        "{}",
        page.console_errors.join("\n")
    );
}

fn run(page: &mut Page, base: &str) -> Result<()> {
    // ---------- First visit: tick everything, pass the check, leave ----------
    open(page, base, "null")?;
    let first = log(page)?;
    ensure(
        first.first().map(String::as_str) == Some("LMSInitialize"),
        || format!("the package starts with LMSInitialize: {first:?}"),
    )?;
    ensure(has(&first, "set cmi.core.lesson_status=incomplete"), || {
        format!("incomplete at the start: {first:?}")
    })?;
    // Links open beside the package, so following one does not end it.
    let target = page.eval_string(&in_frame(
        "return d.querySelector('a[href*=\"guide\"]').getAttribute('target');",
    ))?;
    ensure(target == "_blank", || {
        format!("a link's target is {target:?}")
    })?;

    page.eval(&in_frame(
        "d.querySelectorAll('input[data-done]').forEach(b => b.click()); return true;",
    ))?;
    page.wait_until("window.lmsLog.includes('set cmi.core.lesson_status=completed')")?;
    // A plan far longer than SCORM 1.2's suspend data holds: it is what
    // gives way, not the ticks or the short answers.
    page.eval(&in_frame(
        "const type = (el, text) => { el.value = text;
           el.dispatchEvent(new Event('input', { bubbles: true })); };
         type(d.querySelector('[data-field=\"plan:1\"]'), 'Wait longer. '.repeat(400));
         d.querySelectorAll('[data-choice][data-correct] input').forEach(i => i.click());
         type(d.querySelector('textarea[data-field^=\"check:\"]'), 'After a prediction.');
         d.querySelector('[data-check-submit]').click(); return true;",
    ))?;
    page.wait_until("window.lmsLog.includes('set cmi.core.lesson_status=passed')")?;
    page.eval("leave()")?;
    page.wait_until("window.lmsLog.includes('LMSFinish')")?;

    let after = log(page)?;
    for expected in [
        "set cmi.core.score.raw=100",
        "set cmi.core.score.min=0",
        "set cmi.core.score.max=100",
        "LMSCommit",
    ] {
        ensure(has(&after, expected), || format!("{expected} in {after:?}"))?;
    }
    let time = after
        .iter()
        .find_map(|l| l.strip_prefix("set cmi.core.session_time="))
        .unwrap_or_default()
        .to_string();
    let shape = time.len() == 13
        && time.chars().enumerate().all(|(i, c)| match i {
            4 | 7 => c == ':',
            10 => c == '.',
            _ => c.is_ascii_digit(),
        });
    ensure(shape, || {
        format!("session time HHHH:MM:SS.SS, got {time:?}")
    })?;
    let status = page.eval_string("API.cmi.core.lesson_status")?;
    ensure(status == "passed", || format!("the LMS kept {status:?}"))?;
    let suspend = page.eval_string("API.cmi.suspend_data")?;
    ensure(
        !suspend.is_empty()
            && suspend.chars().count() <= 4096
            && suspend.contains("research-on-wait-time")
            && suspend.contains("After a prediction.")
            && !suspend.contains("Wait longer."),
        || format!("suspend data with the ticks and short answers, not the long plan: {suspend:?}"),
    )?;
    ensure(page.eval("API.isTerminated()")? == true, || {
        "LMSFinish ended the session".into()
    })?;

    // ---------- Reopened on another computer: the ticks come back ----------
    let resume = serde_json::json!({
        "core": { "lesson_status": status, "entry": "resume" },
        "suspend_data": suspend,
    });
    page.eval("closeFrame(); localStorage.clear(); window.lmsLog = []; true")?;
    open(page, base, &resume.to_string())?;
    let ticked = page.eval(&in_frame(
        "return [...d.querySelectorAll('input[data-done]')].every(b => b.checked);",
    ))?;
    ensure(ticked == true, || "every resource is ticked again".into())?;
    let result = page.eval_string(&in_frame(
        "return d.querySelector('[data-check-result]').textContent;",
    ))?;
    ensure(!result.is_empty(), || {
        "the self-check's result is back".into()
    })?;
    page.eval("leave()")?;
    page.wait_until("window.lmsLog.includes('LMSFinish')")?;

    // ---------- Wrong answers fail ----------
    page.eval("closeFrame(); localStorage.clear(); window.lmsLog = []; true")?;
    open(page, base, "null")?;
    page.eval(&in_frame(
        "d.querySelectorAll('[data-choice]:not([data-correct]) input').forEach(i => i.click());
         d.querySelector('[data-check-submit]').click(); return true;",
    ))?;
    page.wait_until("window.lmsLog.includes('set cmi.core.lesson_status=failed')")?;
    page.eval("leave()")?;
    page.wait_until("window.lmsLog.includes('LMSFinish')")?;
    let wrong = log(page)?;
    ensure(has(&wrong, "set cmi.core.score.raw=0"), || {
        format!("a score of 0: {wrong:?}")
    })?;
    ensure(has(&wrong, "set cmi.core.exit=suspend"), || {
        format!("a failed attempt is suspended, to resume: {wrong:?}")
    })?;
    Ok(())
}
