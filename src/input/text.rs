//! Reading one text file of a site (a Markdown page, `site.yaml`): never
//! more than [`MAX_TEXT_BYTES`], and UTF-8, or an error that says where
//! the first byte that is not sits.

use std::io::Read;
use std::path::Path;

use super::confine::not_a_file;
use crate::diagnostic::{Code, Diagnostic};

/// Text files larger than this are refused. A Markdown page of this size
/// is a pasted export or a wrong file: its parse takes up to a hundred
/// times its size in memory and seconds of work, so a few of them would
/// stall a build. The largest real pages (the transcript of a day-long
/// workshop) are well under half of it.
pub const MAX_TEXT_BYTES: u64 = 1_000_000;

/// What a file is, for the message that refuses it: "Markdown files are",
/// "site.yaml is".
pub struct Kind {
    pub limited: &'static str,
    pub help: &'static str,
}

pub const MARKDOWN: Kind = Kind {
    limited: "Markdown files are",
    help: "split it into several pages, or link to the large document as a `file:` resource",
};

pub const SITE_YAML: Kind = Kind {
    limited: "site.yaml is",
    help: "site.yaml holds a few settings; check that this is the right file",
};

/// `text` with every line ending written as `\n`. YAML and Markdown take a
/// lone `\r` (old Mac files) and `\r\n` (Windows) as line ends too; with
/// one kind only, the line a diagnostic names is the line an editor shows.
pub fn unix_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Reads the file at `path` (shown as `shown` in diagnostics); `None` when
/// there is no such file. Reads at most one byte over the limit, so a file
/// that grows while it is read, or a device, cannot make it read forever.
pub fn read_text(path: &Path, shown: &str, kind: &Kind) -> Result<Option<String>, Diagnostic> {
    let unreadable = |err: std::io::Error| {
        Diagnostic::error(
            Code::Unreadable,
            shown,
            format!("cannot read this file: {err}"),
        )
    };
    match std::fs::metadata(path) {
        // Opening a named pipe would wait for a writer forever; the walk
        // turns these away already, but one may be swapped in since.
        Ok(meta) if !meta.is_file() => return Err(not_a_file(shown.to_string(), meta.file_type())),
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(unreadable(err)),
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(unreadable(err)),
    };
    let too_large = |size: Option<u64>| {
        let size = match size {
            // Just over the limit, "1.0 MB" would read as within it.
            Some(size) if size < MAX_TEXT_BYTES + 100_000 => format!("is {size} bytes"),
            Some(size) => format!("is {:.1} MB", size as f64 / 1e6),
            None => "is larger than that".to_string(),
        };
        Diagnostic::error(
            Code::TooLarge,
            shown,
            format!(
                "this file {size}; {} limited to {} MB",
                kind.limited,
                MAX_TEXT_BYTES / 1_000_000
            ),
        )
        .with_help(kind.help)
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_TEXT_BYTES {
        return Err(too_large(Some(size)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(too_large(None));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(unix_line_ends(text))),
        Err(err) => {
            let (line, column) = first_bad_byte(err.as_bytes(), err.utf8_error().valid_up_to());
            Err(
                Diagnostic::error(Code::NotUtf8, shown, "this file is not UTF-8 text")
                    .with_help("save it as UTF-8 (\"Unicode\") in your editor")
                    .at(&String::from_utf8_lossy(err.as_bytes()), line, column),
            )
        }
    }
}

/// The line and column (in characters, as every diagnostic counts them)
/// of the byte at `valid_up_to`, the first that is not UTF-8.
fn first_bad_byte(bytes: &[u8], valid_up_to: usize) -> (usize, usize) {
    let valid = std::str::from_utf8(&bytes[..valid_up_to.min(bytes.len())]).unwrap_or("");
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let line = valid.matches('\n').count() + 1;
    (line, valid[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_found_in_characters() {
        let bytes = b"title: T\ndescription: Caf\xc3\xa9 \xff\n";
        assert_eq!(first_bad_byte(bytes, 28), (2, 19));
        assert_eq!(first_bad_byte(b"\xff", 0), (1, 1));
    }

    #[test]
    fn reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        std::fs::write(&path, vec![b'a'; MAX_TEXT_BYTES as usize + 1]).unwrap();
        let err = read_text(&path, "big.md", &MARKDOWN).unwrap_err();
        assert_eq!(err.code, Code::TooLarge);
        assert_eq!(
            err.message,
            "this file is 1000001 bytes; Markdown files are limited to 1 MB"
        );
        std::fs::write(&path, vec![b'a'; MAX_TEXT_BYTES as usize]).unwrap();
        assert!(read_text(&path, "big.md", &MARKDOWN).unwrap().is_some());
        let missing = dir.path().join("missing.md");
        assert_eq!(read_text(&missing, "missing.md", &MARKDOWN).unwrap(), None);
    }

    #[test]
    fn every_line_end_becomes_a_new_line() {
        assert_eq!(unix_line_ends("a\r\nb\rc\n\r\n".into()), "a\nb\nc\n\n");
        assert_eq!(unix_line_ends("plain\n".into()), "plain\n");
    }
}
