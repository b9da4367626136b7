//! The whole flipped cycle on a pack page, in real headless Chromium: the
//! self-check, the Application & Impact Plan, reflection answers, the
//! evidence checklist, the follow-up meeting, and My learning's download
//! and import. Sites are built into temporary folders by the `flippack`
//! binary, served on 127.0.0.1 and opened from file://.
//!
//! Like tests/browser.rs, each test starts its own Chromium with a fresh
//! profile, and every request to another host goes to the test's proxy,
//! which refuses it. The same tools are needed (Chromium; axe-core from
//! `tests/browser/node_modules`) and the same skipping rules apply.

#[allow(dead_code, reason = "tests/browser.rs uses the rest of the client")]
#[path = "browser/cdp.rs"]
mod cdp;
#[path = "common/mod.rs"]
mod common;
#[path = "browser/server.rs"]
mod server;
#[path = "browser/support.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cdp::{Chromium, Page, Result};
use common::shout;
use common::TestSite;
use server::Server;
use support::{axe_violations, ensure, leaving_requests};

/// A pack with every part of the cycle: a self-check with one
/// single-answer, one select-all and one written question, a plan, a
/// follow-up meeting, evidence and reflection prompts.
const CYCLE_PACK: &str = r#"---
title: Wait time that works
summary: Three seconds of silence after a question, and what students do with it.
goal: Teachers wait at least three seconds after a question and after an answer.
audience: [secondary]
self_study:
  - title: The research on wait time
    kind: reading
    url: https://example.org/wait-time
    duration: 20
  - title: Wait time in a Year 9 lesson
    kind: video
    url: https://example.org/wait-time-video
    duration: 10
workshop:
  format: in-person
  duration: 1h
  prompts:
    - What did the silence feel like from the front of the room?
application:
  task: Use a three-second pause in two lessons this week.
  evidence:
    - a short video of one questioning sequence
    - three students' written answers
reflection:
  - Which students answered who usually do not?
  - What will you change next week?
self_check:
  pass_percent: 80
  questions:
    - question: How long should a teacher wait after asking a question?
      choices:
        - text: One second
          feedback: That is about what most teachers wait now.
        - text: At least three seconds
          correct: true
          feedback: Yes, three seconds or more.
        - text: Until someone answers
      explanation: Rowe found that three seconds or more changed who answered.
    - question: Which of these follow longer wait time?
      choices:
        - text: Longer answers
          correct: true
        - text: More students answering
          correct: true
        - text: Fewer questions from students
          feedback: Students ask more questions, not fewer.
    - question: Describe one moment in a lesson where you will wait longer.
      model_answer: After I ask the class to predict the result of the experiment.
plan:
  prompts:
    - What will you change in your questioning?
    - How will you measure the impact on your students?
  share_with: [principal, instructional coach]
follow_up:
  after: 4 weeks
  with: [instructional coach]
  prompts:
    - What did the video show about who answered?
---
Wait time is the pause after a question.
"#;

fn site_yaml(title: &str, id: &str) -> String {
    format!("title: {title}\nid: {id}\nbase_url: \"/\"\n")
}

/// A built site in a temporary folder, and its server.
struct Built {
    site: TestSite,
    server: Server,
}

impl Built {
    fn build(title: &str, id: &str) -> Built {
        let site = TestSite::empty();
        site.write("site.yaml", site_yaml(title, id));
        site.write("content/packs/wait-time/pack.md", CYCLE_PACK);
        site.run(&["build"]).ok();
        let server = Server::start(site.path("public")).expect("start the test server");
        Built { site, server }
    }

    fn out(&self) -> PathBuf {
        self.site.path("public")
    }

    fn url(&self, mode: Mode, path: &str) -> String {
        match mode {
            Mode::Http => self.server.url(path),
            Mode::File => format!("file://{}/{path}", self.out().display()),
        }
    }
}

/// What the tests share: two sites with the same title and different ids,
/// the browser and the accessibility checker.
struct Env {
    first: Built,
    second: Built,
    /// The browser's own proxy: refuses everything.
    background: Server,
    _nothing: tempfile::TempDir,
    chromium: PathBuf,
    /// axe-core's script.
    axe: String,
}

/// The shared environment, or `None` when browser tests are skipped (the
/// same rules as tests/browser.rs).
fn env() -> Option<&'static Env> {
    static ENV: OnceLock<Option<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let support::Tools { chromium, axe } = support::tools()?;
        let nothing = tempfile::tempdir().expect("temporary folder");
        let background = Server::start(nothing.path().join("none")).expect("start a proxy");
        Some(Env {
            first: Built::build("Our district PD", "3f2a9c41d07e"),
            second: Built::build("Our district PD", "b81e07c5aa90"),
            background,
            _nothing: nothing,
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

/// Browser tests run one at a time: each starts a whole browser.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `check` in a fresh browser for each of `modes`.
fn in_modes(test: &str, modes: &[Mode], check: impl Fn(&Env, Mode, &mut Page) -> Result<()>) {
    let Some(env) = env() else {
        shout(&format!("SKIPPED browser test `{test}` (see above)."));
        return;
    };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    for &mode in modes {
        env.first.server.take_proxied_hosts();
        let mut browser = Chromium::launch(&env.chromium, env.background.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        let mut page = browser
            .new_page(env.first.server.addr())
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        page.emulate(1280, false)
            .unwrap_or_else(|e| panic!("{test}: {e}"));
        if let Err(e) = check(env, mode, &mut page) {
            panic!("{test} ({mode:?}): {e}");
        }
    }
}

const BOTH: &[Mode] = &[Mode::Http, Mode::File];
const PACK: &str = "packs/wait-time/index.html";

fn no_console_errors(page: &mut Page) -> Result<()> {
    ensure(page.console_errors.is_empty(), || {
        page.console_errors.join("\n")
    })
}

/// Focuses the element `selector` and types `text` into it, as a teacher
/// would.
fn type_into(page: &mut Page, selector: &str, text: &str) -> Result<()> {
    page.click(selector)?;
    page.type_text(text)
}

fn text_of(page: &mut Page, selector: &str) -> Result<String> {
    let quoted = serde_json::to_string(selector).map_err(|e| e.to_string())?;
    page.eval_string(&format!(
        "(document.querySelector({quoted}) || {{ textContent: '' }}).textContent.trim()"
    ))
}

fn is_shown(page: &mut Page, selector: &str) -> Result<bool> {
    let quoted = serde_json::to_string(selector).map_err(|e| e.to_string())?;
    Ok(page.eval(&format!(
        "(() => {{ const e = document.querySelector({quoted}); return !!e && e.offsetParent !== null; }})()"
    ))? == true)
}

#[test]
fn a_self_check_answered_wrongly_then_rightly_is_scored_kept_and_cleared() {
    in_modes("self-check", BOTH, |env, mode, page| {
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until("!document.querySelector('[data-check-actions]').hidden")?;
        ensure(
            page.eval(
                "document.querySelectorAll('[data-self-check] fieldset legend').length === 3
                   && document.querySelectorAll('[data-question=\"1\"] input[type=radio]').length === 3
                   && document.querySelectorAll('[data-question=\"2\"] input[type=checkbox]').length === 3
                   && !!document.querySelector('[data-question=\"3\"] textarea')",
            )? == true,
            || "the questions are not a radio group, a checkbox group and a text box".into(),
        )?;
        ensure(!is_shown(page, "[data-answer-key]")?, || {
            "the folded answers show although the page checks them".into()
        })?;

        // Wrong: one second, and only one of the two right answers.
        page.click("#q1-c1")?;
        page.click("#q2-c1")?;
        type_into(page, "#q3-answer", "When they predict the result.")?;
        page.click("[data-check-submit]")?;
        page.wait_until("document.querySelector('[data-check-result]').textContent !== ''")?;
        let result = text_of(page, "[data-check-result]")?;
        ensure(
            result.starts_with("0 of 2 correct") && result.contains("Not yet"),
            || format!("after wrong answers the result says: {result}"),
        )?;
        let feedback = text_of(
            page,
            "[data-question='1'] [data-choice='0'] [data-feedback]",
        )?;
        ensure(
            feedback.contains("Not this one") && feedback.contains("about what most teachers wait"),
            || format!("the wrong choice's feedback: {feedback}"),
        )?;
        ensure(
            is_shown(page, "[data-question='1'] [data-explanation]")?,
            || "the explanation does not show after checking".into(),
        )?;
        ensure(
            is_shown(page, "[data-question='3'] [data-model-answer]")?,
            || "the model answer does not show after the teacher wrote theirs".into(),
        )?;
        let status = text_of(page, "[data-check-status]")?;
        ensure(status.contains("0 of 2 correct, not yet passed"), || {
            format!("the pack's progress says: {status}")
        })?;

        // Right: three seconds, and both right answers.
        page.click("#q1-c2")?;
        page.click("#q2-c2")?;
        page.click("[data-check-submit]")?;
        page.wait_until(
            "document.querySelector('[data-check-result]').textContent.startsWith('2 of 2')",
        )?;
        let result = text_of(page, "[data-check-result]")?;
        ensure(result.contains("Passed"), || {
            format!("after right answers the result says: {result}")
        })?;
        ensure(
            page.eval("document.querySelector('[data-check-result]').getAttribute('aria-live')")?
                == "polite",
            || "the result is not announced".into(),
        )?;
        let feedback = text_of(
            page,
            "[data-question='1'] [data-choice='1'] [data-feedback]",
        )?;
        ensure(
            feedback.contains("Right") && feedback.contains("three seconds or more"),
            || format!("the right choice's feedback: {feedback}"),
        )?;

        // Kept over a reload, with the choices and the written answer.
        page.reload()?;
        page.wait_until(
            "document.querySelector('[data-check-result]').textContent.startsWith('2 of 2')",
        )?;
        ensure(
            page.eval(
                "document.getElementById('q1-c2').checked && document.getElementById('q2-c1').checked
                   && document.getElementById('q2-c2').checked && !document.getElementById('q1-c1').checked
                   && document.getElementById('q3-answer').value === 'When they predict the result.'",
            )? == true,
            || "the answers were not kept over a reload".into(),
        )?;

        // Shown on the catalog card and in My learning.
        page.goto(&env.first.url(mode, "index.html"))?;
        page.wait_until("!!document.querySelector('[data-slug=\"wait-time\"] .card-check')")?;
        let card = text_of(page, "[data-slug='wait-time'] .card-check")?;
        ensure(card.contains("2 of 2 correct, passed"), || {
            format!("the card says: {card}")
        })?;
        page.goto(&env.first.url(mode, "my-learning/index.html"))?;
        page.wait_until("!document.querySelector('[data-learning-table]').hidden")?;
        let row = text_of(page, "[data-learning-rows] tr")?;
        ensure(row.contains("2 of 2 correct, passed"), || {
            format!("My learning shows: {row}")
        })?;

        // Try again clears the result and the choices.
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until("!document.querySelector('[data-check-reset]').hidden")?;
        page.click("[data-check-reset]")?;
        page.wait_until("document.querySelector('[data-check-result]').textContent === ''")?;
        ensure(
            page.eval(
                "[...document.querySelectorAll('[data-self-check] input')].every(i => !i.checked)
                   && [...document.querySelectorAll('[data-feedback], [data-explanation]')].every(e => e.hidden)",
            )? == true,
            || "Try again left choices or feedback".into(),
        )?;
        page.reload()?;
        page.wait_until("!document.querySelector('[data-check-actions]').hidden")?;
        let status = text_of(page, "[data-check-status]")?;
        ensure(
            text_of(page, "[data-check-result]")?.is_empty() && status.contains("not taken"),
            || format!("after Try again and a reload the pack says: {status}"),
        )?;
        no_console_errors(page)
    });
}

#[test]
fn the_plan_is_saved_prints_alone_and_downloads() {
    in_modes("plan", BOTH, |env, mode, page| {
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until("!document.querySelector('[data-plan-actions]').hidden")?;
        type_into(page, "#plan-1", "Count to three after every question.")?;
        type_into(page, "#plan-2", "Tally who answers, before and after.")?;
        page.reload()?;
        page.wait_until(
            "document.getElementById('plan-2').value === 'Tally who answers, before and after.'",
        )?;
        ensure(
            page.eval_string("document.getElementById('plan-1').value")?
                == "Count to three after every question.",
            || "the plan was not kept over a reload".into(),
        )?;

        // Download: the same text the button saves, as Markdown.
        let text = page.eval_string("window.flippackCycle.planText()")?;
        ensure(
            text.starts_with("# My Application & Impact Plan: Wait time that works")
                && text.contains(
                    "## How will you measure the impact on your students?\n\nTally who answers",
                )
                && text.contains("principal and instructional coach"),
            || format!("the downloaded plan reads:\n{text}"),
        )?;
        page.click("[data-plan-download]")?;
        page.wait_until("document.querySelector('[data-plan-status]').textContent.includes('plan-wait-time.md')")?;

        // Email: no address, the plan in the body, the roles named.
        let mailto = page.eval_string("document.querySelector('[data-plan-email]').href")?;
        ensure(mailto.starts_with("mailto:?subject="), || {
            format!("the email link is addressed to someone: {mailto}")
        })?;
        let body = page.eval_string(
            "decodeURIComponent(document.querySelector('[data-plan-email]').href.split('&body=')[1])",
        )?;
        ensure(
            body.contains("Count to three after every question.")
                && body.contains("to share with my principal and instructional coach"),
            || format!("the email body: {body}"),
        )?;

        // Print from the plan's button: the plan alone. (The print dialog
        // itself is replaced: a headless browser has none.)
        page.eval("window.print = () => { window.printed = true; }")?;
        page.click("[data-plan-print]")?;
        page.wait_until("window.printed === true")?;
        page.call(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "media": "print" }),
        )?;
        let shown = page.eval(
            "(() => { const seen = e => e.offsetParent !== null || e.getClientRects().length > 0;
               return [seen(document.querySelector('[data-plan] h2')),
                       seen(document.querySelector('[data-plan-print-answer]')),
                       document.querySelector('[data-plan-print-answer]').textContent,
                       seen(document.getElementById('before-heading')),
                       seen(document.querySelector('.site-header')),
                       seen(document.querySelector('.credit-panel')),
                       seen(document.querySelector('[data-self-check]')),
                       seen(document.querySelector('#plan-1'))]; })()",
        )?;
        ensure(
            shown[0] == true
                && shown[1] == true
                && shown[2] == "Count to three after every question."
                && shown
                    .as_array()
                    .is_some_and(|all| all[3..].iter().all(|v| v == false)),
            || {
                format!(
                    "printing the plan shows [plan heading, answer, its text, self-study, header, \
                     credit panel, self-check, text box] = {shown}"
                )
            },
        )?;
        // Printing the whole pack still prints the whole pack.
        page.eval("window.dispatchEvent(new Event('afterprint'))")?;
        ensure(is_shown(page, "#before-heading")?, || {
            "after printing the plan, the pack prints only the plan".into()
        })?;
        page.emulate(1280, false)?;
        no_console_errors(page)
    });
}

#[test]
fn reflection_evidence_and_the_follow_up_are_saved_and_mark_the_cycle() {
    in_modes("reflection and evidence", BOTH, |env, mode, page| {
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until("!document.getElementById('reflection-1').closest('[hidden]')")?;
        ensure(
            page.eval("document.querySelectorAll('.cycle-steps > li').length")? == 10,
            || "the cycle at a glance does not list ten steps".into(),
        )?;
        let here = text_of(page, ".cycle-steps [aria-current='step']")?;
        ensure(here.contains("Learn"), || {
            format!("a new teacher is placed at: {here}")
        })?;
        type_into(page, "#reflection-1", "Two quiet students answered.")?;
        page.click("[data-field='evidence:1']")?;
        type_into(page, "#evidence-1-link", "https://drive.example.org/v/42")?;
        type_into(
            page,
            "#follow-up-feedback",
            "Keep the pause after answers too.",
        )?;
        page.eval(
            "(() => { const d = document.getElementById('follow-up-date'); d.value = '2026-11-20';
               d.dispatchEvent(new Event('input', { bubbles: true })); })()",
        )?;
        page.reload()?;
        page.wait_until(
            "document.getElementById('reflection-1').value === 'Two quiet students answered.'",
        )?;
        ensure(
            page.eval(
                "document.querySelector(\"[data-field='evidence:1']\").checked
                   && !document.querySelector(\"[data-field='evidence:2']\").checked
                   && document.getElementById('evidence-1-link').value === 'https://drive.example.org/v/42'
                   && document.getElementById('follow-up-date').value === '2026-11-20'
                   && document.getElementById('follow-up-feedback').value === 'Keep the pause after answers too.'",
            )? == true,
            || "reflection, evidence or follow-up were not kept over a reload".into(),
        )?;
        let evidence = text_of(
            page,
            ".cycle-steps [data-step='evidence'] [data-step-status]",
        )?;
        let meet = text_of(page, ".cycle-steps [data-step='meet'] [data-step-status]")?;
        ensure(
            evidence == "1 of 2 gathered" && meet == "Held on 2026-11-20",
            || format!("the cycle says evidence `{evidence}`, meeting `{meet}`"),
        )?;

        page.goto(&env.first.url(mode, "my-learning/index.html"))?;
        page.wait_until("!document.querySelector('[data-learning-table]').hidden")?;
        let row = text_of(page, "[data-learning-rows] tr")?;
        ensure(
            row.contains("1 of 2 gathered") && row.contains("Held 2026-11-20"),
            || format!("My learning shows: {row}"),
        )?;
        // The printed record lists the evidence with its link, what the
        // teacher signs and who countersigns.
        page.call(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "media": "print" }),
        )?;
        let printed = page.eval_string("document.querySelector('main').innerText")?;
        page.emulate(1280, false)?;
        ensure(
            printed.contains(
                "a short video of one questioning sequence <https://drive.example.org/v/42>",
            ) && printed.contains("I completed the self-study and workshop listed above.")
                && printed.contains("Countersigned by"),
            || format!("the printed record reads:\n{printed}"),
        )?;
        no_console_errors(page)
    });
}

/// Gives the file input `selector` the file at `path`, as a teacher
/// choosing it would.
fn choose_file(page: &mut Page, selector: &str, path: &Path) -> Result<()> {
    let document = page.call("DOM.getDocument", serde_json::json!({}))?;
    let node = page.call(
        "DOM.querySelector",
        serde_json::json!({ "nodeId": document["root"]["nodeId"], "selector": selector }),
    )?;
    page.call(
        "DOM.setFileInputFiles",
        serde_json::json!({ "nodeId": node["nodeId"], "files": [path.display().to_string()] }),
    )?;
    Ok(())
}

#[test]
fn my_learning_downloads_and_imports_the_same_state() {
    in_modes("download and import", BOTH, |env, mode, page| {
        let files = tempfile::tempdir().map_err(|e| e.to_string())?;
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until("!document.querySelector('[data-check-actions]').hidden")?;
        page.click("input[data-done='the-research-on-wait-time']")?;
        page.click("#q1-c2")?;
        page.click("[data-check-submit]")?;
        type_into(page, "#plan-1", "Pause.")?;
        page.click("[data-field='evidence:2']")?;
        page.goto(&env.first.url(mode, "my-learning/index.html"))?;
        page.wait_until("!document.querySelector('[data-learning-table]').hidden")?;
        type_into(page, "#learner-name", "Sam Rivera")?;
        let before =
            page.eval_string("document.querySelector('[data-learning-rows]').textContent")?;
        let stored =
            page.eval_string("localStorage.getItem(document.documentElement.dataset.storageKey)")?;

        let json = page.eval_string("window.flippackLearning.exportJson()")?;
        let file: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
        ensure(
            file["format"] == "flippack-my-learning"
                && file["version"] == 1
                && file["site"]["id"] == "3f2a9c41d07e"
                && file["name"] == "Sam Rivera"
                && file["packs"]["wait-time"]["check"]["correct"] == 1,
            || format!("the downloaded record: {json}"),
        )?;
        let csv = page.eval_string("window.flippackLearning.exportCsv()")?;
        ensure(
            csv.starts_with("pack,title,self_study_minutes_done")
                && csv.contains("wait-time,Wait time that works,20,30,no,1,2,no,"),
            || format!("the spreadsheet: {csv}"),
        )?;
        let saved = files.path().join("my-learning.json");
        std::fs::write(&saved, &json).map_err(|e| e.to_string())?;

        page.eval("localStorage.clear()")?;
        page.reload()?;
        page.wait_until("!document.querySelector('[data-learning-empty]').hidden")?;
        choose_file(page, "[data-learning-import]", &saved)?;
        page.wait_until("document.querySelector('[data-learning-message]').textContent.startsWith('Imported 1 pack')")?;
        let after =
            page.eval_string("document.querySelector('[data-learning-rows]').textContent")?;
        ensure(after == before, || {
            format!("before the download: {before}\nafter the import: {after}")
        })?;
        let restored =
            page.eval_string("localStorage.getItem(document.documentElement.dataset.storageKey)")?;
        ensure(restored == stored, || {
            format!("stored before: {stored}\nafter the import: {restored}")
        })?;
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until(
            "document.querySelector('[data-check-result]').textContent.startsWith('1 of 2')",
        )?;
        ensure(
            page.eval_string("document.getElementById('plan-1').value")? == "Pause.",
            || "the imported plan does not show on the pack".into(),
        )?;

        // A record from another site is refused, and changes nothing.
        let other = json.replace("3f2a9c41d07e", "b81e07c5aa90");
        let elsewhere = files.path().join("other-site.json");
        std::fs::write(&elsewhere, other).map_err(|e| e.to_string())?;
        page.goto(&env.first.url(mode, "my-learning/index.html"))?;
        page.wait_until("!document.querySelector('[data-learning-app]').hidden")?;
        choose_file(page, "[data-learning-import]", &elsewhere)?;
        page.wait_until("document.querySelector('[data-learning-message]').textContent !== ''")?;
        let refusal = text_of(page, "[data-learning-message]")?;
        ensure(
            refusal.contains("from another site") && refusal.contains("nothing was imported"),
            || format!("importing another site's record says: {refusal}"),
        )?;
        no_console_errors(page)
    });
}

#[test]
fn two_sites_with_the_same_title_opened_from_disk_keep_separate_progress() {
    in_modes("two sites", &[Mode::File], |env, mode, page| {
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until("!document.querySelector('label.done').hidden")?;
        page.click("input[data-done='the-research-on-wait-time']")?;
        type_into(page, "#plan-1", "Only on the first site.")?;
        page.wait_until("document.querySelector('[data-progress-summary] .progress-text').textContent === '20 of 30 minutes done'")?;

        page.goto(&env.second.url(mode, PACK))?;
        page.wait_until("!document.querySelector('label.done').hidden")?;
        let progress = text_of(page, "[data-progress-summary] .progress-text")?;
        let plan = page.eval_string("document.getElementById('plan-1').value")?;
        ensure(
            progress == "0 of 30 minutes done" && plan.is_empty(),
            || {
                format!(
                    "the second site shows the first one's progress: `{progress}`, plan `{plan}`"
                )
            },
        )?;
        page.goto(&env.first.url(mode, PACK))?;
        page.wait_until("!document.querySelector('label.done').hidden")?;
        ensure(
            text_of(page, "[data-progress-summary] .progress-text")? == "20 of 30 minutes done",
            || "the first site lost its progress".into(),
        )
    });
}

#[test]
fn a_site_without_an_id_keeps_the_key_its_teachers_progress_is_under() {
    let site = TestSite::empty();
    site.write("site.yaml", "title: Our district PD\nbase_url: \"/\"\n");
    site.write("content/packs/wait-time/pack.md", CYCLE_PACK);
    site.run(&["build"]).ok();
    let page = site.read("public/packs/wait-time/index.html");
    assert!(
        page.contains("data-storage-key=\"flippack:/:our-district-pd\""),
        "a site without an id changed its progress key: {}",
        &page[..page.find("<head>").unwrap_or(page.len())]
    );
    let with_id = TestSite::empty();
    with_id.write("site.yaml", site_yaml("Our district PD", "3f2a9c41d07e"));
    with_id.write("content/packs/wait-time/pack.md", CYCLE_PACK);
    with_id.run(&["build"]).ok();
    let page = with_id.read("public/packs/wait-time/index.html");
    assert!(
        page.contains("data-storage-key=\"flippack:3f2a9c41d07e\"")
            && page.contains("data-legacy-storage-key=\"flippack:/:our-district-pd\""),
        "a site with an id is not keyed on it: {}",
        &page[..page.find("<head>").unwrap_or(page.len())]
    );
}

#[test]
fn the_cycle_pack_page_meets_wcag_2_1_aa_and_contacts_no_one() {
    in_modes("cycle accessibility", BOTH, |env, mode, page| {
        let mut problems = Vec::new();
        for dark in [false, true] {
            for width in [390, 1280] {
                page.emulate(width, dark)?;
                page.goto(&env.first.url(mode, PACK))?;
                page.wait_until("!document.querySelector('[data-check-actions]').hidden")?;
                // Checked once, so that feedback, explanations and the
                // result are on the page too.
                page.click("#q1-c1")?;
                type_into(page, "#q3-answer", "After a prediction.")?;
                page.click("[data-check-submit]")?;
                page.wait_until(
                    "document.querySelector('[data-check-result]').textContent !== ''",
                )?;
                type_into(page, "#plan-1", "A pause.")?;
                let label = format!("{width} px, {}", if dark { "dark" } else { "light" });
                let wide = page.eval("document.documentElement.scrollWidth")?;
                if wide.as_u64().unwrap_or(u64::MAX) > u64::from(width) {
                    problems.push(format!("{label}: the page is {wide} px wide"));
                }
                if mode == Mode::Http {
                    let axe = &env.axe;
                    for v in axe_violations(page, axe)? {
                        problems.push(format!("{label}: {v}"));
                    }
                }
                page.goto(&env.first.url(mode, "my-learning/index.html"))?;
                page.wait_until("!document.querySelector('[data-learning-table]').hidden")?;
                if mode == Mode::Http {
                    let axe = &env.axe;
                    for v in axe_violations(page, axe)? {
                        problems.push(format!("my learning, {label}: {v}"));
                    }
                }
                page.eval("localStorage.clear()")?;
            }
        }
        let local = format!("http://{}/", env.first.server.addr());
        let left = leaving_requests(&page.requests, &local);
        let proxied = env.first.server.take_proxied_hosts();
        ensure(left.is_empty() && proxied.is_empty(), || {
            format!("requests that left the page: {left:?} {proxied:?}")
        })?;
        problems.append(&mut page.console_errors);
        ensure(problems.is_empty(), || problems.join("\n"))
    });
}

#[test]
fn without_javascript_the_questions_and_their_answers_show() {
    in_modes("cycle without javascript", BOTH, |env, mode, page| {
        page.set_javascript(false)?;
        page.goto(&env.first.url(mode, PACK))?;
        let facts = page.eval(
            "(() => { const shown = s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length;
               document.querySelectorAll('details[data-answer-key]').forEach(d => d.open = true);
               return [shown('[data-self-check] legend'), shown('details[data-answer-key]'),
                       shown('[data-check-actions] button'), shown('[data-plan-prompt]'),
                       shown('[data-plan-actions]'), shown('.reflection-prompt'),
                       document.querySelector('[data-question=\"1\"] details').textContent,
                       document.querySelector('[data-question=\"3\"] details').textContent]; })()",
        )?;
        ensure(
            facts[0] == 3
                && facts[1] == 3
                && facts[2] == 0
                && facts[3] == 2
                && facts[4] == 0
                && facts[5] == 2
                && facts[6].as_str().is_some_and(|t| {
                    t.contains("Show answers")
                        && t.contains("At least three seconds")
                        && t.contains("Rowe found")
                })
                && facts[7]
                    .as_str()
                    .is_some_and(|t| t.contains("predict the result")),
            || {
                format!(
                    "[questions, answer keys, check buttons, plan prompts, plan buttons, \
                     reflection prompts, answers 1, answer 3] = {facts}"
                )
            },
        )
    });
}
