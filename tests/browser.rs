//! The teacher's site in real headless Chromium: the demo site, built by
//! the `flippack` binary, served on 127.0.0.1 *and* opened from file://;
//! and live reload, with the page open on `flippack serve` while its
//! files change.
//!
//! Each test starts its own Chromium with a fresh profile (so browser
//! storage starts empty) and runs its checks in both places. Chromium sends
//! everything that is not on 127.0.0.1 through the test's own proxy, which
//! records the host and refuses: no test reaches the network, and a page
//! that tries to contact a third party is caught.
//!
//! Needs Chromium (the Debian package `chromium`, or `$CHROMIUM`) and, for
//! the accessibility checks, axe-core from `tests/browser/node_modules`
//! (`npm ci --prefix tests/browser`). `.ci/run` installs both. Without
//! either, every browser test fails, saying what to install: a test that
//! did not run must not print "ok". They take a minute or two;
//! `FLIPPACK_SKIP_BROWSER_TESTS=1 cargo test` leaves them out on purpose,
//! and each says loudly that it was skipped (under `CI=true` that is a
//! failure too).

#[path = "browser/cdp.rs"]
mod cdp;
#[path = "common/mod.rs"]
mod common;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/support.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use cdp::{Chromium, Page, Result};
use common::shout;
use server::Server;
use support::{axe_violations, ensure, readiness, Readiness, Tools, SKIP_VARIABLE};

/// What every browser test shares: the built demo, its server, the
/// browser and the accessibility checker.
struct Env {
    site: tempfile::TempDir,
    /// Serves the site; the pages' proxy.
    server: Server,
    /// The browser's own proxy: refuses everything, and nothing checks it.
    background: Server,
    chromium: PathBuf,
    /// axe-core's script.
    axe: String,
}

impl Env {
    fn out(&self) -> PathBuf {
        self.site.path().join("public")
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared environment, or `None` when the browser tests are skipped on
/// purpose. Panics, failing every browser test, when they cannot run.
fn env() -> Option<&'static Env> {
    static ENV: OnceLock<Option<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let Tools { chromium, axe } = support::tools()?;
        let site = tempfile::tempdir().expect("temporary folder");
        let out = site.path().join("public");
        let build = Command::new(env!("CARGO_BIN_EXE_flippack"))
            .arg("build")
            .arg("--root")
            .arg(repo())
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run flippack build");
        assert!(
            build.status.success(),
            "building the demo failed:\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
        let server = Server::start(out).expect("start the test server");
        let background = Server::start(site.path().join("nothing")).expect("start a proxy");
        Some(Env {
            site,
            server,
            background,
            chromium,
            axe,
        })
    })
    .as_ref()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Http,
    File,
}

impl Mode {
    fn url(self, env: &Env, path: &str) -> String {
        match self {
            Mode::Http => env.server.url(path),
            Mode::File => format!("file://{}/{path}", env.out().display()),
        }
    }
}

#[test]
fn a_browser_test_that_cannot_run_fails_unless_skipped_on_purpose() {
    assert_eq!(readiness(false, false, true, true), Readiness::Run);
    assert_eq!(readiness(true, false, true, true), Readiness::Run);
    for ci in [false, true] {
        for (chromium, axe) in [(false, true), (true, false), (false, false)] {
            let Readiness::Fail(message) = readiness(ci, false, chromium, axe) else {
                panic!("ci {ci}, chromium {chromium}, axe {axe}: must fail");
            };
            assert!(
                message.contains("npm ci --prefix tests/browser"),
                "{message}"
            );
            assert!(message.contains(SKIP_VARIABLE), "{message}");
        }
    }
    let Readiness::Skip(message) = readiness(false, true, false, false) else {
        panic!("skipping on purpose outside CI skips");
    };
    assert!(message.contains("NOT verified"), "{message}");
    assert!(matches!(
        readiness(true, true, true, true),
        Readiness::Fail(_)
    ));
}

/// Browser tests run one at a time: each starts a whole browser.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `check` in a fresh browser, once over HTTP and once from file://.
fn in_both_modes(test: &str, check: impl Fn(&Env, Mode, &mut Page) -> Result<()>) {
    let Some(env) = env() else {
        shout(&format!("SKIPPED browser test `{test}` (see above)."));
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for mode in [Mode::Http, Mode::File] {
        env.server.take_proxied_hosts();
        let mut browser = Chromium::launch(&env.chromium, env.background.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        let mut page = browser
            .new_page(env.server.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        page.emulate(1280, false)
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        if let Err(e) = check(env, mode, &mut page) {
            panic!("{test} ({mode:?}): {e}");
        }
    }
}

/// Polls `condition` (outside the page) until it holds.
fn wait_for(what: &str, mut condition: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + cdp::PATIENCE;
    while !condition() {
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Ok(())
}

/// The HTML pages of the built site, as paths from its root.
fn html_pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(std::result::Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .expect("below the output")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    pages.sort();
    pages
}

fn count_visible_cards(page: &mut Page) -> Result<(u64, u64)> {
    let counts = page.eval(
        "(() => { const c = [...document.querySelectorAll('[data-catalog] [data-card]')];
           return [c.filter(x => !x.hidden && x.offsetParent !== null).length, c.length]; })()",
    )?;
    Ok((
        counts[0].as_u64().unwrap_or_default(),
        counts[1].as_u64().unwrap_or_default(),
    ))
}

#[test]
fn search_finds_a_pack_by_a_word_only_in_its_body() {
    // The word must really be only in the body of one pack, or the test
    // would prove less than it claims.
    let word = "remarkably";
    let source =
        std::fs::read_to_string(repo().join("content/packs/questioning-wait-time/pack.md"))
            .expect("read the demo pack");
    let body_start = source[3..].find("\n---").expect("front matter") + 7;
    assert!(!source[..body_start].to_lowercase().contains(word));
    assert!(source[body_start..].to_lowercase().contains(word));
    let elsewhere = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().ends_with("questioning-wait-time/pack.md"))
        .any(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|text| text.to_lowercase().contains(word))
        });
    assert!(!elsewhere, "`{word}` also appears elsewhere in the demo");

    in_both_modes("search", |env, mode, page| {
        page.goto(&mode.url(env, "tags/index.html"))?;
        ensure(
            page.eval("document.querySelector('script[src$=\"search-index.js\"]') === null")?
                == true,
            || "the index loads before the search box is used".into(),
        )?;
        page.click("#search-input")?;
        page.type_text(word)?;
        page.wait_until(
            "!!document.querySelector('#search-results a[href*=\"packs/questioning-wait-time/\"]')",
        )?;
        page.wait_until("!!document.querySelector('#search-results .result-snippet mark')")?;
        let snippet = page
            .eval_string("document.querySelector('#search-results .result-snippet').textContent")?;
        ensure(snippet.to_lowercase().contains(word), || {
            format!("the snippet does not show the word: {snippet}")
        })?;
        let results = page.eval("document.querySelectorAll('#search-results li').length")?;
        ensure(results == 1, || format!("{results} results for `{word}`"))?;

        // Keyboard: down into the results, Enter opens the pack.
        page.press("ArrowDown")?;
        let focused = page.eval_string("document.activeElement.getAttribute('href')")?;
        ensure(focused.contains("packs/questioning-wait-time/"), || {
            format!("ArrowDown focused {focused}")
        })?;
        page.expect_navigation();
        page.press("Enter")?;
        page.wait_for_load()?;
        let here = page.eval_string("location.href")?;
        ensure(
            here.ends_with("packs/questioning-wait-time/index.html"),
            || format!("Enter opened {here}"),
        )?;

        // The start of a word that is only in a further page of a pack
        // (a transcript) finds that page, not just its pack.
        page.click("#search-input")?;
        page.type_text("chrysal")?;
        page.wait_until(
            "!!document.querySelector('#search-results a[href$=\"packs/ell-communication/transcript-rephrasing/index.html\"]')",
        )?;
        ensure(page.console_errors.is_empty(), || {
            page.console_errors.join("\n")
        })
    });
}

#[test]
fn tag_filter_narrows_the_catalog_and_survives_a_reload() {
    in_both_modes("catalog filters", |env, mode, page| {
        page.goto(&mode.url(env, "index.html?tag=ELL"))?;
        page.wait_until("!document.querySelector('[data-filters]').hidden")?;
        let (shown, total) = count_visible_cards(page)?;
        let tagged = page.eval(
            "[...document.querySelectorAll('[data-catalog] [data-card]')]
               .filter(c => c.dataset.tags.split('|').includes('ell')).length",
        )?;
        ensure(
            shown == tagged.as_u64().unwrap_or(0) && shown > 0 && shown < total,
            || format!("?tag=ELL shows {shown} of {total} packs; {tagged} have the tag"),
        )?;
        ensure(
            page.eval_string("document.getElementById('filter-tag').value")? == "ell",
            || "the tag menu does not show the filter from the address".into(),
        )?;

        // Choosing another tag narrows differently and updates the address.
        page.eval(
            "(() => { const s = document.getElementById('filter-tag'); s.value = 'equity';
               s.dispatchEvent(new Event('change', { bubbles: true })); })()",
        )?;
        page.wait_until("location.search === '?tag=equity'")?;
        let (equity, _) = count_visible_cards(page)?;
        page.reload()?;
        page.wait_until("!document.querySelector('[data-filters]').hidden")?;
        let (after, total) = count_visible_cards(page)?;
        ensure(after == equity && after < total, || {
            format!("after a reload {after} of {total} packs show, {equity} before")
        })?;
        ensure(
            page.eval_string("document.getElementById('filter-tag').value")? == "equity",
            || "the filter was lost on reload".into(),
        )?;

        // Credit limit and sorting, from a shared link.
        page.goto(&mode.url(env, "index.html?credit=2.5&sort=title"))?;
        page.wait_until("!document.querySelector('[data-filters]').hidden")?;
        let visible = page.eval(
            "[...document.querySelectorAll('[data-catalog] [data-card]')].filter(c => !c.hidden)
               .map(c => [c.dataset.title, parseFloat(c.dataset.credit)])",
        )?;
        let visible = visible.as_array().cloned().unwrap_or_default();
        ensure(!visible.is_empty(), || {
            "no pack of 2.5 hours or less".into()
        })?;
        ensure(
            visible.iter().all(|c| c[1].as_f64().unwrap_or(99.0) <= 2.5),
            || format!("packs over 2.5 hours shown: {visible:?}"),
        )?;
        let titles: Vec<String> = visible
            .iter()
            .map(|c| c[0].as_str().unwrap_or_default().to_lowercase())
            .collect();
        let mut sorted = titles.clone();
        sorted.sort();
        ensure(titles == sorted, || {
            format!("not sorted by title: {titles:?}")
        })?;
        ensure(page.console_errors.is_empty(), || {
            page.console_errors.join("\n")
        })
    });
}

#[test]
fn ticking_a_resource_counts_its_minutes_and_shows_on_my_learning() {
    in_both_modes("progress", |env, mode, page| {
        page.goto(&mode.url(env, "packs/ell-communication/index.html"))?;
        page.wait_until("!document.querySelector('label.done').hidden")?;
        let text =
            "document.querySelector('.pack [data-progress-summary] .progress-text').textContent";
        ensure(page.eval_string(text)? == "0 of 120 minutes done", || {
            format!("before ticking: {}", page_text(page, text))
        })?;
        page.click("input[data-done='why-rephrasing-beats-repeating']")?;
        page.wait_until(&format!("{text} === '20 of 120 minutes done'"))?;
        // An optional resource does not count toward the minutes.
        page.click("input[data-done='translanguaging-in-the-mainstream-classroom']")?;
        page.wait_until(
            "document.querySelector(\"input[data-done='translanguaging-in-the-mainstream-classroom']\").checked",
        )?;
        ensure(page.eval_string(text)? == "20 of 120 minutes done", || {
            "an optional resource changed the credited minutes".into()
        })?;

        page.reload()?;
        page.wait_until(
            "document.querySelector(\"input[data-done='why-rephrasing-beats-repeating']\").checked",
        )?;
        page.wait_until(&format!("{text} === '20 of 120 minutes done'"))?;

        page.goto(&mode.url(env, "index.html"))?;
        page.wait_until(
            "(() => { const p = document.querySelector('[data-slug=\"ell-communication\"] [data-card-progress]');
               return !p.hidden && p.textContent.includes('20 of 120 minutes done'); })()",
        )?;

        page.goto(&mode.url(env, "my-learning/index.html"))?;
        page.wait_until("!document.querySelector('[data-learning-table]').hidden")?;
        let row =
            page.eval_string("document.querySelector('[data-learning-rows] tr').textContent")?;
        ensure(
            row.contains("Communicating with English language learners")
                && row.contains("20 of 120 min")
                && row.contains("In progress"),
            || format!("My learning shows: {row}"),
        )?;
        let body = page.eval_string("document.body.textContent")?;
        ensure(body.contains("Nothing you tick is sent anywhere"), || {
            "My learning does not say that nothing leaves the browser".into()
        })?;
        ensure(page.console_errors.is_empty(), || {
            page.console_errors.join("\n")
        })
    });
}

fn page_text(page: &mut Page, expression: &str) -> String {
    page.eval_string(expression).unwrap_or_else(|e| e)
}

/// Requests that leave the machine: anything but the test server, files
/// and the browser's own schemes.
fn third_party(requests: &[String], env: &Env) -> Vec<String> {
    support::leaving_requests(requests, &format!("http://{}/", env.server.addr()))
}

#[test]
fn a_youtube_resource_contacts_no_one_until_play_is_clicked() {
    in_both_modes("youtube", |env, mode, page| {
        page.goto(&mode.url(env, "packs/questioning-wait-time/index.html"))?;
        page.wait_until("document.readyState === 'complete'")?;
        page.wait_until("!document.querySelector('.player-play').hidden")?;
        let before = third_party(&page.requests, env);
        let proxied = env.server.take_proxied_hosts();
        ensure(before.is_empty() && proxied.is_empty(), || {
            format!("third-party requests on load: {before:?} {proxied:?}")
        })?;
        ensure(
            page.eval("document.querySelectorAll('iframe').length")? == 0,
            || "an iframe is in the page before play".into(),
        )?;

        page.click(".player-play")?;
        page.wait_until(
            "!!document.querySelector('.player iframe[src^=\"https://www.youtube-nocookie.com/embed/aISXCw0Pi94\"]')",
        )?;
        let mut hosts = Vec::new();
        wait_for("the player's request", || {
            hosts.extend(env.server.take_proxied_hosts());
            hosts.iter().any(|h| h == "www.youtube-nocookie.com")
        })?;
        let after = third_party(&page.requests, env);
        ensure(
            hosts.iter().all(|h| h == "www.youtube-nocookie.com")
                && !after.is_empty()
                && after
                    .iter()
                    .all(|r| r.starts_with("https://www.youtube-nocookie.com/embed/")),
            || format!("contacted after play: {hosts:?} {after:?}"),
        )
    });
}

#[test]
fn no_page_logs_an_error_or_breaks_wcag_2_1_aa() {
    in_both_modes("console and accessibility", |env, mode, page| {
        // First, the checks must be able to fail.
        page.goto(&mode.url(env, "index.html"))?;
        page.eval("console.error('planted error')")?;
        page.wait_until("document.readyState === 'complete'")?;
        ensure(
            page.console_errors
                .drain(..)
                .any(|e| e.contains("planted error")),
            || "a console error went unnoticed".into(),
        )?;
        page.eval("document.querySelector('main').append(document.createElement('img'))")?;
        let found = axe_violations(page, &env.axe)?;
        ensure(found.iter().any(|v| v.starts_with("image-alt")), || {
            format!("axe missed an image without alt text: {found:?}")
        })?;

        let mut problems = Vec::new();
        let mut check = |page: &mut Page, label: &str, run_axe: bool| -> Result<()> {
            page.wait_until("document.readyState === 'complete'")?;
            for error in page.console_errors.drain(..) {
                problems.push(format!("{label}: {error}"));
            }
            if run_axe {
                for v in axe_violations(page, &env.axe)? {
                    problems.push(format!("{label}: {v}"));
                }
            }
            Ok(())
        };
        for path in html_pages(&env.out()) {
            // 404.html links from the server's root; it is not for file://.
            if path == "404.html" && mode == Mode::File {
                continue;
            }
            page.goto(&mode.url(env, &path))?;
            // The same files, so the rules need checking only once; the
            // console is checked in both places.
            check(page, &path, mode == Mode::Http)?;
        }

        // The states that scripts create: search results open, progress
        // ticked, My learning filled in; in light and dark.
        for dark in [false, true] {
            let scheme = if dark { "dark" } else { "light" };
            page.emulate(1280, dark)?;
            page.goto(&mode.url(env, "packs/ell-communication/index.html"))?;
            page.wait_until("!document.querySelector('label.done').hidden")?;
            if !dark {
                page.click("input[data-done='why-rephrasing-beats-repeating']")?;
            }
            page.click("#search-input")?;
            page.type_text("wait")?;
            page.wait_until("!!document.querySelector('#search-results .result-snippet')")?;
            check(page, &format!("pack page, search open, {scheme}"), true)?;
            page.goto(&mode.url(env, "index.html?tag=equity"))?;
            page.wait_until("!document.querySelector('[data-card-progress]').hidden")?;
            check(page, &format!("catalog, filtered, {scheme}"), true)?;
            page.goto(&mode.url(env, "my-learning/index.html"))?;
            page.wait_until("!document.querySelector('[data-learning-table]').hidden")?;
            check(page, &format!("my learning, {scheme}"), true)?;
            page.goto(&mode.url(env, "packs/questioning-wait-time/facilitator/index.html"))?;
            check(page, &format!("facilitator page, {scheme}"), true)?;
            page.emulate(390, dark)?;
            page.goto(&mode.url(env, "pathways/year-of-growth/index.html"))?;
            check(page, &format!("pathway at 390 px, {scheme}"), true)?;
        }
        ensure(problems.is_empty(), || problems.join("\n"))
    });
}

/// Installed in every document before its own scripts: records each
/// Content-Security-Policy violation the page reports.
const RECORD_VIOLATIONS: &str = "window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' refused ' + (e.blockedURI || 'inline code') + ' at ' +
    (e.sourceFile || location.href) + ':' + e.lineNumber));";

/// The violations the current page recorded, with `label` before each.
fn violations(page: &mut Page, label: &str) -> Result<Vec<String>> {
    page.wait_until("document.readyState === 'complete'")?;
    let found = page.eval("window.__violations")?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| format!("{label}: {}", v.as_str().unwrap_or_default()))
        .collect())
}

/// Shows that the recorder catches a violation of the page's own policy:
/// an inline script, which must not run either.
fn a_planted_inline_script_is_refused(page: &mut Page, url: &str) -> Result<()> {
    page.goto(url)?;
    page.eval(
        "(() => { const s = document.createElement('script');
           s.textContent = 'window.planted = true'; document.body.append(s); })()",
    )?;
    page.wait_until("window.__violations.length > 0")?;
    ensure(page.eval("window.planted === undefined")? == true, || {
        "a planted inline script ran".into()
    })?;
    let found = violations(page, "planted")?;
    ensure(found.iter().any(|v| v.contains("script-src")), || {
        format!("the planted script was not reported as such: {found:?}")
    })?;
    // Chromium also logs the refusal; that one was meant.
    page.console_errors.clear();
    Ok(())
}

#[test]
fn no_page_of_the_demo_breaks_its_content_security_policy() {
    in_both_modes("content security policy", |env, mode, page| {
        page.call(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": RECORD_VIOLATIONS }),
        )?;
        // From disk only the page's own <meta> states a policy: this
        // shows that it is in force.
        a_planted_inline_script_is_refused(page, &mode.url(env, "index.html"))?;

        let mut problems = Vec::new();
        for path in html_pages(&env.out()) {
            // 404.html links from the server's root; it is not for file://.
            if path == "404.html" && mode == Mode::File {
                continue;
            }
            page.goto(&mode.url(env, &path))?;
            problems.extend(violations(page, &path)?);
        }
        // What scripts add later: search results, and a player's frame.
        page.goto(&mode.url(env, "packs/questioning-wait-time/index.html"))?;
        page.click("#search-input")?;
        page.type_text("wait")?;
        page.wait_until("!!document.querySelector('#search-results .result-snippet')")?;
        page.click(".player-play")?;
        page.wait_until("!!document.querySelector('.player iframe')")?;
        problems.extend(violations(page, "search and player")?);
        problems.append(&mut page.console_errors);
        ensure(problems.is_empty(), || problems.join("\n"))
    });
}

#[test]
fn the_dev_server_keeps_the_policy_with_live_reload() {
    let Some(env) = env() else {
        shout("SKIPPED browser test `policy under serve` (see above).");
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let site = common::TestSite::demo();
    let serve = DevServer::start(&site);
    let mut browser = Chromium::launch(&env.chromium, env.background.addr())
        .unwrap_or_else(|e| panic!("policy under serve: {e}"));
    let mut page = browser
        .new_page(env.server.addr())
        .unwrap_or_else(|e| panic!("policy under serve: {e}"));
    let check = |page: &mut Page| -> Result<()> {
        page.call(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": RECORD_VIOLATIONS }),
        )?;
        a_planted_inline_script_is_refused(page, &format!("{}index.html", serve.url))?;
        let mut problems = Vec::new();
        for path in html_pages(&env.out()) {
            page.goto(&format!("{}{path}", serve.url))?;
            // Long enough for the reload script to open its event stream.
            page.wait_until(
                "performance.getEntriesByType('resource').some(r => r.name.includes('__flippack/'))",
            )?;
            problems.extend(violations(page, &path)?);
        }
        problems.append(&mut page.console_errors);
        ensure(problems.is_empty(), || problems.join("\n"))
    };
    if let Err(e) = check(&mut page) {
        panic!("policy under serve: {e}");
    }
}

#[test]
fn without_javascript_every_resource_and_link_is_there() {
    in_both_modes("no javascript", |env, mode, page| {
        page.set_javascript(false)?;
        page.goto(&mode.url(env, "packs/questioning-wait-time/index.html"))?;
        let facts = page.eval(
            "(() => { const shown = s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length;
               return [shown('.resource-title a'), shown('label.done'), shown('[data-search]'), shown('.player-play'),
                       document.querySelectorAll('.resource').length]; })()",
        )?;
        ensure(
            facts[0] == facts[4] && facts[1] == 0 && facts[2] == 0 && facts[3] == 0,
            || {
                format!(
                    "[links, checkboxes, search, play buttons, resources] = {facts}: \
                     links must all show and script-only controls must not"
                )
            },
        )?;
        page.goto(&mode.url(env, "index.html"))?;
        let (shown, total) = count_visible_cards(page)?;
        ensure(shown == total && total > 0, || {
            format!("{shown} of {total} packs show without JavaScript")
        })?;
        let form = page.eval("document.querySelector('[data-filters]').offsetParent === null")?;
        ensure(form == true, || {
            "the filter form shows without JavaScript".into()
        })
    });
}

#[test]
fn nothing_is_wider_than_a_360_px_phone() {
    in_both_modes("360 px", |env, mode, page| {
        page.emulate(360, false)?;
        let mut wide = Vec::new();
        for path in [
            "index.html",
            "packs/ell-communication/index.html",
            "packs/ell-communication/facilitator/index.html",
            "packs/ell-communication/reading-rephrasing/index.html",
            "pathways/year-of-growth/index.html",
            "tags/index.html",
            "my-learning/index.html",
        ] {
            page.goto(&mode.url(env, path))?;
            let width = page.eval("document.documentElement.scrollWidth")?;
            if width.as_u64().unwrap_or(u64::MAX) > 360 {
                wide.push(format!("{path}: {width} px"));
            }
        }
        ensure(wide.is_empty(), || wide.join("\n"))
    });
}

#[test]
fn screenshots_for_review() {
    let Some(env) = env() else {
        shout("SKIPPED browser test `screenshots_for_review` (see above).");
        return;
    };
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target"));
    let folder = target.join("screenshots");
    std::fs::create_dir_all(&folder).expect("create target/screenshots");
    in_both_modes("screenshots", |env, mode, page| {
        if mode == Mode::File {
            return Ok(());
        }
        // Some progress, so that the bars show.
        page.goto(&mode.url(env, "packs/ell-communication/index.html"))?;
        page.wait_until("!document.querySelector('label.done').hidden")?;
        for key in [
            "rephrasing-not-repeating-four-moves-for-when-talk-breaks-down",
            "why-rephrasing-beats-repeating",
        ] {
            page.click(&format!("input[data-done='{key}']"))?;
        }
        for (name, path) in [
            ("catalog", "index.html"),
            ("pack", "packs/ell-communication/index.html"),
        ] {
            for width in [1280, 390] {
                for dark in [false, true] {
                    page.emulate(width, dark)?;
                    page.goto(&mode.url(env, path))?;
                    page.wait_until("document.readyState === 'complete'")?;
                    page.wait_until("!document.querySelector('[data-progress-summary], [data-card-progress]').hidden")?;
                    let scheme = if dark { "-dark" } else { "" };
                    for (suffix, full) in [("", true), ("-top", false)] {
                        let png = page.screenshot(full)?;
                        let file = folder.join(format!("{name}-{width}{scheme}{suffix}.png"));
                        std::fs::write(&file, png)
                            .map_err(|e| format!("{}: {e}", file.display()))?;
                    }
                }
            }
        }
        Ok(())
    });
    let _ = env;
    shout(&format!("Screenshots for review: {}", folder.display()));
}

/// A running `flippack serve` on a copy of the demo site, killed when
/// dropped.
struct DevServer {
    child: std::process::Child,
    /// The address of the site, ending in `/`.
    url: String,
}

impl DevServer {
    fn start(site: &common::TestSite) -> DevServer {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_flippack"))
            .args(["serve", "--port", "0"])
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start flippack serve");
        let stdout = child.stdout.take().expect("stdout");
        let (found, url) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(|l| l.ok())
            {
                if let Some(at) = line.find("http://") {
                    let _ = found.send(line[at..].trim().to_string());
                }
            }
        });
        let url = url
            .recv_timeout(cdp::PATIENCE)
            .expect("flippack serve prints the address of the site");
        DevServer { child, url }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_save_reloads_the_open_page_where_it_was_and_errors_show_over_it() {
    let Some(env) = env() else {
        shout("SKIPPED browser test `live reload` (see above).");
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let site = common::TestSite::demo();
    // A site theme that overrides only the stylesheet, to change it while
    // the page is open.
    site.replace("site.yaml", "theme: default", "theme: mine");
    site.write(
        "themes/mine/static/style.css",
        std::fs::read(repo().join("themes/default/static/style.css")).expect("default style"),
    );
    let serve = DevServer::start(&site);
    let pack = "content/packs/time-management/pack.md";
    let url = format!("{}packs/time-management/index.html", serve.url);

    let mut browser = Chromium::launch(&env.chromium, env.background.addr())
        .unwrap_or_else(|e| panic!("live reload: {e}"));
    let mut page = browser
        .new_page(env.server.addr())
        .unwrap_or_else(|e| panic!("live reload: {e}"));
    let check = |page: &mut Page| -> Result<()> {
        page.emulate(1280, false)?;
        page.goto(&url)?;
        // The page's script is connected once it has asked for events.
        page.wait_until("document.readyState === 'complete'")?;
        std::thread::sleep(std::time::Duration::from_millis(300));
        page.eval("window.scrollTo(0, 500); window.notReloaded = true")?;
        let scrolled = page.eval("window.scrollY")?.as_f64().unwrap_or(0.0);
        ensure(scrolled > 100.0, || {
            format!("the pack page is too short to scroll ({scrolled})")
        })?;

        // A stylesheet change swaps the stylesheet in place.
        let mut css = site.read("themes/mine/static/style.css");
        css.push_str("\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
        site.write("themes/mine/static/style.css", css);
        page.wait_until("getComputedStyle(document.body).outlineWidth === '7px'")?;
        ensure(page.eval("window.notReloaded === true")? == true, || {
            "a stylesheet change reloaded the page".into()
        })?;

        // A new title reloads the page, at the same place. (A title that
        // wraps the same way: a shorter one would move the text up.)
        site.replace(
            pack,
            "title: \"Time management for teachers: protecting planning time\"",
            "title: \"Time management for teachers: protecting planning days\"",
        );
        page.wait_until("document.querySelector('h1')?.textContent.includes('planning days')")?;
        page.wait_until("document.readyState === 'complete' && window.scrollY > 0")?;
        ensure(
            page.eval("window.notReloaded === undefined")? == true,
            || "the page changed without a reload".into(),
        )?;
        let now = page.eval("window.scrollY")?.as_f64().unwrap_or(0.0);
        ensure((now - scrolled).abs() < 2.0, || {
            format!("scrolled to {scrolled} before the reload, {now} after")
        })?;

        // Broken front matter: the page stays, with the error over it.
        site.replace(
            pack,
            "title: \"Time management for teachers: protecting planning days\"",
            "title: [Any time",
        );
        page.wait_until("!!document.querySelector('flippack-overlay')")?;
        let whereabouts = page.eval_string(
            "document.querySelector('flippack-overlay').shadowRoot.querySelector('.where')?.textContent ?? ''",
        )?;
        ensure(
            whereabouts.starts_with(pack) && whereabouts.contains(':'),
            || format!("the overlay points at {whereabouts}"),
        )?;
        ensure(
            page.eval_string("document.querySelector('h1').textContent")?
                .contains("planning days"),
            || "the last good page is no longer shown".into(),
        )?;

        // The fix takes the overlay away and shows the new page.
        site.replace(pack, "title: [Any time", "title: Time well spent");
        page.wait_until(
            "!document.querySelector('flippack-overlay') && document.querySelector('h1')?.textContent.includes('Time well spent')",
        )?;
        ensure(page.console_errors.is_empty(), || {
            page.console_errors.join("\n")
        })
    };
    if let Err(e) = check(&mut page) {
        panic!("live reload: {e}");
    }
}
