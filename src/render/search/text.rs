//! Plain text from rendered HTML, for the index and the snippets.

use std::borrow::Cow;

/// The plain text of rendered HTML as short segments: one per block
/// (paragraph, list item, heading, table cell), long blocks cut into
/// sentences.
pub fn segments(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in blocks(html) {
        push_sentences(block, &mut out);
    }
    out
}

/// The plain text of rendered HTML on one line.
pub fn plain_text(html: &str) -> String {
    blocks(html).join(" ")
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "div",
    "td",
    "th",
    "tr",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "table",
    "hr",
    "figcaption",
    "section",
];

/// Text between block boundaries, tags removed, entities decoded and
/// white space collapsed.
fn blocks(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut rest = html;
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let text = collapse_whitespace(&decode_entities(current));
        if !text.is_empty() {
            out.push(text);
        }
        current.clear();
    };
    while let Some(lt) = rest.find('<') {
        current.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[1..end.saturating_sub(1).max(1)];
        rest = &rest[end..];
        // The tag's name, compared in place: this runs for every tag of
        // every page of the site.
        let name = tag.trim_start_matches('/');
        let name = &name[..name
            .bytes()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        if !tag.starts_with('/') {
            if let Some(raw) = ["script", "style"]
                .into_iter()
                .find(|r| name.eq_ignore_ascii_case(r))
            {
                let close = format!("</{raw}");
                rest = find_ascii_case_insensitive(rest, &close).map_or("", |i| &rest[i..]);
                continue;
            }
        }
        if BLOCK_TAGS.iter().any(|b| name.eq_ignore_ascii_case(b)) {
            flush(&mut current, &mut out);
        }
    }
    current.push_str(rest);
    flush(&mut current, &mut out);
    out
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Blocks longer than this are cut into sentences.
const LONG_BLOCK: usize = 200;

/// Cuts a long block after `.`, `?` or `!` when a capital letter or a
/// digit starts the next sentence; a short block is kept whole.
fn push_sentences(block: String, out: &mut Vec<String>) {
    if block.len() <= LONG_BLOCK {
        out.push(block);
        return;
    }
    let mut start = 0;
    let mut chars = block.char_indices();
    let (mut end, mut space) = (chars.next(), chars.next());
    for (at, next) in chars {
        if let (Some((_, e)), Some((space_at, ' '))) = (end, space) {
            if matches!(e, '.' | '?' | '!') && (next.is_uppercase() || next.is_ascii_digit()) {
                let sentence = block[start..space_at].trim();
                if !sentence.is_empty() {
                    out.push(sentence.to_string());
                }
                start = space_at + 1;
            }
        }
        (end, space) = (space, Some((at, next)));
    }
    let last = block[start..].trim();
    if !last.is_empty() {
        out.push(last.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_sentences_without_markup() {
        let html = "<h2 id=\"why\">Why &amp; how</h2>\n<p>First <em>point</em>.</p><ul><li>One</li><li>Two &lt;3&#39;s</li></ul><script>alert(1)</script><!-- note --><p>Tail</p>";
        assert_eq!(
            segments(html),
            ["Why & how", "First point.", "One", "Two <3's", "Tail"]
        );
        let long = format!(
            "{}. Second one here. and not here. 3 more.",
            "word ".repeat(45).trim()
        );
        let got = segments(&format!("<p>{long}</p>"));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], "Second one here. and not here.");
    }
}
