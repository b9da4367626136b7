//! Hostile or absurd input: a build or a check does bounded work on it,
//! and refuses what is out of all proportion with a plain message that
//! points at the file and line, rather than filling the disk, running for
//! minutes or printing a figure that is silently wrong.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Run, TestSite};

/// A pack's `pack.md`: the smallest valid front matter, with `extra`
/// front matter lines, `resources` as the `self_study` list and `body`
/// after it.
fn pack_md(extra: &str, resources: &str, body: &str) -> String {
    let resources = if resources.is_empty() {
        "  - title: Reading\n    kind: reading\n    url: https://example.org/r\n    duration: 20m\n"
    } else {
        resources
    };
    format!(
        "---\ntitle: A pack\nsummary: A pack for tests.\ngoal: Teachers can do a thing.\n{extra}self_study:\n{resources}workshop:\n  duration: 60m\n  prompts:\n    - What did you notice?\n---\n{body}"
    )
}

/// `tags:` as a block list, one tag a line.
fn tags_yaml(tags: impl IntoIterator<Item = String>) -> String {
    let mut yaml = String::from("tags:\n");
    for tag in tags {
        yaml.push_str(&format!("  - \"{tag}\"\n"));
    }
    yaml
}

/// Total size of the files below `dir`.
fn bytes_below(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

/// Runs `flippack ARGS` in the site's folder, and fails the test if it is
/// still running after `limit`: a liveness bound, many times what the
/// work needs, so that only work that grows out of proportion trips it.
fn run_within(site: &TestSite, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(args)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run flippack");
    // Read both pipes as the child writes, so a long report cannot block it.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for flippack") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("flippack {args:?} was still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run(Output {
        status,
        stdout: stdout.join().expect("read stdout"),
        stderr: stderr.join().expect("read stderr"),
    })
}

// Tags.

#[test]
fn a_pack_with_thousands_of_tags_is_refused_by_build_and_check() {
    let site = TestSite::empty();
    let tags = tags_yaml((0..3000).map(|i| format!("tag {i}")));
    site.write(
        "content/packs/many/pack.md",
        pack_md(&tags, "", "Overview.\n"),
    );
    for command in ["build", "check"] {
        let stderr = run_within(&site, &[command], Duration::from_secs(60)).fails();
        for expected in [
            "error[too-many-tags]",
            "--> content/packs/many/pack.md:5:1",
            "3000 tags",
            "at most 50",
        ] {
            assert!(
                stderr.contains(expected),
                "{command}: {expected:?} in:\n{stderr}"
            );
        }
    }
    assert!(!site.path("public").exists(), "nothing is written");
}

#[test]
fn fifty_tags_on_one_pack_are_fine() {
    let site = TestSite::empty();
    let tags = tags_yaml((0..50).map(|i| format!("tag {i}")));
    site.write(
        "content/packs/many/pack.md",
        pack_md(&tags, "", "Overview.\n"),
    );
    site.run(&["build", "--quiet"]).ok();
    assert!(site.path("public/tags/tag-49/index.html").is_file());
}

#[test]
fn tag_pages_do_not_repeat_every_tag_of_their_packs() {
    // 10 packs with 50 tags each of their own: 500 tags, so 500 tag pages,
    // each listing one pack.
    let site = TestSite::empty();
    for p in 0..10 {
        let tags = tags_yaml((0..50).map(|i| format!("pack {p} tag {i}")));
        site.write(
            &format!("content/packs/pack-{p}/pack.md"),
            pack_md(&tags, "", "Overview.\n"),
        );
    }
    site.run(&["build", "--quiet"]).ok();
    let page = site.read("public/tags/pack-3-tag-7/index.html");
    let card = &page[page.find("<div class=\"cards\">").expect("the cards")..];
    let listed = card.matches("href=\"../../tags/").count();
    assert!(
        (1..=10).contains(&listed),
        "a card on a tag page lists {listed} tags"
    );
    // The pack's own page still lists every one of its tags.
    let pack = site.read("public/packs/pack-3/index.html");
    assert!(pack.contains("pack 3 tag 49"), "{pack}");
    // Linear: 500 tag pages of a few kilobytes each, not 500 copies of
    // every tag.
    let tag_bytes = bytes_below(&site.path("public/tags"));
    assert!(tag_bytes < 500 * 12_000, "tags/ holds {tag_bytes} bytes");
}

#[test]
fn an_over_long_tag_is_an_error_in_build_and_check() {
    let site = TestSite::empty();
    let long = "differentiation ".repeat(20);
    let tags = tags_yaml([String::from("ELL"), long.trim().to_string()]);
    site.write(
        "content/packs/long/pack.md",
        pack_md(&tags, "", "Overview.\n"),
    );
    for command in ["build", "check"] {
        let stderr = site.run(&[command]).fails();
        for expected in [
            "error[bad-tag]",
            "--> content/packs/long/pack.md:7:",
            "is 319 characters long",
            "at most 80",
        ] {
            assert!(
                stderr.contains(expected),
                "{command}: {expected:?} in:\n{stderr}"
            );
        }
        assert!(!stderr.contains("File name too long"), "{stderr}");
    }
}

// Credit arithmetic.

#[test]
fn an_absurd_duration_is_an_error_not_a_silent_overflow() {
    // 6,000 resources of a billion hours each: their sum would overflow,
    // and the workshop's hour would vanish from the total.
    let site = TestSite::empty();
    let resources: String = (0..6000)
        .map(|i| {
            format!("  - title: R{i}\n    kind: reading\n    url: https://example.org/{i}\n    duration: \"999999999:59:59\"\n")
        })
        .collect();
    site.write("content/packs/huge/pack.md", pack_md("", &resources, ""));
    let stderr = site.run(&["build"]).fails();
    for expected in [
        "content/packs/huge/pack.md:9:",
        "`999999999:59:59` is more than 24 hours",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_pack_that_adds_up_to_more_than_ten_thousand_hours_is_an_error() {
    let site = TestSite::empty();
    let resources: String = (0..500)
        .map(|i| {
            format!("  - title: R{i}\n    kind: reading\n    url: https://example.org/{i}\n    duration: 24h\n")
        })
        .collect();
    site.write("content/packs/long/pack.md", pack_md("", &resources, ""));
    for command in ["build", "check", "hours"] {
        let stderr = site.run(&[command]).fails();
        for expected in [
            "error[too-long]",
            "--> content/packs/long/pack.md:5:1",
            "12001 hours",
            "at most 10000 hours",
        ] {
            assert!(
                stderr.contains(expected),
                "{command}: {expected:?} in:\n{stderr}"
            );
        }
    }
}

#[test]
fn an_absurd_word_count_is_an_error_on_its_line() {
    let site = TestSite::empty();
    let resources = "  - title: The longest reading\n    kind: reading\n    url: https://example.org/r\n    words: 18446744073709551615\n";
    site.write("content/packs/words/pack.md", pack_md("", resources, ""));
    let stderr = site.run(&["build"]).fails();
    for expected in [
        "error[invalid-value]",
        "--> content/packs/words/pack.md:9:5",
        "18446744073709551615 words",
        "more than 24 hours",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn credit_just_inside_the_bounds_is_exact() {
    // 416 resources of 24 hours and a one-hour workshop: 9,985 hours.
    let site = TestSite::empty();
    let resources: String = (0..416)
        .map(|i| {
            format!("  - title: R{i}\n    kind: reading\n    url: https://example.org/{i}\n    duration: 24h\n")
        })
        .collect();
    site.write("content/packs/long/pack.md", pack_md("", &resources, ""));
    let json = site.run(&["hours", "--format", "json"]).ok();
    let rows: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(rows[0]["total_minutes"], 9985.0 * 60.0, "{json}");
    assert_eq!(rows[0]["credit_hours"], 9985.0, "{json}");
}

// Size limits and pathological Markdown.

#[test]
fn a_huge_site_yaml_is_refused_before_it_is_read() {
    let site = TestSite::fixture("minimal");
    // 50 MB of comments: valid YAML that would be read whole.
    site.write("site.yaml", "# a comment line\n".repeat(3_200_000));
    let stderr = run_within(&site, &["build"], Duration::from_secs(60)).fails();
    for expected in [
        "error[too-large]",
        "--> site.yaml",
        "54.4 MB",
        "limited to 1 MB",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
}

#[test]
fn pathological_emphasis_is_refused_quickly() {
    // 7.9 MB of `*a _`: each mark an inline node, hundreds of bytes of
    // parser state per byte of input.
    let site = TestSite::fixture("minimal");
    site.write("content/packs/alpha/guide.md", "*a _".repeat(1_975_000));
    let stderr = run_within(&site, &["check"], Duration::from_secs(30)).fails();
    for expected in [
        "error[too-large]",
        "content/packs/alpha/guide.md",
        "7.9 MB",
        "limited to 1 MB",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
}

// Work that grows with the number of links and headings.

#[test]
fn check_is_linear_in_the_number_of_links() {
    // 100,000 links to headings that do not exist, one a line, over four
    // pages: each is a finding, shown with its line.
    let site = TestSite::fixture("minimal");
    for page in 0..4 {
        let body: String = (0..25_000).map(|i| format!("[s{i}](#n)\n")).collect();
        site.write(&format!("content/packs/alpha/links-{page}.md"), body);
    }
    let run = run_within(
        &site,
        &["check", "--format", "json"],
        Duration::from_secs(90),
    );
    assert!(!run.success());
    let findings: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    // Only the broken anchors: the fixture's own suggestions, example
    // address and reading time are findings too.
    let findings: Vec<&serde_json::Value> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| f["code"] == "broken-anchor")
        .collect();
    assert_eq!(findings.len(), 100_000);
    let last = findings[99_999];
    assert_eq!(last["file"], "content/packs/alpha/links-3.md");
    assert_eq!(
        (last["line"].as_u64(), last["column"].as_u64()),
        (Some(25_000), Some(1))
    );
}

#[test]
fn many_links_on_one_line_are_shown_in_a_window_of_the_line() {
    // 5,000 broken links on one 35 kB line: each error shows where it is
    // on the line, not the whole line again.
    let site = TestSite::fixture("minimal");
    site.write(
        "content/packs/alpha/guide.md",
        "[a](b) ".repeat(5_000) + "\n",
    );
    let run = run_within(&site, &["build"], Duration::from_secs(60));
    let stderr = run.fails();
    assert!(
        stderr.contains("5000 errors"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
    assert!(
        stderr.contains("--> content/packs/alpha/guide.md:1:34994"),
        "the last link's column"
    );
    assert!(
        stderr.len() < 5_000 * 1_000,
        "{} bytes of errors for 5000 links",
        stderr.len()
    );
}

#[test]
fn many_links_in_front_matter_are_placed_in_bounded_time() {
    // 30,000 links in the `problem`, on one line.
    let site = TestSite::empty();
    let problem: String = (0..30_000)
        .map(|i| format!("[a](https://example.org/{i}) "))
        .collect();
    let extra = format!("problem: \"{problem}\"\n");
    site.write(
        "content/packs/fm/pack.md",
        pack_md(&extra, "", "Overview.\n"),
    );
    let run = run_within(
        &site,
        &["check", "--format", "json"],
        Duration::from_secs(60),
    );
    assert!(run.success(), "{}", run.stderr());
    // The example addresses are one finding for the line, not 30,000.
    let findings: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    let examples: Vec<&serde_json::Value> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| f["code"] == "example-address" && f["line"] == 5)
        .collect();
    assert_eq!(examples.len(), 1, "{examples:#?}");
    let message = examples[0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("and 29999 more addresses on this line"),
        "{message}"
    );
}

#[test]
fn many_headings_with_the_same_text_get_their_ids_in_bounded_time() {
    let site = TestSite::fixture("minimal");
    site.write("content/packs/alpha/steps.md", "## Step\n\n".repeat(8_000));
    run_within(&site, &["build", "--quiet"], Duration::from_secs(60)).ok();
    let page = site.read("public/packs/alpha/steps/index.html");
    assert!(page.contains("id=\"step-7999\""), "the last heading's id");
}

#[test]
fn many_resources_with_errors_are_each_reported_in_bounded_time() {
    let site = TestSite::empty();
    let resources: String = (0..10_000)
        .map(|i| {
            format!(
                "  - title: R{i}\n    kind: reading\n    file: missing-{i}.txt\n    duration: 5m\n"
            )
        })
        .collect();
    site.write("content/packs/errs/pack.md", pack_md("", &resources, ""));
    let run = run_within(
        &site,
        &["check", "--format", "json"],
        Duration::from_secs(60),
    );
    let findings: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    let findings = findings.as_array().expect("an array");
    assert_eq!(findings.len(), 10_000);
    assert_eq!(findings[9_999]["line"], 8 + 4 * 9_999);
}

// Names that need escaping in an address.

#[test]
fn files_whose_names_need_escaping_are_linked_so_that_the_links_work() {
    let site = TestSite::empty();
    let names = [
        "notes #1.txt",
        "100% done.txt",
        "what?.txt",
        "my notes.txt",
        "lesson #1.mp4",
    ];
    let resources: String = names
        .iter()
        .map(|n| {
            format!("  - title: {n}\n    kind: activity\n    file: \"{n}\"\n    duration: 5m\n")
        })
        .collect();
    let body = "See [the notes](<my notes.txt>) and [the first notes](notes%20%231.txt).\n";
    site.write("content/packs/names/pack.md", pack_md("", &resources, body));
    for name in names.iter().chain(&["lesson #1.vtt"]) {
        site.write(&format!("content/packs/names/{name}"), name);
    }
    site.run(&["build", "--quiet"]).ok();
    let page = site.read("public/packs/names/index.html");
    assert!(
        page.contains("href=\"../../packs/names/notes%20%231.txt\""),
        "{page}"
    );
    assert!(page.contains("100%25%20done.txt"), "{page}");
    assert!(page.contains("what%3F.txt"), "{page}");
    assert!(
        page.contains("lesson%20%231.vtt"),
        "the video's captions: {page}"
    );
    let broken = common::broken_internal_links(&site.path("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}
