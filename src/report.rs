//! `flippack hours`: every pack's credit breakdown as a table, CSV or JSON.
//!
//! The rows and their CSV and JSON forms are in [`crate::hours`], which the
//! build's `hours.csv` shares; this module adds the table for people.

pub use crate::hours::{hours_rows, to_csv, to_json, to_spreadsheet_csv, HoursRow};

/// The report as an aligned plain-text table, with a total line.
pub fn to_table(rows: &[HoursRow]) -> String {
    let minutes = |m: f64| crate::credit::trimmed(m, 1);
    let header = [
        "Pack",
        "Self-study",
        "Optional",
        "Workshop",
        "Application",
        "Total",
        "Credit",
        "With optional",
    ];
    let mut lines: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            [
                r.slug.clone(),
                minutes(r.self_study_minutes),
                minutes(r.optional_minutes),
                minutes(r.workshop_minutes),
                minutes(r.application_minutes),
                minutes(r.total_minutes),
                format!("{}", r.credit_hours),
                format!("{}", r.credit_hours_with_optional),
            ]
        })
        .collect();
    lines.insert(0, header.map(String::from));
    let widths: Vec<usize> = (0..8)
        .map(|i| {
            lines
                .iter()
                .map(|l| l[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        for (i, cell) in line.iter().enumerate() {
            let pad = widths[i] - cell.chars().count();
            if i == 0 {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            } else {
                out.push_str("  ");
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            }
        }
        out.push('\n');
        if n == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * 7));
            out.push('\n');
        }
    }
    out.push_str("Minutes are exact; credit hours follow site.yaml's credit rules.\n");
    out
}
