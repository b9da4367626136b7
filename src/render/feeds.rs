//! `atom.xml` and `sitemap.xml`: the only files with absolute addresses.
//!
//! Pages link to each other relatively so that a site works from any
//! folder, but feed readers and search engines need full addresses, so
//! these two files build them from `base_url`. A site whose `base_url` is
//! a path only (the default `/`) still gets both files, with addresses
//! starting at that path; docs/theming.md tells authors to set a full
//! `base_url` before publishing.

use serde::Serialize;

use super::view::{hours_label, tag_refs, TagRefView};
use crate::content::Site;
use crate::date::Date;

/// Published paths, from the site root.
pub const ATOM_PATH: &str = crate::layout::ATOM_FEED;
pub const SITEMAP_PATH: &str = crate::layout::SITEMAP;

/// How many packs the feed lists, newest first. Feed readers only show
/// recent entries, and a feed of every pack of a large catalog would make
/// each rebuild, and each reader's poll, pay for all of them.
pub const FEED_LIMIT: usize = 50;

/// The feed, as `feed` in the `atom.xml` template.
#[derive(Serialize)]
pub struct Feed<'a> {
    /// The feed's own address.
    pub feed_url: String,
    /// The home page's address.
    pub site_url: String,
    /// A permanent identifier: the site's address when it is absolute.
    pub id: String,
    /// The newest entry's date, RFC 3339.
    pub updated: String,
    pub entries: Vec<FeedEntry<'a>>,
}

/// One pack in the feed.
#[derive(Serialize)]
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub url: String,
    pub id: String,
    /// `date:`, RFC 3339, when given.
    pub published: Option<String>,
    /// `updated:`, else `date:`, else the feed's date.
    pub updated: String,
    pub authors: &'a [String],
    pub tags: Vec<TagRefView<'a>>,
    pub credit_label: String,
}

fn rfc3339(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// The packs newest first (by `updated`, else `date`); undated packs last,
/// in catalog order.
pub fn feed(site: &Site) -> Feed<'_> {
    let base = &site.config.base_url;
    let absolute = base.is_absolute();
    let site_id = if absolute {
        base.absolute("")
    } else {
        format!("urn:flippack:{}", crate::slug::slugify(&site.config.title))
    };
    let mut packs: Vec<_> = site.packs.iter().collect();
    // A stable sort keeps catalog order among equal dates.
    packs.sort_by_key(|p| std::cmp::Reverse(p.updated.or(p.date)));
    let newest = packs.iter().filter_map(|p| p.updated.or(p.date)).max();
    let updated = newest.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339);
    let entries = packs
        .into_iter()
        .take(FEED_LIMIT)
        .map(|p| {
            let url = base.absolute(&p.url);
            FeedEntry {
                title: &p.title,
                summary: &p.summary,
                id: if absolute {
                    url.clone()
                } else {
                    format!("{site_id}:packs:{}", p.slug)
                },
                url,
                published: p.date.map(rfc3339),
                updated: p
                    .updated
                    .or(p.date)
                    .map_or_else(|| updated.clone(), rfc3339),
                authors: &p.authors,
                tags: tag_refs(&p.tags),
                credit_label: hours_label(p.credit.credit_hours),
            }
        })
        .collect();
    Feed {
        feed_url: base.absolute(ATOM_PATH),
        site_url: base.absolute(""),
        id: site_id,
        updated,
        entries,
    }
}

/// One address in the sitemap.
#[derive(Serialize)]
pub struct SitemapUrl {
    pub loc: String,
    /// `YYYY-MM-DD`, when the page has a date.
    pub lastmod: Option<String>,
}

/// Every public page: the catalog, packs and their pages, pathways and
/// tags. Facilitator plans and the personal "My learning" page are left
/// out: they are not pages anyone should land on from a search engine.
pub fn sitemap(site: &Site) -> Vec<SitemapUrl> {
    let base = &site.config.base_url;
    sitemap_pages(site)
        .into_iter()
        .map(|(path, date)| SitemapUrl {
            loc: base.absolute(path),
            lastmod: date.map(|d| d.to_string()),
        })
        .collect()
}

/// The path of every page of the sitemap, with its date: all the sitemap
/// is made from besides `base_url`.
pub fn sitemap_pages(site: &Site) -> Vec<(&str, Option<Date>)> {
    let newest = site.packs.iter().filter_map(|p| p.updated.or(p.date)).max();
    let mut pages = vec![("index.html", newest)];
    for pack in &site.packs {
        let date = pack.updated.or(pack.date);
        pages.push((&pack.url, date));
        pages.extend(pack.pages.iter().map(|page| (page.url.as_str(), date)));
    }
    pages.extend(site.pathways.iter().map(|p| (p.url.as_str(), None)));
    pages.push((crate::layout::TAG_INDEX, None));
    pages.extend(site.tags.iter().map(|t| (t.url.as_str(), None)));
    pages
}

#[cfg(test)]
mod tests {
    use crate::layout::BaseUrl;

    #[test]
    fn absolute_addresses_drop_index_html() {
        assert_eq!(
            BaseUrl::new("https://pd.example.org/packs/").absolute("packs/ell/index.html"),
            "https://pd.example.org/packs/packs/ell/"
        );
        assert_eq!(
            BaseUrl::new("https://pd.example.org/").absolute("index.html"),
            "https://pd.example.org/"
        );
        assert_eq!(
            BaseUrl::new("https://pd.example.org/").absolute("atom.xml"),
            "https://pd.example.org/atom.xml"
        );
        assert_eq!(
            BaseUrl::new("/").absolute("packs/ell/index.html"),
            "/packs/ell/"
        );
        assert!(BaseUrl::new("https://pd.example.org/").is_absolute());
        assert!(!BaseUrl::new("/pl/").is_absolute());
    }
}
