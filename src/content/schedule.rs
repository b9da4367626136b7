//! The schedule and record keys of packs and pathways, one rule per
//! function: workshop sessions, a pathway's events, the categories a
//! pack's hours count toward.
//!
//! Times are read on the clock of site.yaml's `timezone` and resolved to
//! instants here, once, so that pages, calendars and records agree.

use super::locate::Step;
use super::model::{Event, PackRecord, Position, Session};
use super::raw::{RawPack, RawPathwayStep, RawSession};
use super::source::Problems;
use crate::config::Config;
use crate::credit::{CreditHours, Duration};
use crate::diagnostic::{did_you_mean, Code};
use crate::schedule::{slot, Slot, SlotError};

use Step::{Index, Key};

/// The help of every `no-timezone`.
const NEEDS_ZONE: &str =
    "add the zone the times are in to site.yaml, e.g. `timezone: America/New_York`";

/// The pack's record keys: its categories, each one site.yaml names
/// (`unknown-category`), and its self-study due date.
pub(super) fn pack_record(
    raw: &RawPack,
    config: &Config,
    problems: &mut Problems<'_>,
) -> PackRecord {
    let mut categories = Vec::new();
    for (i, name) in raw.credit_categories.iter().enumerate() {
        if let Some(known) = known_category(name, i, config, problems) {
            if !categories.contains(&known) {
                categories.push(known);
            }
        }
    }
    PackRecord {
        categories,
        self_study_due: raw.self_study_due,
    }
}

/// `name` as site.yaml spells it, or `unknown-category`.
fn known_category(
    name: &str,
    i: usize,
    config: &Config,
    problems: &mut Problems<'_>,
) -> Option<String> {
    let name = name.trim();
    if let Some(known) = config
        .categories
        .iter()
        .find(|c| c.eq_ignore_ascii_case(name))
    {
        return Some(known.clone());
    }
    let help = if config.categories.is_empty() {
        "site.yaml lists no categories: add `categories: [...]` under `credit:` there first".into()
    } else {
        match did_you_mean(name, config.categories.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "use one of site.yaml's `credit.categories`: {}",
                config.categories.join(", ")
            ),
        }
    };
    problems.error(
        Code::UnknownCategory,
        &[Key("credit_categories"), Index(i)],
        format!("`{name}` is not one of the site's credit categories"),
        Some(help),
    );
    None
}

/// The workshop's sessions, each resolved in the site's zone and checked
/// against the workshop's time.
pub(super) fn sessions(
    raw: &[RawSession],
    workshop_time: Duration,
    config: &Config,
    problems: &mut Problems<'_>,
) -> Vec<Session> {
    let mut sessions = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let at = |key| [Key("workshop"), Key("sessions"), Index(i), Key(key)];
        online_address(s.online.as_deref(), &at("online"), problems);
        let Some(slot) = resolved(
            slot(
                config.timezone.as_ref(),
                s.date,
                s.start,
                s.end,
                Some(workshop_time),
            ),
            "session",
            &at("start"),
            &at("end"),
            problems,
        ) else {
            continue;
        };
        session_length(&slot, workshop_time, &at("end"), problems);
        sessions.push(Session {
            slot,
            place: text(&s.place),
            online: text(&s.online),
            facilitator: text(&s.facilitator),
            at: problems.locator.position(&at("date")).into(),
        });
    }
    sessions
}

/// A value that says something, trimmed.
fn text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
}

/// The slot, or the problem with its times: `no-timezone` for a start
/// with no zone to read it in, `session-time` for an end not after the
/// start.
fn resolved(
    slot: Result<Slot, SlotError>,
    what: &str,
    start_at: &[Step<'_>],
    end_at: &[Step<'_>],
    problems: &mut Problems<'_>,
) -> Option<Slot> {
    match slot {
        Ok(slot) => Some(slot),
        Err(SlotError::NoZone) => {
            problems.error(
                Code::NoTimezone,
                start_at,
                format!(
                    "this {what} has a `start` time, but site.yaml has no `timezone` to read it in"
                ),
                Some(NEEDS_ZONE.into()),
            );
            None
        }
        Err(SlotError::EndNotAfterStart { start, end }) => {
            problems.error(
                Code::SessionTime,
                end_at,
                format!("this {what} ends at {end}, which is not after its start at {start}"),
                Some("write times on the 24-hour clock, e.g. `end: \"16:30\"` for 4:30 pm".into()),
            );
            None
        }
        Err(SlotError::EndWithoutStart) => {
            problems.error(
                Code::SessionTime,
                end_at,
                format!("this {what} has an `end` but no `start`"),
                Some("add `start:`, or leave out `end:` for a whole day".into()),
            );
            None
        }
    }
}

/// `session-length` (a warning): a session written with an end that does
/// not last the workshop's time, which is what it is credited for.
fn session_length(
    slot: &Slot,
    workshop_time: Duration,
    end_at: &[Step<'_>],
    problems: &mut Problems<'_>,
) {
    let Some(length) = slot.length() else {
        return;
    };
    if length == workshop_time {
        return;
    }
    problems.warn(
        Code::SessionLength,
        end_at,
        format!(
            "this session lasts {}, but the workshop's time is {}",
            length.label(),
            workshop_time.label()
        ),
        Some(
            "teachers are credited for the workshop's time: make `end:` agree, \
             or leave it out and the session lasts the workshop's time"
                .into(),
        ),
    );
}

/// `bad-url`: where to join a session online must be an http(s) address.
fn online_address(online: Option<&str>, at: &[Step<'_>], problems: &mut Problems<'_>) {
    let Some(url) = online.map(str::trim) else {
        return;
    };
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host_ok = rest
        .and_then(|r| r.split(['/', '?', '#']).next())
        .is_some_and(|h| !h.is_empty() && !h.contains(char::is_whitespace));
    if host_ok && !url.contains(char::is_whitespace) {
        return;
    }
    problems.error(
        Code::BadUrl,
        at,
        format!("`{url}` is not a web address teachers can join from"),
        Some("write the meeting's full address, starting with https://".into()),
    );
}

/// What a step of a pathway is.
pub(super) enum StepKind<'a> {
    Pack(&'a str),
    Choice(&'a [String]),
    Event(&'a str),
}

/// `pathway-step`: a step is exactly one of a pack, a choice and an
/// event, and only an event has a date, times, a place or a length.
pub(super) fn step_kind<'a>(
    step: &'a RawPathwayStep,
    i: usize,
    problems: &mut Problems<'_>,
) -> Option<StepKind<'a>> {
    let kinds = [
        step.pack.as_deref().map(StepKind::Pack),
        step.choose.as_deref().map(StepKind::Choice),
        step.event.as_deref().map(StepKind::Event),
    ];
    let given = kinds.iter().flatten().count();
    if given != 1 {
        let message = if given == 0 {
            "this step names no pack, choice or event"
        } else {
            "this step names more than one of `pack`, `choose` and `event`"
        };
        problems.error(
            Code::PathwayStep,
            &[Key("packs"), Index(i)],
            message.into(),
            Some(
                "write `pack: <slug>`, `choose: [<slug>, <slug>]` or `event: <name>` with its `date:`"
                    .into(),
            ),
        );
        return None;
    }
    let kind = kinds.into_iter().flatten().next()?;
    if !matches!(kind, StepKind::Event(_)) {
        let event_keys = [
            ("date", step.date.is_some()),
            ("start", step.start.is_some()),
            ("end", step.end.is_some()),
            ("place", step.place.is_some()),
            ("duration", step.duration.is_some()),
            ("credited", step.credited.is_some()),
        ];
        if let Some((key, _)) = event_keys.iter().find(|(_, given)| *given) {
            problems.error(
                Code::PathwayStep,
                &[Key("packs"), Index(i), Key(key)],
                format!("`{key}` is for events; a pack's dates are its workshop's `sessions`"),
                Some(
                    "move it to the pack's `workshop.sessions`, or make this step an `event:`"
                        .into(),
                ),
            );
            return None;
        }
    }
    if let StepKind::Choice(packs) = kind {
        if packs.len() < 2 {
            problems.error(
                Code::PathwayStep,
                &[Key("packs"), Index(i), Key("choose")],
                "a choice needs at least two packs to choose from".into(),
                Some("list two or more packs, or write `pack: <slug>` for one".into()),
            );
            return None;
        }
    }
    Some(kind)
}

/// An event step: it needs a date (`no-date`), its times resolve like a
/// session's, and a credited one needs a length (`no-duration`).
pub(super) fn event(
    step: &RawPathwayStep,
    name: &str,
    i: usize,
    config: &Config,
    problems: &mut Problems<'_>,
) -> Option<Event> {
    let at = |key| [Key("packs"), Index(i), Key(key)];
    if name.trim().is_empty() {
        problems.error(
            Code::EmptyValue,
            &at("event"),
            "`event` is empty".into(),
            Some("write the event's name, e.g. `event: Pre-service week`".into()),
        );
        return None;
    }
    let Some(date) = step.date else {
        problems.error(
            Code::NoDate,
            &at("event"),
            format!("the event `{}` has no `date`", name.trim()),
            Some("add `date:` with its first day, e.g. `date: 2026-08-24`".into()),
        );
        return None;
    };
    let duration = step.duration.map(|d| d.0);
    let slot = resolved(
        slot(
            config.timezone.as_ref(),
            date,
            step.start,
            step.end,
            duration,
        ),
        "event",
        &at("start"),
        &at("end"),
        problems,
    )?;
    let time = duration.or_else(|| slot.length());
    let credited = step.credited.unwrap_or(false);
    if credited && time.is_none() {
        problems.error(
            Code::NoDuration,
            &at("event"),
            format!("the event `{}` is credited but has no length", name.trim()),
            Some("add `duration:` (e.g. 3h), or `start:` and `end:`".into()),
        );
        return None;
    }
    if let (Some(d), Some(length), Some(_)) = (duration, slot.length(), step.end) {
        if d != length {
            problems.warn(
                Code::SessionLength,
                &at("duration"),
                format!(
                    "the event's `duration` is {}, but it runs {} from its start to its end",
                    d.label(),
                    length.label()
                ),
                Some("make them agree: the `duration` is what is credited".into()),
            );
        }
    }
    let credit = match (credited, time) {
        (true, Some(t)) => config.credit.credit_hours(t),
        _ => CreditHours::default(),
    };
    Some(Event {
        name: name.trim().to_string(),
        slot,
        place: text(&step.place),
        when: step.when.clone(),
        time,
        credited,
        credit,
        at: Position::from(problems.locator.position(&at("event"))),
    })
}
