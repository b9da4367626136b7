//! `hours.csv` as the dev server keeps it: each row's line beside the
//! row, so that an edit writes the lines of the rows it changed and
//! copies the others, rather than formatting every figure of the site.

use crate::config::Sponsor;
use crate::hours::{to_spreadsheet_csv, HoursRow, PathwayRow, Sheet};

/// The rows of `hours.csv`, each with its line.
pub(super) struct HoursCsv {
    /// The header line, which every sheet starts with.
    header: String,
    sponsor: Option<Sponsor>,
    /// Sorted by slug, as the sheet is.
    packs: Vec<(HoursRow, String)>,
    pathways: Vec<(PathwayRow, String)>,
}

impl HoursCsv {
    pub(super) fn new(sheet: Sheet) -> Self {
        let header = to_spreadsheet_csv(&Sheet {
            packs: Vec::new(),
            pathways: Vec::new(),
            sponsor: sheet.sponsor.clone(),
        });
        let mut csv = HoursCsv {
            header,
            sponsor: sheet.sponsor,
            packs: Vec::new(),
            pathways: Vec::new(),
        };
        csv.packs = sheet
            .packs
            .into_iter()
            .map(|row| {
                let line = csv.line(vec![row.clone()], Vec::new());
                (row, line)
            })
            .collect();
        csv.pathways = sheet
            .pathways
            .into_iter()
            .map(|row| {
                let line = csv.line(Vec::new(), vec![row.clone()]);
                (row, line)
            })
            .collect();
        csv
    }

    /// The line of a sheet of one row: the sheet without its header,
    /// since the csv writer quotes each record on its own.
    fn line(&self, packs: Vec<HoursRow>, pathways: Vec<PathwayRow>) -> String {
        let mut text = to_spreadsheet_csv(&Sheet {
            packs,
            pathways,
            sponsor: self.sponsor.clone(),
        });
        text.split_off(self.header.len().min(text.len()))
    }

    /// Puts `row` in place of the pack row of its slug (or adds it), and
    /// says whether that changed anything.
    pub(super) fn replace_pack(&mut self, row: HoursRow) -> bool {
        let line = |row: &HoursRow| self.line(vec![row.clone()], Vec::new());
        let Some((at, line)) = changed_at(&self.packs, &row, |r| &r.slug, line) else {
            return false;
        };
        put(&mut self.packs, at, (row, line));
        true
    }

    /// Puts `row` in place of the pathway row of its slug (or adds it),
    /// and says whether that changed anything.
    pub(super) fn replace_pathway(&mut self, row: PathwayRow) -> bool {
        let line = |row: &PathwayRow| self.line(Vec::new(), vec![row.clone()]);
        let Some((at, line)) = changed_at(&self.pathways, &row, |r| &r.slug, line) else {
            return false;
        };
        put(&mut self.pathways, at, (row, line));
        true
    }

    /// The whole file.
    pub(super) fn text(&self) -> String {
        let lines = || {
            let packs = self.packs.iter().map(|(_, line)| line.as_str());
            packs.chain(self.pathways.iter().map(|(_, line)| line.as_str()))
        };
        let mut text =
            String::with_capacity(self.header.len() + lines().map(str::len).sum::<usize>());
        text.push_str(&self.header);
        lines().for_each(|line| text.push_str(line));
        text
    }
}

/// Where `row` goes among `rows` (sorted by slug) and its line, or None
/// if the row there is the same.
fn changed_at<R: PartialEq>(
    rows: &[(R, String)],
    row: &R,
    slug: impl Fn(&R) -> &String,
    line: impl FnOnce(&R) -> String,
) -> Option<(Result<usize, usize>, String)> {
    let at = rows.binary_search_by(|(r, _)| slug(r).cmp(slug(row)));
    match at {
        Ok(i) if rows[i].0 == *row => None,
        _ => Some((at, line(row))),
    }
}

/// Replaces the row at `Ok(i)` or inserts it at `Err(i)`.
fn put<R>(rows: &mut Vec<R>, at: Result<usize, usize>, row: R) {
    match at {
        Ok(i) => rows[i] = row,
        Err(i) => rows.insert(i, row),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Format;

    fn pack(slug: &str, title: &str) -> HoursRow {
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
            session_dates: vec!["2026-09-15".into()],
        }
    }

    fn pathway(slug: &str, credit: &str) -> PathwayRow {
        PathwayRow {
            slug: slug.into(),
            title: "RTI, \"in\" steps".into(),
            credit: credit.into(),
            ceu: None,
            dates: Vec::new(),
        }
    }

    fn sheet(packs: Vec<HoursRow>, pathways: Vec<PathwayRow>) -> Sheet {
        Sheet {
            packs,
            pathways,
            sponsor: None,
        }
    }

    #[test]
    fn the_lines_make_the_file_a_whole_sheet_makes() {
        let whole = sheet(
            vec![
                pack("a", "Plain"),
                pack("b", "Commas, \"quotes\"\nand lines"),
            ],
            vec![pathway("rti", "8\u{2013}9.25")],
        );
        let expected = to_spreadsheet_csv(&whole);
        assert_eq!(HoursCsv::new(whole).text(), expected);
    }

    #[test]
    fn a_changed_row_changes_its_line_and_no_other() {
        let mut csv = HoursCsv::new(sheet(
            vec![pack("a", "Plain"), pack("c", "Third")],
            vec![pathway("rti", "8")],
        ));
        assert!(!csv.replace_pack(pack("a", "Plain")));
        assert!(csv.replace_pack(pack("a", "Retitled, with a comma")));
        assert!(csv.replace_pack(pack("b", "New")));
        assert!(csv.replace_pathway(pathway("rti", "9")));
        let expected = to_spreadsheet_csv(&sheet(
            vec![
                pack("a", "Retitled, with a comma"),
                pack("b", "New"),
                pack("c", "Third"),
            ],
            vec![pathway("rti", "9")],
        ));
        assert_eq!(csv.text(), expected);
    }
}
