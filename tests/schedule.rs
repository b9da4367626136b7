//! Workshop sessions, pathway choices and events, credit categories and
//! CEUs: what coaches write, what a mistake in it says, and what teachers
//! and a PD office get from it.

mod common;

use common::TestSite;

const PACK: &str = "content/packs/alpha/pack.md";
const PATHWAY: &str = "content/pathways/starter.md";

/// The minimal fixture with `site.yaml` replaced by `site`.
fn site_with(site: &str) -> TestSite {
    let s = TestSite::fixture("minimal");
    s.write("site.yaml", site);
    s
}

const ZONED: &str = "title: Test site\ntimezone: America/New_York\n";

/// Adds `sessions` (YAML lines at the workshop's indentation) to the
/// alpha pack's workshop.
fn with_sessions(site: &TestSite, sessions: &str) {
    site.replace(
        PACK,
        "  prompts:\n",
        &format!("  sessions:\n{sessions}  prompts:\n"),
    );
}

/// A failed build's messages, each fragment of `expected` among them.
fn build_fails(site: &TestSite, expected: &[&str]) -> String {
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

#[test]
fn a_session_that_ends_before_it_starts() {
    let site = site_with(ZONED);
    with_sessions(
        &site,
        "    - date: 2026-09-15\n      start: \"15:30\"\n      end: \"3:30\"\n",
    );
    build_fails(
        &site,
        &[
            "error[session-time]",
            "ends at 03:30, which is not after its start at 15:30",
            "--> content/packs/alpha/pack.md:26:7",
            "help: write times on the 24-hour clock",
        ],
    );
}

#[test]
fn a_session_shorter_than_the_workshop_is_a_warning() {
    let site = site_with(ZONED);
    with_sessions(
        &site,
        "    - date: 2026-09-15\n      start: \"15:30\"\n      end: \"16:15\"\n",
    );
    let built = site.run(&["build"]);
    assert!(built.success(), "{}", built.stderr());
    assert!(
        built.stderr().contains("warning[session-length]"),
        "{}",
        built.stderr()
    );
    let stderr = site.run(&["check", "--strict"]).fails();
    assert!(
        stderr.contains("this session lasts 45 min, but the workshop's time is 1 h"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/packs/alpha/pack.md:26:7"),
        "{stderr}"
    );
}

#[test]
fn a_time_zone_that_does_not_exist() {
    let site = site_with("title: Test site\ntimezone: America/New_Yrok\n");
    build_fails(
        &site,
        &[
            "error[bad-timezone]",
            "`America/New_Yrok` is not a time zone",
            "--> site.yaml:2:1",
            "did you mean `America/New_York`?",
        ],
    );
}

#[test]
fn a_day_that_does_not_exist() {
    let site = site_with(ZONED);
    with_sessions(&site, "    - date: 2026-02-30\n      start: \"15:30\"\n");
    build_fails(
        &site,
        &[
            "`2026-02-30` is not a day of the calendar: February 2026 has 28 days",
            "content/packs/alpha/pack.md:24:7",
        ],
    );
}

#[test]
fn a_start_time_needs_the_sites_time_zone() {
    let site = TestSite::fixture("minimal");
    with_sessions(&site, "    - date: 2026-09-15\n      start: \"15:30\"\n");
    build_fails(
        &site,
        &[
            "error[no-timezone]",
            "--> content/packs/alpha/pack.md:25:7",
            "help: add the zone the times are in to site.yaml, e.g. `timezone: America/New_York`",
        ],
    );
}

#[test]
fn an_online_session_needs_a_web_address() {
    let site = site_with(ZONED);
    with_sessions(
        &site,
        "    - date: 2026-09-15\n      online: meet.example.org/alpha\n",
    );
    build_fails(
        &site,
        &[
            "error[bad-url]",
            "`meet.example.org/alpha` is not a web address teachers can join from",
            "content/packs/alpha/pack.md:25:7",
        ],
    );
}

#[test]
fn a_misspelt_session_key_is_suggested() {
    let site = site_with(ZONED);
    with_sessions(
        &site,
        "    - date: 2026-09-15\n      facilitater: J. Okafor\n",
    );
    build_fails(
        &site,
        &[
            "error[unknown-key]",
            "unknown key `facilitater`",
            "did you mean `facilitator`?",
        ],
    );
}

#[test]
fn a_category_the_site_does_not_list() {
    let site =
        site_with("title: Test site\ncredit:\n  categories: [Language acquisition, Literacy]\n");
    site.replace(
        PACK,
        "tags: [Routines]\n",
        "tags: [Routines]\ncredit_categories: [Language aquisition]\n",
    );
    build_fails(
        &site,
        &[
            "error[unknown-category]",
            "`Language aquisition` is not one of the site's credit categories",
            "--> content/packs/alpha/pack.md:6:",
            "did you mean `Language acquisition`?",
        ],
    );
}

#[test]
fn an_event_without_a_date() {
    let site = site_with(ZONED);
    site.replace(
        PATHWAY,
        "    when: Week 1\n",
        "    when: Week 1\n  - event: Pre-service week\n    duration: 3h\n    credited: true\n",
    );
    build_fails(
        &site,
        &[
            "error[no-date]",
            "the event `Pre-service week` has no `date`",
            "--> content/pathways/starter.md:6:",
        ],
    );
}

#[test]
fn a_step_is_a_pack_a_choice_or_an_event() {
    let site = site_with(ZONED);
    site.replace(
        PATHWAY,
        "    when: Week 1\n",
        "    when: Week 1\n    event: Kick-off\n",
    );
    build_fails(
        &site,
        &[
            "error[pathway-step]",
            "more than one of `pack`, `choose` and `event`",
        ],
    );
    let site = site_with(ZONED);
    site.replace(PATHWAY, "  - pack: alpha\n", "  - choose: [alpha, alpah]\n");
    build_fails(
        &site,
        &[
            "error[unknown-pack]",
            "there is no pack `alpah`",
            "did you mean `alpha`?",
        ],
    );
}

/// Python with the `icalendar` package, the independent parser the
/// calendars are read back with; `None` (the test skipped) outside CI
/// when it is missing. `.ci/run` installs it.
fn icalendar_python() -> Option<&'static str> {
    let found = std::process::Command::new("python3")
        .args(["-c", "import icalendar"])
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("python3");
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "python3 with icalendar is needed: pip install icalendar"
    );
    eprintln!("skipped: python3 with icalendar is not installed");
    None
}

/// Reads every `.ics` under `out` with Python's `icalendar`: per file,
/// each event's UID, its start as written (local, with its zone) and in
/// UTC, and its location.
const READ_CALENDARS: &str = r#"
import json, pathlib, sys
import icalendar
out = {}
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.ics")):
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b""), f"{path}: a bare LF"
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, f"{path}: {len(line)} octets: {line!r}"
    cal = icalendar.Calendar.from_ical(raw)
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    events = []
    for e in cal.walk("VEVENT"):
        start = e.decoded("DTSTART")
        local = start.isoformat()
        utc = start.astimezone(__import__("datetime").timezone.utc).isoformat() if hasattr(start, "hour") else None
        tz = str(start.tzinfo) if hasattr(start, "tzinfo") and start.tzinfo else None
        events.append({"uid": str(e["UID"]), "local": local, "utc": utc, "tz": tz,
                       "location": str(e.get("LOCATION", "")), "url": str(e.get("URL", "")),
                       "summary": str(e["SUMMARY"])})
    out[str(path.relative_to(sys.argv[1]))] = {"zones": zones, "events": events}
print(json.dumps(out))
"#;

fn calendars(python: &str, out: &std::path::Path) -> serde_json::Value {
    let run = std::process::Command::new(python)
        .args(["-c", READ_CALENDARS])
        .arg(out)
        .output()
        .expect("run python3");
    assert!(
        run.status.success(),
        "icalendar could not read the calendars:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("the reader prints JSON")
}

#[test]
fn every_calendar_of_the_demo_parses_with_stable_uids_and_local_times() {
    let Some(python) = icalendar_python() else {
        return;
    };
    let site = TestSite::demo();
    site.replace(
        "site.yaml",
        "base_url: \"/\"",
        "base_url: \"https://pd.example.org/packs/\"",
    );
    site.run(&["build", "--out", "first"]).ok();
    site.run(&["build", "--out", "second"]).ok();
    let first = calendars(python, &site.path("first"));
    let second = calendars(python, &site.path("second"));
    let uids = |c: &serde_json::Value| -> Vec<String> {
        let mut all: Vec<String> = c
            .as_object()
            .unwrap()
            .values()
            .flat_map(|f| f["events"].as_array().unwrap().iter())
            .map(|e| e["uid"].as_str().unwrap().to_string())
            .collect();
        all.sort();
        all
    };
    assert!(!uids(&first).is_empty());
    assert_eq!(
        uids(&first),
        uids(&second),
        "UIDs stay the same across builds"
    );
    for file in [
        "calendar.ics",
        "packs/ell-communication/ell-communication.ics",
        "packs/questioning-wait-time/questioning-wait-time.ics",
        "packs/assessment-moderation/assessment-moderation.ics",
        "pathways/district-rti-rollout/district-rti-rollout.ics",
    ] {
        let cal = &first[file];
        assert_eq!(
            cal["zones"],
            serde_json::json!(["America/New_York"]),
            "{file}"
        );
    }
    let ell = first["packs/ell-communication/ell-communication.ics"]["events"]
        .as_array()
        .unwrap();
    let session = |date: &str| {
        ell.iter()
            .find(|e| e["local"].as_str().unwrap().starts_with(date) && e["utc"].is_string())
            .unwrap_or_else(|| panic!("no session on {date}: {ell:?}"))
    };
    // The same 3:30 pm on the school's clock, before and after the
    // clocks go back on 1 November 2026.
    let september = session("2026-09-15");
    assert_eq!(september["local"], "2026-09-15T15:30:00-04:00");
    assert_eq!(september["utc"], "2026-09-15T19:30:00+00:00");
    assert_eq!(september["tz"], "America/New_York");
    assert_eq!(september["location"], "Lincoln Elementary, library");
    assert_eq!(
        september["url"],
        "https://pd.example.org/packs/packs/ell-communication/"
    );
    let november = session("2026-11-03");
    assert_eq!(november["local"], "2026-11-03T15:30:00-05:00");
    assert_eq!(november["utc"], "2026-11-03T20:30:00+00:00");
    // The self-study due date is a whole day.
    let due = ell
        .iter()
        .find(|e| e["summary"].as_str().unwrap().starts_with("Self-study due"))
        .expect("the due date is in the calendar");
    assert_eq!(due["local"], "2026-09-14");
    let rti = first["pathways/district-rti-rollout/district-rti-rollout.ics"]["events"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = rti.iter().map(|e| e["summary"].as_str().unwrap()).collect();
    for event in [
        "Pre-service week",
        "Semester half-day",
        "Year-end growth day",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(event)),
            "{event} in {names:?}"
        );
    }
}

#[test]
fn hours_give_categories_ceus_and_pathway_ranges() {
    let site = TestSite::demo();
    let json: serde_json::Value =
        serde_json::from_str(&site.run(&["hours", "--format", "json"]).ok()).unwrap();
    let ell = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "ell-communication")
        .unwrap();
    assert_eq!(ell["credit_hours"], 3.0);
    assert_eq!(
        ell["categories"],
        serde_json::json!(["Language acquisition"])
    );
    assert_eq!(ell["ceu"], 0.3);
    site.run(&["build"]).ok();
    let csv = site.read("public/hours.csv");
    let rti = csv
        .lines()
        .find(|l| l.starts_with("district-rti-rollout,"))
        .expect("a row for the pathway");
    assert!(
        rti.contains(",18.75\u{2013}19.5,,pathway,,1.8\u{2013}1.9,"),
        "{rti}"
    );
    let ell = csv
        .lines()
        .find(|l| l.starts_with("ell-communication,"))
        .unwrap();
    assert!(
        ell.ends_with(",3,4.25,pack,Language acquisition,0.3,in-person,2026-09-15; 2026-11-03,\"Riverside Unified School District, Office of Professional Learning\",0123"),
        "{ell}"
    );
}

#[test]
fn pages_show_sessions_in_a_teachers_words_and_link_the_calendar() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let ell = site.read("public/packs/ell-communication/index.html");
    assert!(
        ell.contains("data-starts=\"2026-09-15T19:30:00Z\"")
            && ell.contains("Tue 15 Sept, 3:30\u{2013}4:30 pm, Lincoln Elementary, library"),
        "{ell}"
    );
    assert!(
        ell.contains(
            "href=\"../../packs/ell-communication/ell-communication.ics\" download>Add to calendar"
        ),
        "{ell}"
    );
    let rti = site.read("public/pathways/district-rti-rollout/index.html");
    assert!(
        rti.contains("18.75\u{2013}19.5 h"),
        "the pathway's credit is a range"
    );
    assert!(
        rti.contains("Year-end growth day, Fri 11 June 2027"),
        "{rti}"
    );
}
