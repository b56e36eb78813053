//! `cargo xtask lesson N [FLAGS]`: run one lesson end to end, print its summary, and fail
//! if a bar is missed; with recipe flags (`--lr 0.01`), the same lesson with a changed
//! recipe; with `--seeds K`, K seeds of it and the spread of every metric.

use std::path::PathBuf;
use std::process::ExitCode;

use models::recipe::{self, Recipe};
use models::{Context, Lesson, Schedule, Summary};

use crate::seeds;

/// The flags every lesson takes, for `--help`.
const COMMON_FLAGS: &str = "    --seed S             the seed (default: the lesson's)
    --seeds K            run K seeds (S, S+1, …) and print min / median / max of each metric
    --data-dir DIR       the folder holding mnist/ (default: GRADSCHOOL_DATA, then the cache)
    --out DIR            write the run's files to DIR (default: target/lessons/NN-name/)
    --quick              the test suite's shorter schedule, where the lesson has one
    --help               this text
";

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

/// Splits the command line into the common flags and the recipe's; a flag without its
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
        match arg.as_str() {
            "--seed" => request.seed = Some(number("--seed", value("--seed")?)?),
            "--seeds" => {
                let k = number("--seeds", value("--seeds")?)?;
                if k == 0 {
                    return Err("--seeds: expected a whole number ≥ 1, got \"0\"".into());
                }
                request.seeds = Some(k as usize);
            }
            "--data-dir" => request.data_dir = Some(PathBuf::from(value("--data-dir")?)),
            "--out" => request.out = Some(PathBuf::from(value("--out")?)),
            "--quick" => request.quick = true,
            "--help" | "-h" => request.help = true,
            flag if flag.starts_with("--") => {
                let text = value(flag)?;
                request.overrides.push((flag.to_string(), text));
            }
            n if request.number.is_none() => {
                request.number = Some(
                    n.parse()
                        .map_err(|_| format!("expected a lesson number, got {n:?}"))?,
                )
            }
            extra => return Err(format!("unexpected argument {extra:?}")),
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
    print!("{COMMON_FLAGS}");
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
