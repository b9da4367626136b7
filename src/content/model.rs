//! The site as validated content: packs, resources, workshops, pathways
//! and tags, built only from validated front matter.
//!
//! This is the domain model, not what templates see: values are typed
//! (durations, credit hours, enums, dates) and carry no labels, plurals or
//! formatted figures. `render::view` turns it into the template variables
//! documented in docs/theming.md. Markdown fields hold rendered HTML; `url`
//! fields are paths from the site root (`packs/ell/index.html`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::config::Config;
use crate::credit::{Credit, CreditHours, Duration};
use crate::diagnostic::Lines;
use crate::markdown::{Heading, Link};

pub use super::raw::{Date, Format, Kind, Level};
pub use crate::schedule::{Instant, LocalTime, Slot};

/// A whole loaded site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub intro: Intro,
    /// In catalog order: weight, then title.
    pub packs: Vec<Pack>,
    /// In order: weight, then title.
    pub pathways: Vec<Pathway>,
    /// Sorted by name, case-insensitively.
    pub tags: Vec<Tag>,
    /// Files under `content/` outside packs, copied to the same place, as
    /// paths relative to `content_folder`.
    pub assets: Vec<String>,
    /// The site's `content/` folder on disk, where `assets` are read from.
    pub content_folder: PathBuf,
    /// Every file the site publishes, by its path under `content/`, to
    /// the path it is published at: what links resolve against. Kept so
    /// that loading one pack again does not have to map the whole site.
    pub published: HashMap<String, String>,
    /// What pages publish for the sessions that have attendance codes,
    /// by pack; set from the codes file after loading (see
    /// `attendance::attach`), empty without one.
    pub attendance: crate::attendance::token::Published,
    /// `packs` by slug, made on the first [`Site::pack`]: pathways,
    /// calendars and the hours sheet look a pack up for every step of
    /// every pathway. Emptied by what reorders `packs` in this crate; a
    /// stale entry is never trusted, only slower.
    pub(crate) pack_index: std::sync::OnceLock<HashMap<String, usize>>,
}

/// A source file as it was read, kept so that checks and diagnostics
/// point at a line and show it without reading the file again. Shared
/// (`Arc`) by everything that came from the file.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the site root, as diagnostics name it
    /// (`content/packs/ell/pack.md`).
    pub path: String,
    pub text: Arc<str>,
    /// Where each line starts, indexed on the first look-up: most builds
    /// never need it.
    lines: OnceLock<Lines>,
}

impl SourceFile {
    pub fn new(path: String, text: Arc<str>) -> Self {
        SourceFile {
            path,
            text,
            lines: OnceLock::new(),
        }
    }

    /// The same file without its text, for a model that keeps where
    /// things came from but not what they said.
    pub fn released(&self) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(self.path.clone(), Arc::from("")))
    }

    /// Line `line` (1-based), without its line break.
    pub fn line(&self, line: usize) -> Option<&str> {
        self.lines
            .get_or_init(|| Lines::of(&self.text))
            .get(&self.text, line)
    }
}

/// Where a front matter key is written: its 1-based line, and the column
/// where the key starts (0 when only an enclosing key could be found, as
/// for a key the file leaves out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl From<(usize, usize)> for Position {
    fn from((line, column): (usize, usize)) -> Self {
        Position { line, column }
    }
}

/// The home page's intro, from `content/_index.md`.
#[derive(Debug, Clone, Default)]
pub struct Intro {
    /// `content/_index.md`, when the site has one.
    pub source: Option<Arc<SourceFile>>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub html: String,
    /// Links found in the intro's Markdown, for checks.
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
}

#[derive(Debug, Clone)]
pub struct Pack {
    pub slug: String,
    pub url: String,
    /// The `pack.md` file.
    pub source: Arc<SourceFile>,
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
    /// The self-study is meant to be taken in the order listed; otherwise
    /// the order is a suggestion and the teacher chooses, as the flipped
    /// model gives them control of pace and order.
    pub ordered: bool,
    /// The body of `pack.md`.
    pub overview: String,
    pub self_study: Vec<Resource>,
    pub workshop: Workshop,
    pub application: Option<Application>,
    pub reflection: Vec<String>,
    pub self_check: Option<SelfCheck>,
    pub plan: Option<Plan>,
    pub follow_up: Option<FollowUp>,
    pub pages: Vec<Page>,
    /// Other files of the pack folder, relative to it.
    pub assets: Vec<String>,
    /// The pack's folder on disk, where `assets` are read from.
    pub folder: PathBuf,
    /// The pack's times and credit hours, exact.
    pub credit: Credit,
    /// The pathways this pack belongs to.
    pub pathways: Vec<PathwayRef>,
    /// Links found in the pack's Markdown (the overview and every page),
    /// each with its file, for checks.
    pub links: Vec<(String, Link)>,
    /// Headings of the overview; each page keeps its own.
    pub headings: Vec<Heading>,
    /// The records the pack's credit goes on.
    pub record: PackRecord,
}

/// What a pack adds to a teacher's credit record: the categories its
/// hours count toward and the day its self-study is due.
#[derive(Debug, Clone, Default)]
pub struct PackRecord {
    /// Names from site.yaml's `credit.categories`, spelt as there.
    pub categories: Vec<String>,
    pub self_study_due: Option<Date>,
}

/// One date the workshop is held.
#[derive(Debug, Clone)]
pub struct Session {
    pub slot: Slot,
    pub place: Option<String>,
    /// An http(s) address to join from.
    pub online: Option<String>,
    pub facilitator: Option<String>,
    /// Where the session's `date:` is written.
    pub at: Position,
}

/// Where a resource or its transcript is: a web address as written, or a
/// file of the site by its path from the site root. Which it is decides
/// how a page prints it, and that is the view's business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Web(String),
    Site(String),
}

/// How a page can play a resource, as `content::media` finds it from the
/// resource's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Player {
    /// A video platform's player, loaded only when the teacher asks.
    Embed(Embed),
    /// The browser's audio player.
    Audio { src: Address },
    /// The browser's video player, with a captions track when a `.vtt`
    /// file of the same name sits beside a local video.
    Video {
        src: Address,
        captions: Option<Address>,
    },
}

/// A video platform's player.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub provider: Provider,
    /// The privacy-enhanced player's address, autoplaying once loaded.
    pub src: String,
}

/// The video platforms whose pages become embedded players.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    YouTube,
    Vimeo,
}

impl Provider {
    /// The host the player loads from once the teacher clicks play (and
    /// that the pages' policy lets frames come from).
    pub fn host(self) -> &'static str {
        match self {
            Provider::YouTube => "www.youtube-nocookie.com",
            Provider::Vimeo => "player.vimeo.com",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Resource {
    /// 1-based position in the self-study list.
    pub number: usize,
    /// A name for the resource that is unique in its pack and stays the
    /// same when resources are reordered: its `id:`, else the slug of its
    /// title. Used as the HTML `id` and as the key of the teacher's
    /// progress, so an `id:` lets a coach retitle a resource without
    /// losing anyone's ticks.
    pub key: String,
    pub title: String,
    pub kind: Kind,
    /// Where the resource is: its web address, page or file.
    pub address: Address,
    pub target: ResourceTarget,
    /// The URL, or the page or file name, as written.
    pub location: String,
    pub time: Duration,
    /// The time is a reading estimate rather than a stated duration.
    pub estimated: bool,
    pub words: Option<u64>,
    pub optional: bool,
    pub captions: bool,
    pub transcript: Option<Address>,
    pub note: Option<String>,
    /// How the page can play it, if it is a video platform's page or an
    /// audio or video file.
    pub player: Option<Player>,
    /// Where its keys are in the pack's `pack.md`.
    pub at: ResourceKeys,
}

/// Where a resource's keys are written, for findings about them. A key
/// the resource leaves out points at the resource itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResourceKeys {
    pub id: Position,
    pub kind: Position,
    pub url: Position,
    pub duration: Position,
}

/// Which key of the front matter said where a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceTarget {
    Url,
    Page,
    File,
}

#[derive(Debug, Clone)]
pub struct Workshop {
    pub format: Format,
    pub time: Duration,
    /// Where `workshop.duration` is written (or the workshop, without one).
    pub duration_at: Position,
    pub agenda: Vec<AgendaItem>,
    pub prompts: Vec<String>,
    pub facilitator_notes: Option<String>,
    /// In the order written.
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone)]
pub struct AgendaItem {
    pub title: String,
    pub time: Duration,
    /// Whole minutes from the start of the workshop, e.g. 20 for the item
    /// that begins at "0:20".
    pub starts_at: u64,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Application {
    pub task: String,
    pub time: Option<Duration>,
    pub evidence: Vec<String>,
}

// The rest of the flipped cycle: checking what the self-study taught,
// planning how to use it, and the meeting about how it went.

/// `self_check:`: questions after the self-study (step 3 of the cycle).
#[derive(Debug, Clone)]
pub struct SelfCheck {
    /// The share of scored questions, 1 to 100, that passes the check.
    pub pass_percent: Option<u8>,
    pub questions: Vec<Question>,
    /// The self-study time its questions count under the site's
    /// `minutes_per_question`, part of the pack's self-study.
    pub time: Duration,
    /// Where `self_check:` is written.
    pub at: Position,
}

impl SelfCheck {
    /// How many questions have choices, and so a score.
    pub fn scored(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.kind != QuestionKind::Written)
            .count()
    }
}

#[derive(Debug, Clone)]
pub struct Question {
    /// 1-based position in the self-check.
    pub number: usize,
    /// The question, as HTML.
    pub html: String,
    pub kind: QuestionKind,
    /// Empty for a written question.
    pub choices: Vec<Choice>,
    /// HTML, shown after checking.
    pub explanation: Option<String>,
    /// HTML, shown once the teacher has written an answer.
    pub model_answer: Option<String>,
}

/// How a question is answered, from its number of correct choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    /// One correct choice: pick one.
    Single,
    /// Several: select all that apply.
    Multiple,
    /// No choices: a written answer, not scored.
    Written,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Written => "written",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Choice {
    /// HTML, inline.
    pub html: String,
    pub correct: bool,
    /// HTML, shown for this choice after checking.
    pub feedback: Option<String>,
}

/// `plan:`: the Application & Impact Plan (steps 4 and 5).
#[derive(Debug, Clone)]
pub struct Plan {
    /// HTML, inline: the pack's own prompts, or [`STANDARD_PLAN_PROMPTS`].
    pub prompts: Vec<String>,
    /// Whether `prompts` are the standard ones (`plan: true`, or a plan
    /// with only `share_with`).
    pub standard: bool,
    /// Who the teacher shares the plan with, as written.
    pub share_with: Vec<String>,
    /// Where `plan:` is written.
    pub at: Position,
}

/// The prompts of `plan: true`: a goal for students, the strategy, how
/// impact on students is measured and the evidence planned, which is what
/// an Application & Impact Plan asks. Kept in the model rather than the
/// theme so that every theme, the checks and the docs agree on them.
pub const STANDARD_PLAN_PROMPTS: &[&str] = &[
    "What do you want your students to be able to do differently, and by when?",
    "Which strategy from this pack will you use, with which class, and how often?",
    "How will you measure its impact on your students?",
    "What evidence of the implementation will you gather: a video of your teaching, an observation, student work?",
];

/// `follow_up:`: the meeting about how the plan went (step 9).
#[derive(Debug, Clone)]
pub struct FollowUp {
    /// Free text, as written ("4 weeks").
    pub after: Option<String>,
    pub with: Vec<String>,
    /// HTML, inline.
    pub prompts: Vec<String>,
}

/// A further page of a pack (a reading, a guide, a transcript).
#[derive(Debug, Clone)]
pub struct Page {
    /// The file name without `.md`.
    pub name: String,
    pub url: String,
    pub source: Arc<SourceFile>,
    pub title: String,
    pub description: Option<String>,
    pub html: String,
    pub words: u64,
    pub reading_time: Duration,
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
}

#[derive(Debug, Clone)]
pub struct Pathway {
    pub slug: String,
    pub url: String,
    pub source: Arc<SourceFile>,
    pub title: String,
    pub summary: Option<String>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub html: String,
    /// Every pack the pathway names, each option of a choice included.
    pub steps: Vec<PathwayStep>,
    /// The steps as written: packs, choices of packs and events.
    pub plan: Vec<PlanStep>,
    /// The sum of its packs' credit hours and its credited events', with
    /// the lowest option of each choice.
    pub credit: CreditHours,
    /// The same with the highest option of each choice: `credit` when
    /// the pathway has no choice.
    pub credit_high: CreditHours,
    /// The sum of its packs' (required) self-study time.
    pub self_study: Duration,
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
}

/// One pack of a pathway, by slug, so a pathway does not copy whole packs.
#[derive(Debug, Clone)]
pub struct PathwayStep {
    pub pack: String,
    pub when: Option<String>,
    /// Where the step's `pack:` is written, for checks.
    pub at: Position,
}

/// One step of a pathway as written.
#[derive(Debug, Clone)]
pub enum PlanStep {
    /// A pack, by slug (one of `steps`).
    Pack(String),
    /// Packs to pick one from, by slug.
    Choice {
        packs: Vec<String>,
        when: Option<String>,
    },
    Event(Event),
}

/// A step of a pathway that is not a pack: a pre-service week, a
/// half-day.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub slot: Slot,
    pub place: Option<String>,
    pub when: Option<String>,
    /// Its length: `duration:`, else from its start to its end.
    pub time: Option<Duration>,
    pub credited: bool,
    /// Its credit hours under the site's rules; zero when not credited.
    pub credit: CreditHours,
    /// Where its `event:` is written.
    pub at: Position,
}

#[derive(Debug, Clone)]
pub struct PathwayRef {
    pub slug: String,
    pub title: String,
    pub url: String,
}

/// A tag as shown on a pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// A tag with the packs that carry it.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Slugs of the packs, in catalog order.
    pub packs: Vec<String>,
}

impl Pack {
    /// Drops what only the pack's own pages and search document are made
    /// from: its rendered Markdown, the text of its source files, and the
    /// links and headings that checks look at. What stays is what the
    /// catalog, tags, pathways and the site-wide files need; on a site of
    /// 100,000 packs the rest is gigabytes.
    pub fn release_text(&mut self) {
        self.overview = String::new();
        self.source = self.source.released();
        self.links = Vec::new();
        self.headings = Vec::new();
        for page in &mut self.pages {
            page.html = String::new();
            page.source = page.source.released();
            page.links = Vec::new();
            page.headings = Vec::new();
        }
    }
}

impl Site {
    /// Looks a pack up by slug.
    pub fn pack(&self, slug: &str) -> Option<&Pack> {
        let index = self.pack_index.get_or_init(|| {
            self.packs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.slug.clone(), i))
                .collect()
        });
        match index.get(slug).and_then(|&i| self.packs.get(i)) {
            Some(pack) if pack.slug == slug => Some(pack),
            // The packs changed since the index was made.
            _ => self.packs.iter().find(|p| p.slug == slug),
        }
    }
}
