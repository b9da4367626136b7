//! Sessions on a pack page are marked as past by the browser, on the day
//! the page is read, not on the day it was built: in real headless
//! Chromium, on a site built into a temporary folder with sessions dated
//! around the test's own run time, from file:// and over http.
//!
//! Needs Chromium, as tests/browser.rs does; without it the tests say so
//! and pass, unless `CI=true`.

#[allow(dead_code, reason = "tests/browser.rs uses the rest of the client")]
#[path = "browser/cdp.rs"]
mod cdp;
#[path = "common/mod.rs"]
mod common;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/support.rs"]
mod support;

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use cdp::{Chromium, Page, Result};
use common::TestSite;
use jiff::ToSpan;
use server::Server;
use support::ensure;

/// A day `days` from today (negative: before), as `YYYY-MM-DD`. Today in
/// UTC: the browser reads dates on its own clock, and the sessions are
/// days apart, so the zone makes no difference.
fn day(days: i64) -> String {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    today
        .checked_add(days.days())
        .expect("a date near today")
        .to_string()
}

/// A pack whose workshop has the sessions `sessions` (YAML list items).
fn pack(title: &str, sessions: &str) -> String {
    format!(
        "---
title: {title}
summary: A pack with dated workshop sessions.
goal: Teachers plan one routine.
self_study:
  - title: Watch the routine
    kind: video
    url: https://example.org/routine
    duration: 30m
    captions: true
workshop:
  format: in-person
  duration: 1h
  prompts:
    - What did you notice?
  sessions:
{sessions}---
The overview.
"
    )
}

struct Env {
    site: TestSite,
    server: Server,
    background: Server,
    _nothing: tempfile::TempDir,
    chromium: PathBuf,
}

fn env() -> Option<&'static Env> {
    static ENV: OnceLock<Option<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let support::Tools { chromium, .. } = support::tools()?;
        let site = TestSite::empty();
        site.write(
            "site.yaml",
            "title: Sessions\nexample_site: true\ntimezone: America/New_York\n",
        );
        // One session a month ago, one in a month, and one without times
        // in two days.
        site.write(
            "content/packs/soon/pack.md",
            pack(
                "Soon",
                &format!(
                    "    - date: {}\n      start: \"15:30\"\n      place: Library\n\
                     \x20   - date: {}\n      start: \"15:30\"\n      place: Room 114\n\
                     \x20   - date: {}\n      place: Hall\n",
                    day(-30),
                    day(30),
                    day(2)
                ),
            ),
        );
        // Every session over: one with times, one without.
        site.write(
            "content/packs/over/pack.md",
            pack(
                "Over",
                &format!(
                    "    - date: {}\n      start: \"09:00\"\n      place: Library\n\
                     \x20   - date: {}\n      place: Hall\n",
                    day(-40),
                    day(-2)
                ),
            ),
        );
        site.run(&["build"]).ok();
        let server = Server::start(site.path("public")).expect("start the test server");
        let nothing = tempfile::tempdir().expect("temporary folder");
        let background = Server::start(nothing.path().join("none")).expect("start a proxy");
        Some(Env {
            site,
            server,
            background,
            _nothing: nothing,
            chromium,
        })
    })
    .as_ref()
}

#[derive(Debug, Clone, Copy)]
enum Mode {
    Http,
    File,
}

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn in_both_modes(test: &str, check: impl Fn(&Env, Mode, &mut Page) -> Result<()>) {
    let Some(env) = env() else {
        common::shout(&format!("SKIPPED browser test `{test}` (see above)."));
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for mode in [Mode::Http, Mode::File] {
        let mut browser = Chromium::launch(&env.chromium, env.background.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        let mut page = browser
            .new_page(env.server.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        let url = |path: &str| match mode {
            Mode::Http => env.server.url(path),
            Mode::File => format!("file://{}/{path}", env.site.path("public").display()),
        };
        let opened = page.goto(&url("packs/soon/index.html"));
        if let Err(e) = opened.and_then(|()| check(env, mode, &mut page)) {
            panic!("{test} ({mode:?}): {e}");
        }
        if let Err(e) = page
            .goto(&url("packs/over/index.html"))
            .and_then(|()| over(&mut page))
        {
            panic!("{test} ({mode:?}, every session over): {e}");
        }
    }
}

/// Each session's text and whether it is marked as past, once the page's
/// scripts have run.
fn sessions(page: &mut Page) -> Result<Vec<(String, bool)>> {
    page.wait_until("document.readyState === 'complete'")?;
    let found = page.eval(
        "[...document.querySelectorAll('.sessions .session')].map(li =>
           [li.textContent.replace(/\\s+/g, ' ').trim(), li.classList.contains('is-past')])",
    )?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| (s[0].as_str().unwrap_or_default().to_string(), s[1] == true))
        .collect())
}

fn calendar_link_shown(page: &mut Page) -> Result<bool> {
    let shown = page.eval(
        "(() => { const a = document.querySelector('.add-to-calendar');
           return !!a && a.getClientRects().length > 0; })()",
    )?;
    Ok(shown == true)
}

/// The pack whose sessions are all over.
fn over(page: &mut Page) -> Result<()> {
    let found = sessions(page)?;
    ensure(
        found.len() == 2
            && found
                .iter()
                .all(|(text, past)| *past && text.ends_with("(past)")),
        || format!("every session of the pack is over: {found:?}"),
    )?;
    ensure(!calendar_link_shown(page)?, || {
        "Add to calendar is offered with every session over".to_string()
    })
}

#[test]
fn sessions_that_have_ended_are_marked_as_past_when_the_page_is_viewed() {
    in_both_modes("past sessions", |env, _mode, page| {
        // The built page says nothing of it: it may be read months later.
        let built = env.site.read("public/packs/soon/index.html");
        ensure(
            !built.contains("(past)") && !built.contains("is-past"),
            || "the built page marks a session as past".to_string(),
        )?;
        let found = sessions(page)?;
        ensure(found.len() == 3, || format!("three sessions: {found:?}"))?;
        let past: Vec<&(String, bool)> = found.iter().filter(|(_, past)| *past).collect();
        ensure(past.len() == 1, || {
            format!("exactly one session is past: {found:?}")
        })?;
        ensure(
            past[0].0.contains("Library") && past[0].0.ends_with("(past)"),
            || format!("the session a month ago is the past one: {found:?}"),
        )?;
        ensure(
            found
                .iter()
                .filter(|(text, _)| text.contains("(past)"))
                .count()
                == 1,
            || format!("only the past session says so: {found:?}"),
        )?;
        ensure(calendar_link_shown(page)?, || {
            "Add to calendar is gone while sessions are still to come".to_string()
        })
    });
}
