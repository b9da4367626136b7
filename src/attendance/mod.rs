//! Attendance codes, verified without a server: the codes file, what a
//! site publishes for each session, and the token on a teacher's record.
//!
//! [`token`] holds the cryptography and knows nothing of the site;
//! [`codes`] reads `attendance.yaml` and checks it against the loaded
//! site. docs/attendance.md explains the scheme to PD offices.

pub mod codes;
pub mod token;

use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Site;
use crate::diagnostic::Diagnostics;
use crate::slug::slugify;
use token::{Published, SessionId};

/// The site's identity on records and in tokens: a record from one site
/// never verifies against another. It is the key the site's pages keep a
/// teacher's progress under, so a record names the same site its
/// progress came from.
pub fn site_id(config: &Config) -> String {
    format!("flippack:{}:{}", config.base_url, slugify(&config.title))
}

/// Reads the site's codes file (see [`codes::codes_path`]), checks it
/// against `site` and sets `site.attendance` to the proofs of its codes.
/// A site without a codes file gets none, and pages ask for no code.
pub fn attach(root: &Path, flag: Option<&Path>, site: &mut Site) -> Result<(), Diagnostics> {
    site.attendance = Published::new();
    let Some((codes, published)) = read(root, flag, &site.config)? else {
        return Ok(());
    };
    let problems = codes.check_against(site);
    if problems.has_errors() {
        return Err(problems);
    }
    site.attendance = published;
    Ok(())
}

/// The site's codes file, read, and the proofs pages publish for its
/// codes, which need only the site's configuration: a build that writes
/// each pack's pages as the pack loads has them before the packs, and
/// checks the codes against the packs ([`codes::Codes::check_against`])
/// once they are loaded. `None` without a codes file.
pub fn read(
    root: &Path,
    flag: Option<&Path>,
    config: &Config,
) -> Result<Option<(codes::Codes, Published)>, Diagnostics> {
    let Some(path) = codes::codes_path(root, flag) else {
        return Ok(None);
    };
    let codes = codes::read(root, &path)?;
    let published = publish(&codes, &site_id(config));
    Ok(Some((codes, published)))
}

/// The proofs of every code, computed in parallel: each is a deliberately
/// slow hash.
pub fn publish(codes: &codes::Codes, site: &str) -> Published {
    let proofs: Vec<(String, token::SessionProof)> = codes
        .entries
        .par_iter()
        .map(|e| {
            let session = SessionId {
                site,
                pack: &e.pack,
                date: &e.date,
            };
            (e.pack.clone(), token::proof(&e.code, session))
        })
        .collect();
    let mut published = Published::new();
    for (pack, proof) in proofs {
        published.entry(pack).or_default().push(proof);
    }
    for proofs in published.values_mut() {
        proofs.sort_by(|a, b| a.date.cmp(&b.date));
    }
    published
}
