//! The schedule and record variables of packs and pathways, as templates
//! see them (docs/theming.md): sessions in a teacher's words, the `.ics`
//! links, categories, CEUs, and a pathway's choices, events and credit
//! range.
//!
//! Apart from `view.rs` so that the labels of dates and times live in
//! one place, with their own tests.

use serde::Serialize;

use crate::config::Config;
use crate::content::{Date, Pack, Pathway, PlanStep, Session, Slot};
use crate::links::ROOT_MARKER;
use crate::schedule::LocalTime;

/// `pack.schedule`.
#[derive(Serialize)]
pub struct PackScheduleView<'a> {
    pub sessions: Vec<SessionView<'a>>,
    /// The pack's calendar, when it has sessions or a due date.
    pub calendar_href: Option<String>,
    pub categories: &'a [String],
    /// "0.3", when site.yaml's `credit.ceu` is on.
    pub ceu_label: Option<String>,
    pub self_study_due: Option<Date>,
    /// "14 September 2026".
    pub self_study_due_label: Option<String>,
}

impl<'a> PackScheduleView<'a> {
    pub fn new(p: &'a Pack, config: &Config) -> Self {
        let dated = !p.workshop.sessions.is_empty() || p.record.self_study_due.is_some();
        PackScheduleView {
            sessions: p.workshop.sessions.iter().map(SessionView::new).collect(),
            calendar_href: dated
                .then(|| format!("{ROOT_MARKER}{}", crate::layout::pack_calendar(&p.slug))),
            categories: &p.record.categories,
            ceu_label: config
                .ceu
                .then(|| config.credit.ceu(p.credit.credit_hours).to_string()),
            self_study_due: p.record.self_study_due,
            self_study_due_label: p.record.self_study_due.map(Date::long),
        }
    }
}

/// One of `pack.schedule.sessions`.
#[derive(Serialize)]
pub struct SessionView<'a> {
    /// "Tue 15 Sept, 3:30–4:30 pm, Lincoln Elementary, library".
    pub label: String,
    pub date: Date,
    /// "Tue 15 Sept".
    pub day_label: String,
    /// "3:30–4:30 pm"; `None` for a session with no times.
    pub time_label: Option<String>,
    /// The instants it starts and ends, RFC 3339 in UTC, so a page can
    /// mark it as past when it is viewed.
    pub starts: Option<String>,
    pub ends: Option<String>,
    pub place: Option<&'a str>,
    pub online: Option<&'a str>,
    pub facilitator: Option<&'a str>,
}

impl<'a> SessionView<'a> {
    pub fn new(s: &'a Session) -> Self {
        let day_label = day_label(s.slot.date);
        let time_label = time_label(&s.slot);
        let mut label = day_label.clone();
        for part in [time_label.as_deref(), s.place.as_deref()]
            .into_iter()
            .flatten()
        {
            label.push_str(", ");
            label.push_str(part);
        }
        if s.place.is_none() && s.online.is_some() {
            label.push_str(", online");
        }
        SessionView {
            label,
            date: s.slot.date,
            day_label,
            time_label,
            starts: s.slot.starts.map(|t| t.to_string()),
            ends: s.slot.ends.map(|t| t.to_string()),
            place: s.place.as_deref(),
            online: s.online.as_deref(),
            facilitator: s.facilitator.as_deref(),
        }
    }
}

/// `pathway.schedule`.
#[derive(Serialize)]
pub struct PathwayScheduleView<'a> {
    /// The steps as written.
    pub plan: Vec<PlanStepView<'a>>,
    /// "18.75–19.5" with a choice of packs, else the credit ("10.75").
    pub credit_range_label: String,
    /// Whether the credit is a range.
    pub has_choice: bool,
    /// The same as CEUs ("1.8–1.9"), when site.yaml's `credit.ceu` is on.
    pub ceu_range_label: Option<String>,
    pub calendar_href: Option<String>,
}

/// One of `pathway.schedule.plan`.
#[derive(Serialize)]
pub struct PlanStepView<'a> {
    /// `pack`, `choice` or `event`.
    pub kind: &'static str,
    /// The pack's slug, or the slugs to choose from.
    pub packs: Vec<&'a str>,
    /// Their titles, in the same order.
    pub titles: Vec<&'a str>,
    pub when: Option<&'a str>,
    /// An event's name, its day ("Fri 22 Jan 2027"), its times and place.
    pub name: Option<&'a str>,
    pub label: Option<String>,
    pub place: Option<&'a str>,
    pub credited: bool,
    pub credit_label: Option<String>,
    pub starts: Option<String>,
}

impl<'a> PathwayScheduleView<'a> {
    /// `pack` finds a pack of the site by slug. It is called for every
    /// step of every pathway, so a site of thousands of packs needs it to
    /// be a look-up, not a scan of the packs.
    pub fn new(p: &'a Pathway, config: &Config, pack: impl Fn(&str) -> Option<&'a Pack>) -> Self {
        let site_has_sessions =
            |slug: &str| pack(slug).is_some_and(|pk| !pk.workshop.sessions.is_empty());
        let title = |slug: &'a str| pack(slug).map_or(slug, |pk| pk.title.as_str());
        let mut dated = false;
        let plan = p
            .plan
            .iter()
            .map(|step| match step {
                PlanStep::Pack(slug) => {
                    dated |= site_has_sessions(slug);
                    PlanStepView::packs("pack", vec![slug], vec![title(slug)], step_when(p, slug))
                }
                PlanStep::Choice { packs, when } => {
                    dated |= packs.iter().any(|s| site_has_sessions(s));
                    PlanStepView::packs(
                        "choice",
                        packs.iter().map(String::as_str).collect(),
                        packs.iter().map(|s| title(s)).collect(),
                        when.as_deref(),
                    )
                }
                PlanStep::Event(e) => {
                    dated = true;
                    let mut label = format!("{} {}", day_label(e.slot.date), e.slot.date.year);
                    if let Some(t) = time_label(&e.slot) {
                        label.push_str(", ");
                        label.push_str(&t);
                    }
                    PlanStepView {
                        kind: "event",
                        packs: Vec::new(),
                        titles: Vec::new(),
                        when: e.when.as_deref(),
                        name: Some(&e.name),
                        label: Some(label),
                        place: e.place.as_deref(),
                        credited: e.credited,
                        credit_label: e.credited.then(|| e.credit.to_string()),
                        starts: e.slot.starts.map(|t| t.to_string()),
                    }
                }
            })
            .collect();
        let low = p.credit.to_string();
        let high = p.credit_high.to_string();
        let ceu_range_label = config.ceu.then(|| {
            let (l, h) = (
                config.credit.ceu(p.credit),
                config.credit.ceu(p.credit_high),
            );
            if l == h {
                l.to_string()
            } else {
                format!("{l}\u{2013}{h}")
            }
        });
        PathwayScheduleView {
            ceu_range_label,
            plan,
            has_choice: low != high,
            credit_range_label: if low == high {
                low
            } else {
                format!("{low}\u{2013}{high}")
            },
            calendar_href: dated
                .then(|| format!("{ROOT_MARKER}{}", crate::layout::pathway_calendar(&p.slug))),
        }
    }
}

impl<'a> PlanStepView<'a> {
    fn packs(
        kind: &'static str,
        packs: Vec<&'a str>,
        titles: Vec<&'a str>,
        when: Option<&'a str>,
    ) -> Self {
        PlanStepView {
            kind,
            packs,
            titles,
            when,
            name: None,
            label: None,
            place: None,
            credited: false,
            credit_label: None,
            starts: None,
        }
    }
}

fn step_when<'a>(p: &'a Pathway, slug: &str) -> Option<&'a str> {
    p.steps
        .iter()
        .find(|s| s.pack == slug)
        .and_then(|s| s.when.as_deref())
}

/// "Tue 15 Sept": how a school calendar names a day.
pub fn day_label(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
    ];
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let weekday = jiff::civil::Date::new(
        i16::try_from(d.year).unwrap_or(0),
        i8::try_from(d.month).unwrap_or(1),
        i8::try_from(d.day).unwrap_or(1),
    )
    .map(|date| DAYS[usize::from(date.weekday().to_monday_zero_offset().unsigned_abs())])
    .unwrap_or("");
    let month = MONTHS
        .get(usize::from(d.month.saturating_sub(1)))
        .copied()
        .unwrap_or("");
    format!("{weekday} {} {month}", d.day).trim().to_string()
}

/// "3:30–4:30 pm", "11:30 am–1:00 pm", "3:30 pm" without an end.
pub fn time_label(slot: &Slot) -> Option<String> {
    let start = slot.start?;
    let Some(end) = slot.end else {
        return Some(start.spoken());
    };
    let bare = |t: LocalTime| {
        let spoken = t.spoken();
        spoken
            .trim_end_matches(" am")
            .trim_end_matches(" pm")
            .to_string()
    };
    Some(if start.is_morning() == end.is_morning() {
        format!("{}\u{2013}{}", bare(start), end.spoken())
    } else {
        format!("{}\u{2013}{}", start.spoken(), end.spoken())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_in_a_teachers_words() {
        let date = Date::parse("2026-09-15").unwrap();
        let at = |t| LocalTime::parse(t);
        let slot = Slot {
            date,
            start: at("15:30"),
            end: at("16:30"),
            starts: None,
            ends: None,
        };
        assert_eq!(day_label(date), "Tue 15 Sept");
        assert_eq!(time_label(&slot).as_deref(), Some("3:30\u{2013}4:30 pm"));
        let across_noon = Slot {
            start: at("11:30"),
            end: at("13:00"),
            ..slot.clone()
        };
        assert_eq!(
            time_label(&across_noon).as_deref(),
            Some("11:30 am\u{2013}1:00 pm")
        );
        let session = Session {
            slot,
            place: Some("Lincoln Elementary library".into()),
            online: None,
            facilitator: None,
            at: Default::default(),
        };
        assert_eq!(
            SessionView::new(&session).label,
            "Tue 15 Sept, 3:30\u{2013}4:30 pm, Lincoln Elementary library"
        );
    }
}
