//! `flippack init` and `flippack new` on real folders: a new site builds
//! and checks clean at once, existing files are never overwritten, and bad
//! names are refused with the reason.

mod common;

use std::path::Path;

use common::TestSite;

/// Runs `flippack ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> common::Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run flippack");
    common::Run(output)
}

const STARTER_FILES: &[&str] = &[
    "site.yaml",
    ".gitignore",
    "content/_index.md",
    "content/packs/exit-tickets/pack.md",
    "content/packs/exit-tickets/reading-exit-tickets.md",
    "content/pathways/getting-started.md",
];

#[test]
fn init_then_build_then_strict_check_succeed_with_no_findings() {
    let folder = TestSite::empty();
    let stdout = folder.run(&["init", "my-site"]).ok();
    for file in STARTER_FILES {
        assert!(folder.path("my-site").join(file).is_file(), "{file}");
        assert!(stdout.contains(file), "{stdout}");
    }
    assert!(stdout.contains("cd my-site"), "{stdout}");

    let site = folder.path("my-site");
    let build = run_in(&site, &["build"]);
    assert!(build.success(), "{}", build.stderr());
    assert_eq!(build.stderr(), "", "no warnings");
    for page in [
        "public/index.html",
        "public/packs/exit-tickets/index.html",
        "public/packs/exit-tickets/reading-exit-tickets/index.html",
        "public/pathways/getting-started/index.html",
        "public/hours.csv",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
    assert!(
        common::broken_internal_links(&site.join("public")).is_empty(),
        "{:?}",
        common::broken_internal_links(&site.join("public"))
    );

    let check = run_in(&site, &["check", "--strict", "--format", "json"]);
    assert!(check.success(), "{}", check.stderr());
    let findings: serde_json::Value =
        serde_json::from_str(&check.stdout()).expect("check prints JSON");
    // The example pack's addresses are on example.org, and site.yaml says
    // so: one note, never a failure.
    let findings = findings.as_array().expect("an array");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["code"], "example-site");
    assert_eq!(findings[0]["severity"], "info");
    assert_eq!(findings[0]["file"], "site.yaml");
    assert!(
        check.stderr().contains("no errors or warnings"),
        "{}",
        check.stderr()
    );
}

#[test]
fn every_site_yaml_key_is_explained() {
    let folder = TestSite::empty();
    folder.run(&["init"]).ok();
    let yaml = folder.read("site.yaml");
    let lines: Vec<&str> = yaml.lines().collect();
    for key in [
        "title:",
        "description:",
        "base_url:",
        "language:",
        "theme:",
        "reading_wpm:",
        "credit:",
        "minutes_per_hour:",
        "increment:",
        "round:",
        "include_application:",
        "minutes_per_question:",
        "id:",
    ] {
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("site.yaml has no `{key}`"));
        assert!(
            at > 0 && lines[at - 1].trim_start().starts_with('#'),
            "`{key}` has a comment above it"
        );
    }
    assert_eq!(
        folder.read(".gitignore").trim_end().lines().last(),
        Some("/public")
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let folder = TestSite::empty();
    folder.write("notes.txt", "my notes");
    let stderr = folder.run(&["init"]).fails();
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert!(stderr.contains("`notes.txt`"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(!folder.path("site.yaml").exists(), "nothing was written");
    assert!(!folder.path("content").exists(), "nothing was written");
}

#[test]
fn init_force_adds_only_missing_files() {
    let folder = TestSite::empty();
    folder.write("site.yaml", "title: Our district\n");
    folder.write("content/_index.md", "# Our own intro\n");
    let stdout = folder.run(&["init", ".", "--force"]).ok();
    assert_eq!(folder.read("site.yaml"), "title: Our district\n");
    assert_eq!(folder.read("content/_index.md"), "# Our own intro\n");
    assert!(folder.path("content/packs/exit-tickets/pack.md").is_file());
    assert!(
        stdout.contains("Kept these files as they were:"),
        "{stdout}"
    );
    assert!(stdout.contains("  site.yaml"), "{stdout}");
    folder.run(&["build"]).ok();
}

#[test]
fn a_folder_holding_only_git_counts_as_empty() {
    let folder = TestSite::empty();
    folder.write(".git/HEAD", "ref: refs/heads/main\n");
    folder.run(&["init"]).ok();
    assert!(folder.path("site.yaml").is_file());
}

/// A fresh starter site.
fn starter() -> TestSite {
    let site = TestSite::empty();
    site.run(&["init"]).ok();
    site
}

#[test]
fn new_pack_is_a_draft_that_checks_clean() {
    let site = starter();
    let stdout = site
        .run(&[
            "new",
            "pack",
            "wait-time",
            "--title",
            "Questioning: \"wait\" time",
        ])
        .ok();
    assert!(
        stdout.contains("Created content/packs/wait-time/pack.md"),
        "{stdout}"
    );
    let text = site.read("content/packs/wait-time/pack.md");
    assert!(
        text.contains("title: \"Questioning: \\\"wait\\\" time\""),
        "{text}"
    );
    for key in [
        "summary:",
        "goal:",
        "problem:",
        "audience:",
        "tags:",
        "level:",
        "authors:",
        "date:",
        "updated:",
        "draft: true",
        "weight:",
        "self_study:",
        "kind:",
        "url:",
        "duration:",
        "optional:",
        "captions:",
        "transcript:",
        "note:",
        "workshop:",
        "format:",
        "agenda:",
        "minutes:",
        "prompts:",
        "facilitator_notes:",
        "application:",
        "task:",
        "evidence:",
        "reflection:",
    ] {
        assert!(text.contains(key), "the template has `{key}`");
    }

    // A draft may hold the template's placeholders: they are warnings
    // while it is one, so only --strict fails on them.
    site.run(&["check", "--drafts"]).ok();
    let stderr = site.run(&["check", "--strict", "--drafts"]).fails();
    assert!(stderr.contains("warning[placeholder]"), "{stderr}");
    site.run(&["build"]).ok();
    assert!(
        !site.path("public/packs/wait-time").exists(),
        "a draft is left out"
    );
    site.run(&["build", "--drafts"]).ok();
    let page = site.read("public/packs/wait-time/index.html");
    assert!(
        page.contains("Questioning: &quot;wait&quot; time"),
        "the title is shown"
    );
}

#[test]
fn new_pack_title_defaults_to_the_slug() {
    let site = starter();
    site.run(&["new", "pack", "wait-time"]).ok();
    assert!(site
        .read("content/packs/wait-time/pack.md")
        .contains("title: \"Wait time\""));
}

#[test]
fn new_refuses_bad_slugs_with_the_reason() {
    let site = starter();
    let cases = [
        (
            "Wait Time",
            "names are written in lower case; try `wait-time`",
        ),
        (
            "wait time",
            "names cannot contain spaces; use hyphens between words; try `wait-time`",
        ),
        (
            "wait_time",
            "use only lower-case letters a-z, digits and hyphens; try `wait-time`",
        ),
        (
            "../outside",
            "a name is a single folder or file name, not a path",
        ),
        (
            "wait-",
            "a name cannot start or end with a hyphen; try `wait`",
        ),
        (
            "wait--time",
            "use single hyphens between words; try `wait-time`",
        ),
    ];
    for (slug, reason) in cases {
        for kind in ["pack", "pathway"] {
            let stderr = site.run(&["new", kind, slug]).fails();
            assert!(
                stderr.contains(&format!(
                    "`{slug}` cannot be used as a {kind} name: {reason}"
                )),
                "{slug}: {stderr}"
            );
        }
    }
    let packs = std::fs::read_dir(site.path("content/packs"))
        .expect("packs")
        .count();
    assert_eq!(packs, 1, "nothing was created");
}

#[test]
fn new_refuses_existing_names() {
    let site = starter();
    let stderr = site.run(&["new", "pack", "exit-tickets"]).fails();
    assert!(
        stderr.contains("a pack named `exit-tickets` already exists"),
        "{stderr}"
    );
    let stderr = site.run(&["new", "pathway", "getting-started"]).fails();
    assert!(
        stderr.contains("a pathway named `getting-started` already exists"),
        "{stderr}"
    );
    assert!(site
        .read("content/pathways/getting-started.md")
        .contains("title: Getting started"));
}

#[test]
fn new_needs_a_site() {
    let folder = TestSite::empty();
    let stderr = folder.run(&["new", "pack", "wait-time"]).fails();
    assert!(stderr.contains("is not a flippack site"), "{stderr}");
    assert!(stderr.contains("--root"), "{stderr}");
    assert!(!folder.path("content").exists());

    folder.run(&["init", "site"]).ok();
    folder
        .run(&["new", "pack", "wait-time", "--root", "site"])
        .ok();
    assert!(folder
        .path("site/content/packs/wait-time/pack.md")
        .is_file());
}

#[test]
fn new_pathway_lists_the_packs_and_checks_clean() {
    let site = starter();
    site.run(&["new", "pack", "wait-time"]).ok();
    let stdout = site.run(&["new", "pathway", "year-of-growth"]).ok();
    assert!(
        stdout.contains("Created content/pathways/year-of-growth.md"),
        "{stdout}"
    );
    let text = site.read("content/pathways/year-of-growth.md");
    assert!(text.contains("title: \"Year of growth\""), "{text}");
    assert!(text.contains("  - pack: exit-tickets\n"), "{text}");
    assert!(text.contains("  - pack: wait-time\n"), "{text}");
    site.run(&["check", "--drafts"]).ok();
}

#[test]
fn new_pathway_needs_a_pack() {
    let site = TestSite::empty();
    site.write("site.yaml", "title: Empty\n");
    let stderr = site.run(&["new", "pathway", "year"]).fails();
    assert!(stderr.contains("flippack new pack SLUG"), "{stderr}");
    assert!(!site.path("content/pathways/year.md").exists());
}

#[test]
fn init_writes_a_site_id_of_its_own_for_each_site() {
    let folder = TestSite::empty();
    folder.run(&["init", "one"]).ok();
    folder.run(&["init", "two"]).ok();
    let id_of = |site: &str| {
        let yaml = folder.read(&format!("{site}/site.yaml"));
        let line = yaml
            .lines()
            .find(|l| l.starts_with("id: "))
            .unwrap_or_else(|| panic!("no `id:` in {yaml}"))
            .to_string();
        line["id: ".len()..].to_string()
    };
    let (one, two) = (id_of("one"), id_of("two"));
    for id in [&one, &two] {
        assert!(id.starts_with("site-") && id.len() == 21, "{id}");
        assert!(id[5..].bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    assert_ne!(one, two, "two sites, two ids");
}

/// The placeholder texts of the `new pack` template, as a coach sees
/// them in the file.
const PACK_PLACEHOLDERS: &[&str] = &[
    "One sentence that tells a teacher what this pack is about.",
    "Teachers can ...",
    "The first resource",
    "https://example.org/replace-with-the-address",
    "Describe the classroom task here.",
    "The pack's overview, in Markdown",
    "Link to a page of this pack as",
];

/// The 1-based line of `text` where `needle` is.
fn line_of(text: &str, needle: &str) -> u64 {
    let at = text.lines().position(|l| l.contains(needle));
    at.unwrap_or_else(|| panic!("the file has no {needle:?}")) as u64 + 1
}

#[test]
fn a_published_new_pack_fails_strict_check_and_build_naming_every_placeholder() {
    let site = starter();
    site.run(&["new", "pack", "wait-time"]).ok();
    let pack = "content/packs/wait-time/pack.md";
    site.replace(pack, "draft: true\n", "");
    let text = site.read(pack);

    let run = site.run(&["check", "--strict", "--format", "json"]);
    assert!(!run.success(), "{}", run.stderr());
    let findings: serde_json::Value = serde_json::from_str(&run.stdout()).expect("JSON");
    let placeholders: Vec<&serde_json::Value> = findings
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| f["code"] == "placeholder")
        .collect();
    for needle in PACK_PLACEHOLDERS {
        let line = line_of(&text, needle);
        assert!(
            placeholders
                .iter()
                .any(|f| f["file"] == pack && f["line"] == line && f["severity"] == "warning"),
            "no placeholder finding at {pack}:{line} ({needle}): {findings:#}"
        );
    }
    assert_eq!(placeholders.len(), PACK_PLACEHOLDERS.len(), "{findings:#}");
    assert!(
        !findings
            .as_array()
            .expect("an array")
            .iter()
            .any(|f| f["code"] == "example-address" && f["file"] == pack),
        "the template's address is named once, as a placeholder: {findings:#}"
    );

    let stderr = site.run(&["check", "--strict"]).fails();
    let summary_line = line_of(&text, PACK_PLACEHOLDERS[0]);
    assert!(
        stderr.contains(&format!("--> {pack}:{summary_line}:")),
        "{stderr}"
    );
    assert!(stderr.contains("= help: "), "{stderr}");

    // A build publishes nothing while a placeholder is left, unless it is
    // a preview of drafts.
    let stderr = site.run(&["build"]).fails();
    assert!(stderr.contains("error[placeholder]"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!site.path("public").exists());
    let build = site.run(&["build", "--drafts"]);
    assert!(build.success(), "{}", build.stderr());
    assert!(
        build.stderr().contains("warning[placeholder]"),
        "{}",
        build.stderr()
    );
}

#[test]
fn a_published_new_pathway_names_its_placeholders() {
    let site = starter();
    site.run(&["new", "pathway", "year-of-growth"]).ok();
    let file = "content/pathways/year-of-growth.md";
    site.replace(file, "draft: true\n", "");
    let text = site.read(file);
    let stderr = site.run(&["check", "--strict"]).fails();
    for needle in [
        "One sentence that says who this series is for",
        "Who the series is for, how the packs build on each other",
    ] {
        let line = line_of(&text, needle);
        assert!(
            stderr.contains(&format!("--> {file}:{line}:")),
            "{line}: {stderr}"
        );
    }
}

#[test]
fn init_force_on_a_complete_site_adds_nothing_and_says_so() {
    let folder = TestSite::empty();
    folder.run(&["init"]).ok();
    let stdout = folder.run(&["init", ".", "--force"]).ok();
    assert!(!stdout.contains("Created"), "{stdout}");
    assert!(
        stdout.starts_with("Nothing to add: . already has every file of a new site"),
        "{stdout}"
    );
}

#[test]
fn a_new_site_gets_its_own_title() {
    let folder = TestSite::empty();
    folder.run(&["init", "lincoln-pd"]).ok();
    let yaml = folder.read("lincoln-pd/site.yaml");
    assert!(yaml.contains("\ntitle: \"Lincoln pd\"\n"), "{yaml}");
    assert!(!yaml.contains("Flipped PL resource packs"), "{yaml}");

    folder
        .run(&[
            "init",
            "other",
            "--title",
            "Professional learning at Lincoln",
        ])
        .ok();
    let yaml = folder.read("other/site.yaml");
    assert!(
        yaml.contains("\ntitle: \"Professional learning at Lincoln\"\n"),
        "{yaml}"
    );
    let site = folder.path("other");
    let build = run_in(&site, &["build"]);
    assert!(build.success(), "{}", build.stderr());
    let home = std::fs::read_to_string(site.join("public/index.html")).expect("home page");
    assert!(home.contains("Professional learning at Lincoln"));
}
