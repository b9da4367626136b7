//! iCalendar files (RFC 5545) of a pack's sessions, a pathway's dates and
//! the whole site's, so teachers add them to the calendar they use.
//!
//! Pure: the model in, the text out. Times are written on the site's
//! clock (`DTSTART;TZID=…`) with a `VTIMEZONE` that spells out the zone's
//! changes over the years the events span, because calendar programs may
//! not know the zone by name, and a meeting at 3:30 pm must stay at
//! 3:30 pm after the clocks change. Each event's `UID` is made from what
//! it is (pack, date, number), never from the time of the build, so that
//! importing a calendar again updates the events rather than doubling
//! them.

use crate::config::Config;
use crate::content::{Date, Pack, Pathway, PlanStep, Site, Slot};
use crate::schedule::Zone;
use crate::slug::slugify;

/// One event of a calendar, before it is written.
struct Entry {
    uid: String,
    summary: String,
    slot: Slot,
    location: Option<String>,
    description: Option<String>,
    /// The page's address from the site root.
    page: String,
}

/// The calendar of a pack's sessions and self-study due date; `None`
/// when it has neither.
pub fn pack_calendar(site: &Site, pack: &Pack) -> Option<String> {
    let entries = pack_entries(site, pack);
    (!entries.is_empty()).then(|| write(&site.config, &pack.title, &entries))
}

/// The calendar of a pathway's events and its packs' sessions; `None`
/// when none has a date.
pub fn pathway_calendar(site: &Site, pathway: &Pathway) -> Option<String> {
    let entries = pathway_entries(site, pathway);
    (!entries.is_empty()).then(|| write(&site.config, &pathway.title, &entries))
}

/// Every dated thing of the site; `None` when there is none.
pub fn site_calendar(site: &Site) -> Option<String> {
    let mut entries: Vec<Entry> = site
        .packs
        .iter()
        .flat_map(|p| pack_entries(site, p))
        .collect();
    let domain = domain(&site.config);
    entries.extend(site.pathways.iter().flat_map(|p| event_entries(p, &domain)));
    (!entries.is_empty()).then(|| write(&site.config, &site.config.title, &entries))
}

fn pack_entries(site: &Site, pack: &Pack) -> Vec<Entry> {
    let domain = domain(&site.config);
    let mut entries = Vec::new();
    if let Some(due) = pack.record.self_study_due {
        entries.push(Entry {
            uid: format!("due-{}-{due}@{domain}", pack.slug),
            summary: format!("Self-study due: {}", pack.title),
            slot: Slot::day(due),
            location: None,
            description: Some(format!(
                "Finish the self-study of \u{201c}{}\u{201d} before this day.",
                pack.title
            )),
            page: pack.url.clone(),
        });
    }
    for (i, s) in pack.workshop.sessions.iter().enumerate() {
        let location = match (&s.place, &s.online) {
            (Some(place), _) => Some(place.clone()),
            (None, Some(online)) => Some(online.clone()),
            (None, None) => None,
        };
        let mut description = vec![format!("Workshop: {}", pack.title)];
        if let Some(f) = &s.facilitator {
            description.push(format!("Facilitator: {f}"));
        }
        if let Some(online) = &s.online {
            description.push(format!("Join online: {online}"));
        }
        entries.push(Entry {
            uid: format!("session-{}-{}-{}@{domain}", pack.slug, s.slot.date, i + 1),
            summary: format!("Workshop: {}", pack.title),
            slot: s.slot.clone(),
            location,
            description: Some(description.join("\n")),
            page: pack.url.clone(),
        });
    }
    entries
}

fn event_entries(pathway: &Pathway, domain: &str) -> Vec<Entry> {
    pathway
        .plan
        .iter()
        .enumerate()
        .filter_map(|(i, step)| match step {
            PlanStep::Event(e) => Some(Entry {
                uid: format!("event-{}-{}-{}@{domain}", pathway.slug, e.slot.date, i + 1),
                summary: e.name.clone(),
                slot: e.slot.clone(),
                location: e.place.clone(),
                description: Some(format!("Part of {}", pathway.title)),
                page: pathway.url.clone(),
            }),
            _ => None,
        })
        .collect()
}

fn pathway_entries(site: &Site, pathway: &Pathway) -> Vec<Entry> {
    let mut entries = Vec::new();
    for step in &pathway.plan {
        let slugs: &[String] = match step {
            PlanStep::Pack(slug) => std::slice::from_ref(slug),
            PlanStep::Choice { packs, .. } => packs,
            PlanStep::Event(_) => &[],
        };
        for pack in slugs.iter().filter_map(|s| site.pack(s)) {
            entries.extend(pack_entries(site, pack));
        }
    }
    entries.extend(event_entries(pathway, &domain(&site.config)));
    entries
}

/// What UIDs end in: the site's host, or its title as a slug, so that
/// two sites' events never share one.
fn domain(config: &Config) -> String {
    let base = config.base_url.as_str();
    base.split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}.flippack", slugify(&config.title)))
}

/// The calendar's text, every line ended with CRLF and folded.
fn write(config: &Config, name: &str, entries: &[Entry]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//flippack//{}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    let zone = config.timezone.as_ref();
    if let Some(zone) = zone {
        lines.push(format!("X-WR-TIMEZONE:{}", zone.name()));
        let years = entries.iter().map(|e| e.slot.date.year);
        if let (Some(first), Some(last)) = (years.clone().min(), years.max()) {
            lines.extend(vtimezone(zone, first, last));
        }
    }
    for e in entries {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", e.uid));
        lines.push(format!("DTSTAMP:{}", stamp(&e.slot)));
        match (zone, e.slot.starts, e.slot.ends) {
            (Some(zone), Some(starts), ends) => {
                lines.push(format!(
                    "DTSTART;TZID={}:{}",
                    zone.name(),
                    local(zone, starts)
                ));
                if let Some(ends) = ends {
                    lines.push(format!("DTEND;TZID={}:{}", zone.name(), local(zone, ends)));
                }
            }
            _ => {
                lines.push(format!("DTSTART;VALUE=DATE:{}", day(e.slot.date)));
                lines.push(format!("DTEND;VALUE=DATE:{}", day(next_day(e.slot.date))));
            }
        }
        lines.push(format!("SUMMARY:{}", escape(&e.summary)));
        if let Some(location) = &e.location {
            lines.push(format!("LOCATION:{}", escape(location)));
        }
        if let Some(description) = &e.description {
            lines.push(format!("DESCRIPTION:{}", escape(description)));
        }
        if config.base_url.is_absolute() {
            lines.push(format!("URL:{}", config.base_url.absolute(&e.page)));
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

/// The zone's changes from the start of `first` to the end of `last`,
/// each as the `STANDARD` or `DAYLIGHT` part RFC 5545 asks for.
fn vtimezone(zone: &Zone, first: u16, last: u16) -> Vec<String> {
    let tz = zone.rules();
    let mut lines = vec!["BEGIN:VTIMEZONE".into(), format!("TZID:{}", zone.name())];
    let at = |year: u16| {
        jiff::civil::date(i16::try_from(year).unwrap_or(9999), 1, 1)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
    };
    let (Ok(from), Ok(to)) = (at(first), at(last.saturating_add(1))) else {
        lines.push("END:VTIMEZONE".into());
        return lines;
    };
    let info = tz.to_offset_info(from);
    let mut before = info.offset();
    let mut parts = 0;
    for t in tz.following(from) {
        if t.timestamp() >= to {
            break;
        }
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let onset = before.to_datetime(t.timestamp());
        lines.push(format!("BEGIN:{kind}"));
        lines.push(format!("DTSTART:{}", onset.strftime("%Y%m%dT%H%M%S")));
        lines.push(format!("TZOFFSETFROM:{}", offset(before)));
        lines.push(format!("TZOFFSETTO:{}", offset(t.offset())));
        lines.push(format!("TZNAME:{}", escape(t.abbreviation())));
        lines.push(format!("END:{kind}"));
        before = t.offset();
        parts += 1;
    }
    if parts == 0 {
        // A zone with no change in those years still needs one part.
        lines.push("BEGIN:STANDARD".into());
        lines.push(format!("DTSTART:{first:04}0101T000000"));
        lines.push(format!("TZOFFSETFROM:{}", offset(before)));
        lines.push(format!("TZOFFSETTO:{}", offset(before)));
        lines.push(format!("TZNAME:{}", escape(info.abbreviation())));
        lines.push("END:STANDARD".into());
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

/// `-0400`, `+0530`.
fn offset(o: jiff::tz::Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let s = s.unsigned_abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// The local date-time of `instant` on the zone's clock: `20260915T153000`.
fn local(zone: &Zone, instant: crate::schedule::Instant) -> String {
    match zone.local(instant) {
        Some((d, t)) => format!("{}T{:02}{:02}00", day(d), t.hour, t.minute),
        None => instant.strftime("%Y%m%dT%H%M%S").to_string(),
    }
}

/// `DTSTAMP`, which RFC 5545 requires: made from the event itself rather
/// than the clock, so that a build of the same content writes the same
/// calendar.
fn stamp(slot: &Slot) -> String {
    match slot.starts {
        Some(s) => s.strftime("%Y%m%dT%H%M%SZ").to_string(),
        None => format!("{}T000000Z", day(slot.date)),
    }
}

fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

fn next_day(d: Date) -> Date {
    let next = jiff::civil::Date::new(
        i16::try_from(d.year).unwrap_or(9999),
        i8::try_from(d.month).unwrap_or(1),
        i8::try_from(d.day).unwrap_or(1),
    )
    .ok()
    .and_then(|date| date.tomorrow().ok());
    match next {
        Some(n) => Date {
            year: u16::try_from(n.year()).unwrap_or(d.year),
            month: u8::try_from(n.month()).unwrap_or(d.month),
            day: u8::try_from(n.day()).unwrap_or(d.day),
        },
        None => d,
    }
}

/// TEXT as RFC 5545 escapes it: `\`, `;`, `,` and line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded so that no line is longer than 75 octets
/// (continuations start with a space), never inside a character, and
/// ended with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("Lincoln Elementary, library; room 2\\b\nback"),
            "Lincoln Elementary\\, library\\; room 2\\\\b\\nback"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        for part in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
    }

    #[test]
    fn offsets_and_days() {
        assert_eq!(offset(jiff::tz::Offset::constant(-4)), "-0400");
        assert_eq!(
            offset(jiff::tz::Offset::from_seconds(19_800).unwrap()),
            "+0530"
        );
        let d = Date::parse("2026-12-31").unwrap();
        assert_eq!(day(next_day(d)), "20270101");
    }
}
