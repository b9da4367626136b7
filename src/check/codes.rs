//! The attendance codes file, read as `build` reads it (`--codes`, else
//! `FLIPPACK_CODES`, else `attendance.yaml` beside site.yaml), so that a
//! coach sees its mistakes in `flippack check` and not first in a build.
//! The file is only checked: the deliberately slow proofs a build
//! publishes for each code are not computed.

use std::path::Path;

use crate::attendance::codes;
use crate::content::Site;
use crate::diagnostic::Diagnostics;

/// Every problem of the codes file, against the loaded `site`: its own,
/// and codes for packs or sessions the site does not have. Nothing for a
/// site without a codes file.
pub fn against_site(root: &Path, flag: Option<&Path>, site: &Site) -> Diagnostics {
    let Some(path) = codes::codes_path(root, flag) else {
        return Diagnostics::default();
    };
    match codes::read(root, &path) {
        Ok(codes) => codes.check_against(site),
        Err(problems) => problems,
    }
}

/// The codes file's own problems, for when the site did not load: which
/// packs and sessions there are is not known then, but a short or
/// repeated code is still worth reporting in the same run.
pub fn on_its_own(root: &Path, flag: Option<&Path>) -> Diagnostics {
    let Some(path) = codes::codes_path(root, flag) else {
        return Diagnostics::default();
    };
    match codes::read(root, &path) {
        Ok(codes) => codes.problems,
        Err(problems) => problems,
    }
}
