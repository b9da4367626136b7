//! The site as templates see it: packs, resources, workshops, pathways and
//! tags, built only from validated front matter.
//!
//! Every type here is `Serialize` because it *is* the template context;
//! the names are the variables documented in docs/theming.md. Markdown
//! fields hold rendered HTML. `url` fields are paths from the site root
//! (`packs/ell/index.html`); `href` fields are ready to print in a page.

use std::collections::HashMap;

use serde::Serialize;

use crate::config::Config;
use crate::credit::{Credit, CreditHours, Duration};
use crate::markdown::{Heading, Link};

pub use super::media::Player;
pub use super::raw::{Date, Format, Kind, Level};

/// A whole loaded site.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub config: Config,
    pub intro: Intro,
    /// In catalog order: weight, then title.
    pub packs: Vec<Pack>,
    /// In order: weight, then title.
    pub pathways: Vec<Pathway>,
    /// Sorted by name, case-insensitively.
    pub tags: Vec<Tag>,
    /// Files under `content/` outside packs, copied to the same place.
    #[serde(skip)]
    pub assets: Vec<String>,
    /// Every file the site publishes, by its path under `content/`, to
    /// the path it is published at: what links resolve against. Kept so
    /// that loading one pack again does not have to map the whole site.
    #[serde(skip)]
    pub published: HashMap<String, String>,
}

/// The home page's intro, from `content/_index.md`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Intro {
    pub title: Option<String>,
    pub description: Option<String>,
    pub html: String,
    /// Links found in the intro's Markdown, for checks.
    #[serde(skip)]
    pub links: Vec<Link>,
    #[serde(skip)]
    pub headings: Vec<Heading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pack {
    pub slug: String,
    pub url: String,
    /// The `pack.md` file, relative to the site root.
    pub source: String,
    pub title: String,
    /// Plain text, one sentence.
    pub summary: String,
    pub goal: String,
    pub problem: Option<String>,
    pub audience: Vec<String>,
    pub tags: Vec<TagRef>,
    pub level: Option<Level>,
    pub authors: Vec<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    /// The body of `pack.md`.
    pub overview: String,
    pub self_study: Vec<Resource>,
    pub workshop: Workshop,
    pub application: Option<Application>,
    pub reflection: Vec<String>,
    pub pages: Vec<Page>,
    /// Other files of the pack folder, relative to it.
    pub assets: Vec<String>,
    pub credit: CreditView,
    /// The pathways this pack belongs to.
    pub pathways: Vec<PathwayRef>,
    /// Links found in the pack's Markdown (the overview and every page),
    /// each with its file, for checks.
    #[serde(skip)]
    pub links: Vec<(String, Link)>,
    /// Headings of the overview; each page keeps its own.
    #[serde(skip)]
    pub headings: Vec<Heading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    /// 1-based position in the self-study list.
    pub number: usize,
    /// A name for the resource that is unique in its pack and stays the
    /// same when resources are reordered: the slug of its title. Used as
    /// the HTML `id` and as the key of the teacher's progress.
    pub key: String,
    pub title: String,
    pub kind: Kind,
    pub kind_label: &'static str,
    /// Where the resource is: its URL, page or file, ready for a page.
    pub href: String,
    pub target: ResourceTarget,
    /// The URL, or the page or file name, as written.
    pub location: String,
    #[serde(serialize_with = "minutes")]
    pub time: Duration,
    pub time_label: String,
    /// The time is a reading estimate rather than a stated duration.
    pub estimated: bool,
    pub words: Option<u64>,
    pub optional: bool,
    pub captions: bool,
    pub transcript: Option<String>,
    pub note: Option<String>,
    /// How the page can play it, if it is a video platform's page or an
    /// audio or video file.
    pub player: Option<Player>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceTarget {
    Url,
    Page,
    File,
}

#[derive(Debug, Clone, Serialize)]
pub struct Workshop {
    pub format: Format,
    pub format_label: &'static str,
    #[serde(serialize_with = "minutes")]
    pub time: Duration,
    pub time_label: String,
    pub agenda: Vec<AgendaItem>,
    pub prompts: Vec<String>,
    pub facilitator_notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub title: String,
    #[serde(serialize_with = "minutes")]
    pub time: Duration,
    pub time_label: String,
    /// Minutes from the start of the workshop, e.g. 20 for the item that
    /// begins at "0:20".
    pub starts_at: u64,
    pub starts_at_label: String,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub task: String,
    #[serde(serialize_with = "optional_minutes")]
    pub time: Option<Duration>,
    pub time_label: Option<String>,
    pub evidence: Vec<String>,
}

/// A further page of a pack (a reading, a guide, a transcript).
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The file name without `.md`.
    pub name: String,
    pub url: String,
    pub source: String,
    pub title: String,
    pub description: Option<String>,
    pub html: String,
    pub words: u64,
    #[serde(serialize_with = "minutes")]
    pub reading_time: Duration,
    pub reading_time_label: String,
    #[serde(skip)]
    pub links: Vec<Link>,
    #[serde(skip)]
    pub headings: Vec<Heading>,
}

/// A pack's credit, with labels ready for a page. Minutes are exact.
#[derive(Debug, Clone, Serialize)]
pub struct CreditView {
    pub self_study_minutes: f64,
    pub optional_minutes: f64,
    pub workshop_minutes: f64,
    pub application_minutes: f64,
    pub total_minutes: f64,
    pub credit_hours: f64,
    pub credit_hours_with_optional: f64,
    pub self_study_label: String,
    pub optional_label: String,
    pub workshop_label: String,
    pub application_label: String,
    pub total_label: String,
    /// "3", "2.75".
    pub credit_label: String,
    pub credit_with_optional_label: String,
    /// Whether application time is part of the total.
    pub includes_application: bool,
    #[serde(skip)]
    pub exact: Credit,
}

impl CreditView {
    pub fn new(credit: Credit, includes_application: bool) -> Self {
        let t = credit.times;
        CreditView {
            self_study_minutes: t.self_study.as_minutes_f64(),
            optional_minutes: t.optional.as_minutes_f64(),
            workshop_minutes: t.workshop.as_minutes_f64(),
            application_minutes: t.application.as_minutes_f64(),
            total_minutes: credit.total.as_minutes_f64(),
            credit_hours: credit.credit_hours.as_f64(),
            credit_hours_with_optional: credit.credit_hours_with_optional.as_f64(),
            self_study_label: t.self_study.label(),
            optional_label: t.optional.label(),
            workshop_label: t.workshop.label(),
            application_label: t.application.label(),
            total_label: credit.total.label(),
            credit_label: credit.credit_hours.to_string(),
            credit_with_optional_label: credit.credit_hours_with_optional.to_string(),
            includes_application,
            exact: credit,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Pathway {
    pub slug: String,
    pub url: String,
    pub source: String,
    pub title: String,
    pub summary: Option<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub html: String,
    pub steps: Vec<PathwayStep>,
    pub credit_hours: f64,
    pub credit_label: String,
    #[serde(serialize_with = "minutes")]
    pub self_study: Duration,
    pub self_study_label: String,
    #[serde(skip)]
    pub credit: CreditHours,
    #[serde(skip)]
    pub links: Vec<Link>,
    #[serde(skip)]
    pub headings: Vec<Heading>,
}

/// One pack of a pathway. The pack's details are looked up by slug in the
/// templates' `packs` map, so a pathway does not copy whole packs.
#[derive(Debug, Clone, Serialize)]
pub struct PathwayStep {
    pub pack: String,
    pub when: Option<String>,
    /// The pack's line in the front matter, for checks.
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathwayRef {
    pub slug: String,
    pub title: String,
    pub url: String,
}

/// A tag as shown on a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// A tag with the packs that carry it.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Slugs of the packs, in catalog order.
    pub packs: Vec<String>,
}

fn minutes<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_minutes_f64())
}

fn optional_minutes<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_f64(d.as_minutes_f64()),
        None => s.serialize_none(),
    }
}

impl Site {
    /// Looks a pack up by slug.
    pub fn pack(&self, slug: &str) -> Option<&Pack> {
        self.packs.iter().find(|p| p.slug == slug)
    }
}
