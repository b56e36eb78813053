//! A crate's module graph, read from its `crate::` paths, and the search for a cycle in it.
//!
//! **Nodes.** A node is a top-level module: a file `src/foo.rs`, or a folder `src/foo/`
//! (with `src/foo.rs` or `src/foo/mod.rs`). Submodules are folded into their top-level
//! module — `src/idx/array.rs` belongs to `idx` — so a cycle between two files of one folder
//! is not reported; a folder is one idea, read as a whole. The crate root (`lib.rs`,
//! `main.rs`) is the node `crate`, which declares every module and so stands above them all.
//!
//! **Edges.** `foo → bar` when a file of `foo` names a path `crate::bar…` in code, outside
//! comments and string literals (a doc link is not a dependency). `crate::X` where `X` is
//! no module is looked up in the root's `pub use m::{…}` re-exports and counts as `→ m`; an
//! item the root defines itself counts as `→ crate`. Relative paths (`super::`, `self::`)
//! stay inside a node and are not read.
//!
//! **Why.** A crate whose top-level modules have no cycle can be read bottom-up, each module
//! after the ones it uses — the reading order its `lib.rs` gives.

use std::collections::{BTreeMap, BTreeSet};

/// Where an edge was first seen: the file (relative to `src/`) and the 1-based line.
pub type Site = (String, usize);

/// `graph[a][b]` is where module `a` first names module `b`.
pub type Graph = BTreeMap<String, BTreeMap<String, Site>>;

/// The node of the crate root.
pub const ROOT: &str = "crate";

/// The graph of the crate whose source files are `files`: `(path relative to src/, text)`,
/// with `/` as separator, the root (`lib.rs` or `main.rs`) among them.
pub fn module_graph(files: &[(String, String)]) -> Graph {
    let node_of = |path: &str| -> Option<String> {
        let first = path.split('/').next()?;
        match first {
            "lib.rs" | "main.rs" => Some(ROOT.to_string()),
            _ => Some(first.trim_end_matches(".rs").to_string()),
        }
    };
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|(p, _)| node_of(p))
        .filter(|n| n != ROOT)
        .collect();
    let reexports: BTreeMap<String, String> = files
        .iter()
        .filter(|(p, _)| node_of(p).as_deref() == Some(ROOT))
        .flat_map(|(_, text)| root_reexports(&code_only(text), &modules))
        .collect();
    let mut graph = Graph::new();
    for (path, text) in files {
        let from = node_of(path).expect("a file has a first path component");
        graph.entry(from.clone()).or_default();
        for (line, name) in crate_paths(&code_only(text)) {
            let to = if modules.contains(&name) {
                name
            } else {
                reexports
                    .get(&name)
                    .cloned()
                    .unwrap_or_else(|| ROOT.to_string())
            };
            if to != from {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_insert((path.clone(), line));
            }
        }
    }
    // The root declares every module: it stands above them all.
    let root = graph.entry(ROOT.to_string()).or_default();
    for m in &modules {
        root.entry(m.clone())
            .or_insert(("(mod declaration)".to_string(), 0));
    }
    graph
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

/// The first segment of every `crate::` path in `code`, with its 1-based line: `foo` for
/// `crate::foo::Bar`, and each of `a`, `b` for `crate::{a::X, b}`.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for (at, _) in line.match_indices("crate::") {
            if line[..at]
                .chars()
                .next_back()
                .is_some_and(|c| is_ident(c) || c == '$')
            {
                continue; // `$crate::`, `mycrate::`
            }
            let rest = &line[at + "crate::".len()..];
            let heads: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split([',', '}'])
                    .map(|item| item.trim().split("::").next().unwrap_or(""))
                    .collect(),
                None => vec![rest],
            };
            for head in heads {
                let name: String = head.chars().take_while(|&c| is_ident(c)).collect();
                if !name.is_empty() {
                    found.push((n + 1, name));
                }
            }
        }
    }
    found
}

/// `name → module` for every item the root re-exports with `pub use module::…;`.
fn root_reexports(code: &str, modules: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for statement in code.split(';') {
        let Some(at) = statement.find("pub use ") else {
            continue;
        };
        let path = statement[at + "pub use ".len()..].trim();
        let Some((module, items)) = path.split_once("::") else {
            continue;
        };
        if !modules.contains(module) {
            continue;
        }
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            let item = item.trim().trim_matches(|c| c == '{' || c == '}');
            let name = match item.split_once(" as ") {
                Some((_, alias)) => alias.trim(),
                None => item.rsplit("::").next().unwrap_or("").trim(),
            };
            if !name.is_empty() {
                found.push((name.to_string(), module.to_string()));
            }
        }
    }
    found
}
