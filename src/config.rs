//! `site.yaml`: the site's settings. Every key is optional.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::content::frontmatter::from_yaml;
use crate::content::text::{read_text, SITE_YAML};
use crate::credit::{CreditRules, Increment, Rounding};
use crate::diagnostic::Diagnostic;

/// The file name, relative to the site root.
pub const FILE_NAME: &str = "site.yaml";

/// The site's settings, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`. Used only for absolute links in feeds and
    /// sitemaps; pages link relatively.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    /// Silent reading speed for non-fiction, words per minute.
    pub reading_wpm: u32,
    #[serde(skip)]
    pub credit: CreditRules,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Flipped PL resource packs".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            // Brysbaert (2019): average silent reading rate for non-fiction.
            reading_wpm: 238,
            credit: CreditRules::default(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    reading_wpm: Option<u32>,
    credit: Option<RawCredit>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCredit {
    minutes_per_hour: Option<u32>,
    increment: Option<Increment>,
    round: Option<Rounding>,
    include_application: Option<bool>,
}

impl Config {
    /// Reads `site.yaml` from `root`; a missing file means all defaults.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        // Never opened when it links out of the site or is a named pipe.
        crate::content::confine::check_site_file(root, FILE_NAME).map_err(|d| vec![d])?;
        match read_text(&path, FILE_NAME, &SITE_YAML) {
            Ok(Some(text)) => Config::parse(&text),
            Ok(None) => Ok(Config::default()),
            Err(problem) => Err(vec![problem]),
        }
    }

    /// Parses the text of `site.yaml`.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = from_yaml(text, FILE_NAME, text, 1).map_err(|d| vec![d])?;
        let defaults = Config::default();
        let credit = raw.credit.unwrap_or_default();
        let locate = |key: &str| {
            let (line, column) = text
                .lines()
                .enumerate()
                .find_map(|(i, l)| {
                    let trimmed = l.trim_start();
                    trimmed
                        .starts_with(&format!("{key}:"))
                        .then(|| (i + 1, l.len() - trimmed.len() + 1))
                })
                .unwrap_or((0, 0));
            Diagnostic::error("invalid-value", FILE_NAME, "").at(text, line, column)
        };
        let mut problems = Vec::new();
        let reading_wpm = raw.reading_wpm.unwrap_or(defaults.reading_wpm);
        if reading_wpm == 0 {
            problems.push(Diagnostic { message: "`reading_wpm` must be more than zero".into(), ..locate("reading_wpm") }
                .with_help("238 words per minute is the average adult silent reading speed for non-fiction"));
        }
        let minutes_per_hour = credit.minutes_per_hour.unwrap_or(60);
        if minutes_per_hour == 0 {
            problems.push(
                Diagnostic {
                    message: "`minutes_per_hour` must be more than zero".into(),
                    ..locate("minutes_per_hour")
                }
                .with_help("use 60, or 50 for agencies that count 50-minute contact hours"),
            );
        }
        let mut base_url = raw.base_url.unwrap_or(defaults.base_url);
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let theme = raw.theme.unwrap_or(defaults.theme);
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            problems.push(Diagnostic { message: format!("`{theme}` is not a theme name"), ..locate("theme") }
                .with_help("name a folder in themes/, e.g. `theme: district`, or leave it out for the default theme"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Config {
            title: raw.title.unwrap_or(defaults.title),
            description: raw.description.unwrap_or_default(),
            base_url,
            language: raw.language.unwrap_or(defaults.language),
            theme,
            reading_wpm,
            credit: CreditRules {
                minutes_per_hour,
                increment: credit.increment.unwrap_or_default(),
                round: credit.round.unwrap_or_default(),
                include_application: credit.include_application.unwrap_or(false),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_defaults() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
        assert_eq!(
            Config::parse("# only a comment\n").unwrap(),
            Config::default()
        );
    }

    #[test]
    fn reads_every_key() {
        let text = "title: T\ndescription: D\nbase_url: https://pd.example.org/packs\nlanguage: es\ntheme: district\nreading_wpm: 200\ncredit:\n  minutes_per_hour: 50\n  increment: tenth\n  round: nearest\n  include_application: true\n";
        let c = Config::parse(text).unwrap();
        assert_eq!(c.base_url, "https://pd.example.org/packs/");
        assert_eq!(c.reading_wpm, 200);
        assert_eq!(c.credit.minutes_per_hour, 50);
        assert_eq!(c.credit.increment, Increment::Tenth);
        assert_eq!(c.credit.round, Rounding::Nearest);
        assert!(c.credit.include_application);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let err = Config::parse("title: T\ncredit:\n  minutes_per_hr: 50\n").unwrap_err();
        assert_eq!(err[0].line, 3);
        assert_eq!(err[0].message, "unknown key `minutes_per_hr` in `credit`");
        assert!(err[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `minutes_per_hour`?"));
    }

    #[test]
    fn bad_values() {
        let err = Config::parse("credit:\n  increment: quarters\n").unwrap_err();
        assert_eq!(err[0].line, 2);
        assert!(
            err[0]
                .help
                .as_deref()
                .unwrap()
                .contains("did you mean `quarter`?"),
            "{:?}",
            err[0]
        );
        let err = Config::parse("reading_wpm: 0\ncredit:\n  minutes_per_hour: 0\n").unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!((err[1].line, err[1].column), (3, 3));
    }
}
