//! Tidy tests: checks on the shape of the repository itself, run by `cargo test -p xtask`.
//!
//! 1. Every `.rs` file under `crates/` and `xtask/` opens with a `//!` module doc.
//! 2. Every relative link in `README.md` and `docs/**/*.md` points at a file or folder that
//!    exists, and a link whose text names an item in inline code (``[`Var::sigmoid`](…rs)``)
//!    points at a `.rs` file that still defines that item. Renaming a function breaks the
//!    docs here, not in a reader's browser.
//! 3. Every lesson of the registry (`models::lessons()`, which xtask links) has
//!    `docs/lessons/<slug>.md`, and every `docs/lessons/NN-*.md` belongs to a lesson of it.
//! 4. `README.md` has a lesson-table row `| N | …` for every lesson of the registry.
//! 5. No file under `crates/` or `xtask/` reaches for the folder CI lays beside the
//!    checkout: the repository holds every file its tests read.
//! 6. No crate has a cycle among its modules, at any level: the top-level modules, and the
//!    files of each folder (see `module_graph` for what the nodes and edges are), so each
//!    crate reads bottom-up.
//! 7. One file renames temporary files into place: `crates/atomic_file/src/lib.rs`; and no
//!    code outside it writes a file in place (`fs::write`, `File::create`, …), test code
//!    aside.
//! 8. `unsafe` appears only in `crates/tensor/src/kernels/` (and the GEMM comparison
//!    example beside it) and in `crates/alloc_tuning`.
//! 9. rayon appears only in `crates/tensor/src/kernels/`; tests may build thread pools
//!    (`rayon::ThreadPoolBuilder`) to check that a result does not depend on them.
//!
//! Only `std` (and the workspace's own `models`, for its registry): the xtask stays
//! dependency-light.

use std::fs;
use std::path::{Component, Path, PathBuf};

mod listings;
mod module_graph;

use module_graph::{Graph, code_only, find_cycle, module_graph};

/// The workspace root: the parent of `xtask/`.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// Reads a file that the check needs, naming it if it cannot.
fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("tidy: cannot read {}: {e}", path.display()))
}

/// Every file under `dir` whose name ends with `ext`, skipping `target/` folders (the
/// workspace's and any `fuzz/target`) and hidden folders, in sorted order.
fn files_with_ext(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files_with_ext(&path, ext, out);
            }
        } else if name.ends_with(ext) {
            out.push(path);
        }
    }
}

/// `path` relative to the workspace root, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

// ---------------------------------------------------------------------------------------
// 1. Module docs
// ---------------------------------------------------------------------------------------

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let root = root();
    let mut files = Vec::new();
    files_with_ext(&root.join("crates"), ".rs", &mut files);
    files_with_ext(&root.join("xtask"), ".rs", &mut files);
    assert!(
        !files.is_empty(),
        "tidy: found no .rs files under crates/ and xtask/"
    );
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = read(f);
            let first = text.lines().find(|l| !l.trim().is_empty());
            !first.is_some_and(|l| l.starts_with("//!"))
        })
        .map(|f| shown(f))
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` line saying what the file is for:\n  {}",
        missing.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------
// 2. Markdown links
// ---------------------------------------------------------------------------------------

/// One `[text](target)` or `[text]: target` link and the 1-based line it starts on.
#[derive(Debug, PartialEq)]
struct Link {
    text: String,
    target: String,
    line: usize,
}

/// `text` with the contents of fenced code blocks blanked (line count kept), since a
/// `[x](y)` inside an example is not a link.
fn without_fences(text: &str) -> String {
    let mut in_fence = false;
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The byte offsets of every `](` that is not inside an inline code span.
fn link_joints(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut joints = Vec::new();
    let mut open_run = 0; // the backtick run length that opened the current span, or 0
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if open_run == 0 {
                open_run = run;
            } else if run == open_run {
                open_run = 0;
            }
            i += run;
            continue;
        }
        if bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            open_run = 0; // a code span never crosses a blank line
        }
        if open_run == 0 && bytes[i] == b']' && bytes.get(i + 1) == Some(&b'(') {
            joints.push(i);
        }
        i += 1;
    }
    joints
}

/// Every link in a markdown file's text, inline or reference-style.
fn links(text: &str) -> Vec<Link> {
    let text = without_fences(text);
    let bytes = text.as_bytes();
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    for joint in link_joints(&text) {
        // Back to the matching `[`, not crossing a blank line.
        let (mut depth, mut start) = (0usize, None);
        for j in (0..joint).rev() {
            match bytes[j] {
                b']' => depth += 1,
                b'[' if depth == 0 => {
                    start = Some(j);
                    break;
                }
                b'[' => depth -= 1,
                b'\n' if bytes.get(j + 1) == Some(&b'\n') => break,
                _ => {}
            }
        }
        // Forward to the matching `)`.
        let (mut depth, mut end) = (0usize, None);
        for (j, &b) in bytes.iter().enumerate().skip(joint + 2) {
            match b {
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    end = Some(j);
                    break;
                }
                b')' => depth -= 1,
                b'\n' => break,
                _ => {}
            }
        }
        if let (Some(start), Some(end)) = (start, end) {
            let target = text[joint + 2..end].trim();
            // `(path "title")`: the target is the first word; `<path>` is unwrapped.
            let target = target.split_whitespace().next().unwrap_or("");
            let target = target.trim_start_matches('<').trim_end_matches('>');
            found.push(Link {
                text: text[start + 1..joint].to_string(),
                target: target.to_string(),
                line: line_of(start),
            });
        }
    }
    // Reference definitions: `[text]: target` at the start of a line.
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('[')
            && let Some((label, after)) = rest.split_once("]:")
            && let Some(target) = after.split_whitespace().next()
        {
            found.push(Link {
                text: label.to_string(),
                target: target
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string(),
                line: n + 1,
            });
        }
    }
    found
}

/// Whether `target` leaves the repository (a URL or an e-mail address).
fn is_external(target: &str) -> bool {
    target.contains("://") || target.starts_with("mailto:")
}

/// The item a link's text names, for text that is one inline code span such as
/// `` `Var::sigmoid` `` or `` `xor_net()` ``: the last path segment, without `()` or
/// generics. `None` for text that is not code or code that is not a path
/// (`` `summary.json` ``, `` `cargo xtask lesson 1` ``).
fn named_item(text: &str) -> Option<&str> {
    let code = text.trim().strip_prefix('`')?.strip_suffix('`')?.trim();
    let path = code.split(['(', '<']).next()?.trim();
    let name = path.rsplit("::").next()?;
    let is_ident = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    let is_path = path
        .split("::")
        .all(|seg| !seg.is_empty() && seg.chars().all(|c| c.is_alphanumeric() || c == '_'));
    (is_ident && is_path).then_some(name)
}

/// Whether `source` defines `name` as a `fn`, `struct`, `enum`, `trait`, `const`, `type`,
/// `mod` or `static`.
fn defines(source: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    [
        "fn", "struct", "enum", "trait", "const", "type", "mod", "static",
    ]
    .iter()
    .any(|keyword| {
        let needle = format!("{keyword} {name}");
        source.match_indices(&needle).any(|(at, _)| {
            let before = source[..at].chars().next_back();
            let after = source[at + needle.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
    })
}

/// `path` with its `.` and `..` components folded away, without touching the disk.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The problems with the links of the markdown file `md` whose text is `text`: targets
/// that do not exist, and named items their `.rs` target no longer defines.
fn link_problems(md: &Path, text: &str) -> Vec<String> {
    let dir = md.parent().expect("a markdown file is in a folder");
    let mut problems = Vec::new();
    for link in links(text) {
        if is_external(&link.target) {
            continue;
        }
        let path = link.target.split(['#', '?']).next().unwrap_or("");
        if path.is_empty() {
            continue; // an anchor within the same page
        }
        let resolved = lexically_normal(&match path.strip_prefix('/') {
            Some(from_root) => root().join(from_root),
            None => dir.join(path),
        });
        let at = format!(
            "{}:{}: [{}]({})",
            shown(md),
            link.line,
            link.text,
            link.target
        );
        if !resolved.exists() {
            problems.push(format!("{at}: {} does not exist", shown(&resolved)));
            continue;
        }
        if let Some(name) = named_item(&link.text)
            && resolved.extension().is_some_and(|e| e == "rs")
            && !defines(&read(&resolved), name)
        {
            problems.push(format!(
                "{at}: {} defines no fn, struct, enum, trait, const, type, mod or static \
                 named `{name}` (renamed or moved?)",
                shown(&resolved)
            ));
        }
    }
    problems
}

#[test]
fn docs_links_resolve_and_name_items_that_exist() {
    let root = root();
    let mut files = vec![root.join("README.md")];
    files_with_ext(&root.join("docs"), ".md", &mut files);
    let problems: Vec<String> = files
        .iter()
        .filter(|f| f.exists())
        .flat_map(|f| link_problems(f, &read(f)))
        .collect();
    assert!(
        problems.is_empty(),
        "broken links in the docs:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_link_check_catches_a_wrong_target_and_a_renamed_item() {
    // A page as if at docs/lessons/, pointing at real files: one good link, one to a file
    // that does not exist, one naming a function the file does not define.
    let md = root().join("docs/lessons/imaginary.md");
    let text = "\
See [`Var::sigmoid`](../../crates/autograd/src/ops/activation.rs) and [the data](../../crates/data/).
Broken: [`xor_net`](../../crates/models/src/nets.rs).
Renamed: [`Var::sigmoidal`](../../crates/autograd/src/ops/activation.rs).
```
[not a link](nowhere.rs)
```
Code is not a link: `a[0](x)`; a URL is not checked: [x](https://example.com/nope).
";
    let problems = link_problems(&md, text);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains(":2:") && problems[0].contains("does not exist"));
    assert!(problems[1].contains(":3:") && problems[1].contains("`sigmoidal`"));
}

#[test]
fn named_items_and_definitions_are_recognised() {
    assert_eq!(named_item("`Var::sigmoid`"), Some("sigmoid"));
    assert_eq!(named_item("`xor_net()`"), Some("xor_net"));
    assert_eq!(named_item("`DataLoader<'a>`"), Some("DataLoader"));
    assert_eq!(named_item("`summary.json`"), None);
    assert_eq!(named_item("`cargo xtask lesson 1`"), None);
    assert_eq!(named_item("networks.rs"), None);
    assert!(defines("pub const fn at_least(", "at_least"));
    assert!(defines("pub struct Sgd {", "Sgd"));
    assert!(!defines("pub struct SgdConfig {", "Sgd"));
    assert!(!defines("let x = my_fn sgd;", "sgd"));
}

// ---------------------------------------------------------------------------------------
// 3 and 4. The registry, the lesson docs and the README table
// ---------------------------------------------------------------------------------------

/// `(number, slug)` of every lesson of the registry, read from the registry itself.
fn registry_lessons() -> Vec<(u32, String)> {
    models::lessons()
        .iter()
        .map(|l| (l.number, l.slug.to_string()))
        .collect()
}

#[test]
fn every_lesson_has_its_doc_and_every_doc_its_lesson() {
    let lessons = registry_lessons();
    let dir = root().join("docs/lessons");
    let missing: Vec<String> = lessons
        .iter()
        .filter(|(_, slug)| !dir.join(format!("{slug}.md")).is_file())
        .map(|(n, slug)| format!("lesson {n}: docs/lessons/{slug}.md"))
        .collect();
    assert!(
        missing.is_empty(),
        "lessons of the registry (crates/models/src/registry.rs) without their page:\n  {}",
        missing.join("\n  ")
    );
    let mut pages = Vec::new();
    files_with_ext(&dir, ".md", &mut pages);
    let orphans: Vec<String> = pages
        .iter()
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()))
        .filter(|stem| {
            let b = stem.as_bytes();
            b.len() > 3 && b[0].is_ascii_digit() && b[1].is_ascii_digit() && b[2] == b'-'
        })
        .filter(|stem| !lessons.iter().any(|(_, slug)| slug == stem))
        .map(|stem| format!("docs/lessons/{stem}.md"))
        .collect();
    assert!(
        orphans.is_empty(),
        "lesson pages whose slug is not in crates/models/src/registry.rs (renamed or \
         removed lesson?):\n  {}",
        orphans.join("\n  ")
    );
}

#[test]
fn the_readme_table_has_a_row_for_every_lesson() {
    let path = root().join("README.md");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. The README must hold the lesson table, one row `| N | ... |` per \
             lesson in crates/models/src/registry.rs",
            path.display()
        )
    });
    let rows: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let cells = l.trim().strip_prefix('|')?;
            Some(cells.split('|').next()?.trim().to_string())
        })
        .collect();
    let missing: Vec<String> = registry_lessons()
        .iter()
        .filter(|(n, _)| !rows.contains(&n.to_string()))
        .map(|(n, slug)| format!("| {n} | ... |  (lesson {slug})"))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's lesson table lacks a row for each of these lessons of registry.rs:\n  {}",
        missing.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------
// 5. The repository holds what its tests read
// ---------------------------------------------------------------------------------------

/// The lines of `text` that reach outside the checkout for a folder beside it: a relative
/// path that climbs out of the workspace into `shared` (as the old tests' golden path did)
/// or names the shared golden folder. The needles are built at run time so this file does not match.
fn names_shared_folder(text: &str) -> Vec<usize> {
    let shared = ["..", "shared"].join("/");
    let golden = ["shared", "golden"].join("/");
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains(&shared) || l.contains(&golden))
        .map(|(i, _)| i + 1)
        .collect()
}

/// No source or manifest under `crates/` or `xtask/` names the folder that CI lays beside
/// the checkout: a fresh clone with nothing beside it must pass its tests, so every file a
/// test reads lives in the repository (PyTorch's reference values in `golden/`). MNIST is
/// found through `GRADSCHOOL_DATA` or the user's cache, never through a path.
#[test]
fn no_source_names_the_folder_beside_the_checkout() {
    let root = root();
    let mut files = Vec::new();
    for ext in [".rs", ".toml"] {
        files_with_ext(&root.join("crates"), ext, &mut files);
        files_with_ext(&root.join("xtask"), ext, &mut files);
    }
    let hits: Vec<String> = files
        .iter()
        .flat_map(|f| {
            names_shared_folder(&read(f))
                .into_iter()
                .map(move |line| format!("{}:{line}", shown(f)))
        })
        .collect();
    assert!(
        hits.is_empty(),
        "these lines name the shared folder beside the checkout; read the repository's own \
         golden/ (or GRADSCHOOL_DATA for MNIST) instead:\n  {}",
        hits.join("\n  ")
    );
}

#[test]
fn the_shared_folder_check_catches_a_path() {
    let text = ["let dir = \"", "..", "/..", "/shared/data\";"].concat();
    assert_eq!(names_shared_folder(&format!("ok\n{text}")), [2]);
    assert!(names_shared_folder("let dir = root.join(\"golden\");").is_empty());
}

// ---------------------------------------------------------------------------------------
// 6. No module cycles
// ---------------------------------------------------------------------------------------

/// Every crate folder of the workspace: `crates/*` with a `src/`, and `xtask`.
fn crate_dirs() -> Vec<PathBuf> {
    let root = root();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root.join("crates"))
        .expect("tidy: cannot list crates/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("src").is_dir())
        .collect();
    dirs.push(root.join("xtask"));
    dirs.sort();
    dirs
}

/// The `.rs` files under `dir/src`, as `(path relative to src/ with '/', text)`.
fn source_files(dir: &Path) -> Vec<(String, String)> {
    let src = dir.join("src");
    let mut files = Vec::new();
    files_with_ext(&src, ".rs", &mut files);
    files
        .iter()
        .map(|f| {
            let relative = f.strip_prefix(&src).expect("a file under src/");
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (parts.join("/"), read(f))
        })
        .collect()
}

/// The cycle of `graph` in words: `name: a → b → a`, then the line that makes each edge.
fn describe_cycle(name: &str, graph: &Graph, cycle: &[String]) -> String {
    let mut text = format!("{name}: {}", cycle.join(" → "));
    for pair in cycle.windows(2) {
        let (file, line) = &graph[&pair[0]][&pair[1]];
        text += &format!("\n    {} → {}: src/{file}:{line}", pair[0], pair[1]);
    }
    text
}

#[test]
fn no_crate_has_a_module_cycle() {
    let mut problems = Vec::new();
    for dir in crate_dirs() {
        let name = shown(&dir);
        let graph = module_graph(&source_files(&dir));
        if let Some(cycle) = find_cycle(&graph) {
            problems.push(describe_cycle(&name, &graph, &cycle));
        }
    }
    assert!(
        problems.is_empty(),
        "module cycles (a module names another, by a `crate::` or `super::` path or in a `use` \
         group, and that one names it back; move what both need below both):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_cycle_check_catches_a_cycle() {
    let file = |path: &str, text: &str| (path.to_string(), text.to_string());
    // A crate shaped like `data`: a submodule naming its own parent, a doc link and a
    // string that look like paths, a re-export at the root. No cycle.
    let mut files = vec![
        file(
            "lib.rs",
            "mod error;\nmod hash;\nmod idx;\npub use idx::{IdxArray, IdxProblem as Problem};\n",
        ),
        file(
            "error.rs",
            "//! See [`crate::idx`].\nconst S: &str = \"crate::idx\";\n",
        ),
        file("hash.rs", "pub fn hex() {}\n"),
        file(
            "idx.rs",
            "use crate::error::DataError;\nuse crate::hash::hex;\n",
        ),
        file(
            "idx/array.rs",
            "use crate::idx::GZIP_MAGIC; // its folder's own file\n",
        ),
    ];
    let graph = module_graph(&files);
    assert_eq!(find_cycle(&graph), None, "{graph:#?}");

    // Now `error` holds idx's problem type, named through the root's re-export: a cycle.
    files[1] = file("error.rs", "use std::fmt;\nuse crate::Problem;\n");
    let graph = module_graph(&files);
    let cycle = find_cycle(&graph).expect("error → idx → error");
    assert_eq!(cycle, ["error", "idx", "error"]);
    assert_eq!(
        describe_cycle("crates/imaginary", &graph, &cycle),
        "crates/imaginary: error → idx → error\n    error → idx: src/error.rs:2\n    \
         idx → error: src/idx.rs:1"
    );

    // A module using an item the root defines is a cycle with the root, which declares it.
    files[1] = file("error.rs", "fn f() { crate::run() }\n");
    let cycle = find_cycle(&module_graph(&files)).expect("crate → error → crate");
    assert_eq!(cycle, ["crate", "error", "crate"]);
}

#[test]
fn code_only_blanks_comments_and_literals_but_keeps_lines() {
    let text = "let a = '\"'; // crate::x\nlet b = r#\"crate::y\"#; /* crate::z */ crate::w\n";
    let code = code_only(text);
    assert_eq!(code.lines().count(), 2);
    assert!(!code.contains("crate::x") && !code.contains("crate::y"));
    assert!(
        !code.contains("crate::z") && code.contains("crate::w"),
        "{code}"
    );
    assert!(code_only("fn f<'a>(x: &'a str) {}").contains("'a str"));
}

// ---------------------------------------------------------------------------------------
// 7 and 8. One atomic writer; unsafe code in its two places
// ---------------------------------------------------------------------------------------

/// Every `.rs` file under `crates/` and `xtask/` whose code (not its comments or strings)
/// contains one of `needles`, as paths relative to the workspace root.
fn files_whose_code_has(needles: &[&str]) -> Vec<String> {
    let root = root();
    let mut files = Vec::new();
    files_with_ext(&root.join("crates"), ".rs", &mut files);
    files_with_ext(&root.join("xtask"), ".rs", &mut files);
    files
        .iter()
        .filter(|f| {
            let code = code_only(&read(f));
            needles.iter().any(|n| code.contains(n))
        })
        .map(|f| shown(f))
        .collect()
}

#[test]
fn one_file_renames_temporary_files_into_place() {
    let renamers = files_whose_code_has(&[".persist(", ".persist_noclobber(", "fs::rename("]);
    assert_eq!(
        renamers,
        ["crates/atomic_file/src/lib.rs"],
        "write files with `atomic_file::write` or `AtomicFile`, the workspace's one atomic \
         writer (temporary file beside the destination, fsync, rename)"
    );
}

#[test]
fn unsafe_code_lives_in_the_kernels_and_the_allocator_setting() {
    let allowed = |f: &String| {
        f.starts_with("crates/tensor/src/kernels/")
            || f.starts_with("crates/tensor/examples/")
            || f.starts_with("crates/alloc_tuning/")
    };
    let elsewhere: Vec<String> = files_whose_code_has(&["unsafe "])
        .into_iter()
        .filter(|f| !allowed(f))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "`unsafe` outside crates/tensor/src/kernels/ and crates/alloc_tuning:\n  {}",
        elsewhere.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------
// 7 (continued) and 9. Files written in place; rayon outside the kernels
// ---------------------------------------------------------------------------------------

/// `code` (comments and literals already blanked by `code_only`) with every item under
/// `#[cfg(test)]` blanked too — a test module, a test helper — lines kept: what a crate
/// runs, without what only its tests run.
fn without_test_items(code: &str) -> String {
    let attribute = "#[cfg(test)]";
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find(attribute) {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        // The item ends at its first `;` outside braces, or at the brace closing its body.
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices().skip(attribute.len()) {
            match c {
                '{' => depth += 1,
                '}' if depth <= 1 => {
                    end = i + 1;
                    break;
                }
                '}' => depth -= 1,
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        out.extend(item[..end].chars().filter(|&c| c == '\n'));
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Every place `needle` (a path such as `File::create(`) starts in `code` not as the end
/// of a longer name (`AtomicFile::create(` is not `File::create(`): the 1-based line and
/// the code after the needle.
fn sites<'a>(code: &'a str, needle: &str) -> Vec<(usize, &'a str)> {
    code.match_indices(needle)
        .filter(|(at, _)| {
            !code[..*at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .filter(|(at, _)| {
            let after = code[at + needle.len()..].chars().next();
            let needle_ends_a_word = needle.ends_with(|c: char| c.is_alphanumeric() || c == '_');
            !(needle_ends_a_word && after.is_some_and(|c| c.is_alphanumeric() || c == '_'))
        })
        .map(|(at, _)| {
            (
                code[..at].matches('\n').count() + 1,
                &code[at + needle.len()..],
            )
        })
        .collect()
}

/// Whether `file` (relative to the workspace root) holds test code only: it is in a
/// `tests/` folder.
fn is_test_file(file: &str) -> bool {
    file.split('/').any(|part| part == "tests")
}

/// The ways to write a file without `atomic_file`.
const IN_PLACE_WRITERS: [&str; 6] = [
    "fs::write(",
    "File::create(",
    "File::create_new(",
    "File::options(",
    "OpenOptions::new(",
    "fs::copy(",
];

/// The lines of the non-test code of `text` that write a file in place.
fn writes_in_place(text: &str) -> Vec<usize> {
    let code = without_test_items(&code_only(text));
    let mut lines: Vec<usize> = IN_PLACE_WRITERS
        .iter()
        .flat_map(|needle| sites(&code, needle).into_iter().map(|(line, _)| line))
        .collect();
    lines.sort_unstable();
    lines
}

/// Every `.rs` file under `crates/` and `xtask/`, with its path relative to the root.
fn rust_files() -> Vec<(String, PathBuf)> {
    let root = root();
    let mut files = Vec::new();
    files_with_ext(&root.join("crates"), ".rs", &mut files);
    files_with_ext(&root.join("xtask"), ".rs", &mut files);
    files.into_iter().map(|f| (shown(&f), f)).collect()
}

/// No code writes a file in place: a half-written file (a learner's exercise, a summary,
/// a checkpoint) must never be left by an interrupted run. Tests may write their fixtures
/// directly (a file in a `tests/` folder, an item under `#[cfg(test)]`).
#[test]
fn no_file_is_written_in_place() {
    let hits: Vec<String> = rust_files()
        .iter()
        .filter(|(name, _)| !name.starts_with("crates/atomic_file/") && !is_test_file(name))
        .flat_map(|(name, path)| {
            writes_in_place(&read(path))
                .into_iter()
                .map(move |line| format!("{name}:{line}"))
        })
        .collect();
    assert!(
        hits.is_empty(),
        "these lines write a file in place ({}); write it with `atomic_file::write` or \
         `AtomicFile` instead, so that it appears whole or not at all:\n  {}",
        IN_PLACE_WRITERS.join(" "),
        hits.join("\n  ")
    );
}

#[test]
fn the_in_place_check_catches_a_write_and_spares_tests() {
    // The old `--reset`: the learner's file written in place.
    let reset = "fn reset() {\n    std::fs::write(&ex.file, &out.stdout)?;\n}\n";
    assert_eq!(writes_in_place(reset), [2]);
    let created = "use std::fs::File;\nlet f = File::create(path)?;\n";
    assert_eq!(writes_in_place(created), [2]);
    // The atomic writer, a comment, a string and a test module are not writes in place.
    let fine = "let f = AtomicFile::create(path)?; // not fs::write(\n\
                let s = \"fs::write(\";\n\
                #[cfg(test)]\nmod tests {\n    fn f() { std::fs::write(p, b\"x\").unwrap(); }\n}\n\
                fn after() { std::fs::write(p, b)?; }\n";
    assert_eq!(writes_in_place(fine), [7]);
    assert!(is_test_file("crates/data/tests/idx.rs") && !is_test_file("crates/data/src/idx.rs"));
}

/// The lines of `text` (the file `file`, relative to the root) that use rayon where it is
/// not allowed: anywhere in code outside `crates/tensor/src/kernels/`, except that test
/// code may build a pool of N threads (`rayon::ThreadPoolBuilder`) to check that a result
/// does not depend on N.
fn rayon_outside_kernels(file: &str, text: &str) -> Vec<usize> {
    if file.starts_with("crates/tensor/src/kernels/") {
        return Vec::new();
    }
    let code = code_only(text);
    let builds_a_pool = |after: &str| after.starts_with("::ThreadPoolBuilder");
    let mut lines: Vec<usize> = if is_test_file(file) {
        sites(&code, "rayon")
            .into_iter()
            .filter(|(_, after)| !builds_a_pool(after))
            .map(|(line, _)| line)
            .collect()
    } else {
        let runs = without_test_items(&code);
        let in_tests = sites(&code, "rayon")
            .into_iter()
            .filter(|(_, after)| !builds_a_pool(after))
            .map(|(line, _)| line);
        sites(&runs, "rayon")
            .into_iter()
            .map(|(line, _)| line)
            .chain(in_tests)
            .collect()
    };
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// Parallel code lives in `crates/tensor/src/kernels/`: a teaching crate hands work to a
/// kernel there (or does it serially), so that one folder holds every place where the
/// number of threads could change a result, and its tests prove it does not.
#[test]
fn rayon_is_used_only_in_the_kernels() {
    let hits: Vec<String> = rust_files()
        .iter()
        .flat_map(|(name, path)| {
            rayon_outside_kernels(name, &read(path))
                .into_iter()
                .map(move |line| format!("{name}:{line}"))
        })
        .collect();
    assert!(
        hits.is_empty(),
        "rayon outside crates/tensor/src/kernels/ (hand the work to a kernel there, such as \
         `kernels::parallel::map_runs`; tests may only build pools with \
         `rayon::ThreadPoolBuilder`):\n  {}",
        hits.join("\n  ")
    );
}

#[test]
fn the_rayon_check_catches_a_parallel_loop_outside_the_kernels() {
    // The old photo-like generator.
    let generator = "use rayon::prelude::*;\nfn f(x: &[f32]) { x.par_chunks(784).count(); }\n";
    assert_eq!(
        rayon_outside_kernels("crates/data/src/photo_like.rs", generator),
        [1]
    );
    assert_eq!(
        rayon_outside_kernels("crates/data/src/x.rs", "fn f() { rayon::join(a, b); }\n"),
        [1]
    );
    // The same in the kernels, a test's pool of N threads, a comment: allowed.
    assert!(rayon_outside_kernels("crates/tensor/src/kernels/parallel.rs", generator).is_empty());
    let pool = "// on rayon's threads\nlet p = rayon::ThreadPoolBuilder::new();\n";
    assert!(rayon_outside_kernels("crates/data/tests/photo_like.rs", pool).is_empty());
    let unit = format!("fn f() {{}}\n#[cfg(test)]\nmod tests {{\n{pool}}}\n");
    assert!(rayon_outside_kernels("crates/data/src/x.rs", &unit).is_empty());
    // A test's parallel loop is still parallel code outside the kernels.
    let test_loop = "use rayon::prelude::*;\n";
    assert_eq!(
        rayon_outside_kernels("crates/data/tests/x.rs", test_loop),
        [1]
    );
    // A longer name is not rayon.
    assert!(
        rayon_outside_kernels("crates/data/src/x.rs", "let rayons = my_rayon::x;\n").is_empty()
    );
}
