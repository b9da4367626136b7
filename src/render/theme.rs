//! The theme: templates compiled once, and the static files to copy.
//!
//! The default theme is embedded in the binary. A site may name its own
//! theme (`theme:` in site.yaml) in `themes/<name>/`; each template or
//! static file it provides replaces the default one of the same name and
//! the rest fall back, so a coach can restyle one page without copying the
//! whole theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use super::RenderError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// Templates the renderer uses; a theme may override any of them.
pub const TEMPLATE_NAMES: &[&str] = &[
    "base.html",
    "card.html",
    "index.html",
    "pack.html",
    "page.html",
    "pathway.html",
    "tags.html",
    "tag.html",
    "404.html",
    "facilitator.html",
    "my-learning.html",
    "attendance.html",
    "atom.xml",
    "sitemap.xml",
];

/// A static file of the theme, published under `static/`.
#[derive(Debug, Clone)]
pub enum StaticFile {
    Embedded(&'static [u8]),
    OnDisk(PathBuf),
}

/// A compiled theme.
pub struct Theme {
    pub tera: Tera,
    /// Path under `static/` → where its bytes come from.
    pub statics: BTreeMap<String, StaticFile>,
    /// Which lists of cards are spliced rather than rendered from values.
    pub card_lists: super::CardLists,
}

impl Theme {
    /// Compiles the default templates, overridden by those of the site's
    /// theme folder `themes/<name>/` under `root`, when it has one.
    pub fn load(root: &Path, name: &str) -> Result<Theme, RenderError> {
        let mut sources: BTreeMap<String, String> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        for (path, bytes) in embedded::FILES {
            if let Some(template) = path.strip_prefix("templates/") {
                sources.insert(
                    template.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                );
            } else if let Some(file) = path.strip_prefix("static/") {
                statics.insert(file.to_string(), StaticFile::Embedded(bytes));
            }
        }

        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for (rel, path) in files_under(&dir.join("templates"))? {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| RenderError::io("read", &path, e))?;
                sources.insert(rel, text);
            }
            for (rel, path) in files_under(&dir.join("static"))? {
                statics.insert(rel, StaticFile::OnDisk(path));
            }
        } else if name != "default" {
            return Err(RenderError::Theme(ThemeError::NoFolder {
                name: name.to_string(),
            }));
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(crate::html::escape);
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| RenderError::Template(TemplateError::from_tera(&e)))?;
        let card_lists = super::CardLists::of(&tera);
        Ok(Theme {
            tera,
            statics,
            card_lists,
        })
    }
}

/// Files below `dir` as (path relative to `dir` with `/`, full path).
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>, RenderError> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| RenderError::Theme(ThemeError::Unreadable(e)))?;
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && !crate::ignored::is_ignored_name(&name) {
            let rel = crate::diagnostic::display_path(dir, entry.path());
            files.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(files)
}

/// A theme that cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error(
        "site.yaml names the theme `{name}`, but there is no folder themes/{name}/ in the site"
    )]
    NoFolder { name: String },
    #[error("cannot read the theme folder: {0}")]
    Unreadable(#[source] walkdir::Error),
}

/// A template tera could not compile or render, with the template and
/// the place in it when tera says: it names the template for every error
/// and gives a line and column for syntax errors only.
///
/// tera reports both only in the text of its messages (`Failed to parse
/// 'pack.html'`, ` --> 3:1`), so they are read from there; when its
/// wording changes they are `None` and the message is still whole.
#[derive(Debug, thiserror::Error)]
#[error("{text}")]
pub struct TemplateError {
    /// The template at fault: for a page that extends another, the one
    /// where the error happened.
    pub template: Option<String>,
    /// 1-based line and column in `template`.
    pub position: Option<(usize, usize)>,
    /// The message, every cause after the last.
    text: String,
}

impl TemplateError {
    /// A template that does not compile, or a context tera refused.
    pub fn from_tera(err: &tera::Error) -> Self {
        Self::with_text(err, error_chain(err))
    }

    /// `template`, rendering the page at `url`, failed.
    pub fn rendering(template: &str, url: &str, err: &tera::Error) -> Self {
        let mut error =
            Self::with_text(err, format!("{template} (for {url}): {}", error_chain(err)));
        error.template.get_or_insert_with(|| template.to_string());
        error
    }

    /// A page's data that could not be made into template variables.
    pub fn data(err: &serde_json::Error) -> Self {
        TemplateError {
            template: None,
            position: None,
            text: err.to_string(),
        }
    }

    fn with_text(err: &tera::Error, text: String) -> Self {
        let messages = chain(err);
        let template = messages
            .iter()
            .find_map(|m| quoted_after(m, "(error happened in '"))
            .or_else(|| {
                messages.iter().find_map(|m| {
                    quoted_after(m, "Failed to parse '")
                        .or_else(|| quoted_after(m, "Failed to render '"))
                })
            });
        let position = messages.iter().find_map(|m| pest_position(m));
        TemplateError {
            template,
            position,
            text,
        }
    }
}

/// The messages of `err` and of each of its sources.
fn chain(err: &dyn std::error::Error) -> Vec<String> {
    let mut messages = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages
}

/// `name` in `…{start}name'…`.
fn quoted_after(message: &str, start: &str) -> Option<String> {
    let rest = &message[message.find(start)? + start.len()..];
    Some(rest[..rest.find('\'')?].to_string())
}

/// The `3:1` of a syntax error's ` --> 3:1` line.
fn pest_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("--> ")? + 4..];
    let at = rest.split_whitespace().next()?;
    let (line, column) = at.split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Tera hides the useful part of an error in its sources.
fn error_chain(err: &dyn std::error::Error) -> String {
    chain(err).join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_errors_name_the_template_and_the_line() {
        let mut tera = Tera::default();
        let err = tera
            .add_raw_templates(vec![
                ("base.html", "ok"),
                ("pack.html", "one\n\n{% if %}\n"),
            ])
            .unwrap_err();
        let err = TemplateError::from_tera(&err);
        assert_eq!(err.template.as_deref(), Some("pack.html"));
        assert_eq!(err.position, Some((3, 7)));
        assert!(
            err.to_string().starts_with("Failed to parse 'pack.html'"),
            "{err}"
        );

        let mut tera = Tera::default();
        tera.add_raw_templates(vec![
            ("base.html", "line\n{{ missing }}"),
            ("page.html", "{% extends \"base.html\" %}"),
        ])
        .unwrap();
        let err = tera.render("page.html", &tera::Context::new()).unwrap_err();
        let err = TemplateError::rendering("page.html", "a/index.html", &err);
        assert_eq!(err.template.as_deref(), Some("base.html"));
        assert_eq!(err.position, None);
        assert!(
            err.to_string()
                .starts_with("page.html (for a/index.html): "),
            "{err}"
        );
        assert!(err.to_string().contains("`missing`"), "{err}");
    }

    #[test]
    fn default_theme_compiles_and_has_every_template() {
        let theme = Theme::load(Path::new("/nonexistent"), "default").unwrap();
        for name in TEMPLATE_NAMES {
            assert!(
                theme.tera.get_template_names().any(|n| n == *name),
                "{name}"
            );
        }
        assert!(theme.statics.contains_key("style.css"));
    }
}
