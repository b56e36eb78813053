//! `cargo xtask exercise`: the workbook, where the learner writes the code and the course's
//! own checks grade it (`exercises/`, explained in docs/exercises.md).
//!
//! ```text
//! cargo xtask exercise                   every exercise, its state and its lesson
//! cargo xtask exercise NAME              check one exercise (by name or number)
//! cargo xtask exercise next              the first exercise not done yet
//! cargo xtask exercise NAME --hint       its hint (exercises/hints.md)
//! cargo xtask exercise [NAME] --watch    check again on every save (without NAME: next,
//!                                        moving on when it is done)
//! cargo xtask exercise NAME --reset      write its untouched skeleton back into its file
//! ```
//!
//! The state comes from the files alone, never from saved progress: a file that still holds
//! `todo!()` is not started; any other is checked, and is done or failing. The checks run in
//! the workbook's own workspace (`exercises/Cargo.toml`, built into the course's `target/`),
//! with one cargo feature per exercise to check, so a learner's half-written code can break
//! neither the course's build nor the check of another exercise.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::args::{usage_error, workspace_root};

mod runner;
mod watch;

pub use runner::cargo;
use runner::{build, check, reset, run_check, states};
use watch::watch;

/// One exercise, as the files describe it.
struct Exercise {
    /// 1, 2, … (the file's prefix).
    number: u32,
    /// The name, e.g. `sigmoid_backward`.
    name: String,
    /// The learner's file, `exercises/NN_name.rs`.
    file: PathBuf,
    /// What it is about: the rest of its doc's first line.
    title: String,
    /// The lesson page's slug, e.g. `01-xor`.
    lesson: String,
}

/// Where an exercise stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    NotStarted,
    Failing,
    Done,
}

impl State {
    fn label(self) -> &'static str {
        match self {
            State::NotStarted => "not started",
            State::Failing => "failing",
            State::Done => "done",
        }
    }
}

/// Every exercise, in course order, read from the solutions (which the learner never edits:
/// a deleted or broken learner file still shows up).
fn catalog(root: &Path) -> Vec<Exercise> {
    let solutions = root.join("exercises/solutions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&solutions)
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|path| {
            let file = path.file_name()?.to_str()?;
            let (number, name) = file.strip_suffix(".rs")?.split_once('_')?;
            let text = std::fs::read_to_string(path).ok()?;
            let title = text.lines().next()?.split_once(" — ")?.1.to_string();
            let lesson = text
                .split_once("docs/lessons/")?
                .1
                .split_once(".md")?
                .0
                .to_string();
            Some(Exercise {
                number: number.parse().ok()?,
                name: name.to_string(),
                file: root.join("exercises").join(file),
                title,
                lesson,
            })
        })
        .collect()
}

/// Whether the learner has written something: the file exists and holds no `todo!()`.
fn started(ex: &Exercise) -> bool {
    std::fs::read_to_string(&ex.file).is_ok_and(|text| !text.contains("todo!()"))
}

/// `path` relative to the repository's root, for messages.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The first exercise not done yet, with its state, checking written ones in order.
fn next(root: &Path, exercises: &[Exercise]) -> Option<(usize, State)> {
    for (i, ex) in exercises.iter().enumerate() {
        if !started(ex) {
            return Some((i, State::NotStarted));
        }
        let state = if build(root, &[&ex.name], true) {
            run_check(root, &ex.name, true)
        } else {
            State::Failing
        };
        if state != State::Done {
            return Some((i, state));
        }
    }
    None
}

/// What to do next with exercise `ex`.
fn introduce(root: &Path, ex: &Exercise) {
    let (n, name) = (ex.number, &ex.name);
    println!("\nexercise {n} `{name}`: {}", ex.title);
    println!("  write it in   {}", shown(root, &ex.file));
    println!("  lesson        docs/lessons/{}.md", ex.lesson);
    println!("  check it      cargo xtask exercise {name} (add --watch to check on every save)");
    println!("  stuck?        cargo xtask exercise {name} --hint");
}

/// The `## name` section of `exercises/hints.md`.
fn hint(root: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(root.join("exercises/hints.md")).ok()?;
    let (_, rest) = text.split_once(&format!("\n## {name}\n"))?;
    Some(rest.split("\n## ").next()?.trim().to_string())
}

/// What the command line asks for.
#[derive(Debug, Default, PartialEq)]
struct Request {
    /// The exercise named (by name or number); `None` for `next` or none.
    exercise: Option<usize>,
    /// `next` was given.
    next: bool,
    hint: bool,
    watch: bool,
    reset: bool,
}

/// Reads the arguments of `cargo xtask exercise` against the exercises' names and numbers.
fn parse(args: &[String], exercises: &[Exercise]) -> Result<Request, String> {
    let mut request = Request::default();
    for arg in args {
        match arg.as_str() {
            "--hint" => request.hint = true,
            "--watch" => request.watch = true,
            "--reset" => request.reset = true,
            "next" => request.next = true,
            flag if flag.starts_with('-') => {
                return Err(format!(
                    "{flag}: `cargo xtask exercise` takes no such flag (its flags: --hint, \
                     --watch, --reset)"
                ));
            }
            name if request.exercise.is_none() => {
                let found = exercises
                    .iter()
                    .position(|e| e.name == name || name.parse() == Ok(e.number));
                let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
                request.exercise = Some(found.ok_or(format!(
                    "no exercise `{name}`; the exercises are: {}",
                    names.join(", ")
                ))?);
            }
            _ => return Err("name one exercise at a time".to_string()),
        }
    }
    if request.next && request.exercise.is_some() {
        return Err("name an exercise or `next`, not both".to_string());
    }
    if request.reset && request.exercise.is_none() {
        return Err("--reset overwrites your file: name the exercise".to_string());
    }
    Ok(request)
}

/// The usage line, printed with every usage error.
const USAGE: &str = "usage: cargo xtask exercise [NAME|next] [--hint] [--watch] [--reset]";

/// Runs `cargo xtask exercise` with `args` (see the module docs). Exit codes: 0 when the
/// exercise checked is done (or for a list, a hint, a reset), 1 when it is not or a reset
/// failed, [`USAGE_ERROR`](crate::args::USAGE_ERROR) for a wrong command line.
pub fn run(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let exercises = catalog(&root);
    let request = match parse(args, &exercises) {
        Ok(request) => request,
        Err(e) => return usage_error(e, USAGE),
    };
    if request.watch {
        return watch(&root, &exercises, request.exercise);
    }
    if request.exercise.is_none() && !request.next && !request.hint {
        return list(&root, &exercises);
    }
    // The exercise named, or the next one with the state `next` found it in.
    let found = match request.exercise {
        Some(i) => Some((i, None)),
        None => next(&root, &exercises).map(|(i, state)| (i, Some(state))),
    };
    let Some((i, known)) = found else {
        println!("every exercise is done: well done!");
        return ExitCode::SUCCESS;
    };
    let ex = &exercises[i];
    if request.hint {
        let text = hint(&root, &ex.name).unwrap_or_else(|| "(no hint written)".to_string());
        println!("hint for exercise {} `{}`:\n\n{text}", ex.number, ex.name);
        return ExitCode::SUCCESS;
    }
    if request.reset {
        return match reset(&root, ex) {
            Ok(()) => {
                println!(
                    "wrote the untouched skeleton into {}",
                    shown(&root, &ex.file)
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let state = match known {
        Some(State::NotStarted) => State::NotStarted,
        _ => check(&root, ex),
    };
    if state == State::Done {
        return ExitCode::SUCCESS;
    }
    introduce(&root, ex);
    ExitCode::FAILURE
}

/// Prints every exercise with its state and lesson.
fn list(root: &Path, exercises: &[Exercise]) -> ExitCode {
    let states = states(root, exercises);
    println!(
        "the workbook: {} exercises in exercises/ (docs/exercises.md)\n",
        exercises.len()
    );
    println!("   #  {:<22} {:<12} lesson", "exercise", "state");
    for (ex, state) in exercises.iter().zip(&states) {
        println!(
            "  {:>2}  {:<22} {:<12} {}",
            ex.number,
            ex.name,
            state.label(),
            ex.lesson
        );
    }
    let count = |s: State| states.iter().filter(|&&x| x == s).count();
    println!(
        "\n{} done, {} failing, {} not started. Next: cargo xtask exercise next",
        count(State::Done),
        count(State::Failing),
        count(State::NotStarted)
    );
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_reads_every_exercise_from_the_files() {
        let exercises = catalog(&workspace_root());
        assert!(exercises.len() >= 16, "only {} exercises", exercises.len());
        for (i, ex) in exercises.iter().enumerate() {
            assert_eq!(
                ex.number as usize,
                i + 1,
                "exercises are numbered 1, 2, … in order"
            );
            assert!(ex.file.is_file(), "{} is missing", ex.file.display());
            assert!(!ex.title.is_empty(), "{}: no title", ex.name);
            let page = workspace_root().join(format!("docs/lessons/{}.md", ex.lesson));
            assert!(
                page.is_file(),
                "{}: lesson page {} is missing",
                ex.name,
                page.display()
            );
            assert!(
                hint(&workspace_root(), &ex.name).is_some(),
                "{}: no hint",
                ex.name
            );
        }
    }

    #[test]
    fn arguments_name_an_exercise_by_name_or_number() {
        let exercises = catalog(&workspace_root());
        let args = |a: &[&str]| {
            parse(
                &a.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                &exercises,
            )
        };
        assert_eq!(args(&[]), Ok(Request::default()));
        let fourth = Request {
            exercise: Some(3),
            ..Request::default()
        };
        assert_eq!(args(&["sigmoid_backward"]), Ok(fourth));
        let hint = Request {
            exercise: Some(3),
            hint: true,
            ..Request::default()
        };
        assert_eq!(args(&["4", "--hint"]), Ok(hint));
        assert_eq!(
            args(&["next", "--watch"]).map(|r| (r.next, r.watch)),
            Ok((true, true))
        );
        assert!(
            args(&["no_such_exercise"])
                .unwrap_err()
                .contains("broadcast_shape")
        );
        assert!(args(&["--reset"]).is_err(), "--reset needs a name");
        let bogus = args(&["--epochs", "3"]).unwrap_err();
        assert!(
            bogus.starts_with("--epochs: `cargo xtask exercise`"),
            "{bogus}"
        );
    }
}
