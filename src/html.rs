//! Escaping text for HTML: one escaper for the theme's variables, the
//! root prefix written into links, and the dev server's own pages, so
//! they cannot disagree on what is safe.

/// `&`, `<`, `>`, `"` and `'` as entities, so `input` is safe as text and
/// inside a quoted attribute. Without tera's `/` → `&#x2F;`, which is valid
/// but makes every URL in a page hard to read.
pub fn escape(input: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_without_slashes() {
        assert_eq!(
            escape("<a href=\"x/y\">&'"),
            "&lt;a href=&quot;x/y&quot;&gt;&amp;&#39;"
        );
    }
}
