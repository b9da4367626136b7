//! Pathways: ordered series of packs, checked against the packs that exist.

use std::collections::HashMap;
use std::path::Path;

use super::discover::is_slug;
use super::frontmatter::from_yaml_all;
use super::locate::Step;
use super::model::*;
use super::raw::{self, RawPathway};
use super::source::{
    broken_links, non_empty, parts, read_source, removed_html, render_body, Problems, Source,
};
use crate::credit::{CreditHours, Duration, MAX_TOTAL};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Lines};
use crate::markdown::HtmlPolicy;
use crate::slug::slugify;

pub(super) struct ParsedPathway {
    pub source: Source,
    pub raw: RawPathway,
}

pub(super) fn parse_pathway(root: &Path, path: &Path) -> Result<ParsedPathway, Vec<Diagnostic>> {
    let source = read_source(root, path).map_err(|d| vec![d])?;
    let name = source
        .content_rel
        .trim_start_matches("pathways/")
        .trim_end_matches(".md")
        .to_string();
    if !is_slug(&name) {
        return Err(vec![Diagnostic::error(
            Code::BadSlug,
            source.shown.clone(),
            format!("`{name}` is not a valid pathway file name"),
        )
        .with_help(format!(
            "use lower-case letters, digits and single hyphens, e.g. `{}.md`",
            slugify(&name)
        ))]);
    }
    let p = parts(&source).map_err(|d| vec![d])?;
    if !p.has_front_matter {
        return Err(vec![Diagnostic::error(
            Code::FrontMatter,
            source.shown.clone(),
            "this pathway has no front matter",
        )
        .with_help("start the file with `---`, then `title:` and `packs:`, then `---`")
        .at(&source.text, 1, 1)]);
    }
    let raw: RawPathway = from_yaml_all(
        p.yaml,
        &source.shown,
        &source.text,
        p.yaml_line,
        &raw::PATHWAY,
    )?;
    Ok(ParsedPathway { source, raw })
}

/// Packs by slug, so that pathways find theirs without a scan of every
/// pack for every step.
pub(super) type PacksBySlug<'a> = HashMap<&'a str, &'a Pack>;

pub(super) fn packs_by_slug(packs: &[Pack]) -> PacksBySlug<'_> {
    packs.iter().map(|p| (p.slug.as_str(), p)).collect()
}

/// `packs` lists every published pack, for suggestions; `by_slug` is the
/// same packs by slug.
pub(super) fn build_pathway(
    parsed: &ParsedPathway,
    packs: &[Pack],
    by_slug: &PacksBySlug<'_>,
    failed: &[String],
    drafts_left_out: &[String],
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    html: HtmlPolicy<'_>,
) -> (Option<Pathway>, Vec<Diagnostic>) {
    use Step::{Index, Key};
    let source = &parsed.source;
    let Ok(p) = parts(source) else {
        return (None, Vec::new());
    };
    let mut problems = Problems::new(source, &p);
    let slug = source
        .content_rel
        .trim_start_matches("pathways/")
        .trim_end_matches(".md")
        .to_string();
    let body = render_body(source, &p, url_of, html);
    problems.found.extend(broken_links(source, &body));
    problems.found.extend(removed_html(source, &body.removed));
    non_empty(
        &mut problems,
        &[Key("title")],
        &parsed.raw.title,
        "title",
        "pathway",
    );
    if parsed.raw.packs.is_empty() {
        problems.error(
            Code::EmptyPathway,
            &[Key("packs")],
            "this pathway lists no packs".into(),
            Some("add `- pack: <slug>` entries".into()),
        );
    }
    let mut steps = Vec::new();
    // Indexed on the first step: a pathway may list thousands of packs.
    let lines = std::cell::OnceCell::new();
    for (i, step) in parsed.raw.packs.iter().enumerate() {
        let at = [Key("packs"), Index(i), Key("pack")];
        if by_slug.contains_key(step.pack.as_str()) {
            steps.push(PathwayStep {
                pack: step.pack.clone(),
                when: step.when.clone(),
                at: step_position(source, &lines, problems.locator.line(&at)),
            });
        } else if failed.contains(&step.pack) {
            // The pack exists but failed to load: its own errors say why.
        } else if drafts_left_out.contains(&step.pack) {
            problems.warn(
                Code::DraftInPathway,
                &at,
                format!(
                    "the pack `{}` is a draft, so this pathway leaves it out",
                    step.pack
                ),
                Some(
                    "publish the pack (remove `draft: true`), or build with --drafts to preview it"
                        .into(),
                ),
            );
        } else {
            let known = packs
                .iter()
                .map(|pk| pk.slug.as_str())
                .chain(failed.iter().map(String::as_str));
            let help = did_you_mean(&step.pack, known)
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| {
                    "name a folder of content/packs (drafts count only with --drafts)".into()
                });
            problems.error(
                Code::UnknownPack,
                &at,
                format!("there is no pack `{}`", step.pack),
                Some(help),
            );
        }
    }
    if problems.found.iter().any(Diagnostic::is_error) {
        return (None, problems.found);
    }
    let Some((credit, self_study)) = totals(&steps, by_slug) else {
        problems.error(
            Code::TooLong,
            &[Step::Key("packs")],
            format!(
                "the packs of this pathway add up to more than {} hours",
                MAX_TOTAL.hours_text()
            ),
            Some("a pathway is a series of packs for a year or two; split it".into()),
        );
        return (None, problems.found);
    };
    let pathway = Pathway {
        url: crate::layout::pathway(&slug),
        slug,
        source: source.file(),
        title: parsed.raw.title.trim().to_string(),
        summary: parsed.raw.summary.clone(),
        draft: parsed.raw.draft,
        weight: parsed.raw.weight,
        html: body.html,
        steps,
        credit,
        self_study,
        links: body.links,
        headings: body.headings,
    };
    (Some(pathway), problems.found)
}

/// Where a step's `pack:` is written: on the line the locator found, at
/// the column where `pack:` starts there (0 if it is not on that line).
fn step_position(source: &Source, lines: &std::cell::OnceCell<Lines>, line: usize) -> Position {
    let text = &source.text;
    let column = lines
        .get_or_init(|| Lines::of(text))
        .get(text, line)
        .and_then(|l| l.find("pack:"))
        .map_or(0, |c| c + 1);
    Position { line, column }
}

/// A pathway's credit hours and self-study time: the sums over its packs;
/// `None` when their credited time adds up to more than [`MAX_TOTAL`].
fn totals(steps: &[PathwayStep], by_slug: &PacksBySlug<'_>) -> Option<(CreditHours, Duration)> {
    let step_packs: Vec<&Pack> = steps
        .iter()
        .filter_map(|s| by_slug.get(s.pack.as_str()).copied())
        .collect();
    let total = Duration::checked_sum(step_packs.iter().map(|pk| pk.credit.total))?;
    if total > MAX_TOTAL {
        return None;
    }
    let credit = CreditHours::checked_sum(step_packs.iter().map(|pk| pk.credit.credit_hours))?;
    let self_study = Duration::checked_sum(step_packs.iter().map(|pk| pk.credit.times.self_study))?;
    Some((credit, self_study))
}

/// Sums a pathway's totals again after one of its packs changed; `false`
/// when they are now too large, which only a whole load reports.
pub(super) fn refresh_totals(pathway: &mut Pathway, packs: &[Pack]) -> bool {
    let Some((credit, self_study)) = totals(&pathway.steps, &packs_by_slug(packs)) else {
        return false;
    };
    pathway.credit = credit;
    pathway.self_study = self_study;
    true
}
