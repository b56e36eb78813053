//! `cargo xtask test`: every test of the workspace, in release mode, then the workbook's.
//!
//! Tests train real networks, so they are built with `--release`, which also shares the
//! compiled dependencies with `cargo xtask lesson` (cargo runs without the variables that
//! `cargo run` set for the xtask, see [`cargo`]). Extra arguments are passed to
//! `cargo test` of the workspace, and then only that runs.
//!
//! Without arguments, the workbook (`exercises/`, its own workspace so that a learner's
//! unfinished code never breaks this one) is tested after the workspace, into the same
//! `target/`: every exercise's solution must pass its check, every untouched skeleton must
//! fail it with the exercise's own message, and the workbook must hold together (see
//! `exercises/tests/`). The time it took is printed.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::args::workspace_root;
use crate::exercise::cargo;

/// Runs `cargo test --workspace --release` with any extra arguments, then (without extra
/// arguments) the workbook's tests, and returns the combined status.
pub fn run(extra: &[String]) -> ExitCode {
    let workspace = cargo()
        .args(["test", "--workspace", "--release"])
        .args(extra)
        .status();
    let mut ok = succeeded(workspace);
    if extra.is_empty() {
        let root = workspace_root();
        let started = Instant::now();
        ok &= succeeded(workbook_tests(&root));
        println!(
            "the workbook's tests (exercises/) took {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `cargo test --release --workspace` of the workbook's workspace, built into `root/target`.
fn workbook_tests(root: &Path) -> std::io::Result<std::process::ExitStatus> {
    cargo()
        .args(["test", "--release", "--workspace", "--manifest-path"])
        .arg(root.join("exercises/Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target"))
        .status()
}

/// Whether a `cargo` run started and passed; says so if it could not start.
fn succeeded(status: std::io::Result<std::process::ExitStatus>) -> bool {
    match status {
        Ok(s) => s.success(),
        Err(e) => {
            eprintln!("error: could not start cargo: {e}");
            false
        }
    }
}
