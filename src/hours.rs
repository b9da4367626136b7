//! The credit-hour table of a site: one row per pack, shared by the
//! `flippack hours` command and the `hours.csv` a build publishes.
//!
//! It reads the content model and nothing above it, so that the renderer
//! can publish the same figures the command prints without depending on
//! the command.
//!
//! The JSON form is a contract other tools read: an array sorted by slug,
//! with exactly the keys of [`HoursRow`] (`ceu` only when site.yaml asks
//! for CEUs). Minutes are exact, not rounded.

use serde::Serialize;

use crate::config::{Config, Sponsor};
use crate::content::{Format, Pack, Pathway, PlanStep, Site};

/// One pack's line of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoursRow {
    pub slug: String,
    pub title: String,
    pub self_study_minutes: f64,
    pub optional_minutes: f64,
    pub workshop_minutes: f64,
    pub application_minutes: f64,
    pub total_minutes: f64,
    pub credit_hours: f64,
    pub credit_hours_with_optional: f64,
    /// The site's categories the pack's hours count toward.
    pub categories: Vec<String>,
    /// The credit hours as CEUs, when site.yaml's `credit.ceu` is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ceu: Option<f64>,
    /// The workshop's format, for `hours.csv`.
    #[serde(skip)]
    pub format: Format,
    /// The workshop's session dates, for `hours.csv`.
    #[serde(skip)]
    pub session_dates: Vec<String>,
}

impl HoursRow {
    pub fn new(pack: &Pack, config: &Config) -> Self {
        let c = &pack.credit;
        HoursRow {
            slug: pack.slug.clone(),
            title: pack.title.clone(),
            self_study_minutes: c.times.self_study.as_minutes_f64(),
            optional_minutes: c.times.optional.as_minutes_f64(),
            workshop_minutes: c.times.workshop.as_minutes_f64(),
            application_minutes: c.times.application.as_minutes_f64(),
            total_minutes: c.total.as_minutes_f64(),
            credit_hours: c.credit_hours.as_f64(),
            credit_hours_with_optional: c.credit_hours_with_optional.as_f64(),
            categories: pack.record.categories.clone(),
            ceu: config
                .ceu
                .then(|| config.credit.ceu(c.credit_hours).as_f64()),
            format: pack.workshop.format,
            session_dates: pack
                .workshop
                .sessions
                .iter()
                .map(|s| s.slot.date.to_string())
                .collect(),
        }
    }
}

/// The rows of every pack, sorted by slug.
pub fn hours_rows(site: &Site) -> Vec<HoursRow> {
    let mut rows: Vec<HoursRow> = site
        .packs
        .iter()
        .map(|p| HoursRow::new(p, &site.config))
        .collect();
    rows.sort_by(|a, b| a.slug.cmp(&b.slug));
    rows
}

/// One pathway's line of `hours.csv`: its credit, a range when it has a
/// choice of packs.
#[derive(Debug, Clone, PartialEq)]
pub struct PathwayRow {
    pub slug: String,
    pub title: String,
    pub credit: String,
    pub ceu: Option<String>,
    /// Its credited events' dates and its packs' session dates.
    pub dates: Vec<String>,
}

impl PathwayRow {
    pub fn new(pathway: &Pathway, site: &Site) -> Self {
        let config = &site.config;
        let range = |low: String, high: String| {
            if low == high {
                low
            } else {
                format!("{low}\u{2013}{high}")
            }
        };
        let rules = &config.credit;
        let mut dates = Vec::new();
        for step in &pathway.plan {
            match step {
                PlanStep::Event(e) => dates.push(e.slot.date.to_string()),
                PlanStep::Pack(slug) => dates.extend(session_dates(site, slug)),
                PlanStep::Choice { packs, .. } => {
                    for slug in packs {
                        dates.extend(session_dates(site, slug));
                    }
                }
            }
        }
        dates.sort();
        dates.dedup();
        PathwayRow {
            slug: pathway.slug.clone(),
            title: pathway.title.clone(),
            credit: range(pathway.credit.to_string(), pathway.credit_high.to_string()),
            ceu: config.ceu.then(|| {
                range(
                    rules.ceu(pathway.credit).to_string(),
                    rules.ceu(pathway.credit_high).to_string(),
                )
            }),
            dates,
        }
    }
}

fn session_dates(site: &Site, slug: &str) -> Vec<String> {
    site.pack(slug)
        .map(|p| {
            p.workshop
                .sessions
                .iter()
                .map(|s| s.slot.date.to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Everything `hours.csv` holds: the packs' rows, the pathways' and the
/// sponsor printed on each.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub packs: Vec<HoursRow>,
    pub pathways: Vec<PathwayRow>,
    pub sponsor: Option<Sponsor>,
}

/// The sheet of `site`: packs sorted by slug, then pathways by slug.
pub fn hours_sheet(site: &Site) -> Sheet {
    let mut pathways: Vec<PathwayRow> = site
        .pathways
        .iter()
        .map(|p| PathwayRow::new(p, site))
        .collect();
    pathways.sort_by(|a, b| a.slug.cmp(&b.slug));
    Sheet {
        packs: hours_rows(site),
        pathways,
        sponsor: site.config.sponsor.clone(),
    }
}

/// The report as JSON.
pub fn to_json(rows: &[HoursRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// The report as CSV with a header row, the nine figures of each pack;
/// quoting handled by the csv crate.
pub fn to_csv(rows: &[HoursRow]) -> String {
    #[derive(Serialize)]
    struct Figures<'a> {
        slug: &'a str,
        title: &'a str,
        self_study_minutes: f64,
        optional_minutes: f64,
        workshop_minutes: f64,
        application_minutes: f64,
        total_minutes: f64,
        credit_hours: f64,
        credit_hours_with_optional: f64,
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Serializing plain numbers and strings into memory cannot fail.
        let _ = writer.serialize(Figures {
            slug: &r.slug,
            title: &r.title,
            self_study_minutes: r.self_study_minutes,
            optional_minutes: r.optional_minutes,
            workshop_minutes: r.workshop_minutes,
            application_minutes: r.application_minutes,
            total_minutes: r.total_minutes,
            credit_hours: r.credit_hours,
            credit_hours_with_optional: r.credit_hours_with_optional,
        });
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The `hours.csv` a build publishes beside the site, for a PD office's
/// spreadsheet or records system: one row per pack, then one per
/// pathway, with headers a person reads. Minutes keep up to two decimals;
/// credit hours are as rounded by the site's rules, a pathway's as a range
/// ("8–9.25") when it has a choice of packs. The record columns (kind,
/// categories, CEUs, format, session dates, sponsor) come after the
/// figures, so a spreadsheet that reads the first seven columns reads
/// them as before. Titles with commas or quotes are quoted as RFC 4180
/// says, by the csv crate.
pub fn to_spreadsheet_csv(sheet: &Sheet) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "Slug",
        "Title",
        "Self-study minutes",
        "Workshop minutes",
        "Application minutes",
        "Credit hours",
        "Credit hours with optional resources",
        "Kind",
        "Categories",
        "CEUs",
        "Format",
        "Session dates",
        "Sponsor",
        "Sponsor number",
    ]);
    let (sponsor, number_of) = match &sheet.sponsor {
        Some(s) => (s.name.clone(), s.number.clone().unwrap_or_default()),
        None => (String::new(), String::new()),
    };
    for r in &sheet.packs {
        // Writing strings into memory cannot fail.
        let _ = writer.write_record([
            r.slug.clone(),
            r.title.clone(),
            number(r.self_study_minutes),
            number(r.workshop_minutes),
            number(r.application_minutes),
            number(r.credit_hours),
            number(r.credit_hours_with_optional),
            "pack".into(),
            r.categories.join("; "),
            r.ceu
                .map(|c| crate::credit::trimmed(c, 1))
                .unwrap_or_default(),
            format_name(r.format).into(),
            r.session_dates.join("; "),
            sponsor.clone(),
            number_of.clone(),
        ]);
    }
    for p in &sheet.pathways {
        let _ = writer.write_record([
            p.slug.clone(),
            p.title.clone(),
            String::new(),
            String::new(),
            String::new(),
            p.credit.clone(),
            String::new(),
            "pathway".into(),
            String::new(),
            p.ceu.clone().unwrap_or_default(),
            String::new(),
            p.dates.join("; "),
            sponsor.clone(),
            number_of.clone(),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The format as front matter spells it.
fn format_name(format: Format) -> &'static str {
    match format {
        Format::InPerson => "in-person",
        Format::Online => "online",
        Format::Hybrid => "hybrid",
    }
}

/// `62.18`, `60`, `2.25`: at most two decimals, no trailing zeros, so a
/// spreadsheet reads the cell as a number.
fn number(value: f64) -> String {
    crate::credit::trimmed(value, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(slug: &str, title: &str) -> HoursRow {
        HoursRow {
            slug: slug.into(),
            title: title.into(),
            self_study_minutes: 62.184_873,
            optional_minutes: 20.0,
            workshop_minutes: 60.0,
            application_minutes: 0.0,
            total_minutes: 122.184_873,
            credit_hours: 2.0,
            credit_hours_with_optional: 2.25,
            categories: vec!["Literacy".into()],
            ceu: Some(0.2),
            format: Format::Online,
            session_dates: vec!["2026-09-15".into(), "2026-09-22".into()],
        }
    }

    #[test]
    fn spreadsheet_csv_has_readable_headers_and_quotes_titles() {
        let csv = to_spreadsheet_csv(&Sheet {
            packs: vec![
                row("a", "Plain title"),
                row("b", "Time, tasks and \"batching\""),
            ],
            pathways: vec![PathwayRow {
                slug: "rti".into(),
                title: "RTI roll-out".into(),
                credit: "8\u{2013}9.25".into(),
                ceu: Some("0.8\u{2013}0.9".into()),
                dates: vec!["2026-08-24".into()],
            }],
            sponsor: Some(Sponsor {
                name: "Riverside USD".into(),
                number: Some("0123".into()),
            }),
        });
        let expected = "\
Slug,Title,Self-study minutes,Workshop minutes,Application minutes,Credit hours,Credit hours with optional resources,Kind,Categories,CEUs,Format,Session dates,Sponsor,Sponsor number
a,Plain title,62.18,60,0,2,2.25,pack,Literacy,0.2,online,2026-09-15; 2026-09-22,Riverside USD,0123
b,\"Time, tasks and \"\"batching\"\"\",62.18,60,0,2,2.25,pack,Literacy,0.2,online,2026-09-15; 2026-09-22,Riverside USD,0123
rti,RTI roll-out,,,,8\u{2013}9.25,,pathway,,0.8\u{2013}0.9,,2026-08-24,Riverside USD,0123
";
        assert_eq!(csv, expected);
    }

    #[test]
    fn numbers_for_spreadsheets() {
        let cases = [
            (60.0, "60"),
            (62.184_873, "62.18"),
            (2.5, "2.5"),
            (0.0, "0"),
            (7.005, "7"),
        ];
        for (value, text) in cases {
            assert_eq!(number(value), text, "{value}");
        }
    }
}
