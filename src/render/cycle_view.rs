//! The rest of the flipped cycle as templates see it: `pack.self_check`,
//! `pack.plan` and `pack.follow_up` (docs/theming.md). Kept beside
//! `view.rs` rather than in it; `PackView` takes these fields whole.

use serde::Serialize;

use crate::content::{Choice, FollowUp, Pack, Plan, Question, QuestionKind, SelfCheck};

/// The cycle's variables of one pack, flattened into `pack`.
#[derive(Serialize)]
pub struct CycleView<'a> {
    pub self_check: Option<SelfCheckView<'a>>,
    pub plan: Option<PlanView<'a>>,
    pub follow_up: Option<FollowUpView<'a>>,
}

impl<'a> CycleView<'a> {
    pub fn new(p: &'a Pack) -> Self {
        CycleView {
            self_check: p.self_check.as_ref().map(SelfCheckView::new),
            plan: p.plan.as_ref().map(PlanView::new),
            follow_up: p.follow_up.as_ref().map(FollowUpView::new),
        }
    }
}

/// `pack.self_check`.
#[derive(Serialize)]
pub struct SelfCheckView<'a> {
    pub questions: Vec<QuestionView<'a>>,
    /// How many questions have choices, and so a score.
    pub scored: usize,
    pub pass_percent: Option<u8>,
    /// How many scored questions a teacher must get right to pass: the
    /// share `pass_percent` of `scored`, rounded up, so that 80% of 4
    /// questions asks for 4, never 3.2.
    pub pass_count: Option<usize>,
    /// The self-study minutes the questions count (0 unless site.yaml sets
    /// `credit.minutes_per_question`), exact.
    pub minutes: f64,
}

impl<'a> SelfCheckView<'a> {
    fn new(c: &'a SelfCheck) -> Self {
        let scored = c.scored();
        SelfCheckView {
            questions: c.questions.iter().map(QuestionView::new).collect(),
            scored,
            pass_percent: c.pass_percent,
            pass_count: c.pass_percent.map(|p| pass_count(scored, p)),
            minutes: c.time.as_minutes_f64(),
        }
    }
}

/// The scored questions to get right for `percent` of `scored`, rounded
/// up.
pub fn pass_count(scored: usize, percent: u8) -> usize {
    (scored * usize::from(percent)).div_ceil(100)
}

/// `pack.self_check.questions[i]`.
#[derive(Serialize)]
pub struct QuestionView<'a> {
    pub number: usize,
    /// The question, as inline HTML.
    pub html: &'a str,
    /// `single` (radio buttons), `multiple` (checkboxes) or `written`.
    pub kind: &'static str,
    /// What a teacher is asked to do: "Choose one.", "Select all that
    /// apply." or "Write your answer."
    pub instruction: &'static str,
    pub scored: bool,
    pub choices: Vec<ChoiceView<'a>>,
    pub correct_count: usize,
    pub explanation: Option<&'a str>,
    pub model_answer: Option<&'a str>,
}

impl<'a> QuestionView<'a> {
    fn new(q: &'a Question) -> Self {
        QuestionView {
            number: q.number,
            html: &q.html,
            kind: q.kind.as_str(),
            instruction: match q.kind {
                QuestionKind::Single => "Choose one.",
                QuestionKind::Multiple => "Select all that apply.",
                QuestionKind::Written => "Write your answer.",
            },
            scored: q.kind != QuestionKind::Written,
            choices: q
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| ChoiceView::new(i, c))
                .collect(),
            correct_count: q.choices.iter().filter(|c| c.correct).count(),
            explanation: q.explanation.as_deref(),
            model_answer: q.model_answer.as_deref(),
        }
    }
}

/// `pack.self_check.questions[i].choices[j]`.
#[derive(Serialize)]
pub struct ChoiceView<'a> {
    /// 1-based.
    pub number: usize,
    pub html: &'a str,
    pub correct: bool,
    pub feedback: Option<&'a str>,
}

impl<'a> ChoiceView<'a> {
    fn new(i: usize, c: &'a Choice) -> Self {
        ChoiceView {
            number: i + 1,
            html: &c.html,
            correct: c.correct,
            feedback: c.feedback.as_deref(),
        }
    }
}

/// `pack.plan`.
#[derive(Serialize)]
pub struct PlanView<'a> {
    /// Inline HTML each: the pack's own, or the standard prompts.
    pub prompts: &'a [String],
    pub standard: bool,
    pub share_with: &'a [String],
    /// "principal, instructional coach and PLC", for a sentence.
    pub share_with_text: String,
}

impl<'a> PlanView<'a> {
    fn new(p: &'a Plan) -> Self {
        PlanView {
            prompts: &p.prompts,
            standard: p.standard,
            share_with: &p.share_with,
            share_with_text: and_list(&p.share_with),
        }
    }
}

/// `pack.follow_up`.
#[derive(Serialize)]
pub struct FollowUpView<'a> {
    pub after: Option<&'a str>,
    pub with: &'a [String],
    pub with_text: String,
    /// Inline HTML each.
    pub prompts: &'a [String],
}

impl<'a> FollowUpView<'a> {
    fn new(f: &'a FollowUp) -> Self {
        FollowUpView {
            after: f.after.as_deref(),
            with: &f.with,
            with_text: and_list(&f.with),
            prompts: &f.prompts,
        }
    }
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_a_sentence() {
        let list =
            |items: &[&str]| and_list(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["principal"]), "principal");
        assert_eq!(list(&["principal", "PLC"]), "principal and PLC");
        assert_eq!(
            list(&["principal", "instructional coach", "PLC"]),
            "principal, instructional coach and PLC"
        );
    }

    #[test]
    fn the_pass_count_rounds_up() {
        assert_eq!(pass_count(4, 80), 4);
        assert_eq!(pass_count(5, 80), 4);
        assert_eq!(pass_count(3, 50), 2);
        assert_eq!(pass_count(4, 75), 3);
        assert_eq!(pass_count(1, 1), 1);
        assert_eq!(pass_count(10, 100), 10);
    }
}
