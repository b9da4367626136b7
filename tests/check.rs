//! `flippack check` on real sites: every lint fails on a broken case and
//! passes on the good ones, `--strict` turns warnings into a failure, and
//! `--format json` is parsed as a tool would.

mod common;

use common::TestSite;
use serde_json::Value;

const WAIT: &str = "content/packs/wait-time/pack.md";
const RTI: &str = "content/packs/rti/pack.md";
const YEAR: &str = "content/pathways/year.md";

/// A site with a finding of every lint one edit away, and none as it is.
fn site() -> TestSite {
    TestSite::fixture("check")
}

/// The findings of `check --format json`, which exits with `status_ok`.
fn findings(site: &TestSite, extra: &[&str]) -> (bool, Vec<Value>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let run = site.run(&args);
    let json: Value = serde_json::from_str(&run.stdout())
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", run.stdout()));
    let mut list = json.as_array().expect("an array of findings").clone();
    // The fixture's (and the demo's) site.yaml says it is an example site,
    // which is one note, never a failure; the tests are about the rest.
    let notes = list.iter().filter(|f| f["code"] == "example-site").count();
    assert!(notes <= 1, "{list:#?}");
    list.retain(|f| f["code"] != "example-site");
    (run.success(), list)
}

fn codes(list: &[Value]) -> Vec<&str> {
    list.iter()
        .map(|f| f["code"].as_str().unwrap_or(""))
        .collect()
}

/// One edit to the fixture and the single finding it must cause: `code`
/// in `file` at `line`, or no finding at all when `code` is empty.
struct Case {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
    line: u64,
}

const fn case(
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
    line: u64,
) -> Case {
    Case {
        file,
        from,
        to,
        code,
        line,
    }
}

const CASES: &[Case] = &[
    // Links: anchors in the body, in front matter Markdown, across packs,
    // on the same page and from the home page; a missing page.
    case(
        WAIT,
        "[the guide's two pauses](guide.md#the-two-pauses)",
        "[the guide's two pauses](guide.md#the-three-pauses)",
        "broken-anchor",
        37,
    ),
    case(
        WAIT,
        "(guide.md#the-two-pauses).",
        "(guide.md#two-pauses).",
        "broken-anchor",
        33,
    ),
    case(
        WAIT,
        "(../rti/pack.md#tiers)",
        "(../rti/pack.md#tier)",
        "broken-anchor",
        38,
    ),
    case(WAIT, "(#why-wait)", "(#why-waiting)", "broken-anchor", 44),
    case(
        "content/_index.md",
        "pack.md#why-wait",
        "pack.md#why",
        "broken-anchor",
        6,
    ),
    case(
        WAIT,
        "[the guide's two pauses](guide.md",
        "[the guide's two pauses](gide.md",
        "broken-link",
        37,
    ),
    case(
        WAIT,
        "(guide.md#the-two-pauses)",
        "(guide.md#pause-two)",
        "",
        0,
    ),
    case(
        WAIT,
        "(guide.md#the-two-pauses)",
        "(guide.md#the%2Dtwo%2Dpauses)",
        "",
        0,
    ),
    // Accessibility.
    case(WAIT, "    captions: true\n", "", "video-no-captions", 7),
    case(
        WAIT,
        "    captions: true\n",
        "    captions: false\n    transcript: transcript.md\n",
        "",
        0,
    ),
    case(
        WAIT,
        "    transcript: https://example.org/podcasts/waiting/transcript\n",
        "",
        "podcast-no-transcript",
        17,
    ),
    case(
        WAIT,
        "    transcript: https://example.org/podcasts/waiting/transcript\n",
        "    transcript: transcript.md\n",
        "",
        0,
    ),
    case(
        WAIT,
        "![A teacher counting silently to three]",
        "![]",
        "image-no-alt",
        40,
    ),
    // Images written as HTML: without `alt`, a finding; `alt=""` marks
    // decoration on purpose; a tag across lines is read whole.
    case(
        WAIT,
        "![A teacher counting silently to three](pause.png)",
        "A pause: <img src=\"pause.png\" width=\"200\">",
        "image-no-alt",
        40,
    ),
    case(
        WAIT,
        "![A teacher counting silently to three](pause.png)",
        "<img src=\"pause.png\" alt=\"\">",
        "",
        0,
    ),
    case(
        WAIT,
        "![A teacher counting silently to three](pause.png)",
        "<IMG\n  SRC='pause.png'\n  ALT=\"A teacher counting silently\">",
        "",
        0,
    ),
    case(
        WAIT,
        "![A teacher counting silently to three](pause.png)",
        "<div>\n<img\n  src=\"pause.png\"\n  class=\"wide\">\n</div>",
        "image-no-alt",
        41,
    ),
    case(
        WAIT,
        "Back to [why we wait]",
        "Back to [click here]",
        "vague-link-text",
        44,
    ),
    case(
        WAIT,
        "Back to [why we wait]",
        "Back to [Read more]",
        "vague-link-text",
        44,
    ),
    case(
        WAIT,
        "Back to [why we wait](#why-wait).",
        "See <https://example.org/more>.",
        "url-link-text",
        44,
    ),
    case(
        WAIT,
        "Back to [why we wait](#why-wait).",
        "See [https://example.org/more](https://example.org/more).",
        "url-link-text",
        44,
    ),
    case(
        WAIT,
        "Back to [why we wait](#why-wait).",
        "See [the district's page on waiting](https://example.org/more).",
        "",
        0,
    ),
    case(WAIT, "### Details", "#### Details", "heading-skip", 42),
    case(WAIT, "### Details", "## Details", "", 0),
    // Content.
    case(
        WAIT,
        "    duration: 40m",
        "    duration: 9h",
        "long-self-study",
        28,
    ),
    case(WAIT, "    duration: 40m", "    duration: 520m", "", 0),
    case(
        RTI,
        "  duration: 15m\n  prompts",
        "  duration: \"14:00\"\n  prompts",
        "short-workshop",
        11,
    ),
    case(
        RTI,
        "  duration: 15m\n  prompts",
        "  duration: 1h\n  prompts",
        "",
        0,
    ),
    case(
        WAIT,
        "url: https://example.org/videos/pause",
        "url: ftp://example.org/videos/pause",
        "bad-url",
        8,
    ),
    case(
        WAIT,
        "url: https://example.org/videos/lesson",
        "url: https://example.org/videos/pause/",
        "duplicate-url",
        13,
    ),
    case(
        WAIT,
        "url: https://example.org/videos/lesson",
        "url: https://example.org/videos/pause-2",
        "",
        0,
    ),
    case(
        YEAR,
        "  - pack: rti\n",
        "  - pack: rti\n  - pack: wait-time\n",
        "duplicate-pathway-pack",
        6,
    ),
    case(
        RTI,
        "  prompts: [Which tier fits which student?]\n",
        "",
        "no-prompts",
        10,
    ),
];

#[test]
fn the_fixture_has_no_findings() {
    let site = site();
    let (ok, list) = findings(&site, &["--strict"]);
    assert!(ok && list.is_empty(), "{list:#?}");
    let run = site.run(&["check", "--strict"]);
    assert!(run.success());
    assert!(
        run.stderr()
            .contains("Checked 2 packs, 1 pathway and 2 pages: no errors or warnings"),
        "{}",
        run.stderr()
    );
}

#[test]
fn each_lint_fails_on_a_broken_case_and_passes_on_a_good_one() {
    for case in CASES {
        let site = site();
        site.replace(case.file, case.from, case.to);
        let (ok, list) = findings(&site, &[]);
        let label = format!("{} -> {}", case.from.trim(), case.to.trim());
        if case.code.is_empty() {
            assert!(ok && list.is_empty(), "{label}: {list:#?}");
            continue;
        }
        assert_eq!(codes(&list), [case.code], "{label}: {list:#?}");
        let finding = &list[0];
        assert_eq!(finding["file"], case.file, "{label}");
        assert_eq!(finding["line"], case.line, "{label}: {finding:#}");
        assert!(
            finding["column"].as_u64().unwrap_or(0) > 0,
            "{label}: {finding:#}"
        );
        let is_error = finding["severity"] == "error";
        assert_eq!(ok, !is_error, "{label}: errors fail, warnings pass");
        if !is_error {
            assert_eq!(finding["severity"], "warning");
            let (strict_ok, _) = findings(&site, &["--strict"]);
            assert!(!strict_ok, "{label}: --strict fails on a warning");
        }
    }
}

#[test]
fn strict_makes_warnings_fail() {
    let site = site();
    site.replace(WAIT, "    captions: true\n", "");
    let run = site.run(&["check"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(
        run.stderr().contains("1 warning in 1 pack"),
        "{}",
        run.stderr()
    );
    let stderr = site.run(&["check", "--strict"]).fails();
    assert!(
        stderr.contains("1 warning in 1 pack; --strict makes warnings fail the check"),
        "{stderr}"
    );
}

#[test]
fn json_findings_have_exactly_the_documented_keys() {
    let site = site();
    site.replace(WAIT, "### Details", "#### Details");
    let (_, list) = findings(&site, &[]);
    let mut keys: Vec<&str> = list[0]
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["code", "column", "file", "help", "line", "message", "severity"]
    );
    assert_eq!(list[0]["code"], "heading-skip");
    assert_eq!(list[0]["column"], 1);
    assert!(list[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("Details"));
    assert!(list[0]["help"].as_str().unwrap_or("").contains("###"));
}

#[test]
fn findings_are_sorted_by_file_and_line_with_a_summary() {
    let site = site();
    site.replace(YEAR, "  - pack: rti\n", "  - pack: rti\n  - pack: rti\n")
        .replace(WAIT, "### Details", "#### Details")
        .replace(WAIT, "    captions: true\n", "");
    let stderr = site.run(&["check"]).stderr();
    let places: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    assert_eq!(
        places,
        [
            "content/packs/wait-time/pack.md:7:5",
            "content/packs/wait-time/pack.md:41:1",
            "content/pathways/year.md:6:5",
            "site.yaml:3:1",
        ],
        "{stderr}"
    );
    assert!(
        stderr
            .trim_end()
            .ends_with("3 warnings in 1 pack and 1 other file"),
        "the example site's note is not counted: {stderr}"
    );
    assert!(
        stderr.contains("info[example-site]: an example site: 5 addresses"),
        "{stderr}"
    );
}

#[test]
fn errors_that_stop_a_build_are_reported_the_same_way() {
    let site = site();
    site.replace(WAIT, "    duration: 20m", "    duraton: 20m");
    let (ok, list) = findings(&site, &[]);
    assert!(!ok);
    assert_eq!(codes(&list), ["unknown-key"]);
    assert_eq!(list[0]["line"], 14);
    assert!(list[0]["help"]
        .as_str()
        .unwrap_or("")
        .contains("did you mean `duration`?"));
    let stderr = site.run(&["check"]).fails();
    assert!(
        stderr.contains("fix the errors to run the other checks"),
        "{stderr}"
    );
}

#[test]
fn check_writes_nothing() {
    let site = site();
    site.run(&["check", "--strict"]).ok();
    assert!(!site.path("public").exists());
    let entries = std::fs::read_dir(site.root())
        .expect("list the site")
        .count();
    assert_eq!(entries, 2, "only content/ and site.yaml");
}

#[test]
fn drafts_are_checked_only_with_drafts() {
    let site = site();
    site.replace(RTI, "summary:", "draft: true\nsummary:")
        .replace(
            RTI,
            "  duration: 15m\n  prompts",
            "  duration: 5m\n  prompts",
        )
        .replace(YEAR, "  - pack: rti\n", "")
        .replace(WAIT, "\n[the tiers of support](../rti/pack.md#tiers).", ".");
    let (ok, list) = findings(&site, &["--strict"]);
    assert!(ok && list.is_empty(), "{list:#?}");
    let (ok, list) = findings(&site, &["--strict", "--drafts"]);
    assert!(!ok);
    assert_eq!(codes(&list), ["short-workshop"]);
}

#[test]
fn root_option_and_text_findings() {
    let site = site();
    site.replace(WAIT, "![A teacher counting silently to three]", "![ ]");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run flippack");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success());
    assert!(
        stderr.contains("warning[image-no-alt]: the image `pause.png` has no alt text"),
        "{stderr}"
    );
    assert!(!stderr.contains('\x1b'), "no colour when piped: {stderr}");
}

#[test]
fn the_bundled_demo_site_has_no_errors_or_warnings() {
    let site = TestSite::demo();
    let (ok, list) = findings(&site, &["--strict", "--drafts"]);
    // Notes for its coaches may remain; a warning or an error may not.
    assert!(
        ok && list.iter().all(|f| f["severity"] == "info"),
        "{list:#?}"
    );
}

#[test]
fn a_theme_that_cannot_render_is_a_finding() {
    let site = site();
    site.write(
        "site.yaml",
        "title: Check fixture\ntheme: district\nexample_site: true\n",
    );
    let (ok, list) = findings(&site, &[]);
    assert!(!ok);
    assert_eq!(codes(&list), ["theme-missing"]);
    assert_eq!(list[0]["file"], "site.yaml");
    assert_eq!(list[0]["line"], 2);
    assert!(list[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("themes/district/"));

    site.write("themes/district/templates/pack.html", "{% if %}");
    let (ok, list) = findings(&site, &[]);
    assert!(!ok);
    assert_eq!(codes(&list), ["theme"]);
    assert_eq!(list[0]["file"], "themes/district");
    assert!(list[0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("pack.html"));
}

#[test]
fn a_local_video_with_a_vtt_beside_it_counts_as_captioned() {
    let site = site();
    site.write(
        "content/packs/wait-time/media/Talk.mp4",
        b"\0\0\0\x18ftypmp42",
    )
    .replace(
        WAIT,
        "    url: https://example.org/videos/pause\n    duration: \"10:00\"\n    captions: true\n",
        "    file: media/Talk.mp4\n    duration: \"10:00\"\n",
    );
    let (ok, list) = findings(&site, &["--strict"]);
    assert!(!ok);
    assert_eq!(codes(&list), ["video-no-captions"], "{list:#?}");

    site.write(
        "content/packs/wait-time/media/talk.vtt",
        "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nLet's wait.\n",
    );
    let (ok, list) = findings(&site, &["--strict"]);
    assert!(ok && list.is_empty(), "{list:#?}");
    site.run(&["build"]).ok();
    let page = site.read("public/packs/wait-time/index.html");
    assert!(
        page.contains("<track kind=\"captions\""),
        "the page plays it with captions"
    );
}

#[test]
fn a_reading_credited_far_from_its_length_is_noted_with_both_figures() {
    let site = site();
    let pack = "content/packs/wait-time/pack.md";
    let reading = format!("{}\n", "word ".repeat(714));
    site.write("content/packs/wait-time/reading.md", format!("# A reading\n\n{reading}"))
        .replace(
            pack,
            "  - title: Question tally\n",
            "  - title: A reading\n    kind: reading\n    page: reading.md\n    duration: 20m\n  - title: Question tally\n",
        );
    let (ok, list) = findings(&site, &["--strict"]);
    assert!(ok, "a note never fails the check: {list:#?}");
    assert_eq!(codes(&list), ["reading-time"], "{list:#?}");
    assert_eq!(list[0]["severity"], "info");
    assert_eq!(list[0]["line"], 28);
    let message = list[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("credited 20 min"), "{message}");
    assert!(message.contains("about 3 min (716 words"), "{message}");

    // Near its length, or with no duration at all, it says nothing.
    site.replace(
        pack,
        "    page: reading.md\n    duration: 20m\n",
        "    page: reading.md\n    duration: 5m\n",
    );
    let (_, list) = findings(&site, &["--strict"]);
    assert!(list.is_empty(), "{list:#?}");
}

#[test]
fn check_reads_the_codes_file_as_build_does() {
    let site = TestSite::demo();
    let sample = common::repo_root().join("attendance.sample.yaml");
    let sample = sample.to_str().expect("a UTF-8 path");
    // The demo's sample codes are good: nothing to report about them.
    let (ok, list) = findings(&site, &["--codes", sample]);
    assert!(ok, "{list:#?}");
    assert_eq!(list, findings(&site, &[]).1);

    // attendance.yaml beside site.yaml is read without being named.
    site.write(
        "attendance.yaml",
        "ell-comunication:\n  2026-09-15: OAK-4821\nrti-rollout:\n  2026-08-24: ab-12\n",
    );
    let run = site.run(&["check"]);
    let stderr = run.stderr();
    assert!(!run.success(), "{stderr}");
    for expected in [
        "error[unknown-pack]: there is no pack `ell-comunication`",
        "--> attendance.yaml:1:1",
        "did you mean `ell-communication`?",
        "error[short-code]",
        "--> attendance.yaml:4:3",
    ] {
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in:\n{stderr}"
        );
    }

    // --codes names another file, in place of the default one.
    site.write(
        "elsewhere.yaml",
        "ell-communication: {2026-09-16: OAK-4821}\n",
    );
    // (The demo's own notes aside.)
    let errors = |mut list: Vec<Value>| {
        list.retain(|f| f["severity"] == "error");
        list
    };
    let (ok, list) = findings(&site, &["--codes", "elsewhere.yaml"]);
    let list = errors(list);
    assert!(!ok);
    assert_eq!(codes(&list), ["unknown-session"], "{list:#?}");
    assert_eq!(list[0]["file"], "elsewhere.yaml", "{list:#?}");

    // ... and so does FLIPPACK_CODES.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_flippack"))
        .arg("check")
        .current_dir(site.root())
        .env("FLIPPACK_CODES", site.path("elsewhere.yaml"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run flippack");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("error[unknown-session]"), "{stderr}");

    // A codes file named but missing is a finding too, not a crash.
    let (ok, list) = findings(&site, &["--codes", "nowhere.yaml"]);
    let list = errors(list);
    assert!(!ok);
    assert_eq!(codes(&list), ["missing-file"], "{list:#?}");
}

#[test]
fn the_codes_files_own_mistakes_are_reported_when_a_pack_has_errors_too() {
    let site = TestSite::demo();
    site.write(
        "attendance.yaml",
        "ell-communication:\n  2026-09-15: ab-12\n",
    );
    site.replace(
        "content/packs/ell-communication/pack.md",
        "title:",
        "titel:",
    );
    let stderr = site.run(&["check"]).fails();
    assert!(stderr.contains("error[unknown-key]"), "{stderr}");
    assert!(
        stderr.contains("error[short-code]") && stderr.contains("--> attendance.yaml:2:3"),
        "{stderr}"
    );
}
