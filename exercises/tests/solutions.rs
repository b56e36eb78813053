//! Every exercise's solution (`solutions/`) passes its check: one test per exercise.

use grader::Outcome;

include!(concat!(env!("OUT_DIR"), "/solution_modules.rs"));
#[path = "../runner/table.rs"]
mod table;

/// Grades the solution of exercise `name`, which must be done.
fn check_one(name: &str) {
    match table::check(name) {
        Some(Outcome::Done(text)) => println!("{name}: done\n{text}"),
        other => panic!("the solution of `{name}` does not pass its check: {other:?}"),
    }
}

include!(concat!(env!("OUT_DIR"), "/tests.rs"));
