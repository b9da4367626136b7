//! The credit-hour table of a site: one row per pack, shared by the
//! `flippack hours` command and the `hours.csv` a build publishes.
//!
//! It reads the content model and nothing above it, so that the renderer
//! can publish the same figures the command prints without depending on
//! the command.
//!
//! The JSON form is a contract other tools read: an array sorted by slug,
//! with exactly the keys of [`HoursRow`]. Minutes are exact, not rounded.

use serde::Serialize;

use crate::content::{Pack, Site};

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
}

impl HoursRow {
    fn new(pack: &Pack) -> Self {
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
        }
    }
}

/// The rows of every pack, sorted by slug.
pub fn hours_rows(site: &Site) -> Vec<HoursRow> {
    let mut rows: Vec<HoursRow> = site.packs.iter().map(HoursRow::new).collect();
    rows.sort_by(|a, b| a.slug.cmp(&b.slug));
    rows
}

/// The report as JSON.
pub fn to_json(rows: &[HoursRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// The report as CSV with a header row; quoting handled by the csv crate.
pub fn to_csv(rows: &[HoursRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Serializing plain numbers and strings into memory cannot fail.
        let _ = writer.serialize(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The `hours.csv` a build publishes beside the site, for a PD office's
/// spreadsheet or records system: one row per pack, with headers a person
/// reads. Minutes keep up to two decimals; credit hours are as rounded by
/// the site's rules. Titles with commas or quotes are quoted as RFC 4180
/// says, by the csv crate.
pub fn to_spreadsheet_csv(rows: &[HoursRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "Slug",
        "Title",
        "Self-study minutes",
        "Workshop minutes",
        "Application minutes",
        "Credit hours",
        "Credit hours with optional resources",
    ]);
    for r in rows {
        // Writing strings into memory cannot fail.
        let _ = writer.write_record([
            r.slug.clone(),
            r.title.clone(),
            number(r.self_study_minutes),
            number(r.workshop_minutes),
            number(r.application_minutes),
            number(r.credit_hours),
            number(r.credit_hours_with_optional),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
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
        }
    }

    #[test]
    fn spreadsheet_csv_has_readable_headers_and_quotes_titles() {
        let csv = to_spreadsheet_csv(&[
            row("a", "Plain title"),
            row("b", "Time, tasks and \"batching\""),
        ]);
        let expected = "\
Slug,Title,Self-study minutes,Workshop minutes,Application minutes,Credit hours,Credit hours with optional resources
a,Plain title,62.18,60,0,2,2.25
b,\"Time, tasks and \"\"batching\"\"\",62.18,60,0,2,2.25
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
