//! The synthetic site generator behind the benchmarks
//! (`cargo run --release --example gen-site`): its sites must build with no
//! problem at all, have the shape the benchmark claims, and be the same
//! for the same seed, or benchmark figures would not be comparable.

#[allow(dead_code, reason = "the tests use part of the generator's API")]
#[path = "../examples/gen-site/synth.rs"]
mod synth;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use flippack::content::ResourceTarget;
use flippack::diagnostic::Style;
use flippack::{BuildOptions, Error, LoadOptions};

fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the generated site"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("below dir");
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).expect("read a generated file"),
            )
        })
        .collect()
}

#[test]
fn generated_site_builds_with_no_problems() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    let site = synth::generate(30, 7);
    synth::write_flippack(&site, &root).expect("write the site");

    let options = BuildOptions {
        root: root.clone(),
        out: Some(dir.path().join("out")),
        drafts: false,
        force: false,
        codes: None,
    };
    let report = match flippack::build(&options) {
        Ok(report) => report,
        Err(Error::Content(problems)) => panic!(
            "the generated site has problems:\n{}",
            problems
                .iter()
                .map(|d| d.render(&Style::plain()))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Err(other) => panic!("the build failed: {other}"),
    };
    assert!(
        report.warnings.is_empty(),
        "warnings: {}",
        report.warnings.summary()
    );
    assert_eq!((report.packs, report.pathways), (30, 1));
    for pack in &site.packs {
        let reading = pack.reading.file.trim_end_matches(".md");
        for page in [
            format!("packs/{}/index.html", pack.slug),
            format!("packs/{}/{reading}/index.html", pack.slug),
        ] {
            assert!(dir.path().join("out").join(&page).is_file(), "{page}");
        }
    }

    // The shape the benchmark's README promises, as flippack reads it.
    let loaded = flippack::load_site(&root, LoadOptions::default()).expect("load");
    for pack in &loaded.site.packs {
        let pages = pack
            .self_study
            .iter()
            .filter(|r| r.target == ResourceTarget::Page)
            .count();
        assert!((4..=8).contains(&pack.self_study.len()), "{}", pack.slug);
        assert_eq!(pages, 1, "one local reading in {}", pack.slug);
        assert!((2..=4).contains(&pack.tags.len()), "{}", pack.slug);
        assert!((3..=5).contains(&pack.workshop.prompts.len()));
        assert!(!pack.workshop.agenda.is_empty());
        assert!(pack.overview.contains("<h2") && pack.overview.contains("<a href="));
        let reading = &pack.pages[0];
        assert!(
            (400..=1200).contains(&reading.words),
            "{} has {} words",
            reading.url,
            reading.words
        );
    }
    for pack in &site.packs {
        assert!(
            (500..=900).contains(&pack.overview_words),
            "{}: {}",
            pack.slug,
            pack.overview_words
        );
    }
}

#[test]
fn same_seed_same_site_and_hugo_twin_has_the_same_pages() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, seed) in [("a", 3), ("b", 3), ("c", 4)] {
        let site = synth::generate(25, seed);
        synth::write_flippack(&site, &dir.path().join(name)).expect("write");
        if name == "a" {
            synth::write_hugo(&site, &dir.path().join("hugo")).expect("write hugo");
            for pack in &site.packs {
                let source = format!("content/packs/{}.md", pack.slug);
                assert!(dir.path().join("hugo").join(&source).is_file(), "{source}");
            }
            assert!(dir.path().join("hugo/hugo.toml").is_file());
        }
    }
    let a = files_under(&dir.path().join("a"));
    assert_eq!(a, files_under(&dir.path().join("b")));
    assert_ne!(a, files_under(&dir.path().join("c")));
    assert!(
        synth::write_flippack(&synth::generate(1, 1), &dir.path().join("a")).is_err(),
        "refuses a folder that has files"
    );
}
