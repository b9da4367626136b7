//! Attendance codes in real headless Chromium: the demo built with its
//! sample codes, served on 127.0.0.1 and opened from file://, and once
//! more from file:// with `crypto.subtle` taken away (as on a page over
//! plain http://), so the page's own SHA-256 does the work.
//!
//! A wrong code is refused and the right one marks attendance; My
//! learning downloads the record, `flippack verify` accepts it, and the
//! same record with the name or the hours edited is rejected. The token
//! the page computes is the one flippack computes.
//!
//! Needs Chromium, as tests/browser.rs does; without it the tests say so
//! and pass, unless `CI=true`.

// Shared with tests/browser.rs, which uses more of them than this file.
#[allow(dead_code)]
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

use cdp::{Chromium, Page, Result};
use common::shout;
use flippack::attendance::token::{self, Claim, SessionId};
use serde_json::{json, Value};
use server::Server;

const SAMPLE: &str = "attendance.sample.yaml";
const PACK: &str = "ell-communication";
const DATE: &str = "2026-09-15";
const CODE: &str = "OAK-4821";

struct Env {
    site: tempfile::TempDir,
    server: Server,
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
            .arg("--codes")
            .arg(repo().join(SAMPLE))
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
        })
    })
    .as_ref()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Http,
    File,
    /// From disk, with `crypto.subtle` removed before any script runs.
    FileWithoutSubtle,
}

impl Mode {
    fn url(self, env: &Env, path: &str) -> String {
        match self {
            Mode::Http => env.server.url(path),
            Mode::File | Mode::FileWithoutSubtle => {
                format!("file://{}/{path}", env.out().display())
            }
        }
    }
}

const NO_SUBTLE: &str =
    "Object.defineProperty(window.crypto, 'subtle', { value: undefined, configurable: true });";

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn in_every_mode(test: &str, check: impl Fn(&Env, Mode, &mut Page) -> Result<()>) {
    let Some(env) = env() else {
        shout(&format!("SKIPPED browser test `{test}` (see above)."));
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for mode in [Mode::Http, Mode::File, Mode::FileWithoutSubtle] {
        let mut browser = Chromium::launch(&env.chromium, env.background.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        let mut page = browser
            .new_page(env.server.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        page.emulate(1280, false)
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        if mode == Mode::FileWithoutSubtle {
            page.call(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": NO_SUBTLE }),
            )
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        }
        if let Err(e) = check(env, mode, &mut page) {
            panic!("{test} ({mode:?}): {e}");
        }
    }
}

fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(message())
    }
}

fn site_id() -> String {
    let config = flippack::config::Config::load(&repo()).expect("the demo's site.yaml");
    flippack::attendance::site_id(&config)
}

/// The token flippack computes for `name` and `hours` with the right code.
fn rust_token(name: &str, hours: &str) -> String {
    let site = site_id();
    let session = SessionId {
        site: &site,
        pack: PACK,
        date: DATE,
    };
    let code = token::normalise(CODE).expect("a code");
    let key = token::key(&code, session, &token::salt(session));
    token::hex(&token::token(
        &key,
        Claim {
            session,
            name,
            hours,
        },
    ))
}

/// `flippack verify` of `record` against the demo and its sample codes.
fn verify(dir: &Path, record: &str) -> (bool, String) {
    let path = dir.join("record.json");
    std::fs::write(&path, record).expect("write the record");
    let output = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .arg("verify")
        .arg(&path)
        .arg("--root")
        .arg(repo())
        .arg("--codes")
        .arg(repo().join(SAMPLE))
        .env("NO_COLOR", "1")
        .output()
        .expect("run flippack verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// Types `text` into the field `selector`, replacing what it holds.
fn fill(page: &mut Page, selector: &str, text: &str) -> Result<()> {
    let quoted = serde_json::to_string(selector).map_err(|e| e.to_string())?;
    page.eval(&format!("document.querySelector({quoted}).value = ''"))?;
    page.click(selector)?;
    page.type_text(text)
}

#[test]
fn the_page_computes_the_token_flippack_computes() {
    in_every_mode("token agreement", |env, mode, page| {
        page.goto(&mode.url(env, &format!("packs/{PACK}/index.html")))?;
        page.wait_until("!!window.flippackAttendance")?;
        let result = page.eval(&format!(
            "(async () => {{
               const A = window.flippackAttendance;
               const section = document.querySelector('[data-attendance]');
               const option = document.querySelector('[data-attendance-session] option[value=\"{DATE}\"]');
               const site = section.dataset.siteId, hours = section.dataset.hours;
               const guess = () => A.sessionKey(A.normalise('oak 4821'), site, '{PACK}', '{DATE}',
                 option.dataset.salt, parseInt(section.dataset.iterations, 10));
               const times = [];
               let key;
               for (let i = 0; i < 3; i++) {{
                 const started = performance.now();
                 key = await guess();
                 times.push(performance.now() - started);
               }}
               const ms = times.sort((a, b) => a - b)[1];
               return {{ site, hours, ms, subtle: !!(window.crypto && window.crypto.subtle),
                 verifier: A.verifier(key), published: option.dataset.verifier,
                 token: A.token(key, site, '{PACK}', '{DATE}', '  Ana López ', hours) }};
             }})()"
        ))?;
        shout(&format!(
            "one guess took {:.0} ms in Chromium (median of 3) ({mode:?}, crypto.subtle: {})",
            result["ms"].as_f64().unwrap_or(0.0),
            result["subtle"]
        ));
        ensure(result["site"] == Value::String(site_id()), || {
            format!("the page's site id: {result}")
        })?;
        ensure(
            result["subtle"] == Value::Bool(mode != Mode::FileWithoutSubtle),
            || format!("crypto.subtle where expected: {result}"),
        )?;
        ensure(result["verifier"] == result["published"], || {
            format!("the right code's verifier is not the published one: {result}")
        })?;
        let hours = result["hours"].as_str().unwrap_or_default();
        let expected = rust_token("Ana López", hours);
        ensure(result["token"] == Value::String(expected.clone()), || {
            format!("the page's token is not flippack's {expected}: {result}")
        })
    });
}

#[test]
fn a_code_marks_attendance_and_the_downloaded_record_verifies() {
    in_every_mode("attendance", |env, mode, page| {
        page.goto(&mode.url(env, &format!("packs/{PACK}/index.html")))?;
        page.wait_until("!document.querySelector('[data-attendance]').hidden")?;
        let label =
            page.eval_string("document.querySelector('label[for=attendance-code]').textContent")?;
        ensure(label == "Attendance code", || format!("the label: {label}"))?;
        fill(page, "#attendance-name", "Ana López")?;

        // A wrong code is refused, and nothing is stored.
        fill(page, "#attendance-code", "oak 4820")?;
        page.click(".attendance-form button[type=submit]")?;
        page.wait_until(
            "document.querySelector('[data-attendance-status]').classList.contains('is-wrong')",
        )?;
        let status =
            page.eval_string("document.querySelector('[data-attendance-status]').textContent")?;
        ensure(status.contains("not the code of this session"), || {
            status.clone()
        })?;
        let invalid = page.eval_string(
            "document.querySelector('#attendance-code').getAttribute('aria-invalid')",
        )?;
        ensure(invalid == "true", || format!("aria-invalid: {invalid}"))?;
        let live = page.eval_string(
            "document.querySelector('[data-attendance-status]').getAttribute('aria-live')",
        )?;
        ensure(live == "polite", || format!("aria-live: {live}"))?;
        let stored = page.eval_string(&format!(
            "JSON.stringify((JSON.parse(localStorage.getItem(document.documentElement.dataset.storageKey) || '{{}}').attendance || {{}})['{PACK}'] || null)"
        ))?;
        ensure(stored == "null", || format!("a wrong code stored {stored}"))?;

        // The right one, typed loosely, marks attendance.
        fill(page, "#attendance-code", "oak-4821")?;
        page.click(".attendance-form button[type=submit]")?;
        page.wait_until(
            "document.querySelector('[data-attendance-status]').classList.contains('is-right')",
        )?;
        let done =
            page.eval_string("document.querySelector('[data-attendance-done]').textContent")?;
        ensure(
            done.contains("it is on your record") && done.contains("Ana López"),
            || done.clone(),
        )?;

        // My learning shows it, and downloads the record.
        page.goto(&mode.url(env, "my-learning/index.html"))?;
        page.wait_until("!!document.querySelector('[data-download-record]')")?;
        let attended = page.eval_string("document.querySelector('.attended').textContent")?;
        ensure(attended.contains(DATE), || {
            format!("Workshops attended: {attended}")
        })?;
        page.eval(
            "window.madeFiles = []; const made = URL.createObjectURL;
             URL.createObjectURL = function (blob) { window.madeFiles.push(blob); return made.call(URL, blob); }; true",
        )?;
        page.click("[data-download-record]")?;
        page.wait_until("window.madeFiles.length === 1")?;
        let text = page.eval_string("window.madeFiles[0].text()")?;
        let record: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        ensure(record["name"] == "Ana López", || text.clone())?;
        ensure(record["sponsor"]["number"] == "0123", || text.clone())?;
        let pack = record["packs"]
            .as_array()
            .and_then(|packs| packs.iter().find(|p| p["slug"] == PACK))
            .cloned()
            .ok_or_else(|| format!("no {PACK} in {text}"))?;
        ensure(pack["session"] == DATE, || text.clone())?;
        ensure(
            pack["categories"]["Language acquisition"] == pack["hours"],
            || text.clone(),
        )?;

        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let (ok, out) = verify(dir.path(), &text);
        ensure(ok && out.contains("yes"), || {
            format!("verify refused the record:\n{out}")
        })?;

        let mut renamed = record.clone();
        renamed["name"] = json!("Ana Lopes");
        let (ok, out) = verify(dir.path(), &renamed.to_string());
        ensure(!ok && out.contains("token does not match"), || {
            format!("verify took a renamed record:\n{out}")
        })?;

        let mut more = record.clone();
        for p in more["packs"].as_array_mut().into_iter().flatten() {
            if p["slug"] == PACK {
                p["hours"] = json!("12");
            }
        }
        let (ok, out) = verify(dir.path(), &more.to_string());
        ensure(!ok && out.contains("token does not match"), || {
            format!("verify took a record with more hours:\n{out}")
        })
    });
}

/// Enters the right code for the session of [`DATE`] as `name`, on the
/// pack page, and waits for it to be accepted.
fn enter_the_code(env: &Env, mode: Mode, page: &mut Page, name: &str) -> Result<()> {
    page.goto(&mode.url(env, &format!("packs/{PACK}/index.html")))?;
    page.wait_until("!document.querySelector('[data-attendance]').hidden")?;
    fill(page, "#attendance-name", name)?;
    fill(page, "#attendance-code", CODE)?;
    page.click(".attendance-form button[type=submit]")?;
    page.wait_until(
        "document.querySelector('[data-attendance-status]').classList.contains('is-right')",
    )
}

/// Whether the element `selector` takes up room on the page as it is
/// laid out now (screen or print).
fn shown(page: &mut Page, selector: &str) -> Result<bool> {
    let quoted = serde_json::to_string(selector).map_err(|e| e.to_string())?;
    let seen = page.eval(&format!(
        "(() => {{ const e = document.querySelector({quoted});
           return !!e && e.getClientRects().length > 0; }})()"
    ))?;
    Ok(seen == true)
}

#[test]
fn the_printed_record_is_a_certificate_with_sponsor_hours_and_token() {
    in_every_mode("certificate", |env, mode, page| {
        enter_the_code(env, mode, page, "Ana López")?;
        page.goto(&mode.url(env, "my-learning/index.html"))?;
        page.wait_until("!!document.querySelector('[data-download-record]')")?;
        let stored = page.eval(&format!(
            "JSON.parse(localStorage.getItem(document.documentElement.dataset.storageKey)).attendance['{PACK}']"
        ))?;
        let token = stored["token"].as_str().unwrap_or_default().to_string();
        let hours = stored["hours"].as_str().unwrap_or_default().to_string();
        let ceu = stored["ceu"].as_str().unwrap_or_default().to_string();
        let title = stored["title"].as_str().unwrap_or_default().to_string();
        ensure(
            token.len() == 64 && !hours.is_empty() && !ceu.is_empty() && !title.is_empty(),
            || format!("the stored attendance: {stored}"),
        )?;

        // On screen, the certificate is not in the way.
        ensure(!shown(page, "[data-certificate]")?, || {
            "the certificate shows on screen".to_string()
        })?;

        page.call("Emulation.setEmulatedMedia", json!({ "media": "print" }))?;
        ensure(shown(page, "[data-certificate]")?, || {
            "the printed page has no certificate".to_string()
        })?;
        let text = page.eval_string(
            "document.querySelector('[data-certificate]').innerText.replace(/\\s+/g, ' ')",
        )?;
        let expected = [
            "Ana López".to_string(),
            title,
            DATE.to_string(),
            "Lincoln Elementary".to_string(),
            "J. Okafor".to_string(),
            "Riverside Unified School District, Office of Professional Learning".to_string(),
            "0123".to_string(),
            format!("{hours} h"),
            format!("Language acquisition: {hours} h"),
            ceu.clone(),
            token.clone(),
        ];
        for part in &expected {
            ensure(text.contains(part.as_str()), || {
                format!("the certificate lacks {part:?}: {text}")
            })?;
        }
        // The signature lines say who signs.
        let signatures = page
            .eval_string("document.querySelector('.signatures').innerText.replace(/\\s+/g, ' ')")?;
        ensure(shown(page, ".signatures")?, || {
            "no signature lines".to_string()
        })?;
        for part in [
            "I completed the self-study and workshop listed above",
            "Participant",
            "Countersigned by the facilitator or the PD office of Riverside Unified School District",
        ] {
            ensure(signatures.contains(part), || {
                format!("the signature lines lack {part:?}: {signatures}")
            })?;
        }
        // The screen's own table of workshops is not printed twice.
        ensure(!shown(page, ".attended")?, || {
            "the workshops attended print beside the certificate".to_string()
        })?;
        page.call("Emulation.setEmulatedMedia", json!({ "media": "" }))?;
        Ok(())
    });
}
