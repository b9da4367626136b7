//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) through the same
//! functions the fuzz targets call, so every input that ever found a bug,
//! and the seeds taken from the demo, keep being tried by `cargo test`.
//! Fuzzing itself is `cargo fuzz run <target>`; see fuzz/README.md.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::fs;
use std::path::PathBuf;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("list the corpus").path())
        .collect();
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "the {target} corpus is empty: seed it with fuzz/seed.sh"
    );
    for input in inputs {
        let data = fs::read(&input).expect("read a corpus input");
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{} fails again", input.display());
    }
}

#[test]
fn front_matter_corpus() {
    replay("front_matter", harness::front_matter);
}

#[test]
fn duration_corpus() {
    replay("duration", harness::duration);
}

#[test]
fn markdown_corpus() {
    replay("markdown", harness::markdown);
}

#[test]
fn site_corpus() {
    replay("site", harness::site);
}

#[test]
fn the_markdown_target_tells_script_from_safe_html() {
    for live in [
        "<script>alert(1)</script>",
        "<p><img src=\"x\" onerror=\"alert(1)\"></p>",
        "<a href=\"jav&#x61;script:alert(1)\">x</a>",
        "<a href=\" java\tscript:alert(1)\">x</a>",
        "<a href=\"\u{1}javascript:alert(1)\">x</a>",
        "<iframe src=\"https://evil.example/x\"></iframe>",
        "<svg><circle></circle></svg>",
        "<form action=\"javascript:x\"></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    ] {
        assert!(
            harness::scripting(live).is_some(),
            "{live} was taken as safe"
        );
    }
    for safe in [
        "<p title=\"a onclick=b\">javascript: is a word</p>",
        "<a href=\"https://example.org/?a=1&amp;b=2\" rel=\"noopener\">x</a>",
        "<iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<h2 id=\"online\">Online</h2>",
        // A control character inside the scheme makes it no scheme at all.
        "<a href=\"javascrip\u{7}t:alert(1)\">x</a>",
    ] {
        assert_eq!(harness::scripting(safe), None, "{safe}");
    }
}
