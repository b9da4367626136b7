//! The layers of the code, written down and kept.
//!
//! flippack is a pipeline: the site's files are read, checked and turned
//! into a model, the model is rendered into pages and the pages are
//! written. Each stage may use the stages below it and never one above:
//! a change to how pages are served cannot break how a pack is read, and
//! a reader can learn the code from the bottom up. The order, lowest
//! first, and why each stage sits where it does:
//!
//! 1. **leaves**: plain helpers that know nothing of the site (diagnostics,
//!    link targets, slugs, the credit-hour rules, dates, times of day and
//!    the site's time zone, the names of
//!    files no one means to publish, HTML escaping).
//! 2. **output**: where files go (the output folder, staging and the swap);
//!    it knows paths and bytes, not pages, so it sits just above the leaves.
//! 3. **markdown**: Markdown to HTML; it needs only links and slugs.
//! 4. **input**: the coach's files read as written (confined to the site,
//!    bounded text, front matter and its YAML errors, key positions); it
//!    sits above Markdown because a key's position may be a link's.
//! 5. **config**: `site.yaml`, read with `input`.
//! 6. **content**: the coach's files, read and checked into the model, and
//!    `hours`, the credit-hour table made from the model (for the `hours`
//!    command and the published `hours.csv` alike).
//! 7. **render**: the model turned into pages through the theme.
//! 8. **commands**: `build`, `check`, `serve`, `scaffold`, `report` (the
//!    `hours` command), `export` and the error they share; each runs the stages
//!    below it, and none is used by a stage.
//! 9. **root**: `lib.rs`, which names the modules and re-exports the
//!    commands. The binary (`main.rs`, `progress.rs`, `docs.rs`) sees the
//!    library only as `flippack::…`, so it is above everything by
//!    construction and is not read here.
//!
//! Within a stage files may use each other, but not in a loop: a loop
//! means neither file can be read, tested or changed without the other.
//!
//! What counts as a use: every path in a `use` item (grouped ones such as
//! `use crate::{a, b::c}` expanded) that starts with `crate::`, `super::`,
//! `self::` or a child module's name, and every `crate::…`/`super::…` path
//! written inline in the code. Comments, strings and `mod tests` are
//! skipped. A parent module using its own children (`pub use load::…`,
//! `links::broken_anchors(…)`) is the module tree itself: the parent is
//! the children's front door, so only a child's use of its parent or of a
//! sibling can close a loop.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The stages, lowest first, each with the modules in it. A module is
/// placed by the longest prefix listed here, so `content::load` is in
/// `content`.
const STAGES: &[(&str, &[&str])] = &[
    (
        "leaves",
        &[
            "diagnostic",
            "links",
            "slug",
            "credit",
            "date",
            "schedule",
            "ignored",
            "html",
            "layout",
            "attendance::token",
        ],
    ),
    ("output", &["output"]),
    ("markdown", &["markdown"]),
    ("input", &["input"]),
    ("config", &["config"]),
    ("content", &["content", "hours", "attendance"]),
    ("render", &["render"]),
    (
        "commands",
        &[
            "build", "check", "serve", "scaffold", "report", "verify", "export", "error",
        ],
    ),
    ("root", &[""]),
];

#[test]
fn no_module_uses_a_stage_above_its_own() {
    let graph = Graph::of_crate();
    let mut problems = Vec::new();
    for (from, uses) in &graph.uses {
        let from_stage = stage_of(from);
        for (to, line) in uses {
            let to_stage = stage_of(to);
            if to_stage > from_stage {
                problems.push(format!(
                    "{}:{line} uses `{}` (stage {}) from stage {}",
                    graph.files[from].display(),
                    shown(to),
                    STAGES[to_stage].0,
                    STAGES[from_stage].0,
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "a module uses a stage above its own:\n  {}\n\
         help: move what is shared down to the lower stage (or a new leaf module), \
         so that it is used from above",
        problems.join("\n  ")
    );
}

#[test]
fn modules_of_one_stage_do_not_use_each_other_in_a_loop() {
    let graph = Graph::of_crate();
    let loops: Vec<Vec<String>> = graph.loops_within_stages();
    let described: Vec<String> = loops
        .iter()
        .map(|members| {
            let files: Vec<String> = members
                .iter()
                .map(|m| graph.files[m].display().to_string())
                .collect();
            files.join(" ⇄ ")
        })
        .collect();
    assert!(
        described.is_empty(),
        "modules use each other in a loop:\n  {}\n\
         help: move what they share into a module below all of them",
        described.join("\n  ")
    );
}

/// The parser itself, on code written to trip it: if it missed uses, the
/// tests above could not fail.
#[test]
fn the_parser_finds_grouped_inline_and_relative_uses() {
    let modules: BTreeSet<String> = [
        "", "a", "a::b", "a::c", "d", "d::e", "g", "h", "k", "x", "x::y", "x::y::z",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let code = r#"
//! crate::k is in a comment
use crate::{a::b::{self, Thing}, d::e::f as g};
use super::f;
pub(crate) use z::Z;
fn go() {
    let s = "crate::h is in a string";
    let c = '"';
    let _ = crate::g::call(); // crate::k again in a comment
    let _: Box<dyn super::super::h::T>;
}
#[cfg(test)]
mod tests {
    use crate::k;
}
"#;
    let found: Vec<(String, usize)> = uses_in("x::y", &modules, code)
        .into_iter()
        .collect::<Vec<_>>();
    let names: BTreeSet<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from(["a::b", "d::e", "x", "x::y::z", "g", "h"])
    );
    assert!(found.contains(&("g".to_string(), 9)), "{found:?}");
    assert!(found.contains(&("h".to_string(), 10)), "{found:?}");

    let code = "use super::d::e::Thing;\nuse c::Other;\nuse std::fs;\n";
    let found: BTreeSet<String> = uses_in("a", &modules, code)
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(
        found,
        BTreeSet::from(["d::e".to_string(), "a::c".to_string()])
    );
}

/// The stage of `module`: the one listing its longest prefix. The crate
/// root is listed as `""` and matches only itself, so that a new module
/// must be given its place here rather than landing anywhere.
fn stage_of(module: &str) -> usize {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, modules)) in STAGES.iter().enumerate() {
        for prefix in modules.iter() {
            let matches = module == *prefix
                || (!prefix.is_empty() && module.starts_with(&format!("{prefix}::")));
            if matches && best.is_none_or(|(len, _)| prefix.len() >= len) {
                best = Some((prefix.len(), i));
            }
        }
    }
    match best {
        Some((_, i)) => i,
        None => panic!(
            "`{}` is in no stage\nhelp: add it to STAGES in tests/layers.rs, \
             in the lowest stage whose modules it needs",
            shown(module)
        ),
    }
}

fn shown(module: &str) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        format!("crate::{module}")
    }
}

/// Which module uses which, with the line of the first use.
struct Graph {
    /// Module path (`content::load`; `""` for the crate root) → its file.
    files: BTreeMap<String, PathBuf>,
    uses: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Graph {
    fn of_crate() -> Graph {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = BTreeMap::new();
        for path in rust_files(&src) {
            let rel = path
                .strip_prefix(&src)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            if matches!(rel.as_str(), "main.rs" | "progress.rs" | "docs.rs") {
                continue;
            }
            files.insert(module_of(&rel), Path::new("src").join(&rel));
        }
        let modules: BTreeSet<String> = files.keys().cloned().collect();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut uses = BTreeMap::new();
        for (module, file) in &files {
            let code = fs::read_to_string(root.join(file))
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            let mut found: BTreeMap<String, usize> = BTreeMap::new();
            for (to, line) in uses_in(module, &modules, &code) {
                if &to != module {
                    found.entry(to).or_insert(line);
                }
            }
            uses.insert(module.clone(), found);
        }
        Graph { files, uses }
    }

    /// The loops among modules of one stage: the strongly connected
    /// components with more than one module, each sorted.
    fn loops_within_stages(&self) -> Vec<Vec<String>> {
        let nodes: Vec<&String> = self.files.keys().collect();
        let index: BTreeMap<&String, usize> =
            nodes.iter().enumerate().map(|(i, m)| (*m, i)).collect();
        let edges: Vec<Vec<usize>> = nodes
            .iter()
            .map(|from| {
                self.uses[*from]
                    .keys()
                    .filter(|to| stage_of(to) == stage_of(from))
                    .filter(|to| !is_within(to, from))
                    .filter_map(|to| index.get(to).copied())
                    .collect()
            })
            .collect();
        strongly_connected(&edges)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|c| {
                let mut members: Vec<String> = c.iter().map(|&i| nodes[i].clone()).collect();
                members.sort();
                members
            })
            .collect()
    }
}

/// Is `inner` a descendant of `outer` (`content::load` of `content`)?
fn is_within(inner: &str, outer: &str) -> bool {
    outer.is_empty() || inner.starts_with(&format!("{outer}::"))
}

/// Tarjan's algorithm, iterative enough for a few hundred modules.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        found: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.edges[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(i) if s.on_stack[w] => s.low[v] = s.low[v].min(i),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            s.found.push(component);
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.found
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// `content/load.rs` → `content::load`, `content/mod.rs` → `content`,
/// `lib.rs` → `""`.
fn module_of(rel: &str) -> String {
    let without = rel.strip_suffix(".rs").unwrap_or(rel);
    let parts: Vec<&str> = without.split('/').collect();
    let parts = match parts.last() {
        Some(&"mod") | Some(&"lib") => &parts[..parts.len() - 1],
        _ => &parts[..],
    };
    parts.join("::")
}

/// Every module `module` uses in `code`, with the line of each use.
fn uses_in(module: &str, modules: &BTreeSet<String>, code: &str) -> Vec<(String, usize)> {
    let code = without_tests(&blank_comments_and_strings(code));
    let mut found = Vec::new();
    let mut rest_of_code = code.clone();
    for (start, end) in use_items(&code) {
        let line = code[..start].matches('\n').count() + 1;
        let item = &code[start..end];
        let tree = item.trim_start_matches(|c: char| c != ' ').trim();
        for path in expand(tree.trim_end_matches(';')) {
            if let Some(target) = resolve(module, modules, &path, true) {
                found.push((target, line));
            }
        }
        // Blank the item so that the inline scan below does not see it again.
        rest_of_code.replace_range(start..end, &" ".repeat(end - start));
    }
    for (offset, path) in inline_paths(&rest_of_code) {
        let line = rest_of_code[..offset].matches('\n').count() + 1;
        if let Some(target) = resolve(module, modules, &path, false) {
            found.push((target, line));
        }
    }
    found
}

/// `path` (segments) seen from `module` → the module it names: the
/// longest prefix that is a module. Paths into other crates give `None`.
fn resolve(
    module: &str,
    modules: &BTreeSet<String>,
    path: &[String],
    in_use_item: bool,
) -> Option<String> {
    let mut base: Vec<String> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(String::from).collect()
    };
    let mut segments = path.iter().peekable();
    match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            base.clear();
            segments.next();
        }
        Some("super") => {
            while segments.peek().is_some_and(|s| *s == "super") {
                base.pop();
                segments.next();
            }
        }
        Some("self") => {
            segments.next();
        }
        Some(first) if in_use_item => {
            // `use child::Thing;`: a path relative to this module, if it
            // names a child; anything else is another crate.
            let mut child = base.clone();
            child.push(first.to_string());
            if !modules.contains(&child.join("::")) {
                return None;
            }
        }
        _ => return None,
    }
    let mut target = base.join("::");
    let mut candidate = base;
    for segment in segments {
        if segment == "self" || segment == "*" {
            continue;
        }
        candidate.push(segment.clone());
        let joined = candidate.join("::");
        if modules.contains(&joined) {
            target = joined;
        } else {
            break;
        }
    }
    Some(target)
}

/// The byte ranges of the `use` items in `code` (comments and strings
/// already blanked), from `use` to its `;`.
fn use_items(code: &str) -> Vec<(usize, usize)> {
    let bytes = code.as_bytes();
    let mut items = Vec::new();
    let mut i = 0;
    while let Some(found) = code[i..].find("use ") {
        let start = i + found;
        let before = start.checked_sub(1).map(|b| bytes[b]);
        let at_item_start = match before {
            None => true,
            Some(b) => b.is_ascii_whitespace() || b == b';' || b == b'{' || b == b'}' || b == b')',
        };
        if !at_item_start {
            i = start + 4;
            continue;
        }
        let Some(len) = code[start..].find(';') else {
            break;
        };
        items.push((start, start + len + 1));
        i = start + len + 1;
    }
    items
}

/// `crate::{a::b::{self, T}, c as d}` → `[crate, a, b, self]`,
/// `[crate, a, b, T]`, `[crate, c]`.
fn expand(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree
        .chars()
        .filter(|c| !c.is_whitespace() || *c == ' ')
        .collect();
    let mut paths = Vec::new();
    expand_into(tree.trim(), &mut Vec::new(), &mut paths);
    paths
}

fn expand_into(tree: &str, prefix: &mut Vec<String>, paths: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let depth = prefix.len();
        prefix.extend(segments(head));
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        for part in split_top_level(inner) {
            expand_into(part, prefix, paths);
        }
        prefix.truncate(depth);
        return;
    }
    let without_rename = tree.split(" as ").next().unwrap_or(tree);
    let mut path = prefix.clone();
    path.extend(segments(without_rename));
    paths.push(path);
}

fn segments(path: &str) -> Vec<String> {
    path.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Splits a group's contents at its commas, not at those of inner groups.
fn split_top_level(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
}

/// Every `crate::…` and `super::…` path written in the code, with where
/// it starts.
fn inline_paths(code: &str) -> Vec<(usize, Vec<String>)> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for root in ["crate::", "super::"] {
        let mut i = 0;
        while let Some(at) = code[i..].find(root) {
            let start = i + at;
            i = start + root.len();
            let preceded_by_ident = start.checked_sub(1).is_some_and(|b| {
                bytes[b].is_ascii_alphanumeric() || bytes[b] == b'_' || bytes[b] == b':'
            });
            if preceded_by_ident {
                continue;
            }
            let end = code[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| start + e);
            found.push((start, segments(&code[start..end])));
        }
    }
    found
}

/// Everything after `#[cfg(test)] mod tests`, which may use anything.
fn without_tests(code: &str) -> String {
    let mut kept = String::new();
    let mut lines = code.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            break;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

/// `code` with comments, strings and character literals turned into
/// spaces, keeping every newline so that line numbers still hold.
fn blank_comments_and_strings(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && raw_string_hashes(&chars[i + 1..]).is_some()
        {
            let hashes = raw_string_hashes(&chars[i + 1..]).unwrap_or(0);
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body_start = i + 2 + hashes;
            out.extend(std::iter::repeat_n(' ', body_start - i));
            i = body_start;
            while i < chars.len() && !chars[i..].starts_with(&closing) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.extend(std::iter::repeat_n(' ', closing.len()));
            i += closing.len();
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars[i..]) {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// After an `r`: `"` or `#…#"` opens a raw string; the number of `#`s.
fn raw_string_hashes(after_r: &[char]) -> Option<usize> {
    let hashes = after_r.iter().take_while(|c| **c == '#').count();
    (after_r.get(hashes) == Some(&'"')).then_some(hashes)
}

/// `'x'` or `'\n'` rather than a lifetime `'a`.
fn is_char_literal(from_quote: &[char]) -> bool {
    match from_quote.get(1) {
        Some('\\') => true,
        Some(_) => from_quote.get(2) == Some(&'\''),
        None => false,
    }
}
