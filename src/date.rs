//! A calendar date as coaches write it (`2026-09-01`), and as pages and
//! feeds show it.
//!
//! A leaf, so that the renderer, the feeds and `new` use dates without
//! reaching into how content is read.

use std::fmt;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};

use crate::diagnostic::ValueError;

/// A calendar date, `YYYY-MM-DD` (a time after it, RFC 3339 style, is
/// accepted and ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let day_part = text.get(..10)?;
        let rest = &text[10..];
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
            return None;
        }
        let b = day_part.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |s: &str| -> Option<u16> {
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())
                .flatten()
        };
        let year = num(&day_part[..4])?;
        let month = num(&day_part[5..7])? as u8;
        let day = num(&day_part[8..10])? as u8;
        let days = days_in_month(year, month)?;
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Why `text`, written as a date, is not one: "February 2026 has 28
    /// days" for `2026-02-30`; `None` when it is not even in the form.
    fn no_such_day(text: &str) -> Option<String> {
        let b = text.trim().as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let text = text.trim();
        let year: u16 = text.get(..4)?.parse().ok()?;
        let month: u8 = text.get(5..7)?.parse().ok()?;
        let day: u8 = text.get(8..10)?.parse().ok()?;
        let days = days_in_month(year, month)?;
        (day == 0 || day > days).then(|| {
            let name = Date {
                year,
                month,
                day: 1,
            }
            .long();
            let name = name.trim_start_matches("1 ");
            format!("{name} has {days} days")
        })
    }

    /// "1 September 2026", for pages.
    pub fn long(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month - 1)],
            self.year
        )
    }
}

/// The days of `month` (1–12) of `year`; `None` for no such month.
fn days_in_month(year: u16, month: u8) -> Option<u8> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| {
            if let Some(why) = Date::no_such_day(&text) {
                return ValueError::new(
                    format!("`{text}` is not a day of the calendar: {why}"),
                    "check the day and the month",
                )
                .into_serde::<D::Error>();
            }
            ValueError::new(
                format!("`{text}` is not a date"),
                "write dates as YYYY-MM-DD, e.g. 2026-09-01",
            )
            .into_serde::<D::Error>()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2026-09-01"),
            Some(Date {
                year: 2026,
                month: 9,
                day: 1
            })
        );
        assert_eq!(Date::parse("2024-02-29T10:00:00Z").map(|d| d.day), Some(29));
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-9-1",
            "01/09/2026",
            "",
            "2026-09-01x",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Date::parse("2026-09-01").unwrap().long(),
            "1 September 2026"
        );
    }

    #[test]
    fn a_day_that_does_not_exist_says_how_long_the_month_is() {
        assert_eq!(
            Date::no_such_day("2026-02-30").as_deref(),
            Some("February 2026 has 28 days")
        );
        assert_eq!(
            Date::no_such_day("2028-02-30").as_deref(),
            Some("February 2028 has 29 days")
        );
        assert_eq!(
            Date::no_such_day("2026-09-31").as_deref(),
            Some("September 2026 has 30 days")
        );
        assert_eq!(Date::no_such_day("2026-09-30"), None);
        assert_eq!(Date::no_such_day("2026-13-01"), None);
        assert_eq!(Date::no_such_day("soon"), None);
    }
}
