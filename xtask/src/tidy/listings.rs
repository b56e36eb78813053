//! Tidy: the code a page shows is the code. A page shows a piece of a source file as a
//! fenced `rust` block right after an HTML comment that says where it comes from,
//!
//! ```text
//! <!-- include: crates/models/src/networks.rs:first_cnn -->
//! ```
//!
//! and the source file marks that piece with a pair of comment lines, as mdBook's
//! `{{#include file:anchor}}` reads them: `// ANCHOR: first_cnn` above it and
//! `// ANCHOR_END: first_cnn` below.
//!
//! The checks, on every Markdown file under `docs/` and every `.rs` file under `crates/`,
//! `xtask/` and `exercises/`:
//! 1. every listing equals the lines between its markers, dedented, without any marker
//!    lines nested inside;
//! 2. every marker is paired: one start and one end after it, of the same name, no name
//!    twice in a file;
//! 3. every include names a file that exists and an anchor it has, and every anchor is
//!    shown by some page (a marker nobody reads is clutter in code learners read).
//!
//! `UPDATE_LISTINGS=1 cargo test --release -p xtask listings` rewrites the listings from
//! the code instead of comparing them (docs/lessons/README.md says so).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use super::{files_with_ext, read, root, shown};

/// The comment that starts a marked piece of code.
const START: &str = "// ANCHOR: ";
/// The comment that ends it.
const END: &str = "// ANCHOR_END: ";
/// The comment, on its own line in a page, that names the listing below it.
const INCLUDE: &str = "<!-- include: ";

/// Whether a source line is a marker: `Some((true, name))` for a start, `(false, name)` for
/// an end.
fn marker(line: &str) -> Option<(bool, &str)> {
    let line = line.trim();
    let start = line.strip_prefix(START).map(|name| (true, name));
    start.or_else(|| line.strip_prefix(END).map(|name| (false, name)))
}

/// `lines` without the indentation they all share (blank lines do not count).
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let cut: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect();
    cut.join("\n")
}

/// The marked pieces of a source file, by name, each dedented and without nested markers;
/// or what is wrong with its markers (`file` names it in the messages).
fn anchors(file: &str, source: &str) -> Result<BTreeMap<String, String>, Vec<String>> {
    let lines: Vec<&str> = source.lines().collect();
    let (mut found, mut problems) = (BTreeMap::new(), Vec::new());
    let mut open: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        match marker(line) {
            Some((true, name)) if found.contains_key(name) || open.contains_key(name) => {
                problems.push(format!("{file}:{}: anchor `{name}` twice", i + 1));
            }
            Some((true, name)) => {
                open.insert(name, i);
            }
            Some((false, name)) => match open.remove(name) {
                Some(from) => {
                    let inside: Vec<&str> = lines[from + 1..i]
                        .iter()
                        .copied()
                        .filter(|l| marker(l).is_none())
                        .collect();
                    found.insert(name.to_string(), dedent(&inside));
                }
                None => problems.push(format!(
                    "{file}:{}: `{END}{name}` without a `{START}{name}` above it",
                    i + 1
                )),
            },
            None => {}
        }
    }
    for (name, i) in open {
        problems.push(format!(
            "{file}:{}: `{START}{name}` without a `{END}{name}` below it",
            i + 1
        ));
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// One listing of a page: where its code comes from and the lines of its body.
struct Listing {
    /// The 1-based line of the include comment.
    line: usize,
    /// The source file, relative to the workspace root.
    path: String,
    /// The anchor's name.
    anchor: String,
    /// The body's line numbers (0-based): from the line after the opening fence up to the
    /// closing fence, not included.
    body: std::ops::Range<usize>,
}

/// The listings of a page, or what is malformed about one.
fn listings(page: &str, text: &str) -> Result<Vec<Listing>, Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let (mut found, mut problems) = (Vec::new(), Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let Some(spec) = line.trim().strip_prefix(INCLUDE) else {
            continue;
        };
        let spec = spec.trim_end_matches("-->").trim();
        let Some((path, anchor)) = spec.rsplit_once(':') else {
            problems.push(format!("{page}:{}: expected `PATH:ANCHOR`", i + 1));
            continue;
        };
        if lines.get(i + 1).map(|l| l.trim()) != Some("```rust") {
            problems.push(format!("{page}:{}: no ```rust block right below", i + 1));
            continue;
        }
        let Some(end) = (i + 2..lines.len()).find(|&j| lines[j].trim() == "```") else {
            problems.push(format!("{page}:{}: the ```rust block is not closed", i + 1));
            continue;
        };
        found.push(Listing {
            line: i + 1,
            path: path.to_string(),
            anchor: anchor.to_string(),
            body: i + 2..end,
        });
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

/// The marked pieces of the source files `listings` name, read with `source`, by path.
type Sources = BTreeMap<String, Result<BTreeMap<String, String>, Vec<String>>>;

/// What differs between a page's listings and the code (`page` names it in the messages),
/// and the page with every listing that differs replaced by its code.
fn compare(page: &str, text: &str, sources: &Sources) -> (Vec<String>, String) {
    let found = match listings(page, text) {
        Ok(found) => found,
        Err(problems) => return (problems, text.to_string()),
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut problems = Vec::new();
    // From the last listing up, so that a replaced body does not move the ones above.
    for l in found.iter().rev() {
        let code = match sources.get(&l.path) {
            None => {
                problems.push(format!("{page}:{}: no file {}", l.line, l.path));
                continue;
            }
            Some(Err(_)) => continue, // its markers are reported on their own
            Some(Ok(anchors)) => match anchors.get(&l.anchor) {
                Some(code) => code,
                None => {
                    problems.push(format!(
                        "{page}:{}: {} has no anchor `{}`",
                        l.line, l.path, l.anchor
                    ));
                    continue;
                }
            },
        };
        let shown_now = lines[l.body.clone()].join("\n");
        if shown_now != *code {
            problems.push(format!(
                "{page}:{}: the listing of {}:{} differs from the code",
                l.line, l.path, l.anchor
            ));
            lines.splice(l.body.clone(), code.lines().map(str::to_string));
        }
    }
    let mut refreshed = lines.join("\n");
    if text.ends_with('\n') {
        refreshed.push('\n');
    }
    (problems, refreshed)
}

/// Every page: the Markdown files under `docs/`.
fn pages() -> Vec<PathBuf> {
    let mut files = Vec::new();
    files_with_ext(&root().join("docs"), ".md", &mut files);
    files
}

/// Every source file's markers, by path relative to the root.
fn sources() -> Sources {
    let root = root();
    let mut files = Vec::new();
    for dir in ["crates", "xtask", "exercises"] {
        files_with_ext(&root.join(dir), ".rs", &mut files);
    }
    files
        .iter()
        .map(|path| {
            let name = shown(path);
            let found = anchors(&name, &read(path));
            (name, found)
        })
        .collect()
}

#[test]
fn listings_on_the_pages_are_the_marked_code() {
    let sources = sources();
    let update = std::env::var("UPDATE_LISTINGS").as_deref() == Ok("1");
    let mut problems: Vec<String> = sources
        .values()
        .filter_map(|found| found.as_ref().err())
        .flatten()
        .cloned()
        .collect();
    let mut shown_anchors = BTreeSet::new();
    for page in pages() {
        let text = read(&page);
        let name = shown(&page);
        if let Ok(found) = listings(&name, &text) {
            shown_anchors.extend(found.into_iter().map(|l| (l.path, l.anchor)));
        }
        let (mut found, refreshed) = compare(&name, &text, &sources);
        if update && refreshed != text {
            atomic_file::write(&page, |w| w.write_all(refreshed.as_bytes()))
                .unwrap_or_else(|e| panic!("{e}"));
            eprintln!("rewrote the listings of {name}");
            found.retain(|p| !p.contains("differs from the code"));
        }
        problems.extend(found);
    }
    for (path, found) in &sources {
        for anchor in found.iter().flat_map(|a| a.keys()) {
            if !shown_anchors.contains(&(path.clone(), anchor.clone())) {
                problems.push(format!(
                    "{path}: anchor `{anchor}` is shown by no page (remove its markers)"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(UPDATE_LISTINGS=1 cargo test --release -p xtask listings rewrites the listings \
         from the code)",
        problems.join("\n")
    );
}

/// A marker line as a source file writes it (built here, so that this file has none).
fn mark(start: bool, name: &str) -> String {
    format!("{}{name}", if start { START } else { END })
}

#[test]
fn anchors_are_dedented_and_skip_nested_markers() {
    let source = [
        "fn outer() {".to_string(),
        format!("    {}", mark(true, "body")),
        "    let a = 1;".into(),
        format!("    {}", mark(true, "inner")),
        "        let b = 2;".into(),
        format!("    {}", mark(false, "inner")),
        String::new(),
        format!("    {}", mark(false, "body")),
        "}".into(),
    ]
    .join("\n");
    let found = anchors("x.rs", &source).unwrap();
    assert_eq!(found["body"], "let a = 1;\n    let b = 2;\n");
    assert_eq!(found["inner"], "let b = 2;");
}

#[test]
fn unpaired_or_repeated_markers_are_reported() {
    let bad = |lines: &[&str]| anchors("x.rs", &lines.join("\n")).unwrap_err();
    let (a, end_a) = (mark(true, "a"), mark(false, "a"));
    assert_eq!(
        bad(&[&a]),
        [format!("x.rs:1: `{a}` without a `{end_a}` below it")]
    );
    assert_eq!(
        bad(&["x", &end_a]),
        [format!("x.rs:2: `{end_a}` without a `{a}` above it")]
    );
    let twice = bad(&[&a, &end_a, &a, &end_a]);
    assert_eq!(twice[0], "x.rs:3: anchor `a` twice");
    // A start and an end of different names are two problems, each named.
    assert_eq!(bad(&[&a, &mark(false, "b")]).len(), 2);
}

#[test]
fn a_listing_that_drifted_is_caught_and_refreshed() {
    let source = [
        "fn f() {}".to_string(),
        mark(true, "f"),
        "fn g() {}".into(),
        mark(false, "f"),
    ];
    let sources: Sources = [(
        "src/x.rs".to_string(),
        anchors("src/x.rs", &source.join("\n")),
    )]
    .into_iter()
    .collect();
    let page =
        |body: &str| format!("Text.\n\n{INCLUDE}src/x.rs:f -->\n```rust\n{body}\n```\n\nMore.\n");
    let (problems, same) = compare("p.md", &page("fn g() {}"), &sources);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(same, page("fn g() {}"));

    let (problems, refreshed) = compare("p.md", &page("fn old() {}\nfn older() {}"), &sources);
    assert_eq!(
        problems,
        ["p.md:3: the listing of src/x.rs:f differs from the code"]
    );
    assert_eq!(refreshed, page("fn g() {}"));

    let missing = format!(
        "{INCLUDE}src/x.rs:nope -->\n```rust\n```\n{INCLUDE}src/y.rs:f -->\n```rust\n```\n"
    );
    let (problems, _) = compare("p.md", &missing, &sources);
    assert_eq!(
        problems,
        [
            "p.md:4: no file src/y.rs",
            "p.md:1: src/x.rs has no anchor `nope`"
        ]
    );
    let unfenced = format!("{INCLUDE}src/x.rs:f -->\nfn g() {{}}\n");
    let (problems, _) = compare("p.md", &unfenced, &sources);
    assert_eq!(problems, ["p.md:1: no ```rust block right below"]);
}

/// Every lesson's page shows some of its code (so the check above has pages to read).
#[test]
fn every_lesson_page_shows_code() {
    for lesson in models::lessons() {
        let page = root().join(format!("docs/lessons/{}.md", lesson.slug));
        let found = listings(&shown(&page), &read(&page)).unwrap_or_default();
        assert!(
            !found.is_empty(),
            "{}: no listing; show the network and the training step inline ({INCLUDE}PATH:ANCHOR -->)",
            shown(&page)
        );
    }
}
