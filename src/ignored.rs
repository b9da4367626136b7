//! Files no author means to publish: hidden files and editors' leftovers.
//!
//! Reading content, loading a theme and watching for saves must all skip
//! the same files, or a save of `.pack.md.swp` would rebuild a site that
//! then ignores it; so the rule lives here, below all three.

/// True for files no author means to publish: hidden files and the
/// leftovers of editors (`.swp`, `~`, `.#x`, vim's `4913` probe).
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
        || name == "desktop.ini"
}
