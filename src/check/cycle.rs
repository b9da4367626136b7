//! Suggestions about the flipped cycle: a pack that gives teachers a lot
//! to study and no way to check what they retained, and a plan that never
//! asks about students.
//!
//! | code | finding |
//! | --- | --- |
//! | `no-self-check` | more than 30 minutes of self-study and no `self_check` |
//! | `plan-without-impact` | a `plan` none of whose prompts asks about impact on students |
//!
//! Both are `info`: good practice, not mistakes, so `--strict` lets them
//! through.

use super::Sources;
use crate::content::{Pack, Site};
use crate::credit::Duration;
use crate::diagnostic::{Code, Diagnostic};

/// Self-study longer than this deserves a few questions at the end.
pub const SELF_CHECK_AFTER: Duration = Duration::from_minutes(30);

/// The starts of the words that make a prompt about impact on students:
/// "impact", "measure", "students", "learners", "evidence", "outcomes".
pub const IMPACT_WORDS: &[&str] = &[
    "impact", "measur", "student", "learner", "evidence", "outcome",
];

/// `no-self-check` and `plan-without-impact` for every pack.
pub fn packs(site: &Site, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for pack in &site.packs {
        found.extend(no_self_check(pack, sources));
        found.extend(plan_without_impact(pack, sources));
    }
    found
}

fn no_self_check(pack: &Pack, sources: &Sources) -> Option<Diagnostic> {
    let time = pack.credit.times.self_study;
    if pack.self_check.is_some() || time <= SELF_CHECK_AFTER {
        return None;
    }
    let d = Diagnostic::info(
        Code::NoSelfCheck,
        pack.source.path.as_str(),
        format!(
            "the self-study takes {} and the pack has no `self_check`",
            time.label()
        ),
    )
    .with_help(
        "add a few `self_check:` questions about the resources, so teachers can see what they retained",
    );
    Some(sources.at(d, key_line(&pack.source.text, "self_study"), 1))
}

fn plan_without_impact(pack: &Pack, sources: &Sources) -> Option<Diagnostic> {
    let plan = pack.plan.as_ref()?;
    if plan.prompts.iter().any(|p| asks_about_impact(p)) {
        return None;
    }
    let d = Diagnostic::info(
        Code::PlanWithoutImpact,
        pack.source.path.as_str(),
        "no prompt of the plan asks how its impact on students will be measured",
    )
    .with_help(
        "add a prompt such as \"How will you measure the impact on your students?\", \
         or use `plan: true` for the standard prompts",
    );
    Some(sources.at_key(d, plan.at))
}

/// Whether a prompt (HTML) has a word that starts like one of
/// [`IMPACT_WORDS`], in any case.
pub fn asks_about_impact(html: &str) -> bool {
    text_of(html)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| IMPACT_WORDS.iter().any(|stem| word.starts_with(stem)))
}

/// The text of inline HTML, without its tags.
fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The line of a top-level front matter key, or 0 when it is not found.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::STANDARD_PLAN_PROMPTS;

    #[test]
    fn prompts_about_impact_on_students() {
        for yes in [
            "How will you <em>measure</em> it?",
            "What will your Students do differently?",
            "What evidence will you bring?",
            "Which learners will you watch?",
            "What impact do you expect?",
            "What outcomes will you look for?",
        ] {
            assert!(asks_about_impact(yes), "{yes}");
        }
        for no in [
            "Which strategy will you use?",
            "When will you teach it?",
            "<a href=\"students.html\">Your plan</a>",
            "Immeasurable? No: how often?",
        ] {
            assert!(!asks_about_impact(no), "{no}");
        }
    }

    #[test]
    fn the_standard_prompts_ask_about_impact() {
        assert!(STANDARD_PLAN_PROMPTS.iter().any(|p| asks_about_impact(p)));
    }

    #[test]
    fn finds_a_top_level_key() {
        let text = "---\ntitle: x\nself_study :\n  - title: a\n";
        assert_eq!(key_line(text, "self_study"), 3);
        assert_eq!(key_line(text, "workshop"), 0);
        assert_eq!(SELF_CHECK_AFTER, Duration::from_minutes(30));
    }
}
