//! Attendance codes: the codes file is checked like every other file,
//! no code reaches the output, and `flippack verify` tells a good record
//! from an edited, truncated or foreign one.

mod common;

use std::fs;

use common::{repo_root, TestSite};
use flippack::attendance::token::{self, Claim, SessionId};

const SAMPLE: &str = "attendance.sample.yaml";

/// The demo with the sample codes as its `attendance.yaml`.
fn demo_with_codes() -> TestSite {
    let site = TestSite::demo();
    let codes = fs::read_to_string(repo_root().join(SAMPLE)).expect("the sample codes");
    site.write("attendance.yaml", codes);
    site
}

/// Every code of the sample, as written.
fn sample_codes() -> Vec<String> {
    let text = fs::read_to_string(repo_root().join(SAMPLE)).expect("the sample codes");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        .filter(|(date, _)| date.trim().starts_with("20"))
        .map(|(_, code)| code.trim().to_string())
        .collect()
}

#[test]
fn no_code_is_anywhere_in_the_output() {
    let site = demo_with_codes();
    site.run(&["build"]).ok();
    let codes = sample_codes();
    assert!(codes.len() >= 5, "{codes:?}");
    let out = site.path("public");
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk the output");
        if !entry.file_type().is_file() {
            continue;
        }
        files += 1;
        let text = String::from_utf8_lossy(&fs::read(entry.path()).expect("read")).to_lowercase();
        for code in &codes {
            let normalised = token::normalise(code).expect("a sample code");
            for form in [code.clone(), normalised] {
                assert!(
                    !text.contains(&form.to_lowercase()),
                    "{} holds the code {form}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(files > 30, "{files} files");
    assert!(!out.join("attendance.yaml").exists());
    // The pages do ask for codes: they hold each session's verifier.
    let page = site.read("public/packs/ell-communication/index.html");
    assert_eq!(page.matches("data-verifier=\"").count(), 2, "{page}");
    assert!(page.contains("Attendance code"));
}

#[test]
fn rebuilds_with_the_same_codes_write_the_same_pages() {
    let site = demo_with_codes();
    site.run(&["build"]).ok();
    let first = site.read("public/packs/ell-communication/index.html");
    site.run(&["build"]).ok();
    assert_eq!(
        first,
        site.read("public/packs/ell-communication/index.html")
    );
    site.replace("attendance.yaml", "OAK-4821", "OAK-4822");
    site.run(&["build"]).ok();
    assert_ne!(
        first,
        site.read("public/packs/ell-communication/index.html")
    );
}

#[test]
fn a_site_without_codes_asks_for_none() {
    let site = TestSite::demo();
    site.run(&["build"]).ok();
    let page = site.read("public/packs/ell-communication/index.html");
    assert!(!page.contains("data-attendance"), "{page}");
    assert!(!page.contains("attendance.js"));
}

#[test]
fn codes_come_from_the_flag_then_the_environment_then_the_default_file() {
    let site = TestSite::demo();
    let sample = repo_root().join(SAMPLE);
    let sample = sample.to_str().expect("a UTF-8 path");
    site.run(&["build", "--codes", sample]).ok();
    assert!(site
        .read("public/packs/ell-communication/index.html")
        .contains("data-verifier"));
    site.write("elsewhere.yaml", "ell-communication: {2026-09-15: BAD}\n");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_flippack"))
        .args(["build", "--force"])
        .current_dir(site.root())
        .env("FLIPPACK_CODES", site.path("elsewhere.yaml"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run flippack");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("error[short-code]"), "{stderr}");
}

#[test]
fn problems_in_the_codes_file_are_reported_with_line_and_help() {
    let site = TestSite::demo();
    site.write(
        "attendance.yaml",
        "ell-comunication:\n  2026-09-15: OAK-4821\nrti-rollout:\n  2026-08-25: BIRCH-2087\nquestioning-wait-time:\n  2026-10-06: oak 4821\nassessment-moderation:\n  2026-09-29: ab-12\n",
    );
    let stderr = site.run(&["build"]).fails();
    for expected in [
        "error[unknown-pack]: there is no pack `ell-comunication`",
        "--> attendance.yaml:1:1",
        "did you mean `ell-communication`?",
        "error[unknown-session]: `rti-rollout` has no workshop session on 2026-08-25",
        "--> attendance.yaml:4:3",
        "its sessions are on 2026-08-24",
        "error[duplicate-code]",
        "--> attendance.yaml:6:3",
        "error[short-code]",
        "--> attendance.yaml:8:3",
    ] {
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!site.path("public").exists(), "nothing is written");
}

#[test]
fn a_codes_file_inside_content_is_refused() {
    let site = TestSite::demo();
    site.write(
        "content/codes.yaml",
        "ell-communication: {2026-09-15: OAK-4821}\n",
    );
    let stderr = site
        .run(&["build", "--codes", "content/codes.yaml"])
        .fails();
    assert!(stderr.contains("error[codes-published]"), "{stderr}");
    assert!(!site.path("public").exists());
}

/// A record as My learning writes it, for one pack with its token.
fn record(site: &TestSite, name: &str, hours: &str, token_name: &str, token_hours: &str) -> String {
    let config = flippack::config::Config::load(site.root()).expect("the demo's site.yaml");
    let id = flippack::attendance::site_id(&config);
    record_for(&id, name, hours, token_name, token_hours)
}

fn record_for(id: &str, name: &str, hours: &str, token_name: &str, token_hours: &str) -> String {
    let session = SessionId {
        site: id,
        pack: "ell-communication",
        date: "2026-09-15",
    };
    let code = token::normalise("OAK-4821").expect("a code");
    let key = token::key(&code, session, &token::salt(session));
    let token = token::hex(&token::token(
        &key,
        Claim {
            session,
            name: token_name,
            hours: token_hours,
        },
    ));
    serde_json::json!({
        "format": "flippack-record",
        "version": 1,
        "site": { "id": id, "title": "Flipped PL resource packs" },
        "name": name,
        "packs": [{
            "slug": "ell-communication",
            "title": "Everyday language",
            "hours": hours,
            "session": "2026-09-15",
            "token": token
        }]
    })
    .to_string()
}

/// The demo's hours for the ELL pack, as its page shows them.
fn ell_hours(site: &TestSite) -> String {
    site.run(&["build"]).ok();
    let page = site.read("public/packs/ell-communication/index.html");
    let at = page.find("data-hours=\"").expect("the attendance section") + 12;
    page[at..].split('"').next().expect("a value").to_string()
}

#[test]
fn verify_accepts_a_good_record_and_says_why_the_others_fail() {
    let site = demo_with_codes();
    let hours = ell_hours(&site);
    let records = site.path("records");
    fs::create_dir_all(&records).expect("a folder");
    let good = record(&site, "Ana López", &hours, "Ana López", &hours);
    fs::write(records.join("a-good.json"), &good).expect("write");
    fs::write(
        records.join("b-renamed.json"),
        record(&site, "Ana Lopes", &hours, "Ana López", &hours),
    )
    .expect("write");
    fs::write(
        records.join("c-more-hours.json"),
        record(&site, "Ana López", "9.75", "Ana López", &hours),
    )
    .expect("write");
    fs::write(records.join("d-cut.json"), &good[..good.len() / 2]).expect("write");
    fs::write(
        records.join("e-foreign.json"),
        record_for(
            "flippack:/:another-district",
            "Ana López",
            &hours,
            "Ana López",
            &hours,
        ),
    )
    .expect("write");
    fs::write(site.path("notes.txt"), "not a record").expect("write");

    // The good one alone passes.
    let run = site.run(&["verify", "records/a-good.json", "--csv", "good.csv"]);
    let table = run.ok();
    assert!(table.contains("Ana López"), "{table}");
    assert!(table.contains("yes"), "{table}");
    assert!(
        run.stderr().contains("1 of 1 row verified"),
        "{}",
        run.stderr()
    );

    // The folder, and a file that is not JSON: each is reported, none stops the rest.
    let run = site.run(&["verify", "records", "notes.txt", "--csv", "verified.csv"]);
    let stderr = run.fails();
    assert!(
        stderr.contains("1 of 6 rows verified; 5 not verified"),
        "{stderr}"
    );
    let table = run.stdout();
    for expected in [
        "token does not match",
        "the file is cut short",
        "record from another site",
        "not a record from My learning",
    ] {
        assert!(
            table.contains(expected),
            "expected {expected:?} in:\n{table}"
        );
    }
    let csv = site.read("verified.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "Participant,Pack,Pack title,Session date,Place,Modality,Facilitator,Hours,\
             Category hours,CEUs,Sponsor,Sponsor number,Verified,Reason,File"
        )
    );
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("a CSV row"))
        .collect();
    assert_eq!(rows.len(), 6);
    let first = &rows[0];
    assert_eq!(&first[0], "Ana López");
    assert_eq!(&first[1], "ell-communication");
    assert_eq!(&first[3], "2026-09-15");
    assert_eq!(&first[7], hours);
    assert!(first[8].starts_with("Language acquisition: "), "{first:?}");
    assert_eq!(
        &first[10],
        "Riverside Unified School District, Office of Professional Learning"
    );
    assert_eq!(&first[11], "0123");
    assert_eq!(&first[12], "yes");
    let verified: Vec<&str> = rows.iter().map(|r| &r[12]).collect();
    assert_eq!(verified, ["yes", "no", "no", "no", "no", "no"]);
    assert!(
        rows[2][13].contains("token does not match"),
        "{:?}",
        rows[2]
    );
}

#[test]
fn verify_says_when_the_hours_changed_since_the_record_was_made() {
    let site = demo_with_codes();
    let hours = ell_hours(&site);
    // A record made when the pack gave 1.5 hours, token and all.
    site.write("old.json", record(&site, "Kim", "1.5", "Kim", "1.5"));
    let run = site.run(&["verify", "old.json"]);
    run.fails();
    let table = run.stdout();
    assert!(
        table.contains(&format!(
            "hours changed since the record was made (the record says 1.5, the pack now gives {hours})"
        )),
        "{table}"
    );
}

#[test]
fn verify_without_codes_says_how_to_give_them() {
    let site = TestSite::demo();
    site.write("r.json", "{}");
    let stderr = site.run(&["verify", "r.json"]).fails();
    assert!(stderr.contains("no codes file"), "{stderr}");
    assert!(stderr.contains("--codes"), "{stderr}");
}
