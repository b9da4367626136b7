//! The files made from the whole site rather than from one pack, pathway
//! or tag, but for the catalog (`catalog.rs`): the tag list, the search
//! index, the feeds, `hours.csv` and the theme's files.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::cache::{Memo, RenderCache};
use super::context::*;
use super::hours_csv::HoursCsv;
use super::view;
use super::{feeds, search, theme, RenderError, RenderStats, Renderer, Selection};
use crate::layout::{HOURS_CSV, MY_LEARNING, NOT_FOUND};
use crate::links::{fix_root_links, root_prefix};
use crate::output::Sink;

/// Brings `index` up to date with `docs` and writes its scripts.
fn write_index(
    sink: &dyn Sink,
    index: &mut search::Index,
    docs: &[Arc<search::SearchDoc>],
) -> Result<RenderStats, RenderError> {
    index.update(docs);
    let scripts = index.scripts();
    for (path, text) in &scripts.chunks {
        sink.write(path, text.as_bytes())?;
    }
    sink.write(search::INDEX_PATH, scripts.root.as_bytes())?;
    Ok(RenderStats {
        pages: 0,
        files: docs.len() + 1 + scripts.chunks.len(),
    })
}

/// Which template makes a site-wide file, and where.
struct SiteFile<'a> {
    template: &'a str,
    /// The file's path from the site root.
    url: &'a str,
    title: &'a str,
    /// What links to the rest of the site start with.
    links: &'a str,
}

impl Renderer<'_> {
    /// Renders a site-wide file, unless `memo` holds what the same
    /// variables made last time.
    fn write_unless_same<T: Serialize>(
        &self,
        sink: &dyn Sink,
        cache: &RenderCache,
        memo: &Memo<Context>,
        file: SiteFile<'_>,
        data: T,
    ) -> Result<(), RenderError> {
        let context = self.context(file.url, file.title, "", data)?;
        let text = memo.get_or_make(cache, self.partial, context, |c| {
            let text = self.render_context(file.template, file.url, c)?;
            Ok(fix_root_links(&text, file.links).into())
        })?;
        Ok(sink.write(file.url, text.as_bytes())?)
    }

    /// The list of tags, made again in a partial render only if the tags
    /// or their packs changed.
    pub(super) fn tag_index(
        &self,
        sink: &dyn Sink,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        let url = "tags/index.html";
        let tags = &self.site.tags;
        let make = |_: &Vec<crate::content::Tag>| {
            let data = TagsData {
                tags: view::tags(tags),
            };
            let context = self.context(url, "Tags", "", data)?;
            let text = self.render_context("tags.html", url, &context)?;
            Ok(fix_root_links(&text, &root_prefix(url)).into())
        };
        let text: Arc<str> = if cache.keep {
            let update = |kept: &mut Vec<crate::content::Tag>| {
                let same = super::catalog::same_tags(kept, tags);
                if !same {
                    *kept = tags.to_vec();
                }
                !same
            };
            cache
                .tag_index
                .update_or_make(cache, self.partial, update, || tags.to_vec(), make)?
        } else {
            make(&Vec::new())?
        };
        sink.write(url, text.as_bytes())?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The page for missing paths.
    pub(super) fn not_found(&self, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        // 404.html is served for any missing path, at any depth, so its
        // links cannot be relative: they start from the base URL's path.
        let html = self.render_template("404.html", NOT_FOUND, "Page not found", "", ())?;
        let html = fix_root_links(&html, self.site.config.base_url.path());
        sink.write(NOT_FOUND, html.as_bytes())?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The "My learning" page: filled in by the browser from its own storage.
    pub(super) fn my_learning(&self, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        self.write_page(
            sink,
            "my-learning.html",
            MY_LEARNING,
            "My learning",
            "Your progress through the self-study of each pack, kept in this browser.",
            (),
        )?;
        Ok(RenderStats { pages: 1, files: 0 })
    }

    /// The search index and one text fragment per pack and pathway. Only
    /// the packs and pathways that `fresh` names are indexed again (and
    /// their fragments written); the others' documents come from `cache`.
    pub(super) fn search(
        &self,
        sink: &dyn Sink,
        fresh: &Selection,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        let mut index = cache
            .search_index
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let known = &*index;
        // The packs are given in catalog order, as they were last time.
        let packs = self.site.packs.par_iter().enumerate().map(|(given, pack)| {
            match known.get_given(given, search::DocKind::Pack, &pack.slug) {
                Some(doc) if !fresh.has_pack(&pack.slug) => Ok(doc.clone()),
                _ => self.write_fragment(sink, search::pack_doc(pack)),
            }
        });
        let pathways = self.pathway_docs(sink, Some(known), fresh);
        let docs: Vec<Arc<search::SearchDoc>> = packs.chain(pathways).collect::<Result<_, _>>()?;
        let stats = write_index(sink, &mut index, &docs)?;
        if !cache.keep {
            *index = search::Index::default();
        }
        Ok(stats)
    }

    /// The search index of a whole render whose packs' documents are
    /// made already (and their fragments written): the pathways' are
    /// made here.
    pub(super) fn search_of(
        &self,
        sink: &dyn Sink,
        packs: Vec<Arc<search::SearchDoc>>,
    ) -> Result<RenderStats, RenderError> {
        let written = packs.len();
        let pathways: Vec<Arc<search::SearchDoc>> = self
            .pathway_docs(sink, None, &Selection::All)
            .collect::<Result<_, _>>()?;
        let mut docs = packs;
        docs.extend(pathways);
        let mut stats = write_index(sink, &mut search::Index::default(), &docs)?;
        // The packs' fragments were counted with their pages.
        stats.files -= written;
        Ok(stats)
    }

    /// The documents of the pathways, taken from `known` unless `fresh`
    /// names them, made anew (and their fragments written) otherwise. A
    /// pathway's document holds its packs' titles: the pathways of a
    /// changed pack are in the selection.
    fn pathway_docs<'s>(
        &'s self,
        sink: &'s dyn Sink,
        known: Option<&'s search::Index>,
        fresh: &'s Selection,
    ) -> impl ParallelIterator<Item = Result<Arc<search::SearchDoc>, RenderError>> + 's {
        let packs = self.site.packs.len();
        self.site
            .pathways
            .par_iter()
            .enumerate()
            .map(move |(n, pathway)| {
                let kind = search::DocKind::Pathway;
                match known.and_then(|k| k.get_given(packs + n, kind, &pathway.slug)) {
                    Some(doc) if !fresh.has_pathway(&pathway.slug) => Ok(doc.clone()),
                    _ => {
                        let titles: Vec<&str> = pathway
                            .steps
                            .iter()
                            .filter_map(|s| self.card(&s.pack).map(|c| c.title))
                            .collect();
                        self.write_fragment(sink, search::pathway_doc(pathway, &titles))
                    }
                }
            })
    }

    /// Writes a new document's fragment at once and drops it: the
    /// fragments together are as large as the site's text, and the index
    /// needs only the terms.
    pub(super) fn write_fragment(
        &self,
        sink: &dyn Sink,
        mut doc: search::SearchDoc,
    ) -> Result<Arc<search::SearchDoc>, RenderError> {
        let fragment = std::mem::take(&mut doc.fragment);
        sink.write(
            &search::fragment_path(doc.kind, &doc.slug),
            fragment.as_bytes(),
        )?;
        Ok(Arc::new(doc))
    }

    /// `atom.xml`: the newest packs.
    pub(super) fn atom(
        &self,
        sink: &dyn Sink,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        #[derive(Serialize)]
        struct AtomData<'a> {
            feed: feeds::Feed<'a>,
        }
        let data = AtomData {
            feed: feeds::feed(self.site),
        };
        let file = SiteFile {
            template: "atom.xml",
            url: feeds::ATOM_PATH,
            title: &self.site.config.title,
            links: &self.site.config.base_url,
        };
        self.write_unless_same(sink, cache, &cache.atom, file, data)?;
        Ok(RenderStats { pages: 0, files: 1 })
    }

    /// `sitemap.xml`: every page.
    pub(super) fn sitemap(
        &self,
        sink: &dyn Sink,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        #[derive(Serialize)]
        struct SitemapData {
            urls: Vec<feeds::SitemapUrl>,
        }
        let pages = || {
            feeds::sitemap_pages(self.site)
                .into_iter()
                .map(|(path, date)| (path.to_string(), date))
                .collect()
        };
        // Compared with what the last one listed without copying a path:
        // an edit seldom adds a page or changes a date.
        let update = |kept: &mut Vec<(String, Option<crate::date::Date>)>| {
            let now = feeds::sitemap_pages(self.site);
            let same = now.len() == kept.len()
                && now
                    .iter()
                    .zip(kept.iter())
                    .all(|((path, date), (kept_path, kept_date))| {
                        path == kept_path && date == kept_date
                    });
            if !same {
                *kept = pages();
            }
            !same
        };
        let url = feeds::SITEMAP_PATH;
        let sitemap = cache
            .sitemap
            .update_or_make(cache, self.partial, update, pages, |_| {
                let data = SitemapData {
                    urls: feeds::sitemap(self.site),
                };
                let context = self.context(url, &self.site.config.title, "", data)?;
                let sitemap = self.render_context("sitemap.xml", url, &context)?;
                Ok(fix_root_links(&sitemap, &self.site.config.base_url).into())
            })?;
        sink.write(url, sitemap.as_bytes())?;
        Ok(RenderStats { pages: 0, files: 1 })
    }

    /// `hours.csv`: every pack's and pathway's credit hours, for a PD office's
    /// spreadsheet or records system.
    pub(super) fn hours_csv(
        &self,
        sink: &dyn Sink,
        cache: &RenderCache,
    ) -> Result<RenderStats, RenderError> {
        self.hours_csv_of(sink, cache, &Selection::All)
    }

    /// `hours.csv`, with the rows of the packs and pathways that `fresh`
    /// names made anew and the others' kept from the last render: a
    /// pathway's row looks up each of its packs, which over the whole site
    /// is most of a rebuild's time at 10,000 packs.
    pub(super) fn hours_csv_of(
        &self,
        sink: &dyn Sink,
        cache: &RenderCache,
        fresh: &Selection,
    ) -> Result<RenderStats, RenderError> {
        let site = self.site;
        if !cache.keep {
            let csv = crate::hours::to_spreadsheet_csv(&crate::hours::hours_sheet(site));
            sink.write(HOURS_CSV, csv.as_bytes())?;
            return Ok(RenderStats { pages: 0, files: 1 });
        }
        let update = |sheet: &mut HoursCsv| {
            let mut changed = false;
            if let Selection::Some {
                packs, pathways, ..
            } = fresh
            {
                for pack in packs.iter().filter_map(|slug| self.pack_of(slug)) {
                    changed |= sheet.replace_pack(crate::hours::HoursRow::new(pack, &site.config));
                }
                for pathway in site.pathways.iter().filter(|p| pathways.contains(&p.slug)) {
                    changed |= sheet.replace_pathway(crate::hours::PathwayRow::new(pathway, site));
                }
            }
            changed
        };
        let csv = cache.hours.update_or_make(
            cache,
            self.partial,
            update,
            || HoursCsv::new(crate::hours::hours_sheet(site)),
            |sheet| Ok(sheet.text().into()),
        )?;
        sink.write(HOURS_CSV, csv.as_bytes())?;
        Ok(RenderStats { pages: 0, files: 1 })
    }

    /// The calendars (`.ics`) of the packs with sessions, the pathways
    /// with dates, and the whole site: a few lines each, so every render
    /// writes them all.
    pub(super) fn calendars(&self, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        self.calendars_of(sink, &Selection::All)
    }

    /// The calendars of the packs and pathways that `fresh` names, and the
    /// site's. A pathway's calendar is made from its packs, and the
    /// pathways of a changed pack are in the selection; the others'
    /// calendars are as they were.
    pub(super) fn calendars_of(
        &self,
        sink: &dyn Sink,
        fresh: &Selection,
    ) -> Result<RenderStats, RenderError> {
        let site = self.site;
        let mut files = 0;
        let packs: Vec<&crate::content::Pack> = match fresh {
            Selection::All => site.packs.iter().collect(),
            Selection::Some { packs, .. } => {
                packs.iter().filter_map(|slug| self.pack_of(slug)).collect()
            }
        };
        for pack in packs {
            if let Some(text) = super::ics::pack_calendar(site, pack) {
                sink.write(&crate::layout::pack_calendar(&pack.slug), text.as_bytes())?;
                files += 1;
            }
        }
        for pathway in site.pathways.iter().filter(|p| fresh.has_pathway(&p.slug)) {
            if let Some(text) = super::ics::pathway_calendar(site, pathway) {
                sink.write(
                    &crate::layout::pathway_calendar(&pathway.slug),
                    text.as_bytes(),
                )?;
                files += 1;
            }
        }
        if let Some(text) = super::ics::site_calendar(site) {
            sink.write(crate::layout::SITE_CALENDAR, text.as_bytes())?;
            files += 1;
        }
        Ok(RenderStats { pages: 0, files })
    }

    /// The theme's static files and the site's own files under `content/`.
    pub(super) fn assets(&self, sink: &dyn Sink) -> Result<RenderStats, RenderError> {
        for (path, file) in &self.theme.statics {
            let to = crate::layout::theme_file(path);
            match file {
                theme::StaticFile::Embedded(bytes) => sink.write(&to, bytes)?,
                theme::StaticFile::OnDisk(from) => sink.copy(&to, from)?,
            }
        }
        for asset in &self.site.assets {
            sink.copy(asset, &self.site.content_folder.join(asset))?;
        }
        Ok(RenderStats {
            pages: 0,
            files: self.theme.statics.len() + self.site.assets.len(),
        })
    }
}
