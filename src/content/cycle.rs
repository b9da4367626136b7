//! The rest of the flipped cycle in a pack's front matter: the
//! self-check (`self_check:`), the Application & Impact Plan (`plan:`),
//! the follow-up meeting (`follow_up:`) and resource `id:`s, validated one
//! rule per function, like `pack.rs`.

use std::collections::HashMap;

use super::discover::is_slug;
use super::locate::Step;
use super::model::{
    Choice, FollowUp, Plan, Question, QuestionKind, SelfCheck, STANDARD_PLAN_PROMPTS,
};
use super::raw::{RawPack, RawPlan, RawQuestion, RawSelfCheck};
use super::source::Problems;
use crate::config::Config;
use crate::credit::MAX_TOTAL;
use crate::diagnostic::Code;
use crate::slug::slugify;

use Step::{Index, Key};

/// Markdown of a field, as a block and as inline text.
pub(super) struct Render<'r> {
    pub(super) block: &'r dyn Fn(&str) -> String,
    pub(super) inline: &'r dyn Fn(&str) -> String,
}

/// The self-check, each of its rules reported; `None` without one.
pub(super) fn build_self_check(
    raw: &RawPack,
    config: &Config,
    problems: &mut Problems<'_>,
    render: &Render<'_>,
) -> Option<SelfCheck> {
    let check = raw.self_check.as_ref()?;
    if check.questions.is_empty() {
        problems.error(
            Code::EmptyValue,
            &[Key("self_check")],
            "`self_check` lists no questions".into(),
            Some("add at least one `question:`, or remove `self_check:`".into()),
        );
    }
    let questions: Vec<Question> = check
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| build_question(i, q, problems, render))
        .collect();
    let scored = questions
        .iter()
        .filter(|q| q.kind != QuestionKind::Written)
        .count();
    let pass_percent = pass_percent(check, scored, problems);
    // More than the most a pack may add up to is reported by the pack's
    // credit (`too-long`).
    let time = config
        .credit
        .self_check_time(questions.len())
        .unwrap_or(MAX_TOTAL);
    Some(SelfCheck {
        pass_percent,
        time,
        questions,
        at: problems.locator.position(&[Key("self_check")]).into(),
    })
}

/// One question, with its kind worked out from its choices.
fn build_question(
    i: usize,
    q: &RawQuestion,
    problems: &mut Problems<'_>,
    render: &Render<'_>,
) -> Question {
    question_text(i, q, problems);
    choice_texts(i, q, problems);
    choices_and_model_answer(i, q, problems);
    let choices = q.choices.as_deref().unwrap_or_default();
    let correct = choices.iter().filter(|c| c.correct).count();
    let kind = match (q.choices.is_some(), correct) {
        (false, _) => QuestionKind::Written,
        (true, 0) => {
            no_correct_choice(i, problems);
            QuestionKind::Single
        }
        (true, 1) => QuestionKind::Single,
        (true, _) => QuestionKind::Multiple,
    };
    Question {
        number: i + 1,
        html: (render.inline)(&q.question),
        kind,
        choices: choices
            .iter()
            .map(|c| Choice {
                html: (render.inline)(&c.text),
                correct: c.correct,
                feedback: c.feedback.as_deref().map(render.block),
            })
            .collect(),
        explanation: q.explanation.as_deref().map(render.block),
        model_answer: q.model_answer.as_deref().map(render.block),
    }
}

fn question_path(i: usize, key: &'static str) -> [Step<'static>; 4] {
    [Key("self_check"), Key("questions"), Index(i), Key(key)]
}

/// `empty-value`: a question must ask something.
fn question_text(i: usize, q: &RawQuestion, problems: &mut Problems<'_>) {
    if q.question.trim().is_empty() {
        problems.error(
            Code::EmptyValue,
            &question_path(i, "question"),
            format!("question {} of the self-check is empty", i + 1),
            Some("write the question, or remove it".into()),
        );
    }
}

/// `empty-value`: a choice must say something.
fn choice_texts(i: usize, q: &RawQuestion, problems: &mut Problems<'_>) {
    for (j, choice) in q.choices.iter().flatten().enumerate() {
        if choice.text.trim().is_empty() {
            problems.error(
                Code::EmptyValue,
                &[
                    Key("self_check"),
                    Key("questions"),
                    Index(i),
                    Key("choices"),
                    Index(j),
                    Key("text"),
                ],
                format!(
                    "choice {} of question {} of the self-check is empty",
                    j + 1,
                    i + 1
                ),
                Some("write the choice's `text:`, or remove the choice".into()),
            );
        }
    }
}

/// `no-correct-choice`: a question with choices is scored, so one of them
/// at least must be right, or no teacher could ever pass it.
fn no_correct_choice(i: usize, problems: &mut Problems<'_>) {
    problems.error(
        Code::NoCorrectChoice,
        &question_path(i, "choices"),
        format!(
            "question {} of the self-check has choices but none is marked correct",
            i + 1
        ),
        Some(
            "add `correct: true` to the right choice (to several for \"select all that apply\"), \
             or remove `choices:` to ask for a written answer"
                .into(),
        ),
    );
}

/// `choices-and-model-answer`: a question is either scored (choices) or
/// written (a model answer), and a teacher cannot be shown both.
fn choices_and_model_answer(i: usize, q: &RawQuestion, problems: &mut Problems<'_>) {
    if q.choices.is_some() && q.model_answer.is_some() {
        problems.error(
            Code::ChoicesAndModelAnswer,
            &question_path(i, "model_answer"),
            format!(
                "question {} of the self-check has both `choices` and a `model_answer`",
                i + 1
            ),
            Some(
                "keep `choices:` for a scored question (and say why in `explanation:`), \
                 or `model_answer:` for a written one"
                    .into(),
            ),
        );
    }
}

/// `pass-percent-range` and `pass-percent-unscored`: the share of scored
/// questions that passes, which needs scored questions to be a share of.
fn pass_percent(check: &RawSelfCheck, scored: usize, problems: &mut Problems<'_>) -> Option<u8> {
    let percent = check.pass_percent?;
    let path = [Key("self_check"), Key("pass_percent")];
    let Some(valid) = u8::try_from(percent).ok().filter(|p| (1..=100).contains(p)) else {
        problems.error(
            Code::PassPercentRange,
            &path,
            format!("`pass_percent` is {percent}; it must be from 1 to 100"),
            Some("e.g. `pass_percent: 80` passes a teacher who answers 4 of 5 questions".into()),
        );
        return None;
    };
    if scored == 0 {
        problems.error(
            Code::PassPercentUnscored,
            &path,
            "`pass_percent` is set but no question of the self-check has choices".into(),
            Some(
                "only questions with `choices:` are scored: add choices to a question, \
                 or remove `pass_percent:`"
                    .into(),
            ),
        );
        return None;
    }
    Some(valid)
}

/// The plan: the pack's own prompts, or the standard ones; `None` without
/// a plan or with `plan: false`.
pub(super) fn build_plan(
    raw: &RawPack,
    problems: &mut Problems<'_>,
    render: &Render<'_>,
) -> Option<Plan> {
    let (prompts, share_with) = match raw.plan.as_ref()? {
        RawPlan::Off => return None,
        RawPlan::Standard => (&[][..], &[][..]),
        RawPlan::Own(fields) => (&fields.prompts[..], &fields.share_with[..]),
    };
    let standard = prompts.is_empty();
    let prompts = if standard {
        STANDARD_PLAN_PROMPTS
            .iter()
            .map(|p| (render.inline)(p))
            .collect()
    } else {
        prompts.iter().map(|p| (render.inline)(p)).collect()
    };
    Some(Plan {
        prompts,
        standard,
        share_with: share_with.iter().map(|s| s.trim().to_string()).collect(),
        at: problems.locator.position(&[Key("plan")]).into(),
    })
}

/// The follow-up meeting, as written.
pub(super) fn build_follow_up(raw: &RawPack, render: &Render<'_>) -> Option<FollowUp> {
    let f = raw.follow_up.as_ref()?;
    Some(FollowUp {
        after: f
            .after
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from),
        with: f.with.iter().map(|w| w.trim().to_string()).collect(),
        prompts: f.prompts.iter().map(|p| (render.inline)(p)).collect(),
    })
}

/// The key a resource's progress is kept under: its `id:`, else the
/// slug of its title.
pub(super) fn resource_key(id: Option<&str>, title: &str) -> String {
    match id {
        Some(id) => id.trim().to_string(),
        None => slugify(title),
    }
}

/// `bad-resource-id` and `duplicate-resource-id`: an `id:` is an HTML id
/// and a key of teachers' progress, so it must be a slug and name one
/// resource of the pack. Two resources without `id:` whose titles give the
/// same slug are told apart by a number, as before ids existed.
pub(super) fn resource_ids(raw: &RawPack, problems: &mut Problems<'_>) {
    let keys: Vec<String> = raw
        .self_study
        .iter()
        .map(|r| resource_key(r.id.as_deref(), &r.title))
        .collect();
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    for (i, r) in raw.self_study.iter().enumerate() {
        let key = keys[i].as_str();
        let first = *first_of.entry(key).or_insert(i);
        let Some(id) = r.id.as_deref() else {
            continue;
        };
        let path = [Key("self_study"), Index(i), Key("id")];
        if !is_slug(id.trim()) {
            problems.error(
                Code::BadResourceId,
                &path,
                format!("`{id}` is not a resource id"),
                Some(format!(
                    "use lower-case letters, digits and hyphens, e.g. `id: {}`",
                    slugify(id)
                )),
            );
            continue;
        }
        // Any other resource with the same key, before or after this one.
        let other = if first != i {
            Some(first)
        } else {
            keys.iter()
                .enumerate()
                .skip(i + 1)
                .find(|(j, k)| *k == key && raw.self_study[*j].id.is_none())
                .map(|(j, _)| j)
        };
        if let Some(other) = other {
            problems.error(
                Code::DuplicateResourceId,
                &path,
                format!(
                    "resource {} and resource {} of this pack both have the id `{key}`",
                    other.min(i) + 1,
                    other.max(i) + 1
                ),
                Some(
                    "give each resource its own `id:` (a resource without one has the slug of its title)"
                        .into(),
                ),
            );
        }
    }
}
