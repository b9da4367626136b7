//! The error a command stops with.
//!
//! It gathers the errors of every stage below the commands, so it lives
//! here, beside them, rather than in `lib.rs`: the commands use it and
//! the crate root only re-exports it, so no stage has to reach up to the
//! root for it.

use crate::diagnostic::{Diagnostics, IoError};
use crate::export::ExportError;
use crate::output::OutputError;
use crate::render::RenderError;
use crate::scaffold::ScaffoldError;
use crate::serve::ServeError;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's content, each with file and line.
    #[error("the site has problems: {}", .0.summary())]
    Content(Diagnostics),
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The output folder cannot be used.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// `init` or `new` refused, saying why.
    #[error(transparent)]
    Scaffold(#[from] ScaffoldError),
    /// A file could not be written.
    #[error(transparent)]
    Io(#[from] IoError),
    /// What the command prints could not be written: a full disk, or a
    /// program reading its output (after a `|`) that stopped early.
    #[error(
        "cannot write to standard output: {0}\n  = help: check that the disk is not full, \
         or that the program reading flippack's output did not stop early"
    )]
    Stdout(#[source] std::io::Error),
    /// `flippack serve` cannot listen, watch or start.
    #[error(transparent)]
    Serve(#[from] ServeError),
    /// `flippack export` refused, saying why.
    #[error(transparent)]
    Export(#[from] ExportError),
}
