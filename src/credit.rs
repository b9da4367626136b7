//! Durations and the credit-hour rules.
//!
//! Everything here is pure: no I/O, no knowledge of files. Times are kept as
//! whole milliseconds so that sums are exact and the only rounding happens
//! once, at the very end, when a total becomes credit hours. Floating point
//! would turn three hours into 2.9999… and a "round down" rule into 2.75.

use std::fmt;

/// A length of time, in whole milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(u64);

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub fn from_millis(ms: u64) -> Self {
        Duration(ms)
    }

    pub fn from_secs(secs: u64) -> Self {
        Duration(secs * 1000)
    }

    pub const fn from_minutes(minutes: u64) -> Self {
        Duration(minutes * 60_000)
    }

    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// Minutes as an exact-as-possible number, for reports.
    pub fn as_minutes_f64(self) -> f64 {
        self.0 as f64 / 60_000.0
    }

    /// Minutes rounded to the nearest whole minute, for labels.
    pub fn whole_minutes(self) -> u64 {
        (self.0 + 30_000) / 60_000
    }

    /// Reading time of `words` words at `wpm` words per minute.
    pub fn reading_time(words: u64, wpm: u32) -> Self {
        let wpm = u64::from(wpm.max(1));
        // words × 60 s / wpm, in ms, rounded to the nearest millisecond.
        Duration((words * 60_000 + wpm / 2) / wpm)
    }

    /// A short human label: "14 min", "1 h 15 min", "45 s".
    pub fn label(self) -> String {
        let secs = (self.0 + 500) / 1000;
        if secs < 60 {
            return format!("{secs} s");
        }
        let minutes = self.whole_minutes();
        match (minutes / 60, minutes % 60) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        }
    }
}

impl std::ops::Add for Duration {
    type Output = Duration;
    fn add(self, other: Duration) -> Duration {
        Duration(self.0.saturating_add(other.0))
    }
}

impl std::ops::AddAssign for Duration {
    fn add_assign(&mut self, other: Duration) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Duration {
    fn sum<I: Iterator<Item = Duration>>(iter: I) -> Duration {
        iter.fold(Duration::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// The forms a duration may be written in, for error messages.
pub const ACCEPTED_FORMS: &str =
    "14:30 (m:ss), 1:02:03 (h:mm:ss), 45m, 1h, 1h 15m, 90s, 1h 2m 3s, PT14M30S, or a number of minutes such as 20 or 7.5";

/// Why a duration could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationError {
    /// Not one of the accepted forms.
    Unrecognised,
    /// Zero or less: a resource that takes no time is almost always a typo.
    NotPositive,
}

/// Parses a duration as coaches write it. See [`ACCEPTED_FORMS`].
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(DurationError::NotPositive);
    }
    let ms = if let Some(iso) = text.strip_prefix("PT").or_else(|| text.strip_prefix("pt")) {
        parse_units(iso, false)
    } else if text.contains(':') {
        parse_clock(text)
    } else if let Some(minutes) = parse_decimal(text) {
        Some(minutes.scaled(60_000))
    } else {
        parse_units(text, true)
    }
    .ok_or(DurationError::Unrecognised)?;
    if ms == 0 {
        return Err(DurationError::NotPositive);
    }
    Ok(Duration(ms))
}

/// Turns a bare YAML number (minutes) into a duration.
pub fn minutes_from_number(minutes: f64) -> Result<Duration, DurationError> {
    if !minutes.is_finite() {
        return Err(DurationError::Unrecognised);
    }
    if minutes <= 0.0 {
        return Err(DurationError::NotPositive);
    }
    let ms = (minutes * 60_000.0).round();
    if ms < 1.0 || ms > u64::MAX as f64 / 2.0 {
        return Err(DurationError::Unrecognised);
    }
    Ok(Duration(ms as u64))
}

/// `m:ss` or `h:mm:ss`; the trailing parts are two digits below 60.
fn parse_clock(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.split(':').collect();
    let two_digits = |s: &str| -> Option<u64> {
        let n = parse_digits(s)?;
        (s.len() == 2 && n < 60).then_some(n)
    };
    let secs = match parts.as_slice() {
        [m, s] => parse_digits(m)? * 60 + two_digits(s)?,
        [h, m, s] => parse_digits(h)? * 3600 + two_digits(m)? * 60 + two_digits(s)?,
        _ => return None,
    };
    secs.checked_mul(1000)
}

/// `1h 15m`, `90s`, `1h2m3s` (and the ISO 8601 time part, without spaces).
/// Each unit appears at most once and in the order h, m, s.
fn parse_units(text: &str, allow_spaces: bool) -> Option<u64> {
    let mut rest = text;
    let mut total: u64 = 0;
    let mut last_rank = 0;
    let mut any = false;
    while !rest.is_empty() {
        if allow_spaces {
            rest = rest.trim_start();
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = parse_decimal(&rest[..end])?;
        rest = &rest[end..];
        if allow_spaces {
            rest = rest.trim_start();
        }
        let unit = rest.chars().next()?;
        let (rank, scale) = match unit.to_ascii_lowercase() {
            'h' => (1, 3_600_000),
            'm' => (2, 60_000),
            's' => (3, 1_000),
            _ => return None,
        };
        if rank <= last_rank {
            return None;
        }
        last_rank = rank;
        rest = &rest[unit.len_utf8()..];
        total = total.checked_add(number.scaled(scale))?;
        any = true;
    }
    any.then_some(total)
}

/// A non-negative decimal number kept exact: `7.5` is 75 tenths.
#[derive(Clone, Copy)]
struct Decimal {
    digits: u64,
    scale: u32,
}

impl Decimal {
    /// The number times `unit` (in ms), rounded to the nearest millisecond.
    fn scaled(self, unit: u64) -> u64 {
        let div = 10u64.pow(self.scale);
        (self.digits.saturating_mul(unit) + div / 2) / div
    }
}

fn parse_decimal(text: &str) -> Option<Decimal> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    if int.is_empty() && frac.is_empty() || frac.len() > 6 {
        return None;
    }
    let mut digits: u64 = if int.is_empty() {
        0
    } else {
        parse_digits(int)?
    };
    for c in frac.chars() {
        digits = digits
            .checked_mul(10)?
            .checked_add(c.to_digit(10)?.into())?;
    }
    if text.ends_with('.') {
        return None;
    }
    Some(Decimal {
        digits,
        scale: frac.len() as u32,
    })
}

fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n: &u64| *n < 1_000_000_000)
}

/// The step credit hours are rounded to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Increment {
    /// Keep two decimals.
    None,
    Tenth,
    #[default]
    Quarter,
    Half,
    Whole,
}

impl Increment {
    /// How many steps make one hour.
    fn steps_per_hour(self) -> u64 {
        match self {
            Increment::None => 100,
            Increment::Tenth => 10,
            Increment::Quarter => 4,
            Increment::Half => 2,
            Increment::Whole => 1,
        }
    }
}

/// Which way a total is rounded to the increment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rounding {
    #[default]
    Down,
    Nearest,
    Up,
}

/// A district's credit rules (`credit:` in site.yaml).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditRules {
    /// Minutes in one credit hour; some agencies use 50-minute contact hours.
    pub minutes_per_hour: u32,
    pub increment: Increment,
    pub round: Rounding,
    /// Whether the classroom application counts towards credit.
    pub include_application: bool,
}

impl Default for CreditRules {
    fn default() -> Self {
        CreditRules {
            minutes_per_hour: 60,
            increment: Increment::Quarter,
            round: Rounding::Down,
            include_application: false,
        }
    }
}

/// Credit hours, held as a whole number of increments so that sums
/// (a pathway's credit) stay exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct CreditHours {
    steps: u64,
    steps_per_hour: u64,
}

impl CreditHours {
    pub fn as_f64(self) -> f64 {
        if self.steps_per_hour == 0 {
            return 0.0;
        }
        self.steps as f64 / self.steps_per_hour as f64
    }

    /// Sums credit computed under the same rules.
    pub fn sum(items: impl IntoIterator<Item = CreditHours>) -> CreditHours {
        items
            .into_iter()
            .fold(CreditHours::default(), |a, b| CreditHours {
                steps: a.steps + b.steps,
                steps_per_hour: b.steps_per_hour.max(a.steps_per_hour),
            })
    }
}

impl fmt::Display for CreditHours {
    /// "3", "2.75", "0.5": as few decimals as the value needs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:.2}", self.as_f64());
        let text = text.trim_end_matches('0').trim_end_matches('.');
        f.write_str(text)
    }
}

impl CreditRules {
    /// Converts a total time into credit hours: the one place that rounds.
    pub fn credit_hours(&self, total: Duration) -> CreditHours {
        let steps_per_hour = self.increment.steps_per_hour();
        let ms_per_hour = u64::from(self.minutes_per_hour.max(1)) * 60_000;
        // steps = total / ms_per_hour × steps_per_hour, as one exact fraction.
        let numerator = u128::from(total.as_millis()) * u128::from(steps_per_hour);
        let denominator = u128::from(ms_per_hour);
        let steps = match self.round {
            Rounding::Down => numerator / denominator,
            Rounding::Up => numerator.div_ceil(denominator),
            Rounding::Nearest => (2 * numerator + denominator) / (2 * denominator),
        };
        CreditHours {
            steps: steps as u64,
            steps_per_hour,
        }
    }
}

/// Why a workshop's time cannot be known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkshopTimeError {
    /// Neither `duration` nor agenda minutes.
    Missing,
    /// Both are given and disagree: one of them is a typo, and guessing
    /// which would put a wrong figure on someone's credit.
    Conflict {
        duration: Duration,
        agenda: Duration,
    },
}

/// A workshop's time: its stated `duration`, else the sum of its agenda
/// items; both given must agree.
pub fn workshop_time(
    duration: Option<Duration>,
    agenda: &[Duration],
) -> Result<Duration, WorkshopTimeError> {
    let agenda_total: Duration = agenda.iter().copied().sum();
    match (duration, agenda.is_empty()) {
        (Some(d), true) => Ok(d),
        (Some(d), false) if d != agenda_total => Err(WorkshopTimeError::Conflict {
            duration: d,
            agenda: agenda_total,
        }),
        (_, false) => Ok(agenda_total),
        (None, true) => Err(WorkshopTimeError::Missing),
    }
}

/// The times that make up one pack, before any rounding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PackTimes {
    pub self_study: Duration,
    pub optional: Duration,
    pub workshop: Duration,
    pub application: Duration,
}

/// A pack's credit breakdown, as shown on its page and in `flippack hours`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credit {
    pub times: PackTimes,
    /// Self-study + workshop (+ application when the rules include it).
    pub total: Duration,
    pub credit_hours: CreditHours,
    /// The same rule with the optional resources added.
    pub credit_hours_with_optional: CreditHours,
}

impl CreditRules {
    pub fn credit(&self, times: PackTimes) -> Credit {
        let application = if self.include_application {
            times.application
        } else {
            Duration::ZERO
        };
        let total = times.self_study + times.workshop + application;
        Credit {
            times,
            total,
            credit_hours: self.credit_hours(total),
            credit_hours_with_optional: self.credit_hours(total + times.optional),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> f64 {
        parse_duration(text).unwrap().as_millis() as f64 / 1000.0
    }

    #[test]
    fn every_accepted_duration_form() {
        let cases = [
            ("14:30", 870.0),
            ("0:45", 45.0),
            ("1:02:03", 3723.0),
            ("10:00:00", 36000.0),
            ("45m", 2700.0),
            ("1h", 3600.0),
            ("1h 15m", 4500.0),
            ("1h15m", 4500.0),
            ("90s", 90.0),
            ("1h 2m 3s", 3723.0),
            ("2m 30s", 150.0),
            ("1.5h", 5400.0),
            ("PT14M30S", 870.0),
            ("PT1H", 3600.0),
            ("PT1H2M3S", 3723.0),
            ("PT90S", 90.0),
            ("20", 1200.0),
            ("7.5", 450.0),
            (" 20 ", 1200.0),
            ("45M", 2700.0),
        ];
        for (text, expected) in cases {
            assert_eq!(secs(text), expected, "{text}");
        }
    }

    #[test]
    fn rejected_duration_forms() {
        let unrecognised = [
            "",
            "abc",
            "14:3",
            "14:60",
            "1:2:3",
            "1:02:03:04",
            "1h 1h",
            "15m 1h",
            "1 hour",
            "h",
            "PT",
            "P1D",
            "1.",
            "20 minutes",
            "14,5",
            "1e3",
            "m30",
            "5 5",
        ];
        for text in unrecognised {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::Unrecognised),
                "{text:?}"
            );
        }
        for text in ["0", "0:00", "0m", "-5", "-1h", "PT0S", "0.0"] {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::NotPositive),
                "{text:?}"
            );
        }
    }

    #[test]
    fn numbers_from_yaml_are_minutes() {
        assert_eq!(minutes_from_number(20.0), Ok(Duration::from_minutes(20)));
        assert_eq!(minutes_from_number(7.5), Ok(Duration::from_secs(450)));
        assert_eq!(minutes_from_number(0.0), Err(DurationError::NotPositive));
        assert_eq!(minutes_from_number(-3.0), Err(DurationError::NotPositive));
        assert_eq!(
            minutes_from_number(f64::NAN),
            Err(DurationError::Unrecognised)
        );
    }

    #[test]
    fn reading_time_uses_words_per_minute() {
        assert_eq!(Duration::reading_time(238, 238), Duration::from_minutes(1));
        assert_eq!(Duration::reading_time(1190, 238), Duration::from_minutes(5));
        assert_eq!(Duration::reading_time(119, 238), Duration::from_secs(30));
    }

    fn rules(increment: Increment, round: Rounding) -> CreditRules {
        CreditRules {
            increment,
            round,
            ..CreditRules::default()
        }
    }

    fn hours(rules: CreditRules, minutes: u64) -> f64 {
        rules.credit_hours(Duration::from_minutes(minutes)).as_f64()
    }

    #[test]
    fn seed_example_two_hours_study_one_hour_workshop_is_three_credit_hours() {
        let times = PackTimes {
            self_study: Duration::from_minutes(120),
            workshop: Duration::from_minutes(60),
            ..PackTimes::default()
        };
        let credit = CreditRules::default().credit(times);
        assert_eq!(credit.total, Duration::from_minutes(180));
        assert_eq!(credit.credit_hours.as_f64(), 3.0);
        assert_eq!(credit.credit_hours.to_string(), "3");
    }

    #[test]
    fn each_rounding_mode_and_increment() {
        use Increment::*;
        use Rounding::*;
        // 100 minutes = 1.666… hours.
        let table = [
            (Quarter, Down, 1.5),
            (Quarter, Nearest, 1.75),
            (Quarter, Up, 1.75),
            (Tenth, Down, 1.6),
            (Tenth, Nearest, 1.7),
            (Tenth, Up, 1.7),
            (Half, Down, 1.5),
            (Half, Nearest, 1.5),
            (Half, Up, 2.0),
            (Whole, Down, 1.0),
            (Whole, Nearest, 2.0),
            (Whole, Up, 2.0),
            (None, Down, 1.66),
            (None, Nearest, 1.67),
            (None, Up, 1.67),
        ];
        for (increment, round, expected) in table {
            assert_eq!(
                hours(rules(increment, round), 100),
                expected,
                "{increment:?} {round:?}"
            );
        }
    }

    #[test]
    fn exact_totals_do_not_drift_when_rounding() {
        for round in [Rounding::Down, Rounding::Nearest, Rounding::Up] {
            assert_eq!(hours(rules(Increment::Quarter, round), 180), 3.0);
            assert_eq!(hours(rules(Increment::Tenth, round), 18), 0.3);
        }
        // Exactly half-way rounds up under "nearest".
        assert_eq!(hours(rules(Increment::Half, Rounding::Nearest), 45), 1.0);
    }

    #[test]
    fn fifty_minute_hours() {
        let rules = CreditRules {
            minutes_per_hour: 50,
            ..CreditRules::default()
        };
        assert_eq!(hours(rules, 150), 3.0);
        assert_eq!(hours(rules, 180), 3.5);
        let times = PackTimes {
            self_study: Duration::from_minutes(120),
            workshop: Duration::from_minutes(60),
            ..PackTimes::default()
        };
        assert_eq!(rules.credit(times).credit_hours.as_f64(), 3.5);
    }

    #[test]
    fn optional_resources_are_credited_apart() {
        let times = PackTimes {
            self_study: Duration::from_minutes(120),
            optional: Duration::from_minutes(45),
            workshop: Duration::from_minutes(60),
            ..PackTimes::default()
        };
        let credit = CreditRules::default().credit(times);
        assert_eq!(credit.credit_hours.as_f64(), 3.0);
        assert_eq!(credit.credit_hours_with_optional.as_f64(), 3.75);
        assert_eq!(credit.total, Duration::from_minutes(180));
    }

    #[test]
    fn application_counts_only_when_included() {
        let times = PackTimes {
            self_study: Duration::from_minutes(120),
            workshop: Duration::from_minutes(60),
            application: Duration::from_minutes(45),
            ..PackTimes::default()
        };
        let excluded = CreditRules::default().credit(times);
        assert_eq!(excluded.credit_hours.as_f64(), 3.0);
        let included = CreditRules {
            include_application: true,
            ..CreditRules::default()
        }
        .credit(times);
        assert_eq!(included.total, Duration::from_minutes(225));
        assert_eq!(included.credit_hours.as_f64(), 3.75);
    }

    #[test]
    fn pathway_credit_sums_rounded_pack_credit() {
        let rules = CreditRules::default();
        let a = rules.credit_hours(Duration::from_minutes(100)); // 1.5
        let b = rules.credit_hours(Duration::from_minutes(100)); // 1.5
        assert_eq!(CreditHours::sum([a, b]).as_f64(), 3.0);
        assert_eq!(CreditHours::sum([]).as_f64(), 0.0);
    }

    #[test]
    fn workshop_time_from_duration_or_agenda() {
        let m = Duration::from_minutes;
        assert_eq!(workshop_time(Some(m(60)), &[]), Ok(m(60)));
        assert_eq!(workshop_time(None, &[m(20), m(40)]), Ok(m(60)));
        assert_eq!(workshop_time(Some(m(60)), &[m(20), m(40)]), Ok(m(60)));
        assert_eq!(
            workshop_time(Some(m(45)), &[m(20), m(40)]),
            Err(WorkshopTimeError::Conflict {
                duration: m(45),
                agenda: m(60)
            })
        );
        assert_eq!(workshop_time(None, &[]), Err(WorkshopTimeError::Missing));
    }

    #[test]
    fn labels() {
        assert_eq!(Duration::from_secs(45).label(), "45 s");
        assert_eq!(Duration::from_secs(870).label(), "15 min");
        assert_eq!(Duration::from_minutes(60).label(), "1 h");
        assert_eq!(Duration::from_minutes(75).label(), "1 h 15 min");
        assert_eq!(
            CreditHours {
                steps: 11,
                steps_per_hour: 4
            }
            .to_string(),
            "2.75"
        );
        assert_eq!(
            CreditHours {
                steps: 2,
                steps_per_hour: 4
            }
            .to_string(),
            "0.5"
        );
    }
}
