//! The model as templates see it: the variables documented in
//! docs/theming.md, built from `content::model`.
//!
//! The model holds typed values; everything a page prints but the content
//! does not say lives here and only here: labels ("14 min", "In person"),
//! plurals, formatted figures ("2.75"), minutes as numbers and ready-made
//! `href`s. Themes in the wild are written against these names, so a field
//! here is renamed only with the docs and a note to theme authors.

use serde::Serialize;

use crate::config::Config;
use crate::content::{
    Address, AgendaItem, Application, Date, Format, Intro, Kind, Level, Pack, Page, Pathway,
    PathwayRef, PathwayStep, Player, Provider, Resource, ResourceTarget, Site, Tag, TagRef,
    Workshop,
};
use crate::credit::{Credit, CreditHours, Duration};
use crate::links::{self, ROOT_MARKER};

use super::shares;

/// A whole site as its templates see it, page by page: what a change to
/// the content must change, and a reload must keep, for a theme.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub config: &'a Config,
    pub intro: IntroView<'a>,
    pub packs: Vec<PackView<'a>>,
    pub pathways: Vec<PathwayView<'a>>,
    pub tags: Vec<TagView<'a>>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let includes_application = site.config.credit.include_application;
        SiteView {
            config: &site.config,
            intro: IntroView::new(&site.intro),
            packs: site
                .packs
                .iter()
                .map(|p| PackView::new(p, includes_application))
                .collect(),
            pathways: site.pathways.iter().map(PathwayView::new).collect(),
            tags: tags(&site.tags),
        }
    }
}

/// `pack` on `pack.html` and `facilitator.html`.
#[derive(Serialize)]
pub struct PackView<'a> {
    pub slug: &'a str,
    pub url: &'a str,
    /// Where the pack's workshop plan is published, so themes link to it
    /// without spelling the site's layout.
    pub facilitator_url: String,
    pub source: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub goal: &'a str,
    pub problem: Option<&'a str>,
    pub audience: &'a [String],
    pub tags: Vec<TagRefView<'a>>,
    pub level: Option<Level>,
    pub authors: &'a [String],
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub ordered: bool,
    pub overview: &'a str,
    pub self_study: Vec<ResourceView<'a>>,
    pub workshop: WorkshopView<'a>,
    pub application: Option<ApplicationView<'a>>,
    pub reflection: &'a [String],
    /// `self_check`, `plan` and `follow_up`: see `cycle_view`.
    #[serde(flatten)]
    pub cycle: super::cycle_view::CycleView<'a>,
    pub pages: Vec<PageView<'a>>,
    pub assets: &'a [String],
    pub credit: CreditView,
    pub pathways: Vec<PathwayRefView<'a>>,
}

impl<'a> PackView<'a> {
    /// `includes_application` is the site's credit rule, shown beside the
    /// figures so a page can say whether classroom time counts.
    pub fn new(p: &'a Pack, includes_application: bool) -> Self {
        PackView {
            slug: &p.slug,
            url: &p.url,
            facilitator_url: crate::layout::facilitator(&p.slug),
            source: &p.source.path,
            title: &p.title,
            summary: &p.summary,
            goal: &p.goal,
            problem: p.problem.as_deref(),
            audience: &p.audience,
            tags: tag_refs(&p.tags),
            level: p.level,
            authors: &p.authors,
            date: p.date,
            updated: p.updated,
            draft: p.draft,
            weight: p.weight,
            ordered: p.ordered,
            overview: &p.overview,
            self_study: resource_views(p, includes_application),
            workshop: WorkshopView {
                time_label: panel_labels(&p.credit, includes_application)[1].clone(),
                ..WorkshopView::new(&p.workshop)
            },
            application: p.application.as_ref().map(|a| ApplicationView {
                time_label: match (a.time, includes_application) {
                    (Some(_), true) => Some(panel_labels(&p.credit, true)[2].clone()),
                    _ => a.time.map(Duration::label),
                },
                ..ApplicationView::new(a)
            }),
            reflection: &p.reflection,
            cycle: super::cycle_view::CycleView::new(p),
            pages: p.pages.iter().map(PageView::new).collect(),
            assets: &p.assets,
            credit: CreditView::new(&p.credit, includes_application),
            pathways: p.pathways.iter().map(PathwayRefView::new).collect(),
        }
    }
}

/// Each resource's view, its time shown as its share of the self-study
/// (or optional) total the page shows, so that they add up to it.
fn resource_views(p: &Pack, includes_application: bool) -> Vec<ResourceView<'_>> {
    let mut views: Vec<ResourceView> = p.self_study.iter().map(ResourceView::new).collect();
    let self_study = panel_shares(&p.credit, includes_application)[0];
    for (optional, total) in [
        (false, self_study),
        (true, p.credit.times.optional.whole_minutes()),
    ] {
        let (at, parts): (Vec<usize>, Vec<Duration>) = p
            .self_study
            .iter()
            .enumerate()
            .filter(|(_, r)| r.optional == optional)
            .map(|(i, r)| (i, r.time))
            .unzip();
        for ((i, part), share) in at.iter().zip(&parts).zip(shares::shares(&parts, total)) {
            views[*i].time_label = shares::share_label(*part, share);
        }
    }
    views
}

/// Whole minutes of the self-study, workshop and application that add up
/// to the total shown (the application counts only when the rules credit
/// it).
fn panel_shares(credit: &Credit, includes_application: bool) -> [u64; 3] {
    let t = credit.times;
    let mut parts = vec![t.self_study, t.workshop];
    if includes_application {
        parts.push(t.application);
    }
    let shown = shares::shares(&parts, credit.total.whole_minutes());
    let application = shown
        .get(2)
        .copied()
        .unwrap_or_else(|| t.application.whole_minutes());
    [shown[0], shown[1], application]
}

/// The labels of [`panel_shares`].
fn panel_labels(credit: &Credit, includes_application: bool) -> [String; 3] {
    let t = credit.times;
    let [s, w, a] = panel_shares(credit, includes_application);
    [
        shares::share_label(t.self_study, s),
        shares::share_label(t.workshop, w),
        shares::share_label(t.application, a),
    ]
}

/// A self-study resource (`pack.self_study[i]`).
#[derive(Serialize)]
pub struct ResourceView<'a> {
    pub number: usize,
    pub key: &'a str,
    /// The same as `key`: the name progress is kept under.
    pub id: &'a str,
    pub title: &'a str,
    pub kind: Kind,
    pub kind_label: &'static str,
    pub href: String,
    pub target: &'static str,
    pub location: &'a str,
    pub time: f64,
    pub time_label: String,
    pub estimated: bool,
    pub words: Option<u64>,
    pub optional: bool,
    pub captions: bool,
    pub transcript: Option<String>,
    pub note: Option<&'a str>,
    pub player: Option<PlayerView<'a>>,
}

impl<'a> ResourceView<'a> {
    pub fn new(r: &'a Resource) -> Self {
        ResourceView {
            number: r.number,
            key: &r.key,
            id: &r.key,
            title: &r.title,
            kind: r.kind,
            kind_label: kind_label(r.kind),
            href: href(&r.address),
            target: target_name(r.target),
            location: &r.location,
            time: minutes(r.time),
            time_label: r.time.label(),
            estimated: r.estimated,
            words: r.words,
            optional: r.optional,
            captions: r.captions,
            transcript: r.transcript.as_ref().map(href),
            note: r.note.as_deref(),
            player: r.player.as_ref().map(PlayerView::new),
        }
    }
}

/// `resource.player`: how the theme plays a resource in the page.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum PlayerView<'a> {
    /// A video platform's player, in an `<iframe>` the theme creates only
    /// when the teacher clicks play.
    Embed {
        /// `youtube` or `vimeo`.
        provider: &'static str,
        /// "YouTube", "Vimeo", for button labels.
        provider_label: &'static str,
        /// The host the embed will contact, named on the play button so
        /// the teacher knows before clicking.
        host: &'static str,
        src: &'a str,
    },
    Audio {
        src: String,
    },
    Video {
        src: String,
        captions: Option<String>,
    },
}

impl<'a> PlayerView<'a> {
    pub fn new(player: &'a Player) -> Self {
        match player {
            Player::Embed(embed) => {
                let (provider, provider_label) = match embed.provider {
                    Provider::YouTube => ("youtube", "YouTube"),
                    Provider::Vimeo => ("vimeo", "Vimeo"),
                };
                PlayerView::Embed {
                    provider,
                    provider_label,
                    host: embed.provider.host(),
                    src: &embed.src,
                }
            }
            Player::Audio { src } => PlayerView::Audio { src: href(src) },
            Player::Video { src, captions } => PlayerView::Video {
                src: href(src),
                captions: captions.as_ref().map(href),
            },
        }
    }
}

/// `pack.workshop`.
#[derive(Serialize)]
pub struct WorkshopView<'a> {
    pub format: Format,
    pub format_label: &'static str,
    pub time: f64,
    pub time_label: String,
    pub agenda: Vec<AgendaItemView<'a>>,
    pub prompts: &'a [String],
    pub facilitator_notes: Option<&'a str>,
}

impl<'a> WorkshopView<'a> {
    pub fn new(w: &'a Workshop) -> Self {
        WorkshopView {
            format: w.format,
            format_label: format_label(w.format),
            time: minutes(w.time),
            time_label: w.time.label(),
            agenda: w.agenda.iter().map(AgendaItemView::new).collect(),
            prompts: &w.prompts,
            facilitator_notes: w.facilitator_notes.as_deref(),
        }
    }
}

/// One item of `pack.workshop.agenda`.
#[derive(Serialize)]
pub struct AgendaItemView<'a> {
    pub title: &'a str,
    pub time: f64,
    pub time_label: String,
    pub starts_at: u64,
    /// "0:20": hours and minutes from the start.
    pub starts_at_label: String,
    pub notes: Option<&'a str>,
}

impl<'a> AgendaItemView<'a> {
    pub fn new(a: &'a AgendaItem) -> Self {
        AgendaItemView {
            title: &a.title,
            time: minutes(a.time),
            time_label: a.time.label(),
            starts_at: a.starts_at,
            starts_at_label: format!("{}:{:02}", a.starts_at / 60, a.starts_at % 60),
            notes: a.notes.as_deref(),
        }
    }
}

/// `pack.application`.
#[derive(Serialize)]
pub struct ApplicationView<'a> {
    pub task: &'a str,
    pub time: Option<f64>,
    pub time_label: Option<String>,
    pub evidence: &'a [String],
}

impl<'a> ApplicationView<'a> {
    pub fn new(a: &'a Application) -> Self {
        ApplicationView {
            task: &a.task,
            time: a.time.map(minutes),
            time_label: a.time.map(Duration::label),
            evidence: &a.evidence,
        }
    }
}

/// A further page of a pack (`pack.pages[i]`, and `page` on `page.html`).
#[derive(Serialize)]
pub struct PageView<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub source: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub html: &'a str,
    pub words: u64,
    pub reading_time: f64,
    pub reading_time_label: String,
}

impl<'a> PageView<'a> {
    pub fn new(p: &'a Page) -> Self {
        PageView {
            name: &p.name,
            url: &p.url,
            source: &p.source.path,
            title: &p.title,
            description: p.description.as_deref(),
            html: &p.html,
            words: p.words,
            reading_time: minutes(p.reading_time),
            reading_time_label: p.reading_time.label(),
        }
    }
}

/// A pack's credit (`pack.credit`, also on cards), with labels ready for
/// a page. Minutes are exact.
#[derive(Serialize, Clone)]
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
}

impl CreditView {
    pub fn new(credit: &Credit, includes_application: bool) -> Self {
        let t = credit.times;
        let [self_study_label, workshop_label, application_label] =
            panel_labels(credit, includes_application);
        CreditView {
            self_study_minutes: minutes(t.self_study),
            optional_minutes: minutes(t.optional),
            workshop_minutes: minutes(t.workshop),
            application_minutes: minutes(t.application),
            total_minutes: minutes(credit.total),
            credit_hours: credit.credit_hours.as_f64(),
            credit_hours_with_optional: credit.credit_hours_with_optional.as_f64(),
            self_study_label,
            optional_label: t.optional.label(),
            workshop_label,
            application_label,
            total_label: credit.total.label(),
            credit_label: hours_label(credit.credit_hours),
            credit_with_optional_label: hours_label(credit.credit_hours_with_optional),
            includes_application,
        }
    }
}

/// `pathway` on `pathway.html`, and each of `pathways` on the catalog.
#[derive(Serialize)]
pub struct PathwayView<'a> {
    pub slug: &'a str,
    pub url: &'a str,
    pub source: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub html: &'a str,
    pub steps: Vec<StepRefView<'a>>,
    pub credit_hours: f64,
    pub credit_label: String,
    pub self_study: f64,
    pub self_study_label: String,
}

impl<'a> PathwayView<'a> {
    pub fn new(p: &'a Pathway) -> Self {
        PathwayView {
            slug: &p.slug,
            url: &p.url,
            source: &p.source.path,
            title: &p.title,
            summary: p.summary.as_deref(),
            draft: p.draft,
            weight: p.weight,
            html: &p.html,
            steps: p.steps.iter().map(StepRefView::new).collect(),
            credit_hours: p.credit.as_f64(),
            credit_label: hours_label(p.credit),
            self_study: minutes(p.self_study),
            self_study_label: p.self_study.label(),
        }
    }
}

/// A step of `pathway.steps`: the pack by slug.
#[derive(Serialize)]
pub struct StepRefView<'a> {
    pub pack: &'a str,
    pub when: Option<&'a str>,
}

impl<'a> StepRefView<'a> {
    pub fn new(s: &'a PathwayStep) -> Self {
        StepRefView {
            pack: &s.pack,
            when: s.when.as_deref(),
        }
    }
}

/// One of `pack.pathways`.
#[derive(Serialize)]
pub struct PathwayRefView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: &'a str,
}

impl<'a> PathwayRefView<'a> {
    pub fn new(p: &'a PathwayRef) -> Self {
        PathwayRefView {
            slug: &p.slug,
            title: &p.title,
            url: &p.url,
        }
    }
}

/// A tag as a pack lists it.
#[derive(Serialize, Clone, Copy)]
pub struct TagRefView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
}

/// A pack's tags for a template.
pub fn tag_refs(tags: &[TagRef]) -> Vec<TagRefView<'_>> {
    tags.iter()
        .map(|t| TagRefView {
            name: &t.name,
            slug: &t.slug,
            url: &t.url,
        })
        .collect()
}

/// A tag with its packs, on `tags.html`, `tag.html` and the catalog.
#[derive(Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: &'a str,
    pub packs: &'a [String],
}

impl<'a> TagView<'a> {
    pub fn new(t: &'a Tag) -> Self {
        TagView {
            name: &t.name,
            slug: &t.slug,
            url: &t.url,
            packs: &t.packs,
        }
    }
}

/// The site's tags for a template.
pub fn tags(tags: &[Tag]) -> Vec<TagView<'_>> {
    tags.iter().map(TagView::new).collect()
}

/// `intro` on the catalog.
#[derive(Serialize)]
pub struct IntroView<'a> {
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub html: &'a str,
}

impl<'a> IntroView<'a> {
    pub fn new(i: &'a Intro) -> Self {
        IntroView {
            title: i.title.as_deref(),
            description: i.description.as_deref(),
            html: &i.html,
        }
    }
}

/// Credit hours as a page prints them: "3", "2.75".
pub fn hours_label(hours: CreditHours) -> String {
    hours.to_string()
}

/// Templates get times as minutes, a number, so a theme can add them up.
fn minutes(d: Duration) -> f64 {
    d.as_minutes_f64()
}

/// Where an address leads, ready to print in a page: a web address as it
/// is, a file of the site behind the root marker, escaped (a `#` in a file
/// name must not start a fragment).
pub fn href(address: &Address) -> String {
    match address {
        Address::Web(url) => url.clone(),
        Address::Site(path) => format!("{ROOT_MARKER}{}", links::percent_encode_path(path)),
    }
}

fn target_name(target: ResourceTarget) -> &'static str {
    match target {
        ResourceTarget::Url => "url",
        ResourceTarget::Page => "page",
        ResourceTarget::File => "file",
    }
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Video => "Video",
        Kind::Podcast => "Podcast",
        Kind::Reading => "Reading",
        Kind::Guide => "Guide",
        Kind::Activity => "Activity",
    }
}

fn format_label(format: Format) -> &'static str {
    match format {
        Format::InPerson => "In person",
        Format::Online => "Online",
        Format::Hybrid => "Hybrid",
    }
}
