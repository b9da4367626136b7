//! A small XML writer: every text and attribute value goes through one
//! escaper, so a title with `&` or `<` cannot break a manifest, and the
//! characters XML 1.0 forbids (most control characters) are dropped
//! rather than written into a file an LMS would then refuse.

use crate::html::escape;

/// An XML document being written, element by element, indented.
pub struct Xml {
    out: String,
    /// The names of the open elements, innermost last.
    open: Vec<String>,
}

impl Xml {
    /// A document with its XML declaration.
    pub fn new() -> Self {
        Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
        }
    }

    /// Opens `<name attrs…>`; [`Xml::close`] closes it.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attrs);
        self.out.push_str(">\n");
        self.open.push(name.to_string());
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.out.push_str("</");
            self.out.push_str(&name);
            self.out.push_str(">\n");
        }
    }

    /// `<name attrs…>text</name>` on one line.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.start_tag(name, attrs);
        self.out.push('>');
        self.out.push_str(&escape_xml(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs…/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.start_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// The document, with every element still open closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escape_xml(value));
            self.out.push('"');
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }
}

impl Default for Xml {
    fn default() -> Self {
        Xml::new()
    }
}

/// `text` safe as XML character data and inside a quoted attribute.
pub fn escape_xml(text: &str) -> String {
    let allowed = |c: &char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if text.chars().all(|c| allowed(&c)) {
        escape(text)
    } else {
        escape(&text.chars().filter(allowed).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes_and_drops_control_characters() {
        let mut xml = Xml::new();
        xml.open("a", &[("title", "\"Tom\" & <Jerry>")]);
        xml.text("b", &[], "1 < 2 & bell\u{7}");
        xml.empty("c", &[("href", "x.html")]);
        let doc = xml.finish();
        assert!(doc.contains("<a title=\"&quot;Tom&quot; &amp; &lt;Jerry&gt;\">"));
        assert!(doc.contains("<b>1 &lt; 2 &amp; bell</b>"));
        assert!(doc.contains("<c href=\"x.html\"/>"));
        assert!(doc.trim_end().ends_with("</a>"));
    }
}
