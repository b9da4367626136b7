//! `flippack check`: everything `build` validates, without writing, plus
//! lints that a build lets through.
//!
//! The site is loaded exactly as a build loads it (so every error a build
//! would report is reported here) and rendered into a sink that keeps only
//! the `id`s of each page, so that `#anchor` links are checked against the
//! pages teachers will really get, whatever the theme. Then the lint
//! families run over the model: [`links`] (anchors), [`accessibility`],
//! [`content`], [`cycle`] (suggestions about self-checks and plans) and
//! [`placeholders`]. Each lint is a small pure rule, unit-tested beside it,
//! plus the wiring that points its findings at a file and line.
//!
//! Nothing is fetched: external URLs are checked for their form only.

pub mod accessibility;
pub mod codes;
pub mod content;
pub mod cycle;
pub mod links;
pub mod placeholders;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::content::{load_site, LoadOptions, Position, Site, SourceFile};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, IoError};
use crate::markdown::{Heading, Link};
use crate::output::Sink;
use crate::render::{render_site, RenderError, Theme};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site's folder (holding `content/` and `site.yaml`).
    pub root: PathBuf,
    /// Also check packs and pathways marked `draft: true`.
    pub drafts: bool,
    /// The attendance codes file named with `--codes`; without it, the
    /// one a build would read ([`crate::attendance::codes::codes_path`]).
    pub codes: Option<PathBuf>,
}

/// What a check found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every error, warning and info (a suggestion or a note), sorted by
    /// file and line.
    pub findings: Diagnostics,
    /// Whether the site loaded: when it did not, only the errors that
    /// stopped it are reported, and the lints did not run.
    pub loaded: bool,
    pub packs: usize,
    pub pathways: usize,
    /// Markdown pages of packs.
    pub pages: usize,
}

impl CheckReport {
    /// The last line of the command's output: what was checked when all is
    /// well, else the counts of findings and what they mean for the exit
    /// status.
    pub fn summary(&self, strict: bool) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        if !self.findings.has_problems() {
            let mut line = format!(
                "Checked {}, {} and {}: no errors or warnings",
                plural(self.packs, "pack"),
                plural(self.pathways, "pathway"),
                plural(self.pages, "page")
            );
            let infos = self.findings.info_count();
            if infos > 0 {
                line.push_str(&format!("; {}", plural(infos, "note")));
            }
            return line;
        }
        let mut line = self.findings.summary();
        if !self.loaded {
            line.push_str("; fix the errors to run the other checks");
        } else if strict && !self.findings.has_errors() {
            line.push_str("; --strict makes warnings fail the check");
        }
        line
    }

    /// Whether the command should succeed: no errors, and with `strict`
    /// no warnings either.
    pub fn passes(&self, strict: bool) -> bool {
        if strict {
            !self.findings.has_problems()
        } else {
            !self.findings.has_errors()
        }
    }
}

/// Checks the site at `options.root`. Every problem, in the content or in
/// the theme, is a finding of the report.
pub fn check(options: &CheckOptions) -> CheckReport {
    let loaded = match load_site(
        &options.root,
        LoadOptions {
            drafts: options.drafts,
        },
    ) {
        Ok(loaded) => loaded,
        Err(mut findings) => {
            findings.extend(codes::on_its_own(&options.root, options.codes.as_deref()));
            findings.sort();
            return CheckReport {
                findings,
                loaded: false,
                packs: 0,
                pathways: 0,
                pages: 0,
            };
        }
    };
    let site = &loaded.site;
    let mut findings = loaded.warnings;
    let ids = match rendered_ids(&options.root, site) {
        Ok(ids) => ids,
        Err(err) => {
            // Without pages there are no anchors to check; the other lints
            // still run.
            findings.push(theme_problem(&options.root, site, &err));
            HashMap::new()
        }
    };

    let sources = Sources::new(site);
    let documents = documents(site);
    findings.extend(links::broken_anchors(&documents, &ids, &sources));
    findings.extend(accessibility::markdown(&documents, &sources));
    findings.extend(accessibility::media(site, &sources));
    findings.extend(content::packs(site, &sources));
    findings.extend(content::pathways(site, &sources));
    findings.extend(cycle::packs(site, &sources));
    findings.extend(placeholders::placeholders(site));
    findings.extend(codes::against_site(
        &options.root,
        options.codes.as_deref(),
        site,
    ));
    // Only to point the `example-site` note at its line: the settings were
    // read already, so a file that cannot be read again just has no line.
    let site_yaml =
        std::fs::read_to_string(options.root.join(crate::config::FILE_NAME)).unwrap_or_default();
    findings.extend(placeholders::example_addresses_of(
        site, &sources, &site_yaml,
    ));
    findings.sort();
    CheckReport {
        findings,
        loaded: true,
        packs: site.packs.len(),
        pathways: site.pathways.len(),
        pages: site.packs.iter().map(|p| p.pages.len()).sum(),
    }
}

/// Renders the site as a build would, keeping only each page's `id`s.
fn rendered_ids(root: &Path, site: &Site) -> Result<HashMap<String, HashSet<String>>, RenderError> {
    let theme = Theme::load(root, &site.config.theme)?;
    let sink = AnchorSink::default();
    render_site(site, &theme, &sink)?;
    Ok(sink.into_ids())
}

/// A theme that cannot be loaded or rendered, as a finding on the site's
/// theme folder (or on site.yaml, which names it).
fn theme_problem(root: &Path, site: &Site, err: &RenderError) -> Diagnostic {
    let folder = format!("themes/{}", site.config.theme);
    let file = if root.join(&folder).is_dir() {
        folder
    } else {
        crate::config::FILE_NAME.to_string()
    };
    let help = match err {
        RenderError::Template(_) => {
            "fix the template, or remove `theme:` from site.yaml to use the built-in theme"
        }
        RenderError::Theme(_) | RenderError::Io(_) => {
            "check `theme:` in site.yaml and the files of the themes/ folder"
        }
    };
    Diagnostic::error(Code::Theme, file, err.to_string()).with_help(help)
}

/// One Markdown text of the site, as the lints see it.
#[derive(Debug)]
pub struct Document<'a> {
    /// The source file, relative to the site root.
    pub file: &'a str,
    /// The output page it becomes, relative to the output root.
    pub url: &'a str,
    pub links: Vec<&'a Link>,
    pub headings: &'a [Heading],
}

/// Every Markdown text of `site`: the home page intro, each pack's
/// overview and pages, and each pathway.
pub fn documents(site: &Site) -> Vec<Document<'_>> {
    let mut docs = Vec::new();
    if !site.intro.html.is_empty() || !site.intro.links.is_empty() {
        docs.push(Document {
            file: "content/_index.md",
            url: "index.html",
            links: site.intro.links.iter().collect(),
            headings: &site.intro.headings,
        });
    }
    for pack in &site.packs {
        docs.push(Document {
            file: &pack.source.path,
            url: &pack.url,
            links: pack
                .links
                .iter()
                .filter(|(file, _)| *file == pack.source.path)
                .map(|(_, link)| link)
                .collect(),
            headings: &pack.headings,
        });
        for page in &pack.pages {
            docs.push(Document {
                file: &page.source.path,
                url: &page.url,
                links: page.links.iter().collect(),
                headings: &page.headings,
            });
        }
    }
    for pathway in &site.pathways {
        docs.push(Document {
            file: &pathway.source.path,
            url: &pathway.url,
            links: pathway.links.iter().collect(),
            headings: &pathway.headings,
        });
    }
    docs
}

/// The site's source files by path, as the model keeps them, to show the
/// offending line of a finding. Each file indexes its lines once, on the
/// first finding in it: a check may have thousands in one file.
pub struct Sources<'s> {
    files: HashMap<&'s str, &'s SourceFile>,
}

impl<'s> Sources<'s> {
    /// The files of `site` that findings can point at.
    pub fn new(site: &'s Site) -> Self {
        let mut files: Vec<&SourceFile> = site.intro.source.iter().map(|f| &**f).collect();
        for pack in &site.packs {
            files.push(&pack.source);
            files.extend(pack.pages.iter().map(|p| &*p.source));
        }
        files.extend(site.pathways.iter().map(|p| &*p.source));
        Sources {
            files: files.into_iter().map(|f| (f.path.as_str(), f)).collect(),
        }
    }

    /// Points `d` at `line` and `column` of its file.
    pub fn at(&self, d: Diagnostic, line: usize, column: usize) -> Diagnostic {
        let text = self.files.get(d.file.as_str()).and_then(|f| f.line(line));
        d.at_line(text, line, column)
    }

    /// Points `d` at a front matter key of its file, where loading found it.
    pub fn at_key(&self, d: Diagnostic, at: Position) -> Diagnostic {
        self.at(d, at.line, at.column)
    }
}

/// A sink that keeps the `id`s of every HTML page instead of the page, and
/// only checks that copied files can be opened.
#[derive(Default)]
struct AnchorSink {
    ids: Mutex<HashMap<String, HashSet<String>>>,
}

impl AnchorSink {
    fn into_ids(self) -> HashMap<String, HashSet<String>> {
        self.ids
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for AnchorSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), IoError> {
        if path.ends_with(".html") {
            let ids = links::html_ids(&String::from_utf8_lossy(bytes));
            self.ids
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(path.to_string(), ids);
        }
        Ok(())
    }

    fn copy(&self, _path: &str, from: &Path) -> Result<(), IoError> {
        std::fs::File::open(from)
            .map(drop)
            .map_err(|e| IoError::new("read", from, e))
    }
}
