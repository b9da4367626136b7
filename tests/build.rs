//! `flippack build` and `flippack hours` on real sites in temporary folders.

mod common;

use common::{broken_internal_links, snapshot, TestSite};

#[test]
fn demo_site_builds_and_every_internal_link_resolves() {
    let site = TestSite::demo();
    let out = site.path("public");
    let stdout = site.run(&["build"]).ok();
    assert!(stdout.contains("Built"), "{stdout}");
    assert!(out.join("index.html").is_file());
    assert!(out.join("404.html").is_file());
    assert!(out.join("tags/index.html").is_file());

    let broken = broken_internal_links(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // Every published pack has a page showing its credit hours, and pages
    // and files of the pack sit beside it.
    let hours: serde_json::Value =
        serde_json::from_str(&site.run(&["hours", "--format", "json"]).ok()).unwrap();
    let packs = hours.as_array().unwrap();
    assert!(
        packs.len() >= 5,
        "the demo has at least five published packs"
    );
    for pack in packs {
        let slug = pack["slug"].as_str().unwrap();
        let html = site.read(&format!("public/packs/{slug}/index.html"));
        let credit = pack["credit_hours"].as_f64().unwrap();
        let label = format!("<td>{}</td>", format_hours(credit));
        assert!(
            html.contains("Credit hours") && html.contains(&label),
            "{slug} page lacks {label}"
        );
    }
    assert!(out
        .join("packs/ell-communication/reading-rephrasing/index.html")
        .is_file());
    assert!(out
        .join("packs/ell-communication/sentence-frames.txt")
        .is_file());
    assert!(out.join("pathways/year-of-growth/index.html").is_file());
}

fn format_hours(h: f64) -> String {
    let text = format!("{h:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[test]
fn the_seed_pack_earns_three_credit_hours() {
    let site = TestSite::demo();
    let hours: serde_json::Value =
        serde_json::from_str(&site.run(&["hours", "--format", "json"]).ok()).unwrap();
    let ell = hours
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "ell-communication")
        .unwrap();
    assert_eq!(ell["self_study_minutes"], 120.0);
    assert_eq!(ell["workshop_minutes"], 60.0);
    assert_eq!(ell["credit_hours"], 3.0);
}

#[test]
fn hours_json_has_exactly_the_contract_keys_sorted_by_slug() {
    let site = TestSite::demo();
    let hours: serde_json::Value =
        serde_json::from_str(&site.run(&["hours", "--format", "json"]).ok()).unwrap();
    let packs = hours.as_array().unwrap();
    let slugs: Vec<&str> = packs.iter().map(|p| p["slug"].as_str().unwrap()).collect();
    let mut sorted = slugs.clone();
    sorted.sort();
    assert_eq!(slugs, sorted);
    let mut keys: Vec<&str> = packs[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "application_minutes",
            "categories",
            "ceu",
            "credit_hours",
            "credit_hours_with_optional",
            "optional_minutes",
            "self_study_minutes",
            "slug",
            "title",
            "total_minutes",
            "workshop_minutes"
        ]
    );
    for pack in packs {
        assert!(pack["categories"].is_array(), "{}", pack["slug"]);
        for key in keys
            .iter()
            .filter(|k| !["slug", "title", "categories"].contains(*k))
        {
            assert!(
                pack[key].is_number(),
                "{key} of {} is a number",
                pack["slug"]
            );
        }
    }
}

#[test]
fn hours_csv_and_table() {
    let site = TestSite::fixture("minimal");
    let csv = site.run(&["hours", "--format", "csv"]).ok();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("slug,title,self_study_minutes"));
    assert_eq!(
        lines.next().unwrap(),
        "alpha,Alpha pack,120.0,0.0,60.0,0.0,180.0,3.0,3.0"
    );
    let table = site.run(&["hours"]).ok();
    assert!(table.contains("alpha") && table.contains("180"), "{table}");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = TestSite::fixture("minimal");
    site.write(
        "content/packs/beta/pack.md",
        site.read("content/packs/alpha/pack.md")
            .replace("title: Alpha pack", "title: Beta pack\ndraft: true")
            .replace("page: guide.md", "url: https://example.org/b")
            .replace("(guide.md)", "(../alpha/guide.md)"),
    );
    site.run(&["build"]).ok();
    assert!(!site.path("public/packs/beta").exists());
    assert!(!site.read("public/index.html").contains("Beta pack"));
    site.run(&["build", "--drafts"]).ok();
    assert!(site.path("public/packs/beta/index.html").is_file());
    assert!(site.read("public/index.html").contains("Beta pack"));
}

#[test]
fn links_between_pages_are_relative_and_rewritten_from_sources() {
    let site = TestSite::fixture("minimal");
    site.run(&["build"]).ok();
    let pack = site.read("public/packs/alpha/index.html");
    assert!(
        pack.contains("href=\"../../packs/alpha/guide/index.html\""),
        "{pack}"
    );
    assert!(pack.contains("href=\"../../static/style.css\""));
    let guide = site.read("public/packs/alpha/guide/index.html");
    assert!(
        guide.contains("href=\"../../../packs/alpha/index.html\""),
        "{guide}"
    );
    assert!(!pack.contains("flippack-root:") && !guide.contains("flippack-root:"));
    // Nothing links from the site root, so the site works under any sub-path.
    for (rel, bytes) in snapshot(&site.path("public")) {
        if rel.ends_with(".html") && rel != "404.html" {
            let html = String::from_utf8(bytes).unwrap();
            assert!(
                !html.contains("href=\"/") && !html.contains("src=\"/"),
                "{rel} has a root-absolute link"
            );
        }
    }
}

#[test]
fn out_folder_can_be_anywhere() {
    let site = TestSite::fixture("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    site.run(&["build", "--out", out.to_str().unwrap()]).ok();
    assert!(out.join("packs/alpha/index.html").is_file());
    assert!(!site.path("public").exists());
}

#[test]
fn a_broken_build_reports_every_error_and_leaves_the_old_output_untouched() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let before = snapshot(&site.path("public"));

    // Three problems in two packs and a pathway.
    site.replace(
        "content/packs/ell-communication/pack.md",
        "duration:",
        "duraton:",
    );
    site.replace(
        "content/packs/time-management/pack.md",
        "summary:",
        "summary: [unclosed\nsummory:",
    );
    site.replace(
        "content/pathways/year-of-growth.md",
        "pack: time-management",
        "pack: time-managment",
    );
    let stderr = site.run(&["build"]).fails();

    assert!(
        stderr.contains("content/packs/ell-communication/pack.md:"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown key `duraton`"), "{stderr}");
    assert!(stderr.contains("did you mean `duration`?"), "{stderr}");
    assert!(
        stderr.contains("content/packs/time-management/pack.md:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/pathways/year-of-growth.md:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `time-management`?"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");

    assert_eq!(
        snapshot(&site.path("public")),
        before,
        "the previous output is byte-for-byte unchanged"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folders are left behind: {leftovers:?}"
    );
}

#[test]
fn a_successful_build_replaces_the_output_as_a_whole() {
    let site = TestSite::fixture("minimal");
    site.run(&["build"]).ok();
    site.write("public/stale.html", "old");
    site.run(&["build"]).ok();
    assert!(!site.path("public/stale.html").exists());
    assert!(site.path("public/index.html").is_file());
}

#[test]
fn refuses_to_replace_the_site_itself() {
    let site = TestSite::fixture("minimal");
    let stderr = site.run(&["build", "--out", "."]).fails();
    assert!(stderr.contains("holds the site itself"), "{stderr}");
    let stderr = site.run(&["build", "--out", "content/x"]).fails();
    assert!(stderr.contains("inside the site's `content`"), "{stderr}");
    assert!(site.path("content/packs/alpha/pack.md").is_file());
}

#[test]
fn a_site_theme_overrides_templates_one_by_one() {
    let site = TestSite::fixture("minimal");
    site.replace(
        "site.yaml",
        "title: Test site",
        "title: Test site\ntheme: district",
    );
    site.write(
        "themes/district/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p>District page: {{ page.title }}</p>{% endblock main %}",
    );
    site.write("themes/district/static/extra.css", "body{}");
    site.run(&["build"]).ok();
    assert!(site
        .read("public/packs/alpha/guide/index.html")
        .contains("District page: Alpha guide"));
    assert!(
        site.read("public/packs/alpha/index.html")
            .contains("Alpha pack"),
        "other templates fall back"
    );
    assert!(site.path("public/static/extra.css").is_file());
    assert!(site.path("public/static/style.css").is_file());

    site.replace("site.yaml", "theme: district", "theme: missing");
    let stderr = site.run(&["build"]).fails();
    assert!(stderr.contains("no folder themes/missing/"), "{stderr}");
}

#[test]
fn a_broken_template_is_reported_with_its_name() {
    let site = TestSite::fixture("minimal");
    site.replace(
        "site.yaml",
        "title: Test site",
        "title: Test site\ntheme: broken",
    );
    site.write(
        "themes/broken/templates/pack.html",
        "{% extends \"base.html\" %}{% block main %}{{ pack.title | nofilter }}{% endblock main %}",
    );
    let stderr = site.run(&["build"]).fails();
    assert!(stderr.contains("pack.html"), "{stderr}");
    assert!(!site.path("public").exists());
}
