//! The workbook holds together: every exercise has its learner file, its solution, its cargo
//! feature, its hint and its lesson page, each skeleton is its solution with every block
//! replaced by `todo!()`, and on CI (a fresh clone) every learner file is exactly its
//! untouched skeleton.

use std::fs;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/exercises.rs"));

/// The workbook's folder, `exercises/`.
fn workbook() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The names under `[features]` in the workbook's `Cargo.toml`.
fn features() -> Vec<String> {
    let manifest = read(&workbook().join("Cargo.toml"));
    let section = manifest
        .split("\n[features]\n")
        .nth(1)
        .expect("Cargo.toml has a [features] section");
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| {
            l.split_once(" = []")
                .map(|(name, _)| name.trim().to_string())
        })
        .collect()
}

/// The `## name` headings of `hints.md`.
fn hints() -> Vec<String> {
    read(&workbook().join("hints.md"))
        .lines()
        .filter_map(|l| l.strip_prefix("## ").map(str::to_string))
        .collect()
}

#[test]
fn every_exercise_has_its_file_feature_hint_and_lesson() {
    let names: Vec<String> = EXERCISES.iter().map(|(n, _)| n.to_string()).collect();
    assert!(
        names.len() >= 16,
        "the workbook has only {} exercises",
        names.len()
    );
    assert_eq!(
        features(),
        names,
        "Cargo.toml's [features]: one per exercise, in order"
    );
    assert_eq!(
        hints(),
        names,
        "hints.md: one `## name` section per exercise, in order"
    );

    let mut learner_files: Vec<String> = fs::read_dir(workbook())
        .expect("list exercises/")
        .map(|e| {
            e.expect("list exercises/")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|f| f.ends_with(".rs") && f.as_bytes()[0].is_ascii_digit())
        .collect();
    learner_files.sort();
    let files: Vec<String> = EXERCISES.iter().map(|(_, f)| f.to_string()).collect();
    assert_eq!(
        learner_files, files,
        "exercises/NN_name.rs: one per solution in solutions/"
    );

    for (name, file) in EXERCISES {
        let solution = read(&workbook().join("solutions").join(file));
        let lesson = solution
            .lines()
            .find_map(|l| l.strip_prefix("//! Lesson: ["))
            .and_then(|l| l.split_once("](../")?.1.split_once(')'))
            .map(|(path, _)| workbook().join("..").join(path));
        let lesson = lesson
            .unwrap_or_else(|| panic!("{file}: no `//! Lesson: [..](../docs/lessons/…)` line"));
        assert!(
            lesson.is_file(),
            "{file}: its lesson page {} does not exist",
            lesson.display()
        );
        for section in ["//! # Shapes", "//! # Graded by"] {
            assert!(
                solution.contains(section),
                "{file} ({name}): no `{section}` section"
            );
        }
    }
}

#[test]
fn each_skeleton_is_its_solution_with_todo_in_every_block() {
    for (name, skeleton) in SKELETONS {
        let (_, file) = EXERCISES
            .iter()
            .find(|(n, _)| n == name)
            .expect("a known exercise");
        let solution = read(&workbook().join("solutions").join(file));
        let blocks = solution.matches("// BEGIN SOLUTION").count();
        assert_eq!(skeleton.matches("todo!()").count(), blocks, "{file}");
        assert!(!skeleton.contains("SOLUTION"), "{file}: a marker survived");
        // Outside the blocks, the skeleton is the solution line for line.
        let outside: Vec<&str> = {
            let mut inside = false;
            solution
                .lines()
                .filter(|l| {
                    let marker = l.trim() == "// BEGIN SOLUTION" || l.trim() == "// END SOLUTION";
                    if marker {
                        inside = l.trim() == "// BEGIN SOLUTION";
                    }
                    !marker && !inside
                })
                .collect()
        };
        let kept: Vec<&str> = skeleton.lines().filter(|l| l.trim() != "todo!()").collect();
        assert_eq!(kept, outside, "{file}");
    }
}

/// Whether this run is CI's (CI systems set `CI`, e.g. `CI=true`): a fresh clone, where the
/// learner's files must be exactly as shipped.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[test]
fn the_learner_files_are_the_untouched_skeletons_as_shipped() {
    let changed: Vec<&str> = SKELETONS
        .iter()
        .filter(|(name, skeleton)| {
            let (_, file) = EXERCISES
                .iter()
                .find(|(n, _)| n == name)
                .expect("a known exercise");
            read(&workbook().join(file)) != *skeleton
        })
        .map(|(name, _)| *name)
        .collect();
    if on_ci() {
        assert!(
            changed.is_empty(),
            "these exercises/NN_name.rs differ from the skeleton of their solution; write it \
             again with `cargo xtask exercise --reset NAME`: {changed:?}"
        );
    } else if !changed.is_empty() {
        // On a learner's machine these are the learner's own work, which no test may break.
        println!(
            "exercises you have changed (checked against the skeletons on CI only): {changed:?}"
        );
    }
}
