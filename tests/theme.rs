//! What the default theme writes, and how a site's own theme replaces it,
//! checked on real builds (the browser tests in tests/browser.rs check
//! what the pages do).

mod common;

use common::{broken_internal_links, TestSite};

const MEDIA_PACK: &str = r#"---
title: Media pack
summary: Every kind of player.
goal: Teachers can watch and listen.
self_study:
  - title: A YouTube talk
    kind: video
    url: https://youtu.be/aISXCw0Pi94?t=90
    duration: 10m
  - title: A Vimeo talk
    kind: video
    url: https://vimeo.com/76979871
    duration: 10m
  - title: A podcast episode
    kind: podcast
    url: https://example.org/episode-12.mp3
    duration: 20m
  - title: A recorded lesson
    kind: video
    file: media/lesson.mp4
    duration: 5m
  - title: A local interview
    kind: podcast
    file: interview.m4a
    duration: 5m
  - title: A plain article
    kind: reading
    url: https://example.org/article
    duration: 5m
  - title: A plain article
    kind: reading
    url: https://example.org/article-2
    duration: 5m
    optional: true
workshop:
  duration: 30m
  prompts: [What will you try?]
---
The media overview.
"#;

/// The minimal fixture plus a pack with every kind of player.
fn media_site() -> TestSite {
    let site = TestSite::fixture("minimal");
    site.write("content/packs/media/pack.md", MEDIA_PACK)
        .write("content/packs/media/media/lesson.mp4", "not really a video")
        .write("content/packs/media/media/lesson.vtt", "WEBVTT\n")
        .write("content/packs/media/interview.m4a", "not really audio");
    site.run(&["build"]).ok();
    site
}

#[test]
fn video_platforms_become_click_to_load_embeds_and_files_get_native_players() {
    let site = media_site();
    let html = site.read("public/packs/media/index.html");

    // Nothing from YouTube or Vimeo is in the page until a click.
    assert!(!html.contains("<iframe"), "an iframe in the page");
    assert!(!html.contains("src=\"https://www.youtube"));
    assert!(!html.contains("src=\"https://player.vimeo"));
    assert!(html.contains(
        "data-embed=\"https://www.youtube-nocookie.com/embed/aISXCw0Pi94?autoplay=1&amp;start=90\""
    ));
    assert!(html
        .contains("data-embed=\"https://player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1\""));
    assert!(html.contains("Loads the YouTube player from www.youtube-nocookie.com"));
    // The link to the video itself works without JavaScript.
    assert!(html.contains("href=\"https://youtu.be/aISXCw0Pi94?t=90\""));

    assert!(html.contains(
        "<audio class=\"player player-audio\" controls preload=\"none\" src=\"https://example.org/episode-12.mp3\">"
    ));
    assert!(html.contains("controls preload=\"none\" src=\"../../packs/media/interview.m4a\">"));
    assert!(html.contains(
        "<video class=\"player player-video\" controls preload=\"metadata\" src=\"../../packs/media/media/lesson.mp4\">\
         <track kind=\"captions\" src=\"../../packs/media/media/lesson.vtt\" srclang=\"en\" label=\"Captions\" default>"
    ));
    assert!(
        html.contains(">Captions file<"),
        "the captions are linked visibly"
    );
    assert_eq!(
        html.matches("class=\"player ").count(),
        5,
        "the article has no player"
    );

    // Two resources with the same title still get their own progress key.
    assert!(html.contains("data-resource=\"a-plain-article\""));
    assert!(html.contains("data-resource=\"a-plain-article-2\""));
    let broken = broken_internal_links(&site.path("public"));
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn no_page_has_an_inline_script_style_or_event_handler() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(site.path("public")) {
        let entry = entry.expect("walk the output");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("read a page");
        let name = entry.path().display().to_string();
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap_or(0)];
            if !tag.contains(" src=") {
                found.push(format!("{name}: inline script"));
            }
        }
        if html.contains("<style") || html.contains(" style=") {
            found.push(format!("{name}: inline style"));
        }
        let lower = html.to_ascii_lowercase();
        for handler in [
            " onclick=",
            " onload=",
            " onerror=",
            " onchange=",
            " onsubmit=",
        ] {
            if lower.contains(handler) {
                found.push(format!("{name}: {handler}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_pack_has_a_facilitator_plan_and_the_site_a_my_learning_page() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let hours: serde_json::Value =
        serde_json::from_str(&site.run(&["hours", "--format", "json"]).ok()).expect("json");
    for pack in hours.as_array().expect("an array") {
        let slug = pack["slug"].as_str().expect("a slug");
        let plan = site.read(&format!("public/packs/{slug}/facilitator/index.html"));
        assert!(plan.contains("Workshop plan for facilitators"), "{slug}");
        assert!(plan.contains("Discussion prompts"), "{slug}");
        let page = site.read(&format!("public/packs/{slug}/index.html"));
        assert!(
            page.contains(&format!(
                "href=\"../../packs/{slug}/facilitator/index.html\""
            )),
            "{slug} links to its plan"
        );
    }
    let plan = site.read("public/packs/ell-communication/facilitator/index.html");
    // The agenda with its running clock, and the notes unfolded.
    for clock in ["0:00", "0:10", "0:30", "0:50"] {
        assert!(
            plan.contains(&format!("<td class=\"clock\">{clock}</td>")),
            "{clock}"
        );
    }
    assert!(plan.contains("Facilitator notes</h2>"));

    let learning = site.read("public/my-learning/index.html");
    assert!(learning.contains("Nothing you tick is sent anywhere"));
    assert!(learning.contains("<noscript>"));
}

#[test]
fn feeds_and_sitemap_use_full_addresses_from_base_url_while_pages_stay_relative() {
    let site = TestSite::demo();
    site.replace(
        "site.yaml",
        "base_url: \"/\"",
        "base_url: \"https://pd.example.org/district/\"",
    );
    site.run(&["build"]).ok();
    let base = "https://pd.example.org/district/";

    let atom = site.read("public/atom.xml");
    assert!(atom.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert!(atom.contains(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{base}atom.xml\"/>"
    )));
    assert!(atom.contains(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{base}packs/ell-communication/\"/>"
    )));
    assert!(atom.contains(&format!("<id>{base}packs/ell-communication/</id>")));
    assert!(atom.contains("<updated>2026-10-05T00:00:00Z</updated>"));
    // Newest first: assessment-moderation (2026-10-12) before ell (2026-10-05).
    let newest = atom.find("assessment-moderation/").expect("in the feed");
    let older = atom.find("ell-communication/").expect("in the feed");
    assert!(newest < older);

    let sitemap = site.read("public/sitemap.xml");
    for path in [
        "",
        "packs/ell-communication/",
        "packs/ell-communication/reading-rephrasing/",
        "pathways/year-of-growth/",
        "tags/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{base}{path}</loc>")),
            "{path}"
        );
    }
    assert!(
        !sitemap.contains("facilitator"),
        "plans are not for search engines"
    );

    let page = site.read("public/packs/ell-communication/index.html");
    assert!(page.contains(&format!(
        "<link rel=\"canonical\" href=\"{base}packs/ell-communication/\">"
    )));
    assert!(page.contains(&format!(
        "<meta property=\"og:url\" content=\"{base}packs/ell-communication/\">"
    )));
    assert!(page.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(page.contains("<meta name=\"description\" content=\"Practical talk moves"));
    assert!(page
        .contains("<link rel=\"icon\" href=\"../../static/favicon.svg\" type=\"image/svg+xml\">"));
    // Links between pages stay relative, so the copy on disk still works:
    // the canonical link is the only full address in an href.
    assert_eq!(page.matches(&format!("href=\"{base}")).count(), 1);
    assert!(site.path("public/static/favicon.svg").is_file());
}

#[test]
fn the_search_index_lists_every_pack_and_pathway_with_a_fragment_each() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let js = site.read("public/search-index.js");
    let json = js
        .strip_prefix("flippackSearch.index(")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("a call to flippackSearch.index");
    let index: serde_json::Value = serde_json::from_str(json).expect("JSON inside");
    let docs = index["docs"].as_array().expect("docs");
    let slugs: Vec<&str> = docs.iter().map(|d| d[1].as_str().unwrap_or("")).collect();
    for slug in [
        "ell-communication",
        "questioning-wait-time",
        "year-of-growth",
    ] {
        assert!(slugs.contains(&slug), "{slug} is not in the index");
    }
    for doc in docs {
        let folder = if doc[0] == 0 { "packs" } else { "pathways" };
        let path = format!(
            "public/search/{folder}/{}.js",
            doc[1].as_str().unwrap_or("")
        );
        assert!(
            site.read(&path).starts_with("flippackSearch.fragment("),
            "{path}"
        );
    }
    // A word that only a further page of a pack uses is in the index and
    // in that pack's fragment, with the page it comes from.
    assert!(index["terms"].as_str().unwrap_or("").contains("rysalis"));
    let fragment = site.read("public/search/packs/ell-communication.js");
    assert!(
        fragment.contains("[\"transcript-rephrasing\",\"Transcript: Rephrasing, not repeating\"")
    );
    assert!(fragment.contains("chrysalis"));

    // Documents are numbered by slug; `order` lists them as the catalog
    // does, so results with equal scores come in catalog order.
    let order = index["order"].as_str().expect("order");
    assert!(
        order.chars().all(|c| c.is_ascii_digit()),
        "one digit a document for a small site: {order}"
    );
    let by_order: Vec<&str> = order
        .chars()
        .map(|c| slugs[c.to_digit(10).unwrap() as usize])
        .collect();
    let catalog = site.read("public/index.html");
    let cards: Vec<&str> = catalog
        .split("data-card data-slug=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(&by_order[..cards.len()], &cards[..]);
    assert!(by_order[cards.len()..].contains(&"year-of-growth"));
    let mut sorted = slugs[..cards.len()].to_vec();
    sorted.sort_unstable();
    assert_eq!(
        slugs[..cards.len()],
        sorted[..],
        "packs are numbered by slug"
    );
}

#[test]
fn catalog_cards_carry_what_the_filters_need() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let html = site.read("public/index.html");
    let card = html
        .split("<article class=\"card\"")
        .find(|c| c.contains("data-slug=\"ell-communication\""))
        .expect("the ELL card");
    for attr in [
        "data-tags=\"ell|communication|equity|questioning\"",
        "data-audience=\"elementary|secondary|ell teachers|content-area teachers\"",
        "data-level=\"introductory\"",
        "data-credit=\"3\"",
        "data-minutes=\"120\"",
        "data-date=\"2026-10-05\"",
    ] {
        assert!(card.contains(attr), "{attr} missing from {card}");
    }
    assert!(html.contains("<option value=\"ell\">ELL</option>"));
    // In the page from the start (so the cards do not move when the
    // scripts start), and hidden without JavaScript by noscript.css.
    assert!(html.contains("<form class=\"filters\" data-filters action="));
    assert!(html
        .contains("<noscript><link rel=\"stylesheet\" href=\"static/noscript.css\"></noscript>"));
}

#[test]
fn a_site_theme_replaces_templates_and_static_files_one_by_one() {
    let site = TestSite::fixture("minimal");
    site.replace("site.yaml", "title: Test site", "title: Test site\ntheme: plain")
        .write(
            "themes/plain/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"plain-page\">{{ page.title }} in {{ pack.title }}</p>{% endblock main %}",
        )
        .write("themes/plain/static/style.css", "body { color: rebeccapurple; }\n")
        .write("themes/plain/static/fonts/extra.css", "/* extra */\n");
    site.run(&["build"]).ok();

    let page = site.read("public/packs/alpha/guide/index.html");
    assert!(
        page.contains("<p class=\"plain-page\">"),
        "the site's page.html is used"
    );
    assert!(
        page.contains("class=\"site-header\""),
        "its base.html is still the default"
    );
    let pack = site.read("public/packs/alpha/index.html");
    assert!(
        pack.contains("Before: study on your own"),
        "pack.html falls back"
    );
    assert_eq!(
        site.read("public/static/style.css"),
        "body { color: rebeccapurple; }\n"
    );
    assert!(site.read("public/static/site.js").contains("localStorage"));
    assert!(site.path("public/static/fonts/extra.css").is_file());
}

#[test]
fn a_theme_links_to_the_workshop_plan_by_the_address_the_pack_gives() {
    let site = TestSite::fixture("minimal");
    site.replace("site.yaml", "title: Test site", "title: Test site\ntheme: plain")
        .write(
            "themes/plain/templates/pack.html",
            "{% extends \"base.html\" %}{% block main %}<a class=\"plan\" href=\"{{ root }}{{ pack.facilitator_url }}\">Plan</a>{% endblock main %}",
        );
    site.run(&["build"]).ok();

    let pack = site.read("public/packs/alpha/index.html");
    assert!(
        pack.contains("<a class=\"plan\" href=\"../../packs/alpha/facilitator/index.html\">"),
        "the link is the plan's address from the page: {pack}"
    );
    assert!(site
        .path("public/packs/alpha/facilitator/index.html")
        .is_file());
}

/// The default catalog prints only each card's HTML, which a build splices
/// in; a theme's catalog may read any field of a card instead.
#[test]
fn a_theme_catalog_may_read_every_field_of_a_card() {
    let site = TestSite::fixture("minimal");
    site.replace("site.yaml", "title: Test site", "title: Test site\ntheme: plain")
        .write(
            "themes/plain/templates/index.html",
            "{% extends \"base.html\" %}{% block main %}<ul>{% for pack in packs %}\
             <li data-slug=\"{{ pack.slug }}\">{{ pack.title }}: {{ pack.credit.credit_hours }} h</li>\
             {{ pack.html | safe }}{% endfor %}</ul>{% endblock main %}",
        );
    site.run(&["build"]).ok();
    let catalog = site.read("public/index.html");
    assert!(
        catalog.contains("<li data-slug=\"alpha\">"),
        "the card's fields are there: {catalog}"
    );
    assert!(
        catalog.contains("data-card data-slug=\"alpha\""),
        "and its HTML"
    );
}

#[test]
fn a_theme_that_is_not_there_is_named_in_the_error() {
    let site = TestSite::fixture("minimal");
    site.replace(
        "site.yaml",
        "title: Test site",
        "title: Test site\ntheme: plian",
    );
    let stderr = site.run(&["build"]).fails();
    assert!(stderr.contains("themes/plian/"), "{stderr}");
}

#[test]
fn a_theme_gets_the_sites_own_addresses_as_paths() {
    let site = TestSite::fixture("minimal");
    site.replace("site.yaml", "title: Test site", "title: Test site\ntheme: plain")
        .write(
            "themes/plain/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<ul class=\"paths\">\
             <li><a href=\"{{ root }}{{ paths.catalog }}\">Catalog</a></li>\
             <li><a href=\"{{ root }}{{ paths.tags }}\">Tags</a></li>\
             <li><a href=\"{{ root }}{{ paths.my_learning }}\">Mine</a></li>\
             <li><a href=\"{{ root }}{{ paths.feed }}\">Feed</a></li>\
             <li><a href=\"{{ root }}{{ paths.static }}style.css\">Style</a></li>\
             <li><a href=\"{{ root }}{{ paths.search_index }}\">Index</a></li>\
             <li>{% if current_url is starting_with(paths.tags_folder) %}a tag page{% else %}not a tag page{% endif %}</li>\
             </ul>{% endblock main %}",
        );
    site.run(&["build"]).ok();

    let page = site.read("public/packs/alpha/guide/index.html");
    for link in [
        "href=\"../../../index.html\"",
        "href=\"../../../tags/index.html\"",
        "href=\"../../../my-learning/index.html\"",
        "href=\"../../../atom.xml\"",
        "href=\"../../../static/style.css\"",
        "href=\"../../../search-index.js\"",
    ] {
        assert!(page.contains(link), "{link} in:\n{page}");
    }
    assert!(page.contains("<li>not a tag page</li>"), "{page}");
    for address in [
        "index.html",
        "tags/index.html",
        "my-learning/index.html",
        "atom.xml",
        "static/style.css",
        "search-index.js",
    ] {
        assert!(site.path("public").join(address).is_file(), "{address}");
    }
}

#[test]
fn the_search_index_carries_the_addresses_the_search_script_links_to() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let js = site.read("public/search-index.js");
    let json = js
        .strip_prefix("flippackSearch.index(")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("a call to flippackSearch.index");
    let index: serde_json::Value = serde_json::from_str(json).expect("JSON inside");
    let paths = &index["paths"];
    let fill = |pattern: &serde_json::Value, slug: &str, page: &str| {
        pattern
            .as_str()
            .unwrap_or_else(|| panic!("a pattern, not {pattern}"))
            .replace("{slug}", slug)
            .replace("{page}", page)
    };
    for doc in index["docs"].as_array().expect("docs") {
        let kind = doc[0].as_u64().expect("a kind") as usize;
        let slug = doc[1].as_str().expect("a slug");
        let page = fill(&paths["doc"][kind], slug, "");
        let fragment = fill(&paths["fragment"][kind], slug, "");
        assert!(site.path("public").join(&page).is_file(), "{page}");
        let text = site.read(&format!("public/{fragment}"));
        assert!(
            text.starts_with(&format!("flippackSearch.fragment([\"{fragment}\"")),
            "{fragment} names itself: {text}"
        );
    }
    let page = fill(&paths["page"], "ell-communication", "transcript-rephrasing");
    assert_eq!(
        page,
        "packs/ell-communication/transcript-rephrasing/index.html"
    );
    assert!(site.path("public").join(&page).is_file());
}

#[test]
fn the_default_theme_spells_no_address_of_the_site_by_hand() {
    let theme = common::repo_root().join("themes/default");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(theme.join("templates")).expect("the templates") {
        let path = entry.expect("a template").path();
        let text = std::fs::read_to_string(&path).expect("a template's text");
        for spelt in [
            "{{ root }}index.html",
            "{{ root }}tags/",
            "{{ root }}my-learning/",
            "{{ root }}atom.xml",
            "{{ root }}static/",
            "\"index.html\"",
            "\"tags/\"",
            "\"my-learning/index.html\"",
        ] {
            if text.contains(spelt) {
                found.push(format!("{}: {spelt}", path.display()));
            }
        }
    }
    let search = std::fs::read_to_string(theme.join("static/search.js")).expect("search.js");
    for spelt in [
        "\"packs/\"",
        "\"pathways/\"",
        "\"search/\"",
        "\"/index.html\"",
        "\"index.html\"",
        "\".js\"",
    ] {
        if search.contains(spelt) {
            found.push(format!("search.js: {spelt}"));
        }
    }
    assert!(
        found.is_empty(),
        "addresses come from the site's layout (`paths`, the search index), not from the theme:\n{}",
        found.join("\n")
    );
}

/// The `<article class="card" …>` of `slug` in `html`.
fn card_of<'a>(html: &'a str, slug: &str) -> &'a str {
    html.split("<article class=\"card\"")
        .find(|c| c.contains(&format!("data-slug=\"{slug}\"")))
        .and_then(|c| c.split("</article>").next())
        .unwrap_or_else(|| panic!("no card for {slug}"))
}

#[test]
fn drafts_shown_with_drafts_say_so_on_their_card_and_page() {
    let site = TestSite::demo();
    site.run(&["build", "--drafts"]).ok();
    let catalog = site.read("public/index.html");
    let draft_card = card_of(&catalog, "feedback-conferences");
    assert!(
        draft_card.contains("<span class=\"badge badge-draft\">Draft</span>"),
        "the draft's card has no Draft badge: {draft_card}"
    );
    let published_card = card_of(&catalog, "questioning-wait-time");
    assert!(!published_card.contains("badge-draft"), "{published_card}");

    let draft = site.read("public/packs/feedback-conferences/index.html");
    assert!(
        draft.contains("<span class=\"badge badge-draft\">Draft</span>"),
        "the draft's page has no Draft badge"
    );
    assert!(
        !draft.contains("Published"),
        "a draft's page says it is published"
    );
    // Its date is still shown, without the claim.
    assert!(
        draft.contains("<time datetime=\"2026-11-02\">"),
        "the draft's date is gone"
    );

    let published = site.read("public/packs/questioning-wait-time/index.html");
    assert!(
        published.contains("<span class=\"label\">Published</span> <time datetime=\"2026-09-08\">")
    );
    assert!(!published.contains("badge-draft"));
}

/// The lead sentence of a pack page's self-study.
fn self_study_lead(html: &str) -> &str {
    let start = html
        .find("<h2 id=\"before-heading\">")
        .expect("the self-study section");
    let lead = &html[start..];
    let from = lead.find("<p class=\"phase-lead\">").expect("a lead");
    let lead = &lead[from..];
    &lead[..lead.find("</p>").expect("the lead ends")]
}

#[test]
fn resources_are_in_any_order_unless_the_pack_asks_for_one() {
    let site = TestSite::demo();
    site.replace(
        "content/packs/questioning-wait-time/pack.md",
        "\ntitle: Questioning and wait time\n",
        "\ntitle: Questioning and wait time\nordered: true\n",
    )
    .replace(
        "content/packs/rti-rollout/pack.md",
        "\nordered: true\n",
        "\nordered: false\n",
    );
    site.run(&["build"]).ok();
    let free = site.read("public/packs/rti-rollout/index.html");
    let lead = self_study_lead(&free);
    assert!(
        lead.contains("in any order") && lead.contains("suggested order"),
        "a pack without `ordered` leaves the order to the teacher: {lead}"
    );
    assert!(
        !lead.contains("Work through the resources in order"),
        "{lead}"
    );
    let ordered = site.read("public/packs/questioning-wait-time/index.html");
    let lead = self_study_lead(&ordered);
    assert!(
        lead.contains("Work through the resources in the order given")
            && !lead.contains("any order"),
        "`ordered: true` asks for the order: {lead}"
    );
}

/// The part of `html` from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn the_workshop_plan_links_the_pre_work_and_prints_no_empty_notes_column() {
    let site = TestSite::demo();
    site.run(&["build", "--drafts"]).ok();
    let plan = site.read("public/packs/ell-communication/facilitator/index.html");
    let pre_work = between(&plan, "id=\"prepared-heading\"", "</ol>");
    let items = pre_work.matches("<li>").count();
    assert!(items >= 3, "{pre_work}");
    assert_eq!(
        pre_work.matches("<li><a href=\"").count(),
        items,
        "every resource of the pre-work is a link: {pre_work}"
    );
    assert!(
        pre_work.contains(
            "<a href=\"../../../packs/ell-communication/reading-rephrasing/index.html\">"
        ),
        "a page of the pack is linked from the plan's folder: {pre_work}"
    );
    assert!(
        plan.contains("<th scope=\"col\">Notes</th>"),
        "an agenda with notes keeps the column"
    );

    // The draft's agenda has no notes at all.
    let plan = site.read("public/packs/feedback-conferences/facilitator/index.html");
    let agenda = between(&plan, "id=\"agenda-heading\"", "</table>");
    assert!(
        agenda.contains("<th scope=\"col\">Activity</th>"),
        "{agenda}"
    );
    assert!(
        !agenda.contains("Notes"),
        "an agenda without notes prints an empty Notes column: {agenda}"
    );
    assert!(!agenda.contains("<td></td>"), "{agenda}");
}
