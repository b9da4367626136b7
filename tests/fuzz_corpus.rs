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
