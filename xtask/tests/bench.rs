//! `cargo xtask bench` as a user meets it without PyTorch: `--pytorch` with a Python that
//! does not exist prints how to install PyTorch and still measures ours, beside the
//! recorded figures, labelled as such.

use std::process::Command;

#[test]
fn a_missing_python_prints_the_install_hint_and_still_measures_ours() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "bench",
            "--pytorch",
            "--python",
            "/nonexistent",
            "--quick",
            "--rounds",
            "1",
        ])
        .arg("--out")
        .arg(&json)
        .arg("xor")
        .output()
        .expect("the xtask binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("cannot start /nonexistent"), "{stderr}");
    assert!(
        stderr.contains(".venv/bin/pip install -r bench/pytorch/requirements.txt"),
        "{stderr}"
    );
    assert!(
        stdout.contains("recorded constants, not measured in this run"),
        "{stdout}"
    );
    assert!(stdout.contains("xor_step_us"), "{stdout}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(written["pytorch"]["source"], "recorded");
    let xor = &written["figures"][0];
    assert_eq!(xor["name"], "xor_step_us");
    assert!(xor["median"].as_f64().unwrap() > 0.0);
    assert_eq!(xor["pytorch_source"], "recorded");
}
