//! What a teacher notices in real headless Chromium, on the demo site built
//! by the `flippack` binary: a catalog that stays still while its scripts
//! start on a phone, search results in a sensible order, and My learning
//! counting a pack as finished only once its workshop is attended.
//!
//! Needs Chromium, as tests/browser.rs does (the Debian package `chromium`,
//! or `$CHROMIUM`). Without it every test here fails, saying what to
//! install; `FLIPPACK_SKIP_BROWSER_TESTS=1` leaves them out on purpose, and
//! each says loudly that it was skipped (under `CI=true` that is a failure
//! too).

#[allow(dead_code)]
#[path = "browser/cdp.rs"]
mod cdp;
#[path = "common/mod.rs"]
mod common;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use cdp::{Chromium, Page, Result};
use common::shout;
use serde_json::json;
use server::Server;
use support::ensure;

/// How long the slow server holds back every script: long enough that the
/// page is always drawn before its scripts run, on any machine.
const SCRIPT_DELAY: Duration = Duration::from_millis(600);

struct Env {
    site: tempfile::TempDir,
    /// Serves the site; the pages' proxy.
    server: Server,
    /// Serves the same site with every script held back.
    slow: Server,
    /// The browser's own proxy: refuses everything.
    background: Server,
    chromium: PathBuf,
}

impl Env {
    fn out(&self) -> PathBuf {
        self.site.path().join("public")
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env() -> Option<&'static Env> {
    static ENV: OnceLock<Option<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let support::Tools { chromium, .. } = support::tools()?;
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
        let server = Server::start(out.clone()).expect("start the test server");
        let slow =
            Server::start_with_script_delay(out, SCRIPT_DELAY).expect("start the slow server");
        let background = Server::start(site.path().join("nothing")).expect("start a proxy");
        Some(Env {
            site,
            server,
            slow,
            background,
            chromium,
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

/// Browser tests run one at a time: each starts a whole browser.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `check` in a fresh browser at `width` px, once in each of `modes`.
fn in_browser(
    test: &str,
    width: u32,
    modes: &[Mode],
    check: impl Fn(&Env, Mode, &mut Page) -> Result<()>,
) {
    let Some(env) = env() else {
        shout(&format!("SKIPPED browser test `{test}` (see above)."));
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for &mode in modes {
        let mut browser = Chromium::launch(&env.chromium, env.background.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        let mut page = browser
            .new_page(env.server.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        page.emulate(width, false)
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        if let Err(e) = check(env, mode, &mut page) {
            panic!("{test} ({mode:?}): {e}");
        }
    }
}

/// Sums the page's layout shifts, as Lighthouse's CLS does for a page
/// that is only loaded (no input), from before its first paint.
const LAYOUT_SHIFTS: &str = "window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
}).observe({ type: 'layout-shift', buffered: true });";

/// The layout shift of `path` loaded over the slow server, once its
/// scripts have run and two frames have been drawn since.
fn layout_shift(env: &Env, page: &mut Page, path: &str, ready: &str) -> Result<f64> {
    page.goto(&env.slow.url(path))?;
    page.wait_until(ready)?;
    let total = page.eval(
        "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>
           setTimeout(() => done(window.__shifts.reduce((a, b) => a + b, 0)), 100))))",
    )?;
    total
        .as_f64()
        .ok_or_else(|| format!("no layout shift figure on {path}: {total}"))
}

#[test]
fn the_catalog_and_a_pack_page_stay_still_while_their_scripts_start_on_a_phone() {
    in_browser("layout shift", 390, &[Mode::Http], |env, _, page| {
        page.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": LAYOUT_SHIFTS }),
        )?;
        // The scripts really came after the first paint, or the figure
        // would prove nothing.
        let catalog = layout_shift(
            env,
            page,
            "index.html",
            "!!window.flippack && document.querySelector('[data-filter-status]').textContent !== ''
             && performance.getEntriesByType('paint').length > 0",
        )?;
        let painted_first = page.eval(
            "performance.getEntriesByType('paint')[0].startTime
               < performance.getEntriesByType('resource').find(r => r.name.endsWith('site.js')).responseEnd",
        )?;
        ensure(painted_first == true, || {
            "the catalog was not drawn before its scripts arrived".into()
        })?;
        ensure(catalog < 0.1, || {
            format!("the catalog shifts by {catalog:.3} while its scripts start (must be < 0.1)")
        })?;
        let pack = layout_shift(
            env,
            page,
            "packs/questioning-wait-time/index.html",
            "!!window.flippack && !document.querySelector('label.done').hidden",
        )?;
        ensure(pack < 0.1, || {
            format!("the pack page shifts by {pack:.3} while its scripts start (must be < 0.1)")
        })
    });
}

/// The packs of the results for `query`, in their order on screen.
fn search(page: &mut Page, query: &str) -> Result<Vec<String>> {
    page.click("#search-input")?;
    page.eval("document.querySelector('#search-input').value = ''")?;
    page.type_text(query)?;
    page.wait_until("document.querySelectorAll('#search-results li').length > 0")?;
    let found = page.eval(
        "[...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href'))",
    )?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(str::to_string)
        .collect())
}

fn place(results: &[String], slug: &str) -> Option<usize> {
    results
        .iter()
        .position(|href| href.contains(&format!("packs/{slug}/")))
}

#[test]
fn several_words_rank_the_pack_that_has_them_together_first() {
    in_browser(
        "search order",
        1280,
        &[Mode::Http, Mode::File],
        |env, mode, page| {
            page.goto(&mode.url(env, "index.html"))?;
            for query in ["wait time", "\"wait time\"", "time wait"] {
                let results = search(page, query)?;
                let wait = place(&results, "questioning-wait-time");
                let time = place(&results, "time-management");
                ensure(wait == Some(0), || {
                    format!("`{query}`: the wait-time pack is not first: {results:?}")
                })?;
                ensure(time.is_none_or(|t| t > 0), || {
                    format!("`{query}`: Time management ranks first: {results:?}")
                })?;
            }
            ensure(page.console_errors.is_empty(), || {
                page.console_errors.join("\n")
            })
        },
    );
}

/// A pack of the search test's site: `title`, and `body` as its text.
fn search_pack(title: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nsummary: A pack for the search test.\ngoal: Teachers can search.\n\
         self_study:\n  - title: Read the notes\n    kind: reading\n    url: https://example.org/notes\n    duration: 20m\n\
         workshop:\n  agenda:\n    - title: Discuss\n      minutes: 30\n  prompts:\n    - What did you try?\n---\n{body}\n"
    )
}

#[test]
fn a_phrase_in_a_title_and_every_word_rank_above_some_of_the_words() {
    let site = common::TestSite::empty();
    site.write("site.yaml", "title: Search test\nexample_site: true\n")
        // Both words in the title, apart; first in the catalog's order.
        .write(
            "content/packs/apart/pack.md",
            search_pack("Plan the lesson: wait, then time it", "Steps for a lesson."),
        )
        // The words as a phrase.
        .write(
            "content/packs/phrase/pack.md",
            search_pack("Questioning and wait time", "Give students time."),
        )
        // One of the words only.
        .write(
            "content/packs/one-word/pack.md",
            search_pack("Moderation with a rubric", "Teachers wait for the scores."),
        );
    site.run(&["build"]).ok();
    let out = site.path("public");
    in_browser("phrase search", 1280, &[Mode::File], |_, _, page| {
        page.goto(&format!("file://{}/index.html", out.display()))?;
        for query in ["wait time", "wait tim"] {
            let results = search(page, query)?;
            let order: Vec<Option<usize>> = ["phrase", "apart", "one-word"]
                .iter()
                .map(|slug| place(&results, slug))
                .collect();
            ensure(order == [Some(0), Some(1), Some(2)], || {
                format!(
                    "`{query}`: the phrase, then both words, then one word, but got {results:?}"
                )
            })?;
        }
        Ok(())
    });
}

/// My learning's summary: `[started, finished, credit]` as shown.
fn learning_summary(page: &mut Page, root: &str) -> Result<serde_json::Value> {
    page.goto(&format!("{root}my-learning/index.html"))?;
    page.wait_until("!document.querySelector('[data-learning-summary]').hidden")?;
    page.eval(
        "['started', 'finished', 'credit'].map(k => document.querySelector('[data-sum=\"' + k + '\"]').textContent)",
    )
}

#[test]
fn my_learning_counts_a_pack_finished_only_once_its_workshop_is_attended() {
    in_browser(
        "finished packs",
        1280,
        &[Mode::Http, Mode::File],
        |env, mode, page| {
            let root = mode.url(env, "");
            let pack = "packs/questioning-wait-time/index.html";
            page.goto(&format!("{root}{pack}"))?;
            page.wait_until("!document.querySelector('label.done').hidden")?;
            let credit =
                page.eval_string("document.querySelector('[data-pack]').dataset.credit")?;
            // Every credited resource ticked: the self-study is done.
            page.eval(
            "[...document.querySelectorAll('[data-resource]:not([data-optional]) input[data-done]')]
               .forEach(b => { b.checked = true; b.dispatchEvent(new Event('change', { bubbles: true })); })",
        )?;
            let summary = learning_summary(page, &root)?;
            ensure(summary == json!(["1", "0", "0"]), || {
                format!("self-study done, workshop not attended: [started, finished, credit] = {summary}")
            })?;
            let status = page.eval_string("document.querySelector('.record td.status-started, .record td.status-done').textContent")?;
            ensure(status.contains("workshop"), || {
                format!("the status of a pack whose workshop is not attended: {status}")
            })?;

            // The teacher marks the workshop attended.
            page.goto(&format!("{root}{pack}"))?;
            page.wait_until("!document.querySelector('label.done').hidden")?;
            page.click("input[data-field='workshop:attended']")?;
            page.wait_until(
                "JSON.parse(localStorage.getItem(document.documentElement.dataset.storageKey))
               .packs['questioning-wait-time'].fields['workshop:attended'] === true",
            )?;
            let summary = learning_summary(page, &root)?;
            ensure(summary == json!(["1", "1", credit]), || {
                format!("self-study done and workshop attended: [started, finished, credit] = {summary}, credit {credit}")
            })?;

            // Attendance kept by an attendance code counts the same way.
            page.eval(
            "(() => { const key = document.documentElement.dataset.storageKey;
               const data = JSON.parse(localStorage.getItem(key));
               delete data.packs['questioning-wait-time'].fields['workshop:attended'];
               data.attendance = { 'questioning-wait-time': { date: '2026-09-15', name: 'Sam', token: 'x' } };
               localStorage.setItem(key, JSON.stringify(data)); })()",
        )?;
            let summary = learning_summary(page, &root)?;
            ensure(summary == json!(["1", "1", credit]), || {
                format!("self-study done and an attendance code entered: {summary}")
            })?;
            ensure(page.console_errors.is_empty(), || {
                page.console_errors.join("\n")
            })
        },
    );
}

#[test]
fn card_titles_look_like_links_and_step_figures_stay_on_one_line_on_a_phone() {
    in_browser("links and pills", 390, &[Mode::Http], |env, mode, page| {
        page.goto(&mode.url(env, "index.html"))?;
        let looks = page.eval(
            "(() => { const look = s => { const c = getComputedStyle(document.querySelector(s));
                 return [c.color, c.textDecorationLine]; };
               return [look('.card-title a'), look('.pathway-card h3 a')]; })()",
        )?;
        ensure(looks[0] == looks[1], || {
            format!(
                "a card's title does not look like a pathway's (a link): [card, pathway] = {looks}"
            )
        })?;
        ensure(
            looks[0][1]
                .as_str()
                .is_some_and(|d| d.contains("underline")),
            || format!("a card's title is not underlined like a link: {looks}"),
        )?;
        for slug in [
            "questioning-wait-time",
            "ell-communication",
            "rti-rollout",
            "time-management",
            "assessment-moderation",
        ] {
            page.goto(&mode.url(env, &format!("packs/{slug}/index.html")))?;
            let broken = page.eval(
                "[...document.querySelectorAll('.cycle-nav .meta, .facts dd')]
                   .filter(e => { const r = document.createRange(); r.selectNodeContents(e);
                     return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size > 1; })
                   .map(e => e.textContent)",
            )?;
            ensure(broken.as_array().is_some_and(Vec::is_empty), || {
                format!("{slug}: figures broken over two lines at 390 px: {broken}")
            })?;
        }
        Ok(())
    });
}

/// Whether the theme's stylesheet styles the page: its header rule.
const STYLED: &str =
    "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle === 'solid'
  && getComputedStyle(document.querySelector('.logo')).width === '28px'";

#[test]
fn the_404_page_keeps_its_styles_from_disk_and_under_a_sub_path() {
    in_browser("404 styles", 1280, &[Mode::File], |env, mode, page| {
        page.goto(&mode.url(env, "404.html"))?;
        ensure(page.eval(STYLED)? == true, || {
            "404.html opened from disk has lost its styles".into()
        })?;
        // The same site copied into /pd/ of a server, with `base_url: "/"`.
        let host = tempfile::tempdir().map_err(|e| e.to_string())?;
        common::copy_dir(&env.out(), &host.path().join("pd"));
        let server = Server::start(host.path().to_path_buf()).map_err(|e| e.to_string())?;
        page.goto(&server.url("pd/404.html"))?;
        ensure(page.eval(STYLED)? == true, || {
            "404.html under a sub-path has lost its styles".into()
        })
    });
}
