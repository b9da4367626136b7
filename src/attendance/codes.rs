//! The codes file, `attendance.yaml`: which code a facilitator gives out
//! at each session, read and checked against the site.
//!
//! The file is the one place codes exist. It is kept outside `content/`
//! so nothing in it is ever published; only [`super::token::proof`]s of
//! its codes are.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::token::{normalise, MIN_CODE_LEN};
use crate::content::Site;
use crate::diagnostic::{did_you_mean, display_path, Code, Diagnostic, Diagnostics};
use crate::input::frontmatter::from_yaml;
use crate::input::locate::{Locator, Step};
use crate::input::text::{read_text, Kind};

/// The codes file read by default, beside `site.yaml`.
pub const FILE_NAME: &str = "attendance.yaml";

/// The environment variable naming a codes file, for a hosted build that
/// takes it from its secrets.
pub const ENV: &str = "FLIPPACK_CODES";

const CODES_FILE: Kind = Kind {
    limited: "a codes file is",
    help:
        "a codes file holds one short code per workshop session; check that this is the right file",
};

/// One session's code, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub pack: String,
    /// As written: `YYYY-MM-DD` once checked.
    pub date: String,
    /// Normalised (see [`normalise`]).
    pub code: String,
    /// Line and column of the date's key.
    pub line: usize,
    pub column: usize,
}

/// A codes file read and checked on its own.
#[derive(Debug, Clone)]
pub struct Codes {
    /// The file as diagnostics name it.
    pub file: String,
    pub text: String,
    /// The sessions whose codes are good.
    pub entries: Vec<Entry>,
    /// What is wrong with the others, so that one run reports them with
    /// the problems [`Codes::check_against`] finds.
    pub problems: Diagnostics,
}

/// The codes file to read: `--codes`, else `FLIPPACK_CODES`, else
/// `attendance.yaml` in the site's folder when there is one; `None` for a
/// site without codes.
pub fn codes_path(root: &Path, flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = flag {
        return Some(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let default = root.join(FILE_NAME);
    default.exists().then_some(default)
}

/// Reads the codes file at `path` and checks it on its own terms: its
/// shape, each code's length and letters, and that no code is given for
/// two sessions. Every problem is reported, not only the first: an error
/// only when the file cannot be read as a whole, the rest in
/// [`Codes::problems`].
pub fn read(root: &Path, path: &Path) -> Result<Codes, Diagnostics> {
    let file = shown(root, path);
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    if inside(path, &root.join("content")) {
        return Err(one(Diagnostic::error(
            Code::CodesPublished,
            &file,
            "the codes file is inside `content/`, so it would be published with the site",
        )
        .with_help(format!(
            "move it beside site.yaml (as `{FILE_NAME}`) or outside the site, and give that path to `--codes`"
        ))));
    }
    let text = match read_text(path, &file, &CODES_FILE) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Err(one(Diagnostic::error(
                Code::MissingFile,
                &file,
                "there is no codes file here",
            )
            .with_help(format!(
                "check the path given to `--codes` or `{ENV}`, or leave both out to read `{FILE_NAME}` beside site.yaml"
            ))))
        }
        Err(d) => return Err(one(d)),
    };
    let map: Mapping = from_yaml(&text, &file, &text, 1).map_err(one)?;
    let locator = Locator::new(&text, 1);
    let mut problems = Diagnostics::default();
    let mut entries: Vec<Entry> = Vec::new();
    let at = |path: &[Step<'_>], d: Diagnostic| {
        let (line, column) = locator.position(path);
        d.at(&text, line, column)
    };
    for (pack, sessions) in &map {
        let Some(pack) = scalar(pack) else {
            problems.push(at(
                &[],
                Diagnostic::error(Code::WrongType, &file, "a pack's slug must be text")
                    .with_help("write `pack-slug: {YYYY-MM-DD: CODE}`"),
            ));
            continue;
        };
        let Value::Mapping(sessions) = sessions else {
            problems.push(at(
                &[Step::Key(&pack)],
                Diagnostic::error(
                    Code::WrongType,
                    &file,
                    format!("`{pack}` must map session dates to codes"),
                )
                .with_help(format!(
                    "write `{pack}: {{2026-09-15: OAK-4821}}`, one date a session"
                )),
            ));
            continue;
        };
        for (date, code) in sessions {
            let date = scalar(date).unwrap_or_default();
            let path = [Step::Key(&pack), Step::Key(&date)];
            if crate::date::Date::parse(&date).is_none() {
                problems.push(at(
                    &path,
                    Diagnostic::error(
                        Code::InvalidValue,
                        &file,
                        format!("`{date}` under `{pack}` is not a date"),
                    )
                    .with_help("write each session's date as YYYY-MM-DD, as in the pack's `workshop.sessions`"),
                ));
                continue;
            }
            let written = scalar(code).unwrap_or_default();
            let Some(normalised) = normalise(&written) else {
                problems.push(at(
                    &path,
                    Diagnostic::error(
                        Code::BadCode,
                        &file,
                        format!("the code for `{pack}` on {date} may hold only letters, digits, spaces and dashes"),
                    )
                    .with_help("use letters A–Z and digits, e.g. OAK-4821: teachers type it on a phone"),
                ));
                continue;
            };
            if normalised.len() < MIN_CODE_LEN {
                problems.push(at(
                    &path,
                    Diagnostic::error(
                        Code::ShortCode,
                        &file,
                        format!(
                            "the code for `{pack}` on {date} has {} letters and digits; it needs at least {MIN_CODE_LEN}",
                            normalised.len()
                        ),
                    )
                    .with_help("a short code can be guessed by trying them all; use at least 6 letters and digits, e.g. OAK-4821"),
                ));
                continue;
            }
            let (line, column) = locator.position(&path);
            if let Some(first) = entries.iter().find(|e| e.code == normalised) {
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateCode,
                        &file,
                        format!(
                            "the code for `{pack}` on {date} is also the code for `{}` on {} (line {})",
                            first.pack, first.date, first.line
                        ),
                    )
                    .at(&text, line, column)
                    .with_help("give every session its own code, so that a code given out at one session does not earn another"),
                );
                continue;
            }
            entries.push(Entry {
                pack: pack.clone(),
                date,
                code: normalised,
                line,
                column,
            });
        }
    }
    Ok(Codes {
        file,
        text,
        entries,
        problems,
    })
}

impl Codes {
    /// Every problem of the file: its own, then codes that name no pack
    /// of `site` or a date that is not one of the pack's sessions.
    pub fn check_against(&self, site: &Site) -> Diagnostics {
        let mut problems = self.problems.clone();
        for e in &self.entries {
            let here = |code, message: String| {
                Diagnostic::error(code, &self.file, message).at(&self.text, e.line, e.column)
            };
            let Some(pack) = site.packs.iter().find(|p| p.slug == e.pack) else {
                let slugs = site.packs.iter().map(|p| p.slug.as_str());
                let help = match did_you_mean(&e.pack, slugs) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "use the slug of a pack of this site (its folder under content/packs/); a draft counts only with --drafts".into(),
                };
                let (line, column) = Locator::new(&self.text, 1).position(&[Step::Key(&e.pack)]);
                problems.push(
                    Diagnostic::error(
                        Code::UnknownPack,
                        &self.file,
                        format!("there is no pack `{}`", e.pack),
                    )
                    .at(&self.text, line, column)
                    .with_help(help),
                );
                continue;
            };
            let dates: Vec<String> = pack
                .workshop
                .sessions
                .iter()
                .map(|s| s.slot.date.to_string())
                .collect();
            if !dates.contains(&e.date) {
                let help = if dates.is_empty() {
                    format!(
                        "`{}` lists no `workshop.sessions`; add the session to its pack.md first",
                        e.pack
                    )
                } else {
                    format!("its sessions are on {}", dates.join(", "))
                };
                problems.push(
                    here(
                        Code::UnknownSession,
                        format!("`{}` has no workshop session on {}", e.pack, e.date),
                    )
                    .with_help(help),
                );
            }
        }
        problems.sort();
        problems
    }

    /// The code of `pack`'s session on `date`, normalised.
    pub fn code(&self, pack: &str, date: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.pack == pack && e.date == date)
            .map(|e| e.code.as_str())
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `path` as diagnostics show it: from the site's folder when inside it.
fn shown(root: &Path, path: &Path) -> String {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(full)) if full.starts_with(&root) => display_path(&root, &full),
        _ => path.display().to_string(),
    }
}

fn inside(path: &Path, folder: &Path) -> bool {
    match (path.canonicalize(), folder.canonicalize()) {
        (Ok(path), Ok(folder)) => path.starts_with(folder),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text_of(text: &str) -> Result<Codes, Diagnostics> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        read(dir.path(), &dir.path().join(FILE_NAME))
    }

    #[test]
    fn reads_codes_by_pack_and_date() {
        let codes = read_text_of(
            "ell-communication:\n  2026-09-15: OAK-4821\n  2026-09-22: pine 7730\nrti: {2026-10-01: 55512345}\n",
        )
        .unwrap();
        assert_eq!(
            codes.code("ell-communication", "2026-09-15"),
            Some("OAK4821")
        );
        assert_eq!(
            codes.code("ell-communication", "2026-09-22"),
            Some("PINE7730")
        );
        assert_eq!(codes.code("rti", "2026-10-01"), Some("55512345"));
        assert_eq!((codes.entries[1].line, codes.entries[1].column), (3, 3));
    }

    #[test]
    fn short_odd_and_repeated_codes_are_refused_at_their_line() {
        let err = read_text_of(
            "a:\n  2026-09-15: OAK-1\n  2026-09-16: OAK_48211\n  2026-09-17: OAK-4821\nb:\n  2026-09-18: oak 4821\n  15 Sept: OAK-9999\n",
        )
        .unwrap()
        .problems;
        let found: Vec<(Code, usize)> = err.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            found,
            [
                (Code::ShortCode, 2),
                (Code::BadCode, 3),
                (Code::DuplicateCode, 6),
                (Code::InvalidValue, 7)
            ]
        );
        assert!(
            err.0[2].message.contains("`a` on 2026-09-17 (line 4)"),
            "{}",
            err.0[2].message
        );
        assert!(err.iter().all(|d| d.help.is_some()));
    }

    #[test]
    fn a_codes_file_inside_content_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let path = dir.path().join("content/attendance.yaml");
        std::fs::write(&path, "a: {2026-09-15: OAK-4821}\n").unwrap();
        let err = read(dir.path(), &path).unwrap_err();
        assert_eq!(err.0[0].code, Code::CodesPublished);
    }
}
