//! Where each thing is published in the built site, and the site's base URL.
//!
//! Loading, rendering, link checking, the search index and the dev server
//! all need to agree on the address of a pack, a page or a tag. Spelling
//! those addresses in one place means a change to the layout is one edit,
//! and that the names the site keeps for itself (and refuses as content
//! names) are the very names it writes to.
//!
//! Every address here is relative to the site root, with `/` separators.

use std::fmt;

/// The folder the dev server answers from itself (live reload, status),
/// without a slash. No content may be published there.
pub const INTERNAL_NAME: &str = "__flippack";

/// [`INTERNAL_NAME`] as a path prefix, as the dev server matches it.
pub const INTERNAL_PREFIX: &str = "__flippack/";

/// The site's front page.
pub const HOME: &str = "index.html";
/// The page a host serves for a missing address.
pub const NOT_FOUND: &str = "404.html";
/// The Atom feed of new packs.
pub const ATOM_FEED: &str = "atom.xml";
/// The sitemap for search engines.
pub const SITEMAP: &str = "sitemap.xml";
/// The search index the search page loads first.
pub const SEARCH_INDEX: &str = "search-index.js";
/// The page that lists every tag.
pub const TAG_INDEX: &str = "tags/index.html";
/// The folder of the tag pages, [`TAG_INDEX`] included, with its slash.
pub const TAG_FOLDER: &str = "tags/";
/// The personal "My learning" page.
pub const MY_LEARNING: &str = "my-learning/index.html";
/// The credit-hours table.
pub const HOURS_CSV: &str = "hours.csv";
/// The calendar of every session and event of the site.
pub const SITE_CALENDAR: &str = "calendar.ics";

/// The folder of the theme's static files, with its slash.
pub const STATIC_FOLDER: &str = "static/";

/// Names at the top of `content/` that the generated site uses itself.
pub const RESERVED_ROOT_NAMES: &[&str] = &[
    HOME,
    NOT_FOUND,
    "packs",
    "pathways",
    "tags",
    "static",
    "my-learning",
    ATOM_FEED,
    SITEMAP,
    SEARCH_INDEX,
    "search",
    HOURS_CSV,
    SITE_CALENDAR,
    INTERNAL_NAME,
];

/// Page names a pack may not use, because the site publishes its own page
/// at that place.
pub const RESERVED_PAGE_NAMES: &[&str] = &[FACILITATOR, "pack"];

/// The name of a pack's facilitator page folder.
const FACILITATOR: &str = "facilitator";

/// The folder of a pack, without a final slash: `packs/ell`. Its own
/// files (images, handouts) are published inside it.
pub fn pack_folder(slug: &str) -> String {
    format!("packs/{slug}")
}

/// The pack's page: `packs/ell/index.html`.
pub fn pack(slug: &str) -> String {
    format!("packs/{slug}/index.html")
}

/// The slug of the pack whose own page is at `address`, if it is one:
/// the inverse of [`pack`], for code that only sees the files written.
pub fn pack_of(address: &str) -> Option<&str> {
    address
        .strip_prefix("packs/")
        .and_then(|rest| rest.strip_suffix("/index.html"))
        .filter(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// A page of a pack, by the page's name: `packs/ell/warm-up/index.html`.
pub fn page(slug: &str, name: &str) -> String {
    format!("packs/{slug}/{name}/index.html")
}

/// A file of a pack published as it is: `packs/ell/handout.pdf`.
pub fn pack_file(slug: &str, name: &str) -> String {
    format!("packs/{slug}/{name}")
}

/// The pack's facilitator page: `packs/ell/facilitator/index.html`.
pub fn facilitator(slug: &str) -> String {
    page(slug, FACILITATOR)
}

/// A pathway's page: `pathways/new-teachers/index.html`.
pub fn pathway(slug: &str) -> String {
    format!("pathways/{slug}/index.html")
}

/// The calendar of a pack's sessions, named after the pack so that a
/// downloaded file says what it is: `packs/ell/ell.ics`.
pub fn pack_calendar(slug: &str) -> String {
    pack_file(slug, &pack_calendar_name(slug))
}

/// The file name of a pack's calendar inside its folder: `ell.ics`.
pub fn pack_calendar_name(slug: &str) -> String {
    format!("{slug}.ics")
}

/// Whether a pack's own file, by its path inside the pack folder, would
/// be replaced by a file the site writes there. The calendar's name is
/// kept whether or not the pack has sessions yet, so adding a session
/// never turns a working pack into a broken one. Case is ignored, as a
/// site copied to a shared drive may land on a file system that does.
pub fn is_reserved_pack_file(slug: &str, asset: &str) -> bool {
    asset.eq_ignore_ascii_case(&pack_calendar_name(slug))
}

/// The calendar of a pathway's dates: `pathways/rti/rti.ics`.
pub fn pathway_calendar(slug: &str) -> String {
    format!("pathways/{slug}/{slug}.ics")
}

/// A tag's page: `tags/reading/index.html`.
pub fn tag(slug: &str) -> String {
    format!("tags/{slug}/index.html")
}

/// A static file of the theme, by its path under the theme's `static/`:
/// `static/style.css`.
pub fn theme_file(path: &str) -> String {
    format!("{STATIC_FOLDER}{path}")
}

/// The search fragment of a pack: `search/packs/ell.js`.
pub fn pack_search_fragment(slug: &str) -> String {
    format!("search/packs/{slug}.js")
}

/// The search fragment of a pathway: `search/pathways/new-teachers.js`.
pub fn pathway_search_fragment(slug: &str) -> String {
    format!("search/pathways/{slug}.js")
}

/// A chunk of the search index's terms and their documents, by number
/// (or a pattern in its place): `search/terms/3.js`.
pub fn search_terms_chunk(number: &str) -> String {
    format!("search/terms/{number}.js")
}

/// A chunk of the search index's table of documents, by number (or a
/// pattern in its place): `search/docs/3.js`.
pub fn search_docs_chunk(number: &str) -> String {
    format!("search/docs/{number}.js")
}

/// The site's `base_url`, checked and parsed once when site.yaml is read:
/// the full text (always ending in `/`), and its path part, which the dev
/// server mounts the site at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    text: String,
    /// Where the path part starts in `text`.
    path_at: usize,
}

impl BaseUrl {
    /// Parses `url`, adding the final `/` if it is missing. Checking that
    /// it holds nothing unsafe is site.yaml's job, which can point at the
    /// line; this only splits it.
    pub fn new(url: &str) -> BaseUrl {
        let mut text = url.to_string();
        if !text.ends_with('/') {
            text.push('/');
        }
        let path_at = match text.split_once("://") {
            Some((scheme, rest)) => rest.find('/').map_or(text.len(), |i| scheme.len() + 3 + i),
            None => 0,
        };
        BaseUrl { text, path_at }
    }

    /// The whole base URL, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether it is a full address (`https://pd.example.org/`), so pages
    /// can carry canonical links and feeds can be written.
    pub fn is_absolute(&self) -> bool {
        self.text.contains("://")
    }

    /// The path part, always starting and ending in `/`:
    /// `https://pd.example.org/packs/` → `/packs/`.
    pub fn path(&self) -> &str {
        &self.text[self.path_at..]
    }

    /// The full address of the page at `path` (from the site root),
    /// without a final `index.html`, so feeds carry the canonical folder
    /// address.
    pub fn absolute(&self, path: &str) -> String {
        let path = path.strip_suffix(HOME).unwrap_or(path);
        format!("{}{path}", self.text)
    }
}

impl Default for BaseUrl {
    fn default() -> BaseUrl {
        BaseUrl::new("/")
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Templates see the base URL as the text it is.
impl serde::Serialize for BaseUrl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl std::ops::Deref for BaseUrl {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<&str> for BaseUrl {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_of_a_pack() {
        assert_eq!(pack_folder("ell"), "packs/ell");
        assert_eq!(pack("ell"), "packs/ell/index.html");
        assert_eq!(page("ell", "warm-up"), "packs/ell/warm-up/index.html");
        assert_eq!(pack_file("ell", "handout.pdf"), "packs/ell/handout.pdf");
        assert_eq!(facilitator("ell"), "packs/ell/facilitator/index.html");
        assert_eq!(pack_search_fragment("ell"), "search/packs/ell.js");
        assert_eq!(pack_calendar("ell"), "packs/ell/ell.ics");
    }

    #[test]
    fn the_packs_calendar_is_a_reserved_file_name() {
        let calendar = pack_calendar("ell");
        let inside = calendar.strip_prefix("packs/ell/").unwrap_or_default();
        assert!(is_reserved_pack_file("ell", inside));
        assert!(is_reserved_pack_file("ell", "ELL.ics"));
        assert!(!is_reserved_pack_file("ell", "dates.ics"));
        assert!(!is_reserved_pack_file("ell", "handouts/ell.ics"));
    }

    #[test]
    fn a_pack_page_is_known_by_its_address() {
        assert_eq!(pack_of(&pack("ell")), Some("ell"));
        assert_eq!(pack_of(&page("ell", "warm-up")), None);
        assert_eq!(pack_of(&facilitator("ell")), None);
        assert_eq!(pack_of(&tag("ell")), None);
        assert_eq!(pack_of(HOME), None);
        assert_eq!(pack_of("packs//index.html"), None);
    }

    #[test]
    fn every_address_of_a_pathway_and_a_tag() {
        assert_eq!(pathway("new"), "pathways/new/index.html");
        assert_eq!(pathway_search_fragment("new"), "search/pathways/new.js");
        assert_eq!(tag("reading"), "tags/reading/index.html");
        assert!(tag("reading").starts_with(TAG_FOLDER));
        assert!(TAG_INDEX.starts_with(TAG_FOLDER));
        assert_eq!(theme_file("style.css"), "static/style.css");
    }

    #[test]
    fn the_reserved_names_are_the_names_the_site_writes() {
        for name in [HOME, NOT_FOUND, ATOM_FEED, SITEMAP, SEARCH_INDEX, HOURS_CSV] {
            assert!(RESERVED_ROOT_NAMES.contains(&name), "{name}");
        }
        let top = |a: String| a.split('/').next().unwrap_or_default().to_string();
        for address in [pack("a"), pathway("a"), tag("a"), pack_search_fragment("a")] {
            assert!(
                RESERVED_ROOT_NAMES.contains(&top(address.clone()).as_str()),
                "{address}"
            );
        }
        assert_eq!(INTERNAL_PREFIX, format!("{INTERNAL_NAME}/"));
        assert!(RESERVED_ROOT_NAMES.contains(&INTERNAL_NAME));
        for folder in [TAG_FOLDER, STATIC_FOLDER] {
            assert!(RESERVED_ROOT_NAMES.contains(&top(folder.to_string()).as_str()));
        }
        assert!(RESERVED_ROOT_NAMES.contains(&top(MY_LEARNING.to_string()).as_str()));
        assert!(facilitator("a").starts_with(&pack_file("a", RESERVED_PAGE_NAMES[0])));
    }

    #[test]
    fn a_base_url_gets_its_final_slash() {
        assert_eq!(
            BaseUrl::new("https://pd.example.org/packs").as_str(),
            "https://pd.example.org/packs/"
        );
        assert_eq!(BaseUrl::new("/pd").as_str(), "/pd/");
        assert_eq!(BaseUrl::default().as_str(), "/");
    }

    #[test]
    fn the_path_part_of_a_base_url() {
        for (url, path) in [
            ("/", "/"),
            ("/pd/", "/pd/"),
            ("https://pd.example.org", "/"),
            ("https://pd.example.org/", "/"),
            ("https://pd.example.org/packs/", "/packs/"),
            ("http://localhost:8080/a/b", "/a/b/"),
            ("/district/pl/", "/district/pl/"),
        ] {
            assert_eq!(BaseUrl::new(url).path(), path, "{url}");
        }
    }

    #[test]
    fn absolute_addresses_drop_the_final_index_page() {
        let base = BaseUrl::new("https://pd.example.org/");
        assert!(base.is_absolute());
        assert!(!BaseUrl::new("/pd/").is_absolute());
        assert_eq!(
            base.absolute(&pack("ell")),
            "https://pd.example.org/packs/ell/"
        );
        assert_eq!(base.absolute(ATOM_FEED), "https://pd.example.org/atom.xml");
        assert_eq!(base.absolute(HOME), "https://pd.example.org/");
    }
}
