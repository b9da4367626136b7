//! Tags across packs, one page per tag slug.
//!
//! A pack's card lists its tags, and the card is shown on the page of each
//! of them: a pack with `n` tags puts `n` tags on each of `n` pages. So the
//! number of tags of one pack is bounded, as is the length of one tag,
//! which names a folder of the output.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::locate::{Locator, Step};
use super::model::*;
use super::source::{parts, read_source, ParsedPack, Problems, ReadPack};
use crate::diagnostic::{display_path, Code, Diagnostic};
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

/// `tag-spelling`: a tag spelt two ways in two packs, which would be
/// published as one tag page under one of the two names. Packs are taken
/// in slug order, so that which spelling is "first" does not depend on the
/// order files were read in.
pub(super) fn spelling_problems(root: &Path, packs: &[ReadPack]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut spelling: HashMap<String, (String, String)> = HashMap::new();
    let mut ordered: Vec<&ReadPack> = packs.iter().collect();
    ordered.sort_by(|a, b| a.files.slug.cmp(&b.files.slug));
    for pack in ordered {
        for (i, name) in pack.tags.iter().enumerate() {
            let name = name.trim();
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            match spelling.get(&slug) {
                Some((first, first_pack)) if first != name => {
                    let d = Diagnostic::error(
                        Code::TagSpelling,
                        display_path(
                            root,
                            pack.files
                                .pack_md
                                .as_deref()
                                .unwrap_or(&pack.files.dir.join("pack.md")),
                        ),
                        format!("the tag `{name}` is spelt `{first}` in pack `{first_pack}`"),
                    )
                    .with_help(format!(
                        "both would be published as tags/{slug}/; use one spelling, `{first}`"
                    ));
                    problems.push(at_tag(root, pack, i, d));
                }
                Some(_) => {}
                None => {
                    spelling.insert(slug.clone(), (name.to_string(), pack.files.slug.clone()));
                }
            }
        }
    }
    problems
}

/// Points `d` at the `i`th tag of `pack`, in the text pass 1 kept or, when
/// the load streams, read again: a clash is rare, so the text is not kept
/// for it.
fn at_tag(root: &Path, pack: &ReadPack, i: usize, d: Diagnostic) -> Diagnostic {
    let read;
    let source = match &pack.parsed {
        Some(parsed) => &parsed.source,
        None => match pack
            .files
            .pack_md
            .as_deref()
            .map(|md| read_source(root, md))
        {
            Some(Ok(source)) => {
                read = source;
                &read
            }
            _ => return d,
        },
    };
    let (line, column) = parts(source).as_ref().map_or((1, 0), |p| {
        Locator::new(p.yaml, p.yaml_line).position(&[Step::Key("tags"), Step::Index(i)])
    });
    d.at(&source.text, line, column)
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
