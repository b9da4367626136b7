//! `reload_pack`, which `flippack serve` uses to re-read one pack after a
//! save, must give exactly the site a whole `load_site` gives, or hand
//! over to it; these tests edit a copy of the demo site both ways and
//! compare everything the templates see.

mod common;

use common::TestSite;
use flippack::content::{load_site, reload_pack, LoadOptions, PackReload, Site};
use flippack::render::view::SiteView;

const PACK: &str = "content/packs/time-management/pack.md";

fn load(site: &TestSite) -> Site {
    load_site(site.root(), LoadOptions::default())
        .expect("the demo site loads")
        .site
}

/// Everything templates see of a site.
fn visible(site: &Site) -> serde_json::Value {
    serde_json::to_value(SiteView::new(site)).expect("a site serializes")
}

/// Applies `edit`, then checks that reloading the pack gives the site a
/// whole load gives.
fn reload_matches_full_load(edit: impl FnOnce(&TestSite)) {
    let site = TestSite::demo();
    let mut loaded = load(&site);
    edit(&site);
    let result = reload_pack(
        site.root(),
        &mut loaded,
        "time-management",
        LoadOptions::default(),
    );
    assert!(
        matches!(result, Ok(PackReload::Replaced { .. })),
        "{result:?}"
    );
    let fresh = load(&site);
    assert_eq!(visible(&loaded), visible(&fresh));
    assert_eq!(
        loaded.published, fresh.published,
        "links resolve against the same files"
    );
}

fn needs_full_load(edit: impl FnOnce(&TestSite)) {
    let site = TestSite::demo();
    let mut loaded = load(&site);
    let before = visible(&loaded);
    edit(&site);
    let result = reload_pack(
        site.root(),
        &mut loaded,
        "time-management",
        LoadOptions::default(),
    );
    assert!(
        matches!(result, Ok(PackReload::NeedsFullLoad)),
        "{result:?}"
    );
    assert_eq!(visible(&loaded), before, "the site is left as it was");
}

#[test]
fn a_new_title_moves_the_pack_in_the_catalog() {
    reload_matches_full_load(|site| {
        site.replace(PACK, "weight: 30\n", "");
        site.replace(
            PACK,
            "title: \"Time management for teachers: protecting planning time\"",
            "title: Any time at all",
        );
    });
}

#[test]
fn new_tags_update_the_tag_list() {
    reload_matches_full_load(|site| {
        site.replace(
            PACK,
            "tags: [planning, wellbeing, classroom management]",
            "tags: [planning, time, equity]",
        );
    });
}

#[test]
fn a_new_duration_updates_pathway_totals() {
    reload_matches_full_load(|site| {
        site.replace(PACK, "duration: \"18:20\"", "duration: 2h");
    });
}

#[test]
fn a_new_page_is_published() {
    reload_matches_full_load(|site| {
        site.write(
            "content/packs/time-management/extra-notes.md",
            "# Extra notes\n\nSee the [audit guide](guide-time-audit.md).\n",
        );
    });
}

#[test]
fn a_removed_page_needs_a_full_load() {
    // Other pages may link to it.
    needs_full_load(|site| {
        std::fs::remove_file(site.path("content/packs/time-management/guide-time-audit.md"))
            .expect("remove a page");
    });
}

#[test]
fn a_pack_turned_draft_needs_a_full_load() {
    needs_full_load(|site| {
        site.replace(PACK, "weight: 30\n", "weight: 30\ndraft: true\n");
    });
}

#[test]
fn a_tag_spelt_like_another_packs_differently_needs_a_full_load() {
    // ell-communication spells it `ELL`; only a whole load says where.
    needs_full_load(|site| {
        site.replace(PACK, "tags: [planning,", "tags: [ell, planning,");
    });
}

#[test]
fn a_deleted_pack_needs_a_full_load() {
    needs_full_load(|site| {
        std::fs::remove_dir_all(site.path("content/packs/time-management")).expect("delete");
    });
}

#[test]
fn errors_are_the_packs_own_with_file_and_line() {
    let site = TestSite::demo();
    let mut loaded = load(&site);
    let before = visible(&loaded);
    site.replace(PACK, "level: introductory", "level: beginner");
    let errors = reload_pack(
        site.root(),
        &mut loaded,
        "time-management",
        LoadOptions::default(),
    )
    .expect_err("an unknown level is an error");
    let first = errors.iter().next().expect("one error");
    assert_eq!(first.file, PACK);
    assert_eq!(first.line, 14);
    assert_eq!(visible(&loaded), before, "the site is left as it was");
}

/// Looking a pack up by slug goes through an index made on the first
/// look-up; packs reordered after it are still found, and found right.
#[test]
fn packs_are_found_by_slug_after_the_list_is_reordered() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut site = flippack::load_site(repo, flippack::LoadOptions::default())
        .expect("the demo loads")
        .site;
    let slugs: Vec<String> = site.packs.iter().map(|p| p.slug.clone()).collect();
    for slug in &slugs {
        assert_eq!(
            site.pack(slug).map(|p| p.slug.as_str()),
            Some(slug.as_str())
        );
    }
    site.packs.reverse();
    let gone = site.packs.pop().expect("a pack");
    for slug in &slugs {
        let found = site.pack(slug).map(|p| p.slug.as_str());
        if *slug == gone.slug {
            assert_eq!(found, None, "a removed pack is not found");
        } else {
            assert_eq!(found, Some(slug.as_str()), "{slug} after reordering");
        }
    }
    assert!(site.pack("no-such-pack").is_none());
}
