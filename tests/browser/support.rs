//! What the browser test files share besides the protocol client and the
//! server: failing with a message, axe-core's WCAG checks, and which of a
//! page's requests left the machine.

#![allow(dead_code, reason = "each browser test file uses a different subset")]

use crate::cdp::{Page, Result};

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
