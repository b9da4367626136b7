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
            return Err(RenderError::Theme(format!(
                "site.yaml names the theme `{name}`, but there is no folder themes/{name}/ in the site"
            )));
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| RenderError::Template(error_chain(&e)))?;
        Ok(Theme { tera, statics })
    }
}

/// HTML escaping without tera's `/` → `&#x2F;`, which is valid but makes
/// every URL in a page hard to read.
fn escape_html(input: &str) -> String {
    // Called for every variable printed in every page: copy the runs
    // between special characters whole rather than char by char.
    let mut out = String::with_capacity(input.len() + 8);
    let mut copied = 0;
    for (at, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[copied..at]);
        out.push_str(entity);
        copied = at + 1;
    }
    out.push_str(&input[copied..]);
    out
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
        let entry =
            entry.map_err(|e| RenderError::Theme(format!("cannot read the theme folder: {e}")))?;
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && !crate::ignored::is_ignored_name(&name) {
            let rel = crate::diagnostic::display_path(dir, entry.path());
            files.push((rel, entry.path().to_path_buf()));
        }
    }
    Ok(files)
}

/// Tera hides the useful part of an error in its sources.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_without_slashes() {
        assert_eq!(
            escape_html("<a href=\"x/y\">&'"),
            "&lt;a href=&quot;x/y&quot;&gt;&amp;&#39;"
        );
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
