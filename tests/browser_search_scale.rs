//! Search on a district-sized site in real headless Chromium, opened from
//! file://: 10,000 minimal packs of generated prose (`gen-site --prose
//! --minimal`: an overview of 500 to 900 words and a few tags each), whose
//! index comes in chunks. Each query must load only a small part of the
//! index, and find the same results, in the same order, as the same
//! search with every chunk loaded beforehand, which is the whole index.
//!
//! Needs Chromium, as the other browser tests do (see tests/browser.rs);
//! `FLIPPACK_SKIP_BROWSER_TESTS=1` leaves it out on purpose, saying so.
//! Generating and building the site takes minutes in a debug build.

#[allow(dead_code, reason = "the test uses part of the protocol client")]
#[path = "browser/cdp.rs"]
mod cdp;
#[path = "common/mod.rs"]
mod common;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/support.rs"]
mod support;
#[allow(dead_code, reason = "the test uses part of the generator's API")]
#[path = "../examples/gen-site/synth.rs"]
mod synth;

use std::path::Path;
use std::process::Command;

use cdp::{Chromium, Page, Result};
use server::Server;
use support::ensure;

/// Packs in the generated site.
const PACKS: usize = 10_000;
/// What a query may load before its first result shows, and in all, in
/// bytes: the search index's root, its chunks and the results' fragments.
const BEFORE_FIRST_RESULT: u64 = 150_000;
const WHOLE_QUERY: u64 = 300_000;

/// Queries of the kinds teachers type: a short prefix of many terms, a
/// common word, two words, a word and a half.
const QUERIES: &[&str] = &[
    "st",
    "students",
    "feedback routine",
    "classroom pra",
    "agency",
];

/// Counts the search scripts as they arrive, so the test can tell when
/// a query's loading is over: flippackSearch's functions are wrapped.
const COUNT_ARRIVALS: &str = "(() => {
    window.arrived = { index: 0, terms: 0, docs: 0, fragment: 0 };
    for (const name of Object.keys(window.arrived)) {
        const real = flippackSearch[name];
        flippackSearch[name] = function (data) {
            if (name === 'index') window.rootData = data;
            window.arrived[name]++;
            return real.apply(this, arguments);
        };
    }
    return true;
})()";

/// True when results are on screen and every script the page asked for
/// has arrived.
const SETTLED: &str = "(() => {
    const asked = kind => [...document.querySelectorAll('script[src]')]
        .filter(s => kind.test(s.getAttribute('src'))).length;
    const a = window.arrived;
    return document.querySelectorAll('#search-results li').length > 0
        && a.index === 1
        && a.terms === asked(/search\\/terms\\//)
        && a.docs === asked(/search\\/docs\\//)
        && a.fragment === asked(/search\\/(packs|pathways)\\//);
})()";

/// The results on screen: each link's address and text.
const RESULTS: &str = "JSON.stringify([document.querySelector('.search-count').textContent,
    ...[...document.querySelectorAll('#search-results li')].map(li =>
        li.querySelector('a').getAttribute('href') + ' | ' + li.textContent)])";

/// The search scripts the page loaded, as paths from the site's root.
const LOADED: &str = "JSON.stringify([...document.querySelectorAll('script[src]')]
    .map(s => s.getAttribute('src').replace(/^(\\.\\.\\/)*/, ''))
    .filter(src => src === 'search-index.js' || src.startsWith('search/')))";

/// Loads every chunk of the index, as a page that had loaded the whole
/// index would have it; resolves to how many there were.
const LOAD_EVERYTHING: &str = "new Promise((done, fail) => {
    const data = window.rootData;
    const root = document.documentElement.getAttribute('data-root') || '';
    const sources = data.chunks.map((_, n) => data.paths.chunks[0].replace('{n}', n));
    if (!data.docs) {
        for (let n = 0; n * data.per < data.count; n++) sources.push(data.paths.chunks[1].replace('{n}', n));
    }
    let left = sources.length;
    for (const src of sources) {
        const s = document.createElement('script');
        s.src = root + src;
        s.onload = () => { if (--left === 0) done(sources.length); };
        s.onerror = () => fail(src);
        document.head.appendChild(s);
    }
})";

/// What one query loaded: its results and the search scripts loaded.
struct Searched {
    results: String,
    loaded: Vec<String>,
}

/// Types `typed` into the search box of a fresh page, after loading the
/// whole index first if `everything`, and waits until its results and
/// every script they asked for are there.
fn search(page: &mut Page, url: &str, typed: &str, everything: bool) -> Result<Searched> {
    page.goto(url)?;
    page.eval(COUNT_ARRIVALS)?;
    page.click("#search-input")?;
    page.wait_until("window.arrived.index === 1")?;
    if everything {
        let chunks = page.eval(LOAD_EVERYTHING)?;
        ensure(chunks.as_u64().unwrap_or(0) > 10, || {
            format!("the index of {PACKS} packs comes in only {chunks} chunks")
        })?;
    }
    page.type_text(typed)?;
    page.wait_until(SETTLED)?;
    Ok(Searched {
        results: page.eval_string(RESULTS)?,
        loaded: serde_json::from_str(&page.eval_string(LOADED)?).map_err(|e| e.to_string())?,
    })
}

fn size(out: &Path, files: &[String]) -> u64 {
    files
        .iter()
        .map(|f| std::fs::metadata(out.join(f)).map_or(0, |m| m.len()))
        .sum()
}

#[test]
fn search_at_10000_packs_loads_a_little_and_finds_what_the_whole_index_finds() {
    let test = "search_at_10000_packs_loads_a_little_and_finds_what_the_whole_index_finds";
    if std::env::var_os("FLIPPACK_SKIP_BROWSER_TESTS").is_some_and(|v| v != "0" && !v.is_empty()) {
        common::skipped(test, "FLIPPACK_SKIP_BROWSER_TESTS is set");
        return;
    }
    let chromium = cdp::find_chromium().unwrap_or_else(|| {
        panic!(
            "{test} cannot run: Chromium was not found; install the Debian package \
             `chromium` (or set CHROMIUM=/path/to/chrome), or set FLIPPACK_SKIP_BROWSER_TESTS=1"
        )
    });

    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    let out = dir.path().join("public");
    synth::use_prose(true);
    synth::write_flippack_minimal(&synth::generate(PACKS, 1), &root).expect("write the site");
    let build = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .arg("build")
        .arg("--root")
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run flippack build");
    assert!(
        build.status.success(),
        "building the site failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let proxy = Server::start(dir.path().join("nothing")).expect("start a proxy");
    let mut browser = Chromium::launch(&chromium, proxy.addr()).expect("start Chromium");
    let mut page = browser.new_page(proxy.addr()).expect("open a page");
    page.emulate(1280, false).expect("set the window");
    // A page with the search box that is quick to open: the catalog of
    // 10,000 packs is megabytes.
    let url = format!("file://{}/tags/index.html", out.display());
    let is_fragment =
        |f: &String| f.starts_with("search/packs/") || f.starts_with("search/pathways/");
    for query in QUERIES {
        let lazy = search(&mut page, &url, query, false)
            .unwrap_or_else(|e| panic!("`{query}`, loading what it needs: {e}"));
        let whole = search(&mut page, &url, query, true)
            .unwrap_or_else(|e| panic!("`{query}`, with the whole index: {e}"));
        assert_eq!(
            lazy.results, whole.results,
            "`{query}` finds other results, or in another order, than with the whole index"
        );
        assert!(
            lazy.results.contains("result"),
            "`{query}` finds nothing: {}",
            lazy.results
        );
        // The first results show once two letters are typed; before them
        // come the index's scripts, not yet the results' fragments.
        let start = search(&mut page, &url, &query[..2], false)
            .unwrap_or_else(|e| panic!("`{}`: {e}", &query[..2]));
        let first: Vec<String> = start
            .loaded
            .iter()
            .filter(|f| !is_fragment(f))
            .cloned()
            .collect();
        let before = size(&out, &first);
        let all = size(&out, &lazy.loaded);
        assert!(
            before <= BEFORE_FIRST_RESULT,
            "`{query}` loads {before} bytes before its first result: {first:?}"
        );
        assert!(
            all <= WHOLE_QUERY,
            "`{query}` loads {all} bytes in all: {:?}",
            lazy.loaded
        );
        common::shout(&format!(
            "`{query}`: {before} bytes before the first result, {all} in all ({} scripts)",
            lazy.loaded.len()
        ));
    }
    assert!(page.console_errors.is_empty(), "{:?}", page.console_errors);
}
