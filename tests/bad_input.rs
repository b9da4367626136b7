//! Content written in a hurry: every kind of mistake gets a plain message
//! with file and line, a non-zero exit, and never a panic.

mod common;

use common::TestSite;

const PACK: &str = "content/packs/alpha/pack.md";

/// Builds the minimal fixture after `edit`, expecting failure with each
/// of `expected` in the error output.
fn fails_with(edit: impl FnOnce(&TestSite), expected: &[&str]) -> String {
    let site = TestSite::fixture("minimal");
    edit(&site);
    let stderr = site.run(&["build"]).fails();
    for fragment in expected {
        assert!(
            stderr.contains(fragment),
            "expected {fragment:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!site.path("public").exists(), "nothing is written");
    stderr
}

#[test]
fn unknown_key_with_suggestion_and_line() {
    fails_with(
        |s| {
            s.replace(PACK, "    duration: 60m", "    duraton: 60m");
        },
        &[
            "error[unknown-key]",
            "unknown key `duraton`",
            "--> content/packs/alpha/pack.md:10:",
            "duraton: 60m",
            "did you mean `duration`?",
        ],
    );
}

#[test]
fn yaml_syntax_error_points_at_the_line_in_the_file() {
    fails_with(
        |s| {
            s.replace(PACK, "tags: [Routines]", "tags: [Routines");
        },
        &["content/packs/alpha/pack.md:"],
    );
}

#[test]
fn wrong_type() {
    fails_with(
        |s| {
            s.replace(PACK, "    captions: true", "    captions: sometimes");
        },
        &["content/packs/alpha/pack.md:11:", "expected true or false"],
    );
}

#[test]
fn bad_duration_lists_the_accepted_forms() {
    fails_with(
        |s| {
            s.replace(PACK, "duration: 60m", "duration: an hour");
        },
        &[
            "content/packs/alpha/pack.md:10:",
            "`an hour` is not a duration",
            "PT14M30S",
        ],
    );
    fails_with(
        |s| {
            s.replace(PACK, "duration: 60m", "duration: 0");
        },
        &["must be more than zero"],
    );
}

#[test]
fn missing_required_keys() {
    fails_with(
        |s| {
            s.replace(PACK, "goal: Teachers can run the alpha routine.\n", "");
        },
        &["missing required key `goal`"],
    );
    fails_with(
        |s| {
            s.replace(PACK, "  prompts:\n    - What did you notice?\n", "");
        },
        &["content/packs/alpha/pack.md:16", "no discussion `prompts`"],
    );
}

#[test]
fn not_utf8_empty_and_missing_front_matter() {
    fails_with(
        |s| {
            s.write(PACK, b"---\ntitle: Caf\xe9\n---\n");
        },
        &["content/packs/alpha/pack.md:2:", "not UTF-8"],
    );
    fails_with(
        |s| {
            s.write(PACK, "");
        },
        &["content/packs/alpha/pack.md", "no front matter"],
    );
    fails_with(
        |s| {
            s.write(PACK, "---\ntitle: Alpha\n# never closed\n");
        },
        &["content/packs/alpha/pack.md:1", "never closed"],
    );
    fails_with(
        |s| {
            s.write(PACK, "---\n---\n");
        },
        &["missing required key `title`"],
    );
}

#[test]
fn folder_without_pack_md_and_bad_slug() {
    fails_with(
        |s| {
            s.write("content/packs/empty/notes.txt", "x");
        },
        &["content/packs/empty", "no `pack.md`"],
    );
    fails_with(
        |s| {
            s.write("content/packs/Bad_Slug/pack.md", s.read(PACK));
        },
        &["`Bad_Slug` is not a valid pack folder name", "bad-slug"],
    );
}

#[test]
fn resource_targets() {
    fails_with(
        |s| {
            s.replace(
                PACK,
                "    page: guide.md",
                "    page: guide.md\n    url: https://example.org/g",
            );
        },
        &["content/packs/alpha/pack.md:", "has both `url` and `page`"],
    );
    fails_with(
        |s| {
            s.replace(PACK, "    page: guide.md", "    page: gide.md");
        },
        &[
            "content/packs/alpha/pack.md:14:5",
            "no page `gide.md`",
            "did you mean `guide.md`?",
        ],
    );
    fails_with(
        |s| {
            s.replace(PACK, "    page: guide.md", "    page: ../../../site.yaml");
        },
        &[
            "content/packs/alpha/pack.md:14:5",
            "points outside the pack folder",
        ],
    );
    fails_with(
        |s| {
            s.replace(
                PACK,
                "    page: guide.md\n    duration: 1h",
                "    url: https://example.org/g",
            );
        },
        &["has no duration", "add `duration:`"],
    );
    fails_with(
        |s| {
            s.replace(
                PACK,
                "url: https://example.org/alpha",
                "url: javascript:alert(1)",
            );
        },
        &["is not a web address"],
    );
}

#[test]
fn workshop_duration_that_disagrees_with_the_agenda_shows_both() {
    fails_with(
        |s| {
            s.replace(
                PACK,
                "  format: online",
                "  format: online\n  duration: 45m",
            );
        },
        &[
            "content/packs/alpha/pack.md:18:3",
            "is 45 minutes but its agenda adds up to 60 minutes",
        ],
    );
}

#[test]
fn pathway_naming_a_missing_pack() {
    fails_with(
        |s| {
            s.replace("content/pathways/starter.md", "pack: alpha", "pack: alpah");
        },
        &[
            "content/pathways/starter.md:4:5",
            "there is no pack `alpah`",
            "did you mean `alpha`?",
        ],
    );
}

#[test]
fn empty_pathway_title_asks_for_the_pathways_title() {
    let stderr = fails_with(
        |s| {
            s.replace(
                "content/pathways/starter.md",
                "title: Starter pathway",
                "title: \"  \"",
            );
        },
        &[
            "error[empty-value]",
            "--> content/pathways/starter.md:2:",
            "`title` is empty",
            "help: write the pathway's title",
        ],
    );
    assert!(!stderr.contains("pack's title"), "{stderr}");
}

#[test]
fn tags_that_differ_only_in_spelling() {
    fails_with(
        |s| {
            s.write(
                "content/packs/beta/pack.md",
                s.read(PACK)
                    .replace("[Routines]", "[routines!]")
                    .replace("page: guide.md", "url: https://example.org/b"),
            );
        },
        &[
            "content/packs/beta/pack.md:5:1",
            "the tag `routines!` is spelt `Routines`",
            "tags/routines/",
        ],
    );
}

#[test]
fn broken_markdown_links() {
    fails_with(
        |s| {
            s.replace(
                PACK,
                "See [the guide](guide.md).",
                "See [the guide](guid.md).",
            );
        },
        &[
            "content/packs/alpha/pack.md:26:25",
            "`guid.md` links to `content/packs/alpha/guid.md`",
        ],
    );
}

#[test]
fn misplaced_files_and_reserved_names() {
    fails_with(
        |s| {
            s.write("content/about.md", "# About");
        },
        &["content/about.md", "does not know where to publish"],
    );
    fails_with(
        |s| {
            s.write("content/packs/alpha/facilitator.md", "# F");
        },
        &["facilitator.md", "cannot be published under this name"],
    );
    fails_with(
        |s| {
            s.write("content/index.html", "x");
        },
        &["content/index.html", "name the generated site uses"],
    );
}

#[test]
fn a_pack_file_named_like_the_packs_calendar_is_refused() {
    // The pack's calendar is published as packs/<slug>/<slug>.ics: a
    // coach's own file there would be silently replaced by it.
    fails_with(
        |s| {
            s.write("content/packs/alpha/alpha.ics", "BEGIN:VCALENDAR\r\n");
        },
        &[
            "reserved-name",
            "content/packs/alpha/alpha.ics",
            "calendar",
            "help:",
        ],
    );
    // Another calendar file of the pack is its own to publish.
    let site = TestSite::fixture("minimal");
    site.write("content/packs/alpha/term-dates.ics", "BEGIN:VCALENDAR\r\n");
    site.run(&["build"]).ok();
    assert!(site.path("public/packs/alpha/term-dates.ics").exists());
}

#[test]
fn bad_site_yaml() {
    fails_with(
        |s| {
            s.write("site.yaml", "title: T\ncredit:\n  incremnt: tenth\n");
        },
        &["site.yaml:3:", "did you mean `increment`?"],
    );
    fails_with(
        |s| {
            s.write("site.yaml", "reading_wpm: fast\n");
        },
        &["site.yaml:1:"],
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let stderr = fails_with(
        |s| {
            s.replace(PACK, "    page: guide.md", "    page: gide.md");
            s.replace(
                PACK,
                "  format: online",
                "  format: online\n  duration: 45m",
            );
            s.replace(
                "content/pathways/starter.md",
                "title: Starter pathway",
                "titel: Starter pathway",
            );
            s.write("content/packs/other/pack.md", "no front matter here");
        },
        &[
            "gide.md",
            "45 minutes",
            "titel",
            "content/packs/other/pack.md",
        ],
    );
    assert!(stderr.contains("4 errors"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported() {
    fails_with(
        |s| {
            std::os::unix::fs::symlink(
                s.path("content/packs/alpha"),
                s.path("content/packs/alpha/loop"),
            )
            .unwrap();
        },
        &["symlink loop"],
    );
}

#[test]
fn huge_file_is_refused_with_a_reason() {
    fails_with(
        |s| {
            let big = "word ".repeat(2 * 1024 * 1024);
            s.write("content/packs/alpha/guide.md", big);
        },
        &[
            "content/packs/alpha/guide.md",
            "Markdown files are limited to 1 MB",
        ],
    );
}

#[test]
fn every_unknown_key_of_a_pack_is_reported_with_its_line() {
    let stderr = fails_with(
        |s| {
            s.replace(
                PACK,
                "tags: [Routines]",
                "tags: [Routines]\nlevle: introductory",
            );
            s.replace(PACK, "    captions: true", "    captons: true");
            s.replace(PACK, "  format: online", "  formt: online");
        },
        &[
            "unknown key `levle`",
            "--> content/packs/alpha/pack.md:6:1",
            "did you mean `level`?",
            "unknown key `captons` in `self_study[0]`",
            "--> content/packs/alpha/pack.md:12:5",
            "did you mean `captions`?",
            "unknown key `formt` in `workshop`",
            "--> content/packs/alpha/pack.md:18:3",
            "did you mean `format`?",
        ],
    );
    assert!(stderr.contains("3 errors in 1 pack"), "{stderr}");
}

#[test]
fn not_utf8_points_at_the_first_bad_byte() {
    // In characters: `é` before the bad byte is one column, not two bytes.
    fails_with(
        |s| {
            s.write(PACK, b"---\ntitle: Caf\xc3\xa9 au lait \xff\n---\n");
        },
        &["content/packs/alpha/pack.md:2:21", "not UTF-8"],
    );
    fails_with(
        |s| {
            s.write("site.yaml", b"title: T\ndescription: Caf\xe9\n");
        },
        &["error[not-utf8]", "--> site.yaml:2:17", "not UTF-8"],
    );
}

#[test]
fn a_missing_theme_names_the_line_and_the_themes_there_are() {
    let stderr = fails_with(
        |s| {
            s.write("site.yaml", "title: T\ntheme: nosuch\n");
            s.write(
                "themes/district/templates/base.html",
                "{% block main %}{% endblock main %}",
            );
        },
        &[
            "error[theme-missing]",
            "there is no theme `nosuch`",
            "--> site.yaml:2:8",
            "`district`",
            "`default`",
        ],
    );
    assert!(!stderr.contains("fix the template"), "{stderr}");
}

#[test]
fn html_in_a_front_matter_field_is_reported_on_its_own_line() {
    fails_with(
        |s| {
            s.replace(
                PACK,
                "goal: Teachers can run the alpha routine.",
                "goal: \"<img src=x onerror=alert(1)>\"",
            );
        },
        &[
            "error[broken-link]",
            "--> content/packs/alpha/pack.md:4:8",
            "`x` links to",
        ],
    );
}

#[test]
fn old_mac_and_windows_line_ends_give_the_line_an_editor_shows() {
    for line_end in ["\r", "\r\n"] {
        let stderr = fails_with(
            |s| {
                let text = s
                    .read(PACK)
                    .replace("    duration: 60m", "    duraton: 60m");
                s.write(PACK, text.replace('\n', line_end));
            },
            &[
                "unknown key `duraton`",
                "--> content/packs/alpha/pack.md:10:",
            ],
        );
        assert!(!stderr.contains('\r'), "{stderr:?}");
    }
}

#[test]
fn a_bad_date_is_reported_on_its_own_line() {
    fails_with(
        |s| {
            s.replace(
                PACK,
                "summary: A small pack for tests.",
                "summary: A small pack for tests.\ndate: 2024-13-45",
            );
        },
        &[
            "error[invalid-value]",
            "`2024-13-45` is not a date",
            "--> content/packs/alpha/pack.md:4:7",
            "date: 2024-13-45",
            "write dates as YYYY-MM-DD",
        ],
    );
}
