//! Building and running the workbook's runner (`exercises/runner`): one cargo feature per
//! exercise to check, built into the course's `target/`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Exercise, State, shown, started};

/// A `cargo` command as if typed in a shell: the cargo that runs `cargo xtask`, without the
/// variables it sets for the program it runs (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, …).
/// Some build scripts (ring's) rebuild when one of those changes, so a nested build that
/// passed them on would undo the course's cached build, and the next plain build this one.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        let set_by_cargo_run = key.starts_with("CARGO_PKG_")
            || [
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_CRATE_NAME",
                "CARGO_BIN_NAME",
                "CARGO_PRIMARY_PACKAGE",
            ]
            .contains(&key.as_ref());
        if set_by_cargo_run {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd
}

/// Builds the workbook's runner with the exercises `names` compiled in. Compiler messages
/// are shown unless `quiet`; returns whether the build succeeded. `--locked`: the build
/// reads `exercises/Cargo.lock` and never rewrites it, so checking an exercise changes no
/// tracked file (a stale lock file is an error, not an edit).
pub fn build(root: &Path, names: &[&str], quiet: bool) -> bool {
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--release",
        "--locked",
        "--quiet",
        "--bin",
        "workbook",
        "--manifest-path",
    ])
    .arg(root.join("exercises/Cargo.toml"))
    .arg("--target-dir")
    .arg(root.join("target"))
    .args(["--no-default-features", "--features", &names.join(",")]);
    if quiet {
        cmd.stderr(Stdio::null());
    }
    cmd.status().is_ok_and(|s| s.success())
}

/// Runs the check of `name` in the runner built last; its report is printed unless `quiet`.
pub fn run_check(root: &Path, name: &str, quiet: bool) -> State {
    let mut cmd = Command::new(root.join("target/release/workbook"));
    cmd.args(["check", name]);
    if quiet {
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
    }
    match cmd.status().map(|s| s.code()) {
        Ok(Some(0)) => State::Done,
        Ok(Some(2)) => State::NotStarted,
        _ => State::Failing,
    }
}

/// Checks one exercise, showing the compiler's errors and the check's report.
pub fn check(root: &Path, ex: &Exercise) -> State {
    println!(
        "checking exercise {} `{}` ({})…",
        ex.number,
        ex.name,
        shown(root, &ex.file)
    );
    if !build(root, &[&ex.name], false) {
        println!(
            "\n✗ {}: failing\n\n  {} does not compile yet: the errors are above.",
            ex.name,
            shown(root, &ex.file)
        );
        return State::Failing;
    }
    run_check(root, &ex.name, false)
}

/// The states of `exercises` without their reports: unwritten files are not started; the
/// written ones are built together (one by one if that fails, to find the one that does not
/// compile) and checked.
pub fn states(root: &Path, exercises: &[Exercise]) -> Vec<State> {
    let written: Vec<&str> = exercises
        .iter()
        .filter(|e| started(e))
        .map(|e| e.name.as_str())
        .collect();
    if !written.is_empty() {
        eprintln!(
            "checking the {} exercise(s) you have written…",
            written.len()
        );
    }
    let together = !written.is_empty() && build(root, &written, true);
    exercises
        .iter()
        .map(|ex| match started(ex) {
            false => State::NotStarted,
            true if together || build(root, &[&ex.name], true) => run_check(root, &ex.name, true),
            true => State::Failing,
        })
        .collect()
}

/// Writes the untouched skeleton of `ex` into its file, atomically: an interrupted reset
/// leaves the learner's file as it was, never half of it.
pub fn reset(root: &Path, ex: &Exercise) -> Result<(), String> {
    if !build(root, &[], false) {
        return Err("the workbook's runner does not build".to_string());
    }
    let out = Command::new(root.join("target/release/workbook"))
        .args(["skeleton", &ex.name])
        .output()
        .map_err(|e| format!("cannot run the workbook: {e}"))?;
    if !out.status.success() || out.stdout.is_empty() {
        return Err(format!(
            "the workbook gave no skeleton for `{}` ({}); {} is untouched",
            ex.name,
            out.status,
            ex.file.display()
        ));
    }
    atomic_file::write(&ex.file, |f| f.write_all(&out.stdout)).map_err(|e| e.to_string())
}
