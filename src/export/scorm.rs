//! A SCORM 1.2 package: one SCO per pack, its launch page the pack's own
//! page with the theme's `scorm.js`, which reports to the LMS (see
//! docs/lms.md). SCORM 1.2 rather than 2004 because it is the version
//! every LMS and PD platform runs.

use super::package::Files;
use super::xml::Xml;
use super::Contents;

pub const NAMESPACE: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
pub const ADLCP_NAMESPACE: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
const METADATA_NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The identifier of the resource holding every file but the launch pages.
const SHARED: &str = "shared-files";

/// The manifest of a SCORM 1.2 package of `contents`, whose files are
/// `files`.
pub fn manifest(contents: &Contents<'_>, files: &Files) -> String {
    let mut xml = Xml::new();
    let location = format!(
        "{NAMESPACE} imscp_rootv1p1p2.xsd {METADATA_NAMESPACE} imsmd_rootv1p2p1.xsd \
         {ADLCP_NAMESPACE} adlcp_rootv1p2.xsd"
    );
    xml.open(
        "manifest",
        &[
            ("identifier", &format!("package-{}", contents.id)),
            ("version", "1.0"),
            ("xmlns", NAMESPACE),
            ("xmlns:adlcp", ADLCP_NAMESPACE),
            ("xmlns:xsi", XSI),
            ("xsi:schemaLocation", &location),
        ],
    );
    xml.open("metadata", &[]);
    xml.text("schema", &[], "ADL SCORM");
    xml.text("schemaversion", &[], "1.2");
    xml.close();

    xml.open("organizations", &[("default", "organization")]);
    xml.open("organization", &[("identifier", "organization")]);
    xml.text("title", &[], &contents.title);
    for (m, step) in contents.modules.iter().enumerate() {
        let pack = step.pack;
        xml.open(
            "item",
            &[
                ("identifier", &format!("item-{}", m + 1)),
                ("identifierref", &sco(&pack.slug)),
                ("isvisible", "true"),
            ],
        );
        xml.text("title", &[], &step.title);
        if let Some(score) = mastery_score(pack) {
            xml.text("adlcp:masteryscore", &[], &score.to_string());
        }
        xml.close();
    }
    xml.close();
    xml.close();

    xml.open("resources", &[]);
    let launches: Vec<String> = contents
        .packs
        .iter()
        .map(|p| crate::layout::pack(&p.slug))
        .collect();
    for (pack, launch) in contents.packs.iter().zip(&launches) {
        xml.open(
            "resource",
            &[
                ("identifier", &sco(&pack.slug)),
                ("type", "webcontent"),
                ("adlcp:scormtype", "sco"),
                ("href", launch),
            ],
        );
        xml.empty("file", &[("href", launch)]);
        xml.empty("dependency", &[("identifierref", SHARED)]);
        xml.close();
    }
    xml.open(
        "resource",
        &[
            ("identifier", SHARED),
            ("type", "webcontent"),
            ("adlcp:scormtype", "asset"),
        ],
    );
    for path in files.keys().filter(|f| !launches.contains(f)) {
        xml.empty("file", &[("href", path)]);
    }
    xml.finish()
}

fn sco(slug: &str) -> String {
    format!("sco-{slug}")
}

/// The pass mark of the pack's self-check, when it has one and questions
/// that are scored: the score out of 100 the LMS counts as passed.
pub fn mastery_score(pack: &crate::content::Pack) -> Option<u8> {
    let check = pack.self_check.as_ref()?;
    if check.scored() == 0 {
        return None;
    }
    check.pass_percent
}
