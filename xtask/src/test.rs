//! `cargo xtask test`: every test of the workspace, in release mode.
//!
//! Tests train real networks, so they are built with `--release`, which also shares the
//! compiled dependencies with `cargo xtask lesson`. Extra arguments are passed to
//! `cargo test`.

use std::process::{Command, ExitCode};

/// Runs `cargo test --workspace --release` with any extra arguments and returns its status.
pub fn run(extra: &[String]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args(["test", "--workspace", "--release"])
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
