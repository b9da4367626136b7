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
    site.replace(PACK, "  prompts:\n", &format!("  sessions:\n{sessions}  prompts:\n"));
}

/// A failed build's messages, each fragment of `expected` among them.
fn build_fails(site: &TestSite, expected: &[&str]) -> String {
    let stderr = site.run(&["build"]).fails();
    for fragment in expected {
        assert!(stderr.contains(fragment), "expected {fragment:?} in:\n{stderr}");
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
    assert!(built.stderr().contains("warning[session-length]"), "{}", built.stderr());
    let stderr = site.run(&["check", "--strict"]).fails();
    assert!(
        stderr.contains("this session lasts 45 min, but the workshop's time is 1 h"),
        "{stderr}"
    );
    assert!(stderr.contains("content/packs/alpha/pack.md:26:7"), "{stderr}");
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
    with_sessions(&site, "    - date: 2026-09-15\n      facilitater: J. Okafor\n");
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
    let site = site_with("title: Test site\ncredit:\n  categories: [Language acquisition, Literacy]\n");
    site.replace(PACK, "tags: [Routines]\n", "tags: [Routines]\ncredit_categories: [Language aquisition]\n");
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
    site.replace(PATHWAY, "    when: Week 1\n", "    when: Week 1\n    event: Kick-off\n");
    build_fails(
        &site,
        &["error[pathway-step]", "more than one of `pack`, `choose` and `event`"],
    );
    let site = site_with(ZONED);
    site.replace(PATHWAY, "  - pack: alpha\n", "  - choose: [alpha, alpah]\n");
    build_fails(&site, &["error[unknown-pack]", "there is no pack `alpah`", "did you mean `alpha`?"]);
}
