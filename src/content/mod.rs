//! Content: discovery, front matter, validation and the model.
//!
//! The stages run in that order: [`discover`] lists files by role, [`load`]
//! reads and validates them into the [`model`].

pub mod discover;
// Read with helpers below both the config and the content; kept here under
// their old names.
pub use crate::input::{confine, frontmatter, locate, text};
mod cycle;
pub mod load;
pub mod media;
pub mod model;
mod pack;
mod pathway;
pub mod raw;
mod resource;
mod schedule;
mod source;
mod tags;

pub use load::{load_site, reload_pack, LoadOptions, Loaded, Loading, PackReload, PackVisit};
pub use model::*;
