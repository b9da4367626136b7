//! Raw HTML that authors write can never run script in a teacher's
//! browser: every way of writing it, in a pack's body and in each of the
//! nine Markdown fields of its front matter, is taken out of the built
//! pages and reported by `check` (and `build`) with the file and line.
//! What authors legitimately need survives; `trust_html: true` publishes
//! raw HTML as written. Every page carries a strict Content-Security-Policy,
//! and what `site.yaml` puts into pages is escaped or refused.

mod common;

use std::collections::BTreeSet;

use common::TestSite;
use serde_json::Value;

const PACK: &str = "content/packs/alpha/pack.md";

/// Ways of running script or leaving the site with raw HTML, each with a
/// word that must not survive in any page.
const ATTACKS: &[(&str, &str, &str)] = &[
    ("script", "<script>window.pwned = 1</script>", "pwned"),
    (
        "event attribute",
        "<img src=\"https://example.org/a.png\" alt=\"A chart\" onerror=\"pwned()\">",
        "pwned",
    ),
    (
        "svg onload",
        "<svg onload=\"pwned()\"><circle r=\"1\"></circle></svg>",
        "pwned",
    ),
    (
        "javascript: iframe",
        "<iframe src=\"javascript:pwned()\" title=\"Player\"></iframe>",
        "pwned",
    ),
    (
        "iframe from another host",
        "<iframe src=\"https://evil.example/embed/1\" title=\"Player\"></iframe>",
        "evil.example",
    ),
    (
        "javascript: link",
        "<a href=\"javascript:pwned()\">the handout</a>",
        "pwned",
    ),
    (
        "javascript: form",
        "<form action=\"javascript:pwned()\"><button>Send</button></form>",
        "pwned",
    ),
    (
        "meta refresh",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "evil.example",
    ),
];

/// The nine front matter fields written in Markdown, as the words each
/// field's text starts with.
const FIELDS: &[&str] = &[
    "goal-text",
    "problem-text",
    "note-text",
    "agenda-notes-text",
    "prompt-text",
    "facilitator-notes-text",
    "task-text",
    "evidence-text",
    "reflection-text",
];

/// A pack with `html` in its body and in each of the nine Markdown fields.
fn pack_with(html: &str) -> String {
    // Single-quoted YAML: the HTML is written as it is.
    let q = html.replace('\'', "''");
    format!(
        "---
title: Alpha pack
summary: A small pack for tests.
goal: 'goal-text {q}'
problem: 'problem-text {q}'
self_study:
  - title: Watch the routine
    kind: video
    url: https://example.org/alpha
    duration: 60m
    captions: true
    note: 'note-text {q}'
workshop:
  agenda:
    - title: Discuss
      minutes: 40
      notes: 'agenda-notes-text {q}'
    - title: Plan
      minutes: 20
  prompts:
    - 'prompt-text {q}'
  facilitator_notes: 'facilitator-notes-text {q}'
application:
  task: 'task-text {q}'
  evidence:
    - 'evidence-text {q}'
reflection:
  - 'reflection-text {q}'
---
The overview-text.

{html}

The inline-text {html} in a sentence.
"
    )
}

fn site_with(pack: &str, site_yaml: &str) -> TestSite {
    let site = TestSite::empty();
    site.write("site.yaml", site_yaml);
    site.write(PACK, pack);
    site
}

/// The findings of `check --format json`.
fn findings(site: &TestSite) -> Vec<Value> {
    let run = site.run(&["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout())
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", run.stdout()));
    json.as_array().expect("an array of findings").clone()
}

/// The lines of `file` that `html-removed` findings point at.
fn removed_lines(findings: &[Value], file: &str) -> BTreeSet<u64> {
    findings
        .iter()
        .filter(|f| f["code"] == "html-removed" && f["file"] == file)
        .map(|f| f["line"].as_u64().unwrap_or(0))
        .collect()
}

/// Every HTML page of the built site, as (path, text).
fn pages(out: &std::path::Path) -> Vec<(String, String)> {
    common::snapshot(out)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| (rel, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

#[test]
fn every_attack_in_the_body_and_in_each_field_is_removed_and_reported() {
    for (name, html, marker) in ATTACKS {
        let text = pack_with(html);
        let site = site_with(&text, "title: Test site\n");

        // The build succeeds, with a warning, and no page keeps the attack.
        let run = site.run(&["build"]);
        let stderr = run.stderr();
        assert!(run.success(), "{name}: the build failed:\n{stderr}");
        assert!(
            stderr.contains("warning[html-removed]"),
            "{name}: no warning:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        for (rel, page) in pages(&site.path("public")) {
            assert!(
                !page.contains(marker),
                "{name}: `{marker}` survives in {rel}:\n{page}"
            );
        }
        // The text around the HTML is still there, in every field.
        let pack_page = site.read("public/packs/alpha/index.html");
        let facilitator = site.read("public/packs/alpha/facilitator/index.html");
        for word in FIELDS.iter().chain(&["overview-text", "inline-text"]) {
            assert!(
                pack_page.contains(word) || facilitator.contains(word),
                "{name}: the text `{word}` was lost"
            );
        }

        // check reports each place, at the line where the HTML is written.
        let found = findings(&site);
        let expected: BTreeSet<u64> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.contains(html))
            .map(|(i, _)| i as u64 + 1)
            .collect();
        assert_eq!(expected.len(), FIELDS.len() + 2, "{name}");
        assert_eq!(
            removed_lines(&found, PACK),
            expected,
            "{name}: {}",
            serde_json::to_string_pretty(&found).unwrap_or_default()
        );
        for f in found.iter().filter(|f| f["code"] == "html-removed") {
            assert_eq!(f["severity"], "warning", "{f}");
            let help = f["help"].as_str().unwrap_or_default();
            assert!(help.contains("trust_html"), "{name}: help: {help}");
            assert!(f["column"].as_u64().unwrap_or(0) > 0, "{name}: {f}");
        }
    }
}

#[test]
fn a_finding_names_what_was_removed_and_points_at_it() {
    let text =
        pack_with("<img src=\"https://example.org/a.png\" alt=\"A chart\" onerror=\"pwned()\">");
    let site = site_with(&text, "title: Test site\n");
    let stderr = site.run(&["check"]).stderr();
    // The goal is on line 4; its <img> starts after `goal: 'goal-text `.
    assert!(
        stderr.contains("--> content/packs/alpha/pack.md:4:18"),
        "{stderr}"
    );
    assert!(stderr.contains("`onerror`"), "{stderr}");
    assert!(stderr.contains("<img"), "{stderr}");
}

#[test]
fn heading_attributes_cannot_carry_event_handlers() {
    let site = site_with(
        &pack_with("plain").replace(
            "The overview-text.",
            "## Steps {onclick=pwned()}\n\nThe overview-text.",
        ),
        "title: Test site\n",
    );
    site.run(&["build"]).ok();
    let page = site.read("public/packs/alpha/index.html");
    assert!(!page.contains("pwned"), "{page}");
    assert!(
        page.contains("<h2 id=\"steps\">"),
        "the heading keeps its id:\n{page}"
    );
    let found = findings(&site);
    let text = site.read(PACK);
    let line = text
        .lines()
        .position(|l| l.starts_with("## Steps"))
        .expect("the heading") as u64
        + 1;
    assert_eq!(
        removed_lines(&found, PACK),
        BTreeSet::from([line]),
        "{found:?}"
    );
}

/// HTML an author legitimately writes, and what of it must be published.
const ALLOWED: &str = "\
<table><caption>Wait times</caption><thead><tr><th scope=\"col\">Pause</th><th scope=\"col\">Seconds</th></tr></thead>
<tbody><tr><td>First</td><td>3</td></tr></tbody></table>

<details><summary>Answer key</summary>

The **answers** are here.

</details>

<iframe src=\"https://www.youtube-nocookie.com/embed/aISXCw0Pi94\" title=\"Wait time in action\" width=\"560\" height=\"315\" allow=\"encrypted-media; picture-in-picture\" allowfullscreen loading=\"lazy\"></iframe>

<figure><img src=\"https://example.org/chart.png\" alt=\"A chart of wait times\" width=\"400\"><figcaption>Wait times by grade</figcaption></figure>

<p>Ask, then <a href=\"https://example.org/stems\" target=\"_blank\">the question stems</a> or <a href=\"mailto:coach@example.org\">the coach</a>.</p>

## Steps
";

#[test]
fn html_that_authors_need_survives() {
    let site = site_with(
        &pack_with("<em>fine</em>").replace("The overview-text.", ALLOWED),
        "title: Test site\n",
    );
    site.run(&["build"]).ok();
    let page = site.read("public/packs/alpha/index.html");
    for kept in [
        "<caption>Wait times</caption>",
        "<th scope=\"col\">Pause</th>",
        "<td>3</td>",
        "<details><summary>Answer key</summary>",
        "<strong>answers</strong>",
        "<iframe src=\"https://www.youtube-nocookie.com/embed/aISXCw0Pi94\" title=\"Wait time in action\" width=\"560\" height=\"315\" allow=\"encrypted-media; picture-in-picture\" allowfullscreen=\"\" loading=\"lazy\">",
        "<figure><img src=\"https://example.org/chart.png\" alt=\"A chart of wait times\" width=\"400\"><figcaption>Wait times by grade</figcaption></figure>",
        "href=\"mailto:coach@example.org\"",
        "<h2 id=\"steps\">Steps</h2>",
        "goal-text <em>fine</em>",
    ] {
        assert!(page.contains(kept), "`{kept}` is missing from:\n{page}");
    }
    // A link that opens a new tab cannot reach back into the page.
    let blank = page
        .split("<a ")
        .find(|a| a.contains("target=\"_blank\""))
        .expect("the new-tab link");
    assert!(blank.contains("noopener"), "{blank}");
    let found = findings(&site);
    assert!(
        removed_lines(&found, PACK).is_empty(),
        "allowed HTML was reported: {found:?}"
    );
}

#[test]
fn iframes_come_only_from_the_video_hosts_of_site_yaml() {
    let iframe =
        "<iframe src=\"https://media.district.example/v/7\" title=\"District video\"></iframe>";
    // Not allowed by default...
    let site = site_with(&pack_with(iframe), "title: Test site\n");
    site.run(&["build"]).ok();
    assert!(!site
        .read("public/packs/alpha/index.html")
        .contains("media.district.example"));
    // ...allowed once listed, and then in the pages' frame-src too.
    site.write(
        "site.yaml",
        "title: Test site\nvideo_hosts: [www.youtube-nocookie.com, media.district.example]\n",
    );
    site.run(&["build"]).ok();
    let page = site.read("public/packs/alpha/index.html");
    assert!(page.contains(iframe), "{page}");
    let policy = csp_of(&page).expect("a Content-Security-Policy");
    assert!(
        policy.contains("frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://media.district.example;"),
        "{policy}"
    );
    assert!(removed_lines(&findings(&site), PACK).is_empty());
    // Only over https.
    let plain = iframe.replace("https://", "http://");
    site.write(PACK, pack_with(&plain));
    site.run(&["build"]).ok();
    assert!(!site
        .read("public/packs/alpha/index.html")
        .contains("http://media.district.example"));
}

#[test]
fn a_host_in_video_hosts_must_be_a_host_name() {
    let site = site_with(
        &pack_with("x"),
        "title: Test site\nvideo_hosts:\n  - www.youtube-nocookie.com\n  - https://player.vimeo.com/video\n",
    );
    let stderr = site.run(&["build"]).fails();
    assert!(stderr.contains("error[invalid-value]"), "{stderr}");
    assert!(stderr.contains("--> site.yaml:4:"), "{stderr}");
    assert!(stderr.contains("`player.vimeo.com`"), "{stderr}");
}

#[test]
fn trust_html_publishes_raw_html_as_written() {
    let script = "<script>window.trusted = 1</script>";
    let site = site_with(&pack_with(script), "title: Test site\ntrust_html: true\n");
    let run = site.run(&["build"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(!run.stderr().contains("html-removed"), "{}", run.stderr());
    let page = site.read("public/packs/alpha/index.html");
    assert!(page.contains(script), "{page}");
    // A policy would stop the trusted scripts: there is none.
    assert!(csp_of(&page).is_none(), "{page}");
    assert!(removed_lines(&findings(&site), PACK).is_empty());
}

/// The content of the page's Content-Security-Policy `<meta>`, if any.
fn csp_of(page: &str) -> Option<String> {
    let at = page.find("<meta http-equiv=\"Content-Security-Policy\" content=\"")?;
    let rest = &page[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].replace("&#39;", "'"))
}

#[test]
fn every_page_of_the_demo_carries_a_strict_content_security_policy() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let all = pages(&site.path("public"));
    assert!(all.len() > 20, "{} pages", all.len());
    for (rel, page) in &all {
        let policy = csp_of(page).unwrap_or_else(|| panic!("{rel} has no policy"));
        assert_eq!(
            policy,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; \
             media-src 'self' https:; frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
             object-src 'none'; base-uri 'none'; form-action 'self'",
            "{rel}"
        );
        assert!(!policy.contains("unsafe-inline"));
        // In the head, before anything it governs.
        let head = &page[..page.find("</head>").expect("a head")];
        let at = head.find("Content-Security-Policy").expect("in the head");
        assert!(
            !head[..at].contains("<script") && !head[..at].contains("<link"),
            "{rel}: the policy comes after what it governs"
        );
        assert_eq!(page.matches("Content-Security-Policy").count(), 1, "{rel}");
    }
}

#[test]
fn aligned_table_columns_need_no_inline_style() {
    let table = "| Move | Seconds |\n| :--- | ---: |\n| Pause | 3 |\n";
    let site = site_with(
        &pack_with("x").replace("The overview-text.", table),
        "title: Test site\n",
    );
    site.run(&["build"]).ok();
    let page = site.read("public/packs/alpha/index.html");
    assert!(
        !page.contains("style="),
        "an inline style breaks the policy:\n{page}"
    );
    assert!(page.contains("<td class=\"align-right\">3</td>"), "{page}");
    let css = site.read("public/static/style.css");
    assert!(css.contains(".align-right"), "the theme aligns the column");
}

#[test]
fn a_base_url_that_breaks_out_of_its_attribute_is_refused() {
    let site = TestSite::fixture("minimal");
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: 'https://x/\"><script>alert(1)</script>'\n",
    );
    let stderr = site.run(&["build"]).fails();
    assert!(stderr.contains("error[invalid-value]"), "{stderr}");
    assert!(stderr.contains("--> site.yaml:2:"), "{stderr}");
    assert!(!site.path("public").exists());
    // check says the same.
    let stderr = site.run(&["check"]).fails();
    assert!(stderr.contains("--> site.yaml:2:"), "{stderr}");
}

#[test]
fn base_url_must_be_a_web_address_or_a_path() {
    for bad in [
        "ftp://files.example.org/pd/",
        "pd/",
        "javascript:alert(1)//",
        "https://",
        "https://pd.example.org/a b/",
        "https://pd.example.org/?page=1",
    ] {
        let site = TestSite::fixture("minimal");
        site.write(
            "site.yaml",
            format!("title: Test site\nbase_url: '{bad}'\n"),
        );
        let stderr = site.run(&["build"]).fails();
        assert!(
            stderr.contains("error[invalid-value]") && stderr.contains("--> site.yaml:2:"),
            "{bad}: {stderr}"
        );
        assert!(stderr.contains("help:"), "{stderr}");
    }
    for good in [
        "https://pd.example.org/packs",
        "http://localhost:8080/",
        "/pd/",
        "/",
    ] {
        let site = TestSite::fixture("minimal");
        site.write(
            "site.yaml",
            format!("title: Test site\nbase_url: '{good}'\n"),
        );
        site.run(&["build"]).ok();
    }
}

#[test]
fn what_site_yaml_puts_into_pages_is_escaped() {
    let site = TestSite::fixture("minimal");
    site.write(
        "site.yaml",
        "title: 'Site <script>alert(1)</script>'\ndescription: '\"><script>alert(2)</script>'\n\
         language: 'en\"><script>alert(3)</script>'\nbase_url: https://pd.example.org/a&b/\n",
    );
    site.run(&["build"]).ok();
    for (rel, page) in pages(&site.path("public")) {
        assert!(!page.contains("<script>alert"), "{rel}:\n{page}");
        assert!(!page.contains("/a&b/"), "{rel}: a bare & in an address");
    }
    let not_found = site.read("public/404.html");
    assert!(
        not_found.contains("href=\"/a&amp;b/index.html\""),
        "{not_found}"
    );
    for xml in ["atom.xml", "sitemap.xml"] {
        let text = site.read(&format!("public/{xml}"));
        assert!(!text.contains("<script>alert"), "{xml}:\n{text}");
        assert!(
            !text.contains("/a&b/"),
            "{xml}: a bare & in an address:\n{text}"
        );
    }
}
