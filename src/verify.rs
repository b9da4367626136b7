//! `flippack verify`: checks the records teachers download from My
//! learning against the site and its attendance codes, for a PD office.
//!
//! Each pack of each record becomes one row, verified or not with the
//! reason. A file that is not a record (not JSON, cut short, from another
//! site) becomes a row of its own, so one bad file never hides the rest.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::attendance::token::{self, Claim, SessionId};
use crate::attendance::{codes, site_id};
use crate::content::{load_site, LoadOptions, Pack, Site};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::error::Error;

/// The value of a record's `format` key.
pub const RECORD_FORMAT: &str = "flippack-record";

/// Records larger than this are not records: a teacher's has a few
/// packs and is a few kilobytes.
const MAX_RECORD_BYTES: u64 = 1_000_000;

/// What to verify.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// The codes file; as for `build` when `None`.
    pub codes: Option<PathBuf>,
    /// Record files, or folders of them (every `.json` file inside).
    pub records: Vec<PathBuf>,
    pub drafts: bool,
}

/// One row of the report: a pack of a record, or a file that is not one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub file: String,
    pub participant: String,
    pub pack: String,
    pub title: String,
    pub session_date: String,
    pub place: String,
    /// `in person`, `online` or `in person and online`.
    pub modality: String,
    pub facilitator: String,
    pub hours: String,
    /// `Language acquisition: 3.25; Literacy: 3.25`.
    pub category_hours: String,
    /// Empty unless the site gives CEUs.
    pub ceu: String,
    pub sponsor: String,
    pub sponsor_number: String,
    pub verified: bool,
    /// Why not, when not verified.
    pub reason: String,
}

/// The rows of every record, in the order the files were given.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    pub rows: Vec<Row>,
}

impl VerifyReport {
    pub fn all_verified(&self) -> bool {
        !self.rows.is_empty() && self.rows.iter().all(|r| r.verified)
    }

    /// "3 of 4 records verified; 1 not" in plain words.
    pub fn summary(&self) -> String {
        let good = self.rows.iter().filter(|r| r.verified).count();
        let bad = self.rows.len() - good;
        let rows = if self.rows.len() == 1 { "row" } else { "rows" };
        if bad == 0 {
            format!("{good} of {} {rows} verified", self.rows.len())
        } else {
            format!(
                "{good} of {} {rows} verified; {bad} not verified (see the reasons above)",
                self.rows.len()
            )
        }
    }

    /// A table for people: one line per row.
    pub fn to_table(&self) -> String {
        let header = ["Participant", "Pack", "Session", "Hours", "Verified"];
        let cells: Vec<[String; 5]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    if r.participant.is_empty() {
                        r.file.clone()
                    } else {
                        r.participant.clone()
                    },
                    r.pack.clone(),
                    r.session_date.clone(),
                    r.hours.clone(),
                    if r.verified {
                        "yes".to_string()
                    } else {
                        format!("no: {}", r.reason)
                    },
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &cells {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cells: &[&str]| {
            let mut text = String::new();
            for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    text.push_str(c);
                } else {
                    text.push_str(&format!("{c:<w$}  "));
                }
            }
            text.trim_end().to_string() + "\n"
        };
        let mut out = line(&header);
        for row in &cells {
            let refs: Vec<&str> = row.iter().map(String::as_str).collect();
            out.push_str(&line(&refs));
        }
        out
    }

    /// The CSV a PD office keeps, one row per pack of each record.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header = [
            "Participant",
            "Pack",
            "Pack title",
            "Session date",
            "Place",
            "Modality",
            "Facilitator",
            "Hours",
            "Category hours",
            "CEUs",
            "Sponsor",
            "Sponsor number",
            "Verified",
            "Reason",
            "File",
        ];
        // Writing to memory cannot fail.
        let _ = writer.write_record(header);
        for r in &self.rows {
            let _ = writer.write_record([
                r.participant.as_str(),
                &r.pack,
                &r.title,
                &r.session_date,
                &r.place,
                &r.modality,
                &r.facilitator,
                &r.hours,
                &r.category_hours,
                &r.ceu,
                &r.sponsor,
                &r.sponsor_number,
                if r.verified { "yes" } else { "no" },
                &r.reason,
                &r.file,
            ]);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// A record as My learning writes it (docs/attendance.md). Only what is
/// checked is read; anything else in it is ignored.
#[derive(Deserialize)]
struct Record {
    format: String,
    site: RecordSite,
    #[serde(default)]
    name: String,
    #[serde(default)]
    packs: Vec<RecordPack>,
}

#[derive(Deserialize)]
struct RecordSite {
    id: String,
}

#[derive(Deserialize)]
struct RecordPack {
    slug: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    session: Option<String>,
    #[serde(default)]
    token: Option<String>,
}

/// Verifies every record in `options.records` against the site and its
/// codes. Problems with the site or the codes file stop it, as a build
/// would stop; problems with a record are rows of the report.
pub fn verify(options: &VerifyOptions) -> Result<VerifyReport, Error> {
    let loaded = load_site(
        &options.root,
        LoadOptions {
            drafts: options.drafts,
        },
    )
    .map_err(Error::Content)?;
    let site = loaded.site;
    let Some(path) = codes::codes_path(&options.root, options.codes.as_deref()) else {
        return Err(Error::Content(Diagnostics(vec![Diagnostic::error(
            Code::MissingFile,
            codes::FILE_NAME,
            "there is no codes file to verify records against",
        )
        .with_help(format!(
            "name it with `--codes FILE` or `{}`, or put `{}` beside site.yaml",
            codes::ENV,
            codes::FILE_NAME
        ))])));
    };
    let codes = codes::read(&options.root, &path).map_err(Error::Content)?;
    let problems = codes.check_against(&site);
    if problems.has_errors() {
        return Err(Error::Content(problems));
    }
    let checker = Checker {
        site: &site,
        id: site_id(&site.config),
        codes: &codes,
    };
    let mut report = VerifyReport::default();
    for file in record_files(&options.records) {
        report.rows.extend(checker.file(&file));
    }
    Ok(report)
}

/// The files named, with each folder replaced by the `.json` files in it.
fn record_files(given: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in given {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .filter(|p| {
                    p.extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    files
}

struct Checker<'a> {
    site: &'a Site,
    id: String,
    codes: &'a codes::Codes,
}

impl Checker<'_> {
    fn file(&self, path: &Path) -> Vec<Row> {
        let file = path.display().to_string();
        let refused = |reason: String| {
            vec![Row {
                file: file.clone(),
                reason,
                ..Row::default()
            }]
        };
        let text = match read_record(path) {
            Ok(text) => text,
            Err(reason) => return refused(reason),
        };
        let record: Record = match serde_json::from_str(&text) {
            Ok(record) => record,
            Err(err) if err.is_eof() => {
                return refused(format!(
                    "the file is cut short (line {}): download the record again",
                    err.line()
                ))
            }
            Err(err) => {
                return refused(format!(
                    "not a record from My learning ({err}): download the record again"
                ))
            }
        };
        if record.format != RECORD_FORMAT {
            return refused(format!(
                "not a record from My learning (its format is `{}`)",
                record.format
            ));
        }
        if record.site.id != self.id {
            return refused(format!(
                "record from another site (`{}`; this site is `{}`)",
                record.site.id, self.id
            ));
        }
        if record.packs.is_empty() {
            return vec![Row {
                file,
                participant: record.name,
                reason: "the record lists no packs".into(),
                ..Row::default()
            }];
        }
        record
            .packs
            .iter()
            .map(|p| self.pack(&file, &record.name, p))
            .collect()
    }

    fn pack(&self, file: &str, name: &str, claimed: &RecordPack) -> Row {
        let mut row = Row {
            file: file.to_string(),
            participant: name.trim().to_string(),
            pack: claimed.slug.clone(),
            session_date: claimed.session.clone().unwrap_or_default(),
            hours: claimed.hours.clone(),
            ..Row::default()
        };
        let Some(pack) = self.site.packs.iter().find(|p| p.slug == claimed.slug) else {
            row.reason = format!("unknown pack `{}`", claimed.slug);
            return row;
        };
        self.describe(pack, &mut row);
        let (Some(date), Some(given)) = (&claimed.session, &claimed.token) else {
            row.reason = "no code entered".into();
            return row;
        };
        let session = pack
            .workshop
            .sessions
            .iter()
            .find(|s| s.slot.date.to_string() == *date);
        if let Some(session) = session {
            row.place = session.place.clone().unwrap_or_default();
            row.facilitator = session.facilitator.clone().unwrap_or_default();
            row.modality = match (session.place.is_some(), session.online.is_some()) {
                (true, true) => "in person and online",
                (false, true) => "online",
                _ => "in person",
            }
            .to_string();
        }
        let Some(code) = session.and(self.codes.code(&pack.slug, date)) else {
            row.reason = format!(
                "unknown session: `{}` has no session with a code on {date}",
                pack.slug
            );
            return row;
        };
        let session_id = SessionId {
            site: &self.id,
            pack: &pack.slug,
            date,
        };
        let key = token::key(code, session_id, &token::salt(session_id));
        let expected = token::token(
            &key,
            Claim {
                session: session_id,
                name,
                hours: &claimed.hours,
            },
        );
        if !token::same_hex(&token::hex(&expected), given) {
            row.reason = "token does not match: the name, hours, pack or session was changed, or the code was not the session's".into();
            return row;
        }
        let now = pack.credit.credit_hours.to_string();
        if claimed.hours != now {
            row.reason = format!(
                "hours changed since the record was made (the record says {}, the pack now gives {now})",
                claimed.hours
            );
            return row;
        }
        row.verified = true;
        row
    }

    /// Fills in what the site says of `pack`: its title, hours, category
    /// hours, CEUs and sponsor.
    fn describe(&self, pack: &Pack, row: &mut Row) {
        let config = &self.site.config;
        let hours = pack.credit.credit_hours;
        row.title = pack.title.clone();
        row.hours = hours.to_string();
        row.category_hours = pack
            .record
            .categories
            .iter()
            .map(|c| format!("{c}: {hours}"))
            .collect::<Vec<_>>()
            .join("; ");
        if config.ceu {
            row.ceu = config.credit.ceu(hours).to_string();
        }
        if let Some(sponsor) = &config.sponsor {
            row.sponsor = sponsor.name.clone();
            row.sponsor_number = sponsor.number.clone().unwrap_or_default();
        }
    }
}

fn read_record(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read this file: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read this file: {e}"))?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err("not a record from My learning: it is larger than 1 MB".into());
    }
    String::from_utf8(bytes).map_err(|_| "not a record from My learning: it is not text".into())
}
