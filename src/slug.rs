//! Turning names (tags, headings) into URL-safe slugs.

/// Lower-cases `text` and turns every run of characters that are not
/// letters or digits into a single hyphen: `"Classroom  Management!"` →
/// `"classroom-management"`. Letters outside ASCII are kept (lower-cased),
/// since browsers and file systems handle UTF-8 paths and transliteration
/// would merge distinct words.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        let cases = [
            ("ELL", "ell"),
            ("Classroom  Management!", "classroom-management"),
            ("  -- wait time --", "wait-time"),
            ("K-12", "k-12"),
            (
                "Response to Intervention (RTI)",
                "response-to-intervention-rti",
            ),
            ("Éducation", "éducation"),
            ("!!!", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(slugify(text), expected, "{text}");
        }
    }
}
