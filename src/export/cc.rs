//! An IMS Common Cartridge 1.1 (`.imscc`): what every LMS we know of
//! imports (Canvas, Moodle, Schoology, Blackboard).
//!
//! One module per pack, its items in the order of the flipped cycle: the
//! pack's page (overview and goal), each self-study resource (a web link
//! for a web address, the page or file itself for a local one), the
//! self-check as a QTI quiz, each workshop prompt as a discussion topic,
//! and the application, reflection and plan as a page. Every file and
//! namespace is of version 1.1: LMSs refuse a cartridge that mixes 1.1
//! and 1.3.

use std::collections::BTreeSet;

use crate::content::{Address, Pack};
use crate::html::escape;

use super::package::Files;
use super::xml::Xml;
use super::{qti, Contents, ExportError};

pub const NAMESPACE: &str = "http://www.imsglobal.org/xsd/imscc/imscp_v1p1";
pub const LOM_NAMESPACE: &str = "http://ltsc.ieee.org/xsd/imscc/LOM";
pub const SCHEMA: &str = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd";
pub const LOM_SCHEMA: &str =
    "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd";
const WEBLINK_NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1";
const WEBLINK_SCHEMA: &str = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd";
const TOPIC_NAMESPACE: &str = "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1";
const TOPIC_SCHEMA: &str = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imsdt_v1p1.xsd";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The folder of the files the cartridge adds to the site's (web links,
/// discussion topics, quizzes, the "after" page), one folder per pack.
/// A package holds only the site's `packs/` and `static/`, so nothing of
/// the site can be in its way.
const OWN_FOLDER: &str = "cc";

/// One resource of the manifest.
struct Resource {
    identifier: String,
    kind: &'static str,
    /// The file a web page resource opens.
    href: Option<String>,
    files: Vec<String>,
    /// The shared files a web page needs (styles, scripts, images).
    depends_on_files: bool,
}

/// One item of a module: a title and the resource it opens.
struct Item {
    title: String,
    resource: String,
}

/// Adds the cartridge's own files to `files` and returns its manifest.
pub fn cartridge(contents: &Contents<'_>, files: &mut Files) -> Result<String, ExportError> {
    let mut resources: Vec<Resource> = Vec::new();
    let mut items_of_pack: Vec<(String, Vec<Item>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for pack in &contents.packs {
        if !seen.insert(pack.slug.clone()) {
            continue;
        }
        let items = pack_resources(pack, &contents.language, files, &mut resources)?;
        items_of_pack.push((pack.slug.clone(), items));
    }
    // Every file not opened by a resource of its own (styles, scripts,
    // images, further pages) belongs to one shared resource, which each
    // web page depends on, so an LMS imports them with the pages.
    let opened: BTreeSet<&str> = resources
        .iter()
        .flat_map(|r| r.files.iter().map(String::as_str))
        .collect();
    let shared: Vec<String> = files
        .keys()
        .filter(|f| !opened.contains(f.as_str()))
        .cloned()
        .collect();

    let mut xml = Xml::new();
    let location = format!("{NAMESPACE} {SCHEMA} {LOM_NAMESPACE} {LOM_SCHEMA}");
    xml.open(
        "manifest",
        &[
            ("identifier", &format!("cartridge-{}", contents.id)),
            ("xmlns", NAMESPACE),
            ("xmlns:lomimscc", LOM_NAMESPACE),
            ("xmlns:xsi", XSI),
            ("xsi:schemaLocation", &location),
        ],
    );
    xml.open("metadata", &[]);
    xml.text("schema", &[], "IMS Common Cartridge");
    xml.text("schemaversion", &[], "1.1.0");
    xml.open("lomimscc:lom", &[]);
    xml.open("lomimscc:general", &[]);
    xml.open("lomimscc:title", &[]);
    xml.text("lomimscc:string", &[], &contents.title);
    xml.close();
    xml.open("lomimscc:description", &[]);
    xml.text("lomimscc:string", &[], &contents.description);
    xml.close();
    for keyword in &contents.keywords {
        xml.open("lomimscc:keyword", &[]);
        xml.text("lomimscc:string", &[], keyword);
        xml.close();
    }
    xml.close();
    xml.close();
    xml.close();

    xml.open("organizations", &[]);
    xml.open(
        "organization",
        &[
            ("identifier", "organization"),
            ("structure", "rooted-hierarchy"),
        ],
    );
    xml.open("item", &[("identifier", "root")]);
    for (m, step) in contents.modules.iter().enumerate() {
        let Some((_, items)) = items_of_pack
            .iter()
            .find(|(slug, _)| *slug == step.pack.slug)
        else {
            continue;
        };
        xml.open("item", &[("identifier", &format!("module-{}", m + 1))]);
        xml.text("title", &[], &step.title);
        for (i, item) in items.iter().enumerate() {
            xml.open(
                "item",
                &[
                    ("identifier", &format!("module-{}-item-{}", m + 1, i + 1)),
                    ("identifierref", &item.resource),
                ],
            );
            xml.text("title", &[], &item.title);
            xml.close();
        }
        xml.close();
    }
    xml.close();
    xml.close();
    xml.close();

    xml.open("resources", &[]);
    for r in &resources {
        let mut attrs: Vec<(&str, &str)> = vec![("identifier", &r.identifier), ("type", r.kind)];
        if let Some(href) = &r.href {
            attrs.push(("href", href));
        }
        xml.open("resource", &attrs);
        for f in &r.files {
            xml.empty("file", &[("href", f)]);
        }
        if r.depends_on_files && !shared.is_empty() {
            xml.empty("dependency", &[("identifierref", "shared-files")]);
        }
        xml.close();
    }
    if !shared.is_empty() {
        xml.open(
            "resource",
            &[("identifier", "shared-files"), ("type", "webcontent")],
        );
        for f in &shared {
            xml.empty("file", &[("href", f)]);
        }
        xml.close();
    }
    Ok(xml.finish())
}

/// The resources of one pack, added to `resources` (and their files to
/// `files`), and the module's items in cycle order. Their identifiers are
/// `pack-<slug>-<part>`: an identifier is an XML name, which may not start
/// with a digit as a slug may (`2026-onboarding`).
fn pack_resources(
    pack: &Pack,
    language: &str,
    files: &mut Files,
    resources: &mut Vec<Resource>,
) -> Result<Vec<Item>, ExportError> {
    let slug = &pack.slug;
    let own = |name: &str| format!("{OWN_FOLDER}/{slug}/{name}");
    let mut items = Vec::new();

    let page = crate::layout::pack(slug);
    require(files, &page, &page)?;
    add_web_page(
        format!("pack-{slug}-overview"),
        page.clone(),
        format!("{}: overview and goal", pack.title),
        resources,
        &mut items,
    );

    for r in &pack.self_study {
        let identifier = format!("pack-{slug}-resource-{}", r.number);
        let title = if r.optional {
            format!("{} (optional)", r.title)
        } else {
            r.title.clone()
        };
        match &r.address {
            Address::Web(url) => {
                let path = own(&format!("resource-{}.xml", r.number));
                files.insert(path.clone(), web_link(&r.title, url).into_bytes());
                resources.push(Resource {
                    identifier: identifier.clone(),
                    kind: "imswl_xmlv1p1",
                    href: None,
                    files: vec![path],
                    depends_on_files: false,
                });
                items.push(Item {
                    title,
                    resource: identifier,
                });
            }
            Address::Site(path) => {
                require(files, &page, path)?;
                // The pack's page already opens as its own resource; a
                // further item for one of its files or pages opens that.
                if resources
                    .iter()
                    .any(|x| x.href.as_deref() == Some(path.as_str()))
                {
                    continue;
                }
                add_web_page(identifier, path.clone(), title, resources, &mut items);
            }
        }
    }

    if let Some(check) = &pack.self_check {
        let identifier = format!("pack-{slug}-self-check");
        let path = own("self-check.xml");
        files.insert(
            path.clone(),
            qti::assessment(pack, check, &identifier).into_bytes(),
        );
        resources.push(Resource {
            identifier: identifier.clone(),
            kind: qti::RESOURCE_TYPE,
            href: None,
            files: vec![path],
            depends_on_files: false,
        });
        items.push(Item {
            title: format!("Self-check: {}", pack.title),
            resource: identifier,
        });
    }

    for (i, prompt) in pack.workshop.prompts.iter().enumerate() {
        let identifier = format!("pack-{slug}-prompt-{}", i + 1);
        let path = own(&format!("prompt-{}.xml", i + 1));
        let title = format!("Workshop prompt {}: {}", i + 1, short(&plain(prompt), 80));
        files.insert(path.clone(), topic(&title, prompt).into_bytes());
        resources.push(Resource {
            identifier: identifier.clone(),
            kind: "imsdt_xmlv1p1",
            href: None,
            files: vec![path],
            depends_on_files: false,
        });
        items.push(Item {
            title,
            resource: identifier,
        });
    }

    if let Some(html) = after_page(pack, language) {
        let path = own("after.html");
        files.insert(path.clone(), html.into_bytes());
        add_web_page(
            format!("pack-{slug}-after"),
            path,
            format!("After the workshop: {}", pack.title),
            resources,
            &mut items,
        );
    }
    Ok(items)
}

/// A web page of the package as a resource, and its item.
fn add_web_page(
    identifier: String,
    href: String,
    title: String,
    resources: &mut Vec<Resource>,
    items: &mut Vec<Item>,
) {
    resources.push(Resource {
        identifier: identifier.clone(),
        kind: "webcontent",
        href: Some(href.clone()),
        files: vec![href],
        depends_on_files: true,
    });
    items.push(Item {
        title,
        resource: identifier,
    });
}

/// `path` must be in the package, or the LMS would open a missing file.
fn require(files: &Files, page: &str, path: &str) -> Result<(), ExportError> {
    if files.contains_key(path) {
        Ok(())
    } else {
        Err(ExportError::MissingFile {
            page: page.to_string(),
            file: path.to_string(),
        })
    }
}

/// A web link (`imswl`), opened in a new window.
fn web_link(title: &str, url: &str) -> String {
    let mut xml = Xml::new();
    let location = format!("{WEBLINK_NAMESPACE} {WEBLINK_SCHEMA}");
    xml.open(
        "webLink",
        &[
            ("xmlns", WEBLINK_NAMESPACE),
            ("xmlns:xsi", XSI),
            ("xsi:schemaLocation", &location),
        ],
    );
    xml.text("title", &[], title);
    xml.empty("url", &[("href", url), ("target", "_blank")]);
    xml.finish()
}

/// A discussion topic (`imsdt`) for a workshop prompt.
fn topic(title: &str, prompt_html: &str) -> String {
    let mut xml = Xml::new();
    let location = format!("{TOPIC_NAMESPACE} {TOPIC_SCHEMA}");
    xml.open(
        "topic",
        &[
            ("xmlns", TOPIC_NAMESPACE),
            ("xmlns:xsi", XSI),
            ("xsi:schemaLocation", &location),
        ],
    );
    xml.text("title", &[], title);
    xml.text(
        "text",
        &[("texttype", "text/html")],
        &format!("<p>{prompt_html}</p>"),
    );
    xml.finish()
}

/// The application task, its evidence, the reflection, the plan and the
/// follow-up as one page with the site's styles: the part of the cycle
/// after the workshop. `None` for a pack with none of them.
fn after_page(pack: &Pack, language: &str) -> Option<String> {
    if pack.application.is_none()
        && pack.reflection.is_empty()
        && pack.plan.is_none()
        && pack.follow_up.is_none()
    {
        return None;
    }
    let mut body = String::new();
    if let Some(app) = &pack.application {
        body.push_str("<h2>Try it in class</h2>\n");
        body.push_str(&app.task);
        body.push('\n');
        if let Some(time) = app.time {
            body.push_str(&format!("<p>About {}.</p>\n", escape(&time.label())));
        }
        list(&mut body, "Evidence to gather", &app.evidence);
    }
    if let Some(plan) = &pack.plan {
        list(&mut body, "Your plan", &plan.prompts);
        if !plan.share_with.is_empty() {
            body.push_str(&format!(
                "<p>Share your plan with {}.</p>\n",
                escape(&plan.share_with.join(", "))
            ));
        }
    }
    list(&mut body, "Reflect", &pack.reflection);
    if let Some(follow) = &pack.follow_up {
        let mut heading = String::from("Follow-up");
        if let Some(after) = &follow.after {
            heading.push_str(&format!(" after {after}"));
        }
        list(&mut body, &heading, &follow.prompts);
    }
    let title = format!("After the workshop: {}", pack.title);
    Some(format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<link rel=\"stylesheet\" href=\"../../static/style.css\">\n</head>\n\
         <body>\n<main id=\"main\" class=\"page\">\n<h1>{t}</h1>\n{body}</main>\n</body>\n</html>\n",
        t = escape(&title),
        lang = escape(language)
    ))
}

/// A heading and a list of items, each inline HTML already.
fn list(body: &mut String, heading: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    body.push_str(&format!("<h2>{}</h2>\n<ul>\n", escape(heading)));
    for item in items {
        body.push_str(&format!("<li>{item}</li>\n"));
    }
    body.push_str("</ul>\n");
}

/// The text of inline HTML, for a title: tags dropped, the common
/// entities read back.
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// At most `max` characters, cut at a word with "…".
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_prompts_are_plain_and_short() {
        assert_eq!(
            plain("What <em>surprised</em> you &amp; why?"),
            "What surprised you & why?"
        );
        assert_eq!(short("one two three four", 9), "one two…");
        assert_eq!(short("short", 9), "short");
    }
}
