//! Splitting a Markdown file into its YAML front matter and body, and
//! reading that YAML into typed structs with diagnostics that point at the
//! line of the *file*, not of the YAML fragment.

use serde::de::DeserializeOwned;

use super::locate::{Locator, Step};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, ValueError};

/// The keys a mapping of front matter allows, and what each holds, as the
/// structs of `content::raw` declare them (in their order, as serde names them).
/// serde stops at the first unknown key; this lets every one of them be
/// reported at once.
#[derive(Debug)]
pub enum Shape {
    /// A value whose own keys, if any, are not checked here.
    Value,
    Map(&'static [(&'static str, Shape)]),
    /// A list of values of the shape (a single value is taken as a list
    /// of one where the format allows it).
    List(&'static Shape),
}

/// A Markdown source cut in two. Line numbers are 1-based lines of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines, when there is front matter.
    pub yaml: Option<&'a str>,
    /// The file line on which `yaml` starts.
    pub yaml_line: usize,
    pub body: &'a str,
    /// The file line on which `body` starts.
    pub body_line: usize,
}

/// Front matter opened with `---` on the first line and never closed: an
/// error, because the whole file would otherwise turn into YAML or into a
/// stray horizontal rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the front matter opened with `---` on line 1 is never closed")]
pub struct UnclosedFrontMatter;

/// The message, for a diagnostic's text.
impl From<UnclosedFrontMatter> for String {
    fn from(error: UnclosedFrontMatter) -> String {
        error.to_string()
    }
}

/// Cuts `source` at its front matter. A file whose first line is not `---`
/// has none; one that opens with `---` but never closes it is an error.
pub fn split(source: &str) -> Result<Split<'_>, UnclosedFrontMatter> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let first_end = source.find('\n').map_or(source.len(), |i| i + 1);
    if source[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: source,
            body_line: 1,
        });
    }
    let yaml_start = first_end;
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < source.len() {
        let end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i + 1);
        let text = source[offset..end].trim_end();
        if text == "---" || text == "..." {
            return Ok(Split {
                yaml: Some(&source[yaml_start..offset]),
                yaml_line: 2,
                body: &source[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(UnclosedFrontMatter)
}

/// Reads YAML into `T`, turning serde's error into a diagnostic on the
/// right line of `file`. `source` is the whole file and `first_line` the
/// file line on which `yaml` starts.
pub fn from_yaml<T: DeserializeOwned>(
    yaml: &str,
    file: &str,
    source: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    // An empty front matter block is an empty mapping, not "no value".
    let yaml_text = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(yaml_text).map_err(|err| {
        let (line, column) = err.location().map_or((first_line, 0), |loc| {
            (first_line + loc.line() - 1, loc.column())
        });
        let text = err.to_string();
        let said = read_message(&text);
        let (line, column) = match said.what {
            Said::DuplicateField { key } => second_key_line(yaml, key, line - first_line, column)
                .map_or((line, column), |(l, c)| (first_line + l, c)),
            _ => (line, column),
        };
        // An unclosed quote runs on to the next quote in the file, and the
        // parser only complains there; point at where it opened.
        let unclosed = said
            .is_syntax()
            .then(|| unclosed_quote(yaml, line.saturating_sub(first_line)))
            .flatten();
        let (d, line, column) = match unclosed {
            Some((l, c, quote)) => (
                Diagnostic::error(
                    Code::YamlSyntax,
                    file,
                    format!("this quote `{quote}` is never closed"),
                )
                .with_help(format!(
                    "end the value with `{quote}` on the same line, or remove the opening quote"
                )),
                first_line + l,
                c,
            ),
            None => (yaml_diagnostic(&said, file), line, column),
        };
        let mut d = d.at(source, line, column);
        if d.code == Code::MissingKey {
            // serde points at the start of the mapping that lacks the key;
            // a caret under the first key there would blame the wrong one.
            d.source_line = None;
        }
        d
    })
}

/// Reads YAML into `T` like [`from_yaml`], and when that fails, reports
/// every key that `shape` (the keys `T` allows) does not have, rather than
/// only the first one serde met: three typos are fixed in one go.
pub fn from_yaml_all<T: DeserializeOwned>(
    yaml: &str,
    file: &str,
    source: &str,
    first_line: usize,
    shape: &Shape,
) -> Result<T, Vec<Diagnostic>> {
    from_yaml(yaml, file, source, first_line).map_err(|first| {
        let mut all = unknown_keys(yaml, shape, file, source, first_line);
        if first.code != Code::UnknownKey || all.is_empty() {
            all.insert(0, first);
        }
        all
    })
}

/// Every key of `yaml` that `shape` does not allow, each as an
/// `unknown-key` diagnostic at its line, worded as for the first one.
pub fn unknown_keys(
    yaml: &str,
    shape: &Shape,
    file: &str,
    source: &str,
    first_line: usize,
) -> Vec<Diagnostic> {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
        return Vec::new();
    };
    let mut unknown = Vec::new();
    walk(&value, shape, &mut Vec::new(), &mut unknown);
    let locator = Locator::new(yaml, first_line);
    unknown
        .into_iter()
        .map(|(path, allowed)| {
            let place = place_name(&path[..path.len() - 1]);
            let key = match path.last() {
                Some(Step::Key(key)) => *key,
                _ => "",
            };
            let within = if place.is_empty() {
                String::new()
            } else {
                format!(" in `{place}`")
            };
            let d = unknown_key(key, &within, &allowed, file);
            let (line, column) = locator.position(&path);
            d.at(source, line, column)
        })
        .collect()
}

/// Collects the path of every key below `value` that `shape` does not
/// allow, with the keys allowed there.
fn walk<'v>(
    value: &'v serde_yaml::Value,
    shape: &Shape,
    path: &mut Vec<Step<'v>>,
    unknown: &mut Vec<(Vec<Step<'v>>, Vec<&'static str>)>,
) {
    match (shape, value) {
        (Shape::Map(keys), serde_yaml::Value::Mapping(mapping)) => {
            for (key, inner) in mapping {
                let Some(key) = key.as_str() else {
                    continue;
                };
                path.push(Step::Key(key));
                match keys.iter().find(|(k, _)| *k == key) {
                    Some((_, inner_shape)) => walk(inner, inner_shape, path, unknown),
                    None => unknown.push((path.clone(), keys.iter().map(|(k, _)| *k).collect())),
                }
                path.pop();
            }
        }
        (Shape::List(item), serde_yaml::Value::Sequence(items)) => {
            for (i, inner) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(inner, item, path, unknown);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A path as serde names it in messages: `workshop.agenda[0]`.
fn place_name(path: &[Step<'_>]) -> String {
    let mut name = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(key);
            }
            Step::Index(i) => name.push_str(&format!("[{i}]")),
        }
    }
    name
}

/// `unknown-key` for `key`, with the closest allowed key when there is one.
fn unknown_key(key: &str, within: &str, allowed: &[&str], file: &str) -> Diagnostic {
    let d = Diagnostic::error(
        Code::UnknownKey,
        file,
        format!("unknown key `{key}`{within}"),
    );
    let list = allowed
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match did_you_mean(key, allowed.iter().copied()) {
        Some(best) => d.with_help(format!("did you mean `{best}`? Allowed keys here: {list}")),
        None if allowed.is_empty() => d.with_help("no keys are allowed here"),
        None => d.with_help(format!("allowed keys here: {list}")),
    }
}

/// The first line up to `until` (0-based lines of `yaml`) whose value opens
/// a quote, double or single, that the line does not close: the line, the
/// 1-based column of that quote, and the quote.
fn unclosed_quote(yaml: &str, until: usize) -> Option<(usize, usize, char)> {
    for (i, line) in yaml.lines().enumerate().take(until + 1) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        let item = trimmed.strip_prefix("- ").map_or(trimmed, str::trim_start);
        let item_at = line.len() - item.len();
        // The value: a quoted list item itself, else what follows the key.
        let value_at = if item.starts_with(['"', '\'']) {
            item_at
        } else {
            match item.find(": ") {
                Some(colon) => {
                    let value = &item[colon + 2..];
                    item_at + colon + 2 + (value.len() - value.trim_start().len())
                }
                None => continue,
            }
        };
        let quote = match line[value_at..].chars().next() {
            Some(quote @ ('"' | '\'')) => quote,
            _ => continue,
        };
        if !closes(&line[value_at + 1..], quote) {
            return Some((i, line[..value_at].chars().count() + 1, quote));
        }
    }
    None
}

/// Whether `text`, which follows an opening `quote`, closes it: inside
/// double quotes `\"` is an escaped quote, inside single quotes `''` is.
fn closes(text: &str, quote: char) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            ('"', '\\') => {
                chars.next();
            }
            ('\'', '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
            }
            _ if c == quote => return true,
            _ => {}
        }
    }
    false
}

/// serde_yaml reports a duplicate key at the first key of its mapping
/// (`start`, 0-based within `yaml`, and the 1-based `column` of that key);
/// this finds the key's second appearance in the same mapping, as the
/// 0-based line and 1-based column.
fn second_key_line(yaml: &str, key: &str, start: usize, column: usize) -> Option<(usize, usize)> {
    let indent = column.checked_sub(1)?;
    let mut seen = false;
    for (i, line) in yaml.lines().enumerate().skip(start) {
        let text = line.trim_start();
        let leading = line.len() - text.len();
        if i > start && !text.is_empty() && !text.starts_with('#') && leading < indent {
            break; // the mapping ended: a parent key or the next list item
        }
        let after_dash = text.strip_prefix("- ").map_or(text, str::trim_start);
        let at = line.len() - after_dash.len();
        let is_key = at == indent
            && after_dash
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
        if is_key {
            if seen {
                return Some((i, at + 1));
            }
            seen = true;
        }
    }
    None
}

/// serde's Rust type names, as a coach would say them.
fn plain_type(expected: &str) -> &str {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" => "true or false",
        "a string" => "text",
        "a sequence" => "a list",
        "a map" => "a mapping of keys to values",
        other if other.starts_with("struct ") => "a mapping of keys to values",
        other => other,
    }
}

/// What a serde_yaml error says, taken apart: where (the path of the
/// value, `self_study[0]`), and what went wrong.
struct Message<'a> {
    place: Option<&'a str>,
    what: Said<'a>,
}

/// The kinds of error serde reports while reading front matter into the
/// structs of `content::raw`, and the YAML parser's own.
enum Said<'a> {
    UnknownField {
        key: &'a str,
        allowed: Vec<&'a str>,
    },
    UnknownVariant {
        value: &'a str,
        allowed: Vec<&'a str>,
    },
    DuplicateField {
        key: &'a str,
    },
    MissingField {
        key: &'a str,
    },
    InvalidType {
        found: &'a str,
        expected: &'a str,
    },
    /// A [`ValueError`] of one of flippack's own deserializers.
    Value {
        message: &'a str,
        help: &'a str,
    },
    /// Anything else: with a place, a value's own complaint; without one,
    /// the parser's (see [`plain_syntax`]).
    Other(&'a str),
}

impl Message<'_> {
    /// Whether the YAML itself could not be read, as opposed to a value
    /// that does not fit.
    fn is_syntax(&self) -> bool {
        self.place.is_none() && matches!(self.what, Said::Other(_))
    }
}

/// Takes serde_yaml's error message apart.
///
/// serde_yaml gives its errors only as text (its `Error` offers the
/// position, which [`from_yaml`] takes from `location()`, and nothing
/// else), and serde's error kinds reach it as text too. So this one
/// function reads that English: the ` at line L column C` suffix, the
/// `path: ` prefix, and the `unknown field`, `unknown variant`,
/// `duplicate field`, `missing field` and `invalid type` forms of serde.
/// A [`ValueError`] comes apart by its own [`ValueError::parse`].
/// Everything after this works on the parts.
fn read_message(raw: &str) -> Message<'_> {
    // serde_yaml appends " at line L column C"; the diagnostic shows that itself.
    let message = match raw.rfind(" at line ") {
        Some(i) if raw[i..].contains(" column ") => &raw[..i],
        _ => raw,
    };
    // ... and prefixes the path of the value: "self_study[0]: unknown field".
    let (place, message) = match message.split_once(": ") {
        Some((place, rest)) if !place.contains(' ') => (Some(place), rest),
        _ => (None, message),
    };
    let what = if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        Said::UnknownField {
            key,
            allowed: backticked(expected),
        }
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        Said::UnknownVariant {
            value,
            allowed: backticked(expected),
        }
    } else if let Some(rest) = message.strip_prefix("duplicate field `") {
        Said::DuplicateField {
            key: rest.split('`').next().unwrap_or(rest),
        }
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        Said::MissingField {
            key: rest.split('`').next().unwrap_or(rest),
        }
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "something else"));
        Said::InvalidType { found, expected }
    } else if let Some((message, help)) = ValueError::parse(message) {
        Said::Value { message, help }
    } else {
        Said::Other(message)
    };
    Message { place, what }
}

/// The diagnostic for a serde_yaml error, in plain English for coaches.
fn yaml_diagnostic(said: &Message<'_>, file: &str) -> Diagnostic {
    let within = said.place.map(|p| format!(" in `{p}`")).unwrap_or_default();
    match &said.what {
        Said::UnknownField { key, allowed } => unknown_key(key, &within, allowed, file),
        Said::UnknownVariant { value, allowed } => {
            let list = allowed
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let d = Diagnostic::error(
                Code::InvalidValue,
                file,
                format!("`{value}` is not allowed{within}"),
            );
            match did_you_mean(value, allowed.iter().copied()) {
                Some(best) => d.with_help(format!("did you mean `{best}`? Use one of {list}")),
                None => d.with_help(format!("use one of {list}")),
            }
        }
        Said::DuplicateField { key } => Diagnostic::error(
            Code::DuplicateKey,
            file,
            format!("the key `{key}` appears twice{within}"),
        )
        .with_help("keep one of them: a key can be given only once in the same place"),
        Said::MissingField { key } => Diagnostic::error(
            Code::MissingKey,
            file,
            format!("missing required key `{key}`{within}"),
        )
        .with_help(format!("add `{key}:` to the front matter")),
        Said::InvalidType { found, expected } => {
            let expected = plain_type(expected);
            let found = match *found {
                "sequence" => "a list",
                "map" => "a mapping of keys to values",
                "unit value" => "nothing",
                other => other,
            };
            let d = Diagnostic::error(
                Code::WrongType,
                file,
                format!("expected {expected}{within}, found {found}"),
            );
            match expected {
                "a whole number" => d.with_help("write a number without quotes, e.g. `weight: 10`"),
                "true or false" => d.with_help("write `true` or `false`, without quotes"),
                _ => d,
            }
        }
        Said::Value { message, help } => {
            Diagnostic::error(Code::InvalidValue, file, format!("{message}{within}"))
                .with_help(*help)
        }
        Said::Other(message) if said.place.is_some() => {
            Diagnostic::error(Code::InvalidValue, file, format!("{message}{within}"))
        }
        Said::Other(message) => {
            let (message, help) = plain_syntax(message);
            let d = Diagnostic::error(Code::YamlSyntax, file, message);
            match help {
                Some(help) => d.with_help(help),
                None => d,
            }
        }
    }
}

/// The YAML parser's messages, in words a coach can act on. The parser
/// notices a problem where it stops making sense, often the line after
/// the mistake, so the help says where else to look.
fn plain_syntax(message: &str) -> (String, Option<&'static str>) {
    const KNOWN: &[(&str, &str, &str)] = &[
        (
            "mapping values are not allowed",
            "a `:` inside a value cannot be read here",
            "put the whole value in quotes, e.g. `title: \"Assessment: a guide\"`",
        ),
        (
            "found a tab character",
            "a tab is used for indentation",
            "indent with spaces: YAML does not allow tabs",
        ),
        (
            "did not find expected ',' or ']'",
            "a list opened with `[` is not closed",
            "close it with `]` after its last item, on the same line",
        ),
        (
            "did not find expected ',' or '}'",
            "a `{` is not closed",
            "close it with `}`, or write the keys one per line without braces",
        ),
        (
            "found unexpected end of stream",
            "the front matter ends inside a quoted value or a bracket",
            "close the quote or bracket that is still open",
        ),
        (
            "did not find expected key",
            "this line does not fit the lines above it",
            "look here and just above for an unclosed quote `\"`, and check that keys at the same level start in the same column",
        ),
        (
            "found character that cannot start any token",
            "a value starts with a character YAML reserves, such as `@`, `%` or a backtick",
            "put the value in quotes",
        ),
        (
            "did not find expected node content",
            "a value is missing or cannot be read here",
            "check the line for a stray `-`, `[` or `{`, or put the value in quotes",
        ),
        (
            "block sequence entries are not allowed",
            "a `- item` is not allowed here",
            "start the list on the line after its key, indented, or put the value in quotes",
        ),
    ];
    for (pattern, plain, help) in KNOWN {
        if message.contains(pattern) {
            return ((*plain).to_string(), Some(help));
        }
    }
    (strip_positions(message), None)
}

/// Removes the parser's own " at line L column C" notes, since the
/// diagnostic shows the position itself.
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .find(" column ")
            .map(|c| {
                let tail = &after[c + " column ".len()..];
                c + " column ".len() + tail.chars().take_while(char::is_ascii_digit).count()
            })
            .unwrap_or(0);
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

/// The names inside backticks in "expected one of `a`, `b`".
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let src = "---\ntitle: A\n---\n# Body\n";
        let s = split(src).unwrap();
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_front_matter() {
        let s = split("# Just a page\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Just a page\n");
        assert_eq!(split("").unwrap().yaml, None);
    }

    #[test]
    fn crlf_bom_and_empty_block() {
        let s = split("\u{feff}---\r\ntitle: A\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, Some("title: A\r\n"));
        assert_eq!(s.body, "body");
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, Some(""));
        assert_eq!(s.body, "");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split("---\ntitle: A\n# Body\n"), Err(UnclosedFrontMatter));
        assert!(split("---").is_err());
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "fields are only deserialized")]
    struct Sample {
        title: String,
        duration: Option<u32>,
    }

    #[test]
    fn yaml_errors_point_at_the_file_line_with_a_suggestion() {
        let src = "---\ntitle: A\nduraton: 5\n---\n";
        let s = split(src).unwrap();
        let err = from_yaml::<Sample>(s.yaml.unwrap(), "p.md", src, s.yaml_line).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.code, Code::UnknownKey);
        assert_eq!(err.message, "unknown key `duraton`");
        assert!(
            err.help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `duration`?"),
            "{err:?}"
        );
        assert_eq!(err.source_line.as_deref(), Some("duraton: 5"));
    }

    #[test]
    fn duplicate_keys_point_at_the_second_one() {
        let src = "---\ntitle: A\nduration: 5\ntitle: B\n---\n";
        let s = split(src).unwrap();
        let err = from_yaml::<Sample>(s.yaml.unwrap(), "p.md", src, s.yaml_line).unwrap_err();
        assert_eq!(err.code, Code::DuplicateKey);
        assert_eq!(err.message, "the key `title` appears twice");
        assert_eq!((err.line, err.column), (4, 1));
        let yaml = "a:\n  - title: x\n    kind: v\n  - title: y\n    title: z\nb: 1\n";
        assert_eq!(second_key_line(yaml, "title", 3, 5), Some((4, 5)));
        assert_eq!(second_key_line(yaml, "title", 1, 5), None);
    }

    #[test]
    fn missing_keys_and_type_names_in_plain_words() {
        let src = "---\nduration: 5\n---\n";
        let s = split(src).unwrap();
        let err = from_yaml::<Sample>(s.yaml.unwrap(), "p.md", src, s.yaml_line).unwrap_err();
        assert_eq!(err.code, Code::MissingKey);
        assert_eq!(err.source_line, None, "no caret under an innocent key");
        let src = "---\ntitle: A\nduration: -1\n---\n";
        let s = split(src).unwrap();
        let err = from_yaml::<Sample>(s.yaml.unwrap(), "p.md", src, s.yaml_line).unwrap_err();
        assert!(!err.message.contains("u32"), "{}", err.message);
        assert_eq!(plain_type("i64"), "a whole number");
        assert_eq!(
            plain_type("struct RawWorkshop"),
            "a mapping of keys to values"
        );
    }

    #[test]
    fn syntax_errors_in_plain_words() {
        let cases = [
            (
                "title: Assessment: a guide\n",
                "a `:` inside a value cannot be read here",
            ),
            (
                "title: A\ntags: [a, b\n",
                "a list opened with `[` is not closed",
            ),
            (
                "title: \"A\nduration: 5\n",
                "this quote `\"` is never closed",
            ),
            (
                "title: A\nduration: {a: [b, c\n",
                "a list opened with `[` is not closed",
            ),
            ("title: A\n\tduration: 5\n", "a tab is used for indentation"),
        ];
        for (yaml, message) in cases {
            let err = from_yaml::<serde_yaml::Value>(yaml, "p.md", yaml, 1).unwrap_err();
            assert_eq!(err.code, Code::YamlSyntax, "{yaml:?}");
            assert_eq!(err.message, message, "{yaml:?}");
            assert!(err.help.is_some(), "{yaml:?}");
        }
        let yaml = "title: \"A\nsummary: ok \"quoted\" words\nduration: \"5:00\"\n";
        let err = from_yaml::<serde_yaml::Value>(yaml, "p.md", yaml, 2).unwrap_err();
        assert_eq!(err.message, "this quote `\"` is never closed");
        assert_eq!((err.line, err.column), (2, 8));
        assert_eq!(
            unclosed_quote("a: \"x \\\" y\"\n  - \"open\n", 5),
            Some((1, 5, '"'))
        );
        // Single quotes: `''` is a quote inside the value; an apostrophe
        // inside a plain value opens nothing.
        assert_eq!(
            unclosed_quote("a: 'it''s'\nb: Teachers' guide\nc: 'open\n", 5),
            Some((2, 4, '\''))
        );
        assert_eq!(unclosed_quote("- key: 'it''s\n", 5), Some((0, 8, '\'')));
        let yaml = "title: 'A guide\nduration: 5\n";
        let err = from_yaml::<serde_yaml::Value>(yaml, "p.md", yaml, 2).unwrap_err();
        assert_eq!(err.message, "this quote `'` is never closed");
        assert_eq!((err.line, err.column), (2, 8));
        assert_eq!(
            strip_positions("did not find expected key at line 45 column 16, while parsing"),
            "did not find expected key, while parsing"
        );
    }

    #[test]
    fn serde_yaml_messages_come_apart_into_place_and_kind() {
        let said = read_message(
            "self_study[0]: unknown field `duraton`, expected `title` or `duration` at line 3 column 5",
        );
        assert_eq!(said.place, Some("self_study[0]"));
        assert!(
            matches!(&said.what, Said::UnknownField { key: "duraton", allowed } if allowed == &["title", "duration"])
        );
        let said = read_message("duplicate field `title` at line 1 column 1");
        assert_eq!(said.place, None);
        assert!(matches!(said.what, Said::DuplicateField { key: "title" }));
        assert!(!said.is_syntax());
        let sent = ValueError::new("`soon` is not a date", "write dates as YYYY-MM-DD");
        let text = format!("date: {sent} at line 4 column 7");
        let said = read_message(&text);
        assert_eq!(said.place, Some("date"));
        assert!(matches!(
            said.what,
            Said::Value {
                message: "`soon` is not a date",
                help: "write dates as YYYY-MM-DD"
            }
        ));
        assert!(read_message("did not find expected key at line 2 column 1").is_syntax());
    }

    #[test]
    fn syntax_and_type_errors() {
        let src = "---\ntitle: [unclosed\n---\n";
        let s = split(src).unwrap();
        let err = from_yaml::<Sample>(s.yaml.unwrap(), "p.md", src, s.yaml_line).unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        let src = "---\ntitle: A\nduration: soon\n---\n";
        let s = split(src).unwrap();
        let err = from_yaml::<Sample>(s.yaml.unwrap(), "p.md", src, s.yaml_line).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.code, Code::WrongType);
        let err = from_yaml::<Sample>("", "p.md", "", 2).unwrap_err();
        assert_eq!(err.message, "missing required key `title`");
    }
}
