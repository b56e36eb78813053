//! Every exercise's untouched skeleton (its solution with each solution block replaced by
//! `todo!()`) fails its check with the exercise's own message: "not started", naming the
//! `todo!()` in that very file. No panic reaches the test harness.

use grader::Outcome;

include!(concat!(env!("OUT_DIR"), "/skeleton_modules.rs"));
include!(concat!(env!("OUT_DIR"), "/exercises.rs"));
#[path = "../runner/table.rs"]
mod table;

/// Grades the skeleton of exercise `name`, which must be reported as not written yet.
fn check_one(name: &str) {
    let (_, file) = EXERCISES
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a known exercise");
    match table::check(name) {
        Some(Outcome::NotWritten(text)) => {
            assert!(
                text.contains(&format!("skeletons/{file}")),
                "the skeleton of `{name}` failed on another file's todo!(): {text}"
            );
            println!("{name}: not started\n{text}");
        }
        other => panic!("the skeleton of `{name}` must fail as not written yet: {other:?}"),
    }
}

include!(concat!(env!("OUT_DIR"), "/tests.rs"));
