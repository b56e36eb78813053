//! The lesson command line as a learner uses it, on lesson 4 (iris is embedded and trains
//! in well under a second): recipe flags, `--help`, bad values refused with exit code 2 and
//! nothing written, `--out`, `--seeds` and `compare`; and every command refusing a flag it
//! does not take, or any other wrong command line, with exit code 2 before doing anything.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `cargo xtask ARGS…` (the built binary) and returns what it printed.
fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

/// Standard output and error as text.
fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_recipe_values_are_refused_naming_the_flag_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["--lr", "0"], "--lr: expected a number > 0, got \"0\""),
        (
            &["--lr", "fast"],
            "--lr: expected a number > 0, got \"fast\"",
        ),
        (
            &["--batch-size", "0"],
            "--batch-size: expected a whole number ≥ 1",
        ),
        (
            &["--dropout", "1.5"],
            "--dropout: expected a number in [0, 1)",
        ),
        (
            &["--activation", "swish"],
            "one of sigmoid, tanh, relu, leaky_relu",
        ),
        (
            &["--momentum", "0.9"],
            "--momentum: unknown flag; this lesson's recipe has",
        ),
    ];
    for (i, (flags, message)) in cases.iter().enumerate() {
        let out_dir = dir.path().join(format!("run-{i}"));
        let mut args = vec!["lesson", "4", "--out", out_dir.to_str().unwrap()];
        args.extend_from_slice(flags);
        let out = xtask(&args);
        let (_, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{flags:?}: {err}");
        assert!(err.contains(message), "{flags:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(!out_dir.exists(), "{flags:?} wrote {}", out_dir.display());
    }
}

#[test]
fn help_lists_the_recipe_with_its_defaults() {
    let out = xtask(&["lesson", "4", "--help"]);
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    for line in [
        "--lr                 0.001",
        "--val-fraction       0.2",
        "--seeds K",
    ] {
        assert!(stdout.contains(line), "no {line:?} in:\n{stdout}");
    }
}

/// Runs lesson 4 into `dir` with `flags` and returns its summary.json.
fn run_into(dir: &Path, flags: &[&str]) -> serde_json::Value {
    let mut args = vec!["lesson", "4", "--out", dir.to_str().unwrap()];
    args.extend_from_slice(flags);
    let out = xtask(&args);
    assert!(out.status.success(), "{:?}", text(&out));
    let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    serde_json::from_str(&summary).unwrap()
}

#[test]
fn a_changed_recipe_is_recorded_and_checks_no_bars_and_two_runs_compare() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let course = run_into(&a, &[]);
    assert!(course["changed"].as_object().unwrap().is_empty());
    assert!(!course["bars"].as_object().unwrap().is_empty());
    let changed = run_into(&b, &["--lr", "0.003", "--epochs", "4"]);
    assert_eq!(changed["changed"]["lr"]["run"], "0.003");
    assert_eq!(changed["recipe"]["epochs"], 4);
    assert!(changed["bars"].as_object().unwrap().is_empty());
    let history = std::fs::read_to_string(b.join("history.json")).unwrap();
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    assert_eq!(history["epochs"].as_array().unwrap().len(), 4);
    assert!(history["epochs"][3]["val_loss"].is_number());

    let png = dir.path().join("compare.png");
    let a_history = a.join("history.json");
    let b_history = b.join("history.json");
    let out = xtask(&[
        "compare",
        a_history.to_str().unwrap(),
        b_history.to_str().unwrap(),
        "--metric",
        "val_loss",
        "--out",
        png.to_str().unwrap(),
    ]);
    let (stdout, err) = text(&out);
    assert!(out.status.success(), "{err}");
    // The legend names what differs between the two recipes, and only that.
    assert!(stdout.contains("epochs=10, lr=0.001"), "{stdout}");
    assert!(stdout.contains("epochs=4, lr=0.003"), "{stdout}");
    assert!(
        image::open(&png).is_ok(),
        "{} is not an image",
        png.display()
    );
    let missing = xtask(&[
        "compare",
        a_history.to_str().unwrap(),
        "nowhere/history.json",
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn seeds_prints_the_spread_of_every_metric() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("spread");
    let out = xtask(&[
        "lesson",
        "4",
        "--seeds",
        "3",
        "--seed",
        "1",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let (stdout, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert!(stdout.contains("lesson 4 over 3 seeds (1..=3)"), "{stdout}");
    assert!(stdout.contains("min     median        max"), "{stdout}");
    let spread = std::fs::read_to_string(out_dir.join("seeds.json")).unwrap();
    let spread: serde_json::Value = serde_json::from_str(&spread).unwrap();
    let acc = &spread["metrics"]["test_accuracy"];
    assert_eq!(acc["values"].as_array().unwrap().len(), 3);
    assert!(acc["min"].as_f64() <= acc["median"].as_f64());
    assert!(acc["median"].as_f64() <= acc["max"].as_f64());
    for seed in 1..=3 {
        assert!(out_dir.join(format!("seed-{seed}/history.json")).is_file());
    }
}

#[test]
fn every_command_refuses_a_wrong_command_line_with_exit_code_2() {
    // (arguments, what the one error must name). None of these may start any work: each is
    // refused while the command line is read.
    let cases: &[(&[&str], &str)] = &[
        // Issue 24: flags of other commands, once ignored or answered with exit code 1.
        (
            &["data", "--epochs", "3"],
            "--epochs: `cargo xtask data` takes no such flag",
        ),
        (
            &["bench", "--seed", "1"],
            "--seed: `cargo xtask bench` takes no such flag",
        ),
        (
            &["bench", "--data-dir", "/d"],
            "--data-dir: `cargo xtask bench`",
        ),
        (
            &["exercise", "--epochs", "3"],
            "--epochs: `cargo xtask exercise`",
        ),
        (&["predict", "--seed", "1", "a.png"], "--seed"),
        (&["studio", "--seed", "1"], "--seed"),
        (&["compare", "a.json", "b.json", "--seed", "1"], "--seed"),
        (&["lesson", "4", "--python", "/py"], "--python"),
        (&["help", "--seed"], "`--seed`"),
        // Missing values, bad numbers, unknown names.
        (&["data", "--data-dir"], "--data-dir needs a value"),
        (&["data", "mnist"], "`mnist`"),
        (&["bench", "--rounds"], "--rounds needs a value"),
        (&["bench", "--rounds", "two"], "--rounds two"),
        (&["bench", "--rounds", "0"], "--rounds must be at least 1"),
        (&["bench", "lesson99"], "`lesson99`"),
        (&["bench", "--python", "/py"], "--python"),
        (&["exercise", "no_such_exercise"], "`no_such_exercise`"),
        (&["studio", "--port", "http"], "--port"),
        (&["lesson", "4", "--seed", "x"], "--seed"),
        (&["lesson", "99"], "lesson 99"),
        (&["frobnicate"], "unknown command `frobnicate`"),
        (&[], "name a command"),
    ];
    for (args, names) in cases {
        let out = xtask(args);
        let (stdout, err) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}{err}");
        assert!(err.contains(names), "{args:?}: no {names:?} in: {err}");
        assert!(stdout.is_empty(), "{args:?} printed: {stdout}");
    }
}
