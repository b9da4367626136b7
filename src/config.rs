//! `site.yaml`: the site's settings. Every key is optional.

use std::path::Path;

mod records;
mod theme;
pub use records::Sponsor;
pub use theme::missing_theme;

use serde::{Deserialize, Serialize};

use crate::credit::{CreditRules, Increment, Rounding};
use crate::diagnostic::{Code, Diagnostic};
use crate::input::frontmatter::from_yaml;
use crate::input::locate::{Locator, Step};
use crate::input::text::{read_text, SITE_YAML};
use crate::layout::BaseUrl;
use crate::markdown::HtmlPolicy;

/// The file name, relative to the site root.
pub const FILE_NAME: &str = "site.yaml";

/// The site's settings, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`. Used only for absolute links in feeds and
    /// sitemaps; pages link relatively.
    pub base_url: BaseUrl,
    pub language: String,
    pub theme: String,
    /// Silent reading speed for non-fiction, words per minute.
    pub reading_wpm: u32,
    #[serde(skip)]
    pub credit: CreditRules,
    /// Publish raw HTML in Markdown exactly as written, scripts and all,
    /// and give pages no Content-Security-Policy (which would stop those
    /// scripts). Only for sites whose every author is trusted.
    pub trust_html: bool,
    /// Hosts that `<iframe>`s in Markdown may load from, lower-case, over
    /// https only. The theme's own players need none of them.
    pub video_hosts: Vec<String>,
    /// The zone session and event times are given in; required as soon as
    /// one has a time.
    pub timezone: Option<crate::schedule::Zone>,
    /// Who offers the credit, printed on records.
    pub sponsor: Option<Sponsor>,
    /// Named categories of hours (`credit.categories`) that packs count
    /// toward, as records list them.
    pub categories: Vec<String>,
    /// Whether figures are also given as CEUs (hours ÷ 10).
    pub ceu: bool,
}

/// The hosts the theme's video players load from once a teacher clicks
/// play (see `content/media.rs`): always allowed as frames.
pub const PLAYER_HOSTS: &[&str] = &["www.youtube-nocookie.com", "player.vimeo.com"];

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Flipped PL resource packs".into(),
            description: String::new(),
            base_url: BaseUrl::default(),
            language: "en".into(),
            theme: "default".into(),
            // Brysbaert (2019): average silent reading rate for non-fiction.
            reading_wpm: 238,
            credit: CreditRules::default(),
            trust_html: false,
            video_hosts: PLAYER_HOSTS.iter().map(|h| h.to_string()).collect(),
            timezone: None,
            sponsor: None,
            categories: Vec::new(),
            ceu: false,
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
    trust_html: Option<bool>,
    video_hosts: Option<Vec<String>>,
    timezone: Option<String>,
    sponsor: Option<Sponsor>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCredit {
    minutes_per_hour: Option<u32>,
    increment: Option<Increment>,
    round: Option<Rounding>,
    include_application: Option<bool>,
    #[serde(default)]
    categories: Vec<String>,
    ceu: Option<bool>,
}

impl Config {
    /// Reads `site.yaml` from `root`; a missing file means all defaults.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE_NAME);
        // Never opened when it links out of the site or is a named pipe.
        crate::input::confine::check_site_file(root, FILE_NAME).map_err(|d| vec![d])?;
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
            Diagnostic::error(Code::InvalidValue, FILE_NAME, "").at(text, line, column)
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
        let base_url = raw
            .base_url
            .unwrap_or_else(|| defaults.base_url.to_string());
        if let Some((message, help)) = base_url_problem(&base_url) {
            problems.push(
                Diagnostic {
                    message,
                    ..locate("base_url")
                }
                .with_help(help),
            );
        }
        let base_url = BaseUrl::new(&base_url);
        let locator = Locator::new(text, 1);
        let mut video_hosts = Vec::new();
        for (i, host) in raw
            .video_hosts
            .unwrap_or(defaults.video_hosts)
            .iter()
            .enumerate()
        {
            let host = host.trim().to_ascii_lowercase();
            if is_host_name(&host) {
                video_hosts.push(host);
                continue;
            }
            let (line, column) = locator.position(&[Step::Key("video_hosts"), Step::Index(i)]);
            let help = match host_of(&host) {
                Some(bare) if is_host_name(bare) => format!("write the host alone: `{bare}`"),
                _ => "write a host name such as `www.youtube-nocookie.com`".into(),
            };
            problems.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    FILE_NAME,
                    format!("`{host}` in `video_hosts` is not a host name"),
                )
                .with_help(help)
                .at(text, line, column),
            );
        }
        let timezone = records::timezone(raw.timezone.as_deref(), text, &mut problems);
        let categories = records::categories(credit.categories, text, &mut problems);
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
            trust_html: raw.trust_html.unwrap_or(false),
            video_hosts,
            timezone,
            sponsor: raw.sponsor,
            categories,
            ceu: credit.ceu.unwrap_or(false),
        })
    }

    /// The Content-Security-Policy of every page: the site's own files,
    /// images and media also from other https sites, frames only from the
    /// players' and `video_hosts`' hosts, and no inline script or style
    /// anywhere. `None` when `trust_html` lets authors' scripts run.
    pub fn content_security_policy(&self) -> Option<String> {
        if self.trust_html {
            return None;
        }
        let mut frames: Vec<&str> = PLAYER_HOSTS.to_vec();
        for host in &self.video_hosts {
            if !frames.contains(&host.as_str()) {
                frames.push(host);
            }
        }
        let frames: Vec<String> = frames.iter().map(|h| format!("https://{h}")).collect();
        Some(format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; \
             media-src 'self' https:; frame-src {}; object-src 'none'; base-uri 'none'; \
             form-action 'self'",
            frames.join(" ")
        ))
    }
}

/// Why `base_url` cannot be used, with how to fix it: it must be an
/// http(s) address or a path from the server's root, and it is printed
/// into pages and feeds, so nothing in it may end an attribute or start a
/// tag.
fn base_url_problem(url: &str) -> Option<(String, String)> {
    let help = "write the address the site is published at, e.g. `https://pd.example.org/packs/`, \
                or a path from the server's root, e.g. `/packs/`";
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\^{}|".contains(*c))
    {
        let what = if c.is_whitespace() {
            "a space".to_string()
        } else {
            format!("`{}`", c.escape_default())
        };
        return Some((
            format!("`base_url` cannot contain {what}"),
            format!("{help}; write a space as `%20`"),
        ));
    }
    if url.contains(['?', '#']) {
        return Some((
            "`base_url` cannot have a query (`?`) or a fragment (`#`)".into(),
            help.into(),
        ));
    }
    if url.is_empty() || (url.starts_with('/') && !url.starts_with("//")) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split('/').next().unwrap_or(""));
    match host {
        Some(host) if is_host_name(host) => None,
        _ => Some((
            format!("`{url}` is not a web address or a path"),
            help.into(),
        )),
    }
}

/// A host name, optionally with a port: `pd.example.org`, `localhost:8080`.
fn is_host_name(host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && port
            .is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()))
}

/// The host of an address written where a host alone was expected:
/// `https://player.vimeo.com/video` → `player.vimeo.com`.
fn host_of(text: &str) -> Option<&str> {
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    rest.split('/')
        .next()
        .filter(|h| !h.is_empty() && *h != text)
}

/// Written here rather than in `markdown`: Markdown knows what a policy
/// allows, and `site.yaml` is where a site chooses it, so the config
/// (the stage above) makes one and Markdown never reads the config.
impl HtmlPolicy<'_> {
    /// The policy of `config`.
    pub fn of(config: &Config) -> HtmlPolicy<'_> {
        HtmlPolicy {
            trust: config.trust_html,
            video_hosts: &config.video_hosts,
        }
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
    fn base_url_is_an_address_or_a_path() {
        for good in [
            "/",
            "/pd/",
            "https://pd.example.org",
            "http://localhost:8080/pd",
            "",
        ] {
            assert!(base_url_problem(good).is_none(), "{good}");
        }
        for bad in [
            "pd/",
            "//evil.example/",
            "ftp://x/",
            "https://",
            "https://x/\"><script>",
            "https://x/a b",
            "https://x/?q",
            "https://user@x/",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
        let err = Config::parse("title: T\nbase_url: 'https://x/\"><script>alert(1)</script>'\n")
            .unwrap_err();
        assert_eq!((err[0].line, err[0].column), (2, 1));
        assert_eq!(err[0].message, "`base_url` cannot contain `\\\"`");
    }

    #[test]
    fn video_hosts_and_the_policy() {
        let c = Config::parse("video_hosts: [Media.District.Example, player.vimeo.com]\n").unwrap();
        assert_eq!(
            c.video_hosts,
            ["media.district.example", "player.vimeo.com"]
        );
        let policy = c.content_security_policy().unwrap();
        assert!(
            policy.contains("frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://media.district.example;"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe"));
        let trusted = Config::parse("trust_html: true\n").unwrap();
        assert!(trusted.trust_html);
        assert_eq!(trusted.content_security_policy(), None);

        let err =
            Config::parse("video_hosts:\n  - ok.example\n  - https://player.vimeo.com/video/1\n")
                .unwrap_err();
        assert_eq!((err[0].line, err[0].column), (3, 3));
        assert_eq!(
            err[0].help.as_deref(),
            Some("write the host alone: `player.vimeo.com`")
        );
        assert!(Config::parse("video_hosts: [\"a b\"]\n").is_err());
    }

    #[test]
    fn record_keys() {
        let c = Config::parse(
            "timezone: America/New_York\nsponsor:\n  name: Riverside USD\n  number: \"0123\"\ncredit:\n  categories: [Language acquisition, Literacy]\n  ceu: true\n",
        )
        .unwrap();
        assert_eq!(
            c.timezone.as_ref().map(|z| z.name()),
            Some("America/New_York")
        );
        let sponsor = c.sponsor.unwrap();
        assert_eq!(sponsor.name, "Riverside USD");
        assert_eq!(sponsor.number.as_deref(), Some("0123"));
        assert_eq!(c.categories, ["Language acquisition", "Literacy"]);
        assert!(c.ceu);
        let err = Config::parse("title: T\ntimezone: America/New_Yrok\n").unwrap_err();
        assert_eq!(err[0].code, Code::BadTimezone);
        assert_eq!((err[0].line, err[0].column), (2, 1));
        assert_eq!(
            err[0].help.as_deref(),
            Some("did you mean `America/New_York`?")
        );
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
