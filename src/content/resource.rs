//! One self-study resource: where it points (exactly one of a web
//! address, a page or a file of the pack) and how long it takes.

use super::locate::Step;
use super::media;
use super::model::*;
use super::raw::RawResource;
use super::source::{ParsedPack, Problems};
use crate::config::Config;
use crate::credit::{Duration, MAX_DURATION};
use crate::diagnostic::{did_you_mean, Code};
use crate::links::{self, ROOT_MARKER};

/// What a resource needs to know about its pack.
pub(super) struct PackContext<'a> {
    pub slug: &'a str,
    pub parsed: &'a ParsedPack,
    /// The pack's pages, already rendered (their words time a resource).
    pub pages: &'a [Page],
    pub config: &'a Config,
}

/// Validates resource `i` of the pack, reporting problems; `None` when it
/// cannot be used.
pub(super) fn build_resource(
    i: usize,
    r: &RawResource,
    pack: &PackContext<'_>,
    problems: &mut Problems<'_>,
    inline: &dyn Fn(&str) -> String,
) -> Option<Resource> {
    let at = At(i);
    if r.title.trim().is_empty() {
        problems.error(
            Code::EmptyValue,
            &at.key("title"),
            "the resource has an empty `title`".into(),
            None,
        );
    }
    one_target(i, r, problems)?;
    let found = if let Some(url) = &r.url {
        web_target(url, at, problems)?
    } else if let Some(page) = &r.page {
        page_target(page, at, pack, problems)?
    } else {
        file_target(r.file.as_deref().unwrap_or_default(), at, pack, problems)?
    };
    let (time, estimated) = resource_time(i, r, found.page_words, pack.config, problems)?;
    let transcript = transcript(r, at, pack, problems)?;
    let player = player(&found, pack);
    Some(Resource {
        number: i + 1,
        // Made unique within the pack by `unique_keys` once all are built.
        key: super::cycle::resource_key(r.id.as_deref(), &r.title),
        title: r.title.trim().to_string(),
        kind: r.kind,
        address: found.address,
        target: found.target,
        location: found.location,
        time,
        estimated,
        words: found.page_words.or(r.words),
        optional: r.optional,
        captions: r.captions,
        transcript,
        note: r.note.as_deref().map(inline),
        player,
        at: ResourceKeys {
            id: problems.locator.position(&at.key("id")).into(),
            kind: problems.locator.position(&at.key("kind")).into(),
            url: problems.locator.position(&at.key("url")).into(),
            duration: problems.locator.position(&at.key("duration")).into(),
        },
    })
}

/// Resource `i` in the front matter, to point problems at its keys.
#[derive(Clone, Copy)]
struct At(usize);

impl At {
    fn key(self, k: &'static str) -> [Step<'static>; 3] {
        [Step::Key("self_study"), Step::Index(self.0), Step::Key(k)]
    }
}

/// Where a resource turned out to be.
struct Found {
    target: ResourceTarget,
    address: Address,
    /// The URL, or the page or file name, as written.
    location: String,
    /// The words of its page, which time it when no duration is given.
    page_words: Option<u64>,
    /// The file, normalised, for a `file:` resource.
    file_name: Option<String>,
}

/// `resource-target`: exactly one of `url`, `page` and `file`.
fn one_target(i: usize, r: &RawResource, problems: &mut Problems<'_>) -> Option<()> {
    let targets = [("url", &r.url), ("page", &r.page), ("file", &r.file)];
    let given: Vec<&str> = targets
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(k, _)| *k)
        .collect();
    if given.len() == 1 {
        return Some(());
    }
    let message = if given.is_empty() {
        format!(
            "resource {} (`{}`) has no `url`, `page` or `file`",
            i + 1,
            r.title
        )
    } else {
        format!(
            "resource {} (`{}`) has both `{}`; it needs exactly one",
            i + 1,
            r.title,
            given.join("` and `")
        )
    };
    problems.error(Code::ResourceTarget, &At(i).key(given.get(1).copied().unwrap_or("title")), message, Some("give exactly one of `url:` (a web address), `page:` (a .md page of this pack) or `file:` (a file of this pack)".into()));
    None
}

/// `url:`, which must be an http(s) address (`bad-url`).
fn web_target(url: &str, at: At, problems: &mut Problems<'_>) -> Option<Found> {
    if !links::is_web_address(url) {
        problems.error(
            Code::BadUrl,
            &at.key("url"),
            format!("`{url}` is not a web address"),
            Some(address_help(url).into()),
        );
        return None;
    }
    Some(Found {
        target: ResourceTarget::Url,
        address: Address::Web(url.trim().to_string()),
        location: url.to_string(),
        page_words: None,
        file_name: None,
    })
}

/// `page:`, a `.md` page of the pack (`resource-target`, `missing-page`).
fn page_target(
    page: &str,
    at: At,
    pack: &PackContext<'_>,
    problems: &mut Problems<'_>,
) -> Option<Found> {
    let name = pack_path(page, "page", &at.key("page"), problems)?;
    let Some(stem) = name.strip_suffix(".md") else {
        problems.error(
            Code::ResourceTarget,
            &at.key("page"),
            format!("`{page}` is not a .md page"),
            Some("use `file:` for files that are copied as they are".into()),
        );
        return None;
    };
    let Some(found) = pack.pages.iter().find(|p| p.name == stem) else {
        let page_names: Vec<&str> = pack.pages.iter().map(|p| p.name.as_str()).collect();
        let help = match did_you_mean(stem, page_names.iter().copied()) {
            Some(best) => format!("did you mean `{best}.md`?"),
            None if page_names.is_empty() => "add the page to the pack folder".to_string(),
            None => format!(
                "pages of this pack: {}",
                page_names
                    .iter()
                    .map(|n| format!("{n}.md"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        problems.error(
            Code::MissingPage,
            &at.key("page"),
            format!("there is no page `{name}` in this pack"),
            Some(help),
        );
        return None;
    };
    Some(Found {
        target: ResourceTarget::Page,
        address: Address::Site(crate::layout::page(pack.slug, stem)),
        location: page.to_string(),
        page_words: Some(found.words),
        file_name: None,
    })
}

/// `file:`, a file of the pack other than a page (`resource-target`,
/// `missing-file`).
fn file_target(
    file: &str,
    at: At,
    pack: &PackContext<'_>,
    problems: &mut Problems<'_>,
) -> Option<Found> {
    let assets = &pack.parsed.files.assets;
    let name = pack_path(file, "file", &at.key("file"), problems)?;
    if name.ends_with(".md") {
        problems.error(
            Code::ResourceTarget,
            &at.key("file"),
            format!("`{file}` is a Markdown page"),
            Some(format!("use `page: {name}` so it is published as a page")),
        );
        return None;
    }
    if !assets.contains(&name) {
        let help = match did_you_mean(&name, assets.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "put the file in the pack's folder".to_string(),
        };
        problems.error(
            Code::MissingFile,
            &at.key("file"),
            format!("there is no file `{name}` in this pack"),
            Some(help),
        );
        return None;
    }
    Some(Found {
        target: ResourceTarget::File,
        address: Address::Site(crate::layout::pack_file(pack.slug, &name)),
        location: file.to_string(),
        page_words: None,
        file_name: Some(name),
    })
}

/// The resource's time: its `duration:`, else the reading time of its
/// page or its `words:`; the second value says it is an estimate.
fn resource_time(
    i: usize,
    r: &RawResource,
    page_words: Option<u64>,
    config: &Config,
    problems: &mut Problems<'_>,
) -> Option<(Duration, bool)> {
    let key = |k: &'static str| At(i).key(k);
    let (time, estimated) = match (r.duration, page_words, r.words) {
        (Some(d), _, _) => (d.0, false),
        (None, Some(words), _) | (None, None, Some(words)) => {
            match Duration::reading_time(words, config.reading_wpm) {
                Some(time) if time <= MAX_DURATION => (time, true),
                time => {
                    let (at, what) = match page_words {
                        Some(_) => ("page", "the page"),
                        None => ("words", "`words`"),
                    };
                    let hours = time.map_or_else(
                        || "more hours than can be counted".to_string(),
                        |t| format!("{} hours", t.hours_text()),
                    );
                    problems.error(
                        Code::InvalidValue,
                        &key(at),
                        format!(
                            "{words} words take {hours} to read at {} words a minute: more than 24 hours for one resource",
                            config.reading_wpm
                        ),
                        Some(format!("check {what}, or give the resource a `duration:`")),
                    );
                    return None;
                }
            }
        }
        (None, None, None) => {
            problems.error(
                Code::NoDuration,
                &key("title"),
                format!(
                    "resource {} (`{}`) has no duration: add `duration:` or `words:`",
                    i + 1,
                    r.title
                ),
                Some(
                    "e.g. `duration: 14:30` or `45m`, or `words: 1200` for a reading estimate"
                        .into(),
                ),
            );
            return None;
        }
    };
    if estimated && time == Duration::ZERO {
        problems.error(
            Code::NoDuration,
            &key("words"),
            format!("resource {} (`{}`) takes no time to read", i + 1, r.title),
            Some("add `duration:`".into()),
        );
        return None;
    }

    Some((time, estimated))
}

/// `transcript:`, a web address or a page or file of the pack. The outer
/// `None` means the transcript is unusable and so is the resource.
fn transcript(
    r: &RawResource,
    at: At,
    pack: &PackContext<'_>,
    problems: &mut Problems<'_>,
) -> Option<Option<Address>> {
    let slug = pack.slug;
    let key = |k: &'static str| at.key(k);
    let page_names: Vec<&str> = pack.pages.iter().map(|p| p.name.as_str()).collect();
    let transcript = match &r.transcript {
        None => None,
        Some(t) if looks_like_address(t) => {
            if !links::is_web_address(t) {
                problems.error(
                    Code::BadUrl,
                    &key("transcript"),
                    format!("`{t}` is not a web address"),
                    Some(format!("{}, or a page of this pack", address_help(t))),
                );
            }
            Some(Address::Web(t.trim().to_string()))
        }
        Some(t) => {
            let name = pack_path(t, "transcript", &key("transcript"), problems)?;
            if let Some(stem) = name.strip_suffix(".md") {
                if !page_names.contains(&stem) {
                    problems.error(
                        Code::MissingPage,
                        &key("transcript"),
                        format!("there is no page `{name}` in this pack"),
                        did_you_mean(stem, page_names.iter().copied())
                            .map(|b| format!("did you mean `{b}.md`?")),
                    );
                }
                Some(Address::Site(crate::layout::page(slug, stem)))
            } else if pack.parsed.files.assets.contains(&name) {
                Some(Address::Site(crate::layout::pack_file(slug, &name)))
            } else {
                problems.error(
                    Code::MissingFile,
                    &key("transcript"),
                    format!("there is no file `{name}` in this pack"),
                    Some(
                        "give a page of this pack (`transcript.md`) or an https:// address".into(),
                    ),
                );
                None
            }
        }
    };

    Some(transcript)
}

/// How a page can play the resource, from its address or file.
fn player(found: &Found, pack: &PackContext<'_>) -> Option<Player> {
    let slug = pack.slug;
    match found.target {
        ResourceTarget::Url => match &found.address {
            Address::Web(url) => media::player_for_url(url),
            Address::Site(_) => None,
        },
        ResourceTarget::File => found.file_name.as_ref().and_then(|name| {
            // Found by the file's own name, then given escaped addresses.
            let raw = format!("{ROOT_MARKER}{}", crate::layout::pack_file(slug, name));
            media::player_for_file(name, &raw, &pack.parsed.files.assets).map(escaped_player)
        }),
        ResourceTarget::Page => None,
    }
}

/// The address of a file of the site, from any page: the root marker and
/// the path, escaped (a `#` in a file name must not start a fragment).
fn site_href(path: &str) -> String {
    format!("{ROOT_MARKER}{}", links::percent_encode_path(path))
}

/// A player for a file whose addresses were made from its name as it is,
/// with those addresses escaped.
fn escaped_player(player: Player) -> Player {
    let escape = |href: String| match href.strip_prefix(ROOT_MARKER) {
        Some(path) => site_href(path),
        None => href,
    };
    match player {
        Player::Audio { src } => Player::Audio { src: escape(src) },
        Player::Video { src, captions } => Player::Video {
            src: escape(src),
            captions: captions.map(escape),
        },
        embed @ Player::Embed { .. } => embed,
    }
}

/// Makes resource keys unique within a pack: a repeated title gets `-2`,
/// `-3`; a title without letters or digits gets `resource-N`.
pub(super) fn unique_keys(resources: &mut [Resource]) {
    let mut seen = std::collections::HashSet::new();
    for r in resources {
        if r.key.is_empty() {
            r.key = format!("resource-{}", r.number);
        }
        let base = r.key.clone();
        let mut n = 1;
        while !seen.insert(r.key.clone()) {
            n += 1;
            r.key = format!("{base}-{n}");
        }
    }
}

/// Normalises a path written in a pack's front matter; refuses one that
/// leaves the pack folder.
/// Whether a `transcript:` is meant as an address rather than a file of
/// the pack: it has a scheme (`https:`, `file:`, `javascript:`), not a
/// drive letter (`C:`).
fn looks_like_address(value: &str) -> bool {
    let value = value.trim();
    value.contains("://")
        || links::is_dangerous_url(value)
        || (links::has_scheme(value) && value.find(':').is_some_and(|i| i > 1))
}

/// How to fix an address field that is not an http(s) address.
fn address_help(url: &str) -> &'static str {
    if links::is_dangerous_url(url) {
        "addresses that run code (`javascript:`, `data:`, `vbscript:`) are never published; \
         give the https:// address of the resource"
    } else if links::has_scheme(url.trim()) {
        "give an http:// or https:// address; for a file, put it in the pack's folder and \
         use `file:`"
    } else {
        "start the address with https://, e.g. `https://www.example.org/video`"
    }
}

fn pack_path(
    value: &str,
    key: &str,
    at: &[Step<'_>],
    problems: &mut Problems<'_>,
) -> Option<String> {
    let absolute =
        value.starts_with('/') || value.starts_with('\\') || value.get(1..2) == Some(":");
    match links::normalize(Vec::new(), value) {
        Some(path) if !absolute && !path.is_empty() => Some(path),
        _ => {
            problems.error(
                Code::OutsidePack,
                at,
                format!("`{key}: {value}` points outside the pack folder"),
                Some("name a file inside this pack's folder, e.g. `reading.md`".into()),
            );
            None
        }
    }
}
