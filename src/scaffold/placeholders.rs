//! The placeholder texts of the `flippack new` templates.
//!
//! A template marks each text a coach must replace as `{{?text}}`. Writing
//! the template drops the marks ([`fill`]); `flippack check` and
//! `flippack build` look for the texts themselves ([`all`]) in the site,
//! so the list of what counts as a placeholder is the templates, and a
//! text added to a template is found without touching anything else.

use std::sync::OnceLock;

const OPEN: &str = "{{?";
const CLOSE: &str = "}}";

/// `template` with every `{{?text}}` written as `text`.
pub fn fill(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some((before, text, after)) = next(rest) {
        out.push_str(before);
        out.push_str(text);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The marked texts of `template`, in order.
pub fn marked(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some((_, text, after)) = next(rest) {
        found.push(text);
        rest = after;
    }
    found
}

/// Every placeholder text of the `new pack` and `new pathway` templates,
/// longest first, so that a line is matched against the most specific one.
pub fn all() -> &'static [&'static str] {
    static ALL: OnceLock<Vec<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut texts: Vec<&'static str> = super::NEW_TEMPLATES
            .iter()
            .flat_map(|t| marked(t))
            .collect();
        texts.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        texts.dedup();
        texts
    })
}

/// The text before the next mark, the marked text and the text after it.
fn next(text: &str) -> Option<(&str, &str, &str)> {
    let start = text.find(OPEN)?;
    let inner = &text[start + OPEN.len()..];
    let end = inner.find(CLOSE)?;
    Some((&text[..start], &inner[..end], &inner[end + CLOSE.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_dropped_and_listed() {
        let template = "a: {{?Say it.}}\nb: {{title}}\nc: {{?https://example.org/x}}\n";
        assert_eq!(
            fill(template),
            "a: Say it.\nb: {{title}}\nc: https://example.org/x\n"
        );
        assert_eq!(marked(template), ["Say it.", "https://example.org/x"]);
        assert_eq!(fill("no marks"), "no marks");
    }

    #[test]
    fn every_template_placeholder_is_listed_and_none_is_left_marked() {
        let listed = all();
        for template in super::super::NEW_TEMPLATES {
            for text in marked(template) {
                assert!(listed.contains(&text), "{text}");
                assert!(
                    !text.contains('\n'),
                    "one line each, so it is found by line: {text}"
                );
                assert!(!text.trim().is_empty());
            }
            assert!(!fill(template).contains(OPEN));
        }
        for expected in [
            "One sentence that tells a teacher what this pack is about.",
            "Teachers can ...",
            "https://example.org/replace-with-the-address",
            "Describe the classroom task here.",
            "One sentence that says who this series is for and what it covers.",
        ] {
            assert!(listed.contains(&expected), "{expected}");
        }
    }
}
