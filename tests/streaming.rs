//! `flippack build` writes each pack's pages first and drops their text
//! before the site-wide files are made, so that a large site is not held
//! whole in memory. These tests pin that this changes nothing a reader
//! gets: the build's output is byte for byte what rendering the whole
//! site at once (as `flippack serve` and `flippack check` do) makes.

#[allow(dead_code, reason = "the tests use part of the generator's API")]
#[path = "../examples/gen-site/synth.rs"]
mod synth;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use flippack::output::MemorySink;
use flippack::render::{render_site, Theme};
use flippack::{BuildOptions, LoadOptions};

/// Every file of the output folder `out` but the marker a build leaves.
fn built(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.expect("walk the output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).expect("below out");
            (
                rel.to_string_lossy().replace('\\', "/"),
                fs::read(e.path()).expect("read an output file"),
            )
        })
        .filter(|(rel, _)| rel != flippack::output::MARKER)
        .collect()
}

/// The site at `root` rendered whole, into memory; with `splice`, the
/// cards of the catalog and tag pages are spliced in, else rendered as
/// template values.
fn rendered_whole(root: &Path, splice: bool) -> BTreeMap<String, Vec<u8>> {
    let loaded = flippack::load_site(root, LoadOptions::default()).expect("the site loads");
    let mut site = loaded.site;
    flippack::attendance::attach(root, None, &mut site).expect("attendance codes");
    let mut theme = Theme::load(root, &site.config.theme).expect("the theme loads");
    assert!(
        theme.card_lists.catalog && theme.card_lists.tags,
        "the default theme's lists splice"
    );
    if !splice {
        theme.card_lists = flippack::render::CardLists::default();
    }
    let sink = MemorySink::default();
    render_site(&site, &theme, &sink).expect("the site renders");
    sink.into_files().into_iter().collect()
}

fn assert_same_output(root: &Path, out: &Path) {
    let options = BuildOptions {
        out: Some(out.to_path_buf()),
        ..BuildOptions::new(root)
    };
    flippack::build(&options).expect("the site builds");
    let streamed = built(out);
    let whole = rendered_whole(root, true);
    assert!(
        whole == rendered_whole(root, false),
        "spliced lists of cards are those rendered from values"
    );
    let only_built: Vec<&String> = streamed
        .keys()
        .filter(|k| !whole.contains_key(*k))
        .collect();
    let only_whole: Vec<&String> = whole
        .keys()
        .filter(|k| !streamed.contains_key(*k))
        .collect();
    assert!(
        only_built.is_empty() && only_whole.is_empty(),
        "files only in the build: {only_built:?}; only in the whole render: {only_whole:?}"
    );
    let differ: Vec<&String> = streamed
        .iter()
        .filter(|(path, bytes)| whole.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {} files differ, e.g. {:?}",
        differ.len(),
        streamed.len(),
        &differ[..differ.len().min(5)]
    );
}

#[test]
fn a_build_of_a_generated_site_writes_what_the_whole_render_makes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    // Enough packs for the search index to come in chunks.
    synth::use_prose(true);
    synth::write_flippack(&synth::generate(120, 3), &root).expect("write the site");
    let out = dir.path().join("out");
    assert_same_output(&root, &out);
    assert!(
        out.join("search/terms/1.js").is_file() && out.join("search/docs/1.js").is_file(),
        "the site is large enough for a chunked index"
    );
}

#[test]
fn a_build_of_the_demo_writes_what_the_whole_render_makes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    copy_demo(&root);
    assert_same_output(&root, &dir.path().join("out"));
}

/// The demo copied into `root`.
fn copy_demo(root: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.expect("walk the demo");
        let to = root.join(entry.path().strip_prefix(repo).expect("below the repo"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).expect("create a folder");
        } else {
            fs::copy(entry.path(), &to).expect("copy a file");
        }
    }
    fs::copy(repo.join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
}

/// A streaming load reads each pack twice: once to learn which packs
/// there are, once in full. A pack saved as a draft in between would be
/// linked to and missing; the load says so instead of publishing that.
#[test]
fn a_pack_that_becomes_a_draft_while_the_site_loads_stops_the_load() {
    use flippack::content::Loading;
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    copy_demo(&root);
    let loading = Loading::streaming(&root, LoadOptions::default());
    assert!(!loading.has_errors(), "the demo reads cleanly");
    let pack_md = root.join("content/packs/ell-communication/pack.md");
    let text = fs::read_to_string(&pack_md).expect("read pack.md");
    fs::write(&pack_md, text.replacen("---\n", "---\ndraft: true\n", 1)).expect("write");
    let visited = std::sync::atomic::AtomicUsize::new(0);
    let visit = |_: &flippack::Site, _: &flippack::content::Pack| {
        visited.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let errors = loading.finish(Some(&visit)).expect_err("the load fails");
    let changed: Vec<&flippack::Diagnostic> = errors
        .0
        .iter()
        .filter(|d| d.code.as_str() == "changed-while-building")
        .collect();
    assert_eq!(changed.len(), 1, "{errors:?}");
    assert_eq!(changed[0].file, "content/packs/ell-communication/pack.md");
}

/// Without a change in between, the two readings agree, and every pack
/// reaches the visitor whole, with its text, before the text is dropped.
#[test]
fn a_streaming_load_hands_every_pack_over_whole_and_keeps_it_without_text() {
    use flippack::content::Loading;
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    copy_demo(&root);
    let whole = flippack::load_site(&root, LoadOptions::default()).expect("loads");
    let seen = std::sync::Mutex::new(Vec::new());
    let visit = |_: &flippack::Site, pack: &flippack::content::Pack| {
        seen.lock().expect("lock").push((
            pack.slug.clone(),
            pack.overview.len(),
            pack.source.text.len(),
        ));
    };
    let streamed = Loading::streaming(&root, LoadOptions::default())
        .finish(Some(&visit))
        .expect("loads");
    let mut seen = seen.into_inner().expect("lock");
    seen.sort();
    assert_eq!(seen.len(), whole.site.packs.len());
    for (slug, overview, text) in &seen {
        let pack = whole.site.pack(slug).expect("the same packs");
        assert_eq!(
            *overview,
            pack.overview.len(),
            "{slug}: overview as loaded whole"
        );
        assert!(*text > 0, "{slug}: the visitor sees the source");
    }
    for pack in &streamed.site.packs {
        assert!(
            pack.overview.is_empty() && pack.source.text.is_empty(),
            "{}",
            pack.slug
        );
    }
    let slugs = |site: &flippack::Site| -> Vec<String> {
        site.packs.iter().map(|p| p.slug.clone()).collect()
    };
    assert_eq!(
        slugs(&streamed.site),
        slugs(&whole.site),
        "the same catalog order"
    );
}
