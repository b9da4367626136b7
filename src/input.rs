//! Reading the coach's files as written, before anything is made of them:
//! a path kept inside the site (`confine`), text of a bounded size in
//! UTF-8 (`text`), front matter split off and deserialized with errors in
//! plain English (`frontmatter`), and the line of any key (`locate`).
//!
//! Both `site.yaml` (`config`) and the content (`content`) are read with
//! these, so they sit below both; the content module re-exports them
//! under their old names.

pub mod confine;
pub mod frontmatter;
pub mod locate;
pub mod text;
