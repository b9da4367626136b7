//! What templates receive: the variables of each kind of page, as typed
//! structs (documented for theme authors in docs/theming.md).

use serde::Serialize;

use super::view::{tag_refs, CreditView, IntroView, PackView, PageView, PathwayView, TagView};
use crate::content::{Date, Level, Pack, TagRef};
use crate::credit::Credit;
use crate::layout;

/// Site-wide values every template gets as `site`.
#[derive(Serialize)]
pub struct SiteInfo<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub generator: &'static str,
    pub pack_count: usize,
    /// Whether `base_url` is a full address, so pages can carry canonical
    /// and Open Graph addresses.
    pub absolute: bool,
    /// The browser storage key under which a teacher's progress on this
    /// site is kept. Pages opened from disk all share one storage, so the
    /// key names the site by its `base_url` and title.
    pub storage_key: String,
    /// `id:` of site.yaml, which progress is kept under when a site has
    /// one (`storage_key` is for sites made before it existed).
    pub id: Option<&'a str>,
    /// The policy every page states in a `<meta>` (and `serve` sends), or
    /// `None` under `trust_html: true`.
    pub content_security_policy: Option<String>,
    /// Who offers the credit, for records and certificates.
    pub sponsor: Option<&'a crate::config::Sponsor>,
    /// `credit.categories` of site.yaml.
    pub categories: &'a [String],
    /// Whether figures are also shown as CEUs.
    pub ceu: bool,
}

/// A pack as listed in the catalog, on tag pages and on pathways.
#[derive(Serialize, Clone)]
pub struct Card<'a> {
    pub slug: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub level: Option<Level>,
    pub audience: &'a [String],
    pub tags: CardTags<'a>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    /// Shown only in builds with `--drafts`, where the card says so.
    pub draft: bool,
    pub credit: CardCredit<'a>,
    pub resource_count: usize,
    /// The card rendered by `card.html`, once per pack and reused by the
    /// catalog, tag and pathway pages: listing pages then cost a copy per
    /// pack rather than a template run.
    pub html: String,
    /// The card with only its first [`TAGS_ON_TAG_PAGES`] tags, for tag
    /// pages, made the first time one needs it (see `Renderer::tag`).
    #[serde(skip)]
    pub short_html: std::sync::OnceLock<String>,
}

/// The most tags a card lists on a tag page. The card of a pack with `n`
/// tags is on `n` tag pages; listing every tag on each would make those
/// pages grow with the square of `n`.
pub const TAGS_ON_TAG_PAGES: usize = 10;

impl<'a> Card<'a> {
    pub fn new(p: &'a Pack, includes_application: bool) -> Self {
        Card {
            slug: &p.slug,
            url: &p.url,
            title: &p.title,
            summary: &p.summary,
            level: p.level,
            audience: &p.audience,
            tags: CardTags(&p.tags),
            date: p.date,
            updated: p.updated,
            draft: p.draft,
            credit: CardCredit {
                credit: &p.credit,
                includes_application,
            },
            resource_count: p.self_study.len(),
            html: String::new(),
            short_html: std::sync::OnceLock::new(),
        }
    }
}

/// A card's tags, serialized as [`super::view::TagRefView`]s. Borrowed rather than
/// made for every card: a render makes a card per pack, and most are only
/// looked up.
#[derive(Clone, Copy)]
pub struct CardTags<'a>(pub &'a [TagRef]);

impl<'a> CardTags<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first `n` tags (all, if there are fewer).
    pub fn first(&self, n: usize) -> CardTags<'a> {
        CardTags(&self.0[..n.min(self.0.len())])
    }
}

impl Serialize for CardTags<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(tag_refs(self.0))
    }
}

/// A card's credit, serialized as a [`CreditView`]: made when a template
/// gets the card, since its labels cost more than the rest of a card.
#[derive(Clone, Copy)]
pub struct CardCredit<'a> {
    pub credit: &'a Credit,
    pub includes_application: bool,
}

impl Serialize for CardCredit<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CreditView::new(self.credit, self.includes_application).serialize(serializer)
    }
}

#[derive(Serialize)]
pub(super) struct CardData<'a> {
    pub(super) pack: &'a Card<'a>,
}

/// A pathway step with its pack's card.
#[derive(Serialize)]
pub(super) struct Step<'a> {
    pub(super) number: usize,
    pub(super) when: Option<&'a str>,
    pub(super) pack: Card<'a>,
}

/// The addresses of the site's own pages and files, as every template
/// gets them in `paths`, so that a theme links to them without spelling
/// the site's layout itself. Each is a path from the site root, to print
/// after `{{ root }}`.
#[derive(Serialize)]
pub(super) struct Paths {
    /// The catalog, the site's front page.
    catalog: &'static str,
    /// The page that lists every tag.
    tags: &'static str,
    /// The folder of every tag page (`tags` included), to tell a tag page
    /// by `current_url`.
    tags_folder: &'static str,
    my_learning: &'static str,
    /// The Atom feed of new packs.
    feed: &'static str,
    /// The folder of the theme's static files, ending in `/`.
    #[serde(rename = "static")]
    static_folder: &'static str,
    /// The search index, for a theme with a search script of its own.
    search_index: &'static str,
}

/// The one set of [`Paths`], from [`layout`].
pub(super) const PATHS: Paths = Paths {
    catalog: layout::HOME,
    tags: layout::TAG_INDEX,
    tags_folder: layout::TAG_FOLDER,
    my_learning: layout::MY_LEARNING,
    feed: layout::ATOM_FEED,
    static_folder: layout::STATIC_FOLDER,
    search_index: layout::SEARCH_INDEX,
};

/// The variables common to every page, around the page's own data.
#[derive(Serialize)]
pub(super) struct PageContext<'a, T: Serialize> {
    pub(super) site: &'a SiteInfo<'a>,
    /// Prefix for links to other files of the site; see `links`.
    pub(super) root: &'static str,
    /// This page's path from the site root.
    pub(super) current_url: &'a str,
    /// Where the site's own pages are.
    pub(super) paths: &'static Paths,
    /// For `<title>` and the main heading.
    pub(super) title: &'a str,
    /// For `<meta name="description">`.
    pub(super) description: &'a str,
    /// The page's full address, when `base_url` is one.
    pub(super) page_url: Option<String>,
    #[serde(flatten)]
    pub(super) data: T,
}

/// The catalog's variables; its `packs` (cards) are added as values, see
/// [`RenderCache::card_values`].
#[derive(Serialize)]
pub(super) struct IndexData<'a> {
    pub(super) intro: IntroView<'a>,
    pub(super) pathways: Vec<PathwayView<'a>>,
    pub(super) tags: Vec<TagView<'a>>,
    /// Every audience named by a pack, sorted, for the catalog filter.
    pub(super) audiences: Vec<&'a str>,
    /// The levels packs use, in order, for the catalog filter.
    pub(super) levels: Vec<Level>,
}

#[derive(Serialize)]
pub(super) struct PackData<'a> {
    pub(super) pack: &'a PackView<'a>,
    /// The pack's sessions, calendar and record figures.
    pub(super) schedule: &'a super::schedule_view::PackScheduleView<'a>,
    /// The sessions that take an attendance code, if any.
    pub(super) attendance: Option<&'a super::attendance::AttendanceView<'a>>,
}

#[derive(Serialize)]
pub(super) struct PageData<'a> {
    pub(super) pack: &'a Card<'a>,
    pub(super) page: &'a PageView<'a>,
}

#[derive(Serialize)]
pub(super) struct PathwayData<'a> {
    pub(super) pathway: PathwayView<'a>,
    pub(super) steps: Vec<Step<'a>>,
    /// The pathway's choices, events, credit range and calendar.
    pub(super) schedule: super::schedule_view::PathwayScheduleView<'a>,
}

#[derive(Serialize)]
pub(super) struct TagsData<'a> {
    pub(super) tags: Vec<TagView<'a>>,
}

/// A tag page's variables but its `packs`, which are spliced in.
#[derive(Serialize)]
pub(super) struct TagHead<'a> {
    pub(super) tag: TagView<'a>,
}

#[derive(Serialize)]
pub(super) struct TagData<'a> {
    pub(super) tag: TagView<'a>,
    pub(super) packs: Vec<Card<'a>>,
}
