//! Derives the untouched skeletons and the module lists of the workbook from `solutions/`.
//!
//! Each exercise is one file `NN_name.rs` in `solutions/`: the whole exercise (its doc
//! comment with the task, the math, the shapes and the lesson; its signatures) with the
//! learner's part of each function body between a `// BEGIN SOLUTION` line and an
//! `// END SOLUTION` line. The skeleton is that file with each such block replaced by
//! `todo!()`; the learner's copy, `exercises/NN_name.rs`, is shipped as exactly that (and
//! `cargo xtask exercise --reset NAME` writes it again).
//!
//! Written into `OUT_DIR`:
//! - `skeletons/NN_name.rs`: every skeleton;
//! - `exercises.rs`: `EXERCISES`, each exercise's name and file in course order, and
//!   `SKELETONS`, the text of each skeleton;
//! - `learner.rs`: one module per learner file, each compiled only with its feature on;
//! - `solution_modules.rs` and `skeleton_modules.rs`: one module per solution or skeleton;
//! - `tests.rs`: one `#[test]` per exercise, calling the test crate's `check_one(name)`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The skeleton of `solution` (the text of `file`): each solution block becomes `todo!()`,
/// indented as its `// BEGIN SOLUTION` line. Panics naming the file and line on a block that
/// is not closed, a stray `// END SOLUTION`, or a file with no block.
fn skeleton(solution: &str, file: &str) -> String {
    let mut out = String::new();
    let mut open: Option<usize> = None;
    let mut blocks = 0;
    for (n, line) in solution.lines().enumerate() {
        match (line.trim(), open) {
            ("// BEGIN SOLUTION", None) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                writeln!(out, "{indent}todo!()").expect("writing to a String");
                open = Some(n + 1);
                blocks += 1;
            }
            ("// BEGIN SOLUTION", Some(at)) => {
                panic!(
                    "{file}:{}: a second BEGIN SOLUTION inside the block of line {at}",
                    n + 1
                )
            }
            ("// END SOLUTION", None) => panic!("{file}:{}: END SOLUTION without a BEGIN", n + 1),
            ("// END SOLUTION", Some(_)) => open = None,
            (_, Some(_)) => {}
            (_, None) => writeln!(out, "{line}").expect("writing to a String"),
        }
    }
    if let Some(at) = open {
        panic!("{file}:{at}: BEGIN SOLUTION is never closed by END SOLUTION");
    }
    assert!(
        blocks > 0,
        "{file}: no `// BEGIN SOLUTION` block: nothing for the learner to write"
    );
    out
}

/// `NN_name.rs` → `name`.
fn exercise_name(file: &str) -> &str {
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    stem.split_once('_').map_or(stem, |(_, name)| name)
}

/// A path as a Rust string literal.
fn literal(path: &Path) -> String {
    format!("{:?}", path.display().to_string())
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    // Canonical, so that a panic's location in a skeleton reads without `..`.
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let out = fs::canonicalize(&out).unwrap_or(out);
    let solutions = root.join("solutions");
    println!("cargo:rerun-if-changed={}", solutions.display());

    let mut files: Vec<String> = fs::read_dir(&solutions)
        .expect("exercises/solutions/ holds the solutions")
        .map(|e| {
            e.expect("list solutions/")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|f| f.ends_with(".rs") && f.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .collect();
    files.sort();

    fs::create_dir_all(out.join("skeletons")).expect("create OUT_DIR/skeletons");
    let (mut exercises, mut skeletons) = (String::new(), String::new());
    let (mut learner, mut solution_modules, mut skeleton_modules, mut tests) =
        (String::new(), String::new(), String::new(), String::new());
    for file in &files {
        let name = exercise_name(file);
        let text = fs::read_to_string(solutions.join(file)).expect("read a solution");
        let skeleton_path = out.join("skeletons").join(file);
        fs::write(
            &skeleton_path,
            skeleton(&text, &format!("solutions/{file}")),
        )
        .expect("write a skeleton");
        let (mine, theirs, blank) = (
            literal(&root.join(file)),
            literal(&solutions.join(file)),
            literal(&skeleton_path),
        );
        writeln!(exercises, "    ({name:?}, {file:?}),").unwrap();
        writeln!(skeletons, "    ({name:?}, include_str!({blank})),").unwrap();
        writeln!(
            learner,
            "#[cfg(feature = {name:?})]\n#[allow(unused)]\n#[path = {mine}]\nmod {name};"
        )
        .unwrap();
        writeln!(solution_modules, "#[path = {theirs}]\nmod {name};").unwrap();
        writeln!(
            skeleton_modules,
            "#[allow(unused)]\n#[path = {blank}]\nmod {name};"
        )
        .unwrap();
        writeln!(
            tests,
            "#[test]\nfn {name}() {{\n    check_one({name:?});\n}}"
        )
        .unwrap();
    }
    let exercises = format!(
        "/// Every exercise's name and file, in course order.\n\
         pub const EXERCISES: &[(&str, &str)] = &[\n{exercises}];\n\n\
         /// Every exercise's untouched skeleton (its solution with each solution block \
         replaced by `todo!()`).\n\
         pub const SKELETONS: &[(&str, &str)] = &[\n{skeletons}];\n"
    );
    for (file, text) in [
        ("exercises.rs", exercises),
        ("learner.rs", learner),
        ("solution_modules.rs", solution_modules),
        ("skeleton_modules.rs", skeleton_modules),
        ("tests.rs", tests),
    ] {
        fs::write(out.join(file), text).expect("write into OUT_DIR");
    }
}
