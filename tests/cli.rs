//! The command line itself: help with examples, the version, hours written
//! to a file, the `hours.csv` a build publishes, and the shape of a
//! diagnostic as a coach sees it.

mod common;

use common::TestSite;

#[test]
fn every_command_shows_an_example_in_its_help() {
    let site = TestSite::empty();
    for command in [
        &[][..],
        &["build"],
        &["hours"],
        &["init"],
        &["new"],
        &["new", "pack"],
        &["new", "pathway"],
        &["check"],
        &["serve"],
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let help = site.run(&args).ok();
        assert!(help.contains("Example"), "{command:?} --help:\n{help}");
        let example = format!("flippack {}", command.join(" "));
        assert!(
            help.contains(example.trim_end()),
            "{command:?} --help:\n{help}"
        );
    }
    let help = site.run(&["check", "--help"]).ok();
    assert!(help.contains("nothing is fetched"), "{help}");
}

#[test]
fn version() {
    let stdout = TestSite::empty().run(&["--version"]).ok();
    assert_eq!(
        stdout.trim(),
        format!("flippack {}", env!("CARGO_PKG_VERSION"))
    );
}

/// The fixture with a pack whose title needs CSV quoting.
fn quoting_site() -> TestSite {
    let site = TestSite::fixture("minimal");
    site.replace(
        "content/packs/alpha/pack.md",
        "title: Alpha pack",
        "title: 'Time, tasks and \"batching\"'",
    );
    site
}

#[test]
fn build_publishes_hours_csv_with_readable_headers_and_quoting() {
    let site = quoting_site();
    site.run(&["build"]).ok();
    let csv = site.read("public/hours.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        headers,
        [
            "Slug",
            "Title",
            "Self-study minutes",
            "Workshop minutes",
            "Application minutes",
            "Credit hours",
            "Credit hours with optional resources",
            "Kind",
            "Categories",
            "CEUs",
            "Format",
            "Session dates",
            "Sponsor",
            "Sponsor number",
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a row").iter().map(String::from).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "alpha",
            "Time, tasks and \"batching\"",
            "120",
            "60",
            "0",
            "3",
            "3",
            "pack",
            "",
            "",
            "online",
            "",
            "",
            ""
        ]
    );
    assert!(rows[1..].iter().all(|r| r[7] == "pathway"), "{rows:?}");
    assert!(
        csv.contains("\"Time, tasks and \"\"batching\"\"\""),
        "quoted as RFC 4180 says: {csv}"
    );
}

#[test]
fn hours_out_writes_the_report_to_a_file() {
    let site = quoting_site();
    let printed = site.run(&["hours", "--format", "json"]).ok();
    let stdout = site
        .run(&["hours", "--format", "json", "--out", "hours.json"])
        .ok();
    assert!(stdout.contains("hours.json"), "{stdout}");
    assert_eq!(site.read("hours.json"), printed);
    let rows: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
    assert_eq!(rows[0]["title"], "Time, tasks and \"batching\"");

    site.run(&["hours", "--format", "csv", "--out", "hours.csv"])
        .ok();
    let csv = site.read("hours.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let record = reader.records().next().expect("a row").expect("valid CSV");
    assert_eq!(&record[1], "Time, tasks and \"batching\"");

    let stderr = site
        .run(&["hours", "--out", "no-such-folder/hours.txt"])
        .fails();
    assert!(stderr.contains("no-such-folder/hours.txt"), "{stderr}");
}

/// The text of a diagnostic, exactly: a regression in its shape (file,
/// line and column, the source line, the caret, the help) shows here.
#[test]
fn a_diagnostic_reads_like_a_compiler_message() {
    let site = TestSite::fixture("check");
    site.replace(
        "content/packs/wait-time/pack.md",
        "    duration: 20m\n    transcript",
        "    duraton: 20m\n    transcript",
    );
    let stderr = site.run(&["build"]).fails();
    let expected = "\
error[unknown-key]: unknown key `duraton` in `self_study[1]`
  --> content/packs/wait-time/pack.md:14:5
   |
14 |     duraton: 20m
   |     ^^^^^^^
   = help: did you mean `duration`? Allowed keys here: `title`, `kind`, `url`, `page`, `file`, `duration`, `words`, `optional`, `captions`, `transcript`, `note`

1 error in 1 pack; nothing was written
";
    assert_eq!(stderr, expected);
}

#[test]
fn a_lint_finding_reads_like_a_compiler_message() {
    let site = TestSite::fixture("check");
    site.replace(
        "content/packs/wait-time/pack.md",
        "Back to [why we wait](#why-wait).",
        "Back to [here](#why).",
    );
    let stderr = site.run(&["check"]).fails();
    let expected = "\
error[broken-anchor]: this page has no heading `#why`
  --> content/packs/wait-time/pack.md:44:9
   |
44 | Back to [here](#why).
   |         ^^^^^^^^^^^^
   = help: did you mean `#why-wait`?

warning[vague-link-text]: the link text `here` does not say where it goes
  --> content/packs/wait-time/pack.md:44:9
   |
44 | Back to [here](#why).
   |         ^^^^^^^^^^^^
   = help: screen reader users often hear links out of context; name the destination: `[the wait-time guide](guide.md)`

1 error, 1 warning in 1 pack
";
    assert_eq!(stderr, expected);
}

/// Runs `flippack args` in `site` with its standard output on /dev/full,
/// where every write fails as on a full disk.
fn run_into_full_disk(site: &TestSite, args: &[&str]) -> std::process::Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("open /dev/full");
    std::process::Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(full)
        .output()
        .expect("run flippack")
}

#[test]
#[cfg(target_os = "linux")]
fn a_report_that_cannot_be_written_fails_and_says_why() {
    let site = TestSite::demo();
    for args in [
        &["hours"][..],
        &["hours", "--format", "json"],
        &["check", "--format", "json"],
        &["build"],
        &["new", "pack", "wait-time-two"],
        &["init", "elsewhere"],
        &["serve", "--port", "0"],
    ] {
        let run = run_into_full_disk(&site, args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{args:?} exited 0:\n{stderr}");
        assert_eq!(run.status.code(), Some(1), "{args:?}:\n{stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output"),
            "{args:?}:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}:\n{stderr}");
    }
}
