//! Content lints: values that load fine but are most likely mistakes.
//!
//! | code | finding |
//! | --- | --- |
//! | `long-self-study` | a pack's self-study adds up to more than 10 hours |
//! | `short-workshop` | a workshop shorter than 15 minutes |
//! | `duplicate-url` | two resources of a pack with the same address |
//! | `duplicate-pathway-pack` | a pathway listing the same pack twice |
//! | `reading-time` | (info) a reading's `duration` far from its page's reading time |
//!
//! A pack without discussion prompts is not a lint: it is already an error
//! (`no-prompts`) when the site loads.

use super::Sources;
use crate::content::{Kind, Pack, ResourceTarget, Site};
use crate::credit::Duration;
use crate::diagnostic::{Code, Diagnostic};

/// More self-study than this is more likely a typo (`90` hours for `90m`)
/// than a pack.
pub const MAX_SELF_STUDY: Duration = Duration::from_minutes(10 * 60);

/// A workshop shorter than this is more likely `duration: 1:00` (one
/// minute, m:ss) than a workshop.
pub const MIN_WORKSHOP: Duration = Duration::from_minutes(15);

/// How far apart a stated time and a reading estimate may be before a
/// coach hears of it: a factor of two either way...
pub const READING_FACTOR: u64 = 2;

/// ...and at least this much, so that 2 minutes for a 1-minute page is
/// not worth a word.
pub const READING_MARGIN: Duration = Duration::from_minutes(10);

/// Whether `stated` is far from `estimate`: at least [`READING_FACTOR`]
/// times it or at most its share, and [`READING_MARGIN`] apart.
pub fn far_from(stated: Duration, estimate: Duration) -> bool {
    let (s, e) = (stated.as_millis(), estimate.as_millis());
    let apart = s.abs_diff(e) >= READING_MARGIN.as_millis();
    let ratio = s >= e.saturating_mul(READING_FACTOR) || s.saturating_mul(READING_FACTOR) <= e;
    apart && ratio
}

/// The positions of items equal to an earlier one, each with the position
/// of that first one.
pub fn duplicates<T: PartialEq>(items: &[T]) -> Vec<(usize, usize)> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let first = items[..i].iter().position(|other| other == item)?;
            Some((i, first))
        })
        .collect()
}

/// A URL compared loosely: the same page with or without a trailing slash
/// or different case in the scheme and host is the same resource.
pub fn url_key(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            format!(
                "{}://{}/{path}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => url.to_string(),
    }
}

/// `long-self-study`, `short-workshop` and `duplicate-url`. (A resource
/// `url` that is not http(s) is an error when the site loads, `bad-url`.)
pub fn packs(site: &Site, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for pack in &site.packs {
        found.extend(self_study_time(pack, sources));
        found.extend(workshop_time(pack, sources));
        found.extend(resource_urls(pack, sources));
        found.extend(reading_times(pack, site.config.reading_wpm, sources));
    }
    found
}

/// `reading-time`: a page's stated time that its length contradicts. Only
/// information: a page may rightly ask for more than reading (notes, a
/// task), but a PD office that reads it will ask, so the coach sees both
/// figures first.
fn reading_times(pack: &Pack, wpm: u32, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for r in &pack.self_study {
        // Only readings: a guide or an activity on a page asks for more
        // than reading it.
        if r.kind != Kind::Reading || r.target != ResourceTarget::Page || r.estimated {
            continue;
        }
        let Some(estimate) = r.words.and_then(|w| Duration::reading_time(w, wpm)) else {
            continue;
        };
        if !far_from(r.time, estimate) {
            continue;
        }
        let d = Diagnostic::info(
            Code::ReadingTime,
            pack.source.path.as_str(),
            format!(
                "resource {} (`{}`) is credited {}, but its page `{}` reads in about {} \
                 ({} words at {wpm} words a minute)",
                r.number,
                r.title,
                r.time.label(),
                r.location,
                estimate.label(),
                r.words.unwrap_or(0),
            ),
        )
        .with_help(
            "leave `duration:` out to credit the reading time; or, if the resource asks for \
             more than reading, say what in its `note:`",
        );
        found.push(sources.at_key(d, r.at.duration));
    }
    found
}

fn self_study_time(pack: &Pack, sources: &Sources) -> Option<Diagnostic> {
    let total = pack.credit.times.self_study;
    if total <= MAX_SELF_STUDY {
        return None;
    }
    let longest = pack
        .self_study
        .iter()
        .filter(|r| !r.optional)
        .max_by_key(|r| r.time)?;
    let d = Diagnostic::warning(
        Code::LongSelfStudy,
        pack.source.path.as_str(),
        format!(
            "the self-study adds up to {}, more than {}",
            total.label(),
            MAX_SELF_STUDY.label()
        ),
    )
    .with_help(format!(
        "the longest is resource {} (`{}`, {}); check its `duration:` for a typo: \
         a bare number means minutes, and `1:30` is 1 minute 30 seconds while `1:30:00` \
         is an hour and a half",
        longest.number,
        longest.title,
        longest.time.label()
    ));
    Some(sources.at_key(d, longest.at.duration))
}

fn workshop_time(pack: &Pack, sources: &Sources) -> Option<Diagnostic> {
    let time = pack.workshop.time;
    if time >= MIN_WORKSHOP {
        return None;
    }
    let d = Diagnostic::warning(
        Code::ShortWorkshop,
        pack.source.path.as_str(),
        format!(
            "the workshop lasts only {}, less than {}",
            time.label(),
            MIN_WORKSHOP.label()
        ),
    )
    .with_help(
        "`1:00` is one minute (m:ss); write `60m` or `1h` for an hour, or a number of minutes",
    );
    Some(sources.at_key(d, pack.workshop.duration_at))
}

fn resource_urls(pack: &Pack, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let urls: Vec<(usize, String)> = pack
        .self_study
        .iter()
        .enumerate()
        .filter(|(_, r)| r.target == ResourceTarget::Url)
        .map(|(i, r)| (i, r.location.clone()))
        .collect();
    let keys: Vec<String> = urls.iter().map(|(_, u)| url_key(u)).collect();
    for (dup, first) in duplicates(&keys) {
        let (i, first_i) = (urls[dup].0, urls[first].0);
        let d = Diagnostic::warning(
            Code::DuplicateUrl,
            pack.source.path.as_str(),
            format!(
                "resource {} (`{}`) has the same address as resource {} (`{}`)",
                i + 1,
                pack.self_study[i].title,
                first_i + 1,
                pack.self_study[first_i].title
            ),
        )
        .with_help("remove one, or point each resource at its own page");
        found.push(sources.at_key(d, pack.self_study[i].at.url));
    }
    found
}

/// `duplicate-pathway-pack`.
pub fn pathways(site: &Site, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for pathway in &site.pathways {
        let slugs: Vec<&str> = pathway.steps.iter().map(|s| s.pack.as_str()).collect();
        for (dup, first) in duplicates(&slugs) {
            let step = &pathway.steps[dup];
            let first_line = pathway.steps[first].at.line;
            let d = Diagnostic::warning(
                Code::DuplicatePathwayPack,
                pathway.source.path.as_str(),
                format!(
                    "the pathway lists the pack `{}` twice (first on line {first_line})",
                    step.pack
                ),
            )
            .with_help("remove one: a pack listed twice is counted twice in the pathway's credit");
            found.push(sources.at_key(d, step.at));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates() {
        type Case<'a> = (&'a [&'a str], &'a [(usize, usize)]);
        let cases: [Case<'_>; 4] = [
            (&[], &[]),
            (&["a", "b", "c"], &[]),
            (&["a", "b", "a"], &[(2, 0)]),
            (&["a", "a", "b", "a", "b"], &[(1, 0), (3, 0), (4, 2)]),
        ];
        for (items, expected) in cases {
            assert_eq!(duplicates(items), expected, "{items:?}");
        }
    }

    #[test]
    fn urls_compare_loosely() {
        let same = [
            ("https://example.org/a", "https://example.org/a/"),
            ("HTTPS://Example.org/a", "https://example.org/a"),
            (" https://example.org ", "https://example.org/"),
        ];
        for (a, b) in same {
            assert_eq!(url_key(a), url_key(b), "{a} {b}");
        }
        let different = [
            ("https://example.org/a", "https://example.org/A"),
            ("https://example.org/a", "http://example.org/b"),
            ("https://example.org/a?x=1", "https://example.org/a?x=2"),
        ];
        for (a, b) in different {
            assert_ne!(url_key(a), url_key(b), "{a} {b}");
        }
    }

    #[test]
    fn far_means_twice_or_half_and_ten_minutes_apart() {
        let m = Duration::from_minutes;
        let s = Duration::from_secs;
        // The demo's ELL reading: 20 min for 707 words, about 3 min.
        assert!(far_from(m(20), s(178)));
        assert!(far_from(m(5), m(30)));
        assert!(!far_from(m(25), m(15)), "less than twice");
        assert!(!far_from(m(4), m(1)), "four times, but 3 minutes apart");
        assert!(!far_from(m(20), m(20)));
        assert!(far_from(m(20), m(10)), "exactly twice and 10 minutes apart");
    }

    #[test]
    fn limits() {
        assert_eq!(MAX_SELF_STUDY, Duration::from_minutes(600));
        assert_eq!(MIN_WORKSHOP, Duration::from_minutes(15));
    }
}
