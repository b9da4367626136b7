//! Writes a realistic synthetic site of N packs, for benchmarks and scale
//! tests, and optionally the equivalent Hugo site (same pages, same
//! Markdown bodies, tags as a taxonomy) to compare against.
//!
//! ```sh
//! cargo run --release --example gen-site -- --packs 1000 --out /tmp/site --hugo /tmp/hugo-site
//! cargo run --release --example gen-site -- --packs 10000 --prose --out /tmp/prose
//! ```
//!
//! The output is deterministic: the same `--packs` and `--seed` always
//! give byte-identical files.

mod synth;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Write a synthetic flippack site (and optionally its Hugo twin)")]
struct Args {
    /// How many packs to write
    #[arg(long)]
    packs: usize,
    /// The flippack site folder to write (must be empty or absent)
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator; the same seed gives the same site
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write the equivalent Hugo site into this folder
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// Write the texts in a vocabulary of about 50,000 words with the
    /// frequencies of real prose (a long tail of rare words), rather than
    /// a few hundred: for sizing the search index
    #[arg(long)]
    prose: bool,
    /// Write minimal packs (an overview, tags, one resource, a workshop
    /// of one prompt), and with --hugo a Hugo twin of one plain template
    #[arg(long)]
    minimal: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let started = Instant::now();
    synth::use_prose(args.prose);
    let site = synth::generate(args.packs, args.seed);
    let mut result = if args.minimal {
        synth::write_flippack_minimal(&site, &args.out)
    } else {
        synth::write_flippack(&site, &args.out)
    };
    if let (Ok(()), Some(hugo)) = (&result, &args.hugo) {
        result = if args.minimal {
            synth::write_hugo_minimal(&site, hugo)
        } else {
            synth::write_hugo(&site, hugo)
        };
    }
    match result {
        Ok(()) => {
            eprintln!(
                "wrote {} packs, {} pathways ({} words of Markdown) in {} ms",
                site.packs.len(),
                site.pathways.len(),
                site.words(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
