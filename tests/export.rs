//! `flippack export`: the demo site as IMS Common Cartridge 1.1 and SCORM
//! 1.2 packages, unzipped and read back as an LMS would, and the mistakes
//! a coach can make on the way.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;

use common::TestSite;

const PACK: &str = "questioning-wait-time";
const PATHWAY: &str = "year-of-growth";

/// The namespaces a Common Cartridge 1.1 may use: the package, its
/// metadata, web links, discussion topics and QTI 1.2 quizzes.
const CC_NAMESPACES: &[&str] = &[
    "http://www.imsglobal.org/xsd/imscc/imscp_v1p1",
    "http://ltsc.ieee.org/xsd/imscc/LOM",
    "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1",
    "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1",
    "http://www.imsglobal.org/xsd/ims_qtiasiv1p2",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://www.w3.org/XML/1998/namespace",
];

const SCORM_NAMESPACES: &[&str] = &[
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://www.w3.org/XML/1998/namespace",
];

/// Runs `flippack export ARGS --out OUT` in `site` and returns the one
/// package file it wrote there, unzipped.
fn export(site: &TestSite, out: &str, args: &[&str]) -> (Vec<u8>, BTreeMap<String, Vec<u8>>) {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out]);
    let before: BTreeSet<_> = listing(&site.path(out));
    site.run(&all).ok();
    let after = listing(&site.path(out));
    let new: Vec<_> = after.difference(&before).collect();
    assert_eq!(new.len(), 1, "one new file in {out}: {new:?}");
    let bytes = fs::read(site.path(out).join(new[0])).expect("read the package");
    let files = unzip(&bytes);
    (bytes, files)
}

fn listing(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| {
                    e.expect("an entry")
                        .file_name()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("an entry");
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read an entry");
        files.insert(entry.name().to_string(), data);
    }
    files
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not in the package"))
            .clone(),
    )
    .expect("UTF-8")
}

/// Every namespace declared in `doc`, and every schema location.
fn namespaces_and_schemas(doc: &roxmltree::Document) -> (BTreeSet<String>, Vec<String>) {
    let mut namespaces = BTreeSet::new();
    let mut schemas = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        for ns in node.namespaces() {
            namespaces.insert(ns.uri().to_string());
        }
        if let Some(location) = node.attribute((
            "http://www.w3.org/2001/XMLSchema-instance",
            "schemaLocation",
        )) {
            schemas.extend(location.split_whitespace().map(String::from));
        }
    }
    (namespaces, schemas)
}

/// The manifest is well-formed, uses only `allowed` namespaces, every
/// `href` is a file of the package and every `identifierref` names a
/// resource. Returns the resources: identifier → (type, files).
fn check_manifest(
    files: &BTreeMap<String, Vec<u8>>,
    allowed: &[&str],
    schema_hosts: &[&str],
) -> BTreeMap<String, (String, Vec<String>)> {
    let manifest = text(files, "imsmanifest.xml");
    let doc = roxmltree::Document::parse(&manifest).expect("imsmanifest.xml is well-formed XML");
    let (namespaces, schemas) = namespaces_and_schemas(&doc);
    for ns in &namespaces {
        assert!(
            allowed.contains(&ns.as_str()),
            "namespace {ns} in the manifest"
        );
    }
    assert!(
        !schemas.is_empty(),
        "the manifest gives its schema locations"
    );
    for (i, s) in schemas.iter().enumerate() {
        if i % 2 == 0 {
            assert!(allowed.contains(&s.as_str()), "schema location for {s}");
        } else {
            assert!(
                schema_hosts.iter().any(|h| s.starts_with(h)),
                "schema {s} is not one of {schema_hosts:?}"
            );
        }
    }
    let mut resources = BTreeMap::new();
    for r in doc.descendants().filter(|n| n.has_tag_name("resource")) {
        let id = r
            .attribute("identifier")
            .expect("a resource has an identifier");
        let kind = r
            .attribute("type")
            .expect("a resource has a type")
            .to_string();
        let listed: Vec<String> = r
            .children()
            .filter(|c| c.has_tag_name("file"))
            .map(|c| c.attribute("href").expect("a file has an href").to_string())
            .collect();
        for href in r
            .attribute("href")
            .into_iter()
            .chain(listed.iter().map(String::as_str))
        {
            assert!(
                files.contains_key(href),
                "{id}: {href} is not in the package"
            );
        }
        if let Some(href) = r.attribute("href") {
            assert!(listed.iter().any(|f| f == href), "{id} lists its own href");
        }
        assert!(
            resources.insert(id.to_string(), (kind, listed)).is_none(),
            "resource {id} twice"
        );
    }
    let mut item_ids = BTreeSet::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(target) = node.attribute("identifierref") {
            assert!(
                resources.contains_key(target),
                "identifierref {target} resolves"
            );
        }
        if node.has_tag_name("item") {
            let id = node
                .attribute("identifier")
                .expect("an item has an identifier");
            assert!(item_ids.insert(id.to_string()), "item {id} twice");
        }
    }
    // Every file of the package belongs to a resource, so the LMS imports it.
    let listed: BTreeSet<&String> = resources.values().flat_map(|(_, f)| f).collect();
    for path in files.keys().filter(|p| *p != "imsmanifest.xml") {
        assert!(listed.contains(path), "{path} belongs to no resource");
    }
    resources
}

/// Every relative `href` and `src` of every page resolves to a file of
/// the package, and nothing on a page loads from elsewhere by itself.
fn check_pages_are_self_contained(files: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for (attr, link) in attributes(&html) {
            if link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            if link.starts_with("http:") || link.starts_with("https:") || link.starts_with("//") {
                assert!(attr == "href", "{path} loads {link} by itself");
                continue;
            }
            let target = resolve(path, &link);
            assert!(
                files.contains_key(&target),
                "{path} links to {link}, not in the package"
            );
        }
    }
}

fn attributes(html: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    for attr in ["href", "src"] {
        let needle = format!(" {attr}=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            let value = &rest[at + needle.len()..];
            let end = value.find('"').expect("a closed attribute");
            found.push((attr, value[..end].replace("&amp;", "&")));
            rest = &value[end..];
        }
    }
    found
}

fn resolve(page: &str, link: &str) -> String {
    let link = link.split(['#', '?']).next().unwrap_or(link);
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    common::percent_decode(&parts.join("/"))
}

#[test]
fn every_common_cartridge_of_the_demo_is_complete_and_of_version_1_1() {
    let site = TestSite::demo();
    for what in [
        vec!["--pack", PACK],
        vec!["--pathway", PATHWAY],
        vec!["--all"],
    ] {
        let mut args = what.clone();
        args.extend(["--format", "cc"]);
        let (_, files) = export(&site, "out", &args);
        let resources = check_manifest(
            &files,
            CC_NAMESPACES,
            &["http://www.imsglobal.org/profile/cc/ccv1p1/"],
        );
        check_pages_are_self_contained(&files);
        // The files of web links, topics and quizzes: well-formed, 1.1.
        for (id, (kind, listed)) in &resources {
            if kind == "webcontent" {
                continue;
            }
            let doc_text = text(&files, &listed[0]);
            let doc = roxmltree::Document::parse(&doc_text)
                .unwrap_or_else(|e| panic!("{id}: {} is not well-formed: {e}", listed[0]));
            let (namespaces, schemas) = namespaces_and_schemas(&doc);
            for ns in &namespaces {
                assert!(CC_NAMESPACES.contains(&ns.as_str()), "{id}: namespace {ns}");
            }
            for s in schemas.iter().skip(1).step_by(2) {
                assert!(s.contains("/ccv1p1/"), "{id}: schema {s} is not of 1.1");
            }
            let expected = match doc.root_element().tag_name().name() {
                "webLink" => "imswl_xmlv1p1",
                "topic" => "imsdt_xmlv1p1",
                "questestinterop" => "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
                other => panic!("{id}: unexpected document <{other}>"),
            };
            assert_eq!(kind, expected, "{id}");
        }
        assert!(
            !files.contains_key("static/scorm.js"),
            "the SCORM script is only in SCORM packages"
        );
        let manifest = text(&files, "imsmanifest.xml");
        assert!(manifest.contains("<schemaversion>1.1.0</schemaversion>"));
        assert!(
            !manifest.contains("v1p3"),
            "nothing of Common Cartridge 1.3"
        );
        fs::remove_dir_all(site.path("out")).expect("clear the output");
    }
}

#[test]
fn a_pack_cartridge_is_one_module_in_cycle_order_with_its_metadata() {
    let site = TestSite::demo();
    let (_, files) = export(&site, "out", &["--pack", PACK, "--format", "cc"]);
    let manifest = text(&files, "imsmanifest.xml");
    let doc = roxmltree::Document::parse(&manifest).expect("well-formed");
    let root = doc
        .descendants()
        .find(|n| n.attribute("identifier") == Some("root"))
        .expect("the root item");
    let modules: Vec<_> = root.children().filter(|n| n.has_tag_name("item")).collect();
    assert_eq!(modules.len(), 1, "one module for one pack");
    let titles: Vec<String> = modules[0]
        .children()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| {
            n.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(titles[0], "Questioning and wait time: overview and goal");
    assert_eq!(titles[1], "Wait time in action");
    let check = titles
        .iter()
        .position(|t| t.starts_with("Self-check"))
        .expect("a quiz");
    let prompt = titles
        .iter()
        .position(|t| t.starts_with("Workshop prompt 1"))
        .expect("a topic");
    let after = titles
        .iter()
        .position(|t| t.starts_with("After the workshop"))
        .expect("after");
    assert!(1 < check && check < prompt && prompt < after, "{titles:?}");
    assert_eq!(
        titles
            .iter()
            .filter(|t| t.starts_with("Workshop prompt"))
            .count(),
        4
    );
    // Title, description with the credit hours, keywords from the tags.
    assert!(manifest.contains("<lomimscc:string>Questioning and wait time</lomimscc:string>"));
    assert!(manifest.contains("credit hours"), "{manifest}");
    assert!(manifest.contains("<lomimscc:string>equity</lomimscc:string>"));
    // A web address is a web link; a local guide is the page itself.
    let link = text(&files, "cc/questioning-wait-time/resource-1.xml");
    assert!(
        link.contains("href=\"https://www.youtube.com/watch?v=aISXCw0Pi94\""),
        "{link}"
    );
    assert!(manifest.contains("href=\"packs/questioning-wait-time/guide-wait-time/index.html\""));
    let topic = text(&files, "cc/questioning-wait-time/prompt-1.xml");
    assert!(topic.contains("What did your tally show about who answers your questions?"));
    let after = text(&files, "cc/questioning-wait-time/after.html");
    assert!(
        after.contains("How did the pause change who answered?"),
        "{after}"
    );
    assert!(
        after.contains("../../static/style.css"),
        "with the site's styles"
    );
}

#[test]
fn a_pathway_cartridge_has_one_module_per_step_in_order() {
    let site = TestSite::demo();
    let (_, files) = export(&site, "out", &["--pathway", PATHWAY, "--format", "cc"]);
    let manifest = text(&files, "imsmanifest.xml");
    let pathway = site.read(&format!("content/pathways/{PATHWAY}.md"));
    let steps: Vec<&str> = pathway
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- pack: "))
        .collect();
    assert!(steps.len() >= 2, "the demo pathway has steps");
    let mut at = 0;
    for (i, slug) in steps.iter().enumerate() {
        let title = format!("<title>Step {}: ", i + 1);
        let found = manifest[at..].find(&title).map(|f| f + at);
        let found = found.unwrap_or_else(|| panic!("step {} ({slug}) in order", i + 1));
        at = found;
        assert!(
            manifest[found..].contains(&format!("identifierref=\"pack-{slug}-overview\"")),
            "step {} opens {slug}",
            i + 1
        );
    }
}

#[test]
fn quiz_items_carry_the_correct_answers_of_the_pack() {
    let site = TestSite::demo();
    let (_, files) = export(&site, "out", &["--pack", PACK, "--format", "cc"]);
    let quiz = text(&files, &format!("cc/{PACK}/self-check.xml"));
    let doc = roxmltree::Document::parse(&quiz).expect("well-formed QTI");

    // The correct choices as the pack writes them.
    let pack = site.read(&format!("content/packs/{PACK}/pack.md"));
    let front = pack.split("---").nth(1).expect("front matter");
    let yaml: serde_yaml::Value = serde_yaml::from_str(front).expect("YAML");
    let questions = yaml["self_check"]["questions"]
        .as_sequence()
        .expect("questions");

    let items: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert_eq!(items.len(), questions.len());
    for (item, question) in items.iter().zip(questions) {
        let expected: BTreeSet<String> = question["choices"]
            .as_sequence()
            .map(|c| {
                c.iter()
                    .filter(|c| c["correct"].as_bool() == Some(true))
                    .map(|c| plain(c["text"].as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        let labels: BTreeMap<&str, String> = item
            .descendants()
            .filter(|n| n.has_tag_name("response_label"))
            .map(|l| {
                let text = l.descendants().find(|n| n.has_tag_name("mattext"));
                (
                    l.attribute("ident").expect("ident"),
                    plain(text.and_then(|t| t.text()).unwrap_or_default()),
                )
            })
            .collect();
        // The condition that sets full marks: its choices not under <not>.
        let full_marks = item
            .descendants()
            .filter(|n| n.has_tag_name("respcondition"))
            .find(|c| {
                c.children()
                    .any(|s| s.has_tag_name("setvar") && s.text() == Some("100"))
            });
        let profile = item
            .descendants()
            .find(|n| n.has_tag_name("fieldentry"))
            .and_then(|n| n.text())
            .unwrap_or_default();
        if expected.is_empty() {
            assert_eq!(profile, "cc.essay.v0p1");
            assert!(full_marks.is_none(), "a written question is not scored");
            continue;
        }
        let full_marks = full_marks.expect("a scored question has a correct answer");
        let correct: BTreeSet<String> = full_marks
            .descendants()
            .filter(|n| n.has_tag_name("varequal"))
            .filter(|n| !n.ancestors().any(|a| a.has_tag_name("not")))
            .map(|n| labels[n.text().unwrap_or_default()].clone())
            .collect();
        assert_eq!(correct, expected, "the correct answers of {profile}");
        let multiple = expected.len() > 1;
        assert_eq!(
            profile,
            if multiple {
                "cc.multiple_response.v0p1"
            } else {
                "cc.multiple_choice.v0p1"
            }
        );
    }
    // Per-choice feedback is carried over.
    assert!(quiz.contains("That is wait time 1."));
}

/// Text without Markdown emphasis or HTML tags, for comparing the two.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '*' | '_' | '`' => {}
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    // The Markdown renderer writes typographic quotes and apostrophes.
    out.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'")
}

#[test]
fn every_scorm_package_of_the_demo_is_complete_with_one_sco_per_pack() {
    let site = TestSite::demo();
    for what in [
        vec!["--pack", PACK],
        vec!["--pathway", PATHWAY],
        vec!["--all"],
    ] {
        let mut args = what.clone();
        args.extend(["--format", "scorm12"]);
        let (_, files) = export(&site, "out", &args);
        let resources = check_manifest(&files, SCORM_NAMESPACES, &["imscp_", "imsmd_", "adlcp_"]);
        check_pages_are_self_contained(&files);
        let manifest = text(&files, "imsmanifest.xml");
        assert!(manifest.contains("<schemaversion>1.2</schemaversion>"));
        let doc = roxmltree::Document::parse(&manifest).expect("well-formed");
        let scos: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("resource"))
            .filter(|n| {
                n.attribute(("http://www.adlnet.org/xsd/adlcp_rootv1p2", "scormtype"))
                    == Some("sco")
            })
            .collect();
        let items = doc.descendants().filter(|n| n.has_tag_name("item")).count();
        assert_eq!(scos.len(), items, "one SCO per pack");
        for sco in &scos {
            let launch = sco.attribute("href").expect("a SCO has a launch page");
            let page = text(&files, launch);
            assert!(
                page.contains("static/scorm.js"),
                "{launch} loads the SCORM script"
            );
        }
        assert!(
            resources.len() == scos.len() + 1,
            "the SCOs and their shared files"
        );
        assert!(files.contains_key("static/scorm.js"));
        fs::remove_dir_all(site.path("out")).expect("clear the output");
    }
}

#[test]
fn the_mastery_score_is_the_pass_mark_of_the_self_check() {
    let site = TestSite::demo();
    let (_, files) = export(&site, "out", &["--pack", PACK, "--format", "scorm12"]);
    let manifest = text(&files, "imsmanifest.xml");
    assert!(
        manifest.contains("<adlcp:masteryscore>75</adlcp:masteryscore>"),
        "{manifest}"
    );

    site.replace(
        &format!("content/packs/{PACK}/pack.md"),
        "pass_percent: 75",
        "pass_percent: 60",
    );
    let (_, files) = export(&site, "again", &["--pack", PACK, "--format", "scorm12"]);
    assert!(text(&files, "imsmanifest.xml").contains("<adlcp:masteryscore>60</adlcp:masteryscore>"));
}

#[test]
fn the_same_site_exports_to_the_same_bytes() {
    let site = TestSite::demo();
    for format in ["cc", "scorm12"] {
        let (one, _) = export(
            &site,
            &format!("{format}-1"),
            &["--all", "--format", format],
        );
        // Touch every source file: an export must not depend on when
        // files were written, nor on when it runs.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        for path in [
            format!("content/packs/{PACK}/pack.md"),
            "site.yaml".to_string(),
        ] {
            let text = site.read(&path);
            site.write(&path, text);
        }
        let (two, _) = export(
            &site,
            &format!("{format}-2"),
            &["--all", "--format", format],
        );
        assert!(
            one == two,
            "two {format} exports of the same site are byte-identical"
        );
    }
}

#[test]
fn links_to_the_rest_of_the_site_are_taken_out_or_point_at_it() {
    let site = TestSite::demo();
    let (_, files) = export(&site, "out", &["--pack", PACK, "--format", "cc"]);
    let page = text(&files, &format!("packs/{PACK}/index.html"));
    assert!(
        !page.contains("href=\"../../index.html\""),
        "no link to the catalog"
    );
    assert!(page.contains(">Catalog</a>"), "the link's text stays");

    site.replace(
        "site.yaml",
        "base_url: \"/\"",
        "base_url: \"https://pd.example.org/packs/\"",
    );
    let (_, files) = export(&site, "absolute", &["--pack", PACK, "--format", "cc"]);
    let page = text(&files, &format!("packs/{PACK}/index.html"));
    assert!(
        page.contains("href=\"https://pd.example.org/packs/\">"),
        "to the site's catalog"
    );
}

// ---------- Mistakes ----------

#[test]
fn an_unknown_pack_or_pathway_is_refused_with_a_suggestion() {
    let site = TestSite::demo();
    let err = site
        .run(&["export", "--pack", "questioning-wait", "--format", "cc"])
        .fails();
    assert!(err.contains("there is no pack `questioning-wait`"), "{err}");
    assert!(
        err.contains("did you mean `questioning-wait-time`?"),
        "{err}"
    );
    let err = site
        .run(&[
            "export",
            "--pathway",
            "year-of-grwoth",
            "--format",
            "scorm12",
        ])
        .fails();
    assert!(
        err.contains("there is no pathway `year-of-grwoth`"),
        "{err}"
    );
    assert!(err.contains("did you mean `year-of-growth`?"), "{err}");
    assert!(!site.path("exports").exists(), "nothing is written");
}

#[test]
fn one_of_pack_pathway_or_all_is_required() {
    let site = TestSite::demo();
    let err = site.run(&["export", "--format", "cc"]).fails();
    assert!(err.contains("--pack") && err.contains("--all"), "{err}");
}

#[test]
fn a_pack_whose_file_is_missing_is_not_exported() {
    let site = TestSite::demo();
    fs::remove_file(site.path(&format!("content/packs/{PACK}/question-tally.txt")))
        .expect("remove the file");
    let err = site
        .run(&["export", "--pack", PACK, "--format", "cc"])
        .fails();
    assert!(
        err.contains(&format!("content/packs/{PACK}/pack.md:")),
        "{err}"
    );
    assert!(err.contains("question-tally.txt"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!site.path("exports").exists(), "nothing is written");
}

#[test]
fn a_missing_image_of_a_page_stops_the_export() {
    let site = TestSite::demo();
    // Inside an LMS the page would show it broken: refused with the
    // page's file and line, as a build refuses it.
    site.replace(
        &format!("content/packs/{PACK}/guide-wait-time.md"),
        "\n\n",
        "\n\n<img src=\"tally-chart.png\" alt=\"A tally chart\">\n\n",
    );
    let err = site
        .run(&["export", "--pack", PACK, "--format", "scorm12"])
        .fails();
    assert!(err.contains("tally-chart.png"), "{err}");
    assert!(
        err.contains(&format!("content/packs/{PACK}/guide-wait-time.md:")),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(!site.path("exports").exists(), "nothing is written");
}

#[test]
fn an_existing_package_is_replaced_only_with_force_and_only_if_ours() {
    let site = TestSite::demo();
    let args = ["export", "--pack", PACK, "--format", "cc"];
    site.run(&args).ok();
    let path = site.path(&format!("exports/{PACK}.imscc"));
    let first = fs::read(&path).expect("the package");

    let err = site.run(&args).fails();
    assert!(err.contains("already exists"), "{err}");
    assert!(err.contains("--force"), "{err}");

    let mut forced = args.to_vec();
    forced.push("--force");
    site.run(&forced).ok();
    assert_eq!(fs::read(&path).expect("the package"), first);

    // A file flippack did not write is never replaced.
    fs::write(&path, b"the district's own cartridge").expect("write");
    let err = site.run(&forced).fails();
    assert!(err.contains("was not written by flippack"), "{err}");
    assert_eq!(
        fs::read(&path).expect("still there"),
        b"the district's own cartridge"
    );
}

#[test]
fn an_export_folder_inside_content_is_refused() {
    let site = TestSite::demo();
    let err = site
        .run(&["export", "--all", "--format", "cc", "--out", "content/lms"])
        .fails();
    assert!(err.contains("inside the site's content/"), "{err}");
    assert!(!site.path("content/lms").exists());
}

#[test]
fn export_help_has_an_example() {
    let site = TestSite::empty();
    let help = site.run(&["export", "--help"]).ok();
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("flippack export --pack"), "{help}");
}

#[test]
fn the_lms_guide_comes_with_the_binary() {
    let folder = TestSite::empty();
    let stdout = folder.run(&["docs", "lms"]).ok();
    let expected = fs::read_to_string(common::repo_root().join("docs/lms.md")).expect("the guide");
    assert_eq!(stdout, expected);
    assert!(folder.run(&["docs"]).ok().contains("flippack docs lms"));
}

#[test]
fn pages_in_a_package_leave_out_the_search_whose_index_is_not_there() {
    let site = TestSite::demo();
    for format in ["cc", "scorm12"] {
        let (_, files) = export(&site, format, &["--all", "--format", format]);
        assert!(!files.contains_key("search-index.js"));
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let html = String::from_utf8_lossy(bytes);
            assert!(
                !html.contains("search.js"),
                "{format}: {path} loads the search"
            );
        }
    }
}

#[test]
fn identifiers_are_xml_names_even_for_a_slug_that_starts_with_a_digit() {
    let site = TestSite::fixture("minimal");
    fs::rename(
        site.path("content/packs/alpha"),
        site.path("content/packs/2026-alpha"),
    )
    .expect("rename the pack");
    site.replace(
        "content/pathways/starter.md",
        "pack: alpha",
        "pack: 2026-alpha",
    );
    for format in ["cc", "scorm12"] {
        let (_, files) = export(&site, format, &["--pathway", "starter", "--format", format]);
        let manifest = text(&files, "imsmanifest.xml");
        let doc = roxmltree::Document::parse(&manifest).expect("well-formed");
        for node in doc.descendants().filter(|n| n.is_element()) {
            for name in ["identifier", "identifierref"] {
                if let Some(id) = node.attribute(name) {
                    let first = id.chars().next().unwrap_or('0');
                    assert!(
                        first.is_ascii_alphabetic() || first == '_',
                        "{format}: {name}=\"{id}\" is not an XML name"
                    );
                }
            }
        }
    }
}
