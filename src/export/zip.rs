//! Zip files that are the same, byte for byte, for the same input: a
//! coach can rebuild an export and see that nothing changed, and an LMS
//! that compares uploads sees no new version.
//!
//! What makes a zip differ from run to run is fixed here: every entry has
//! the zip format's earliest time (1980-01-01 00:00), the same
//! permissions (a plain readable file), deflate at the default level, and
//! the entries are written in sorted order.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The comment every export carries, by which a later export knows a
/// file at its path as its own to replace with `--force`.
pub const COMMENT: &str = "Written by flippack export";

/// The zip of `files` (path in the zip → bytes), entries in path order.
pub fn zip(files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, std::io::Error> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (path, bytes) in files {
        writer.start_file(path.as_str(), options).map_err(io)?;
        writer.write_all(bytes)?;
    }
    writer.set_comment(COMMENT);
    Ok(writer.finish().map_err(io)?.into_inner())
}

/// Whether `bytes` are a zip that an export wrote: its end-of-archive
/// record carries [`COMMENT`].
pub fn is_ours(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK") && bytes.ends_with(COMMENT.as_bytes())
}

fn io(err: zip::result::ZipError) -> std::io::Error {
    match err {
        zip::result::ZipError::Io(e) => e,
        other => std::io::Error::other(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_files_make_the_same_bytes_and_carry_the_comment() {
        let mut files = BTreeMap::new();
        files.insert("b.txt".to_string(), b"second".to_vec());
        files.insert("a/c.html".to_string(), b"<p>first</p>".to_vec());
        let one = zip(&files).expect("zips");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let two = zip(&files).expect("zips");
        assert_eq!(one, two);
        assert!(is_ours(&one));
        assert!(!is_ours(b"PK\x03\x04 someone else's zip"));
    }
}
