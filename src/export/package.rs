//! The files of the site that go into a package, made to work on their
//! own inside an LMS.
//!
//! A package holds the pages of its packs (each pack's page, its further
//! pages, its workshop plan and its files) and the theme's static files,
//! all rendered by the site's own theme, at the same paths as on the
//! site, so every relative link between them keeps working. The rest of
//! the site (the catalog, tags, My learning, the search index) is not in
//! the package: a link to it is made to point at the published site when
//! `base_url` is a full address, and is otherwise taken out, so a teacher
//! never follows a link to a page that is not there.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::content::Pack;
use crate::layout::{self, BaseUrl};
use crate::links::{self, Target};

use super::ExportError;

/// The theme's script that reports to a SCORM LMS, under `static/`.
pub const SCORM_SCRIPT: &str = "scorm.js";

/// The theme's search script, under `static/`: left out of packages,
/// which have no search index for it to load.
const SEARCH_SCRIPT: &str = "search.js";

/// The files of a package: path in the zip → bytes, in path order.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Takes from a rendered site the files of `packs` and the theme's
/// static files; `scorm` keeps the SCORM script, which only SCORM
/// packages load.
pub fn site_files(rendered: &HashMap<String, Vec<u8>>, packs: &[&Pack], scorm: bool) -> Files {
    let folders: Vec<String> = packs
        .iter()
        .map(|p| format!("{}/", layout::pack_folder(&p.slug)))
        .collect();
    let scorm_script = layout::theme_file(SCORM_SCRIPT);
    let search_script = layout::theme_file(SEARCH_SCRIPT);
    rendered
        .iter()
        .filter(|(path, _)| {
            (path.starts_with(layout::STATIC_FOLDER)
                && (scorm || **path != scorm_script)
                && **path != search_script)
                || folders.iter().any(|f| path.starts_with(f.as_str()))
        })
        .map(|(path, bytes)| (path.clone(), bytes.clone()))
        .collect()
}

/// Every HTML page of `files` with its links to pages outside the
/// package pointed at the published site, or taken out. A file the
/// package lacks that a page *loads* (an image, a script, a caption
/// track) is an error: the page would show broken inside the LMS.
pub fn fix_links(files: &mut Files, base_url: &BaseUrl) -> Result<(), ExportError> {
    let present: BTreeSet<String> = files.keys().cloned().collect();
    for (path, bytes) in files.iter_mut() {
        if !path.ends_with(".html") {
            continue;
        }
        let Ok(html) = std::str::from_utf8(bytes) else {
            continue;
        };
        let fixed = fix_page(path, &without_search(html), &present, base_url)?;
        *bytes = fixed.into_bytes();
    }
    Ok(())
}

/// One page's links, as [`fix_links`] says.
fn fix_page(
    path: &str,
    html: &str,
    present: &BTreeSet<String>,
    base_url: &BaseUrl,
) -> Result<String, ExportError> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((before, attr, value, after)) = next_link(rest) {
        out.push_str(before);
        let target = match links::resolve(path, &value.replace("&amp;", "&")) {
            Target::Content { path: target, .. } => Some(target),
            _ => None,
        };
        match target {
            Some(target) if !present.contains(&target) && !present.contains(&index_of(&target)) => {
                if attr == "src" {
                    return Err(ExportError::MissingFile {
                        page: path.to_string(),
                        file: target,
                    });
                }
                if base_url.is_absolute() {
                    out.push_str(" href=\"");
                    out.push_str(&crate::html::escape(&base_url.absolute(&target)));
                    out.push('"');
                }
            }
            _ => {
                out.push(' ');
                out.push_str(attr);
                out.push_str("=\"");
                out.push_str(value);
                out.push('"');
            }
        }
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

/// `html` without the tag that loads the search script. The search box is
/// written `hidden` and shown by that script, so without it the page
/// offers no search that could not find anything.
fn without_search(html: &str) -> String {
    let name = layout::theme_file(SEARCH_SCRIPT);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script src=\"") {
        let Some(len) = rest[start..].find("</script>") else {
            break;
        };
        let end = start + len + "</script>".len();
        let tag = &rest[start..end];
        let src = tag["<script src=\"".len()..]
            .split('"')
            .next()
            .unwrap_or("");
        out.push_str(&rest[..start]);
        if src.trim_start_matches("../") != name {
            out.push_str(tag);
        } else if rest[end..].starts_with('\n') {
            rest = &rest[end + 1..];
            continue;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A folder's address as the site publishes it: `packs/` → `packs/index.html`.
fn index_of(target: &str) -> String {
    if target.is_empty() || target.ends_with('/') {
        format!("{target}{}", layout::HOME)
    } else {
        format!("{target}/{}", layout::HOME)
    }
}

/// The next ` href="…"` or ` src="…"` in `html`: the text before it, the
/// attribute's name, its value as written, and the text after it. The
/// theme's templates quote every attribute with `"`, and the Markdown
/// renderer writes its links the same way.
fn next_link(html: &str) -> Option<(&str, &'static str, &str, &str)> {
    let href = html.find(" href=\"").map(|at| (at, "href"));
    let src = html.find(" src=\"").map(|at| (at, "src"));
    let (at, attr) = match (href, src) {
        (Some(h), Some(s)) => {
            if h.0 < s.0 {
                h
            } else {
                s
            }
        }
        (Some(h), None) => h,
        (None, Some(s)) => s,
        (None, None) => return None,
    };
    let value_start = at + attr.len() + 3;
    let len = html[value_start..].find('"')?;
    Some((
        &html[..at],
        attr,
        &html[value_start..value_start + len],
        &html[value_start + len + 1..],
    ))
}

/// Loads the SCORM script in `html` (the page at `path` of the pack
/// `slug`) before any other script, so that it can put back the
/// teacher's progress from the LMS before the theme's scripts read it.
pub fn add_scorm_script(html: &str, path: &str, slug: &str) -> String {
    let tag = format!(
        "<script src=\"{}{}\" data-scorm-pack=\"{}\"></script>\n",
        links::root_prefix(path),
        layout::theme_file(SCORM_SCRIPT),
        crate::html::escape(slug)
    );
    let at = html
        .find("<script")
        .or_else(|| html.find("</head>"))
        .unwrap_or(0);
    let mut out = String::with_capacity(html.len() + tag.len());
    out.push_str(&html[..at]);
    out.push_str(&tag);
    out.push_str(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn present(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn links_out_of_the_package_point_at_the_site_or_go() {
        let html =
            "<a href=\"../../index.html\">Catalog</a> <a href=\"guide/index.html\">Guide</a> \
                    <a href=\"https://example.org/x\">Web</a> <a href=\"#top\">Top</a>";
        let files = present(&["packs/p/index.html", "packs/p/guide/index.html"]);
        let relative = fix_page("packs/p/index.html", html, &files, &BaseUrl::new("/")).unwrap();
        assert_eq!(
            relative,
            "<a>Catalog</a> <a href=\"guide/index.html\">Guide</a> \
             <a href=\"https://example.org/x\">Web</a> <a href=\"#top\">Top</a>"
        );
        let absolute = fix_page(
            "packs/p/index.html",
            html,
            &files,
            &BaseUrl::new("https://pd.example.org/site/"),
        )
        .unwrap();
        assert!(
            absolute.starts_with("<a href=\"https://pd.example.org/site/\">Catalog"),
            "{absolute}"
        );
    }

    #[test]
    fn a_missing_image_is_an_error() {
        let err = fix_page(
            "packs/p/index.html",
            "<img src=\"chart.png\" alt=\"\">",
            &present(&["packs/p/index.html"]),
            &BaseUrl::new("/"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("packs/p/chart.png"), "{err}");
    }

    #[test]
    fn the_search_script_is_left_out() {
        let html = "<head>\n<script src=\"../../static/site.js\" defer></script>\n\
                    <script src=\"../../static/search.js\" defer></script>\n</head>";
        assert_eq!(
            without_search(html),
            "<head>\n<script src=\"../../static/site.js\" defer></script>\n</head>"
        );
    }

    #[test]
    fn the_scorm_script_comes_before_the_other_scripts() {
        let html = "<head><link rel=\"stylesheet\" href=\"x.css\">\n<script src=\"../../static/site.js\" defer></script></head>";
        let out = add_scorm_script(html, "packs/p/index.html", "p");
        let scorm = out.find("static/scorm.js").unwrap();
        assert!(scorm < out.find("site.js").unwrap());
        assert!(
            out.contains("<script src=\"../../static/scorm.js\" data-scorm-pack=\"p\"></script>")
        );
    }
}
