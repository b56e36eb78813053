//! `cargo xtask lesson N`: run one lesson end to end, print its summary, and fail if a bar
//! is missed.

use std::process::ExitCode;

use models::{Context, Schedule};

use crate::args;

/// Runs the lesson named by the first positional argument.
pub fn run(raw: &[String]) -> ExitCode {
    let args = match args::parse(raw) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(number) = args.positional.first().and_then(|n| n.parse::<u32>().ok()) else {
        eprintln!("usage: cargo xtask lesson N [--seed S] [--data-dir DIR] [--epochs E] [--quick]");
        list_lessons();
        return ExitCode::FAILURE;
    };
    let Some(lesson) = models::lesson(number) else {
        eprintln!("error: lesson {number} is not written yet");
        list_lessons();
        return ExitCode::FAILURE;
    };
    let ctx = Context {
        seed: args.seed.unwrap_or(lesson.seed),
        data_root: data::data_root(args.data_dir.as_deref()),
        out_dir: args::workspace_root()
            .join("target/lessons")
            .join(lesson.slug),
        schedule: if args.quick {
            Schedule::Quick
        } else {
            Schedule::Full
        },
        epochs: args.epochs,
    };
    println!(
        "lesson {}: {} (seed {})",
        lesson.number, lesson.title, ctx.seed
    );
    match models::run_lesson(lesson, &ctx) {
        Ok(summary) => {
            println!("{summary}");
            if summary.passed() {
                ExitCode::SUCCESS
            } else {
                eprintln!("lesson {number} missed a bar");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: lesson {number}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the lessons that exist.
fn list_lessons() {
    eprintln!("lessons:");
    for l in models::lessons() {
        eprintln!("  {}  {}", l.number, l.title);
    }
}
