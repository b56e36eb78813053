//! A crate's module graph, read from its paths, and the search for a cycle in it.
//!
//! **Nodes.** A node is a module: a file `src/foo.rs`, a folder `src/foo/` (with
//! `src/foo.rs` or `src/foo/mod.rs`), a file in a folder, `src/foo/bar.rs`, which is the
//! node `foo::bar`. The crate root (`lib.rs`, `main.rs`) is the node `crate`, which declares
//! every top-level module and so stands above them all.
//!
//! **Edges.** Modules are compared with their siblings, at every level: the top-level
//! modules with each other, the files of a folder with each other. `a → b` when a file of
//! `a` (or of a module under it) names, in code outside comments and string literals, a
//! path into `b` (or a module under it): `crate::b::X`, `super::b::X` from a sibling, and
//! every leaf of a use tree, `use crate::k::{a, b::{c, self}}` naming `k::a`, `k::b::c`
//! and `k::b`. A name that is no module is looked up in the `pub use` re-exports of the
//! module that holds it (`crate::Problem`, re-exported from `idx`, counts as a path into
//! `idx`). An item the crate root defines counts as `→ crate`; the items of a folder's own
//! file (`foo.rs` for `foo/bar.rs`) are that folder's shared ground, which its files may
//! use, as a module may always use itself.
//!
//! **Why.** A crate whose modules have no cycle at any level can be read bottom-up, each
//! module after the ones it uses — the reading order its `lib.rs` gives, and the order of
//! the files of each folder.

use std::collections::{BTreeMap, BTreeSet};

mod paths;

use paths::{absolute_paths, reexports};

/// Where an edge was first seen: the file (relative to `src/`) and the 1-based line.
pub type Site = (String, usize);

/// `graph[a][b]` is where module `a` first names module `b`.
pub type Graph = BTreeMap<String, BTreeMap<String, Site>>;

/// The node of the crate root.
pub const ROOT: &str = "crate";

/// The module a source file is, as segments from the crate root: `[]` for `lib.rs` and
/// `main.rs`, `[foo]` for `foo.rs` and `foo/mod.rs`, `[foo, bar]` for `foo/bar.rs`.
fn module_of(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path.split('/').map(str::to_string).collect();
    let file = parts.pop().unwrap_or_default();
    let stem = file.trim_end_matches(".rs");
    let is_root = parts.is_empty() && (stem == "lib" || stem == "main");
    if !is_root && stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// A node's name: its segments joined with `::`, or [`ROOT`].
fn node(module: &[String]) -> String {
    if module.is_empty() {
        ROOT.to_string()
    } else {
        module.join("::")
    }
}

/// The longest start of `path` that is one of `modules`.
fn longest_module<'a>(path: &'a [String], modules: &BTreeSet<Vec<String>>) -> &'a [String] {
    let k = (0..=path.len())
        .rev()
        .find(|&k| modules.contains(&path[..k]))
        .unwrap_or(0);
    &path[..k]
}

/// The graph of the crate whose source files are `files`: `(path relative to src/, text)`,
/// with `/` as separator, the root (`lib.rs` or `main.rs`) among them.
pub fn module_graph(files: &[(String, String)]) -> Graph {
    let mut modules: BTreeSet<Vec<String>> = files.iter().map(|(p, _)| module_of(p)).collect();
    modules.insert(Vec::new());
    // reexported[module][name]: the absolute path `pub use` gives `name` in `module`.
    let mut reexported: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (path, text) in files {
        let module = module_of(path);
        let found = reexports(&code_only(text), &module);
        reexported.entry(module).or_default().extend(found);
    }
    // The module a path names: the longest module it starts with, or, where it goes on
    // with a name that module re-exports, the module the re-export names.
    let target = |path: &[String]| -> Vec<String> {
        let held = longest_module(path, &modules);
        let via = path
            .get(held.len())
            .and_then(|name| reexported.get(held)?.get(name));
        match via {
            Some(original) => longest_module(original, &modules).to_vec(),
            None => held.to_vec(),
        }
    };
    let mut graph = Graph::new();
    for (path, text) in files {
        let from = module_of(path);
        graph.entry(node(&from)).or_default();
        for (line, named) in absolute_paths(&code_only(text), &from) {
            if let Some((a, b)) = edge(&from, &target(&named)) {
                graph
                    .entry(a)
                    .or_default()
                    .entry(b)
                    .or_insert((path.clone(), line));
            }
        }
    }
    // The root declares every top-level module: it stands above them all.
    let root = graph.entry(ROOT.to_string()).or_default();
    for m in modules.iter().filter(|m| m.len() == 1) {
        root.entry(node(m))
            .or_insert(("(mod declaration)".to_string(), 0));
    }
    graph
}

/// The edge that code in module `from` naming module `to` makes, if any: between the two
/// siblings under their deepest common module that hold them; `from`'s top-level module
/// `→ crate` for an item of the root; none within one module, from a module down into its
/// own children, or up into the folder file above it.
fn edge(from: &[String], to: &[String]) -> Option<(String, String)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == to.len() {
        // `to` is `from` or holds it.
        return (to.is_empty() && !from.is_empty()).then(|| (node(&from[..1]), ROOT.to_string()));
    }
    if common == from.len() {
        return None; // down into one of its own modules
    }
    Some((node(&from[..=common]), node(&to[..=common])))
}

/// A cycle `[a, b, …, a]` in `graph`, if there is one (the first a depth-first search meets,
/// visiting modules in name order).
pub fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            match marks.get(next.as_str()) {
                Some(Mark::Open) => {
                    let start = path
                        .iter()
                        .position(|n| n == next)
                        .expect("open is on the path");
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(cycle) = visit(next, graph, marks, path) {
                        return Some(cycle);
                    }
                }
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if !marks.contains_key(node)
            && let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

/// `text` with comments and the contents of string and character literals blanked out,
/// lines kept, so that only code is searched for paths.
pub fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Copies the newlines of chars[from..to], so that line numbers stay right.
    let blank = |out: &mut String, from: usize, to: usize| {
        out.extend(chars[from..to].iter().filter(|&&c| c == '\n'));
    };
    while i < chars.len() {
        let rest = &chars[i..];
        let end = if rest.starts_with(&['/', '/']) {
            i + rest.iter().position(|&c| c == '\n').unwrap_or(rest.len())
        } else if rest.starts_with(&['/', '*']) {
            let close = (2..rest.len()).find(|&k| rest[k - 1] == '*' && rest[k] == '/');
            close.map_or(chars.len(), |k| i + k + 1)
        } else if rest[0] == '"'
            || (rest[0] == 'r'
                && matches!(rest.get(1), Some('"' | '#'))
                && !(i > 0 && is_ident(chars[i - 1])))
        {
            string_end(&chars, i)
        } else if rest[0] == '\'' {
            // A char literal ('x', '\n', '"'); anything else is a lifetime or a label.
            match rest.get(1) {
                Some('\\') => {
                    let close = rest.iter().skip(3).position(|&c| c == '\'');
                    i + 3 + close.unwrap_or(0) + 1
                }
                Some(_) if rest.get(2) == Some(&'\'') => i + 3,
                _ => {
                    out.push('\'');
                    i += 1;
                    continue;
                }
            }
        } else {
            out.push(rest[0]);
            i += 1;
            continue;
        };
        blank(&mut out, i, end.min(chars.len()));
        i = end;
    }
    out
}

/// Whether `c` can be part of an identifier.
fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The index just past the string literal that starts at `chars[start]` (`"…"`, `r"…"`,
/// `r#"…"#`); `r` followed by anything else is an identifier and ends at once.
fn string_end(chars: &[char], start: usize) -> usize {
    let mut i = start;
    let mut hashes = 0;
    let raw = chars[i] == 'r';
    if raw {
        i += 1;
        while chars.get(i) == Some(&'#') {
            hashes += 1;
            i += 1;
        }
        if chars.get(i) != Some(&'"') {
            return start + 1; // `r#ident` or a plain `r`: not a string
        }
    }
    i += 1; // the opening quote
    while i < chars.len() {
        if !raw && chars[i] == '\\' {
            i += 2;
            continue;
        }
        if chars[i] == '"'
            && chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    /// A crate shaped like `tensor`: a `kernels` folder whose `conv` picks between
    /// `conv_direct` and `conv_rows`, with `chunks` available below all three; the texts
    /// of the three files are given.
    fn kernels(conv: &str, direct: &str, rows: &str) -> Vec<(String, String)> {
        files(&[
            ("lib.rs", "pub mod kernels;\npub mod window;\n"),
            ("window.rs", "pub struct Geometry;\n"),
            (
                "kernels/mod.rs",
                "pub mod conv;\npub mod conv_direct;\npub mod conv_rows;\npub mod chunks;\n",
            ),
            ("kernels/chunks.rs", "pub fn images_per_chunk() {}\n"),
            ("kernels/conv.rs", conv),
            ("kernels/conv_direct.rs", direct),
            ("kernels/conv_rows.rs", rows),
        ])
    }

    #[test]
    fn a_cycle_through_a_brace_group_is_caught() {
        // The shape of issue 24: conv names both through one group, both name conv back.
        let graph = module_graph(&kernels(
            "use crate::kernels::{conv_direct, conv_rows};\n",
            "use crate::kernels::conv::images_per_chunk;\n",
            "use crate::kernels::conv::images_per_chunk;\n",
        ));
        let cycle = find_cycle(&graph).expect("conv → conv_direct → conv");
        assert_eq!(
            cycle,
            ["kernels::conv", "kernels::conv_direct", "kernels::conv"]
        );
        assert_eq!(
            graph["kernels::conv"]["kernels::conv_rows"],
            ("kernels/conv.rs".to_string(), 1)
        );
        // With the chunking rule below all three, no cycle.
        let below = "use crate::kernels::chunks::images_per_chunk;\n";
        let graph = module_graph(&kernels(
            "use crate::kernels::{conv_direct, conv_rows};\n",
            below,
            below,
        ));
        assert_eq!(find_cycle(&graph), None, "{graph:#?}");
    }

    #[test]
    fn nested_groups_self_and_super_make_edges_too() {
        let back = "use crate::kernels::conv::forward;\n";
        let cases = [
            // A nested group, over several lines, as rustfmt wraps it.
            "use crate::{\n    kernels::{chunks, conv_direct::{self as direct}},\n    window::Geometry,\n};\n",
            // `self` inside a group names the module itself.
            "use crate::kernels::conv_direct::{self};\n",
            "use crate::kernels::{conv_rows::{self, Windows}, conv_direct::{self}};\n",
            // A sibling through `super`, in a statement or an expression.
            "fn f() { super::conv_direct::run() }\n",
            // A glob.
            "use crate::kernels::conv_direct::*;\n",
        ];
        for conv in cases {
            let graph = module_graph(&kernels(conv, back, ""));
            assert_eq!(
                find_cycle(&graph).as_deref(),
                Some(
                    &["kernels::conv", "kernels::conv_direct", "kernels::conv"].map(String::from)[..]
                ),
                "{conv}"
            );
        }
    }

    #[test]
    fn what_is_not_a_cycle_is_not_reported() {
        let clean = kernels(
            // The module's own tests use it through `super`; a macro's `$crate`; a nested
            // group whose inner names belong to their prefix, not to the root.
            "use crate::{kernels::{chunks, conv_rows::{Windows}}, window::Geometry};\n\
             macro_rules! m { () => { $crate::kernels::conv_direct::run() } }\n\
             #[cfg(test)]\nmod tests {\n    use super::*;\n    use crate::kernels::conv_direct;\n}\n",
            // A folder's files may use the folder's own file.
            "use super::*;\nuse crate::kernels::SHARED;\n",
            "use crate::kernels::chunks::images_per_chunk;\n",
        );
        let graph = module_graph(&clean);
        assert_eq!(find_cycle(&graph), None, "{graph:#?}");
        // The old reading took `conv_rows` of `crate::{kernels::{chunks, conv_rows}}` for a
        // top-level module; a top-level `conv_rows` using `kernels` made a false cycle.
        let graph = module_graph(&files(&[
            ("lib.rs", "mod kernels;\nmod conv_rows;\n"),
            ("kernels.rs", "use crate::{window::{chunks, conv_rows}};\n"),
            ("conv_rows.rs", "use crate::kernels::x;\n"),
            ("window.rs", ""),
        ]));
        assert_eq!(find_cycle(&graph), None, "{graph:#?}");
    }

    #[test]
    fn a_folder_reexport_points_at_the_file_that_defines_it() {
        let mut crate_files = kernels(
            "use crate::kernels::conv_direct;\n",
            "use crate::kernels::forward;\n",
            "",
        );
        crate_files[2].1 += "pub use conv::forward;\n";
        let cycle = find_cycle(&module_graph(&crate_files)).expect("through the re-export");
        assert_eq!(
            cycle,
            ["kernels::conv", "kernels::conv_direct", "kernels::conv"]
        );
    }
}
