//! `cargo xtask lesson N [FLAGS]`: run one lesson end to end, print its summary, and fail
//! if a bar is missed; with recipe flags (`--lr 0.01`), the same lesson with a changed
//! recipe; with `--seeds K`, K seeds of it and the spread of every metric.

use std::path::PathBuf;
use std::process::ExitCode;

use models::recipe::{self, Recipe};
use models::{Context, Lesson, Schedule, Summary};

use crate::seeds;

/// A flag of `cargo xtask lesson` itself, which every lesson takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum General {
    /// `--seed S`.
    Seed,
    /// `--seeds K`.
    Seeds,
    /// `--data-dir DIR`.
    DataDir,
    /// `--out DIR`.
    Out,
    /// `--quick`.
    Quick,
    /// `--help`.
    Help,
}

/// The general flags: `(flag, its value's name, help)`. The parser, `--help` and the test
/// that no recipe field shadows one all read this list.
pub const GENERAL_FLAGS: [(General, &str, &str, &str); 6] = [
    (
        General::Seed,
        "--seed",
        "S",
        "the seed (default: the lesson's)",
    ),
    (
        General::Seeds,
        "--seeds",
        "K",
        "run K seeds (S, S+1, …) and print min / median / max of each metric",
    ),
    (
        General::DataDir,
        "--data-dir",
        "DIR",
        "the folder holding mnist/ (default: GRADSCHOOL_DATA, then the cache)",
    ),
    (
        General::Out,
        "--out",
        "DIR",
        "write the run's files to DIR (default: target/lessons/NN-name/)",
    ),
    (
        General::Quick,
        "--quick",
        "",
        "the test suite's shorter schedule, where the lesson has one",
    ),
    (General::Help, "--help", "", "this text"),
];

/// The general flag written `arg` (`-h` is `--help`), if it is one.
fn general(arg: &str) -> Option<General> {
    let arg = if arg == "-h" { "--help" } else { arg };
    GENERAL_FLAGS
        .iter()
        .find(|(_, flag, _, _)| *flag == arg)
        .map(|&(g, ..)| g)
}

/// A parsed `cargo xtask lesson` command line.
#[derive(Debug, Default)]
pub struct Request {
    /// The lesson number.
    pub number: Option<u32>,
    /// `--seed S`.
    pub seed: Option<u64>,
    /// `--seeds K`.
    pub seeds: Option<usize>,
    /// `--data-dir DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--out DIR`.
    pub out: Option<PathBuf>,
    /// `--quick`.
    pub quick: bool,
    /// `--help`.
    pub help: bool,
    /// Every other `--flag value`: a recipe field, checked against the lesson's recipe.
    pub overrides: Vec<(String, String)>,
}

/// Splits the command line into the general flags and the recipe's; a flag without its
/// value or a malformed number is an error naming the flag.
pub fn parse(raw: &[String]) -> Result<Request, String> {
    let mut request = Request::default();
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .filter(|v| !v.starts_with("--"))
                .cloned()
                .ok_or(format!("{flag} needs a value"))
        };
        let number = |flag: &str, text: String| -> Result<u64, String> {
            text.parse()
                .map_err(|_| format!("{flag}: expected a whole number, got {text:?}"))
        };
        match general(arg) {
            Some(General::Seed) => request.seed = Some(number(arg, value(arg)?)?),
            Some(General::Seeds) => {
                let k = number(arg, value(arg)?)?;
                if k == 0 {
                    return Err("--seeds: expected a whole number ≥ 1, got \"0\"".into());
                }
                request.seeds = Some(k as usize);
            }
            Some(General::DataDir) => request.data_dir = Some(PathBuf::from(value(arg)?)),
            Some(General::Out) => request.out = Some(PathBuf::from(value(arg)?)),
            Some(General::Quick) => request.quick = true,
            Some(General::Help) => request.help = true,
            None if arg.starts_with("--") => {
                let text = value(arg)?;
                request.overrides.push((arg.to_string(), text));
            }
            None if request.number.is_none() => {
                request.number = Some(
                    arg.parse()
                        .map_err(|_| format!("expected a lesson number, got {arg:?}"))?,
                )
            }
            None => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    Ok(request)
}

/// The lesson's recipe for the schedule, with the command line's changes: checked here,
/// before anything runs or is written.
pub fn checked_recipe(
    lesson: &Lesson,
    schedule: Schedule,
    overrides: &[(String, String)],
) -> Result<Box<dyn Recipe>, recipe::RecipeError> {
    let mut r = (lesson.recipe)(schedule);
    recipe::apply(&mut *r, overrides)?;
    Ok(r)
}

/// `cargo xtask lesson N --help`: the lesson's flags with their defaults.
fn print_help(lesson: &Lesson, schedule: Schedule) {
    println!(
        "cargo xtask lesson {} — {}\n\nUSAGE:\n    cargo xtask lesson {} [FLAGS]\n\nRECIPE \
         (the course's values as defaults):",
        lesson.number, lesson.title, lesson.number
    );
    print!("{}", recipe::help(&mut *(lesson.recipe)(schedule)));
    println!("\nFLAGS:");
    for (_, flag, value, help) in GENERAL_FLAGS {
        let written = format!("{flag} {value}");
        println!("    {:<20} {help}", written.trim_end());
    }
}

/// Runs the lesson named by the first positional argument. Exit codes: 0 when every bar
/// passed (or the recipe was changed and the run finished), 1 when a bar was missed or the
/// run failed, 2 for a bad command line (with nothing written).
pub fn run(raw: &[String]) -> ExitCode {
    let usage = || {
        eprintln!("usage: cargo xtask lesson N [--help] [RECIPE FLAGS] [--seed S] [--seeds K] …");
        list_lessons();
        ExitCode::from(2)
    };
    let request = match parse(raw) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return usage();
        }
    };
    let Some(number) = request.number else {
        return usage();
    };
    let Some(lesson) = models::lesson(number) else {
        eprintln!("error: lesson {number} is not written yet");
        return usage();
    };
    let schedule = if request.quick {
        Schedule::Quick
    } else {
        Schedule::Full
    };
    if request.help {
        print_help(lesson, schedule);
        return ExitCode::SUCCESS;
    }
    if let Err(e) = checked_recipe(lesson, schedule, &request.overrides) {
        eprintln!("error: {e} (cargo xtask lesson {number} --help lists the flags)");
        return ExitCode::from(2);
    }
    let ctx = Context {
        seed: request.seed.unwrap_or(lesson.seed),
        data_root: data::data_root(request.data_dir.as_deref()),
        out_dir: request.out.clone().unwrap_or_else(|| {
            crate::args::workspace_root()
                .join("target/lessons")
                .join(lesson.slug)
        }),
        schedule,
        overrides: request.overrides.clone(),
    };
    if let Some(k) = request.seeds {
        return seeds::run(lesson, &ctx, k);
    }
    println!(
        "lesson {}: {} (seed {})",
        lesson.number, lesson.title, ctx.seed
    );
    match models::run_lesson(lesson, &ctx) {
        Ok(summary) => finish(number, &summary),
        Err(e) => {
            eprintln!("error: lesson {number}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the summary; the exit code says whether the bars held.
fn finish(number: u32, summary: &Summary) -> ExitCode {
    println!("{summary}");
    if summary.passed() {
        ExitCode::SUCCESS
    } else {
        eprintln!("lesson {number} missed a bar");
        ExitCode::FAILURE
    }
}

/// Prints the lessons that exist.
fn list_lessons() {
    eprintln!("lessons:");
    for l in models::lessons() {
        eprintln!("  {}  {}", l.number, l.title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn common_flags_and_recipe_flags_are_told_apart() {
        let r = parse(&args(&[
            "3", "--lr", "0.01", "--seed", "7", "--epochs", "100",
        ]))
        .unwrap();
        assert_eq!((r.number, r.seed), (Some(3), Some(7)));
        assert_eq!(
            r.overrides,
            [
                ("--lr".to_string(), "0.01".to_string()),
                ("--epochs".to_string(), "100".to_string())
            ]
        );
        assert!(
            parse(&args(&["3", "--lr"]))
                .unwrap_err()
                .contains("--lr needs a value")
        );
        assert!(parse(&args(&["3", "--seeds", "0"])).is_err());
        assert!(parse(&args(&["3", "4"])).is_err());
    }

    /// A recipe field written like a general flag could never be set: `--seeds K` would
    /// always be read as the seed spread (lessons 1 and 4 once had such a field).
    #[test]
    fn no_recipe_flag_shadows_a_general_flag() {
        assert_eq!(general("--seeds"), Some(General::Seeds));
        assert_eq!(general("-h"), Some(General::Help));
        for lesson in models::lessons() {
            for schedule in [Schedule::Full, Schedule::Quick] {
                let mut recipe = (lesson.recipe)(schedule);
                for p in recipe.params() {
                    let flag = recipe::flag(p.name);
                    assert!(
                        general(&flag).is_none(),
                        "lesson {}: recipe field `{}` is written {flag}, a flag of `cargo \
                         xtask lesson` itself, so it can never be set; rename the field",
                        lesson.number,
                        p.name
                    );
                }
            }
        }
        let r = parse(&args(&["1", "--solved-seeds", "3", "--seeds", "2"])).unwrap();
        assert_eq!(r.seeds, Some(2));
        assert_eq!(
            r.overrides,
            [("--solved-seeds".to_string(), "3".to_string())]
        );
    }

    #[test]
    fn every_lesson_checks_its_recipe_flags() {
        for lesson in models::lessons() {
            let over = |f: &str, v: &str| vec![(f.to_string(), v.to_string())];
            let bad = checked_recipe(lesson, Schedule::Full, &over("--bogus", "1"));
            let message = bad.err().expect("an unknown flag is refused").to_string();
            assert!(message.starts_with("--bogus: unknown flag"), "{message}");
            let ok = checked_recipe(lesson, Schedule::Full, &over("--epochs", "3"));
            assert!(ok.is_ok(), "lesson {} has no --epochs", lesson.number);
            let bad = checked_recipe(lesson, Schedule::Full, &over("--epochs", "0"));
            assert!(
                bad.is_err(),
                "lesson {}: --epochs 0 accepted",
                lesson.number
            );
        }
    }
}
