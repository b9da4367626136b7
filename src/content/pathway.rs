//! Pathways: ordered series of packs, checked against the packs that exist.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::discover::is_slug;
use super::frontmatter::from_yaml_all;
use super::locate::Step;
use super::model::*;
use super::raw::{self, RawPathway};
use super::schedule::{self, StepKind};
use super::source::{
    broken_links, non_empty, parts, read_source, removed_html, render_body, Problems, Source,
};
use crate::config::Config;
use crate::credit::{credit_range, CreditHours, Duration, Part, MAX_TOTAL};
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

/// The pathway of `parsed`, its steps checked against `known`: every
/// pack that will be published, known before any pack is loaded in full,
/// so that each pack's pages can name its pathways as soon as the pack is
/// loaded. Its totals are zero until [`add_totals`] has the packs.
pub(super) fn build_pathway(
    parsed: &ParsedPathway,
    known: &Known<'_>,
    url_of: &(dyn Fn(&str) -> Option<String> + Sync),
    config: &Config,
) -> (Option<Pathway>, Vec<Diagnostic>) {
    use Step::{Index, Key};
    let html = HtmlPolicy::of(config);
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
    let mut plan = Vec::new();
    // Indexed on the first step: a pathway may list thousands of packs.
    let lines = std::cell::OnceCell::new();
    for (i, step) in parsed.raw.packs.iter().enumerate() {
        match schedule::step_kind(step, i, &mut problems) {
            Some(StepKind::Pack(slug)) => {
                let at = [Key("packs"), Index(i), Key("pack")];
                if let Some(found) = known.step(slug, &at, step, &mut problems, source, &lines) {
                    plan.push(PlanStep::Pack(found.pack.clone()));
                    steps.push(found);
                }
            }
            Some(StepKind::Choice(slugs)) => {
                let mut options = Vec::new();
                for (j, slug) in slugs.iter().enumerate() {
                    let at = [Key("packs"), Index(i), Key("choose"), Index(j)];
                    if let Some(mut found) =
                        known.step(slug, &at, step, &mut problems, source, &lines)
                    {
                        found.at = problems.locator.position(&at).into();
                        options.push(found.pack.clone());
                        steps.push(found);
                    }
                }
                plan.push(PlanStep::Choice {
                    packs: options,
                    when: step.when.clone(),
                });
            }
            Some(StepKind::Event(name)) => {
                if let Some(event) = schedule::event(step, name, i, config, &mut problems) {
                    plan.push(PlanStep::Event(event));
                }
            }
            None => {}
        }
    }
    if problems.found.iter().any(Diagnostic::is_error) {
        return (None, problems.found);
    }
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
        plan,
        credit: CreditHours::default(),
        credit_high: CreditHours::default(),
        self_study: Duration::ZERO,
        links: body.links,
        headings: body.headings,
    };
    (Some(pathway), problems.found)
}

/// Sums the credit and self-study time of `pathway` (built from `parsed`)
/// over its packs, now loaded: `too-long` when they add up to more than
/// [`MAX_TOTAL`].
pub(super) fn add_totals(
    pathway: &mut Pathway,
    parsed: &ParsedPathway,
    by_slug: &PacksBySlug<'_>,
) -> Option<Diagnostic> {
    if let Some(t) = totals(&pathway.plan, by_slug) {
        pathway.credit = t.credit;
        pathway.credit_high = t.credit_high;
        pathway.self_study = t.self_study;
        return None;
    }
    let source = &parsed.source;
    let p = parts(source).ok()?;
    let mut problems = Problems::new(source, &p);
    problems.error(
        Code::TooLong,
        &[Step::Key("packs")],
        format!(
            "the packs of this pathway add up to more than {} hours",
            MAX_TOTAL.hours_text()
        ),
        Some("a pathway is a series of packs for a year or two; split it".into()),
    );
    problems.found.pop()
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

/// A pathway's credit and self-study time.
struct Totals {
    credit: CreditHours,
    credit_high: CreditHours,
    self_study: Duration,
}

/// The sums over a pathway's steps: each choice counts its lowest option
/// in `credit` and `self_study`, its highest in `credit_high`; credited
/// events count their hours. `None` when the credited time of every pack
/// named adds up to more than [`MAX_TOTAL`].
fn totals(plan: &[PlanStep], by_slug: &PacksBySlug<'_>) -> Option<Totals> {
    let pack = |slug: &String| by_slug.get(slug.as_str()).copied();
    let every_pack = plan.iter().flat_map(|step| match step {
        PlanStep::Pack(slug) => std::slice::from_ref(slug),
        PlanStep::Choice { packs, .. } => packs.as_slice(),
        PlanStep::Event(_) => &[],
    });
    let total = Duration::checked_sum(every_pack.filter_map(pack).map(|pk| pk.credit.total))?;
    if total > MAX_TOTAL {
        return None;
    }
    let mut parts = Vec::new();
    let mut self_study = Duration::ZERO;
    for step in plan {
        match step {
            PlanStep::Pack(slug) => {
                if let Some(pk) = pack(slug) {
                    parts.push(Part::Fixed(pk.credit.credit_hours));
                    self_study = self_study.checked_add(pk.credit.times.self_study)?;
                }
            }
            PlanStep::Choice { packs, .. } => {
                let options: Vec<&Pack> = packs.iter().filter_map(pack).collect();
                parts.push(Part::OneOf(
                    options.iter().map(|pk| pk.credit.credit_hours).collect(),
                ));
                let least = options.iter().map(|pk| pk.credit.times.self_study).min();
                self_study = self_study.checked_add(least.unwrap_or_default())?;
            }
            PlanStep::Event(event) => parts.push(Part::Fixed(event.credit)),
        }
    }
    let (credit, credit_high) = credit_range(&parts)?;
    Some(Totals {
        credit,
        credit_high,
        self_study,
    })
}

/// Sums a pathway's totals again after one of its packs changed; `false`
/// when they are now too large, which only a whole load reports.
pub(super) fn refresh_totals(pathway: &mut Pathway, packs: &[Pack]) -> bool {
    let Some(t) = totals(&pathway.plan, &packs_by_slug(packs)) else {
        return false;
    };
    pathway.credit = t.credit;
    pathway.credit_high = t.credit_high;
    pathway.self_study = t.self_study;
    true
}

/// What a pathway's steps are checked against: the packs found
/// published when every pack's front matter was read.
pub(super) struct Known<'a> {
    /// Their slugs, in the order found, for suggestions.
    pub published: Vec<&'a str>,
    pub is_published: HashSet<&'a str>,
    /// The packs whose front matter could not be read: their own errors
    /// say why.
    pub failed: &'a [String],
    pub drafts_left_out: &'a [String],
}

impl Known<'_> {
    /// The step of the pack `slug`, or its problem: `draft-in-pathway`
    /// (a warning) or `unknown-pack`.
    fn step(
        &self,
        slug: &str,
        at: &[Step<'_>],
        raw: &raw::RawPathwayStep,
        problems: &mut Problems<'_>,
        source: &Source,
        lines: &std::cell::OnceCell<Lines>,
    ) -> Option<PathwayStep> {
        let owned = slug.to_string();
        if self.is_published.contains(slug) {
            return Some(PathwayStep {
                pack: owned,
                when: raw.when.clone(),
                at: step_position(source, lines, problems.locator.line(at)),
            });
        }
        if self.failed.contains(&owned) {
            // The pack exists but failed to load: its own errors say why.
        } else if self.drafts_left_out.contains(&owned) {
            problems.warn(
                Code::DraftInPathway,
                at,
                format!("the pack `{slug}` is a draft, so this pathway leaves it out"),
                Some(
                    "publish the pack (remove `draft: true`), or build with --drafts to preview it"
                        .into(),
                ),
            );
        } else {
            let known = self
                .published
                .iter()
                .copied()
                .chain(self.failed.iter().map(String::as_str));
            let help = did_you_mean(slug, known)
                .map(|b| format!("did you mean `{b}`?"))
                .unwrap_or_else(|| {
                    "name a folder of content/packs (drafts count only with --drafts)".into()
                });
            problems.error(
                Code::UnknownPack,
                at,
                format!("there is no pack `{slug}`"),
                Some(help),
            );
        }
        None
    }
}
