//! Dates and times of day as coaches write them for workshop sessions and
//! pathway events, and the site's time zone that turns them into instants.
//!
//! A leaf, like [`crate::date`]: content, the calendar writer and the
//! views all use it. The time zone rules come from the IANA database
//! compiled into flippack (through `jiff`), so a build gives the same
//! instants on every machine, whatever its own zone or tz files.

use std::fmt;

use jiff::civil;
use jiff::tz::TimeZone;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::credit::Duration;
use crate::date::Date;
use crate::diagnostic::ValueError;

/// An instant on the time line, as sessions resolve to.
pub use jiff::Timestamp as Instant;

/// A time of day on the wall clock of the site's zone, `15:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime {
    pub hour: u8,
    pub minute: u8,
}

impl LocalTime {
    /// `15:30`, `9:05`: 24-hour clock, minutes in two digits.
    pub fn parse(text: &str) -> Option<LocalTime> {
        let (h, m) = text.trim().split_once(':')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(h) || h.len() > 2 || !digits(m) || m.len() != 2 {
            return None;
        }
        let hour: u8 = h.parse().ok()?;
        let minute: u8 = m.parse().ok()?;
        (hour < 24 && minute < 60).then_some(LocalTime { hour, minute })
    }

    /// "3:30 pm", "12 noon" is "12 pm": how a teacher reads a time.
    pub fn spoken(self) -> String {
        let (hour, half) = match self.hour {
            0 => (12, "am"),
            h @ 1..=11 => (h, "am"),
            12 => (12, "pm"),
            h => (h - 12, "pm"),
        };
        format!("{hour}:{:02} {half}", self.minute)
    }

    /// Whether it is before noon, so a range in one half of the day says
    /// "am" or "pm" once.
    pub fn is_morning(self) -> bool {
        self.hour < 12
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl<'de> Deserialize<'de> for LocalTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LocalTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time of day such as \"15:30\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LocalTime, E> {
                LocalTime::parse(v).ok_or_else(|| {
                    ValueError::new(
                        format!("`{v}` is not a time of day"),
                        "write times on the 24-hour clock in quotes, e.g. \"15:30\" for 3:30 pm",
                    )
                    .into_serde()
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LocalTime, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LocalTime, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The site's time zone (`timezone:` in site.yaml), by its IANA name.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    /// The zone of an IANA name such as `America/New_York`; `Err` with
    /// the closest known name, if any, when there is no such zone.
    pub fn named(name: &str) -> Result<Zone, Option<String>> {
        match jiff::tz::db().get(name.trim()) {
            // The database's own spelling, whatever the case written.
            Ok(tz) => Ok(Zone {
                name: tz.iana_name().unwrap_or(name.trim()).to_string(),
                tz,
            }),
            Err(_) => {
                let names: Vec<String> =
                    jiff::tz::db().available().map(|n| n.to_string()).collect();
                let lower = name.trim().to_ascii_lowercase().replace(' ', "_");
                if let Some(same) = names.iter().find(|n| n.to_ascii_lowercase() == lower) {
                    return Err(Some(same.clone()));
                }
                Err(
                    crate::diagnostic::did_you_mean(name, names.iter().map(String::as_str))
                        .map(str::to_string),
                )
            }
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The instant a wall-clock time names on `date` in this zone. In the
    /// hour the clocks skip it is the time as if they had not, later; in
    /// the hour they repeat, the first of the two (RFC 5545's rule too).
    pub fn instant(&self, date: Date, time: LocalTime) -> Option<Instant> {
        let civil = civil::DateTime::new(
            i16::try_from(date.year).ok()?,
            i8::try_from(date.month).ok()?,
            i8::try_from(date.day).ok()?,
            i8::try_from(time.hour).ok()?,
            i8::try_from(time.minute).ok()?,
            0,
            0,
        )
        .ok()?;
        self.tz.to_zoned_datetime(civil).ok().map(|z| z.timestamp())
    }

    /// The date and wall-clock time of `instant` in this zone.
    pub fn local(&self, instant: Instant) -> Option<(Date, LocalTime)> {
        let dt = instant.to_zoned_datetime(self.tz.clone()).datetime();
        Some((
            Date {
                year: u16::try_from(dt.year()).ok()?,
                month: u8::try_from(dt.month()).ok()?,
                day: u8::try_from(dt.day()).ok()?,
            },
            LocalTime {
                hour: u8::try_from(dt.hour()).ok()?,
                minute: u8::try_from(dt.minute()).ok()?,
            },
        ))
    }

    /// The zone's rules, for the calendar writer's `VTIMEZONE`.
    pub fn rules(&self) -> &TimeZone {
        &self.tz
    }
}

/// Two zones are the same when they have the same name.
impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

impl serde::Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

/// When a session or an event takes place: its day, and its times on the
/// site's clock with the instants they resolve to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub date: Date,
    pub start: Option<LocalTime>,
    /// As written, or worked out from the start and the length.
    pub end: Option<LocalTime>,
    pub starts: Option<Instant>,
    pub ends: Option<Instant>,
}

impl Slot {
    /// A day with no times: the whole day.
    pub fn day(date: Date) -> Slot {
        Slot {
            date,
            start: None,
            end: None,
            starts: None,
            ends: None,
        }
    }

    /// The time between its start and end instants, counted on the time
    /// line, so a session across a change of the clocks is as long as it
    /// really is.
    pub fn length(&self) -> Option<Duration> {
        let ms = self.ends?.as_millisecond() - self.starts?.as_millisecond();
        u64::try_from(ms).ok().map(Duration::from_millis)
    }
}

/// How the times of a session or an event resolve in `zone`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotError {
    /// A time but no zone to read it in.
    NoZone,
    /// The end is at or before the start.
    EndNotAfterStart { start: LocalTime, end: LocalTime },
    /// An end without a start.
    EndWithoutStart,
}

/// The slot of `date` from `start` to `end`, or to `start + length` when
/// no end is written.
pub fn slot(
    zone: Option<&Zone>,
    date: Date,
    start: Option<LocalTime>,
    end: Option<LocalTime>,
    length: Option<Duration>,
) -> Result<Slot, SlotError> {
    let Some(start) = start else {
        return match end {
            Some(_) => Err(SlotError::EndWithoutStart),
            None => Ok(Slot::day(date)),
        };
    };
    let zone = zone.ok_or(SlotError::NoZone)?;
    let starts = zone.instant(date, start);
    let (end, ends) = match end {
        Some(end) => {
            let ends = zone.instant(date, end);
            if ends <= starts {
                return Err(SlotError::EndNotAfterStart { start, end });
            }
            (Some(end), ends)
        }
        None => {
            let ends = length.and_then(|l| {
                let ms = i64::try_from(l.as_millis()).ok()?;
                starts?
                    .checked_add(jiff::SignedDuration::from_millis(ms))
                    .ok()
            });
            (ends.and_then(|e| zone.local(e)).map(|(_, t)| t), ends)
        }
    };
    Ok(Slot {
        date,
        start: Some(start),
        end,
        starts,
        ends,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn at(text: &str) -> LocalTime {
        LocalTime::parse(text).unwrap()
    }

    #[test]
    fn times_of_day() {
        assert_eq!(
            at("15:30"),
            LocalTime {
                hour: 15,
                minute: 30
            }
        );
        assert_eq!(at("9:05").to_string(), "09:05");
        for bad in ["24:00", "15:60", "1530", "15:3", "3:30 pm", "", "-1:00"] {
            assert_eq!(LocalTime::parse(bad), None, "{bad}");
        }
        assert_eq!(at("15:30").spoken(), "3:30 pm");
        assert_eq!(at("00:15").spoken(), "12:15 am");
        assert_eq!(at("12:00").spoken(), "12:00 pm");
    }

    #[test]
    fn zones_by_name_with_a_suggestion() {
        assert!(Zone::named("America/New_York").is_ok());
        assert_eq!(
            Zone::named("america/new_york").unwrap().name(),
            "America/New_York"
        );
        assert_eq!(
            Zone::named("America/New_Yrok").unwrap_err().as_deref(),
            Some("America/New_York")
        );
        assert!(Zone::named("Mars/Olympus_Mons").is_err());
    }

    #[test]
    fn session_times_across_a_daylight_saving_change() {
        let ny = Zone::named("America/New_York").unwrap();
        // 3:30 pm is 19:30 UTC in summer time, 20:30 UTC after the clocks
        // go back on 1 November 2026.
        let before = slot(Some(&ny), date("2026-10-30"), Some(at("15:30")), None, None).unwrap();
        let after = slot(Some(&ny), date("2026-11-02"), Some(at("15:30")), None, None).unwrap();
        assert_eq!(before.starts.unwrap().to_string(), "2026-10-30T19:30:00Z");
        assert_eq!(after.starts.unwrap().to_string(), "2026-11-02T20:30:00Z");
        // A night session from 00:30 to 02:30 on the day the clocks go
        // back lasts three hours, not two.
        let night = slot(
            Some(&ny),
            date("2026-11-01"),
            Some(at("00:30")),
            Some(at("02:30")),
            None,
        )
        .unwrap();
        assert_eq!(night.length(), Some(Duration::from_minutes(180)));
        // An hour from 01:30 on the day the clocks go forward ends at
        // 03:30 on the wall clock.
        let spring = slot(
            Some(&ny),
            date("2026-03-08"),
            Some(at("01:30")),
            None,
            Some(Duration::from_minutes(60)),
        )
        .unwrap();
        assert_eq!(spring.end, Some(at("03:30")));
        assert_eq!(spring.length(), Some(Duration::from_minutes(60)));
    }

    #[test]
    fn slot_errors() {
        let ny = Zone::named("America/New_York").unwrap();
        let d = date("2026-09-15");
        assert_eq!(
            slot(None, d, Some(at("15:30")), None, None),
            Err(SlotError::NoZone)
        );
        assert_eq!(
            slot(Some(&ny), d, Some(at("15:30")), Some(at("15:30")), None),
            Err(SlotError::EndNotAfterStart {
                start: at("15:30"),
                end: at("15:30")
            })
        );
        assert_eq!(
            slot(Some(&ny), d, None, Some(at("16:30")), None),
            Err(SlotError::EndWithoutStart)
        );
        assert_eq!(slot(None, d, None, None, None), Ok(Slot::day(d)));
    }
}
