//! `workbook`: grades the learner's exercises. `cargo xtask exercise` builds it and runs it;
//! nobody needs to call it by hand.
//!
//! The learner's files (`exercises/01_…rs` to `29_…rs`) are its modules, each compiled in
//! only when the cargo feature of its name is on (see `Cargo.toml`), so that a half-written
//! exercise cannot stop another from being checked.
//!
//! ```text
//! workbook check NAME       grade exercise NAME; exit 0 done, 1 failing, 2 not started
//! workbook skeleton NAME    print NAME's untouched skeleton
//! ```

use std::process::ExitCode;

use grader::Outcome;

include!(concat!(env!("OUT_DIR"), "/learner.rs"));
include!(concat!(env!("OUT_DIR"), "/exercises.rs"));
mod table;

/// The exit code of a check that did not pass because the exercise is not written yet.
const NOT_STARTED: u8 = 2;
/// The exit code of a command that could not run (a bad name, an exercise not built in).
const USAGE: u8 = 3;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let known = |name: &str| EXERCISES.iter().any(|(n, _)| *n == name);
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["check", name] if known(name) => match table::check(name) {
            Some(outcome) => report(name, &outcome),
            None => {
                eprintln!("exercise `{name}` is not in this build: build with `--features {name}`");
                ExitCode::from(USAGE)
            }
        },
        ["skeleton", name] if known(name) => {
            let text = SKELETONS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
            print!("{}", text.unwrap_or_default());
            ExitCode::SUCCESS
        }
        _ => {
            let names: Vec<&str> = EXERCISES.iter().map(|(n, _)| *n).collect();
            eprintln!(
                "usage: workbook check NAME | workbook skeleton NAME\nexercises: {}",
                names.join(" ")
            );
            ExitCode::from(USAGE)
        }
    }
}

/// Prints the outcome of exercise `name` and returns its exit code.
fn report(name: &str, outcome: &Outcome) -> ExitCode {
    let (mark, verdict, code) = match outcome {
        Outcome::Done(_) => ("✓", "done", ExitCode::SUCCESS),
        Outcome::Failing(_) => ("✗", "failing", ExitCode::FAILURE),
        Outcome::NotWritten(_) => ("·", "not started", ExitCode::from(NOT_STARTED)),
    };
    println!("{mark} {name}: {verdict}\n");
    for line in outcome.text().lines() {
        println!("  {line}");
    }
    code
}
