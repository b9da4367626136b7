//! flippack turns flipped professional-learning resource packs, written in
//! Markdown with YAML front matter, into a static site for teachers.
//!
//! The data flows one way: [`input`] reads the coach's files as written,
//! [`config`] makes the site's settings of `site.yaml`,
//! [`content::discover`] finds the files, [`content::load`] reads and
//! validates them into the [`content::model`], [`render`] turns the model
//! into pages and [`output`] writes them. [`credit`] holds the credit-hour
//! rules as pure functions. Each stage uses only those below it; the order
//! is written down, and kept, in `tests/layers.rs`.

#![allow(
    clippy::result_large_err,
    reason = "a Diagnostic is built only on the error path, where its size costs nothing"
)]

pub mod attendance;
pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod credit;
pub mod date;
pub mod diagnostic;
pub mod error;
pub mod export;
pub mod hours;
pub mod html;
pub mod ignored;
pub mod input;
pub mod layout;
pub mod links;
pub mod markdown;
pub mod output;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schedule;
pub mod serve;
pub mod slug;
pub mod verify;

pub use build::{build, build_with_progress, BuildOptions, BuildReport, Progress};
pub use content::{load_site, LoadOptions, Loaded, Site};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use error::Error;
