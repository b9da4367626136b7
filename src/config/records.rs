//! The keys of `site.yaml` that make credit a record a PD office can
//! file: the time zone sessions are given in, the sponsor printed on
//! records, named categories of hours and CEUs.

use serde::{Deserialize, Serialize};

use super::FILE_NAME;
use crate::diagnostic::{Code, Diagnostic};
use crate::input::locate::{Locator, Step};
use crate::schedule::Zone;

/// The organisation that offers the credit, as records print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sponsor {
    pub name: String,
    /// The sponsor or provider number a state gives it; text, since such
    /// numbers keep their leading zeros (`"0123"`).
    #[serde(default, deserialize_with = "text")]
    pub number: Option<String>,
}

/// A number written without quotes is still the text it reads as.
fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        S(String),
        N(u64),
    }
    Ok(Option::<Text>::deserialize(d)?.map(|t| match t {
        Text::S(s) => s,
        Text::N(n) => n.to_string(),
    }))
}

/// `timezone:` as a zone: `bad-timezone` when the database has no zone of
/// that name.
pub(super) fn timezone(
    name: Option<&str>,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Zone> {
    let name = name?;
    match Zone::named(name) {
        Ok(zone) => Some(zone),
        Err(suggestion) => {
            let (line, column) = Locator::new(text, 1).position(&[Step::Key("timezone")]);
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    "write the zone's IANA name, e.g. `America/New_York` or `Europe/London`".into()
                }
            };
            problems.push(
                Diagnostic::error(
                    Code::BadTimezone,
                    FILE_NAME,
                    format!("`{name}` is not a time zone"),
                )
                .with_help(help)
                .at(text, line, column),
            );
            None
        }
    }
}

/// `credit.categories`, trimmed; an empty or repeated name is an error,
/// since packs name them.
pub(super) fn categories(
    names: Vec<String>,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let locator = Locator::new(text, 1);
    let mut kept: Vec<String> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = name.trim();
        let at =
            || locator.position(&[Step::Key("credit"), Step::Key("categories"), Step::Index(i)]);
        if name.is_empty() || kept.iter().any(|k| k.eq_ignore_ascii_case(name)) {
            let (line, column) = at();
            let message = if name.is_empty() {
                "a credit category has no name".to_string()
            } else {
                format!("the credit category `{name}` is listed twice")
            };
            problems.push(
                Diagnostic::error(Code::InvalidValue, FILE_NAME, message)
                    .with_help("list each category of hours once, by the name records print")
                    .at(text, line, column),
            );
            continue;
        }
        kept.push(name.to_string());
    }
    kept
}
