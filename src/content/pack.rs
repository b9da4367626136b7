//! Validating one pack's front matter and rendering its Markdown into a
//! [`Pack`]: its pages, resources, workshop and credit.

use std::cell::RefCell;

use super::cycle::{self, Render};
use super::discover::is_slug;
use super::locate::{place_field_links, place_in_field, Step};
use super::model::*;
use super::raw::{RawPack, RawWorkshop};
use super::resource::{build_resource, unique_keys, PackContext};
use super::source::{
    broken_links, non_empty, parts, removed_html, render_body, ParsedPack, ParsedPage, Parts,
    Problems, Source, RESERVED_PAGE_NAMES,
};
use super::tags::pack_tags;
use crate::config::Config;
use crate::credit::{
    workshop_time, Credit, Duration, PackTimes, WorkshopTimeError, MAX_DURATION, MAX_TOTAL,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::{self, HtmlPolicy, Link, Origin, RemovedHtml, Rendered};
use crate::slug::slugify;

/// The loader's function for one pack: every problem of the pack is
/// reported, and the pack is returned only when none is an error.
pub(super) fn build_pack(
    parsed: &ParsedPack,
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
) -> (Option<Pack>, Vec<Diagnostic>) {
    let Ok(p) = parts(&parsed.source) else {
        return (None, Vec::new());
    };
    let mut problems = Problems::new(&parsed.source, &p);
    let fields = Fields::new(&parsed.source, &p, url_of, HtmlPolicy::of(config));
    let pack = pack_of(parsed, &p, config, url_of, &fields, &mut problems);
    (pack, problems.found)
}

/// Markdown in front matter fields (the goal, notes, prompts, the task):
/// its links are kept so they are checked like the overview's, and the raw
/// HTML taken out of it is pointed at where it is written.
struct Fields<'a> {
    yaml: &'a str,
    yaml_line: usize,
    origin: Origin<'a>,
    html: HtmlPolicy<'a>,
    links: RefCell<Vec<Link>>,
    removed: RefCell<Vec<RemovedHtml>>,
    /// Places in the front matter already given to a removed tag.
    placed: RefCell<Vec<(usize, usize)>>,
}

impl<'a> Fields<'a> {
    fn new(
        source: &'a Source,
        p: &Parts<'a>,
        url_of: &'a (dyn Fn(&str) -> Option<String> + Sync),
        html: HtmlPolicy<'a>,
    ) -> Self {
        Fields {
            yaml: p.yaml,
            yaml_line: p.yaml_line,
            origin: Origin {
                source: &source.content_rel,
                first_line: p.yaml_line,
                url_of,
            },
            html,
            links: RefCell::default(),
            removed: RefCell::default(),
            placed: RefCell::default(),
        }
    }

    /// A field as a block of Markdown.
    fn block(&self, text: &str) -> String {
        let rendered = markdown::render_with(text, &self.origin, &self.html);
        self.links.borrow_mut().extend(rendered.links);
        for mut removed in rendered.removed {
            (removed.line, removed.column) = place_in_field(
                self.yaml,
                self.yaml_line,
                text,
                removed.offset,
                &mut self.placed.borrow_mut(),
            );
            self.removed.borrow_mut().push(removed);
        }
        rendered.html
    }

    /// A field as inline Markdown, without its paragraph.
    fn inline(&self, text: &str) -> String {
        markdown::without_paragraph(self.block(text))
    }

    /// Reports the fields' broken links and removed HTML, and returns
    /// their links, each placed on its line of the front matter.
    fn finish(&self, problems: &mut Problems<'_>) -> Vec<(String, Link)> {
        let source = problems.source;
        let mut links = self.links.take();
        place_field_links(self.yaml, self.yaml_line, &mut links);
        let fields = Rendered {
            links,
            ..Rendered::default()
        };
        problems.found.extend(broken_links(source, &fields));
        problems
            .found
            .extend(removed_html(source, &self.removed.take()));
        fields
            .links
            .into_iter()
            .map(|l| (source.shown.clone(), l))
            .collect()
    }
}

/// The pack, validated part by part; `None` when any part has an error.
fn pack_of(
    parsed: &ParsedPack,
    p: &Parts<'_>,
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    fields: &Fields<'_>,
    problems: &mut Problems<'_>,
) -> Option<Pack> {
    let raw = &parsed.raw;
    let slug = &parsed.files.slug;
    let source = &parsed.source;
    let html = fields.html;
    let inline = |text: &str| fields.inline(text);
    required_text(raw, problems);

    // Pages first: resources may be timed by a page's words.
    let mut all_links = Vec::new();
    let pages: Vec<Page> = parsed
        .pages
        .iter()
        .map(|page| build_page(page, parsed, config, url_of, html, problems, &mut all_links))
        .collect();

    problems.found.extend(reserved_files(parsed));

    let body = render_body(source, p, url_of, html);
    problems.found.extend(broken_links(source, &body));
    problems.found.extend(removed_html(source, &body.removed));
    all_links.extend(body.links.iter().map(|l| (source.shown.clone(), l.clone())));

    let self_study = build_self_study(parsed, &pages, config, problems, &inline);
    let workshop = build_workshop(raw, config, problems, &inline);
    let record = super::schedule::pack_record(raw, config, problems);
    let application = raw.application.as_ref().map(|a| Application {
        task: fields.block(&a.task),
        time: a.duration.map(|d| d.0),
        evidence: a.evidence.iter().map(|e| inline(e)).collect(),
    });
    let tags = pack_tags(&raw.tags, problems);
    let goal = inline(&raw.goal);
    let problem = raw.problem.as_deref().map(inline);
    let reflection = raw.reflection.iter().map(|r| inline(r)).collect();
    let (self_check, plan, follow_up) = build_cycle(raw, config, fields, problems);
    all_links.extend(fields.finish(problems));

    let workshop = workshop?;
    if problems.found.iter().any(Diagnostic::is_error) {
        return None;
    }
    let credit = pack_credit(
        &self_study,
        &workshop,
        application.as_ref(),
        self_check.as_ref(),
        config,
        problems,
    )?;
    Some(Pack {
        slug: slug.clone(),
        url: crate::layout::pack(slug),
        source: source.file(),
        title: raw.title.trim().to_string(),
        summary: raw.summary.trim().to_string(),
        goal,
        problem,
        audience: raw.audience.clone(),
        tags,
        level: raw.level,
        authors: raw.authors.clone(),
        date: raw.date,
        updated: raw.updated,
        draft: raw.draft,
        weight: raw.weight,
        ordered: raw.ordered,
        overview: body.html,
        self_study,
        workshop,
        application,
        reflection,
        self_check,
        plan,
        follow_up,
        pages,
        assets: parsed.files.assets.clone(),
        folder: parsed.files.dir.clone(),
        credit,
        pathways: Vec::new(),
        links: all_links,
        headings: body.headings,
        record,
    })
}

/// The self-check, the plan and the follow-up (`content/cycle.rs`), and
/// the rule on resource `id:`s that progress is kept under.
fn build_cycle(
    raw: &RawPack,
    config: &Config,
    fields: &Fields<'_>,
    problems: &mut Problems<'_>,
) -> (Option<SelfCheck>, Option<Plan>, Option<FollowUp>) {
    let block = |text: &str| fields.block(text);
    let inline = |text: &str| fields.inline(text);
    let render = Render {
        block: &block,
        inline: &inline,
    };
    cycle::resource_ids(raw, problems);
    (
        cycle::build_self_check(raw, config, problems, &render),
        cycle::build_plan(raw, problems, &render),
        cycle::build_follow_up(raw, &render),
    )
}

/// `title`, `summary` and `goal` must say something.
fn required_text(raw: &RawPack, problems: &mut Problems<'_>) {
    use Step::Key;
    non_empty(problems, &[Key("title")], &raw.title, "title", "pack");
    non_empty(problems, &[Key("summary")], &raw.summary, "summary", "pack");
    non_empty(problems, &[Key("goal")], &raw.goal, "goal", "pack");
}

/// One further page of the pack, rendered, with its problems reported and
/// its links added to `all_links`.
fn build_page(
    page: &ParsedPage,
    parsed: &ParsedPack,
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    html: HtmlPolicy<'_>,
    problems: &mut Problems<'_>,
    all_links: &mut Vec<(String, Link)>,
) -> Page {
    let slug = &parsed.files.slug;
    let name = page
        .source
        .content_rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md")
        .to_string();
    let rendered = page.render(url_of, html);
    problems.found.extend(broken_links(&page.source, &rendered));
    problems
        .found
        .extend(removed_html(&page.source, &rendered.removed));
    problems.found.extend(page_name_problem(page, &name));
    problems.found.extend(page_clash(page, &name, parsed));
    let title = page
        .front
        .title
        .clone()
        .or_else(|| {
            rendered
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.text.clone())
        })
        .unwrap_or_else(|| name.replace('-', " "));
    // A page is at most a megabyte: its reading time always fits.
    let reading_time =
        Duration::reading_time(rendered.words, config.reading_wpm).unwrap_or(MAX_TOTAL);
    all_links.extend(
        rendered
            .links
            .iter()
            .map(|l| (page.source.shown.clone(), l.clone())),
    );
    Page {
        url: crate::layout::page(slug, &name),
        name,
        source: page.source.file(),
        title,
        description: page.front.description.clone(),
        html: rendered.html,
        words: rendered.words,
        reading_time,
        links: rendered.links,
        headings: rendered.headings,
    }
}

/// `bad-page-name`: a page is published under its file name, which must
/// be a slug and not one of the pack's own pages.
fn page_name_problem(page: &ParsedPage, name: &str) -> Option<Diagnostic> {
    if !RESERVED_PAGE_NAMES.contains(&name) && is_slug(name) {
        return None;
    }
    let help = if is_slug(name) {
        format!("`{name}` is used by the pack's own pages; rename the file")
    } else {
        format!(
            "use lower-case letters, digits and hyphens, e.g. `{}.md`",
            slugify(name)
        )
    };
    Some(
        Diagnostic::error(
            Code::BadPageName,
            page.source.shown.clone(),
            format!("`{name}.md` cannot be published under this name"),
        )
        .with_help(help),
    )
}

/// `reserved-name`: a file of the pack at the place the site writes one of
/// its own (the pack's calendar), which would silently replace it.
fn reserved_files(parsed: &ParsedPack) -> Vec<Diagnostic> {
    let slug = &parsed.files.slug;
    parsed
        .files
        .assets
        .iter()
        .filter(|asset| crate::layout::is_reserved_pack_file(slug, asset))
        .map(|asset| {
            Diagnostic::error(
                Code::ReservedName,
                format!("content/packs/{slug}/{asset}"),
                format!("`{asset}` is the name of the pack's calendar, which the site writes here"),
            )
            .with_help(format!(
                "rename this file, e.g. to `{slug}-dates.ics`; the pack's sessions are published as its calendar"
            ))
        })
        .collect()
}

/// `name-clash`: a page and a file (or folder) of the pack that would be
/// published at the same place.
fn page_clash(page: &ParsedPage, name: &str, parsed: &ParsedPack) -> Option<Diagnostic> {
    let asset = parsed
        .files
        .assets
        .iter()
        .find(|a| a.split('/').next() == Some(name))?;
    Some(
        Diagnostic::error(
            Code::NameClash,
            page.source.shown.clone(),
            format!("this page and the file `{asset}` would be published at the same place"),
        )
        .with_help("rename the page or the folder"),
    )
}

/// The self-study list: at least one resource, each validated, with keys
/// unique in the pack.
fn build_self_study(
    parsed: &ParsedPack,
    pages: &[Page],
    config: &Config,
    problems: &mut Problems<'_>,
    inline: &dyn Fn(&str) -> String,
) -> Vec<Resource> {
    let raw = &parsed.raw;
    if raw.self_study.is_empty() {
        problems.error(
            Code::NoResources,
            &[Step::Key("self_study")],
            "`self_study` lists no resources".into(),
            Some("add at least one video, podcast, reading, guide or activity".into()),
        );
    }
    let context = PackContext {
        slug: &parsed.files.slug,
        parsed,
        pages,
        config,
    };
    let mut self_study = Vec::new();
    for (i, r) in raw.self_study.iter().enumerate() {
        if let Some(resource) = build_resource(i, r, &context, problems, inline) {
            self_study.push(resource);
        }
    }
    unique_keys(&mut self_study);
    self_study
}

/// The pack's credit under the site's rules; `too-long` when its times
/// add up to more than can be credited.
fn pack_credit(
    self_study: &[Resource],
    workshop: &Workshop,
    application: Option<&Application>,
    self_check: Option<&SelfCheck>,
    config: &Config,
    problems: &mut Problems<'_>,
) -> Option<Credit> {
    let sum = |optional: bool| {
        Duration::checked_sum(
            self_study
                .iter()
                .filter(|r| r.optional == optional)
                .map(|r| r.time),
        )
    };
    // The self-check is self-study: its questions count the site's
    // minutes per question, added before any rounding.
    let required = sum(false)
        .and_then(|resources| resources.checked_add(self_check.map_or(Duration::ZERO, |c| c.time)));
    let credit = match (required, sum(true)) {
        (Some(self_study), Some(optional)) => {
            let times = PackTimes {
                self_study,
                optional,
                workshop: workshop.time,
                application: application.and_then(|a| a.time).unwrap_or_default(),
            };
            config.credit.credit(times).ok_or(times.all())
        }
        _ => Err(None),
    };
    let total = match credit {
        Ok(credit) => return Some(credit),
        Err(total) => total,
    };
    let total = total.map_or_else(
        || "more hours than can be counted".to_string(),
        |t| format!("{} hours", t.hours_text()),
    );
    problems.error(
        Code::TooLong,
        &[Step::Key("self_study")],
        format!(
            "the times of this pack add up to {total}; a pack may add up to at most {} hours",
            MAX_TOTAL.hours_text()
        ),
        Some(
            "check the durations' form: `90` is 90 minutes, `1:30` a minute and a half, \
             `1:30:00` an hour and a half"
                .into(),
        ),
    );
    None
}

/// The workshop: its time, prompts and agenda; `None` when its time
/// cannot be worked out.
fn build_workshop(
    raw: &RawPack,
    config: &Config,
    problems: &mut Problems<'_>,
    inline: &dyn Fn(&str) -> String,
) -> Option<Workshop> {
    use Step::Key;
    let w = &raw.workshop;
    let duration_at = problems
        .locator
        .position(&[Key("workshop"), Key("duration")])
        .into();
    let time = workshop_duration(w, problems)?;
    if w.prompts.is_empty() {
        problems.error(
            Code::NoPrompts,
            &[Key("workshop")],
            "the workshop has no discussion `prompts`".into(),
            Some("add at least one question for teachers to discuss".into()),
        );
    }
    Some(Workshop {
        format: w.format,
        time,
        duration_at,
        agenda: agenda(w, problems, inline),
        prompts: w.prompts.iter().map(|p| inline(p)).collect(),
        facilitator_notes: w.facilitator_notes.as_deref().map(inline),
        sessions: super::schedule::sessions(&w.sessions, time, config, problems),
    })
}

/// The workshop's time, from `duration:` or its agenda, which must agree:
/// `workshop-time`, `too-long` and `no-duration`.
fn workshop_duration(w: &RawWorkshop, problems: &mut Problems<'_>) -> Option<Duration> {
    use Step::Key;
    let agenda: Vec<Duration> = w.agenda.iter().map(|a| a.minutes.0).collect();
    match workshop_time(w.duration.map(|d| d.0), &agenda) {
        Ok(time) => Some(time),
        Err(WorkshopTimeError::Conflict { duration, agenda }) => {
            problems.error(
                Code::WorkshopTime,
                &[Key("workshop"), Key("duration")],
                format!(
                    "the workshop `duration` is {} but its agenda adds up to {}",
                    minutes_text(duration),
                    minutes_text(agenda)
                ),
                Some(
                    "make them agree, or leave out `duration:` and let the agenda give the time"
                        .into(),
                ),
            );
            None
        }
        Err(WorkshopTimeError::TooLong { agenda }) => {
            let total = agenda.map_or_else(
                || "more hours than can be counted".to_string(),
                |t| format!("{} hours", t.hours_text()),
            );
            problems.error(
                Code::TooLong,
                &[Key("workshop"), Key("agenda")],
                format!(
                    "the workshop's agenda adds up to {total}; a workshop may last at most {} hours",
                    MAX_DURATION.hours_text()
                ),
                Some("check the agenda's `minutes:`: `90` is 90 minutes, `1:30` a minute and a half".into()),
            );
            None
        }
        Err(WorkshopTimeError::Missing) => {
            problems.error(
                Code::NoDuration,
                &[Key("workshop")],
                "the workshop has no duration".into(),
                Some(
                    "add `duration:` (e.g. 60m) or an `agenda:` with `minutes:` for each item"
                        .into(),
                ),
            );
            None
        }
    }
}

/// The agenda items, each with the minute it starts at; an item needs a
/// title.
fn agenda(
    w: &RawWorkshop,
    problems: &mut Problems<'_>,
    inline: &dyn Fn(&str) -> String,
) -> Vec<AgendaItem> {
    use Step::{Index, Key};
    let mut clock = Duration::ZERO;
    w.agenda
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if a.title.trim().is_empty() {
                problems.error(
                    Code::EmptyValue,
                    &[Key("workshop"), Key("agenda"), Index(i), Key("title")],
                    "an agenda item has an empty `title`".into(),
                    None,
                );
            }
            let starts_at = clock.whole_minutes();
            // The agenda's sum is at most a day (`workshop_time`).
            clock = clock.checked_add(a.minutes.0).unwrap_or(MAX_DURATION);
            AgendaItem {
                title: a.title.trim().to_string(),
                time: a.minutes.0,
                starts_at,
                notes: a.notes.as_deref().map(inline),
            }
        })
        .collect()
}

/// "90 minutes", "7.5 minutes": exact, for messages about figures.
fn minutes_text(d: Duration) -> String {
    format!("{} minutes", crate::credit::trimmed(d.as_minutes_f64(), 2))
}
