//! Front matter exactly as written: the serde layer.
//!
//! Every struct denies unknown keys, because a misspelt `duraton:` would
//! otherwise silently change someone's credit. Values that have a fixed
//! syntax (durations, dates) are checked while deserializing so that the
//! error carries the YAML position. Checks that need the rest of the site
//! (does this page exist?) happen in `load`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::credit::{self, DurationError, ACCEPTED_FORMS};
/// Dates live in [`crate::date`], below every stage that shows them.
pub use crate::date::Date;
use crate::diagnostic::ValueError;
pub use crate::schedule::LocalTime;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawPack {
    pub title: String,
    pub summary: String,
    pub goal: String,
    pub problem: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub audience: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Vec<String>,
    pub level: Option<Level>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub authors: Vec<String>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    /// The self-study must be taken in the order listed.
    #[serde(default)]
    pub ordered: bool,
    pub self_study: Vec<RawResource>,
    pub workshop: RawWorkshop,
    pub application: Option<RawApplication>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub reflection: Vec<String>,
    pub self_check: Option<RawSelfCheck>,
    pub plan: Option<RawPlan>,
    pub follow_up: Option<RawFollowUp>,
    /// Names of site.yaml's `credit.categories` the pack's hours count
    /// toward.
    #[serde(default, deserialize_with = "one_or_many")]
    pub credit_categories: Vec<String>,
    /// Teachers finish the self-study before this day.
    pub self_study_due: Option<Date>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub title: String,
    pub id: Option<String>,
    pub kind: Kind,
    pub url: Option<String>,
    pub page: Option<String>,
    pub file: Option<String>,
    pub duration: Option<Minutes>,
    pub words: Option<u64>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub captions: bool,
    pub transcript: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawWorkshop {
    #[serde(default)]
    pub format: Format,
    pub duration: Option<Minutes>,
    #[serde(default)]
    pub agenda: Vec<RawAgendaItem>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub prompts: Vec<String>,
    pub facilitator_notes: Option<String>,
    #[serde(default)]
    pub sessions: Vec<RawSession>,
}

/// One date the workshop is held, at times on the site's clock.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawSession {
    pub date: Date,
    pub start: Option<LocalTime>,
    pub end: Option<LocalTime>,
    pub place: Option<String>,
    pub online: Option<String>,
    pub facilitator: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawAgendaItem {
    pub title: String,
    pub minutes: Minutes,
    pub notes: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawApplication {
    pub task: String,
    pub duration: Option<Minutes>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub evidence: Vec<String>,
}

// The rest of the flipped cycle: the self-check, the plan and the
// follow-up meeting (steps 3 to 5 and 9).

/// `self_check:`: questions that assess what the self-study taught.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawSelfCheck {
    /// Signed, so that `-5` is reported by the range rule in plain words
    /// rather than as a type error.
    pub pass_percent: Option<i64>,
    #[serde(default)]
    pub questions: Vec<RawQuestion>,
}

/// One question: scored when it has `choices`, written otherwise.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub question: String,
    pub choices: Option<Vec<RawChoice>>,
    pub explanation: Option<String>,
    pub model_answer: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    pub feedback: Option<String>,
}

/// `plan:`, either `true` (the theme's standard prompts), `false` (no
/// plan) or the pack's own prompts.
#[derive(Debug)]
pub enum RawPlan {
    Standard,
    Off,
    Own(RawPlanFields),
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawPlanFields {
    #[serde(default, deserialize_with = "one_or_many")]
    pub prompts: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub share_with: Vec<String>,
}

impl<'de> Deserialize<'de> for RawPlan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: an unknown key inside
        // the mapping keeps its position and its did-you-mean.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPlan;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`true`, or a mapping with `prompts` and `share_with`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawPlan, E> {
                Ok(if v { RawPlan::Standard } else { RawPlan::Off })
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawPlan, E> {
                Ok(RawPlan::Off)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawPlan, A::Error> {
                RawPlanFields::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawPlan::Own)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// `follow_up:`: the meeting with the people the teacher is accountable to.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawFollowUp {
    pub after: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub with: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub prompts: Vec<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawPathway {
    pub title: String,
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub weight: Option<i64>,
    pub packs: Vec<RawPathwayStep>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RawPathwayStep {
    /// A pack, by slug; or one of `choose` (packs to pick one from) or
    /// `event` (something that is not a pack): exactly one of the three.
    pub pack: Option<String>,
    pub when: Option<String>,
    #[serde(default, deserialize_with = "one_or_many_opt")]
    pub choose: Option<Vec<String>>,
    pub event: Option<String>,
    pub date: Option<Date>,
    pub start: Option<LocalTime>,
    pub end: Option<LocalTime>,
    pub place: Option<String>,
    pub duration: Option<Minutes>,
    pub credited: Option<bool>,
}

/// Front matter of a further page of a pack, and of `content/_index.md`.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: Option<String>,
    pub description: Option<String>,
}

pub use crate::input::frontmatter::Shape;
use Shape::{List, Map, Value};

const RESOURCE: Shape = Map(&[
    ("title", Value),
    ("id", Value),
    ("kind", Value),
    ("url", Value),
    ("page", Value),
    ("file", Value),
    ("duration", Value),
    ("words", Value),
    ("optional", Value),
    ("captions", Value),
    ("transcript", Value),
    ("note", Value),
]);

const AGENDA_ITEM: Shape = Map(&[("title", Value), ("minutes", Value), ("notes", Value)]);

const WORKSHOP: Shape = Map(&[
    ("format", Value),
    ("duration", Value),
    ("agenda", List(&AGENDA_ITEM)),
    ("prompts", Value),
    ("facilitator_notes", Value),
    ("sessions", List(&SESSION)),
]);

const SESSION: Shape = Map(&[
    ("date", Value),
    ("start", Value),
    ("end", Value),
    ("place", Value),
    ("online", Value),
    ("facilitator", Value),
]);

const APPLICATION: Shape = Map(&[("task", Value), ("duration", Value), ("evidence", Value)]);

/// The front matter of `pack.md`: [`RawPack`].
pub const PACK: Shape = Map(&[
    ("title", Value),
    ("summary", Value),
    ("goal", Value),
    ("problem", Value),
    ("audience", Value),
    ("tags", Value),
    ("level", Value),
    ("authors", Value),
    ("date", Value),
    ("updated", Value),
    ("draft", Value),
    ("weight", Value),
    ("ordered", Value),
    ("self_study", List(&RESOURCE)),
    ("workshop", WORKSHOP),
    ("application", APPLICATION),
    ("reflection", Value),
    ("self_check", SELF_CHECK),
    ("plan", PLAN),
    ("follow_up", FOLLOW_UP),
    ("credit_categories", Value),
    ("self_study_due", Value),
]);

const CHOICE: Shape = Map(&[("text", Value), ("correct", Value), ("feedback", Value)]);

const QUESTION: Shape = Map(&[
    ("question", Value),
    ("choices", List(&CHOICE)),
    ("explanation", Value),
    ("model_answer", Value),
]);

const SELF_CHECK: Shape = Map(&[("pass_percent", Value), ("questions", List(&QUESTION))]);

/// Also `plan: true`: a shape only checks the keys of a mapping.
const PLAN: Shape = Map(&[("prompts", Value), ("share_with", Value)]);

const FOLLOW_UP: Shape = Map(&[("after", Value), ("with", Value), ("prompts", Value)]);

const PATHWAY_STEP: Shape = Map(&[
    ("pack", Value),
    ("when", Value),
    ("choose", Value),
    ("event", Value),
    ("date", Value),
    ("start", Value),
    ("end", Value),
    ("place", Value),
    ("duration", Value),
    ("credited", Value),
]);

/// The front matter of a pathway: [`RawPathway`].
pub const PATHWAY: Shape = Map(&[
    ("title", Value),
    ("summary", Value),
    ("draft", Value),
    ("weight", Value),
    ("packs", List(&PATHWAY_STEP)),
]);

/// The front matter of a page: [`RawPage`].
pub const PAGE: Shape = Map(&[("title", Value), ("description", Value)]);

#[derive(Deserialize, Serialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Video,
    Podcast,
    Reading,
    Guide,
    Activity,
}

#[derive(Deserialize, Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    #[default]
    InPerson,
    Online,
    Hybrid,
}

#[derive(Deserialize, Serialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Introductory,
    Intermediate,
    Advanced,
}

/// A duration as written in front matter; a bare number means minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes(pub credit::Duration);

impl<'de> Deserialize<'de> for Minutes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        fn fail<E: de::Error>(shown: &str, err: DurationError) -> E {
            let error = match err {
                DurationError::NotPositive => ValueError::new(
                    format!("duration `{shown}` must be more than zero"),
                    format!("accepted forms: {ACCEPTED_FORMS}"),
                ),
                DurationError::Unrecognised => ValueError::new(
                    format!("`{shown}` is not a duration"),
                    format!("accepted forms: {ACCEPTED_FORMS}"),
                ),
                DurationError::TooLong => ValueError::new(
                    format!("`{shown}` is more than 24 hours"),
                    "one duration may be at most 24 hours; \
                     check its form: `90` is 90 minutes, `1:30` a minute and a half, `1:30:00` an hour and a half",
                ),
            };
            error.into_serde()
        }
        impl Visitor<'_> for V {
            type Value = Minutes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a duration such as {ACCEPTED_FORMS}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Minutes, E> {
                credit::parse_duration(v)
                    .map(Minutes)
                    .map_err(|e| fail(v, e))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Minutes, E> {
                self.visit_f64(v as f64)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Minutes, E> {
                self.visit_f64(v as f64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Minutes, E> {
                credit::minutes_from_number(v)
                    .map(Minutes)
                    .map_err(|e| fail(&v.to_string(), e))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Accepts `tags: ELL` as well as `tags: [ELL]`: a list of one is what the
/// author meant.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    // Visitors rather than an untagged enum: errors raised inside them keep
    // the YAML position and the key's path, and a syntax error (an
    // unclosed `[`) is reported as itself.
    struct List;
    impl<'de> Visitor<'de> for List {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of text items")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(List)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Scalar.visit_str(v).map(|s| vec![s])
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Scalar.visit_i64(v).map(|s| vec![s])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Scalar.visit_u64(v).map(|s| vec![s])
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Scalar.visit_f64(v).map(|s| vec![s])
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Scalar.visit_bool(v).map(|s| vec![s])
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut items = Vec::new();
            while let Some(Item(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }
    }

    /// One item: text, or a number or yes/no taken as its text
    /// (`tags: [K-12, 2024]`).
    struct Scalar;
    impl Visitor<'_> for Scalar {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a text item")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
    }

    struct Item(String);
    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Scalar).map(Item)
        }
    }

    deserializer.deserialize_any(List)
}

/// [`one_or_many`] for a key whose absence means something else than an
/// empty list.
fn one_or_many_opt<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    one_or_many(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Lists {
        #[serde(default, deserialize_with = "one_or_many")]
        tags: Vec<String>,
    }

    #[test]
    fn one_or_many_items() {
        let parse = |yaml: &str| serde_yaml::from_str::<Lists>(yaml).map(|l| l.tags);
        let cases: [(&str, &[&str]); 6] = [
            ("tags: [ELL, K-12]", &["ELL", "K-12"]),
            ("tags: ELL", &["ELL"]),
            ("tags:\n  - ELL\n  - 2024\n  - yes", &["ELL", "2024", "yes"]),
            ("tags: []", &[]),
            ("tags:", &[]),
            ("{}", &[]),
        ];
        for (yaml, expected) in cases {
            assert_eq!(parse(yaml).unwrap(), expected, "{yaml}");
        }
        for bad in [
            "tags: {a: b}",
            "tags: [a, [b]]",
            "tags: [a, ~]",
            "tags: [a, b",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.location().is_some(), "{bad}: {err}");
        }
    }

    /// The keys serde allows in a mapping of `T`, from its "expected one
    /// of `a`, `b`" (or "expected `a` or `b`") for a key no struct has.
    fn serde_keys<T: serde::de::DeserializeOwned + fmt::Debug>(yaml: &str) -> Vec<String> {
        let err = serde_yaml::from_str::<T>(yaml).unwrap_err().to_string();
        let expected = err.split(", expected ").nth(1).unwrap_or("");
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(String::from)
            .collect()
    }

    fn shape_keys(shape: &Shape) -> Vec<String> {
        match shape {
            Shape::Map(keys) => keys.iter().map(|(k, _)| k.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    fn shape_of<'a>(shape: &'a Shape, key: &str) -> &'a Shape {
        match shape {
            Shape::Map(keys) => keys
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, s)| s)
                .unwrap(),
            Shape::List(item) => item,
            Shape::Value => shape,
        }
    }

    #[test]
    fn shapes_list_the_keys_serde_allows() {
        let unknown = "zzz: 1\n";
        assert_eq!(shape_keys(&PACK), serde_keys::<RawPack>(unknown));
        assert_eq!(shape_keys(&PATHWAY), serde_keys::<RawPathway>(unknown));
        assert_eq!(shape_keys(&PAGE), serde_keys::<RawPage>(unknown));
        let resource = shape_of(shape_of(&PACK, "self_study"), "");
        assert_eq!(shape_keys(resource), serde_keys::<RawResource>(unknown));
        let workshop = shape_of(&PACK, "workshop");
        assert_eq!(shape_keys(workshop), serde_keys::<RawWorkshop>(unknown));
        let agenda_item = shape_of(shape_of(workshop, "agenda"), "");
        assert_eq!(
            shape_keys(agenda_item),
            serde_keys::<RawAgendaItem>(unknown)
        );
        let application = shape_of(&PACK, "application");
        assert_eq!(
            shape_keys(application),
            serde_keys::<RawApplication>(unknown)
        );
        let session = shape_of(shape_of(workshop, "sessions"), "");
        assert_eq!(shape_keys(session), serde_keys::<RawSession>(unknown));
        let step = shape_of(shape_of(&PATHWAY, "packs"), "");
        assert_eq!(shape_keys(step), serde_keys::<RawPathwayStep>(unknown));
    }

    #[test]
    fn cycle_shapes_list_the_keys_serde_allows() {
        let unknown = "zzz: 1\n";
        let self_check = shape_of(&PACK, "self_check");
        assert_eq!(shape_keys(self_check), serde_keys::<RawSelfCheck>(unknown));
        let question = shape_of(shape_of(self_check, "questions"), "");
        assert_eq!(shape_keys(question), serde_keys::<RawQuestion>(unknown));
        let choice = shape_of(shape_of(question, "choices"), "");
        assert_eq!(shape_keys(choice), serde_keys::<RawChoice>(unknown));
        let plan = shape_of(&PACK, "plan");
        assert_eq!(shape_keys(plan), serde_keys::<RawPlanFields>(unknown));
        let follow_up = shape_of(&PACK, "follow_up");
        assert_eq!(shape_keys(follow_up), serde_keys::<RawFollowUp>(unknown));
    }

    #[test]
    fn a_plan_is_true_false_or_its_own_prompts() {
        #[derive(Deserialize, Debug)]
        struct P {
            plan: RawPlan,
        }
        let plan = |yaml: &str| serde_yaml::from_str::<P>(yaml).map(|p| p.plan);
        assert!(matches!(plan("plan: true"), Ok(RawPlan::Standard)));
        assert!(matches!(plan("plan: false"), Ok(RawPlan::Off)));
        match plan("plan:\n  prompts: [Goal?]\n  share_with: PLC\n") {
            Ok(RawPlan::Own(fields)) => {
                assert_eq!(fields.prompts, ["Goal?"]);
                assert_eq!(fields.share_with, ["PLC"]);
            }
            other => panic!("{other:?}"),
        }
        let err = plan("plan:\n  promts: [Goal?]\n").unwrap_err();
        assert!(err.location().is_some(), "{err}");
        assert!(err.to_string().contains("promts"), "{err}");
    }
}
