//! `flippack init` and `flippack new`: starting a site, a pack or a pathway
//! from a template.
//!
//! The templates are real files beside this module (`site/` is the whole
//! starter site; `new-pack.md` and `new-pathway.md` are what `new` writes),
//! embedded with `include_str!` so the binary works from any folder and a
//! contributor can read and edit them as files. A few `{{name}}` markers are
//! filled in when they are written, and `{{?text}}` marks a placeholder a
//! coach must replace (see [`placeholders`]).
//!
//! Nothing here ever overwrites a file: every file is created with
//! `create_new`, so even `init --force` only adds what is missing; and
//! `init` never writes outside its folder (see [`folder`]).

mod folder;
pub mod placeholders;

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::content::discover::is_slug;
use crate::diagnostic::IoError;
use crate::slug::slugify;

/// The starter site of `flippack init`: path in the new site, template.
const SITE: &[(&str, &str)] = &[
    ("site.yaml", include_str!("site/site.yaml")),
    (".gitignore", include_str!("site/gitignore")),
    ("content/_index.md", include_str!("site/content/_index.md")),
    (
        "content/packs/exit-tickets/pack.md",
        include_str!("site/content/packs/exit-tickets/pack.md"),
    ),
    (
        "content/packs/exit-tickets/reading-exit-tickets.md",
        include_str!("site/content/packs/exit-tickets/reading-exit-tickets.md"),
    ),
    (
        "content/pathways/getting-started.md",
        include_str!("site/content/pathways/getting-started.md"),
    ),
];

const NEW_PACK: &str = include_str!("new-pack.md");
const NEW_PATHWAY: &str = include_str!("new-pathway.md");

/// The templates of `flippack new`, whose `{{?text}}` marks are the
/// placeholders that `check` and `build` look for.
const NEW_TEMPLATES: &[&str] = &[NEW_PACK, NEW_PATHWAY];

/// Why a scaffolding command did nothing. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(
        "{} is not empty (it holds {}); run `flippack init` in a new or empty folder, \
         or add --force to add only the files that are missing",
        dir.display(),
        list(entries)
    )]
    NotEmpty { dir: PathBuf, entries: Vec<String> },
    #[error(
        "refusing to make a site in {}: it is {what}; make a folder for the site \
         and run init there, e.g. `flippack init pd-site`",
        dir.display()
    )]
    RefusedFolder { dir: PathBuf, what: &'static str },
    #[error(
        "`{link}` in {} is a symbolic link to {}, outside the folder; flippack init \
         writes only inside the folder it makes the site in: remove the link, or run \
         init in the folder it points to",
        dir.display(),
        target.display()
    )]
    LinkOutside {
        dir: PathBuf,
        link: String,
        target: PathBuf,
    },
    #[error(
        "cannot tell where {} ends up: it goes up (`..`) from a folder that does not \
         exist yet; name the folder without `..`",
        dir.display()
    )]
    UnclearFolder { dir: PathBuf },
    #[error(
        "{} is not a flippack site: it has no content/ folder and no site.yaml; \
         run the command in your site's folder, pass --root DIR, \
         or create a site with `flippack init DIR`",
        root.display()
    )]
    NotASite { root: PathBuf },
    #[error(
        "`{slug}` cannot be used as a {what} name: {reason}{}",
        suggestion(slug)
    )]
    BadSlug {
        what: &'static str,
        slug: String,
        reason: &'static str,
    },
    #[error("a {what} named `{slug}` already exists: {}; choose another name", path.display())]
    Exists {
        what: &'static str,
        slug: String,
        path: PathBuf,
    },
    #[error("the site has no packs yet, and a pathway lists packs; create one first with `flippack new pack SLUG`")]
    NoPacks,
    #[error(transparent)]
    Io(#[from] IoError),
}

fn list(entries: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = entries
        .iter()
        .take(SHOWN)
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if entries.len() > SHOWN {
        text.push_str(&format!(" and {} more", entries.len() - SHOWN));
    }
    text
}

fn suggestion(slug: &str) -> String {
    let better = slugify(slug);
    if is_slug(&better) && better != slug && better.is_ascii() {
        format!("; try `{better}`")
    } else {
        String::new()
    }
}

/// Why `text` is not a slug (lower-case ASCII letters, digits and single
/// hyphens inside), in words a coach understands; `None` when it is one.
pub fn slug_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        return Some("a name cannot be empty");
    }
    if text.contains(['/', '\\']) {
        return Some("a name is a single folder or file name, not a path");
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(if c.is_uppercase() {
            "names are written in lower case"
        } else if c.is_whitespace() {
            "names cannot contain spaces; use hyphens between words"
        } else {
            "use only lower-case letters a-z, digits and hyphens"
        });
    }
    if text.starts_with('-') || text.ends_with('-') {
        return Some("a name cannot start or end with a hyphen");
    }
    if text.contains("--") {
        return Some("use single hyphens between words");
    }
    debug_assert!(is_slug(text));
    None
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// Files written, relative to the site folder, `/`-separated.
    pub created: Vec<String>,
    /// Files left as they were because they already existed (`--force`).
    pub kept: Vec<String>,
}

impl InitReport {
    /// What was written and what to do next, for the person at the
    /// terminal.
    pub fn describe(&self, dir: &Path) -> String {
        let mut text = if self.created.is_empty() {
            format!(
                "Nothing to add: {} already has every file of a new site.\n",
                dir.display()
            )
        } else if self.kept.is_empty() {
            format!("Created a flippack site in {}:\n", dir.display())
        } else {
            format!("Added the missing files of a site to {}:\n", dir.display())
        };
        for file in &self.created {
            text.push_str(&format!("  {file}\n"));
        }
        if !self.kept.is_empty() {
            text.push_str("Kept these files as they were:\n");
            for file in &self.kept {
                text.push_str(&format!("  {file}\n"));
            }
        }
        text.push_str("\nNext:\n");
        if dir != Path::new(".") {
            text.push_str(&format!("  cd {}\n", dir.display()));
        }
        text.push_str(
            "  flippack serve     # preview the site while you write\n\
             \x20 flippack check     # find broken links and accessibility problems\n\
             \x20 flippack build     # publish the site into public/\n",
        );
        text
    }
}

/// Creates a working starter site in `dir` (created if missing): settings,
/// a home page, an example pack with a page, and a pathway.
///
/// A folder that holds anything but a `.git` folder is refused unless
/// `force` is set; even then, no existing file is overwritten. The root of
/// the file system and the home folder are refused, and so is a folder
/// where a symbolic link would lead a file out of it: all before anything
/// is written.
///
/// The site is called `title`, or after its folder (`lincoln-pd` makes
/// "Lincoln pd"), so that it never starts out with the demo's name.
pub fn init(dir: &Path, force: bool, title: Option<&str>) -> Result<InitReport, ScaffoldError> {
    let real = folder::real_folder(dir)?;
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .or_else(|| {
            let name = real.file_name()?.to_str()?;
            Some(title_from_slug(&slugify(name))).filter(|t| !t.is_empty())
        })
        .unwrap_or_else(|| "Professional learning".to_string());
    if !force {
        let entries = folder_entries(dir)?;
        if !entries.is_empty() {
            return Err(ScaffoldError::NotEmpty {
                dir: dir.to_path_buf(),
                entries,
            });
        }
    }
    folder::refuse_links_out(dir, &real, SITE.iter().map(|(path, _)| *path))?;
    let today = today();
    let site_id = site_id();
    let mut report = InitReport {
        created: Vec::new(),
        kept: Vec::new(),
    };
    for (path, template) in SITE {
        let text = template
            .replace("{{today}}", &today)
            .replace("{{site_id}}", &site_id)
            .replace("{{title}}", &yaml_string(&title));
        if create_file(&dir.join(path), &text)? {
            report.created.push((*path).to_string());
        } else {
            report.kept.push((*path).to_string());
        }
    }
    Ok(report)
}

/// A new site's `id:`, `site-` and 16 hex digits, different for every
/// site made. The standard library's hash keys are seeded from the
/// operating system's random source for each process, which is all the
/// randomness an id needs; the time and process id are hashed in too, so
/// two sites made by one process differ as well.
fn site_id() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut hasher = RandomState::new().build_hasher();
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
        .hash(&mut hasher);
    std::process::id().hash(&mut hasher);
    format!("site-{:016x}", hasher.finish())
}

/// The names in `dir`, sorted, not counting a `.git` folder (so that
/// `git init` can come first); empty when `dir` does not exist.
fn folder_entries(dir: &Path) -> Result<Vec<String>, IoError> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(IoError {
                action: "read the folder",
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut names = Vec::new();
    for entry in read {
        let entry = entry.map_err(|source| IoError {
            action: "read the folder",
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != ".git" {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Writes `text` to a new file at `path`, creating its folders. Returns
/// `false`, touching nothing, when something already exists there.
fn create_file(path: &Path, text: &str) -> Result<bool, IoError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| IoError {
            action: "create the folder",
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == ErrorKind::AlreadyExists => return Ok(false),
        Err(source) => {
            return Err(IoError {
                action: "create",
                path: path.to_path_buf(),
                source,
            })
        }
    };
    file.write_all(text.as_bytes()).map_err(|source| IoError {
        action: "write",
        path: path.to_path_buf(),
        source,
    })?;
    Ok(true)
}

/// Refuses a folder that is not a site, so `new` never scatters a
/// `content/` folder somewhere unexpected.
fn require_site(root: &Path) -> Result<(), ScaffoldError> {
    if root.join("content").is_dir() || root.join(crate::config::FILE_NAME).is_file() {
        Ok(())
    } else {
        Err(ScaffoldError::NotASite {
            root: root.to_path_buf(),
        })
    }
}

fn check_slug(what: &'static str, slug: &str) -> Result<(), ScaffoldError> {
    match slug_problem(slug) {
        Some(reason) => Err(ScaffoldError::BadSlug {
            what,
            slug: slug.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}

/// "exit-tickets" → "Exit tickets": a title to start from.
fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// `text` as a double-quoted YAML scalar, safe whatever it contains.
fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Adds `content/packs/<slug>/pack.md`, a draft with every key present and
/// explained. Returns the file written.
pub fn new_pack(root: &Path, slug: &str, title: Option<&str>) -> Result<PathBuf, ScaffoldError> {
    check_slug("pack", slug)?;
    require_site(root)?;
    let packs = root.join("content").join("packs");
    let dir = packs.join(slug);
    if dir.exists() {
        return Err(ScaffoldError::Exists {
            what: "pack",
            slug: slug.to_string(),
            path: dir,
        });
    }
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| title_from_slug(slug), str::to_string);
    let text = placeholders::fill(NEW_PACK)
        .replace("{{title}}", &yaml_string(&title))
        .replace("{{today}}", &today());
    fs::create_dir_all(&packs).map_err(|source| IoError {
        action: "create the folder",
        path: packs.clone(),
        source,
    })?;
    // `create_dir` rather than `create_dir_all`: if another command made the
    // folder a moment ago, stop instead of writing into it.
    fs::create_dir(&dir).map_err(|source| match source.kind() {
        ErrorKind::AlreadyExists => ScaffoldError::Exists {
            what: "pack",
            slug: slug.to_string(),
            path: dir.clone(),
        },
        _ => ScaffoldError::Io(IoError {
            action: "create the folder",
            path: dir.clone(),
            source,
        }),
    })?;
    let path = dir.join("pack.md");
    create_file(&path, &text)?;
    Ok(path)
}

/// Adds `content/pathways/<slug>.md`, a draft listing the site's packs in
/// folder order, ready to be reordered and trimmed. Returns the file written.
pub fn new_pathway(root: &Path, slug: &str) -> Result<PathBuf, ScaffoldError> {
    check_slug("pathway", slug)?;
    require_site(root)?;
    let dir = root.join("content").join("pathways");
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(ScaffoldError::Exists {
            what: "pathway",
            slug: slug.to_string(),
            path,
        });
    }
    let packs = pack_slugs(root);
    if packs.is_empty() {
        return Err(ScaffoldError::NoPacks);
    }
    let steps: String = packs
        .iter()
        .map(|p| format!("  - pack: {p}\n    when:\n"))
        .collect();
    let text = placeholders::fill(NEW_PATHWAY)
        .replace("{{title}}", &yaml_string(&title_from_slug(slug)))
        .replace("{{packs}}", &steps);
    if !create_file(&path, &text)? {
        return Err(ScaffoldError::Exists {
            what: "pathway",
            slug: slug.to_string(),
            path,
        });
    }
    Ok(path)
}

/// The folders of `content/packs` that hold a `pack.md`, sorted.
fn pack_slugs(root: &Path) -> Vec<String> {
    let Ok(read) = fs::read_dir(root.join("content").join("packs")) else {
        return Vec::new();
    };
    let mut slugs: Vec<String> = read
        .filter_map(Result::ok)
        .filter(|e| e.path().join("pack.md").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|s| is_slug(s))
        .collect();
    slugs.sort();
    slugs
}

/// Today's date in UTC as `YYYY-MM-DD`, for the `date:` of a new pack.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((seconds / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar date of a day counted from 1970-01-01 (proleptic
/// Gregorian), after Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_reasons() {
        let cases = [
            ("exit-tickets", None),
            ("k-12", None),
            ("", Some("a name cannot be empty")),
            ("Exit-Tickets", Some("names are written in lower case")),
            (
                "exit tickets",
                Some("names cannot contain spaces; use hyphens between words"),
            ),
            (
                "../x",
                Some("a name is a single folder or file name, not a path"),
            ),
            (
                "exit_tickets",
                Some("use only lower-case letters a-z, digits and hyphens"),
            ),
            (
                "café",
                Some("use only lower-case letters a-z, digits and hyphens"),
            ),
            ("-x", Some("a name cannot start or end with a hyphen")),
            ("x-", Some("a name cannot start or end with a hyphen")),
            ("a--b", Some("use single hyphens between words")),
        ];
        for (slug, reason) in cases {
            assert_eq!(slug_problem(slug), reason, "{slug}");
            assert_eq!(reason.is_none(), is_slug(slug), "{slug}");
        }
    }

    #[test]
    fn bad_slug_messages_suggest_a_fix() {
        let err = check_slug("pack", "Exit Tickets").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`Exit Tickets` cannot be used as a pack name: names are written in lower case; try `exit-tickets`"
        );
        let err = check_slug("pack", "!!!").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`!!!` cannot be used as a pack name: use only lower-case letters a-z, digits and hyphens"
        );
    }

    #[test]
    fn titles_and_yaml_quoting() {
        assert_eq!(title_from_slug("exit-tickets"), "Exit tickets");
        assert_eq!(title_from_slug("k-12-math"), "K 12 math");
        for title in [
            "Plain",
            "Assessment: a \"fair\" grade",
            "C:\\path # not a comment",
            "- [x] {y}",
            "two\nlines",
        ] {
            let yaml = format!("title: {}\n", yaml_string(title));
            let parsed: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(parsed["title"], title, "{yaml}");
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_697), (2026, 9, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert!(crate::date::Date::parse(&today()).is_some());
    }
}
