//! Durations and the credit-hour rules.
//!
//! Everything here is pure: no I/O, no knowledge of files. Times are kept as
//! whole milliseconds so that sums are exact and the only rounding happens
//! once, at the very end, when a total becomes credit hours. Floating point
//! would turn three hours into 2.9999… and a "round down" rule into 2.75.
//!
//! The arithmetic is checked, never saturating: a sum that would not fit
//! is reported, not quietly clamped (which once made a workshop's hour
//! vanish from a total). Durations are bounded where they are read
//! ([`MAX_DURATION`]) and totals where they are summed ([`MAX_TOTAL`]), so
//! real sums stay far from the limits of the integers that hold them.

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
        self.0 / 60_000 + u64::from(self.0 % 60_000 >= 30_000)
    }

    /// Reading time of `words` words at `wpm` words per minute; `None`
    /// when it would not fit (some 584 million years).
    pub fn reading_time(words: u64, wpm: u32) -> Option<Self> {
        let wpm = u128::from(wpm.max(1));
        // words × 60 s / wpm, in ms, rounded to the nearest millisecond.
        let ms = (u128::from(words) * 60_000 + wpm / 2) / wpm;
        u64::try_from(ms).ok().map(Duration)
    }

    /// The sum, or `None` when it would not fit.
    pub fn checked_add(self, other: Duration) -> Option<Duration> {
        self.0.checked_add(other.0).map(Duration)
    }

    /// The sum of `items`, or `None` when it would not fit.
    pub fn checked_sum(items: impl IntoIterator<Item = Duration>) -> Option<Duration> {
        items
            .into_iter()
            .try_fold(Duration::ZERO, |total, d| total.checked_add(d))
    }

    /// Whole hours and minutes as a number of hours for messages about
    /// limits: "12001", "24.5".
    pub fn hours_text(self) -> String {
        trimmed(self.0 as f64 / 3_600_000.0, 2)
    }

    /// A short human label: "14 min", "1 h 15 min", "45 s".
    pub fn label(self) -> String {
        let secs = self.0 / 1000 + u64::from(self.0 % 1000 >= 500);
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

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// The longest one duration may be: a resource, an agenda item, a
/// workshop or an application. Anything longer is a typo (`999:00:00`) or
/// a unit mistaken (`1500` minutes meant as seconds).
pub const MAX_DURATION: Duration = Duration::from_minutes(24 * 60);

/// The most a pack's times (self-study, optional resources, workshop and
/// application) may add up to, and a pathway's packs. Ten thousand hours
/// is five years of full-time work.
pub const MAX_TOTAL: Duration = Duration::from_minutes(10_000 * 60);

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
    /// More than [`MAX_DURATION`].
    TooLong,
}

/// `value` with at most `places` decimals and no trailing zeros: `60`,
/// `62.18`, `2.5`. Every figure flippack shows or exports is written so,
/// so that a page, a message and a spreadsheet cell agree.
pub fn trimmed(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    if places == 0 {
        return text;
    }
    text.trim_end_matches('0').trim_end_matches('.').to_string()
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
        parse_clock(text).map(u128::from)
    } else if let Some(minutes) = parse_decimal(text) {
        Some(minutes.scaled(60_000))
    } else {
        parse_units(text, true)
    }
    .ok_or(DurationError::Unrecognised)?;
    bounded(ms)
}

/// A parsed duration in milliseconds, if it is within the bounds.
fn bounded(ms: u128) -> Result<Duration, DurationError> {
    if ms == 0 {
        Err(DurationError::NotPositive)
    } else if ms > u128::from(MAX_DURATION.0) {
        Err(DurationError::TooLong)
    } else {
        // At most a day's milliseconds: it fits.
        u64::try_from(ms)
            .map(Duration)
            .map_err(|_| DurationError::TooLong)
    }
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
    if ms > MAX_DURATION.0 as f64 {
        return Err(DurationError::TooLong);
    }
    // At most a day in ms: the cast is exact.
    bounded(ms as u128)
}

/// `m:ss` or `h:mm:ss`; the trailing parts are two digits below 60.
fn parse_clock(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.split(':').collect();
    let two_digits = |s: &str| -> Option<u64> {
        let n = parse_digits(s)?;
        (s.len() == 2 && n < 60).then_some(n)
    };
    let secs = match parts.as_slice() {
        [m, s] => parse_digits(m)?
            .checked_mul(60)?
            .checked_add(two_digits(s)?)?,
        [h, m, s] => parse_digits(h)?
            .checked_mul(3600)?
            .checked_add(two_digits(m)? * 60 + two_digits(s)?)?,
        _ => return None,
    };
    secs.checked_mul(1000)
}

/// `1h 15m`, `90s`, `1h2m3s` (and the ISO 8601 time part, without spaces).
/// Each unit appears at most once and in the order h, m, s. In ms, in a
/// `u128`, which holds the largest of them (three units of 15 digits).
fn parse_units(text: &str, allow_spaces: bool) -> Option<u128> {
    let mut rest = text;
    let mut total: u128 = 0;
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
    /// The number times `unit` (in ms), rounded to the nearest
    /// millisecond: exact, since 15 digits times an hour's milliseconds
    /// is far from the limit of a `u128`.
    fn scaled(self, unit: u64) -> u128 {
        let div = 10u128.pow(self.scale);
        (u128::from(self.digits) * u128::from(unit) + div / 2) / div
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

    /// Sums credit computed under the same rules; `None` when the sum
    /// would not fit.
    pub fn checked_sum(items: impl IntoIterator<Item = CreditHours>) -> Option<CreditHours> {
        items.into_iter().try_fold(CreditHours::default(), |a, b| {
            Some(CreditHours {
                steps: a.steps.checked_add(b.steps)?,
                steps_per_hour: b.steps_per_hour.max(a.steps_per_hour),
            })
        })
    }
}

impl fmt::Display for CreditHours {
    /// "3", "2.75", "0.5": as few decimals as the value needs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&trimmed(self.as_f64(), 2))
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
            // Fewer steps than milliseconds, since an hour has at least
            // 60,000 of those and at most 100 steps: it always fits.
            steps: u64::try_from(steps).unwrap_or(u64::MAX),
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
    /// The agenda adds up to more than [`MAX_DURATION`] (`None` when the
    /// sum does not even fit).
    TooLong { agenda: Option<Duration> },
}

/// A workshop's time: its stated `duration`, else the sum of its agenda
/// items; both given must agree.
pub fn workshop_time(
    duration: Option<Duration>,
    agenda: &[Duration],
) -> Result<Duration, WorkshopTimeError> {
    let agenda_total = match Duration::checked_sum(agenda.iter().copied()) {
        Some(total) if total <= MAX_DURATION => total,
        too_long => return Err(WorkshopTimeError::TooLong { agenda: too_long }),
    };
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

impl PackTimes {
    /// Every minute of the pack, credited or not; `None` when the sum
    /// would not fit.
    pub fn all(&self) -> Option<Duration> {
        Duration::checked_sum([
            self.self_study,
            self.optional,
            self.workshop,
            self.application,
        ])
    }
}

impl CreditRules {
    /// A pack's credit; `None` when its times add up to more than
    /// [`MAX_TOTAL`], which is an error in the pack.
    pub fn credit(&self, times: PackTimes) -> Option<Credit> {
        if times.all()? > MAX_TOTAL {
            return None;
        }
        let application = if self.include_application {
            times.application
        } else {
            Duration::ZERO
        };
        let total = Duration::checked_sum([times.self_study, times.workshop, application])?;
        Some(Credit {
            times,
            total,
            credit_hours: self.credit_hours(total),
            credit_hours_with_optional: self.credit_hours(total.checked_add(times.optional)?),
        })
    }
}

/// One step of a series of credit (a pathway): a figure, or one of
/// several to choose from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Fixed(CreditHours),
    OneOf(Vec<CreditHours>),
}

/// The lowest and highest credit of a series: each choice counts its
/// lowest option in the first, its highest in the second; the two are the
/// same when there is no choice. Sums stay exact (whole increments);
/// `None` when a sum would not fit.
pub fn credit_range(parts: &[Part]) -> Option<(CreditHours, CreditHours)> {
    let pick = |highest: bool| {
        CreditHours::checked_sum(parts.iter().map(|part| match part {
            Part::Fixed(hours) => *hours,
            Part::OneOf(options) => {
                let options = options.iter().copied();
                let chosen = if highest {
                    options.max()
                } else {
                    options.min()
                };
                chosen.unwrap_or_default()
            }
        }))
    };
    Some((pick(false)?, pick(true)?))
}

/// Continuing Education Units: one per ten credit hours, to one decimal
/// (IACET's unit), held as whole tenths so that they stay exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Ceu {
    tenths: u64,
}

impl Ceu {
    pub fn as_f64(self) -> f64 {
        self.tenths as f64 / 10.0
    }
}

impl fmt::Display for Ceu {
    /// "0.3", "1", "1.2".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&trimmed(self.as_f64(), 1))
    }
}

impl CreditRules {
    /// Credit hours as CEUs: a tenth of a CEU is one whole hour, so the
    /// hours are rounded to whole hours by the site's own `round` rule
    /// (2.75 hours is 0.2 CEU rounding down, 0.3 to the nearest).
    pub fn ceu(&self, hours: CreditHours) -> Ceu {
        let n = u128::from(hours.steps);
        let d = u128::from(hours.steps_per_hour.max(1));
        let tenths = match self.round {
            Rounding::Down => n / d,
            Rounding::Up => n.div_ceil(d),
            Rounding::Nearest => (2 * n + d) / (2 * d),
        };
        Ceu {
            // At most the hours themselves: it fits.
            tenths: u64::try_from(tenths).unwrap_or(u64::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_lose_their_trailing_zeros() {
        let cases = [
            (60.0, 2, "60"),
            (62.184_873, 2, "62.18"),
            (2.5, 2, "2.5"),
            (0.0, 2, "0"),
            (7.005, 2, "7"),
            (100.0, 1, "100"),
            (62.54, 1, "62.5"),
            (100.0, 0, "100"),
        ];
        for (value, places, text) in cases {
            assert_eq!(trimmed(value, places), text, "{value} to {places}");
        }
    }

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
        assert_eq!(
            Duration::reading_time(238, 238),
            Some(Duration::from_minutes(1))
        );
        assert_eq!(
            Duration::reading_time(1190, 238),
            Some(Duration::from_minutes(5))
        );
        assert_eq!(
            Duration::reading_time(119, 238),
            Some(Duration::from_secs(30))
        );
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
        let credit = CreditRules::default().credit(times).unwrap();
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
        assert_eq!(rules.credit(times).unwrap().credit_hours.as_f64(), 3.5);
    }

    #[test]
    fn optional_resources_are_credited_apart() {
        let times = PackTimes {
            self_study: Duration::from_minutes(120),
            optional: Duration::from_minutes(45),
            workshop: Duration::from_minutes(60),
            ..PackTimes::default()
        };
        let credit = CreditRules::default().credit(times).unwrap();
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
        let excluded = CreditRules::default().credit(times).unwrap();
        assert_eq!(excluded.credit_hours.as_f64(), 3.0);
        let included = CreditRules {
            include_application: true,
            ..CreditRules::default()
        }
        .credit(times)
        .unwrap();
        assert_eq!(included.total, Duration::from_minutes(225));
        assert_eq!(included.credit_hours.as_f64(), 3.75);
    }

    #[test]
    fn pathway_credit_sums_rounded_pack_credit() {
        let rules = CreditRules::default();
        let a = rules.credit_hours(Duration::from_minutes(100)); // 1.5
        let b = rules.credit_hours(Duration::from_minutes(100)); // 1.5
        assert_eq!(CreditHours::checked_sum([a, b]).unwrap().as_f64(), 3.0);
        assert_eq!(CreditHours::checked_sum([]).unwrap().as_f64(), 0.0);
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
        assert_eq!(
            workshop_time(None, &[m(600), m(600), m(300)]),
            Err(WorkshopTimeError::TooLong {
                agenda: Some(m(1500))
            })
        );
        let day = MAX_DURATION;
        let huge = [Duration(u64::MAX / 2), Duration(u64::MAX / 2), day];
        assert_eq!(
            workshop_time(None, &huge),
            Err(WorkshopTimeError::TooLong { agenda: None })
        );
    }

    #[test]
    fn durations_longer_than_a_day_are_refused() {
        assert_eq!(parse_duration("24:00:00"), Ok(MAX_DURATION));
        assert_eq!(parse_duration("1440"), Ok(MAX_DURATION));
        for text in [
            "24:00:01",
            "999999999:59:59",
            "999999999:59",
            "25h",
            "1441",
            "PT999999999H",
            "999999999.999999h",
        ] {
            assert_eq!(parse_duration(text), Err(DurationError::TooLong), "{text}");
        }
        assert_eq!(minutes_from_number(1441.0), Err(DurationError::TooLong));
        assert_eq!(minutes_from_number(1e300), Err(DurationError::TooLong));
        assert_eq!(minutes_from_number(1440.0), Ok(MAX_DURATION));
    }

    #[test]
    fn sums_are_checked_not_saturated() {
        let big = Duration(u64::MAX - 1);
        assert_eq!(big.checked_add(Duration(1)), Some(Duration(u64::MAX)));
        assert_eq!(big.checked_add(Duration(2)), None);
        assert_eq!(Duration::checked_sum([big, Duration(2)]), None);
        assert_eq!(Duration::reading_time(u64::MAX, 238), None);
        assert_eq!(
            Duration::reading_time(u64::MAX, u32::MAX),
            Some(Duration(257_698_037_820_000))
        );
        let huge = CreditHours {
            steps: u64::MAX,
            steps_per_hour: 4,
        };
        assert_eq!(CreditHours::checked_sum([huge, huge]), None);
    }

    #[test]
    fn a_pack_over_ten_thousand_hours_has_no_credit() {
        let rules = CreditRules::default();
        let at_limit = PackTimes {
            self_study: Duration::from_minutes(9_999 * 60),
            workshop: Duration::from_minutes(60),
            ..PackTimes::default()
        };
        assert_eq!(
            rules.credit(at_limit).unwrap().credit_hours.as_f64(),
            10_000.0
        );
        let over = PackTimes {
            optional: Duration::from_minutes(1),
            ..at_limit
        };
        assert_eq!(rules.credit(over), None);
        // Once the workshop vanished from a saturated sum; now nothing
        // that large gets a figure at all.
        let saturating = PackTimes {
            self_study: Duration(u64::MAX),
            workshop: Duration::from_minutes(60),
            ..PackTimes::default()
        };
        assert_eq!(saturating.all(), None);
        assert_eq!(rules.credit(saturating), None);
        assert_eq!(Duration::from_minutes(12_001 * 60).hours_text(), "12001");
        assert_eq!(Duration::from_minutes(90).hours_text(), "1.5");
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

    #[test]
    fn a_pathway_with_a_choice_and_an_event_has_a_range() {
        let rules = CreditRules::default();
        let hours = |minutes| rules.credit_hours(Duration::from_minutes(minutes));
        let parts = [
            Part::Fixed(hours(180)),
            Part::OneOf(vec![hours(120), hours(165), hours(90)]),
            // A credited half-day of 3 h 30 min.
            Part::Fixed(hours(210)),
        ];
        let (low, high) = credit_range(&parts).unwrap();
        assert_eq!(low.to_string(), "8");
        assert_eq!(high.to_string(), "9.25");
        let no_choice = [Part::Fixed(hours(60)), Part::Fixed(hours(45))];
        let (low, high) = credit_range(&no_choice).unwrap();
        assert_eq!(
            (low.to_string(), high.to_string()),
            ("1.75".into(), "1.75".into())
        );
        assert_eq!(credit_range(&[]).map(|(l, _)| l.as_f64()), Some(0.0));
    }

    #[test]
    fn ceus_are_a_tenth_of_the_hours_to_one_decimal() {
        let down = CreditRules::default();
        let nearest = CreditRules {
            round: Rounding::Nearest,
            ..down
        };
        let hours = |minutes| down.credit_hours(Duration::from_minutes(minutes));
        assert_eq!(down.ceu(hours(180)).to_string(), "0.3");
        assert_eq!(down.ceu(hours(165)).to_string(), "0.2");
        assert_eq!(nearest.ceu(hours(165)).to_string(), "0.3");
        assert_eq!(down.ceu(hours(600)).to_string(), "1");
        assert_eq!(down.ceu(hours(750)).to_string(), "1.2");
        assert_eq!(down.ceu(hours(30)).to_string(), "0");
        assert_eq!(down.ceu(hours(180)).as_f64(), 0.3);
    }
}
