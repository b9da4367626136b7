//! Which player a resource gets, decided from its address alone.
//!
//! A teacher should be able to watch or listen without leaving the pack,
//! but a page must not contact a video platform before the teacher asks
//! for it: a school may not allow that, and it tells the platform who is
//! reading. So YouTube and Vimeo addresses become *privacy-enhanced embeds*
//! (youtube-nocookie.com, Vimeo with `dnt=1`) that the theme loads only on
//! a click, and audio and video files become the browser's own players.
//! Anything else stays a plain link.
//!
//! This is pure string work on the address as written, so it is tested
//! here with a table of the forms people paste.

use super::model::{Address, Embed, Player, Provider};

const AUDIO_EXTENSIONS: &[&str] = &["mp3", "m4a", "ogg", "oga", "opus", "wav"];
const VIDEO_EXTENSIONS: &[&str] = &["mp4", "webm", "m4v", "ogv"];

/// The player for a resource at the web address `url`, if any.
pub fn player_for_url(url: &str) -> Option<Player> {
    let url = url.trim();
    if let Some(embed) = youtube(url).or_else(|| vimeo(url)) {
        return Some(embed);
    }
    let path = strip_query(after_host(url)?);
    media_file(path, Address::Web(url.to_string()), None)
}

/// The player for a file `name` of a pack, published at `path` (from the
/// site root). `assets` are the pack's other files, searched for a
/// captions file.
pub fn player_for_file(name: &str, path: &str, assets: &[String]) -> Option<Player> {
    let captions = extension(name)
        .filter(|ext| VIDEO_EXTENSIONS.contains(&ext.as_str()))
        .and_then(|_| {
            let stem = &name[..name.rfind('.')?];
            let vtt = format!("{stem}.vtt");
            let found = assets.iter().find(|a| a.eq_ignore_ascii_case(&vtt))?;
            // The path ends with the file name; swap it for the captions'.
            let base = path.strip_suffix(name)?;
            Some(Address::Site(format!("{base}{found}")))
        });
    media_file(name, Address::Site(path.to_string()), captions)
}

fn media_file(path: &str, src: Address, captions: Option<Address>) -> Option<Player> {
    let ext = extension(path)?;
    if AUDIO_EXTENSIONS.contains(&ext.as_str()) {
        Some(Player::Audio { src })
    } else if VIDEO_EXTENSIONS.contains(&ext.as_str()) {
        Some(Player::Video { src, captions })
    } else {
        None
    }
}

fn extension(path: &str) -> Option<String> {
    let file = path.rsplit('/').next()?;
    let (_, ext) = file.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// `host` and the rest of an http(s) address, the host lower-cased and
/// without `www.` or `m.`.
fn split_web_url(url: &str) -> Option<(String, &str)> {
    let lower = url.get(..8)?.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].to_ascii_lowercase();
    let host = host.split('@').next_back().unwrap_or(&host);
    let host = host.split(':').next().unwrap_or(host);
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("m."))
        .unwrap_or(host);
    Some((host.to_string(), &rest[end..]))
}

fn after_host(url: &str) -> Option<&str> {
    split_web_url(url).map(|(_, rest)| rest)
}

fn strip_query(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

/// The value of `key` in the query string of `rest`.
fn query_param<'a>(rest: &'a str, key: &str) -> Option<&'a str> {
    let query = rest.split('#').next()?.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

fn youtube(url: &str) -> Option<Player> {
    let (host, rest) = split_web_url(url)?;
    let path = strip_query(rest);
    let id = match host.as_str() {
        "youtu.be" => path.trim_start_matches('/').split('/').next()?,
        "youtube.com" | "youtube-nocookie.com" | "music.youtube.com" => {
            if path == "/watch" {
                query_param(rest, "v")?
            } else {
                let mut parts = path.trim_start_matches('/').split('/');
                match parts.next()? {
                    "embed" | "shorts" | "live" | "v" => parts.next()?,
                    _ => return None,
                }
            }
        }
        _ => return None,
    };
    let valid = id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return None;
    }
    let host = Provider::YouTube.host();
    let mut src = format!("https://{host}/embed/{id}?autoplay=1");
    if let Some(start) = query_param(rest, "t")
        .or_else(|| query_param(rest, "start"))
        .and_then(seconds)
    {
        src.push_str(&format!("&start={start}"));
    }
    Some(Player::Embed(Embed {
        provider: Provider::YouTube,
        src,
    }))
}

/// A YouTube start time: `90`, `90s`, `1m30s`, `1h2m3s`.
fn seconds(value: &str) -> Option<u64> {
    if let Ok(n) = value.parse::<u64>() {
        return Some(n);
    }
    let mut total = 0;
    let mut number = String::new();
    for c in value.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            let n: u64 = number.parse().ok()?;
            number.clear();
            total += n * match c {
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => return None,
            };
        }
    }
    number.is_empty().then_some(total)
}

fn vimeo(url: &str) -> Option<Player> {
    let (host, rest) = split_web_url(url)?;
    let path = strip_query(rest);
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    // vimeo.com/123, vimeo.com/123/abcdef (unlisted), vimeo.com/channels/x/123,
    // vimeo.com/groups/x/videos/123, player.vimeo.com/video/123?h=abcdef
    let (id, hash) = match host.as_str() {
        "vimeo.com" => {
            let at = parts.iter().position(|p| is_digits(p))?;
            (parts[at], parts.get(at + 1).copied().filter(|h| is_hex(h)))
        }
        "player.vimeo.com" => match parts.as_slice() {
            ["video", id, ..] if is_digits(id) => (*id, query_param(rest, "h")),
            _ => return None,
        },
        _ => return None,
    };
    let host = Provider::Vimeo.host();
    let mut src = format!("https://{host}/video/{id}?dnt=1&autoplay=1");
    if let Some(hash) = hash.filter(|h| is_hex(h)) {
        src.push_str(&format!("&h={hash}"));
    }
    Some(Player::Embed(Embed {
        provider: Provider::Vimeo,
        src,
    }))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embed_src(url: &str) -> Option<String> {
        match player_for_url(url) {
            Some(Player::Embed(embed)) => Some(embed.src),
            _ => None,
        }
    }

    #[test]
    fn youtube_addresses_become_nocookie_embeds() {
        let expected = "https://www.youtube-nocookie.com/embed/aISXCw0Pi94?autoplay=1";
        for url in [
            "https://www.youtube.com/watch?v=aISXCw0Pi94",
            "https://youtube.com/watch?feature=share&v=aISXCw0Pi94",
            "http://m.youtube.com/watch?v=aISXCw0Pi94",
            "https://youtu.be/aISXCw0Pi94",
            "https://www.youtube.com/embed/aISXCw0Pi94",
            "https://www.youtube.com/shorts/aISXCw0Pi94",
            "https://www.youtube-nocookie.com/embed/aISXCw0Pi94",
            " HTTPS://WWW.YOUTUBE.COM/watch?v=aISXCw0Pi94 ",
        ] {
            assert_eq!(embed_src(url).as_deref(), Some(expected), "{url}");
        }
        assert_eq!(
            embed_src("https://youtu.be/aISXCw0Pi94?t=1m30s").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/aISXCw0Pi94?autoplay=1&start=90")
        );
        assert_eq!(
            embed_src("https://www.youtube.com/watch?v=aISXCw0Pi94&t=42").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/aISXCw0Pi94?autoplay=1&start=42")
        );
    }

    #[test]
    fn vimeo_addresses_become_do_not_track_embeds() {
        let cases = [
            (
                "https://vimeo.com/76979871",
                "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            ),
            (
                "https://vimeo.com/channels/staffpicks/76979871",
                "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            ),
            (
                "https://vimeo.com/76979871/3f2a9c1b0d",
                "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=3f2a9c1b0d",
            ),
            (
                "https://player.vimeo.com/video/76979871?h=abc123",
                "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abc123",
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(embed_src(url).as_deref(), Some(expected), "{url}");
        }
    }

    #[test]
    fn other_addresses_are_not_embeds() {
        for url in [
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/@channel",
            "https://www.youtube.com/watch?v=aISXCw0Pi94\"onload=\"x",
            "https://vimeo.com/about",
            "https://notyoutube.com/watch?v=aISXCw0Pi94",
            "https://example.org/videos/rephrasing-not-repeating",
            "ftp://youtube.com/watch?v=aISXCw0Pi94",
        ] {
            assert_eq!(embed_src(url), None, "{url}");
        }
    }

    #[test]
    fn audio_and_video_addresses_get_native_players() {
        let cases = [
            ("https://example.org/ep12.mp3", "audio"),
            ("https://example.org/ep12.M4A?download=1", "audio"),
            ("https://example.org/feed/ep.ogg#t=10", "audio"),
            ("https://example.org/talk.mp4", "video"),
            ("https://example.org/talk.webm", "video"),
            ("https://example.org/episode-12", "none"),
            ("https://example.org/mp3", "none"),
            ("https://example.org/?file=a.mp3", "none"),
        ];
        for (url, expected) in cases {
            let got = match player_for_url(url) {
                Some(Player::Audio { .. }) => "audio",
                Some(Player::Video { .. }) => "video",
                Some(Player::Embed(_)) => "embed",
                None => "none",
            };
            assert_eq!(got, expected, "{url}");
        }
    }

    #[test]
    fn local_video_gets_captions_from_a_vtt_beside_it() {
        let assets = vec![
            "media/talk.mp4".to_string(),
            "media/talk.vtt".to_string(),
            "clip.webm".to_string(),
        ];
        assert_eq!(
            player_for_file("media/talk.mp4", "packs/p/media/talk.mp4", &assets),
            Some(Player::Video {
                src: Address::Site("packs/p/media/talk.mp4".into()),
                captions: Some(Address::Site("packs/p/media/talk.vtt".into())),
            })
        );
        assert_eq!(
            player_for_file("clip.webm", "packs/p/clip.webm", &assets),
            Some(Player::Video {
                src: Address::Site("packs/p/clip.webm".into()),
                captions: None,
            })
        );
        assert_eq!(
            player_for_file("ep.mp3", "packs/p/ep.mp3", &assets),
            Some(Player::Audio {
                src: Address::Site("packs/p/ep.mp3".into())
            })
        );
        assert_eq!(player_for_file("log.csv", "packs/p/log.csv", &assets), None);
    }

    #[test]
    fn start_times() {
        assert_eq!(seconds("90"), Some(90));
        assert_eq!(seconds("1m30s"), Some(90));
        assert_eq!(seconds("1h2m3s"), Some(3723));
        assert_eq!(seconds("1m30"), None);
        assert_eq!(seconds("x"), None);
    }
}
