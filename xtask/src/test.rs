//! `cargo xtask test`: every test of the workspace, built with optimisation.
//!
//! Tests train real networks, so they run under the `test` profile, which the workspace
//! manifest sets to `opt-level = 3` (debug assertions stay on). Extra arguments are passed
//! to `cargo test`.

use std::process::{Command, ExitCode};

/// Runs `cargo test --workspace` with any extra arguments and returns its status.
pub fn run(extra: &[String]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args(["test", "--workspace"])
        .args(extra)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: could not start cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
