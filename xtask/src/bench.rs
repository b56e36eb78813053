//! `cargo xtask bench`: the benchmark table. (Not written yet.)

use std::process::ExitCode;

/// Prints the benchmark table; not written yet.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("error: `cargo xtask bench` is not written yet");
    ExitCode::FAILURE
}
