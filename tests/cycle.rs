//! The rest of the flipped cycle in a pack: self-check questions, the
//! Application & Impact Plan, the follow-up meeting and resource ids. Each
//! mistake gets its code, file, line and help; the figures they add to
//! credit are exact; templates get them as variables.

mod common;

use common::TestSite;

const PACK: &str = "content/packs/alpha/pack.md";

/// The minimal fixture with `yaml` added to alpha's front matter, just
/// before `workshop:` (line 16).
fn with_front_matter(yaml: &str) -> TestSite {
    let site = TestSite::fixture("minimal");
    site.replace(PACK, "workshop:\n", &format!("{yaml}workshop:\n"));
    site
}

/// Building fails with each of `expected` in the error output.
fn fails_with(yaml: &str, expected: &[&str]) -> String {
    let site = with_front_matter(yaml);
    let stderr = site.run(&["build"]).fails();
    for fragment in expected {
        assert!(
            stderr.contains(fragment),
            "expected {fragment:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!site.path("public").exists(), "nothing is written");
    stderr
}

const GOOD_CHECK: &str = "\
self_check:
  pass_percent: 50
  questions:
    - question: How long should you *wait*?
      choices:
        - text: One second
          feedback: Too short for most students to think.
        - text: Three seconds or more
          correct: true
      explanation: Rowe found **three seconds** changed answers.
    - question: Which are open questions?
      choices:
        - text: Why do you think so?
          correct: true
        - text: What else could explain it?
          correct: true
        - text: Is it 4?
    - question: What will you try first?
      model_answer: A pause after *every* question.
";

#[test]
fn a_scored_question_with_no_correct_choice() {
    fails_with(
        "self_check:\n  questions:\n    - question: Which?\n      choices:\n        - text: A\n        - text: B\n",
        &[
            "error[no-correct-choice]",
            "question 1 of the self-check has choices but none is marked correct",
            "--> content/packs/alpha/pack.md:19:",
            "help: add `correct: true` to the right choice",
        ],
    );
}

#[test]
fn a_question_with_choices_and_a_model_answer() {
    fails_with(
        "self_check:\n  questions:\n    - question: Which?\n      choices:\n        - text: A\n          correct: true\n      model_answer: A, because.\n",
        &[
            "error[choices-and-model-answer]",
            "question 1 of the self-check has both `choices` and a `model_answer`",
            "--> content/packs/alpha/pack.md:22:",
            "help: keep `choices:` for a scored question",
        ],
    );
}

#[test]
fn empty_questions_and_choices() {
    fails_with(
        "self_check:\n  questions:\n    - question: \" \"\n      model_answer: Yes.\n    - question: Which?\n      choices:\n        - text: A\n          correct: true\n        - text: \"\"\n",
        &[
            "error[empty-value]: question 1 of the self-check is empty",
            "--> content/packs/alpha/pack.md:18:",
            "error[empty-value]: choice 2 of question 2 of the self-check is empty",
            "--> content/packs/alpha/pack.md:24:",
            "help: write the choice's `text:`",
        ],
    );
    fails_with(
        "self_check:\n  questions: []\n",
        &[
            "error[empty-value]: `self_check` lists no questions",
            "--> content/packs/alpha/pack.md:16:",
        ],
    );
}

#[test]
fn pass_percent_outside_1_to_100() {
    for (value, shown) in [("0", "0"), ("101", "101"), ("-5", "-5")] {
        fails_with(
            &GOOD_CHECK.replace("pass_percent: 50", &format!("pass_percent: {value}")),
            &[
                "error[pass-percent-range]",
                &format!("`pass_percent` is {shown}; it must be from 1 to 100"),
                "--> content/packs/alpha/pack.md:17:",
                "help: e.g. `pass_percent: 80`",
            ],
        );
    }
}

#[test]
fn pass_percent_with_no_scored_question() {
    fails_with(
        "self_check:\n  pass_percent: 80\n  questions:\n    - question: What will you try?\n",
        &[
            "error[pass-percent-unscored]",
            "`pass_percent` is set but no question of the self-check has choices",
            "--> content/packs/alpha/pack.md:17:",
            "help: only questions with `choices:` are scored",
        ],
    );
}

#[test]
fn duplicate_and_malformed_resource_ids() {
    // An explicit id equal to another resource's title slug.
    let site = TestSite::fixture("minimal");
    site.replace(
        PACK,
        "    page: guide.md\n",
        "    page: guide.md\n    id: watch-the-routine\n",
    );
    let stderr = site.run(&["build"]).fails();
    for fragment in [
        "error[duplicate-resource-id]",
        "resource 1 and resource 2 of this pack both have the id `watch-the-routine`",
        "--> content/packs/alpha/pack.md:15:",
        "help: give each resource its own `id:`",
    ] {
        assert!(stderr.contains(fragment), "{fragment:?} in:\n{stderr}");
    }
    // Two explicit ids alike, the second is the one pointed at.
    let site = TestSite::fixture("minimal");
    site.replace(
        PACK,
        "    kind: video\n",
        "    id: routine\n    kind: video\n",
    )
    .replace(
        PACK,
        "    page: guide.md\n",
        "    page: guide.md\n    id: routine\n",
    );
    let stderr = site.run(&["build"]).fails();
    assert!(
        stderr.contains("error[duplicate-resource-id]")
            && stderr.contains("--> content/packs/alpha/pack.md:16:"),
        "{stderr}"
    );
    // An id must be a slug.
    let site = TestSite::fixture("minimal");
    site.replace(
        PACK,
        "    kind: video\n",
        "    id: Watch It\n    kind: video\n",
    );
    let stderr = site.run(&["build"]).fails();
    for fragment in [
        "error[bad-resource-id]: `Watch It` is not a resource id",
        "--> content/packs/alpha/pack.md:8:",
        "help: use lower-case letters, digits and hyphens, e.g. `id: watch-it`",
    ] {
        assert!(stderr.contains(fragment), "{fragment:?} in:\n{stderr}");
    }
}

#[test]
fn misspelt_cycle_keys_get_a_suggestion() {
    fails_with(
        &GOOD_CHECK.replace(
            "          correct: true\n      explanation",
            "          corect: true\n      explanation",
        ),
        &[
            "error[unknown-key]",
            "unknown key `corect`",
            "did you mean `correct`?",
        ],
    );
    fails_with(
        "plan:\n  prompts: [What is your goal?]\n  share_wth: [principal]\n",
        &[
            "unknown key `share_wth`",
            "--> content/packs/alpha/pack.md:18:",
            "did you mean `share_with`?",
        ],
    );
    fails_with(
        "follow_up:\n  afer: 4 weeks\n",
        &["unknown key `afer`", "did you mean `after`?"],
    );
    fails_with(
        "self_check:\n  questions:\n    - question: Why?\n      model_anwser: Because.\n",
        &["unknown key `model_anwser`", "did you mean `model_answer`?"],
    );
}

#[test]
fn every_problem_of_a_self_check_is_reported_at_once() {
    let stderr = fails_with(
        "self_check:\n  pass_percent: 150\n  questions:\n    - question: A?\n      choices:\n        - text: x\n    - question: B?\n      choices:\n        - text: y\n          correct: true\n      model_answer: y\n",
        &[],
    );
    for code in [
        "pass-percent-range",
        "no-correct-choice",
        "choices-and-model-answer",
    ] {
        assert!(
            stderr.contains(&format!("error[{code}]")),
            "{code}: {stderr}"
        );
    }
}

/// `hours --format json` for the minimal site, whose alpha pack has 120
/// minutes of resources and a 60-minute workshop.
fn hours_json(site: &TestSite) -> serde_json::Value {
    serde_json::from_str(&site.run(&["hours", "--format", "json"]).ok()).expect("JSON")
}

#[test]
fn questions_count_exact_self_study_minutes_in_hours_json() {
    let site = with_front_matter(GOOD_CHECK);
    site.write(
        "site.yaml",
        "title: Test site\ncredit:\n  minutes_per_question: 1.85\n  increment: none\n",
    );
    // 3 questions × 1.85 = 5.55 minutes: 125.55 of self-study, 185.55 in
    // all, 3.0925 hours, shown to two decimals.
    let json = hours_json(&site);
    assert_eq!(
        json,
        serde_json::json!([{
            "slug": "alpha",
            "title": "Alpha pack",
            "self_study_minutes": 125.55,
            "optional_minutes": 0.0,
            "workshop_minutes": 60.0,
            "application_minutes": 0.0,
            "total_minutes": 185.55,
            "credit_hours": 3.09,
            "credit_hours_with_optional": 3.09,
            "categories": [],
        }])
    );
    // Without the rule, the questions count no time.
    site.write("site.yaml", "title: Test site\n");
    let json = hours_json(&site);
    assert_eq!(json[0]["self_study_minutes"], 120.0);
    assert_eq!(json[0]["credit_hours"], 3.0);
}

#[test]
fn question_minutes_make_whole_fifty_minute_hours() {
    // 20 questions × 1.85 = 37 minutes, + 120 + 60 = 217 minutes; with
    // 50-minute hours, down to the quarter: 4.25 (4.34 exactly).
    let mut yaml = String::from("self_check:\n  questions:\n");
    for n in 1..=20 {
        yaml.push_str(&format!("    - question: Question {n}?\n"));
    }
    let site = with_front_matter(&yaml);
    site.write(
        "site.yaml",
        "title: Test site\ncredit:\n  minutes_per_hour: 50\n  minutes_per_question: 1.85\n",
    );
    let json = hours_json(&site);
    assert_eq!(json[0]["self_study_minutes"], 157.0);
    assert_eq!(json[0]["total_minutes"], 217.0);
    assert_eq!(json[0]["credit_hours"], 4.25);
    // The hours.csv of a build carries the same figures.
    site.run(&["build"]).ok();
    let csv = site.read("public/hours.csv");
    assert!(csv.contains(",157,"), "{csv}");
}

#[test]
fn a_bad_minutes_per_question_is_reported_in_site_yaml() {
    let site = TestSite::fixture("minimal");
    site.write(
        "site.yaml",
        "title: Test site\ncredit:\n  minutes_per_question: -2\n",
    );
    let stderr = site.run(&["build"]).fails();
    for fragment in [
        "error[invalid-value]: `minutes_per_question` cannot be less than zero",
        "--> site.yaml:3:3",
        "help: a number of minutes, e.g. 1.85",
    ] {
        assert!(stderr.contains(fragment), "{fragment:?} in:\n{stderr}");
    }
}

/// A theme whose pack page prints the cycle's variables, one per line.
const CYCLE_TEMPLATE: &str = r#"{% extends "base.html" %}{% block main %}<pre class="cycle">
site.id={{ site.id | default(value="none") }}
{% for r in pack.self_study %}resource {{ r.number }} id={{ r.id }}
{% endfor %}{% if pack.self_check %}pass={{ pack.self_check.pass_percent }} scored={{ pack.self_check.scored }} to-pass={{ pack.self_check.pass_count }} minutes={{ pack.self_check.minutes }}
{% for q in pack.self_check.questions %}q{{ q.number }} {{ q.kind }} "{{ q.instruction }}" {{ q.html | safe }}
{% for c in q.choices %}  c{{ c.number }} correct={{ c.correct }} {{ c.html | safe }} feedback={{ c.feedback | default(value="-") | safe }}
{% endfor %}  explanation={{ q.explanation | default(value="-") | safe }}
  model={{ q.model_answer | default(value="-") | safe }}
{% endfor %}{% endif %}{% if pack.plan %}plan standard={{ pack.plan.standard }} share="{{ pack.plan.share_with_text }}"
{% for p in pack.plan.prompts %}  prompt: {{ p | safe }}
{% endfor %}{% endif %}{% if pack.follow_up %}follow-up after="{{ pack.follow_up.after }}" with="{{ pack.follow_up.with_text }}"
{% for p in pack.follow_up.prompts %}  prompt: {{ p | safe }}
{% endfor %}{% endif %}</pre>{% endblock main %}"#;

#[test]
fn templates_get_the_self_check_plan_follow_up_and_ids() {
    let site = with_front_matter(&format!(
        "{GOOD_CHECK}plan:\n  share_with: [principal, instructional coach, PLC]\nfollow_up:\n  after: 4 weeks\n  with: [principal]\n  prompts:\n    - What did *students* do differently?\n"
    ));
    site.replace(
        PACK,
        "    page: guide.md\n",
        "    page: guide.md\n    id: the-guide\n",
    )
    .write(
        "site.yaml",
        "title: Test site\ntheme: plain\nid: site-0123abcd\ncredit:\n  minutes_per_question: 1.85\n",
    )
    .write("themes/plain/templates/pack.html", CYCLE_TEMPLATE);
    site.run(&["build"]).ok();
    let page = site.read("public/packs/alpha/index.html");
    for line in [
        "site.id=site-0123abcd",
        "resource 1 id=watch-the-routine",
        "resource 2 id=the-guide",
        "pass=50 scored=2 to-pass=1 minutes=5.55",
        "q1 single \"Choose one.\" How long should you <em>wait</em>?",
        "  c1 correct=false One second feedback=<p>Too short for most students to think.</p>",
        "  c2 correct=true Three seconds or more feedback=-",
        "  explanation=<p>Rowe found <strong>three seconds</strong> changed answers.</p>",
        "q2 multiple \"Select all that apply.\" Which are open questions?",
        "q3 written \"Write your answer.\" What will you try first?",
        "  model=<p>A pause after <em>every</em> question.</p>",
        "plan standard=true share=\"principal, instructional coach and PLC\"",
        "  prompt: How will you measure its impact on your students?",
        "follow-up after=\"4 weeks\" with=\"principal\"",
        "  prompt: What did <em>students</em> do differently?",
    ] {
        assert!(page.contains(line), "{line:?} missing from:\n{page}");
    }

    // A site without `id:` still builds; its pages have no site id.
    site.write("site.yaml", "title: Test site\ntheme: plain\n");
    site.run(&["build"]).ok();
    let page = site.read("public/packs/alpha/index.html");
    assert!(page.contains("site.id=none"), "{page}");
    assert!(page.contains("minutes=0\n"), "{page}");
}

/// `check --format json` findings, and whether the check passed.
fn check_json(site: &TestSite, args: &[&str]) -> (bool, Vec<serde_json::Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    let list = serde_json::from_str(&run.stdout()).expect("JSON findings");
    (run.success(), list)
}

#[test]
fn long_self_study_without_a_self_check_is_a_suggestion() {
    // Alpha has two hours of self-study and no self-check.
    let site = TestSite::fixture("minimal");
    let (ok, list) = check_json(&site, &["--strict"]);
    assert!(ok, "a suggestion never fails a check, not even --strict");
    let found: Vec<_> = list
        .iter()
        .filter(|f| f["code"] == "no-self-check")
        .collect();
    assert_eq!(found.len(), 1, "{list:#?}");
    assert_eq!(found[0]["severity"], "info");
    assert_eq!(found[0]["file"], PACK);
    assert_eq!(found[0]["line"], 6);
    assert_eq!(
        found[0]["message"],
        "the self-study takes 2 h and the pack has no `self_check`"
    );
    let run = site.run(&["check", "--strict"]);
    assert!(run.success());
    let stderr = run.stderr();
    assert!(stderr.contains("info[no-self-check]"), "{stderr}");
    assert!(
        // The minimal fixture has notes of its own (an example site, a
        // reading credited an hour): the suggestion is one more of them.
        stderr.contains("no errors or warnings; 3 notes"),
        "{stderr}"
    );

    // With a self-check, or with 30 minutes of study or less, nothing.
    let site = with_front_matter(GOOD_CHECK);
    let (_, list) = check_json(&site, &[]);
    assert!(
        list.iter().all(|f| f["code"] != "no-self-check"),
        "{list:#?}"
    );
    let site = TestSite::fixture("minimal");
    site.replace(PACK, "duration: 60m", "duration: 10m")
        .replace(PACK, "duration: 1h", "duration: 20m");
    let (_, list) = check_json(&site, &[]);
    assert!(
        list.iter().all(|f| f["code"] != "no-self-check"),
        "{list:#?}"
    );
}

#[test]
fn a_plan_that_never_asks_about_students_is_a_suggestion() {
    let site = with_front_matter(&format!(
        "{GOOD_CHECK}plan:\n  prompts:\n    - Which strategy will you use?\n    - When will you teach it?\n"
    ));
    let (ok, list) = check_json(&site, &["--strict"]);
    assert!(ok);
    let found: Vec<_> = list
        .iter()
        .filter(|f| f["code"] == "plan-without-impact")
        .collect();
    assert_eq!(found.len(), 1, "{list:#?}");
    assert_eq!(found[0]["severity"], "info");
    assert_eq!(found[0]["line"], 35, "the `plan:` line");
    assert!(found[0]["help"]
        .as_str()
        .unwrap_or("")
        .contains("How will you measure the impact on your students?"));

    // A prompt about measuring, or the standard prompts, and it is gone.
    for plan in [
        "plan:\n  prompts:\n    - Which strategy will you use?\n    - How will you measure what changed?\n",
        "plan: true\n",
    ] {
        let site = with_front_matter(&format!("{GOOD_CHECK}{plan}"));
        let (_, list) = check_json(&site, &[]);
        assert!(
            list.iter().all(|f| f["code"] != "plan-without-impact"),
            "{plan}: {list:#?}"
        );
    }
}

#[test]
fn the_documented_worked_example_of_question_minutes() {
    // docs/content-format.md: the ELL pack's five questions at 1.85
    // minutes add 9.25 minutes to its 120; 189.25 in all, 3 credit hours.
    let site = TestSite::demo();
    site.replace(
        "site.yaml",
        "  minutes_per_question: 0\n",
        "  minutes_per_question: 1.85\n",
    );
    let json = hours_json(&site);
    let ell = json
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["slug"] == "ell-communication"))
        .expect("the ELL pack");
    assert_eq!(ell["self_study_minutes"], 129.25);
    assert_eq!(ell["total_minutes"], 189.25);
    assert_eq!(ell["credit_hours"], 3.0);
    // As the demo ships, the questions count nothing: exactly 3 hours.
    let json = hours_json(&TestSite::demo());
    let ell = json
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["slug"] == "ell-communication"))
        .expect("the ELL pack");
    assert_eq!(ell["self_study_minutes"], 120.0);
    assert_eq!(ell["credit_hours"], 3.0);
}
