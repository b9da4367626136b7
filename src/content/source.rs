//! What the files of `content/` share once read: the text of a source
//! file, its front matter cut from its body, and the problems found in it,
//! each pointed at a key of the front matter.
//!
//! It sits below the files that validate packs, pathways, resources and
//! tags, so that they and the loader that runs them all look down to it
//! rather than into one another.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::discover::PackFiles;
use super::frontmatter::{split, UnclosedFrontMatter};
use super::locate::{Locator, Step};
use super::model::SourceFile;
use super::raw::{RawPack, RawPage};
use super::text;
use crate::diagnostic::{display_path, Code, Diagnostic, Lines};
use crate::links;
use crate::markdown::{self, HtmlPolicy, Origin, RemovedHtml, Rendered};

pub use crate::layout::RESERVED_PAGE_NAMES;

/// A text file of the site, read whole, and cut at its front matter as it
/// is read: the loader's passes and the model all use that one cut.
#[derive(Debug)]
pub(super) struct Source {
    /// Relative to the site root, for diagnostics.
    pub(super) shown: String,
    /// Relative to `content/`, for links.
    pub(super) content_rel: String,
    /// Shared with the model's [`SourceFile`], so that checks point at
    /// lines without reading the file again.
    pub(super) text: Arc<str>,
    /// Where the front matter and the body are, or why the front matter
    /// cannot be cut off.
    cut: Result<Cut, UnclosedFrontMatter>,
}

/// Where [`split`] found a file's front matter and body, as byte offsets
/// into its text.
#[derive(Debug, Clone)]
struct Cut {
    yaml: Option<Range<usize>>,
    yaml_line: usize,
    body_start: usize,
    body_line: usize,
}

impl Cut {
    fn of(text: &str) -> Result<Cut, UnclosedFrontMatter> {
        // `split` returns slices of `text`: their offsets are where they
        // start in it.
        let offset = |part: &str| part.as_ptr() as usize - text.as_ptr() as usize;
        split(text).map(|s| Cut {
            yaml: s.yaml.map(|y| offset(y)..offset(y) + y.len()),
            yaml_line: s.yaml_line,
            body_start: offset(s.body),
            body_line: s.body_line,
        })
    }
}

impl Source {
    /// The file as the model keeps it.
    pub(super) fn file(&self) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(self.shown.clone(), Arc::clone(&self.text)))
    }
}

pub(super) fn read_source(root: &Path, path: &Path) -> Result<Source, Diagnostic> {
    let shown = display_path(root, path);
    let content_rel = display_path(&root.join("content"), path);
    match text::read_text(path, &shown, &text::MARKDOWN)? {
        Some(text) => {
            let cut = Cut::of(&text);
            Ok(Source {
                shown,
                content_rel,
                text: text.into(),
                cut,
            })
        }
        None => Err(Diagnostic::error(
            Code::Unreadable,
            shown,
            "cannot read this file: it was removed while the site was read",
        )),
    }
}

/// A Markdown file cut at its front matter.
pub(super) struct Parts<'a> {
    pub(super) yaml: &'a str,
    pub(super) yaml_line: usize,
    pub(super) body: &'a str,
    pub(super) body_line: usize,
    pub(super) has_front_matter: bool,
}

/// The front matter and body of `source`, as cut when it was read.
pub(super) fn parts(source: &Source) -> Result<Parts<'_>, Diagnostic> {
    let cut = source.cut.as_ref().map_err(|unclosed| {
        Diagnostic::error(
            Code::FrontMatter,
            source.shown.clone(),
            unclosed.to_string(),
        )
        .with_help("end the front matter with a line that holds only `---`")
        .at(&source.text, 1, 1)
    })?;
    let text = &source.text;
    Ok(Parts {
        yaml: cut.yaml.clone().and_then(|r| text.get(r)).unwrap_or(""),
        yaml_line: cut.yaml_line,
        body: text.get(cut.body_start..).unwrap_or(""),
        body_line: cut.body_line,
        has_front_matter: cut.yaml.is_some(),
    })
}

/// Renders the Markdown body of a file cut by [`parts`], with its links
/// resolved from the file's own place.
pub(super) fn render_body(
    source: &Source,
    parts: &Parts<'_>,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    html: HtmlPolicy<'_>,
) -> Rendered {
    markdown::render_with(
        parts.body,
        &Origin {
            source: &source.content_rel,
            first_line: parts.body_line,
            url_of,
        },
        &html,
    )
}

pub(super) struct ParsedPage {
    pub(super) source: Source,
    pub(super) front: RawPage,
}

impl ParsedPage {
    pub(super) fn parts(&self) -> Parts<'_> {
        // Already cut once without error.
        parts(&self.source).unwrap_or(Parts {
            yaml: "",
            yaml_line: 1,
            body: "",
            body_line: 1,
            has_front_matter: false,
        })
    }

    pub(super) fn render(
        &self,
        url_of: &(dyn Fn(&str) -> Option<String> + Sync),
        html: HtmlPolicy<'_>,
    ) -> Rendered {
        render_body(&self.source, &self.parts(), url_of, html)
    }
}

pub(super) struct ParsedPack {
    pub(super) files: PackFiles,
    pub(super) source: Source,
    pub(super) raw: RawPack,
    pub(super) pages: Vec<ParsedPage>,
}

/// A pack as the first pass of loading leaves it.
pub(super) struct ReadPack {
    pub(super) files: PackFiles,
    /// Its tags as written, for the spelling check across packs.
    pub(super) tags: Vec<String>,
    pub(super) draft: bool,
    /// Its files as read, kept for the second pass unless the load
    /// streams: then the second pass reads them again, so that the text of
    /// every pack is never held at once.
    pub(super) parsed: Option<ParsedPack>,
}

/// Problems of one file, each pointed at a front matter key. A file may
/// have thousands (a resource list pasted with a broken path in each), so
/// its lines are indexed on the first.
pub(super) struct Problems<'a> {
    pub(super) source: &'a Source,
    pub(super) locator: Locator<'a>,
    pub(super) found: Vec<Diagnostic>,
    lines: std::cell::OnceCell<Lines>,
}

impl<'a> Problems<'a> {
    pub(super) fn new(source: &'a Source, parts: &Parts<'a>) -> Self {
        Problems {
            source,
            locator: Locator::new(parts.yaml, parts.yaml_line),
            found: Vec::new(),
            lines: std::cell::OnceCell::new(),
        }
    }

    pub(super) fn error(
        &mut self,
        code: Code,
        path: &[Step<'_>],
        message: String,
        help: Option<String>,
    ) {
        let (line, column) = self.locator.position(path);
        let text = &self.source.text;
        let lines = self.lines.get_or_init(|| Lines::of(text));
        let mut d = Diagnostic::error(code, self.source.shown.clone(), message).at_line(
            lines.get(text, line),
            line,
            column,
        );
        d.help = help;
        self.found.push(d);
    }

    pub(super) fn warn(
        &mut self,
        code: Code,
        path: &[Step<'_>],
        message: String,
        help: Option<String>,
    ) {
        self.error(code, path, message, help);
        if let Some(last) = self.found.last_mut() {
            last.severity = crate::diagnostic::Severity::Warning;
        }
    }
}

/// Reports links to site files that do not exist.
pub(super) fn broken_links(source: &Source, rendered: &Rendered) -> Vec<Diagnostic> {
    // Indexed on the first broken link: there may be thousands in a file.
    let lines = std::cell::OnceCell::new();
    rendered
        .links
        .iter()
        .filter_map(|link| {
            let message = match &link.target {
                links::Target::Content { path, .. } if link.url.is_none() => {
                    format!("`{}` links to `content/{path}`, which is not part of the site", link.dest)
                }
                links::Target::Escapes => format!("`{}` points outside the content folder", link.dest),
                _ => return None,
            };
            Some(
                Diagnostic::error(Code::BrokenLink, source.shown.clone(), message)
                    .with_help("link to another page by its .md file, e.g. `guide.md` or `../other-pack/pack.md`; drafts are only published with --drafts")
                    .at_line(
                        lines.get_or_init(|| Lines::of(&source.text)).get(&source.text, link.line),
                        link.line,
                        link.column,
                    ),
            )
        })
        .collect()
}

/// Reports raw HTML that was taken out of a page: a warning, since the
/// page is still published, without it.
pub(super) fn removed_html(source: &Source, removed: &[RemovedHtml]) -> Vec<Diagnostic> {
    removed
        .iter()
        .map(|r| {
            Diagnostic::warning(Code::HtmlRemoved, source.shown.clone(), r.message.clone())
                .with_help(r.help.clone())
                .at(&source.text, r.line, r.column)
        })
        .collect()
}

/// Reports a required text key that holds only spaces. `owner` names what
/// the key belongs to ("pack", "pathway"), so the help asks for the right
/// thing.
pub(super) fn non_empty(
    problems: &mut Problems<'_>,
    path: &[Step<'_>],
    value: &str,
    name: &str,
    owner: &str,
) {
    if value.trim().is_empty() {
        problems.error(
            Code::EmptyValue,
            path,
            format!("`{name}` is empty"),
            Some(format!("write the {owner}'s {name}")),
        );
    }
}
