//! Accessibility lints: what keeps a teacher who is deaf, hard of hearing,
//! blind or on a screen reader from using a pack.
//!
//! Each is a warning: the site still builds, but `check --strict` fails.
//!
//! | code | finding |
//! | --- | --- |
//! | `video-no-captions` | a video with neither `captions: true`, a `.vtt` beside its file, nor a `transcript` |
//! | `podcast-no-transcript` | a podcast without a `transcript` |
//! | `image-no-alt` | an image with empty alt text, or an HTML `<img>` without `alt` |
//! | `vague-link-text` | link text such as "click here" or none at all |
//! | `url-link-text` | a bare web address as link text |
//! | `heading-skip` | a heading more than one level below the one before |

use super::{Document, Sources};
use crate::content::{Kind, Player, Site};
use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::LinkKind;

/// A problem with one self-study resource's media.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaProblem {
    VideoWithoutCaptions,
    PodcastWithoutTranscript,
}

/// What, if anything, a resource lacks for teachers who cannot hear it.
pub fn media_problem(kind: Kind, captions: bool, has_transcript: bool) -> Option<MediaProblem> {
    match kind {
        Kind::Video if !captions && !has_transcript => Some(MediaProblem::VideoWithoutCaptions),
        Kind::Podcast if !has_transcript => Some(MediaProblem::PodcastWithoutTranscript),
        _ => None,
    }
}

/// Why some link text tells a screen-reader user nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTextProblem {
    /// "click here", "read more", or no text at all.
    Vague,
    /// The address itself, read out character by character.
    BareUrl,
}

/// Words that make sense only next to the sentence around them; screen
/// reader users often move from link to link and hear only the link text.
const VAGUE: &[&str] = &[
    "",
    "click",
    "click here",
    "here",
    "this",
    "this link",
    "this page",
    "link",
    "go",
    "more",
    "read more",
    "learn more",
    "more info",
    "more information",
    "details",
    "info",
];

/// Judges the text of a link to `dest`.
pub fn link_text_problem(text: &str, dest: &str) -> Option<LinkTextProblem> {
    let text = text.trim();
    let lower = text.to_lowercase();
    let normal = lower
        .trim_end_matches(['.', ':', '!', '…', '»', '>'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if VAGUE.contains(&normal.as_str()) || normal.starts_with("click here") {
        return Some(LinkTextProblem::Vague);
    }
    let looks_like_url = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || (text == dest && text.contains('/'));
    looks_like_url.then_some(LinkTextProblem::BareUrl)
}

/// Whether an image's alt text is missing.
pub fn alt_missing(alt: &str) -> bool {
    alt.trim().is_empty()
}

/// The indexes of headings that skip a level: a `####` right after a `##`.
/// The first heading of a text is not judged, since the page around it
/// has headings of its own.
pub fn heading_skips(levels: &[u8]) -> Vec<usize> {
    levels
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[1] > pair[0] + 1)
        .map(|(i, _)| i + 1)
        .collect()
}

/// `video-no-captions` and `podcast-no-transcript`, for every resource.
pub fn media(site: &Site, sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for pack in &site.packs {
        for r in &pack.self_study {
            // A local video with a `.vtt` beside it plays with captions
            // whatever its `captions:` says.
            let captions = r.captions
                || matches!(
                    &r.player,
                    Some(Player::Video {
                        captions: Some(_),
                        ..
                    })
                );
            let Some(problem) = media_problem(r.kind, captions, r.transcript.is_some()) else {
                continue;
            };
            let d = match problem {
                MediaProblem::VideoWithoutCaptions => Diagnostic::warning(
                    Code::VideoNoCaptions,
                    pack.source.path.as_str(),
                    format!("the video `{}` has no captions or transcript", r.title),
                )
                .with_help(
                    "add `captions: true` if the video has captions, or `transcript:` with a page \
                     of this pack (e.g. `transcript.md`) or an https:// address",
                ),
                MediaProblem::PodcastWithoutTranscript => Diagnostic::warning(
                    Code::PodcastNoTranscript,
                    pack.source.path.as_str(),
                    format!("the podcast `{}` has no transcript", r.title),
                )
                .with_help(
                    "add `transcript:` with a page of this pack (e.g. `transcript.md`) or the \
                     https:// address of the show's transcript",
                ),
            };
            found.push(sources.at_key(d, r.at.kind));
        }
    }
    found
}

/// `image-no-alt`, `vague-link-text`, `url-link-text` and `heading-skip`,
/// for every Markdown text.
pub fn markdown(documents: &[Document<'_>], sources: &Sources) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for doc in documents {
        for link in &doc.links {
            let d = if link.is_image() {
                let help = match link.kind {
                    LinkKind::HtmlImage { decorative: true } => continue,
                    LinkKind::HtmlImage { .. } => {
                        "describe what the image shows in its `alt` attribute: \
                         `<img src=\"photo.jpg\" alt=\"A teacher kneeling beside a student's desk\">`, \
                         or write `alt=\"\"` if it is only decoration"
                    }
                    _ => {
                        "describe what the image shows between the brackets: \
                         `![A teacher kneeling beside a student's desk](photo.jpg)`"
                    }
                };
                if !alt_missing(&link.text) {
                    continue;
                }
                Diagnostic::warning(
                    Code::ImageNoAlt,
                    doc.file,
                    format!("the image `{}` has no alt text", link.dest),
                )
                .with_help(help)
            } else {
                match link_text_problem(&link.text, &link.dest) {
                    None => continue,
                    Some(LinkTextProblem::Vague) => Diagnostic::warning(
                        Code::VagueLinkText,
                        doc.file,
                        if link.text.trim().is_empty() {
                            "this link has no text".to_string()
                        } else {
                            format!(
                                "the link text `{}` does not say where it goes",
                                link.text.trim()
                            )
                        },
                    )
                    .with_help(
                        "screen reader users often hear links out of context; name the \
                         destination: `[the wait-time guide](guide.md)`",
                    ),
                    Some(LinkTextProblem::BareUrl) => Diagnostic::warning(
                        Code::UrlLinkText,
                        doc.file,
                        "the link text is a bare web address",
                    )
                    .with_help(
                        "a screen reader reads an address out character by character; write what \
                         it is: `[the district's RTI handbook](https://...)`",
                    ),
                }
            };
            found.push(sources.at(d, link.line, link.column));
        }
        let levels: Vec<u8> = doc.headings.iter().map(|h| h.level).collect();
        for i in heading_skips(&levels) {
            let (before, heading) = (&doc.headings[i - 1], &doc.headings[i]);
            let d = Diagnostic::warning(
                Code::HeadingSkip,
                doc.file,
                format!(
                    "the heading `{}` is level {} but follows a level {} heading",
                    heading.text, heading.level, before.level
                ),
            )
            .with_help(format!(
                "screen reader users move by heading level; use {} (level {}) here",
                "#".repeat(usize::from(before.level) + 1),
                before.level + 1
            ));
            found.push(sources.at(d, heading.line, 1));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_rules() {
        use MediaProblem::*;
        let cases = [
            (Kind::Video, false, false, Some(VideoWithoutCaptions)),
            (Kind::Video, true, false, None),
            (Kind::Video, false, true, None),
            (Kind::Podcast, true, false, Some(PodcastWithoutTranscript)),
            (Kind::Podcast, false, true, None),
            (Kind::Reading, false, false, None),
            (Kind::Activity, false, false, None),
        ];
        for (kind, captions, transcript, expected) in cases {
            assert_eq!(
                media_problem(kind, captions, transcript),
                expected,
                "{kind:?} captions={captions} transcript={transcript}"
            );
        }
    }

    #[test]
    fn link_text_rules() {
        use LinkTextProblem::*;
        let cases = [
            ("the wait-time guide", "guide.md", None),
            ("Click here", "guide.md", Some(Vague)),
            ("click here to download the log", "log.csv", Some(Vague)),
            ("here.", "guide.md", Some(Vague)),
            ("Read  more…", "guide.md", Some(Vague)),
            ("", "guide.md", Some(Vague)),
            ("more about tiers", "guide.md", None),
            (
                "https://example.org/a",
                "https://example.org/a",
                Some(BareUrl),
            ),
            ("www.example.org", "https://www.example.org", Some(BareUrl)),
            ("example.org/a/b", "example.org/a/b", Some(BareUrl)),
            ("coach@example.org", "coach@example.org", None),
            ("Herefordshire schools", "https://example.org", None),
        ];
        for (text, dest, expected) in cases {
            assert_eq!(link_text_problem(text, dest), expected, "{text:?}");
        }
    }

    #[test]
    fn alt_text() {
        assert!(alt_missing(""));
        assert!(alt_missing("  "));
        assert!(!alt_missing("A teacher reading aloud"));
    }

    #[test]
    fn heading_levels() {
        let cases: [(&[u8], &[usize]); 6] = [
            (&[], &[]),
            (&[3], &[]),
            (&[2, 3, 4, 2, 3], &[]),
            (&[1, 3], &[1]),
            (&[2, 4, 5, 2, 5], &[1, 4]),
            (&[4, 2, 1], &[]),
        ];
        for (levels, skips) in cases {
            assert_eq!(heading_skips(levels), skips, "{levels:?}");
        }
    }
}
