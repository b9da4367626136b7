//! Validating one pack's front matter and rendering its Markdown into a
//! [`Pack`]: its pages, resources, workshop and credit.

use std::cell::RefCell;

use super::discover::is_slug;
use super::locate::{place_field_links, place_in_field, Step};
use super::model::*;
use super::raw::RawPack;
use super::resource::{build_resource, unique_keys, PackContext};
use super::source::{
    broken_links, non_empty, parts, removed_html, render_body, ParsedPack, Problems,
    RESERVED_PAGE_NAMES,
};
use super::tags::pack_tags;
use crate::config::Config;
use crate::credit::{
    workshop_time, Duration, PackTimes, WorkshopTimeError, MAX_DURATION, MAX_TOTAL,
};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, HtmlPolicy, Origin, Rendered};
use crate::slug::slugify;

pub(super) fn build_pack(
    parsed: &ParsedPack,
    config: &Config,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
) -> (Option<Pack>, Vec<Diagnostic>) {
    let raw = &parsed.raw;
    let slug = &parsed.files.slug;
    let source = &parsed.source;
    let Ok(p) = parts(source) else {
        return (None, Vec::new());
    };
    let mut problems = Problems::new(source, &p);
    let html = HtmlPolicy::of(config);
    let origin = Origin {
        source: &source.content_rel,
        first_line: p.yaml_line,
        url_of,
    };
    // Markdown in front matter fields (the goal, notes, prompts, the task):
    // its links are kept so they are checked like the overview's, and the
    // raw HTML taken out of it is pointed at where it is written.
    let field_links = RefCell::new(Vec::new());
    let field_html = RefCell::new(Vec::new());
    let placed = RefCell::new(Vec::new());
    let field = |text: &str| {
        let rendered = markdown::render_with(text, &origin, &html);
        field_links.borrow_mut().extend(rendered.links);
        for mut removed in rendered.removed {
            (removed.line, removed.column) = place_in_field(
                p.yaml,
                p.yaml_line,
                text,
                removed.offset,
                &mut placed.borrow_mut(),
            );
            field_html.borrow_mut().push(removed);
        }
        rendered.html
    };
    let inline = |text: &str| markdown::without_paragraph(field(text));
    use Step::Key;

    non_empty(&mut problems, &[Key("title")], &raw.title, "title", "pack");
    non_empty(
        &mut problems,
        &[Key("summary")],
        &raw.summary,
        "summary",
        "pack",
    );
    non_empty(&mut problems, &[Key("goal")], &raw.goal, "goal", "pack");

    // Pages first: resources may be timed by a page's words.
    let mut pages = Vec::new();
    let mut all_links = Vec::new();
    for page in &parsed.pages {
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
        if RESERVED_PAGE_NAMES.contains(&name.as_str()) || !is_slug(&name) {
            let help = if is_slug(&name) {
                format!("`{name}` is used by the pack's own pages; rename the file")
            } else {
                format!(
                    "use lower-case letters, digits and hyphens, e.g. `{}.md`",
                    slugify(&name)
                )
            };
            problems.found.push(
                Diagnostic::error(
                    "bad-page-name",
                    page.source.shown.clone(),
                    format!("`{name}.md` cannot be published under this name"),
                )
                .with_help(help),
            );
        }
        if let Some(asset) = parsed
            .files
            .assets
            .iter()
            .find(|a| a.split('/').next() == Some(name.as_str()))
        {
            problems.found.push(
                Diagnostic::error(
                    "name-clash",
                    page.source.shown.clone(),
                    format!(
                        "this page and the file `{asset}` would be published at the same place"
                    ),
                )
                .with_help("rename the page or the folder"),
            );
        }
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
        pages.push(Page {
            url: format!("packs/{slug}/{name}/index.html"),
            name,
            source: page.source.file(),
            title,
            description: page.front.description.clone(),
            html: rendered.html,
            words: rendered.words,
            reading_time,
            links: rendered.links,
            headings: rendered.headings,
        });
    }

    let body = render_body(source, &p, url_of, html);
    problems.found.extend(broken_links(source, &body));
    problems.found.extend(removed_html(source, &body.removed));
    all_links.extend(body.links.iter().map(|l| (source.shown.clone(), l.clone())));

    if raw.self_study.is_empty() {
        problems.error(
            "no-resources",
            &[Key("self_study")],
            "`self_study` lists no resources".into(),
            Some("add at least one video, podcast, reading, guide or activity".into()),
        );
    }
    let context = PackContext {
        slug,
        parsed,
        pages: &pages,
        config,
    };
    let mut self_study = Vec::new();
    for (i, r) in raw.self_study.iter().enumerate() {
        if let Some(resource) = build_resource(i, r, &context, &mut problems, &inline) {
            self_study.push(resource);
        }
    }
    unique_keys(&mut self_study);

    let workshop = build_workshop(raw, &mut problems, &inline);
    let application = raw.application.as_ref().map(|a| Application {
        task: field(&a.task),
        time: a.duration.map(|d| d.0),
        evidence: a.evidence.iter().map(|e| inline(e)).collect(),
    });

    let tags = pack_tags(&raw.tags, &mut problems);

    let goal = inline(&raw.goal);
    let problem = raw.problem.as_deref().map(inline);
    let reflection = raw.reflection.iter().map(|r| inline(r)).collect();
    let mut field_links = field_links.into_inner();
    place_field_links(p.yaml, p.yaml_line, &mut field_links);
    let fields = Rendered {
        links: field_links,
        ..Rendered::default()
    };
    problems.found.extend(broken_links(source, &fields));
    problems
        .found
        .extend(removed_html(source, &field_html.into_inner()));
    all_links.extend(fields.links.into_iter().map(|l| (source.shown.clone(), l)));

    let Some(workshop) = workshop else {
        return (None, problems.found);
    };
    if problems.found.iter().any(Diagnostic::is_error) {
        return (None, problems.found);
    }
    let sum = |optional: bool| {
        Duration::checked_sum(
            self_study
                .iter()
                .filter(|r| r.optional == optional)
                .map(|r| r.time),
        )
    };
    let credit = match (sum(false), sum(true)) {
        (Some(self_study), Some(optional)) => {
            let times = PackTimes {
                self_study,
                optional,
                workshop: workshop.time,
                application: application
                    .as_ref()
                    .and_then(|a| a.time)
                    .unwrap_or_default(),
            };
            config.credit.credit(times).ok_or(times.all())
        }
        _ => Err(None),
    };
    let credit = match credit {
        Ok(credit) => credit,
        Err(total) => {
            let total = total.map_or_else(
                || "more hours than can be counted".to_string(),
                |t| format!("{} hours", t.hours_text()),
            );
            problems.error(
                "too-long",
                &[Key("self_study")],
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
            return (None, problems.found);
        }
    };
    let headings = body.headings;
    let pack = Pack {
        slug: slug.clone(),
        url: format!("packs/{slug}/index.html"),
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
        overview: body.html,
        self_study,
        workshop,
        application,
        reflection,
        pages,
        assets: parsed.files.assets.clone(),
        credit,
        pathways: Vec::new(),
        links: all_links,
        headings,
    };
    (Some(pack), problems.found)
}

fn build_workshop(
    raw: &RawPack,
    problems: &mut Problems<'_>,
    inline: &dyn Fn(&str) -> String,
) -> Option<Workshop> {
    use Step::{Index, Key};
    let w = &raw.workshop;
    let duration_at = problems
        .locator
        .position(&[Key("workshop"), Key("duration")])
        .into();
    let agenda: Vec<Duration> = w.agenda.iter().map(|a| a.minutes.0).collect();
    let time = match workshop_time(w.duration.map(|d| d.0), &agenda) {
        Ok(time) => time,
        Err(WorkshopTimeError::Conflict { duration, agenda }) => {
            problems.error(
                "workshop-time",
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
            return None;
        }
        Err(WorkshopTimeError::TooLong { agenda }) => {
            let total = agenda.map_or_else(
                || "more hours than can be counted".to_string(),
                |t| format!("{} hours", t.hours_text()),
            );
            problems.error(
                "too-long",
                &[Key("workshop"), Key("agenda")],
                format!(
                    "the workshop's agenda adds up to {total}; a workshop may last at most {} hours",
                    MAX_DURATION.hours_text()
                ),
                Some("check the agenda's `minutes:`: `90` is 90 minutes, `1:30` a minute and a half".into()),
            );
            return None;
        }
        Err(WorkshopTimeError::Missing) => {
            problems.error(
                "no-duration",
                &[Key("workshop")],
                "the workshop has no duration".into(),
                Some(
                    "add `duration:` (e.g. 60m) or an `agenda:` with `minutes:` for each item"
                        .into(),
                ),
            );
            return None;
        }
    };
    if w.prompts.is_empty() {
        problems.error(
            "no-prompts",
            &[Key("workshop")],
            "the workshop has no discussion `prompts`".into(),
            Some("add at least one question for teachers to discuss".into()),
        );
    }
    let mut clock = Duration::ZERO;
    let agenda = w
        .agenda
        .iter()
        .enumerate()
        .map(|(i, a)| {
            if a.title.trim().is_empty() {
                problems.error(
                    "empty-value",
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
        .collect();
    Some(Workshop {
        format: w.format,
        time,
        duration_at,
        agenda,
        prompts: w.prompts.iter().map(|p| inline(p)).collect(),
        facilitator_notes: w.facilitator_notes.as_deref().map(inline),
    })
}

/// "90 minutes", "7.5 minutes": exact, for messages about figures.
fn minutes_text(d: Duration) -> String {
    let m = d.as_minutes_f64();
    let text = format!("{m:.2}");
    format!(
        "{} minutes",
        text.trim_end_matches('0').trim_end_matches('.')
    )
}
