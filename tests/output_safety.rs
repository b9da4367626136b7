//! The output folder is the one thing a build deletes, so it deletes only
//! its own: a folder flippack did not write, a file, or the site itself is
//! refused; a `.git` in the output is kept; and a build killed at any
//! moment leaves the old site or the new one, whole, with the next build
//! clearing what it left behind.

mod common;

#[allow(dead_code, reason = "the tests use part of the generator's API")]
#[path = "../examples/gen-site/synth.rs"]
mod synth;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{snapshot, TestSite};

/// The file every build leaves at the top of its output folder.
const MARKER: &str = ".flippack-output";

/// What a build leaves beside an output folder named `name` while it runs
/// (`.NAME.staging-PID`, `.NAME.old-PID`), as found in `dir`.
fn leftovers(dir: &Path, name: &str) -> Vec<String> {
    let prefix = format!(".{name}.");
    let mut found: Vec<String> = fs::read_dir(dir)
        .expect("list the folder")
        .map(|e| {
            e.expect("read an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with(&prefix))
        .collect();
    found.sort();
    found
}

/// A folder flippack did not write: a git checkout with a file in it.
fn foreign_folder(dir: &Path) {
    fs::create_dir_all(dir.join(".git/refs/heads")).expect("create .git");
    fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").expect("write HEAD");
    fs::write(dir.join(".git/refs/heads/main"), "0123abcd\n").expect("write a ref");
    fs::write(dir.join("keep"), "the only copy of something\n").expect("write keep");
}

/// A process id that no process has any more.
fn dead_pid() -> u32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .arg("--version")
        .stdout(Stdio::null())
        .spawn()
        .expect("run flippack --version");
    let pid = child.id();
    child.wait().expect("wait for it");
    pid
}

#[test]
fn a_folder_flippack_did_not_write_is_refused_and_left_alone() {
    let site = TestSite::fixture("minimal");
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    let deploy = elsewhere.path().join("deploy");
    foreign_folder(&deploy);
    let before = snapshot(&deploy);

    let run = site.run(&["build", "--out", deploy.to_str().expect("a UTF-8 path")]);
    let stderr = run.fails();
    assert!(
        stderr.contains(&deploy.display().to_string()),
        "names the folder: {stderr}"
    );
    assert!(stderr.contains("not written by flippack"), "{stderr}");
    assert!(
        stderr.contains("help:") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        snapshot(&deploy),
        before,
        "both .git and keep are untouched"
    );
    assert!(leftovers(elsewhere.path(), "deploy").is_empty());
}

#[test]
fn force_replaces_a_folder_flippack_did_not_write_but_keeps_its_git() {
    let site = TestSite::fixture("minimal");
    let elsewhere = tempfile::tempdir().expect("temporary folder");
    let deploy = elsewhere.path().join("deploy");
    foreign_folder(&deploy);
    let git_before = snapshot(&deploy.join(".git"));

    site.run(&[
        "build",
        "--force",
        "--out",
        deploy.to_str().expect("a UTF-8 path"),
    ])
    .ok();
    assert!(!deploy.join("keep").exists(), "--force replaces the folder");
    assert!(deploy.join("packs/alpha/index.html").is_file());
    assert!(deploy.join(MARKER).is_file());
    assert_eq!(snapshot(&deploy.join(".git")), git_before, "the .git stays");
    assert!(leftovers(elsewhere.path(), "deploy").is_empty());

    // From now on the folder is flippack's: no --force needed.
    site.run(&["build", "--out", deploy.to_str().expect("a UTF-8 path")])
        .ok();
}

#[test]
fn a_folder_of_the_site_that_is_not_a_source_is_refused() {
    let site = TestSite::fixture("minimal");
    site.write("notes/todo.md", "Ask the district about credit.\n");
    let stderr = site.run(&["build", "--out", "notes"]).fails();
    assert!(stderr.contains("notes"), "{stderr}");
    assert!(stderr.contains("not written by flippack"), "{stderr}");
    assert_eq!(
        site.read("notes/todo.md"),
        "Ask the district about credit.\n"
    );
    assert_eq!(
        fs::read_dir(site.path("notes"))
            .expect("list notes")
            .count(),
        1
    );
    assert!(leftovers(site.root(), "notes").is_empty());
}

#[test]
fn a_file_is_never_replaced_even_with_force() {
    let site = TestSite::fixture("minimal");
    let readme = b"# Our PD site\n\nHow we publish it.\n";
    site.write("README.md", readme);
    for args in [
        &["build", "--out", "README.md"][..],
        &["build", "--out", "README.md", "--force"][..],
    ] {
        let stderr = site.run(args).fails();
        assert!(
            stderr.contains("README.md") && stderr.contains("is a file"),
            "{stderr}"
        );
        assert_eq!(
            fs::read(site.path("README.md")).expect("README.md is still there"),
            readme,
            "the file is untouched byte for byte"
        );
        assert!(
            leftovers(site.root(), "README.md").is_empty(),
            "no renamed copy of the file or of a site: {:?}",
            leftovers(site.root(), "README.md")
        );
    }
}

#[test]
fn the_site_itself_is_refused_even_with_force() {
    let site = TestSite::fixture("minimal");
    for out in [".", "content", "content/x"] {
        site.run(&["build", "--force", "--out", out]).fails();
    }
    assert!(site.path("content/packs/alpha/pack.md").is_file());
    assert!(site.path("site.yaml").is_file());
}

#[test]
fn every_build_marks_its_output_folder() {
    let site = TestSite::fixture("minimal");
    site.run(&["build"]).ok();
    let marker = site.read(&format!("public/{MARKER}"));
    assert!(marker.contains("flippack"), "{marker}");
}

#[test]
fn a_git_work_tree_in_the_output_is_kept_across_builds() {
    let site = TestSite::fixture("minimal");
    site.run(&["build"]).ok();
    // `public/` is a clone of the pages branch: its .git holds the history.
    site.write("public/.git/HEAD", "ref: refs/heads/gh-pages\n");
    site.write("public/.git/objects/ab/cdef0123", [0u8, 1, 2, 255]);
    site.write("public/stale.html", "from an earlier version");
    let git_before = snapshot(&site.path("public/.git"));

    site.replace("site.yaml", "title: Test site", "title: Renamed site");
    site.run(&["build"]).ok();
    assert_eq!(snapshot(&site.path("public/.git")), git_before);
    assert!(!site.path("public/stale.html").exists());
    assert!(site.read("public/index.html").contains("Renamed site"));
    site.run(&["build"]).ok();
    assert_eq!(snapshot(&site.path("public/.git")), git_before);
    assert!(leftovers(site.root(), "public").is_empty());
}

#[test]
fn an_output_folder_holding_only_git_is_built_into() {
    let site = TestSite::fixture("minimal");
    // What `git worktree add public gh-pages` leaves for a new branch.
    let git_file = "gitdir: /srv/pd-site/.git/worktrees/public\n";
    site.write("public/.git", git_file);
    site.run(&["build"]).ok();
    assert_eq!(site.read("public/.git"), git_file);
    assert!(site.path("public/index.html").is_file());
}

/// A folder as a build leaves it at `dir`: marked, with a page.
fn flippack_folder(dir: &Path) {
    fs::create_dir_all(dir.join("packs/a")).expect("create a leftover");
    fs::write(dir.join(MARKER), "written by flippack\n").expect("mark it");
    fs::write(dir.join("packs/a/index.html"), "<p>old</p>").expect("write a page");
}

#[cfg(unix)]
#[test]
fn the_next_build_removes_what_dead_builds_left_and_nothing_else() {
    let site = TestSite::fixture("minimal");
    site.run(&["build"]).ok();
    let dead = dead_pid();
    let live = std::process::id();
    // A build killed while writing, and one killed while removing the
    // site it replaced.
    let removed = [
        format!(".public.staging-{dead}"),
        format!(".public.old-{dead}"),
    ];
    // A build of the same site that is still running; a folder that only
    // looks like a leftover; names flippack does not give; another
    // output's leftover.
    let kept = [
        format!(".public.staging-{live}"),
        format!(".public.old-{}", dead_pid()),
        format!(".public.old-{dead}x"),
        format!(".public.staging-{dead}.bak"),
        format!(".other.staging-{dead}"),
    ];
    for name in removed.iter().chain(&kept) {
        flippack_folder(&site.path(name));
    }
    fs::remove_file(site.path(&kept[1]).join(MARKER)).expect("unmark one");

    site.run(&["build"]).ok();
    for name in &removed {
        assert!(!site.path(name).exists(), "{name} is removed");
    }
    for name in &kept {
        assert!(
            site.path(name).join("packs/a/index.html").is_file(),
            "{name} is kept"
        );
    }
}

/// A build killed between moving the old site aside and moving the new
/// one in, on a file system that cannot swap two folders in one step,
/// leaves no output folder; the next build puts the old one back first,
/// and its `.git` with it.
#[cfg(unix)]
#[test]
fn the_next_build_repairs_a_build_killed_between_two_renames() {
    let site = TestSite::fixture("minimal");
    site.run(&["build"]).ok();
    let dead = dead_pid();
    let old = site.path(&format!(".public.old-{dead}"));
    let staging = site.path(&format!(".public.staging-{dead}"));
    fs::rename(site.path("public"), &old).expect("move the site aside");
    common::copy_dir(&old, &staging);
    site.write(
        &format!(".public.staging-{dead}/.git/HEAD"),
        "ref: refs/heads/gh-pages\n",
    );

    site.run(&["build"]).ok();
    assert!(site.path("public/index.html").is_file());
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/gh-pages\n");
    assert!(
        leftovers(site.root(), "public").is_empty(),
        "{:?}",
        leftovers(site.root(), "public")
    );
}

/// The files of an output folder but its `.git`.
fn site_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot(out)
        .into_iter()
        .filter(|(rel, _)| rel != ".git" && !rel.starts_with(".git/"))
        .collect()
}

/// Where `.git/HEAD` of the output is after a kill: in it, or in one of
/// the folders the killed build left.
fn git_heads(root: &Path) -> Vec<String> {
    std::iter::once("public".to_string())
        .chain(leftovers(root, "public"))
        .filter(|name| root.join(name).join(".git/HEAD").is_file())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_whole() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    synth::write_flippack(&synth::generate(6, 5), &root).expect("write the site");
    let out = root.join("public");
    let titles = ["title: Version A\n", "title: Version B\n"];
    let build = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flippack"));
        command
            .args(["build", "--quiet", "--root"])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };

    // The two sites a build may leave: every page differs in its title.
    let mut trees = Vec::new();
    let mut build_time = Duration::ZERO;
    for title in titles {
        fs::write(root.join("site.yaml"), title).expect("write site.yaml");
        let started = Instant::now();
        assert!(build().status().expect("run flippack").success());
        build_time = build_time.max(started.elapsed());
        trees.push(site_files(&out));
    }
    assert_ne!(trees[0], trees[1]);
    fs::create_dir_all(out.join(".git")).expect("create .git");
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("write HEAD");

    let mut rng = synth::Rng::for_item(2026, 11, 24);
    let micros = build_time.as_micros() as usize;
    let mut current = 1;
    let mut next = 0;
    // Kills that hit a running build; of those, the ones after the swap;
    // and the kills that left folders beside the output.
    let (mut running, mut swapped, mut left_behind) = (0, 0, 0);
    for kill in 0..100 {
        next = 1 - current;
        fs::write(root.join("site.yaml"), titles[next]).expect("write site.yaml");
        // Half the kills anywhere in the build, half near its end, where
        // the new site is swapped in and the old one removed.
        let delay = if kill % 2 == 0 {
            rng.range(0, micros)
        } else {
            rng.range(micros / 2, micros * 11 / 10)
        };
        let mut child = build().spawn().expect("start flippack build");
        std::thread::sleep(Duration::from_micros(delay as u64));
        let was_running = child.try_wait().expect("poll the build").is_none();
        // SIGKILL; an error only means the build had already finished.
        let _ = child.kill();
        child.wait().expect("reap the build");

        assert!(out.is_dir(), "kill {kill}: no output folder at all");
        let tree = site_files(&out);
        let found = trees.iter().position(|t| *t == tree);
        assert!(
            found == Some(current) || found == Some(next),
            "kill {kill} after {delay} µs: the output is neither the old site nor the new one"
        );
        let heads = git_heads(&root);
        assert_eq!(
            heads.len(),
            1,
            "kill {kill}: the .git is in exactly one place: {heads:?}"
        );
        running += usize::from(was_running);
        swapped += usize::from(was_running && found == Some(next));
        left_behind += usize::from(!leftovers(&root, "public").is_empty());
        current = found.unwrap_or(current);
    }

    assert!(build().status().expect("run flippack").success());
    assert!(
        leftovers(&root, "public").is_empty(),
        "one more build clears every leftover: {:?}",
        leftovers(&root, "public")
    );
    assert_eq!(
        fs::read_to_string(out.join(".git/HEAD")).expect("the .git is back in the output"),
        "ref: refs/heads/gh-pages\n"
    );
    assert_eq!(site_files(&out), trees[next]);
    eprintln!(
        "builds of {} ms; 100 kills: {running} hit a running build, {swapped} of them \
         after the swap; {left_behind} left folders behind; the output was a whole site \
         every time, and one more build left nothing behind",
        build_time.as_millis()
    );
}
