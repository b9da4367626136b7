//! What the browser test files share besides the protocol client and the
//! server: failing with a message, axe-core's WCAG checks, and which of a
//! page's requests left the machine.

#![allow(dead_code, reason = "each browser test file uses a different subset")]

use std::path::PathBuf;

use crate::cdp::{self, Page, Result};
use crate::common::{in_ci, repo_root, shout};

/// `Ok` when `condition` holds, else the message: the tests' `assert!`,
/// but one that lets the test say which mode and page it was on.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(message())
    }
}

/// axe-core's WCAG 2.1 A and AA rules on the current page.
pub fn axe_violations(page: &mut Page, axe: &str) -> Result<Vec<String>> {
    if page.eval("typeof window.axe")? != "object" {
        page.eval(axe)?;
    }
    let found = page.eval(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
           resultTypes: ['violations'], preload: false }).then(r => r.violations.map(v =>
             v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
             v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | ')))",
    )?;
    Ok(found
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect())
}

/// Requests that leave the machine: anything but `local` (the test
/// server's address, ending in `/`), files and the browser's own schemes.
pub fn leaving_requests(requests: &[String], local: &str) -> Vec<String> {
    requests
        .iter()
        .filter(|r| {
            !(r.starts_with(local)
                || r.starts_with("file://")
                || r.starts_with("data:")
                || r.starts_with("blob:")
                || r.starts_with("about:")
                || r.starts_with("chrome"))
        })
        .cloned()
        .collect()
}

/// What a browser test does before it starts, from what the machine has.
#[derive(Debug, PartialEq, Eq)]
pub enum Readiness {
    Run,
    /// `FLIPPACK_SKIP_BROWSER_TESTS=1` was set on purpose: pass, saying
    /// loudly that nothing was checked.
    Skip(String),
    /// Something is missing: fail, saying what to install. A test that
    /// could not run must not look like one that passed.
    Fail(String),
}

/// The variable that skips the browser tests on purpose.
pub const SKIP_VARIABLE: &str = "FLIPPACK_SKIP_BROWSER_TESTS";

pub fn readiness(ci: bool, skip_asked: bool, chromium: bool, axe: bool) -> Readiness {
    let how = format!(
        "install the Debian package `chromium` (or set CHROMIUM=/path/to/chrome) and run \
         `npm ci --prefix tests/browser` for axe-core; .ci/run does both. To leave the \
         browser tests out on purpose, set {SKIP_VARIABLE}=1"
    );
    if skip_asked {
        let message = format!(
            "BROWSER TESTS SKIPPED: {SKIP_VARIABLE} is set. Search, filters, progress, live \
             reload and the WCAG 2.1 AA accessibility checks were NOT verified."
        );
        return if ci {
            Readiness::Fail(format!("{message} CI=true, so this is a failure."))
        } else {
            Readiness::Skip(message)
        };
    }
    if !chromium {
        return Readiness::Fail(format!(
            "the browser tests cannot run: Chromium was not found; {how}"
        ));
    }
    if !axe {
        return Readiness::Fail(format!(
            "the accessibility checks cannot run: axe-core is not in \
             tests/browser/node_modules; {how}"
        ));
    }
    Readiness::Run
}

/// What the browser tests need from the machine.
pub struct Tools {
    pub chromium: PathBuf,
    /// axe-core's script.
    pub axe: String,
}

/// The browser and axe-core, or `None` when the browser tests are skipped
/// on purpose (said loudly). Panics, failing the test, when they cannot
/// run: every browser test file starts here, so none of them can pass
/// without having run.
pub fn tools() -> Option<Tools> {
    let skip_asked = std::env::var_os(SKIP_VARIABLE).is_some_and(|v| v != "0" && !v.is_empty());
    let chromium = cdp::find_chromium();
    let axe =
        std::fs::read_to_string(repo_root().join("tests/browser/node_modules/axe-core/axe.min.js"))
            .ok();
    match readiness(in_ci(), skip_asked, chromium.is_some(), axe.is_some()) {
        Readiness::Run => {}
        Readiness::Skip(message) => {
            shout(&message);
            return None;
        }
        Readiness::Fail(message) => panic!("{message}"),
    }
    Some(Tools {
        chromium: chromium?,
        axe: axe?,
    })
}
