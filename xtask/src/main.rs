//! `cargo xtask`: the project's small task runner (the cargo-xtask pattern).
//!
//! `cargo xtask lesson N` runs a lesson end to end, `cargo xtask test` runs every test in
//! release-grade mode, `cargo xtask data` fetches or verifies the data sets, `cargo xtask
//! bench` prints the benchmark table, `cargo xtask predict FILE...` classifies images and
//! `cargo xtask studio` serves the course's interactive pages.

use std::process::ExitCode;

mod args;
mod bench;
mod compare;
mod datasets;
mod exercise;
mod lesson;
mod predict;
mod seeds;
mod studio;
mod test;
#[cfg(test)]
mod tidy;

/// The text of `cargo xtask --help`.
const HELP: &str = "\
cargo xtask — gradschool's task runner

USAGE:
    cargo xtask <COMMAND> [ARGS]

COMMANDS:
    lesson N [RECIPE FLAGS] [--seed S] [--seeds K] [--out DIR] [--data-dir DIR] [--quick]
                                           run lesson N end to end and check its bars;
                                           `lesson N --help` lists its recipe flags
    compare RUN/history.json... [--metric NAME] [--out FILE]
                                           overlay the curves of several runs
    test                                   run every test of the workspace in release mode
    exercise [NAME|next] [--hint] [--watch] [--reset]
                                           the workbook: list, check or watch the exercises
    data [--data-dir DIR]                  fetch or verify the data sets the lessons use
    bench [--pytorch [--python PATH]] [--rounds R] [--quick] [--out FILE] [SECTION...]
                                           the benchmark table (gemm xor lesson3 lesson6
                                           lesson7 lesson8 lesson9);
                                           --pytorch times PyTorch beside ours in the same run
    predict FILE... [--model FILE] [--raw] [--json]
                                           classify image files with a model saved by
                                           lesson 6, 7, 8 or 9;
                                           `predict --help` gives the exit codes
    studio [--port P] [--host ADDRESS] [--model FILE]
                                           the course's pages in the browser (127.0.0.1:8000)
    help                                   print this text

Each command takes only its own flags. Exit codes: 0 success; 2 a wrong command line (an
unknown command or flag, a missing or malformed value), with nothing run; 1 a run that failed
(a missed bar, a failing test or exercise; `predict --help` lists its own).
";

fn main() -> ExitCode {
    // Training frees and reallocates tens of megabytes per step; keep that memory in the
    // process instead of handing it back to the OS each time (speed only, see alloc_tuning).
    // Every bench section runs in a child `xtask` process, which starts here too.
    alloc_tuning::keep_freed_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        return args::usage_error("name a command", HELP);
    };
    match command.as_str() {
        "help" | "--help" | "-h" => match rest.first() {
            None => {
                print!("{HELP}");
                ExitCode::SUCCESS
            }
            Some(extra) => args::usage_error(
                format!(
                    "unexpected argument `{extra}`: `cargo xtask help` takes none (a command's \
                     own help: `cargo xtask COMMAND --help`)"
                ),
                HELP,
            ),
        },
        "test" => test::run(rest),
        "data" => datasets::run(rest),
        "lesson" => lesson::run(rest),
        "exercise" => exercise::run(rest),
        "compare" => compare::run(rest),
        "bench" => bench::run(rest),
        "predict" => predict::run(rest),
        "studio" => studio::run(rest),
        other => args::usage_error(format!("unknown command `{other}`"), HELP),
    }
}
