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

/// `cargo test --release --locked --workspace` of the workbook's workspace, built into
/// `root/target`, with `exercises/Cargo.lock` as it is (a stale one fails, as it would for
/// a learner's first `cargo xtask exercise`).
fn workbook_tests(root: &Path) -> std::io::Result<std::process::ExitStatus> {
    cargo()
        .args([
            "test",
            "--release",
            "--locked",
            "--workspace",
            "--manifest-path",
        ])
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// Whether the lock file of the workspace of `manifest` is current: cargo resolves the
    /// workspace's dependencies (`cargo tree --locked --offline`, which writes nothing)
    /// and finds exactly what the lock file says. Otherwise cargo's complaint.
    fn lock_is_current(manifest: &Path) -> Result<(), String> {
        let out = cargo()
            .args([
                "tree",
                "--locked",
                "--offline",
                "--workspace",
                "--depth",
                "0",
            ])
            .arg("--manifest-path")
            .arg(manifest)
            .output()
            .map_err(|e| format!("cannot start cargo: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    /// Both lock files match their manifests: the course's, and the workbook's, which the
    /// workbook's builds read with `--locked` (a stale one would stop a learner's first
    /// `cargo xtask exercise`, or, without `--locked`, rewrite a tracked file).
    #[test]
    fn both_lock_files_are_current() {
        let root = workspace_root();
        for manifest in ["Cargo.toml", "exercises/Cargo.toml"] {
            if let Err(e) = lock_is_current(&root.join(manifest)) {
                panic!(
                    "the lock file beside {manifest} is not current (any cargo command \
                     without --locked rewrites it, e.g. `cargo tree --manifest-path {manifest}`; \
                     commit the result):\n{e}"
                );
            }
        }
    }

    /// The features of each crates.io package that a build of `manifest`'s workspace
    /// compiles, as `cargo tree` resolves them for `selection` (`--workspace` or `-p NAME`)
    /// and the dependency `edges` (`normal,build` for a build, `normal,build,dev` for the
    /// tests): each `name vX.Y.Z` with its feature lists (two where the procedural macros'
    /// copy differs from the one linked into programs).
    fn feature_lists(
        manifest: &str,
        selection: &[&str],
        edges: &str,
    ) -> BTreeMap<String, BTreeSet<String>> {
        let out = cargo()
            .args([
                "tree",
                "--locked",
                "--offline",
                "--prefix",
                "none",
                "-e",
                edges,
            ])
            .args(["--format", "{p}|{f}", "--manifest-path"])
            .arg(workspace_root().join(manifest))
            .args(selection)
            .output()
            .expect("cargo runs");
        assert!(
            out.status.success(),
            "cargo tree of {manifest}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut lists: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let line = line.trim_end_matches(" (*)");
            let Some((package, features)) = line.split_once('|') else {
                continue;
            };
            // The workspaces' own crates, named with their folder, are compiled once per
            // workspace in any case.
            let package = package.trim_end_matches(" (proc-macro)");
            if !package.contains(" (") {
                lists
                    .entry(package.to_string())
                    .or_default()
                    .insert(features.to_string());
            }
        }
        lists
    }

    /// Every package that `build` compiles with features other than those the tests'
    /// build (`tests`) compiles it with, each as a line naming both.
    fn features_not_shared(
        tests: &BTreeMap<String, BTreeSet<String>>,
        build: &BTreeMap<String, BTreeSet<String>>,
    ) -> Vec<String> {
        build
            .iter()
            .filter_map(|(package, lists)| {
                let shared = tests.get(package)?;
                let other: Vec<&String> = lists.difference(shared).collect();
                (!other.is_empty())
                    .then(|| format!("{package}: {other:?} here, {shared:?} in the tests"))
            })
            .collect()
    }

    /// One compiled copy of each dependency: `cargo xtask …`, `cargo doc`, the workbook's
    /// tests and `cargo xtask exercise` compile every crates.io package they share with the
    /// workspace's tests (`cargo test --workspace`) with the same features, so that each
    /// build reuses the others' artifacts in `target/` instead of compiling that package,
    /// and every crate above it, again. A new dev-dependency that turns on more features of
    /// a shared package fails here: ask for the same features in the feature pins of
    /// Cargo.toml (and of exercises/Cargo.toml for the workbook).
    #[test]
    fn one_feature_set_for_every_build() {
        let tests = feature_lists("Cargo.toml", &["--workspace"], "normal,build,dev");
        let builds: [(&str, &str, &[&str], &str); 4] = [
            (
                "cargo xtask",
                "Cargo.toml",
                &["-p", "xtask"],
                "normal,build",
            ),
            ("cargo doc", "Cargo.toml", &["--workspace"], "normal,build"),
            (
                "the workbook's tests",
                "exercises/Cargo.toml",
                &["--workspace"],
                "normal,build,dev",
            ),
            (
                "cargo xtask exercise",
                "exercises/Cargo.toml",
                &["-p", "workbook"],
                "normal,build",
            ),
        ];
        for (name, manifest, selection, edges) in builds {
            let build = feature_lists(manifest, selection, edges);
            assert!(
                build.len() > 50,
                "{name}: only {} packages listed",
                build.len()
            );
            let other = features_not_shared(&tests, &build);
            assert!(
                other.is_empty(),
                "{name} compiles these packages with other features than the tests do, so \
                 with a second copy of them and of every crate above them; add their features \
                 to the feature pins of {manifest}:\n{}",
                other.join("\n")
            );
        }
    }

    #[test]
    fn a_package_with_other_features_is_named() {
        let lists = |entries: &[(&str, &str)]| {
            let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (package, features) in entries {
                map.entry(package.to_string())
                    .or_default()
                    .insert(features.to_string());
            }
            map
        };
        let tests = lists(&[
            ("http v1.5.0", "default,std"),
            ("syn v3.0.9", "derive"),
            ("syn v3.0.9", "full"),
        ]);
        // Only in one build, or with one of the tests' feature lists: shared.
        let build = lists(&[
            ("http v1.5.0", "default,std"),
            ("syn v3.0.9", "full"),
            ("ring v0.17.14", ""),
        ]);
        assert!(features_not_shared(&tests, &build).is_empty());
        let build = lists(&[("http v1.5.0", "std")]);
        let other = features_not_shared(&tests, &build);
        assert_eq!(other.len(), 1);
        assert!(other[0].starts_with("http v1.5.0: "), "{other:?}");
    }

    #[test]
    fn the_lock_check_catches_a_stale_lock_file() {
        // A workspace of two packages, `a` depending on `b`, with no registry involved.
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let package = |name: &str, deps: &str| {
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n{deps}")
        };
        write(
            "Cargo.toml",
            &package("a", "[dependencies]\nb = { path = \"b\" }\n"),
        );
        write("src/lib.rs", "");
        write("b/Cargo.toml", &package("b", ""));
        write("b/src/lib.rs", "");
        let manifest = dir.path().join("Cargo.toml");
        let lock = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"0.1.0\"\n\
                    dependencies = [\n \"b\",\n]\n\n[[package]]\nname = \"b\"\nversion = \"0.1.0\"\n";
        write("Cargo.lock", lock);
        assert_eq!(lock_is_current(&manifest), Ok(()));
        // The lock file of issue 24: a dependency missing from a package's list.
        write("Cargo.lock", &lock.replace(" \"b\",\n", ""));
        let complaint = lock_is_current(&manifest).expect_err("a stale lock file");
        assert!(complaint.contains("--locked"), "{complaint}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("Cargo.lock")).unwrap(),
            lock.replace(" \"b\",\n", ""),
            "the check rewrote the lock file"
        );
    }
}
