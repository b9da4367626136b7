//! Tags across packs, one page per tag slug.
//!
//! A pack's card lists its tags, and the card is shown on the page of each
//! of them: a pack with `n` tags puts `n` tags on each of `n` pages. So the
//! number of tags of one pack is bounded, as is the length of one tag,
//! which names a folder of the output.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::locate::{Locator, Step};
use super::model::*;
use super::source::{parts, ParsedPack, Problems};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::slug::slugify;

/// The most tags one pack may have. Real packs have three to six; fifty
/// leaves room for a list of standards.
pub const MAX_TAGS_PER_PACK: usize = 50;

/// The longest tag, in characters: a tag is a short label, and its slug
/// names the tag's folder in the output.
pub const MAX_TAG_CHARS: usize = 80;

/// The longest tag slug, in bytes. File systems refuse names over 255
/// bytes; eighty letters outside ASCII can take more than that.
pub const MAX_TAG_SLUG_BYTES: usize = 200;

/// The tags of one pack as written in its front matter, each once,
/// reporting tags that cannot be published and a list that is too long.
pub(super) fn pack_tags(names: &[String], problems: &mut Problems<'_>) -> Vec<TagRef> {
    use Step::{Index, Key};
    let distinct: HashSet<String> = names.iter().map(|n| slugify(n)).collect();
    if distinct.len() > MAX_TAGS_PER_PACK {
        problems.error(
            Code::TooManyTags,
            &[Key("tags")],
            format!(
                "this pack has {} tags; a pack may have at most {MAX_TAGS_PER_PACK}",
                distinct.len()
            ),
            Some(
                "keep the few tags a teacher would browse by; the pack's page is found by search \
                 for everything else"
                    .into(),
            ),
        );
        return Vec::new();
    }
    let mut tags: Vec<TagRef> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = name.trim();
        let slug = slugify(name);
        let chars = name.chars().count();
        if slug.is_empty() {
            problems.error(
                Code::BadTag,
                &[Key("tags"), Index(i)],
                format!("the tag `{name}` has no letters or digits"),
                None,
            );
        } else if chars > MAX_TAG_CHARS || slug.len() > MAX_TAG_SLUG_BYTES {
            let start: String = name.chars().take(30).collect();
            problems.error(
                Code::BadTag,
                &[Key("tags"), Index(i)],
                format!(
                    "the tag `{start}…` is {chars} characters long; a tag may be at most {MAX_TAG_CHARS}"
                ),
                Some("a tag is a short label, such as `classroom management`".into()),
            );
        } else if !tags.iter().any(|t| t.slug == slug) {
            tags.push(TagRef {
                name: name.to_string(),
                url: crate::layout::tag(&slug),
                slug,
            });
        }
    }
    tags
}

/// Gathers tags across packs. Two spellings that make the same slug
/// ("ELL" and "ell") would share one page, so the second is an error.
pub(super) fn collect_tags(
    parsed: &[ParsedPack],
    packs: &[Pack],
    problems: &mut Diagnostics,
) -> Vec<Tag> {
    // First spelling seen, in slug order of packs, for stable messages.
    let mut spelling: HashMap<String, (String, String)> = HashMap::new();
    let mut ordered: Vec<&ParsedPack> = parsed.iter().collect();
    ordered.sort_by(|a, b| a.files.slug.cmp(&b.files.slug));
    for pack in ordered {
        for (i, name) in pack.raw.tags.iter().enumerate() {
            let name = name.trim();
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            match spelling.get(&slug) {
                Some((first, first_pack)) if first != name => {
                    let p = parts(&pack.source);
                    let (line, column) = p.as_ref().map_or((1, 0), |p| {
                        Locator::new(p.yaml, p.yaml_line)
                            .position(&[Step::Key("tags"), Step::Index(i)])
                    });
                    problems.push(
                        Diagnostic::error(
                            Code::TagSpelling,
                            pack.source.shown.clone(),
                            format!("the tag `{name}` is spelt `{first}` in pack `{first_pack}`"),
                        )
                        .with_help(format!(
                            "both would be published as tags/{slug}/; use one spelling, `{first}`"
                        ))
                        .at(&pack.source.text, line, column),
                    );
                }
                Some(_) => {}
                None => {
                    spelling.insert(slug.clone(), (name.to_string(), pack.files.slug.clone()));
                }
            }
        }
    }
    index_tags(packs)
}

/// The site's tags, each with its packs in catalog order, sorted by name.
/// Spellings are taken from the packs' own tags, which agree once
/// [`collect_tags`] found no clash.
pub(super) fn index_tags(packs: &[Pack]) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    for pack in packs {
        for tag in &pack.tags {
            by_slug
                .entry(tag.slug.clone())
                .or_insert_with(|| Tag {
                    name: tag.name.clone(),
                    slug: tag.slug.clone(),
                    url: tag.url.clone(),
                    packs: Vec::new(),
                })
                .packs
                .push(pack.slug.clone());
        }
    }
    let mut tags: Vec<Tag> = by_slug.into_values().collect();
    tags.sort_by_key(|t| t.name.to_lowercase());
    tags
}

/// Would `parsed` make [`collect_tags`] report a spelling clash, with
/// itself or with one of `others`? (Then only a whole load says where.)
pub(super) fn spelling_clashes(parsed: &ParsedPack, others: &[Pack]) -> bool {
    // (slug, first spelling) of the pack's own tags: a handful.
    let mut own: Vec<(String, &str)> = Vec::new();
    for name in &parsed.raw.tags {
        let name = name.trim();
        let slug = slugify(name);
        if slug.is_empty() {
            continue;
        }
        match own.iter().find(|(s, _)| *s == slug) {
            Some((_, first)) if *first != name => return true,
            Some(_) => {}
            None => own.push((slug, name)),
        }
    }
    others
        .iter()
        .filter(|p| p.slug != parsed.files.slug)
        .flat_map(|p| &p.tags)
        .any(|tag| {
            own.iter()
                .any(|(slug, name)| *slug == tag.slug && *name != tag.name)
        })
}
