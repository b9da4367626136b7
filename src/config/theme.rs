//! `theme:` in site.yaml naming a folder the site does not have.
//!
//! Checked while the site is read, with the other problems of site.yaml,
//! rather than when the theme is compiled: reading comes before rendering,
//! and a missing theme is the coach's to fix in site.yaml.

use std::path::Path;

use super::FILE_NAME;
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::ignored::is_ignored_name;
use crate::input::text::{read_text, SITE_YAML};

/// `theme-missing`, when `site.yaml` names a theme the site has no folder
/// for: found while the site is read, so that it is reported with every
/// other problem, on the line of `theme:`, with the themes there are.
pub fn missing_theme(root: &Path, name: &str) -> Option<Diagnostic> {
    if name == "default" || root.join("themes").join(name).is_dir() {
        return None;
    }
    let mut themes: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !is_ignored_name(name))
        .collect();
    themes.sort();
    let mut list = vec!["`default` (built into flippack)".to_string()];
    list.extend(themes.iter().map(|t| format!("`{t}`")));
    let help = match did_you_mean(name, themes.iter().map(String::as_str)) {
        Some(best) => format!(
            "did you mean `{best}`? The themes here: {}",
            list.join(", ")
        ),
        None => format!(
            "the themes here: {}; name one of them, or remove `theme:` to use the built-in theme",
            list.join(", ")
        ),
    };
    let d = Diagnostic::error(
        Code::ThemeMissing,
        FILE_NAME,
        format!("there is no theme `{name}`: site.yaml names it, but there is no folder themes/{name}/ in the site"),
    )
    .with_help(help);
    // site.yaml was just read whole; read again only to point at the line.
    let text = read_text(&root.join(FILE_NAME), FILE_NAME, &SITE_YAML)
        .ok()
        .flatten()
        .unwrap_or_default();
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            let value = l.strip_prefix("theme:")?;
            let column = l.len() - value.trim_start().len() + 1;
            Some((i + 1, column))
        })
        .unwrap_or((0, 0));
    Some(d.at(&text, line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_theme_lists_the_themes_there_are() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: T\ntheme:  distrct\n").unwrap();
        assert!(missing_theme(dir.path(), "default").is_none());
        let d = missing_theme(dir.path(), "distrct").unwrap();
        assert_eq!((d.code.as_str(), d.line, d.column), ("theme-missing", 2, 9));
        assert!(d
            .help
            .as_deref()
            .unwrap()
            .starts_with("the themes here: `default`"));
        std::fs::create_dir_all(dir.path().join("themes/district")).unwrap();
        std::fs::create_dir_all(dir.path().join("themes/.git")).unwrap();
        let d = missing_theme(dir.path(), "distrct").unwrap();
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `district`? The themes here: `default` (built into flippack), `district`")
        );
        assert!(missing_theme(dir.path(), "district").is_none());
    }
}
