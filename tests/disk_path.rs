//! What a build asks of the file system: each folder of the output made
//! once, parents first, and no call that fails. A build of thousands of
//! files that asks for every folder again before each file spends most of
//! its time in the kernel, on calls that fail because the folder exists.
//!
//! The calls are seen with `strace`, so these tests run on Linux only.

#![cfg(target_os = "linux")]

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use common::TestSite;

/// The folder-making calls of `flippack build` into `out`, as
/// (folder, result) in the order they were made, from `strace`.
fn folder_calls(site: &TestSite, out: &Path) -> Option<Vec<(String, String)>> {
    let log = site.root().join("strace.log");
    let traced = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=mkdir,mkdirat", "-o"])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_flippack"))
        .args(["build", "--out"])
        .arg(out)
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .output()
        .ok()?;
    assert!(
        traced.status.success(),
        "the traced build failed:\n{}",
        String::from_utf8_lossy(&traced.stderr)
    );
    let text = std::fs::read_to_string(&log).expect("read the trace");
    let calls = text
        .lines()
        .filter_map(|line| {
            // `123 mkdir("/tmp/x/public", 0777) = 0`, or `mkdirat(AT_FDCWD, "…", 0777) = -1 EEXIST (…)`.
            let start = line.find('"')? + 1;
            let end = start + line[start..].find('"')?;
            let result = line.rsplit_once(" = ")?.1.to_string();
            Some((line[start..end].to_string(), result))
        })
        .collect();
    Some(calls)
}

#[test]
fn a_build_makes_each_folder_once_and_no_call_fails() {
    let site = TestSite::demo();
    let out = site.path("public");
    let Some(calls) = folder_calls(&site, &out) else {
        common::skipped(
            "a_build_makes_each_folder_once_and_no_call_fails",
            "strace is not installed (the Debian package `strace`)",
        );
        return;
    };
    let made: Vec<&(String, String)> = calls
        .iter()
        .filter(|(path, _)| path.contains(".flippack-staging") || path.contains("public"))
        .collect();
    assert!(
        made.len() > 20,
        "the demo's output has dozens of folders, the trace shows {}: {calls:?}",
        made.len()
    );
    let failed: Vec<_> = made.iter().filter(|(_, r)| !r.starts_with('0')).collect();
    assert!(
        failed.is_empty(),
        "{} of {} folder calls failed, e.g. {:?}",
        failed.len(),
        made.len(),
        &failed[..failed.len().min(5)]
    );
    let mut times: HashMap<&str, usize> = HashMap::new();
    for (path, _) in &made {
        *times.entry(path.as_str()).or_default() += 1;
    }
    let again: Vec<_> = times.iter().filter(|(_, &n)| n > 1).collect();
    assert!(again.is_empty(), "folders made more than once: {again:?}");
    // Parents first: every folder's parent was made before it, or existed.
    for (at, (path, _)) in made.iter().enumerate() {
        let parent = Path::new(path).parent().expect("a folder has a parent");
        if let Some(later) = made[at..].iter().position(|(p, _)| Path::new(p) == parent) {
            panic!("{path} was made before its parent (made {later} calls later)");
        }
    }
    assert!(
        out.join("packs").is_dir() && out.join("index.html").is_file(),
        "the site was written"
    );
}

/// The calls `strace` saw while `flippack build` replaced `out`, from the
/// swap on, as (thread, call line).
fn removal_calls(root: &Path, out: &Path) -> Option<Vec<(String, String)>> {
    let log = root.join("strace-rebuild.log");
    let traced = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=renameat2,unlink,unlinkat,rmdir",
            "-o",
        ])
        .arg(&log)
        .arg(env!("CARGO_BIN_EXE_flippack"))
        .args(["build", "--out"])
        .arg(out)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .ok()?;
    assert!(
        traced.status.success(),
        "the traced build failed:\n{}",
        String::from_utf8_lossy(&traced.stderr)
    );
    let text = std::fs::read_to_string(&log).expect("read the trace");
    let swapped = text
        .lines()
        .position(|line| line.contains("renameat2("))
        .expect("the build swapped its output in");
    let calls = text
        .lines()
        .skip(swapped + 1)
        .filter_map(|line| {
            let (thread, call) = line.split_once(' ')?;
            Some((thread.to_string(), call.trim_start().to_string()))
        })
        .collect();
    Some(calls)
}

/// Removing the old site is mostly waiting for the disk, file after
/// file; a rebuild waits on several removals at once, and still removes
/// the marker last, so that a build killed meanwhile leaves a folder the
/// next one knows as its own.
///
/// The site is under Cargo's target folder, on disk: in a temporary
/// folder in memory a build removes on one thread, since nothing waits.
#[test]
fn a_rebuild_removes_the_old_site_on_several_threads_and_the_marker_last() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a folder on disk");
    let root = dir.path();
    common::copy_dir(&common::repo_root().join("content"), &root.join("content"));
    std::fs::copy(
        common::repo_root().join("site.yaml"),
        root.join("site.yaml"),
    )
    .expect("copy site.yaml");
    let out = root.join("public");
    let built = Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(["build", "--quiet", "--out", "public"])
        .current_dir(root)
        .output()
        .expect("run flippack");
    assert!(built.status.success(), "the first build failed");
    // An old site of a few thousand files, as a large site leaves.
    for folder in 0..100 {
        let at = out.join(format!("old/{folder}"));
        std::fs::create_dir_all(&at).expect("create a folder");
        for file in 0..20 {
            std::fs::write(at.join(format!("{file}.html")), "old page").expect("write a page");
        }
    }
    let Some(calls) = removal_calls(root, &out) else {
        common::skipped(
            "a_rebuild_removes_the_old_site_on_several_threads_and_the_marker_last",
            "strace is not installed (the Debian package `strace`)",
        );
        return;
    };
    let removals: Vec<&(String, String)> = calls
        .iter()
        .filter(|(_, call)| call.starts_with("unlink") || call.starts_with("rmdir"))
        .collect();
    assert!(
        removals.len() > 2000,
        "the old site's files were removed, the trace shows {} removals",
        removals.len()
    );
    let failed: Vec<_> = removals
        .iter()
        .filter(|(_, call)| call.contains(" = -1 "))
        .collect();
    assert!(
        failed.is_empty(),
        "removals failed: {:?}",
        &failed[..failed.len().min(5)]
    );
    let threads: std::collections::HashSet<&str> =
        removals.iter().map(|(thread, _)| thread.as_str()).collect();
    assert!(
        threads.len() > 1,
        "the old site was removed one file after another, on one thread"
    );
    let marker = removals
        .iter()
        .position(|(_, call)| call.contains(".flippack-output"))
        .expect("the old site's marker was removed");
    let after: Vec<_> = removals[marker + 1..]
        .iter()
        .filter(|(_, call)| !call.contains("resumed>"))
        .collect();
    assert!(
        after.len() <= 1,
        "only the old site's folder itself goes after its marker: {after:?}"
    );
    assert!(out.join("index.html").is_file(), "the new site is in place");
    assert!(!out.join("old").exists(), "the old site's files are gone");
}
