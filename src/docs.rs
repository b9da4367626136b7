//! `flippack docs`: the reference documents, built into the binary.
//!
//! Comments in `site.yaml` and the pack template point at them, and a
//! coach who installed flippack with `cargo install` has no clone of the
//! repository to read them in, so the binary carries them (`include_str!`)
//! and prints them as they are, Markdown and all.

use clap::ValueEnum;

/// A reference document.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Topic {
    /// site.yaml, pack.md, pages, pathways, durations and credit hours
    ContentFormat,
    /// every finding of `flippack check`, with its code and how to fix it
    Check,
    /// restyling the site: templates, their variables, the stylesheet
    Theming,
    /// `flippack serve`: live reload and the error overlay
    Serve,
    /// `flippack export`: packs in Canvas, Moodle, Schoology and other LMSs
    Lms,
    /// the README: the workflow from a new site to a published one, and every command
    Readme,
}

impl Topic {
    /// The document's Markdown.
    pub fn text(self) -> &'static str {
        match self {
            Topic::ContentFormat => include_str!("../docs/content-format.md"),
            Topic::Check => include_str!("../docs/check.md"),
            Topic::Theming => include_str!("../docs/theming.md"),
            Topic::Serve => include_str!("../docs/serve.md"),
            Topic::Lms => include_str!("../docs/lms.md"),
            Topic::Readme => include_str!("../README.md"),
        }
    }
}

/// What `flippack docs` prints without a topic: each topic and its command.
pub fn list() -> String {
    let mut text = String::from("The reference documents, printed as Markdown:\n\n");
    for topic in Topic::value_variants() {
        let Some(value) = topic.to_possible_value() else {
            continue;
        };
        text.push_str(&format!(
            "  flippack docs {:<16} {}\n",
            value.get_name(),
            value.get_help().map(|h| h.to_string()).unwrap_or_default()
        ));
    }
    text.push_str("\nPipe one into a pager or a file: flippack docs content-format | less\n");
    text
}
