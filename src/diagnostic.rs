//! Problems found in a site's content, pointing at file and line.
//!
//! Loading collects every problem before failing, so a coach fixes a whole
//! batch per build rather than one typo per run. A diagnostic carries the
//! offending source line so it can be shown without re-reading the file.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// A note or a suggestion, not a problem: shown by `check`, never
    /// failing it, not even with `--strict`.
    Info,
}

/// A finding's stable identifier, e.g. `unknown-key`.
///
/// Tools match on these strings (`check --format json`) and docs/check.md
/// lists them, so a variant's string never changes once published; an enum
/// keeps a typo in a call site from inventing a code nobody documented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    BadCode,
    BadPageName,
    BadResourceId,
    BadSlug,
    BadTag,
    BadTimezone,
    BadUrl,
    BrokenAnchor,
    BrokenLink,
    ChangedWhileBuilding,
    ChoicesAndModelAnswer,
    CodesPublished,
    DraftInPathway,
    DuplicateCode,
    DuplicateKey,
    DuplicatePathwayPack,
    DuplicateResourceId,
    DuplicateUrl,
    EmptyPathway,
    EmptyValue,
    ExampleAddress,
    ExampleSite,
    FrontMatter,
    HeadingSkip,
    HtmlRemoved,
    ImageNoAlt,
    InvalidValue,
    LongSelfStudy,
    MisplacedFile,
    MisplacedPage,
    MissingFile,
    MissingKey,
    MissingPackMd,
    MissingPage,
    NameClash,
    NoContent,
    NoCorrectChoice,
    NoDate,
    NoDuration,
    NoPrompts,
    NoResources,
    NoSelfCheck,
    NoTimezone,
    NotAFile,
    NotUtf8,
    OutsidePack,
    PassPercentRange,
    PassPercentUnscored,
    PathwayStep,
    Placeholder,
    PlanWithoutImpact,
    PodcastNoTranscript,
    ReadingTime,
    ReservedName,
    ResourceTarget,
    SessionLength,
    SessionTime,
    ShortCode,
    ShortWorkshop,
    SymlinkOutsideSite,
    TagSpelling,
    Template,
    Theme,
    ThemeMissing,
    TooLarge,
    TooLong,
    TooManyTags,
    UnknownCategory,
    UnknownKey,
    UnknownPack,
    UnknownSession,
    Unreadable,
    UrlLinkText,
    VagueLinkText,
    VideoNoCaptions,
    WorkshopTime,
    WrongType,
    YamlSyntax,
}

impl Code {
    /// Every code, so a test can hold them against docs/check.md.
    pub const ALL: &'static [Code] = &[
        Code::BadCode,
        Code::BadPageName,
        Code::BadResourceId,
        Code::BadSlug,
        Code::BadTag,
        Code::BadTimezone,
        Code::BadUrl,
        Code::BrokenAnchor,
        Code::BrokenLink,
        Code::ChangedWhileBuilding,
        Code::ChoicesAndModelAnswer,
        Code::CodesPublished,
        Code::DraftInPathway,
        Code::DuplicateCode,
        Code::DuplicateKey,
        Code::DuplicatePathwayPack,
        Code::DuplicateResourceId,
        Code::DuplicateUrl,
        Code::EmptyPathway,
        Code::EmptyValue,
        Code::ExampleAddress,
        Code::ExampleSite,
        Code::FrontMatter,
        Code::HeadingSkip,
        Code::HtmlRemoved,
        Code::ImageNoAlt,
        Code::InvalidValue,
        Code::LongSelfStudy,
        Code::MisplacedFile,
        Code::MisplacedPage,
        Code::MissingFile,
        Code::MissingKey,
        Code::MissingPackMd,
        Code::MissingPage,
        Code::NameClash,
        Code::NoContent,
        Code::NoCorrectChoice,
        Code::NoDate,
        Code::NoDuration,
        Code::NoPrompts,
        Code::NoResources,
        Code::NoSelfCheck,
        Code::NoTimezone,
        Code::NotAFile,
        Code::NotUtf8,
        Code::OutsidePack,
        Code::PassPercentRange,
        Code::PassPercentUnscored,
        Code::PathwayStep,
        Code::Placeholder,
        Code::PlanWithoutImpact,
        Code::PodcastNoTranscript,
        Code::ReadingTime,
        Code::ReservedName,
        Code::ResourceTarget,
        Code::SessionLength,
        Code::SessionTime,
        Code::ShortCode,
        Code::ShortWorkshop,
        Code::SymlinkOutsideSite,
        Code::TagSpelling,
        Code::Template,
        Code::Theme,
        Code::ThemeMissing,
        Code::TooLarge,
        Code::TooLong,
        Code::TooManyTags,
        Code::UnknownCategory,
        Code::UnknownKey,
        Code::UnknownPack,
        Code::UnknownSession,
        Code::Unreadable,
        Code::UrlLinkText,
        Code::VagueLinkText,
        Code::VideoNoCaptions,
        Code::WorkshopTime,
        Code::WrongType,
        Code::YamlSyntax,
    ];

    /// The stable string, as `check --format json` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BadPageName => "bad-page-name",
            Code::BadResourceId => "bad-resource-id",
            Code::BadSlug => "bad-slug",
            Code::BadTag => "bad-tag",
            Code::BadUrl => "bad-url",
            Code::BrokenAnchor => "broken-anchor",
            Code::BrokenLink => "broken-link",
            Code::ChangedWhileBuilding => "changed-while-building",
            Code::ChoicesAndModelAnswer => "choices-and-model-answer",
            Code::DraftInPathway => "draft-in-pathway",
            Code::DuplicateKey => "duplicate-key",
            Code::DuplicatePathwayPack => "duplicate-pathway-pack",
            Code::DuplicateResourceId => "duplicate-resource-id",
            Code::DuplicateUrl => "duplicate-url",
            Code::EmptyPathway => "empty-pathway",
            Code::ExampleSite => "example-site",
            Code::ExampleAddress => "example-address",
            Code::EmptyValue => "empty-value",
            Code::FrontMatter => "front-matter",
            Code::HeadingSkip => "heading-skip",
            Code::HtmlRemoved => "html-removed",
            Code::ImageNoAlt => "image-no-alt",
            Code::InvalidValue => "invalid-value",
            Code::LongSelfStudy => "long-self-study",
            Code::MisplacedFile => "misplaced-file",
            Code::MisplacedPage => "misplaced-page",
            Code::MissingFile => "missing-file",
            Code::MissingKey => "missing-key",
            Code::MissingPackMd => "missing-pack-md",
            Code::MissingPage => "missing-page",
            Code::NameClash => "name-clash",
            Code::NoContent => "no-content",
            Code::NoCorrectChoice => "no-correct-choice",
            Code::NoDuration => "no-duration",
            Code::NoPrompts => "no-prompts",
            Code::NoResources => "no-resources",
            Code::NoSelfCheck => "no-self-check",
            Code::NotAFile => "not-a-file",
            Code::NotUtf8 => "not-utf8",
            Code::Placeholder => "placeholder",
            Code::OutsidePack => "outside-pack",
            Code::PassPercentRange => "pass-percent-range",
            Code::PassPercentUnscored => "pass-percent-unscored",
            Code::PlanWithoutImpact => "plan-without-impact",
            Code::ReadingTime => "reading-time",
            Code::PodcastNoTranscript => "podcast-no-transcript",
            Code::ReservedName => "reserved-name",
            Code::ResourceTarget => "resource-target",
            Code::ShortWorkshop => "short-workshop",
            Code::SymlinkOutsideSite => "symlink-outside-site",
            Code::TagSpelling => "tag-spelling",
            Code::Template => "template",
            Code::Theme => "theme",
            Code::ThemeMissing => "theme-missing",
            Code::TooLarge => "too-large",
            Code::TooLong => "too-long",
            Code::TooManyTags => "too-many-tags",
            Code::UnknownKey => "unknown-key",
            Code::UnknownPack => "unknown-pack",
            Code::Unreadable => "unreadable",
            Code::UrlLinkText => "url-link-text",
            Code::VagueLinkText => "vague-link-text",
            Code::VideoNoCaptions => "video-no-captions",
            Code::WorkshopTime => "workshop-time",
            Code::WrongType => "wrong-type",
            Code::BadTimezone => "bad-timezone",
            Code::NoDate => "no-date",
            Code::NoTimezone => "no-timezone",
            Code::PathwayStep => "pathway-step",
            Code::SessionLength => "session-length",
            Code::SessionTime => "session-time",
            Code::UnknownCategory => "unknown-category",
            Code::BadCode => "bad-code",
            Code::CodesPublished => "codes-published",
            Code::DuplicateCode => "duplicate-code",
            Code::ShortCode => "short-code",
            Code::UnknownSession => "unknown-session",
            Code::YamlSyntax => "yaml-syntax",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A value one of flippack's own deserializers rejected (a duration, a
/// date), with how to fix it.
///
/// serde hands a deserializer's complaint to its caller as a message and
/// nothing else, so the help travels inside that message after a separator
/// no serde_yaml message holds; [`ValueError::parse`] takes the two apart
/// again when front matter is read. Writing and reading both go through
/// this type, so the two ends cannot drift apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    pub message: String,
    pub help: String,
}

impl ValueError {
    const SEPARATOR: &'static str = " \u{2014} ";

    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
            help: help.into(),
        }
    }

    /// The error a deserializer returns for it.
    pub fn into_serde<E: serde::de::Error>(self) -> E {
        E::custom(self)
    }

    /// The message and help of a `ValueError` that went through serde, or
    /// `None` for any other message.
    pub fn parse(text: &str) -> Option<(&str, &str)> {
        text.split_once(Self::SEPARATOR)
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.message, Self::SEPARATOR, self.help)
    }
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier, e.g. `unknown-key`, for tools and for silencing.
    pub code: Code,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
    /// The text of `line`, to show under the message: all of it, or for a
    /// long line a window around `column`, with `…` where it is cut.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters of the line come before `source_line` starts,
    /// less one for its `…`: `column - shown_from` is the column within it.
    #[serde(skip)]
    pub shown_from: usize,
}

/// Lines longer than this (in characters) are shown as a window around
/// the column: a paragraph written on one line can hold thousands of
/// links, and each finding would otherwise copy all of it.
pub const MAX_SHOWN_LINE: usize = 160;

/// How much of a long line is shown before the column.
const SHOWN_BEFORE: usize = 40;

/// Where each line of a text starts, so that many findings in one file
/// are pointed at their lines without reading the file from its start
/// for each of them.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn of(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { starts }
    }

    /// Line `line` (1-based) of `text`, the text this was made of, as
    /// `str::lines` gives it.
    pub fn get<'t>(&self, text: &'t str, line: usize) -> Option<&'t str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start >= text.len() {
            return None;
        }
        let end = self.starts.get(line).map_or(text.len(), |next| next - 1);
        let found = text.get(start..end)?;
        Some(found.strip_suffix('\r').unwrap_or(found))
    }
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            source_line: None,
            shown_from: 0,
        }
    }

    pub fn warning(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn info(code: Code, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::error(code, file, message)
        }
    }

    /// Points the diagnostic at a line (and column) of `source`, the whole
    /// text of its file.
    pub fn at(self, source: &str, line: usize, column: usize) -> Self {
        let text = source.lines().nth(line.wrapping_sub(1));
        self.at_line(text, line, column)
    }

    /// Points the diagnostic at `line` and `column`, whose text is
    /// `text` (found with [`Lines`] when there are many in one file).
    pub fn at_line(mut self, text: Option<&str>, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        let (shown, shown_from) = match text.map(str::trim_end) {
            Some(text) => {
                let (shown, from) = window(text, column);
                (Some(shown), from)
            }
            None => (None, 0),
        };
        self.source_line = shown;
        self.shown_from = shown_from;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// The compact one-line form: `content/packs/x/pack.md:3:7: error: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        write!(f, ": {label}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl Diagnostic {
    /// The compiler-style form, with the offending line and a caret:
    ///
    /// ```text
    /// error[unknown-key]: unknown key `duraton`
    ///   --> content/packs/ell/pack.md:14:5
    ///    |
    /// 14 |     duraton: 14:30
    ///    |     ^^^^^^^
    ///    = help: did you mean `duration`?
    /// ```
    pub fn render(&self, style: &Style) -> String {
        let (label, paint) = match self.severity {
            Severity::Error => ("error", style.error),
            Severity::Warning => ("warning", style.warning),
            Severity::Info => ("info", style.dim),
        };
        let mut out = format!(
            "{}: {}\n",
            style.paint(paint, &format!("{label}[{}]", self.code)),
            style.paint(style.bold, &self.message)
        );
        let mut location = self.file.clone();
        if self.line > 0 {
            location.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                location.push_str(&format!(":{}", self.column));
            }
        }
        let gutter = if self.line > 0 {
            self.line.to_string().len()
        } else {
            1
        };
        let pad = " ".repeat(gutter);
        let bar = style.paint(style.dim, "|");
        out.push_str(&format!(
            "{pad}{} {location}\n",
            style.paint(style.dim, "-->")
        ));
        if let Some(text) = self.source_line.as_deref().filter(|_| self.line > 0) {
            let text = text.replace('\t', " ");
            out.push_str(&format!("{pad} {bar}\n"));
            out.push_str(&format!(
                "{} {bar} {text}\n",
                style.paint(style.dim, &self.line.to_string())
            ));
            let column = self.column.saturating_sub(self.shown_from);
            let (start, width) = caret_span(&text, column);
            out.push_str(&format!(
                "{pad} {bar} {}{}\n",
                " ".repeat(start),
                style.paint(paint, &"^".repeat(width))
            ));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!(
                "{pad} {} {}: {help}\n",
                style.paint(style.dim, "="),
                style.paint(style.bold, "help")
            ));
        }
        out
    }
}

/// The part of `line` to show for a finding at `column`: all of it when
/// it is short, else a window around the column with `…` where it is cut;
/// and what to subtract from the column to find it in the window.
fn window(line: &str, column: usize) -> (String, usize) {
    // Most lines are short: count no further than needed to know.
    if line.len() <= MAX_SHOWN_LINE || line.chars().nth(MAX_SHOWN_LINE).is_none() {
        return (line.to_string(), 0);
    }
    let start = column.saturating_sub(1).saturating_sub(SHOWN_BEFORE);
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    let mut chars = line.chars().skip(start);
    shown.extend(chars.by_ref().take(MAX_SHOWN_LINE - SHOWN_BEFORE));
    if chars.next().is_some() {
        shown.push('…');
    }
    (shown, start.saturating_sub(1))
}

/// Where to put the caret under a source line: at `column` (1-based) when
/// known, else under the line's first word; as wide as the word there.
fn caret_span(text: &str, column: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let start = if column > 0 {
        (column - 1).min(chars.len())
    } else {
        chars
            .iter()
            .position(|c| !c.is_whitespace() && *c != '-')
            .unwrap_or(0)
    };
    let rest = &chars[start..];
    // A Markdown link or image: underline all of `[text](dest)` or
    // `<https://...>`; a heading: all of it.
    let closing = match rest.first() {
        Some('[' | '!') => Some(')'),
        Some('<') => Some('>'),
        _ => None,
    };
    if let Some(end) = closing.and_then(|close| rest.iter().position(|c| *c == close)) {
        return (start, end + 1);
    }
    if rest.first() == Some(&'#') && column <= 1 {
        return (start, rest.len());
    }
    // A YAML value (`duration: 5 minutes`): underline all of it, up to a
    // trailing comment.
    let before: String = chars[..start].iter().collect();
    if before.trim_end().ends_with(':') && !rest.is_empty() {
        let text: String = rest.iter().collect();
        let value = text.split(" #").next().unwrap_or(&text).trim_end();
        return (start, value.chars().count().max(1));
    }
    let is_word = |c: &char| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.';
    let width = rest.iter().take_while(|c| is_word(c)).count();
    (start, width.max(1))
}

/// Terminal colours for diagnostics; [`Style::plain`] when piped or when
/// `NO_COLOR` is set.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub error: &'static str,
    pub warning: &'static str,
    pub bold: &'static str,
    pub dim: &'static str,
    enabled: bool,
}

impl Style {
    pub fn plain() -> Self {
        Style {
            error: "",
            warning: "",
            bold: "",
            dim: "",
            enabled: false,
        }
    }

    pub fn colored() -> Self {
        Style {
            error: "\x1b[1;31m",
            warning: "\x1b[1;33m",
            bold: "\x1b[1m",
            dim: "\x1b[34m",
            enabled: true,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled && !code.is_empty() {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Every problem found in one pass over a site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Writes each diagnostic to stderr in `style`, for every command
    /// alike. A closed stderr is not worth a panic: the exit code still
    /// tells.
    pub fn eprint(&self, style: &Style) {
        use std::io::Write;
        if self.is_empty() {
            return;
        }
        let mut err = std::io::stderr().lock();
        for d in self.iter() {
            let _ = writeln!(err, "{}", d.render(style));
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Notes and suggestions (`info`), which never fail a check.
    pub fn info_count(&self) -> usize {
        self.count(Severity::Info)
    }

    fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether there is an error or a warning: anything but info.
    pub fn has_problems(&self) -> bool {
        self.0.iter().any(|d| d.severity != Severity::Info)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorts by file, then line and column, so output reads top to bottom.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
        });
        self.0.dedup();
    }

    /// "3 errors, 2 warnings in 2 packs": what a coach needs to know at a
    /// glance. Every file of a pack folder counts towards its pack; other
    /// files (site.yaml, pathways, the home page) are counted as files.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        let (errors, warnings) = (self.error_count(), self.warning_count());
        // Notes (`info`) are printed with the rest but not counted here:
        // this line says what stands between the site and a clean check.
        let counts = match (errors, warnings) {
            (0, 0) => return "no errors or warnings".to_string(),
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
        };
        let mut packs: Vec<&str> = Vec::new();
        let mut files: Vec<&str> = Vec::new();
        for d in self.0.iter().filter(|d| d.severity != Severity::Info) {
            match pack_of(&d.file) {
                Some(slug) => packs.push(slug),
                None => files.push(&d.file),
            }
        }
        for list in [&mut packs, &mut files] {
            list.sort_unstable();
            list.dedup();
        }
        let places = match (packs.len(), files.len()) {
            (p, 0) => plural(p, "pack"),
            (0, f) => plural(f, "file"),
            (p, f) => format!("{} and {}", plural(p, "pack"), plural(f, "other file")),
        };
        format!("{counts} in {places}")
    }
}

/// The pack a file belongs to: `content/packs/<slug>/...` → `<slug>`.
fn pack_of(file: &str) -> Option<&str> {
    let rest = file.strip_prefix("content/packs/")?;
    let slug = rest.split('/').next().filter(|s| !s.is_empty())?;
    Some(slug)
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Shows `path` relative to `root` with `/` separators, as diagnostics do.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    text.join("/")
}

/// The closest of `candidates` to a misspelt `word`, if one is close enough
/// to be worth suggesting.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A path-carrying I/O error, for the file-system edges of the pipeline:
/// the one error every stage uses for a file it could not read or write,
/// so that each says it the same way ("cannot write public/index.html: …").
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub struct IoError {
    /// What could not be done, as a verb phrase: `write`, `read the folder`.
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl IoError {
    pub fn new(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Self {
        IoError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_typos() {
        let keys = ["title", "duration", "words", "optional"];
        assert_eq!(did_you_mean("duraton", keys), Some("duration"));
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }

    #[test]
    fn one_line_form() {
        let d = Diagnostic::error(
            Code::UnknownKey,
            "content/packs/a/pack.md",
            "unknown key `duraton`",
        )
        .at("---\ntitle: x\nduraton: 5\n", 3, 1)
        .with_help("did you mean `duration`?");
        assert_eq!(
            d.to_string(),
            "content/packs/a/pack.md:3:1: error: unknown key `duraton` (help: did you mean `duration`?)"
        );
        assert_eq!(d.source_line.as_deref(), Some("duraton: 5"));
    }

    #[test]
    fn compiler_style_rendering() {
        let d = Diagnostic::error(
            Code::UnknownKey,
            "content/packs/ell/pack.md",
            "unknown key `duraton` in `self_study[0]`",
        )
        .at(
            "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n    duraton: 14:30\n",
            14,
            5,
        )
        .with_help("did you mean `duration`?");
        let expected = "\
error[unknown-key]: unknown key `duraton` in `self_study[0]`
  --> content/packs/ell/pack.md:14:5
   |
14 |     duraton: 14:30
   |     ^^^^^^^
   = help: did you mean `duration`?
";
        assert_eq!(d.render(&Style::plain()), expected);
        let whole_file = Diagnostic::error(Code::MissingPackMd, "content/packs/x", "no pack.md");
        assert_eq!(
            whole_file.render(&Style::plain()),
            "error[missing-pack-md]: no pack.md\n --> content/packs/x\n"
        );
    }

    #[test]
    fn caret_without_column_sits_under_the_first_word() {
        assert_eq!(caret_span("  - page: x.md", 0), (4, 4));
        assert_eq!(caret_span("", 0), (0, 1));
        assert_eq!(caret_span("abc", 9), (3, 1));
        assert_eq!(caret_span("See [the guide](gide.md).", 5), (4, 20));
        assert_eq!(caret_span("    duration: 5 minutes", 15), (14, 9));
        assert_eq!(caret_span("see <https://example.org> here", 5), (4, 21));
        assert_eq!(caret_span("#### Skipped", 1), (0, 12));
        assert_eq!(caret_span("level: basic   # note", 8), (7, 5));
        assert_eq!(caret_span("    duraton: 5m", 5), (4, 7));
    }

    #[test]
    fn lines_of_a_text() {
        let text = "a\r\nbb\n\nlast";
        let lines = Lines::of(text);
        let all: Vec<Option<&str>> = (0..=5).map(|n| lines.get(text, n)).collect();
        assert_eq!(
            all,
            [None, Some("a"), Some("bb"), Some(""), Some("last"), None]
        );
        assert_eq!(Lines::of("x\n").get("x\n", 2), None, "as str::lines");
        assert_eq!(Lines::of("").get("", 1), None);
    }

    #[test]
    fn long_lines_are_shown_around_the_column() {
        let line = format!("{}[b](c){}", "a".repeat(1000), " and more".repeat(100));
        let d = Diagnostic::error(Code::BrokenLink, "x.md", "m").at(&line, 1, 1001);
        let shown = d.source_line.clone().unwrap();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= MAX_SHOWN_LINE + 2, "{shown}");
        let rendered = d.render(&Style::plain());
        let caret = rendered.lines().nth(4).unwrap();
        let text = rendered.lines().nth(3).unwrap();
        let at = caret.chars().position(|c| c == '^').unwrap();
        let under: String = text.chars().skip(at).take(6).collect();
        assert_eq!(under, "[b](c)", "{rendered}");
        assert_eq!(caret.matches('^').count(), 6, "{rendered}");
        // Near the start, nothing is cut before.
        let d = Diagnostic::error(Code::Unreadable, "x.md", "m").at(&line, 1, 3);
        assert!(d.source_line.unwrap().starts_with("aaa"));
        let short = Diagnostic::error(Code::Unreadable, "x.md", "m").at("short", 1, 2);
        assert_eq!(
            (short.source_line.as_deref(), short.shown_from),
            (Some("short"), 0)
        );
    }

    #[test]
    fn summary_counts() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error(Code::BrokenLink, "x.md", "m"));
        all.push(Diagnostic::error(Code::BrokenLink, "y.md", "m"));
        all.push(Diagnostic::warning(Code::HeadingSkip, "x.md", "m"));
        assert_eq!(all.summary(), "2 errors, 1 warning in 2 files");
        let mut packs = Diagnostics::default();
        assert_eq!(packs.summary(), "no errors or warnings");
        packs.push(Diagnostic::warning(
            Code::HeadingSkip,
            "content/packs/ell/pack.md",
            "m",
        ));
        assert_eq!(packs.summary(), "1 warning in 1 pack");
        packs.push(Diagnostic::error(
            Code::BrokenLink,
            "content/packs/ell/guide.md",
            "m",
        ));
        packs.push(Diagnostic::error(
            Code::BrokenLink,
            "content/packs/rti/pack.md",
            "m",
        ));
        packs.push(Diagnostic::error(
            Code::BrokenLink,
            "content/packs/rti",
            "no pack.md",
        ));
        assert_eq!(packs.summary(), "3 errors, 1 warning in 2 packs");
        packs.push(Diagnostic::error(Code::BrokenLink, "site.yaml", "m"));
        assert_eq!(
            packs.summary(),
            "4 errors, 1 warning in 2 packs and 1 other file"
        );
    }

    /// The codes docs/check.md lists: the backticked names in the first
    /// column of every table headed `| Code |`.
    fn documented_codes() -> Vec<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/check.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let mut codes = Vec::new();
        let mut in_table = false;
        for line in doc.lines() {
            if !line.starts_with('|') {
                in_table = false;
                continue;
            }
            let first = line.split('|').nth(1).unwrap_or("").trim();
            if first == "Code" {
                in_table = true;
            } else if in_table && !first.starts_with("---") {
                let names = first.split('`').skip(1).step_by(2);
                codes.extend(names.map(str::to_string));
            }
        }
        codes
    }

    #[test]
    fn every_code_is_documented_and_every_documented_code_exists() {
        let documented = documented_codes();
        assert!(documented.len() > 40, "the doc's tables were not found");
        let ours: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let undocumented: Vec<&&str> = ours
            .iter()
            .filter(|c| !documented.iter().any(|d| d == *c))
            .collect();
        assert!(
            undocumented.is_empty(),
            "codes missing from docs/check.md: {undocumented:?}"
        );
        let unknown: Vec<&String> = documented
            .iter()
            .filter(|d| !ours.contains(&d.as_str()))
            .collect();
        assert!(
            unknown.is_empty(),
            "docs/check.md lists codes flippack does not have: {unknown:?}"
        );
    }

    #[test]
    fn codes_are_written_as_their_stable_strings() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(serde_json::to_string(code).unwrap(), format!("\"{code}\""));
        }
        let d = Diagnostic::warning(Code::BrokenAnchor, "x.md", "m");
        let shown = d.render(&Style::plain());
        assert!(shown.starts_with("warning[broken-anchor]: m"), "{shown}");
    }

    #[test]
    fn a_value_error_comes_back_apart_after_serde() {
        let sent = ValueError::new("`soon` is not a date", "write dates as YYYY-MM-DD");
        let through: serde_json::Error = sent.clone().into_serde();
        let text = through.to_string();
        assert_eq!(
            ValueError::parse(&text),
            Some((sent.message.as_str(), sent.help.as_str()))
        );
        assert_eq!(
            ValueError::parse("invalid type: sequence, expected a string"),
            None
        );
    }
}
