//! `cargo xtask data`: fetch or verify every data set the lessons use. (Not written yet.)

use std::process::ExitCode;

/// Fetches or verifies the data sets; not written yet.
pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("error: `cargo xtask data` is not written yet");
    ExitCode::FAILURE
}
