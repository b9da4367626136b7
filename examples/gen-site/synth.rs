//! The synthetic site: generated once in memory, then written either as a
//! flippack site or as the equivalent Hugo site.
//!
//! Every pack is generated from its own random stream, derived from the
//! seed and the pack's number, so generation runs in parallel and stays
//! deterministic. Texts are made of an education vocabulary, with the
//! Markdown a coach writes: headings, lists, links (to the pack's reading,
//! to other packs, to the web) and emphasis.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use rayon::prelude::*;

/// A SplitMix64 generator: tiny, fast and good enough for fake prose.
pub struct Rng(u64);

impl Rng {
    /// A stream for item `n` of a seeded family, independent of the others.
    pub fn for_item(seed: u64, family: u64, n: u64) -> Self {
        let mut base = Rng(seed ^ family.wrapping_mul(0xA076_1D64_78BD_642F));
        let mixed = base.next() ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Rng(mixed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// An index into a list of `len` items.
    pub fn index(&mut self, len: usize) -> usize {
        self.range(0, len - 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const WORDS: &[&str] = &[
    "students",
    "teachers",
    "lesson",
    "classroom",
    "feedback",
    "question",
    "practice",
    "routine",
    "evidence",
    "learning",
    "reading",
    "writing",
    "talk",
    "partner",
    "group",
    "task",
    "goal",
    "criteria",
    "rubric",
    "sample",
    "draft",
    "revision",
    "notice",
    "explain",
    "model",
    "plan",
    "adjust",
    "listen",
    "pause",
    "prompt",
    "frame",
    "sentence",
    "vocabulary",
    "concept",
    "problem",
    "strategy",
    "thinking",
    "discussion",
    "workshop",
    "colleague",
    "coach",
    "team",
    "grade",
    "unit",
    "week",
    "minute",
    "moment",
    "habit",
    "check",
    "response",
    "answer",
    "idea",
    "example",
    "pattern",
    "record",
    "observe",
    "share",
    "compare",
    "choose",
    "support",
    "scaffold",
    "language",
    "reader",
    "writer",
    "math",
    "science",
    "history",
    "art",
    "data",
    "screening",
    "tier",
    "intervention",
    "progress",
    "goal-setting",
    "reflection",
    "attention",
    "time",
    "schedule",
    "transition",
    "agenda",
    "norm",
    "protocol",
    "score",
    "anchor",
    "calibration",
    "assessment",
    "quiz",
    "exit",
    "ticket",
    "conference",
    "comment",
    "next",
    "step",
    "clear",
    "small",
    "whole",
    "quiet",
    "careful",
    "deliberate",
    "shared",
    "common",
    "short",
    "focused",
    "honest",
    "specific",
    "useful",
    "visible",
    "steady",
    "regular",
    "early",
    "late",
    "first",
    "last",
    "often",
    "rarely",
    "together",
    "alone",
    "again",
    "instead",
    "before",
    "after",
    "during",
    "while",
    "because",
    "so",
    "that",
    "when",
    "which",
    "where",
    "with",
    "without",
    "for",
    "about",
    "through",
    "across",
    "into",
    "from",
    "the",
    "a",
    "an",
    "this",
    "their",
    "our",
    "every",
    "each",
    "some",
    "most",
    "few",
    "more",
    "less",
    "one",
    "two",
    "three",
    "can",
    "will",
    "should",
    "might",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "makes",
    "gives",
    "takes",
    "helps",
    "shows",
    "asks",
    "tells",
    "builds",
    "changes",
    "keeps",
    "starts",
    "ends",
    "opens",
    "closes",
    "names",
    "tries",
    "uses",
    "needs",
    "finds",
    "sees",
    "hears",
    "writes",
    "reads",
    "talks",
    "thinks",
    "learns",
    "teaches",
    "moves",
    "waits",
    "turns",
    "returns",
    "notes",
    "marks",
    "sorts",
    "ranks",
    "counts",
    "tracks",
    "measures",
    "family",
    "community",
    "school",
    "district",
    "leader",
    "principal",
    "counselor",
    "paraprofessional",
    "newcomer",
    "multilingual",
    "learner",
    "reader",
    "peer",
    "mentor",
    "observation",
    "cycle",
    "inquiry",
    "hypothesis",
    "result",
    "outcome",
    "growth",
    "confidence",
    "participation",
    "engagement",
    "belonging",
    "voice",
    "choice",
    "agency",
];

/// Whether texts are written in "real prose" ([`use_prose`]).
static PROSE: AtomicBool = AtomicBool::new(false);

/// Writes the texts of every site generated from now on in a prose
/// vocabulary of about 50,000 words, drawn as word frequencies in real
/// text are (the n-th commonest about 1/n as often as the commonest),
/// instead of [`WORDS`] alone. The default vocabulary of a few hundred
/// words makes a search index far smaller than real packs make; this one
/// has the long tail of rare words real prose has.
pub fn use_prose(on: bool) {
    PROSE.store(on, Ordering::Relaxed);
}

/// How many made-up words the prose vocabulary adds to [`WORDS`].
const PROSE_WORDS: usize = 50_000;

/// [`WORDS`], commonest first, then made-up words of two to four
/// syllables.
fn prose_vocabulary() -> &'static [&'static str] {
    static VOCABULARY: OnceLock<Vec<&'static str>> = OnceLock::new();
    VOCABULARY.get_or_init(|| {
        const ONSETS: &[&str] = &[
            "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
            "z", "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "sl", "st", "str", "th",
            "tr",
        ];
        const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "io", "y"];
        const CODAS: &[&str] = &["", "", "", "n", "r", "s", "t", "l", "m", "nd", "ng", "st"];
        let mut seen: std::collections::HashSet<String> =
            WORDS.iter().map(|w| w.to_string()).collect();
        let mut vocabulary: Vec<&'static str> = WORDS.to_vec();
        let mut rng = Rng::for_item(0, 99, 0);
        while vocabulary.len() < WORDS.len() + PROSE_WORDS {
            let mut word = String::new();
            for _ in 0..rng.range(2, 4) {
                word.push_str(rng.pick(ONSETS));
                word.push_str(rng.pick(NUCLEI));
            }
            word.push_str(rng.pick(CODAS));
            if seen.insert(word.clone()) {
                vocabulary.push(Box::leak(word.into_boxed_str()));
            }
        }
        vocabulary
    })
}

/// One word of text: from [`WORDS`], or in prose mode from the prose
/// vocabulary by rank, log-uniformly (Zipf's law with exponent 1).
fn any_word(rng: &mut Rng) -> &'static str {
    if !PROSE.load(Ordering::Relaxed) {
        return rng.pick(WORDS);
    }
    let vocabulary = prose_vocabulary();
    let unit = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let rank = (vocabulary.len() as f64).powf(unit) as usize;
    vocabulary[rank.saturating_sub(1).min(vocabulary.len() - 1)]
}

/// Topics for titles, slugs and tags (each also combined with grade bands
/// to make a vocabulary of 200 tags).
const TOPICS: &[&str] = &[
    "Questioning",
    "Wait time",
    "Feedback",
    "Formative assessment",
    "ELL",
    "Classroom talk",
    "Time management",
    "Assessment moderation",
    "RTI",
    "MTSS",
    "Reading fluency",
    "Writing conferences",
    "Math discourse",
    "Science labs",
    "Behavior support",
    "Family engagement",
    "Co-teaching",
    "Differentiation",
    "Vocabulary",
    "Exit tickets",
    "Peer feedback",
    "Goal setting",
    "Student agency",
    "Restorative practice",
    "Project-based learning",
    "Small groups",
    "Transitions",
    "Routines",
    "Data meetings",
    "Progress monitoring",
    "Phonics",
    "Comprehension",
    "Argument writing",
    "Number sense",
    "Fractions",
    "Lab safety",
    "Inquiry",
    "Digital tools",
    "Accessibility",
    "UDL",
    "Newcomers",
    "Equity",
    "Attendance",
    "Homework",
    "Grading",
    "Rubrics",
    "Coaching cycles",
    "Lesson study",
    "Mentoring",
    "Wellbeing",
];

const BANDS: &[&str] = &["", " K-5", " 6-8", " 9-12"];
const AUDIENCES: &[&str] = &[
    "elementary",
    "middle school",
    "high school",
    "ELL teachers",
    "special educators",
    "content-area teachers",
    "new teachers",
    "coaches",
    "school leaders",
];
const AUTHORS: &[&str] = &[
    "M. Alvarez",
    "J. Okafor",
    "S. Lindqvist",
    "R. Patel",
    "D. Nguyen",
    "K. Mensah",
    "L. Romero",
    "A. Kowalski",
    "T. Haddad",
    "E. Brennan",
];
const LEVELS: &[&str] = &["introductory", "intermediate", "advanced"];
const FORMATS: &[&str] = &["in-person", "online", "hybrid"];
const WHEN: &[&str] = &[
    "Semester 1",
    "Semester 2",
    "Year 1, fall",
    "Year 1, spring",
    "August",
    "January",
];

/// The tag vocabulary: 50 topics × 4 grade bands.
pub fn tag_vocabulary() -> Vec<String> {
    TOPICS
        .iter()
        .flat_map(|t| BANDS.iter().map(move |b| format!("{t}{b}")))
        .collect()
}

/// A generated site, independent of the generator it is written for.
pub struct Site {
    pub title: String,
    pub intro: String,
    pub packs: Vec<Pack>,
    pub pathways: Vec<Pathway>,
}

impl Site {
    /// Words of Markdown prose in the site (overviews and readings).
    pub fn words(&self) -> usize {
        self.packs
            .iter()
            .map(|p| p.overview_words + p.reading.words)
            .sum()
    }
}

pub struct Pack {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub goal: String,
    pub problem: Option<String>,
    pub audience: Vec<&'static str>,
    pub tags: Vec<String>,
    pub level: &'static str,
    pub authors: Vec<&'static str>,
    pub date: String,
    pub updated: Option<String>,
    pub weight: Option<u32>,
    pub overview: String,
    pub overview_words: usize,
    pub resources: Vec<Resource>,
    pub workshop: Workshop,
    pub application: Option<Application>,
    pub reflection: Vec<String>,
    pub reading: Reading,
    /// Slugs of the pathways this pack is part of (filled in by `generate`).
    pub pathways: Vec<usize>,
}

pub struct Resource {
    pub title: String,
    pub kind: &'static str,
    pub location: Location,
    /// The duration as written in YAML, in one of the accepted forms.
    pub duration: Option<String>,
    pub seconds: u64,
    pub words: Option<u64>,
    pub optional: bool,
    pub captions: bool,
    pub transcript: Option<String>,
    pub note: Option<String>,
}

pub enum Location {
    Url(String),
    /// A page of the pack, by file name.
    Page(String),
}

pub struct Workshop {
    pub format: &'static str,
    /// Written only on some packs; always the agenda's sum.
    pub duration: Option<String>,
    pub agenda: Vec<(String, u64, Option<String>)>,
    pub prompts: Vec<String>,
    pub facilitator_notes: Option<String>,
}

pub struct Application {
    pub task: String,
    pub minutes: u64,
    pub evidence: Vec<String>,
}

pub struct Reading {
    /// File name, with `.md`.
    pub file: String,
    pub title: String,
    pub description: String,
    pub body: String,
    pub words: usize,
}

pub struct Pathway {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub steps: Vec<(usize, &'static str)>,
    pub body: String,
}

/// Generates a site of `packs` packs and `packs / 20` pathways (at least
/// one when there are packs).
pub fn generate(packs: usize, seed: u64) -> Site {
    let tags = tag_vocabulary();
    let mut all: Vec<Pack> = (0..packs)
        .into_par_iter()
        .map(|i| generate_pack(seed, i, packs, &tags))
        .collect();
    let pathway_count = if packs == 0 { 0 } else { (packs / 20).max(1) };
    let pathways: Vec<Pathway> = (0..pathway_count)
        .map(|i| generate_pathway(seed, i, &all))
        .collect();
    for (i, pathway) in pathways.iter().enumerate() {
        for &(pack, _) in &pathway.steps {
            all[pack].pathways.push(i);
        }
    }
    let mut rng = Rng::for_item(seed, 3, 0);
    Site {
        title: format!("District PL catalog ({packs} packs)"),
        intro: paragraph(&mut rng, (60, 60), None).0,
        packs: all,
        pathways,
    }
}

/// The slug of pack number `i`; other packs link to it before it exists.
pub fn pack_slug(seed: u64, i: usize) -> String {
    let mut rng = Rng::for_item(seed, 1, i as u64);
    let topic = slugify(rng.pick(TOPICS));
    format!("{topic}-{}", i + 1)
}

fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Between `n.0` and `n.1` words of plain text.
fn words(rng: &mut Rng, n: (usize, usize)) -> String {
    let n = rng.range(n.0, n.1);
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(any_word(rng));
    }
    out
}

fn title_words(rng: &mut Rng, n: (usize, usize)) -> String {
    capitalize(&words(rng, n))
}

/// A sentence with occasional emphasis, strong text and links; returns the
/// Markdown and its word count. `links` are (text, target) choices.
fn sentence(rng: &mut Rng, links: Option<&[String]>) -> (String, usize) {
    let n = rng.range(8, 18);
    let mut out = String::new();
    let mut i = 0;
    while i < n {
        if i > 0 {
            out.push(' ');
        }
        let word = any_word(rng);
        let word = if i == 0 {
            capitalize(word)
        } else {
            word.to_string()
        };
        match rng.next() % 20 {
            0 if i + 2 < n => {
                let _ = write!(out, "*{word} {}*", any_word(rng));
                i += 1;
            }
            1 if i + 2 < n => {
                let _ = write!(out, "**{word} {}**", any_word(rng));
                i += 1;
            }
            2 if i + 3 < n && links.is_some_and(|l| !l.is_empty()) => {
                let links = links.unwrap_or_default();
                let target = &links[rng.index(links.len())];
                let _ = write!(
                    out,
                    "[{word} {} {}]({target})",
                    any_word(rng),
                    any_word(rng)
                );
                i += 2;
            }
            _ => out.push_str(&word),
        }
        i += 1;
    }
    out.push_str(if rng.chance(10) { "?" } else { "." });
    (out, n)
}

fn paragraph(
    rng: &mut Rng,
    min_words: (usize, usize),
    links: Option<&[String]>,
) -> (String, usize) {
    let min_words = rng.range(min_words.0, min_words.1);
    let mut out = String::new();
    let mut count = 0;
    while count < min_words {
        let (s, n) = sentence(rng, links);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s);
        count += n;
    }
    (out, count)
}

/// Markdown prose of at least `target` words: `##` sections with
/// paragraphs, bullet and numbered lists, and the given links.
fn prose(rng: &mut Rng, target: (usize, usize), links: &[String]) -> (String, usize) {
    let target = rng.range(target.0, target.1);
    let mut out = String::new();
    let mut count = 0;
    // Every link at least once, in the first paragraph.
    let mut first = String::new();
    for (i, link) in links.iter().enumerate() {
        let (s, n) = sentence(rng, None);
        let text = words(rng, (2, 2));
        let _ = write!(first, "{s} See [{text}]({link}). ");
        count += n + 3;
        if i + 1 == links.len() {
            first.pop();
        }
    }
    if !first.is_empty() {
        out.push_str(&first);
        out.push_str("\n\n");
    }
    // Sections while there is room for one; the last paragraph may run
    // over the target by at most one sentence.
    while count + 20 <= target {
        let heading = title_words(rng, (2, 5));
        count += heading.split(' ').count();
        let _ = write!(out, "## {heading}\n\n");
        for _ in 0..rng.range(1, 2) {
            let remaining = target.saturating_sub(count);
            if remaining == 0 {
                break;
            }
            let (p, n) = paragraph(rng, (remaining.min(40), remaining.min(90)), Some(links));
            let _ = write!(out, "{p}\n\n");
            count += n;
        }
        if count + 60 > target {
            continue;
        }
        match rng.next() % 3 {
            0 => {
                for _ in 0..rng.range(3, 5) {
                    let n = rng.range(4, 10);
                    let _ = writeln!(out, "- {}", capitalize(&words(rng, (n, n))));
                    count += n;
                }
                out.push('\n');
            }
            1 => {
                for i in 1..=rng.range(3, 5) {
                    let n = rng.range(4, 10);
                    let _ = writeln!(
                        out,
                        "{i}. **{}** {}",
                        title_words(rng, (1, 1)),
                        words(rng, (n, n))
                    );
                    count += n + 1;
                }
                out.push('\n');
            }
            _ => {}
        }
    }
    (out.trim_end().to_string() + "\n", count)
}

fn question(rng: &mut Rng) -> String {
    let first = capitalize(any_word(rng));
    let rest = words(rng, (6, 14));
    if rng.chance(30) {
        format!("*{first}* {rest}?")
    } else {
        format!("{first} {rest}?")
    }
}

/// A duration of `seconds` in one of the accepted forms.
fn duration_text(rng: &mut Rng, seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match rng.next() % 7 {
        0 if h == 0 => format!("\"{m}:{s:02}\""),
        1 if h > 0 => format!("\"{h}:{m:02}:{s:02}\""),
        2 if s == 0 && h == 0 => format!("{m}m"),
        3 if s == 0 && h > 0 => format!("{h}h {m}m"),
        4 if h == 0 => format!("PT{m}M{s}S"),
        5 if s == 0 => format!("{}", seconds / 60),
        6 if s == 30 => format!("{}.5", seconds / 60),
        _ if h > 0 => format!("{h}h {m}m {s}s"),
        _ => format!("PT{m}M{s}S"),
    }
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(2023, 2026),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

fn generate_pack(seed: u64, i: usize, total: usize, tags: &[String]) -> Pack {
    let slug = pack_slug(seed, i);
    let mut rng = Rng::for_item(seed, 2, i as u64);
    let topic = slug
        .rsplit_once('-')
        .map_or(&*slug, |(t, _)| t)
        .replace('-', " ");
    let title = format!("{} {}", capitalize(&topic), words(&mut rng, (2, 5)));
    let reading_file = format!("reading-{}.md", slugify(rng.pick(WORDS)));

    let mut links = vec![reading_file.clone()];
    if total > 1 {
        let other = (i + rng.range(1, total - 1)) % total;
        links.push(format!("../{}/pack.md", pack_slug(seed, other)));
    }
    links.push(format!(
        "https://example.org/{}/{}",
        slugify(&topic),
        rng.next() % 1000
    ));
    let (overview, overview_words) = prose(&mut rng, (520, 880), &links);

    let reading_title = title_words(&mut rng, (3, 7));
    let research = format!("https://example.org/research/{}", rng.next() % 10_000);
    let (reading_body, reading_words) = prose(&mut rng, (420, 1180), &[research]);
    let reading = Reading {
        file: reading_file.clone(),
        title: reading_title,
        description: sentence(&mut rng, None).0,
        body: reading_body,
        words: reading_words,
    };

    let count = rng.range(4, 8);
    let reading_at = rng.range(0, count - 1);
    let resources = (0..count)
        .map(|n| {
            if n == reading_at {
                return Resource {
                    title: reading.title.clone(),
                    kind: "reading",
                    location: Location::Page(reading_file.clone()),
                    duration: None,
                    seconds: reading.words as u64 * 60 / 238,
                    words: None,
                    optional: false,
                    captions: false,
                    transcript: None,
                    note: rng.chance(50).then(|| sentence(&mut rng, None).0),
                };
            }
            resource(&mut rng, n + 1 == count && count > 4)
        })
        .collect();

    let agenda_len = rng.range(3, 5);
    let agenda: Vec<(String, u64, Option<String>)> = (0..agenda_len)
        .map(|_| {
            let title = title_words(&mut rng, (2, 6));
            let minutes = 5 * rng.range(1, 6) as u64;
            let notes = rng.chance(60).then(|| sentence(&mut rng, None).0);
            (title, minutes, notes)
        })
        .collect();
    let agenda_minutes: u64 = agenda.iter().map(|a| a.1).sum();
    let duration = rng
        .chance(50)
        .then(|| duration_text(&mut rng, agenda_minutes * 60));
    let workshop = Workshop {
        format: rng.pick(FORMATS),
        duration,
        agenda,
        prompts: (0..rng.range(3, 5)).map(|_| question(&mut rng)).collect(),
        facilitator_notes: rng
            .chance(70)
            .then(|| paragraph(&mut rng, (40, 40), None).0),
    };

    let tag_count = rng.range(2, 4);
    let mut pack_tags: Vec<String> = Vec::new();
    while pack_tags.len() < tag_count {
        let tag = &tags[rng.index(tags.len())];
        if !pack_tags.contains(tag) {
            pack_tags.push(tag.clone());
        }
    }
    let mut audience = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let a = rng.pick(AUDIENCES);
        if !audience.contains(&a) {
            audience.push(a);
        }
    }
    let authors = (0..rng.range(1, 2)).map(|_| rng.pick(AUTHORS)).collect();

    Pack {
        slug,
        summary: sentence(&mut rng, None).0,
        goal: format!("Teachers can {}.", words(&mut rng, (8, 16))),
        problem: rng
            .chance(70)
            .then(|| paragraph(&mut rng, (30, 30), None).0),
        audience,
        tags: pack_tags,
        level: rng.pick(LEVELS),
        authors,
        date: date(&mut rng),
        updated: rng.chance(40).then(|| date(&mut rng)),
        weight: rng.chance(10).then(|| rng.range(1, 100) as u32),
        title,
        overview,
        overview_words,
        resources,
        workshop,
        application: rng.chance(70).then(|| Application {
            task: paragraph(&mut rng, (30, 30), None).0,
            minutes: 15 * rng.range(1, 4) as u64,
            evidence: (0..rng.range(1, 3))
                .map(|_| words(&mut rng, (3, 7)))
                .collect(),
        }),
        reflection: (0..rng.range(0, 3)).map(|_| question(&mut rng)).collect(),
        reading,
        pathways: Vec::new(),
    }
}

fn resource(rng: &mut Rng, optional: bool) -> Resource {
    let kind = rng.pick(&["video", "video", "podcast", "reading", "guide", "activity"]);
    let url = format!(
        "https://example.org/{kind}/{}-{}",
        slugify(rng.pick(WORDS)),
        rng.next() % 100_000
    );
    let seconds = rng.range(3, 50) as u64 * 60 + if rng.chance(40) { 30 } else { 0 };
    let (duration, words) = if kind == "reading" && rng.chance(50) {
        (None, Some(rng.range(800, 4000) as u64))
    } else {
        (Some(duration_text(rng, seconds)), None)
    };
    let seconds = words.map_or(seconds, |w| w * 60 / 238);
    let transcript = (kind == "podcast" || (kind == "video" && rng.chance(50)))
        .then(|| format!("{url}/transcript"));
    Resource {
        title: title_words(rng, (3, 8)),
        kind,
        location: Location::Url(url),
        duration,
        seconds,
        words,
        optional,
        captions: kind == "video" && transcript.is_none(),
        transcript,
        note: rng.chance(60).then(|| sentence(rng, None).0),
    }
}

fn generate_pathway(seed: u64, i: usize, packs: &[Pack]) -> Pathway {
    let mut rng = Rng::for_item(seed, 4, i as u64);
    let len = rng.range(3, 6).min(packs.len());
    let mut steps: Vec<(usize, &'static str)> = Vec::new();
    while steps.len() < len {
        let pack = rng.range(0, packs.len() - 1);
        if !steps.iter().any(|s| s.0 == pack) {
            steps.push((pack, rng.pick(WHEN)));
        }
    }
    let links: Vec<String> = steps
        .iter()
        .map(|s| format!("../packs/{}/pack.md", packs[s.0].slug))
        .collect();
    let (body, _) = prose(&mut rng, (100, 250), &links);
    Pathway {
        slug: format!("pathway-{}", i + 1),
        title: format!("Pathway {}: {}", i + 1, title_words(&mut rng, (2, 5))),
        summary: sentence(&mut rng, None).0,
        steps,
        body,
    }
}

/// A YAML double-quoted string. Generated text has no quotes or
/// backslashes, but escape them anyway.
fn q(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(items: &[impl AsRef<str>]) -> String {
    let items: Vec<String> = items.iter().map(|i| q(i.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    fs::write(path, text).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

fn create_dir(path: &Path) -> io::Result<()> {
    fs::create_dir_all(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// Refuses to write into a folder that already has files, so a typo in
/// `--out` cannot mix a synthetic site into real content.
fn fresh_dir(path: &Path) -> io::Result<()> {
    if path.exists() && fs::read_dir(path)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty; give a new or empty folder",
                path.display()
            ),
        ));
    }
    create_dir(path)
}

/// Writes the flippack site into `dir` (new or empty).
pub fn write_flippack(site: &Site, dir: &Path) -> io::Result<()> {
    fresh_dir(dir)?;
    write_file(
        &dir.join("site.yaml"),
        &format!("title: {}\n", q(&site.title)),
    )?;
    create_dir(&dir.join("content/pathways"))?;
    write_file(
        &dir.join("content/_index.md"),
        &format!(
            "---\ntitle: {}\ndescription: Synthetic packs for benchmarks.\n---\n\n{}\n",
            q(&site.title),
            site.intro
        ),
    )?;
    site.packs.par_iter().try_for_each(|pack| {
        let folder = dir.join("content/packs").join(&pack.slug);
        create_dir(&folder)?;
        write_file(&folder.join("pack.md"), &flippack_pack(pack))?;
        write_file(
            &folder.join(&pack.reading.file),
            &reading_page(&pack.reading, &[]),
        )
    })?;
    write_pathways(site, dir, "packs")
}

/// Writes the site as minimal packs into `dir` (new or empty): each pack
/// only its overview, tags and the few keys a pack must have (one
/// resource, a workshop of one prompt), no further page. With
/// [`write_hugo_minimal`], the comparison of one page per pack through a
/// plain template against flippack's whole theme.
pub fn write_flippack_minimal(site: &Site, dir: &Path) -> io::Result<()> {
    fresh_dir(dir)?;
    write_file(
        &dir.join("site.yaml"),
        &format!("title: {}\n", q(&site.title)),
    )?;
    create_dir(&dir.join("content/packs"))?;
    site.packs.par_iter().try_for_each(|p| {
        let folder = dir.join("content/packs").join(&p.slug);
        create_dir(&folder)?;
        let resource = p
            .resources
            .iter()
            .find_map(|r| match &r.location {
                Location::Url(url) => Some(url.as_str()),
                Location::Page(_) => None,
            })
            .unwrap_or("https://example.org/video/1");
        let text = format!(
            "---\ntitle: {}\nsummary: {}\ngoal: {}\ntags: {}\ndate: {}\n\
             self_study:\n  - title: Watch\n    kind: video\n    url: {resource}\n    duration: 10m\n\
             workshop:\n  duration: 30m\n  prompts:\n    - {}\n---\n\n{}",
            q(&p.title),
            q(&p.summary),
            q(&p.goal),
            list(&p.tags),
            p.date,
            q(&p.workshop.prompts[0]),
            minimal_overview(p)
        );
        write_file(&folder.join("pack.md"), &text)
    })
}

/// The Hugo twin of [`write_flippack_minimal`]: the same pages and tags,
/// through one plain template (and a plain list for the home page and
/// tags).
pub fn write_hugo_minimal(site: &Site, dir: &Path) -> io::Result<()> {
    fresh_dir(dir)?;
    write_file(
        &dir.join("hugo.toml"),
        &format!(
            "baseURL = \"https://example.org/\"\ntitle = {}\nrelativeURLs = true\n\
             buildFuture = true\ndisableKinds = [\"section\", \"robotstxt\", \"sitemap\", \"rss\"]\n\
             [taxonomies]\n  tag = \"tags\"\n",
            q(&site.title)
        ),
    )?;
    create_dir(&dir.join("layouts/_default"))?;
    write_file(
        &dir.join("layouts/_default/single.html"),
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\n\
         <body><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>\n\
         <ul>{{ range .Params.tags }}<li><a href=\"{{ \"tags/\" | relURL }}{{ . | urlize }}/\">{{ . }}</a></li>{{ end }}</ul>\n\
         {{ .Content }}</body></html>\n",
    )?;
    write_file(
        &dir.join("layouts/_default/list.html"),
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\n\
         <body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n",
    )?;
    create_dir(&dir.join("content/packs"))?;
    site.packs.par_iter().try_for_each(|p| {
        write_file(
            &dir.join("content/packs").join(format!("{}.md", p.slug)),
            &format!(
                "---\ntitle: {}\nsummary: {}\ntags: {}\ndate: {}\n---\n\n{}",
                q(&p.title),
                q(&p.summary),
                list(&p.tags),
                p.date,
                minimal_overview(p)
            ),
        )
    })
}

/// A pack's overview without its links to other pages of the site, which
/// a minimal site does not have.
fn minimal_overview(p: &Pack) -> String {
    let text = p.overview.replace(
        &format!("]({})", p.reading.file),
        "](https://example.org/reading)",
    );
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("](../") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(')').map_or(rest.len(), |e| at + e + 1);
        out.push_str("](https://example.org/pack)");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn reading_page(reading: &Reading, extra: &[(&str, String)]) -> String {
    let mut text = format!(
        "---\ntitle: {}\ndescription: {}\n",
        q(&reading.title),
        q(&reading.description)
    );
    for (key, value) in extra {
        let _ = writeln!(text, "{key}: {value}");
    }
    let _ = write!(text, "---\n\n{}", reading.body);
    text
}

fn flippack_pack(p: &Pack) -> String {
    let mut t = String::with_capacity(p.overview.len() + 4096);
    let _ = writeln!(
        t,
        "---\ntitle: {}\nsummary: {}\ngoal: {}",
        q(&p.title),
        q(&p.summary),
        q(&p.goal)
    );
    if let Some(problem) = &p.problem {
        let _ = writeln!(t, "problem: {}", q(problem));
    }
    let _ = writeln!(
        t,
        "audience: {}\ntags: {}",
        list(&p.audience),
        list(&p.tags)
    );
    let _ = writeln!(
        t,
        "level: {}\nauthors: {}\ndate: {}",
        p.level,
        list(&p.authors),
        p.date
    );
    if let Some(updated) = &p.updated {
        let _ = writeln!(t, "updated: {updated}");
    }
    if let Some(weight) = p.weight {
        let _ = writeln!(t, "weight: {weight}");
    }
    t.push_str("self_study:\n");
    for r in &p.resources {
        let _ = writeln!(t, "  - title: {}\n    kind: {}", q(&r.title), r.kind);
        match &r.location {
            Location::Url(url) => {
                let _ = writeln!(t, "    url: {url}");
            }
            Location::Page(page) => {
                let _ = writeln!(t, "    page: {page}");
            }
        }
        if let Some(d) = &r.duration {
            let _ = writeln!(t, "    duration: {d}");
        }
        if let Some(w) = r.words {
            let _ = writeln!(t, "    words: {w}");
        }
        if r.optional {
            t.push_str("    optional: true\n");
        }
        if r.captions {
            t.push_str("    captions: true\n");
        }
        if let Some(tr) = &r.transcript {
            let _ = writeln!(t, "    transcript: {tr}");
        }
        if let Some(note) = &r.note {
            let _ = writeln!(t, "    note: {}", q(note));
        }
    }
    let w = &p.workshop;
    let _ = writeln!(t, "workshop:\n  format: {}", w.format);
    if let Some(d) = &w.duration {
        let _ = writeln!(t, "  duration: {d}");
    }
    t.push_str("  agenda:\n");
    for (title, minutes, notes) in &w.agenda {
        let _ = writeln!(t, "    - title: {}\n      minutes: {minutes}", q(title));
        if let Some(notes) = notes {
            let _ = writeln!(t, "      notes: {}", q(notes));
        }
    }
    t.push_str("  prompts:\n");
    for prompt in &w.prompts {
        let _ = writeln!(t, "    - {}", q(prompt));
    }
    if let Some(notes) = &w.facilitator_notes {
        let _ = writeln!(t, "  facilitator_notes: {}", q(notes));
    }
    if let Some(a) = &p.application {
        let _ = writeln!(
            t,
            "application:\n  task: {}\n  duration: {}m\n  evidence: {}",
            q(&a.task),
            a.minutes,
            list(&a.evidence)
        );
    }
    if !p.reflection.is_empty() {
        t.push_str("reflection:\n");
        for r in &p.reflection {
            let _ = writeln!(t, "  - {}", q(r));
        }
    }
    let _ = write!(t, "---\n\n{}", p.overview);
    t
}

fn time_label(seconds: u64) -> String {
    let minutes = (seconds + 30) / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Writes the equivalent Hugo site into `dir` (new or empty): one page per
/// flippack page, at the same paths, with the same Markdown bodies, tags as
/// a taxonomy, and templates of comparable size for each page kind.
pub fn write_hugo(site: &Site, dir: &Path) -> io::Result<()> {
    fresh_dir(dir)?;
    write_file(
        &dir.join("hugo.toml"),
        &format!(
            "baseURL = \"https://example.org/\"\ntitle = {}\n\
             relativeURLs = true\nbuildFuture = true\n\
             disableKinds = [\"section\", \"robotstxt\"]\n\
             [taxonomies]\n  tag = \"tags\"\n\
             [outputs]\n  home = [\"html\", \"rss\", \"searchindex\"]\n  page = [\"html\"]\n\
             \x20 taxonomy = [\"html\"]\n  term = [\"html\"]\n\
             [outputFormats.searchindex]\n  mediaType = \"text/javascript\"\n\
             \x20 baseName = \"search-index\"\n  isPlainText = true\n  notAlternative = true\n\
             [outputFormats.searchfragment]\n  mediaType = \"text/javascript\"\n\
             \x20 baseName = \"search\"\n  isPlainText = true\n  notAlternative = true\n",
            q(&site.title)
        ),
    )?;
    for (path, text) in HUGO_LAYOUTS {
        let path = dir.join("layouts").join(path);
        create_dir(path.parent().unwrap_or(dir))?;
        write_file(&path, text)?;
    }
    create_dir(&dir.join("static/static"))?;
    write_file(&dir.join("static/static/style.css"), HUGO_CSS)?;
    create_dir(&dir.join("content/pathways"))?;
    write_file(
        &dir.join("content/_index.md"),
        &format!("---\ntitle: {}\n---\n\n{}\n", q(&site.title), site.intro),
    )?;
    site.packs.par_iter().try_for_each(|pack| {
        let folder = dir.join("content/packs").join(&pack.slug);
        create_dir(&folder)?;
        let pathways: Vec<&str> = pack
            .pathways
            .iter()
            .map(|&i| site.pathways[i].slug.as_str())
            .collect();
        write_file(
            &dir.join("content/packs").join(format!("{}.md", pack.slug)),
            &hugo_pack(pack, &pathways),
        )?;
        write_file(
            &folder.join("facilitator.md"),
            &format!(
                "---\ntitle: {}\ntype: facilitator\npack: {}\n---\n",
                q(&format!("Workshop plan: {}", pack.title)),
                pack.slug
            ),
        )?;
        let extra = [("type", "reading".to_string()), ("pack", pack.slug.clone())];
        write_file(
            &folder.join(&pack.reading.file),
            &reading_page(&pack.reading, &extra),
        )
    })?;
    write_pathways(site, dir, "steps")
}

/// Each pathway as `content/pathways/<slug>.md`, its packs listed under
/// `list` (`packs` for flippack, a plain `steps` parameter for Hugo).
fn write_pathways(site: &Site, dir: &Path, list: &str) -> io::Result<()> {
    for pathway in &site.pathways {
        let mut text = format!(
            "---\ntitle: {}\nsummary: {}\n{list}:\n",
            q(&pathway.title),
            q(&pathway.summary)
        );
        for &(pack, when) in &pathway.steps {
            let _ = write!(
                text,
                "  - pack: {}\n    when: {}\n",
                site.packs[pack].slug,
                q(when)
            );
        }
        let _ = write!(text, "---\n\n{}", pathway.body);
        let file = dir
            .join("content/pathways")
            .join(format!("{}.md", pathway.slug));
        write_file(&file, &text)?;
    }
    Ok(())
}

fn hugo_pack(p: &Pack, pathways: &[&str]) -> String {
    let mut t = String::with_capacity(p.overview.len() + 4096);
    let _ = writeln!(
        t,
        "---\ntitle: {}\nsummary: {}\ngoal: {}",
        q(&p.title),
        q(&p.summary),
        q(&p.goal)
    );
    if let Some(problem) = &p.problem {
        let _ = writeln!(t, "problem: {}", q(problem));
    }
    let _ = writeln!(
        t,
        "audience: {}\ntags: {}",
        list(&p.audience),
        list(&p.tags)
    );
    let _ = writeln!(
        t,
        "level: {}\nauthors: {}\ndate: {}",
        p.level,
        list(&p.authors),
        p.date
    );
    if let Some(weight) = p.weight {
        let _ = writeln!(t, "weight: {weight}");
    }
    let self_study: u64 = p
        .resources
        .iter()
        .filter(|r| !r.optional)
        .map(|r| r.seconds)
        .sum();
    let workshop: u64 = p.workshop.agenda.iter().map(|a| a.1 * 60).sum();
    let total = self_study + workshop;
    let _ = writeln!(
        t,
        "credit: {{self_study: {}, workshop: {}, total: {}, hours: {}}}",
        q(&time_label(self_study)),
        q(&time_label(workshop)),
        q(&time_label(total)),
        (total / 900) as f64 / 4.0
    );
    t.push_str("self_study:\n");
    for r in &p.resources {
        let href = match &r.location {
            Location::Url(url) => url.clone(),
            Location::Page(page) => format!("{}/", page.trim_end_matches(".md")),
        };
        let _ = writeln!(
            t,
            "  - title: {}\n    kind: {}\n    href: {}\n    time: {}",
            q(&r.title),
            r.kind,
            q(&href),
            q(&time_label(r.seconds))
        );
        if r.optional {
            t.push_str("    optional: true\n");
        }
        if r.captions {
            t.push_str("    captions: true\n");
        }
        if let Some(tr) = &r.transcript {
            let _ = writeln!(t, "    transcript: {tr}");
        }
        if let Some(note) = &r.note {
            let _ = writeln!(t, "    note: {}", q(note));
        }
    }
    let w = &p.workshop;
    let _ = writeln!(
        t,
        "workshop:\n  format: {}\n  time: {}\n  agenda:",
        w.format,
        q(&time_label(workshop))
    );
    let mut start = 0;
    for (title, minutes, notes) in &w.agenda {
        let _ = writeln!(
            t,
            "    - title: {}\n      starts: \"{}:{:02}\"\n      time: \"{minutes} min\"",
            q(title),
            start / 60,
            start % 60
        );
        start += minutes;
        if let Some(notes) = notes {
            let _ = writeln!(t, "      notes: {}", q(notes));
        }
    }
    t.push_str("  prompts:\n");
    for prompt in &w.prompts {
        let _ = writeln!(t, "    - {}", q(prompt));
    }
    if let Some(notes) = &w.facilitator_notes {
        let _ = writeln!(t, "  facilitator_notes: {}", q(notes));
    }
    if let Some(a) = &p.application {
        let _ = writeln!(
            t,
            "application:\n  task: {}\n  time: \"{} min\"\n  evidence: {}",
            q(&a.task),
            a.minutes,
            list(&a.evidence)
        );
    }
    if !p.reflection.is_empty() {
        let _ = writeln!(t, "reflection: {}", list(&p.reflection));
    }
    if !pathways.is_empty() {
        let _ = writeln!(t, "pathways: {}", list(pathways));
    }
    let _ = writeln!(t, "reading: {}", p.reading.file.trim_end_matches(".md"));
    t.push_str("outputs: [html, searchfragment]\n");
    let _ = write!(t, "---\n\n{}", p.overview);
    t
}

/// Hugo templates mirroring flippack's default theme, page kind by page
/// kind, so both generators produce pages of similar size and structure.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r##"<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ end }}
<meta name="generator" content="Hugo">
<link rel="stylesheet" href="{{ "static/style.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <a class="site-title" href="{{ "index.html" | relURL }}">{{ site.Title }}</a>
  <nav aria-label="Site">
    <ul>
      <li><a href="{{ "index.html" | relURL }}">Catalog</a></li>
      <li><a href="{{ "tags/index.html" | relURL }}">Tags</a></li>
    </ul>
  </nav>
</header>
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <p>Built with Hugo.</p>
</footer>
</body>
</html>
"##,
    ),
    (
        "partials/card.html",
        r##"<article class="card">
  <h3><a href="{{ .RelPermalink }}index.html">{{ .Title }}</a></h3>
  <p>{{ .Params.summary }}</p>
  <dl class="facts">
    <div><dt>Self-study</dt><dd>{{ .Params.credit.self_study }}</dd></div>
    <div><dt>Workshop</dt><dd>{{ .Params.credit.workshop }}</dd></div>
    <div><dt>Credit</dt><dd>{{ .Params.credit.hours }} h</dd></div>
    {{ with .Params.level }}<div><dt>Level</dt><dd>{{ . }}</dd></div>{{ end }}
  </dl>
  {{ with .Params.audience }}<p class="audience">For: {{ delimit . ", " }}</p>{{ end }}
  {{ with .GetTerms "tags" }}<ul class="tags" aria-label="Tags">{{ range . }}<li><a href="{{ .RelPermalink }}index.html">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>
"##,
    ),
    (
        "index.html",
        r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
<div class="intro">{{ .Content }}</div>
<section aria-labelledby="packs-heading">
  <h2 id="packs-heading">Resource packs</h2>
  <div class="cards">
  {{ range where site.RegularPages "Type" "packs" }}{{ partial "card.html" . }}{{ end }}
  </div>
</section>
<section aria-labelledby="pathways-heading">
  <h2 id="pathways-heading">Pathways</h2>
  <ul class="pathways">
  {{ range where site.RegularPages "Type" "pathways" }}
    <li><a href="{{ .RelPermalink }}index.html">{{ .Title }}</a>: {{ .Params.summary }} <span class="meta">({{ len .Params.steps }} packs)</span></li>
  {{ end }}
  </ul>
</section>
{{ end }}
"##,
    ),
    (
        "packs/single.html",
        r##"{{ define "main" }}
<article class="pack">
<header>
  <h1>{{ .Title }}</h1>
  <p class="summary">{{ .Params.summary }}</p>
  <p class="meta">By {{ delimit .Params.authors ", " }}, {{ .Date.Format "2006-01-02" }}</p>
  {{ with .GetTerms "tags" }}<ul class="tags" aria-label="Tags">{{ range . }}<li><a href="{{ .RelPermalink }}index.html">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</header>
<section aria-labelledby="goal-heading">
  <h2 id="goal-heading">Goal</h2>
  <p>{{ .Params.goal | markdownify }}</p>
  {{ with .Params.problem }}<h3>Problem of practice</h3><p>{{ . | markdownify }}</p>{{ end }}
</section>
<section class="credit" aria-labelledby="credit-heading">
  <h2 id="credit-heading">Credit hours</h2>
  <table>
    <tbody>
      <tr><th scope="row">Self-study</th><td>{{ .Params.credit.self_study }}</td></tr>
      <tr><th scope="row">Workshop</th><td>{{ .Params.credit.workshop }}</td></tr>
      <tr><th scope="row">Total</th><td>{{ .Params.credit.total }}</td></tr>
      <tr class="credit-hours"><th scope="row">Credit hours</th><td>{{ .Params.credit.hours }}</td></tr>
    </tbody>
  </table>
</section>
<section aria-labelledby="overview-heading">
  <h2 id="overview-heading">Overview</h2>
  {{ .Content }}
</section>
<section aria-labelledby="before-heading">
  <h2 id="before-heading">Before: study on your own</h2>
  <ol class="resources">
  {{ range .Params.self_study }}
    <li>
      <a href="{{ .href }}">{{ .title }}</a>
      <span class="meta">{{ .kind }}, {{ .time }}{{ if .optional }}, optional: going deeper{{ end }}</span>
      {{ if .captions }}<span class="meta">Captions available.</span>{{ end }}
      {{ with .transcript }}<a href="{{ . }}">Transcript</a>{{ end }}
      {{ with .note }}<p>{{ . | markdownify }}</p>{{ end }}
    </li>
  {{ end }}
  </ol>
</section>
<section aria-labelledby="together-heading">
  <h2 id="together-heading">Together: the workshop</h2>
  {{ with .Params.workshop }}
  <p>{{ .format }}, {{ .time }}.</p>
  <h3>Agenda</h3>
  <ol class="agenda">
  {{ range .agenda }}
    <li><span class="clock">{{ .starts }}</span> {{ .title }} <span class="meta">({{ .time }})</span>{{ with .notes }}<p>{{ . | markdownify }}</p>{{ end }}</li>
  {{ end }}
  </ol>
  <h3>Discussion prompts</h3>
  <ul>{{ range .prompts }}<li>{{ . | markdownify }}</li>{{ end }}</ul>
  {{ with .facilitator_notes }}<details><summary>Facilitator notes</summary><p>{{ . | markdownify }}</p></details>{{ end }}
  {{ end }}
</section>
{{ if or .Params.application .Params.reflection }}
<section aria-labelledby="after-heading">
  <h2 id="after-heading">After: apply and reflect</h2>
  {{ with .Params.application }}
  <h3>In your classroom ({{ .time }})</h3>
  {{ .task | markdownify }}
  {{ with .evidence }}<h4>Evidence to bring</h4><ul>{{ range . }}<li>{{ . | markdownify }}</li>{{ end }}</ul>{{ end }}
  {{ end }}
  {{ with .Params.reflection }}<h3>Reflection</h3><ul>{{ range . }}<li>{{ . | markdownify }}</li>{{ end }}</ul>{{ end }}
</section>
{{ end }}
{{ with .Params.pathways }}
<section aria-labelledby="pathways-heading">
  <h2 id="pathways-heading">Part of</h2>
  <ul>{{ range . }}{{ with site.GetPage (printf "/pathways/%s" .) }}<li><a href="{{ .RelPermalink }}index.html">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>
</section>
{{ end }}
</article>
{{ end }}
"##,
    ),
    (
        "reading/single.html",
        r##"{{ define "main" }}
{{ $pack := site.GetPage (printf "/packs/%s" .Params.pack) }}
<nav class="breadcrumb" aria-label="Breadcrumb"><a href="{{ $pack.RelPermalink }}index.html">{{ $pack.Title }}</a></nav>
<article class="page">
<h1>{{ .Title }}</h1>
<p class="meta">{{ .WordCount }} words, about {{ .ReadingTime }} min</p>
{{ .Content }}
</article>
{{ end }}
"##,
    ),
    (
        "pathways/single.html",
        r##"{{ define "main" }}
<article class="pathway">
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
{{ .Content }}
<ol class="steps">
{{ range .Params.steps }}{{ $when := .when }}{{ with site.GetPage (printf "/packs/%s" .pack) }}
  <li>{{ with $when }}<span class="meta">{{ . }}</span>{{ end }}{{ partial "card.html" . }}</li>
{{ end }}{{ end }}
</ol>
</article>
{{ end }}
"##,
    ),
    (
        "facilitator/single.html",
        r##"{{ define "main" }}
{{ $pack := site.GetPage (printf "/packs/%s" .Params.pack) }}
<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="{{ "index.html" | relURL }}">Catalog</a></li><li><a href="{{ $pack.RelPermalink }}index.html">{{ $pack.Title }}</a></li><li><span aria-current="page">Workshop plan</span></li></ol></nav>
<article class="facilitator">
{{ with $pack.Params }}
<header class="pack-header">
  <p class="eyebrow">Workshop plan for facilitators</p>
  <h1>{{ $pack.Title }}</h1>
  <ul class="pack-meta">
    <li><span class="label">Format</span> {{ .workshop.format }}</li>
    <li><span class="label">Length</span> {{ .workshop.time }}</li>
    <li><span class="label">Credit</span> {{ .credit.hours }} hours with {{ .credit.self_study }} of self-study</li>
  </ul>
</header>
<section aria-labelledby="goal-heading">
  <h2 id="goal-heading">Goal</h2>
  <p>{{ .goal | markdownify }}</p>
  {{ with .problem }}<h3>Problem of practice</h3><p>{{ . | markdownify }}</p>{{ end }}
</section>
<section aria-labelledby="prepared-heading">
  <h2 id="prepared-heading">What participants studied beforehand</h2>
  <ol class="plain-list">
  {{ range .self_study }}{{ if not .optional }}<li>{{ .title }} <span class="meta">({{ .kind }}, {{ .time }})</span></li>{{ end }}{{ end }}
  </ol>
</section>
<section aria-labelledby="agenda-heading">
  <h2 id="agenda-heading">Agenda</h2>
  <table class="agenda-table">
    <thead><tr><th scope="col">Time</th><th scope="col">Activity</th><th scope="col">Notes</th></tr></thead>
    <tbody>
    {{ range .workshop.agenda }}
      <tr><td class="clock">{{ .starts }}</td><th scope="row">{{ .title }} <span class="meta">({{ .time }})</span></th><td>{{ with .notes }}{{ . | markdownify }}{{ end }}</td></tr>
    {{ end }}
    </tbody>
  </table>
</section>
<section aria-labelledby="prompts-heading">
  <h2 id="prompts-heading">Discussion prompts</h2>
  <ol class="prompts">{{ range .workshop.prompts }}<li>{{ . | markdownify }}</li>{{ end }}</ol>
</section>
{{ with .workshop.facilitator_notes }}
<section class="prose" aria-labelledby="notes-heading">
  <h2 id="notes-heading">Facilitator notes</h2>
  {{ . | markdownify }}
</section>
{{ end }}
{{ with .application }}
<section aria-labelledby="after-heading">
  <h2 id="after-heading">To close: what participants do next</h2>
  <div class="prose">{{ .task | markdownify }}</div>
  {{ with .evidence }}<h3>Evidence they bring back</h3><ul>{{ range . }}<li>{{ . | markdownify }}</li>{{ end }}</ul>{{ end }}
</section>
{{ end }}
{{ end }}
</article>
{{ end }}
"##,
    ),
    (
        "packs/single.searchfragment.js",
        r##"{{ $reading := site.GetPage (printf "/packs/%s/%s" .File.ContentBaseName .Params.reading) -}}
flippackSearch.fragment({{ dict "id" .RelPermalink "title" .Title "text" (slice .Params.summary (.Params.goal | plainify) .Plain) "reading" (dict "title" $reading.Title "text" $reading.Plain) | jsonify }});
"##,
    ),
    (
        "index.searchindex.js",
        r##"{{ $docs := slice -}}
{{ range where site.RegularPages "Type" "in" (slice "packs" "pathways") -}}
{{ $docs = $docs | append (dict "kind" .Type "url" .RelPermalink "title" .Title "credit" .Params.credit.hours "terms" (delimit (union (.Params.tags | default slice) (split (lower .Plain) " ")) " ")) -}}
{{ end -}}
flippackSearch.index({{ $docs | jsonify }});
"##,
    ),
    ("_default/taxonomy.html", HUGO_TAGS),
    ("_default/term.html", HUGO_TAGS),
    (
        "404.html",
        r##"{{ define "main" }}
<h1>Page not found</h1>
<p>The page you asked for is not here. Try the <a href="{{ "index.html" | relURL }}">catalog</a>.</p>
{{ end }}
"##,
    ),
];

/// Both the tag index and a tag's page: Hugo versions disagree on which
/// file name each kind is looked up under.
const HUGO_TAGS: &str = r##"{{ define "main" }}
{{ if eq .Kind "term" }}
<h1>Tag: {{ .Title }}</h1>
<div class="cards">
{{ range .Pages }}{{ partial "card.html" . }}{{ end }}
</div>
{{ else }}
<h1>Tags</h1>
<ul class="tag-list">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}index.html">{{ .Page.LinkTitle }}</a> <span class="meta">({{ .Count }})</span></li>{{ end }}
</ul>
{{ end }}
{{ end }}
"##;

const HUGO_CSS: &str = "body { font-family: system-ui, sans-serif; max-width: 50rem; margin: 0 auto; padding: 1rem; }\n";
