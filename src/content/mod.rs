//! Content: discovery, front matter, validation and the model.
//!
//! The stages run in that order: [`discover`] lists files by role, [`load`]
//! reads and validates them into the [`model`].

pub mod confine;
pub mod discover;
pub mod frontmatter;
pub mod load;
pub mod locate;
pub mod media;
pub mod model;
mod pack;
mod pathway;
pub mod raw;
mod resource;
mod source;
mod tags;
pub mod text;

pub use load::{load_site, reload_pack, LoadOptions, Loaded, PackReload};
pub use model::*;
