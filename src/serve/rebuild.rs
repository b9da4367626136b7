//! Rebuilding for the dev server: the whole site, or one pack and the pages
//! that show it.
//!
//! A change inside one pack re-reads that pack alone
//! ([`crate::content::reload_pack`]) and re-renders its pages, its
//! pathways, its tags (those it had and those it has) and the site-wide
//! pages — catalog, tag index, and whatever else is made from the whole
//! site. Anything that reaches past the pack (a pack added or removed, a
//! template, site.yaml) loads and renders everything, and so does the first
//! rebuild after a failed one, so that the errors shown are always those a
//! `flippack build` would report.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::{Body, Keep, Snapshot};
use super::store::Store;
use crate::content::{reload_pack, LoadOptions, Loading, Pack, PackReload, Site};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::render::{render_selection, PackPages, RenderCache, RenderError, Selection, Theme};

/// What a successful rebuild wrote.
pub struct Built {
    pub written: HashMap<String, Body>,
    /// What to keep of the previous snapshot.
    pub keep: Keep,
    pub warnings: Diagnostics,
    pub packs: usize,
    /// The path part of the site's `base_url`.
    pub base: String,
    /// The site's Content-Security-Policy, sent with every file.
    pub policy: Option<String>,
    /// Whether the whole site was rebuilt.
    pub whole: bool,
}

/// Holds the last site that built, to rebuild parts of it. The site is
/// held as a build holds it once its pages are written: each pack without
/// its text (see [`Pack::release_text`]), which is all that the pages made
/// from many packs need. Only the packs being rendered again are read
/// whole, and let go of their text once rendered.
pub struct Builder {
    root: PathBuf,
    options: LoadOptions,
    current: Option<(Site, Theme)>,
    /// What renders keep for the next (each pack's search document).
    cache: RenderCache,
    /// The last rebuild failed, so `current` may be partly updated: the
    /// next rebuild loads everything.
    failing: bool,
    /// The codes file named with `--codes`.
    codes: Option<std::path::PathBuf>,
    /// Where rendered files are written.
    store: Arc<Store>,
}

impl Builder {
    /// Writes what it renders into `store`.
    pub fn new(root: &Path, options: LoadOptions, store: Arc<Store>) -> Self {
        Builder {
            root: root.to_path_buf(),
            options,
            current: None,
            cache: RenderCache::new(),
            failing: false,
            codes: None,
            store,
        }
    }

    /// Reads attendance codes from `codes` rather than from where a build
    /// finds them by default.
    pub fn with_codes(mut self, codes: Option<std::path::PathBuf>) -> Self {
        self.codes = codes;
        self
    }

    /// Loads and renders the whole site, as `flippack build` does: each
    /// pack's pages are written as soon as it is loaded, and its text let
    /// go. `served` is the snapshot being served, whose unchanged files are
    /// not written again.
    pub fn whole(&mut self, served: &Snapshot) -> Result<Built, Diagnostics> {
        self.failing = true;
        // What the last site and its renders kept is made anew below:
        // let go of it first, rather than hold both at once.
        self.current = None;
        self.cache = RenderCache::new();
        let mut loading = Loading::streaming(&self.root, self.options);
        let codes =
            crate::attendance::read(&self.root, self.codes.as_deref(), &loading.site().config);
        let codes = match codes {
            Ok(codes) => codes,
            Err(found) => return Err(content_problems(loading, found)),
        };
        if loading.has_errors() {
            return Err(content_problems(loading, Diagnostics::default()));
        }
        let theme = Theme::load(&self.root, &loading.site().config.theme)
            .map_err(|e| self.render_problem(loading.site(), &e))?;
        let codes = codes.map(|(codes, published)| {
            loading.site_mut().attendance = published;
            codes
        });
        let sink = self.store.sink(served);
        let pages = PackPages::new(&theme, &sink, loading.pack_count());
        let visit = |site: &Site, pack: &Pack| pages.write(site, pack);
        let loaded = loading.finish(Some(&visit))?;
        let site = loaded.site;
        if let Some(codes) = codes {
            let problems = codes.check_against(&site);
            if problems.has_errors() {
                return Err(problems);
            }
        }
        pages
            .finish_with(&site, &self.cache)
            .map_err(|e| self.render_problem(&site, &e))?;
        let built = Built {
            written: sink.into_files(),
            keep: Keep::Nothing,
            warnings: loaded.warnings,
            packs: site.packs.len(),
            base: site.config.base_url.path().to_string(),
            policy: site.config.content_security_policy(),
            whole: true,
        };
        self.current = Some((site, theme));
        self.failing = false;
        Ok(built)
    }

    /// Rebuilds after files of the packs `slugs` changed: only their
    /// pages and those that list them, unless the change reaches further.
    pub fn packs(
        &mut self,
        slugs: &BTreeSet<String>,
        served: &Snapshot,
    ) -> Result<Built, Diagnostics> {
        let Some((mut site, theme)) = self.current.take().filter(|_| !self.failing) else {
            return self.whole(served);
        };
        let mut warnings = Diagnostics::default();
        let mut tags = HashSet::new();
        let mut folders = Vec::new();
        for slug in slugs {
            match reload_pack(&self.root, &mut site, slug, self.options) {
                Ok(PackReload::Replaced {
                    previous,
                    warnings: found,
                }) => {
                    warnings.extend(found.0);
                    folders.push(folder_of(&previous.url));
                    for tag in &previous.tags {
                        tags.insert(tag.slug.clone());
                        folders.push(folder_of(&tag.url));
                    }
                }
                // Errors are reported by a whole load, which also finds
                // those the pack causes elsewhere.
                Ok(PackReload::NeedsFullLoad) | Err(_) => return self.whole(served),
            }
        }
        let mut pathways = HashSet::new();
        for slug in slugs {
            if let Some(pack) = site.pack(slug) {
                for tag in &pack.tags {
                    tags.insert(tag.slug.clone());
                    folders.push(folder_of(&tag.url));
                }
                pathways.extend(pack.pathways.iter().map(|p| p.slug.clone()));
            }
        }
        // What the pathways' folders hold (their page and calendar) and
        // the files that a render writes only while they have something
        // to say go unless written again, so that a calendar whose last
        // session was removed is not served on. The search index's chunks
        // are all written again, and the index may need fewer.
        folders.extend(
            pathways
                .iter()
                .map(|slug| folder_of(&crate::layout::pathway(slug))),
        );
        folders.push(crate::layout::SITE_CALENDAR.to_string());
        folders.push(folder_of(&crate::layout::search_terms_chunk("0")));
        folders.push(folder_of(&crate::layout::search_docs_chunk("0")));
        let selection = Selection::Some {
            packs: slugs.iter().cloned().collect(),
            pathways,
            tags,
        };
        let sink = self.store.sink(served);
        let rendered = render_selection(&site, &theme, &sink, &selection, &self.cache)
            .map_err(|e| self.render_problem(&site, &e));
        // The model stays as slim as after a whole build: nothing rendered
        // from other packs reads their text.
        for pack in site.packs.iter_mut().filter(|p| slugs.contains(&p.slug)) {
            pack.release_text();
        }
        folders.sort();
        folders.dedup();
        let built = Built {
            written: sink.into_files(),
            keep: Keep::AllBut(folders),
            warnings,
            packs: site.packs.len(),
            base: site.config.base_url.path().to_string(),
            policy: site.config.content_security_policy(),
            whole: false,
        };
        self.failing = rendered.is_err();
        self.current = Some((site, theme));
        rendered.map(|_| built)
    }
}

/// `packs/ell/index.html` → `packs/ell/`: everything a page owns.
fn folder_of(url: &str) -> String {
    match url.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/"),
        None => url.to_string(),
    }
}

/// Every problem of the content, when the build cannot go on: those the
/// load finds, with `more` (the codes file's).
fn content_problems(loading: Loading, more: Diagnostics) -> Diagnostics {
    let mut problems = loading.finish(None).err().unwrap_or_default();
    problems.extend(more.0);
    problems.sort();
    problems
}

impl Builder {
    /// A theme or rendering failure, or a file that could not be written
    /// into the server's folder, as a diagnostic for the terminal and the
    /// overlay.
    fn render_problem(&self, site: &Site, error: &RenderError) -> Diagnostics {
        if let RenderError::Io(e) = error {
            if e.path.starts_with(self.store.path()) {
                let help = format!(
                    "flippack serve keeps the pages it renders in {}; free some space there \
                     (or restart the server with TMPDIR set to a folder with room). \
                     The last version that built is still served",
                    self.store.path().display()
                );
                return Diagnostics(vec![Diagnostic::error(
                    Code::Unreadable,
                    e.path.display().to_string(),
                    error.to_string(),
                )
                .with_help(help)]);
            }
        }
        render_problem(site, error)
    }
}

/// A theme or rendering failure, as a diagnostic for the terminal and the
/// overlay.
fn render_problem(site: &Site, error: &RenderError) -> Diagnostics {
    let theme = &site.config.theme;
    let file = if theme == "default" {
        crate::config::FILE_NAME.to_string()
    } else {
        format!("themes/{theme}")
    };
    let (code, help) = match error {
        RenderError::Template(_) => (
            Code::Template,
            "fix the template; the error names it and the line where tera stopped",
        ),
        RenderError::Theme(_) => (
            Code::Theme,
            "check `theme:` in site.yaml and the themes/ folder",
        ),
        RenderError::Io(_) => (
            Code::Unreadable,
            "check that the file exists and can be read",
        ),
    };
    Diagnostics(vec![
        Diagnostic::error(code, file, error.to_string()).with_help(help)
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_owns_its_folder() {
        assert_eq!(folder_of("packs/ell/index.html"), "packs/ell/");
        assert_eq!(folder_of("tags/ell/index.html"), "tags/ell/");
    }
}
