//! The PyTorch side of `cargo xtask bench --pytorch`: which Python runs it, whether that
//! Python has PyTorch, and the command that runs one section's script in `bench/pytorch/`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to make PyTorch available to the bench, printed when it is not.
pub const INSTALL_HINT: &str = "\
to measure PyTorch in the same run, install it in the workspace's .venv (from the workspace root):
    python3 -m venv .venv && .venv/bin/pip install -r bench/pytorch/requirements.txt
then run `cargo xtask bench --pytorch` (or pass another interpreter with `--python PATH`)";

/// A Python interpreter that has imported `torch`.
#[derive(Clone, Debug)]
pub struct Python {
    /// The interpreter.
    pub path: PathBuf,
}

/// Why PyTorch cannot run beside ours.
#[derive(Debug)]
pub enum PythonError {
    /// The interpreter could not be started (it does not exist, or is not executable).
    Start {
        /// The interpreter.
        python: PathBuf,
        /// Why it did not start.
        source: std::io::Error,
    },
    /// The interpreter ran but `import torch` failed.
    NoTorch {
        /// The interpreter.
        python: PathBuf,
        /// The last line it printed to standard error.
        error: String,
    },
}

impl fmt::Display for PythonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PythonError::Start { python, source } => {
                write!(f, "cannot start {}: {source}", python.display())
            }
            PythonError::NoTorch { python, error } => {
                write!(f, "{} cannot import torch: {error}", python.display())
            }
        }
    }
}

impl std::error::Error for PythonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PythonError::Start { source, .. } => Some(source),
            PythonError::NoTorch { .. } => None,
        }
    }
}

/// The interpreter to use: `flag` (`--python PATH`) if given, else `root/.venv/bin/python`
/// if it exists, else `python3` from the `PATH`.
pub fn choose(flag: Option<&Path>, root: &Path) -> PathBuf {
    if let Some(path) = flag {
        return path.to_path_buf();
    }
    let venv = root.join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

/// `python`, once `python -c "import torch"` has succeeded with it.
pub fn check(python: PathBuf) -> Result<Python, PythonError> {
    let out = Command::new(&python).args(["-c", "import torch"]).output();
    match out {
        Err(source) => Err(PythonError::Start { python, source }),
        Ok(out) if !out.status.success() => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let error = stderr.trim().lines().last().unwrap_or("").to_string();
            Err(PythonError::NoTorch { python, error })
        }
        Ok(_) => Ok(Python { path: python }),
    }
}

impl Python {
    /// The command that runs `bench/pytorch/SECTION.py [--quick]` under `root`.
    pub fn command(&self, root: &Path, section: &str, quick: bool) -> Command {
        let mut cmd = Command::new(&self.path);
        cmd.arg(script(root, section));
        if quick {
            cmd.arg("--quick");
        }
        cmd
    }
}

/// The script of `section`: `bench/pytorch/SECTION.py`.
fn script(root: &Path, section: &str) -> PathBuf {
    root.join("bench/pytorch").join(format!("{section}.py"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::workspace_root;
    use crate::bench::sections::{self, SECTIONS};
    use models::Schedule;
    use models::lessons::{deep_cnn, first_cnn, mnist_1v7, resnet, vit, xor};
    use models::recipe::LessonRecipe;
    use optim::RmsPropConfig;

    #[test]
    fn a_missing_python_is_an_error_naming_it() {
        let err = check(PathBuf::from("/nonexistent")).unwrap_err();
        assert!(matches!(err, PythonError::Start { .. }));
        assert!(err.to_string().starts_with("cannot start /nonexistent: "));
        assert!(INSTALL_HINT.contains("pip install -r bench/pytorch/requirements.txt"));
        assert!(INSTALL_HINT.contains("cargo xtask bench --pytorch"));
    }

    #[test]
    fn the_flag_comes_first_then_the_workspace_venv_then_python3() {
        let dir = tempfile::tempdir().unwrap();
        let flag = Path::new("/opt/py/bin/python");
        assert_eq!(choose(Some(flag), dir.path()), flag);
        assert_eq!(choose(None, dir.path()), PathBuf::from("python3"));
        std::fs::create_dir_all(dir.path().join(".venv/bin")).unwrap();
        std::fs::write(dir.path().join(".venv/bin/python"), "").unwrap();
        assert_eq!(
            choose(None, dir.path()),
            dir.path().join(".venv/bin/python")
        );
    }

    /// The lines each section's script must hold to do our section's work: its plan, the
    /// steps per run and the recipe's numbers, all taken from the Rust side.
    fn stated(section: &str) -> Vec<String> {
        let (normal, quick) = (
            sections::plan(section, false),
            sections::plan(section, true),
        );
        let mut lines = vec![format!(
            "PLAN = measure.Plan(warmup={}, runs={}, quick_runs={})",
            normal.warmup, normal.runs, quick.runs
        )];
        let mut more = match section {
            "gemm" => vec![format!(
                "FLOPS_PER_RUN = {:e}",
                sections::GEMM_FLOPS_PER_RUN
            )],
            "xor" => {
                let r = xor::Recipe::course(Schedule::Full);
                vec![
                    format!("STEPS = {}", sections::XOR_STEPS),
                    format!("POINTS = {}", r.points),
                    format!("HIDDEN = {}", r.hidden[1]),
                    format!("LR = {}", r.lr),
                ]
            }
            "lesson3" => {
                let r = mnist_1v7::Recipe::course(Schedule::Full);
                vec![format!("HIDDEN = {}", r.hidden), format!("LR = {}", r.lr)]
            }
            "lesson6" => {
                let r = first_cnn::Recipe::course(Schedule::Full);
                vec![
                    format!("STEPS = {}", sections::LESSON6_STEPS),
                    format!("BATCH = {}", r.batch_size),
                    format!("LR = {}", r.lr),
                    format!("MOMENTUM = {}", r.momentum),
                ]
            }
            "lesson8" => {
                let r = resnet::Recipe::course(Schedule::Full);
                let widths: Vec<String> = r.widths.iter().map(|w| w.to_string()).collect();
                vec![
                    format!("STEPS = {}", sections::LESSON8_STEPS),
                    format!("BATCH = {}", r.batch_size),
                    format!("WIDTHS = ({},)", widths.join(", ")),
                    format!("BLOCKS = {}", r.blocks),
                    format!("LR = {}", r.lr),
                    format!("MOMENTUM = {}", r.momentum),
                    format!("WEIGHT_DECAY = {}", r.weight_decay),
                ]
            }
            "lesson9" => {
                let r = vit::Recipe::course(Schedule::Full);
                vec![
                    format!("STEPS = {}", sections::LESSON9_STEPS),
                    format!("BATCH = {}", r.batch_size),
                    format!("PATCH = {}", r.patch),
                    format!("WIDTH = {}", r.width),
                    format!("DEPTH = {}", r.depth),
                    format!("HEADS = {}", r.heads),
                    format!("MLP = {}", r.mlp),
                    format!("LR = {}", r.lr),
                    format!("WEIGHT_DECAY = {}", r.weight_decay),
                ]
            }
            _ => {
                let r = deep_cnn::Recipe::course(Schedule::Full);
                let keras = RmsPropConfig::keras();
                vec![
                    format!("STEPS = {}", sections::LESSON7_STEPS),
                    format!("BATCH = {}", r.batch_size),
                    format!("LR = {}", r.lr),
                    format!("RHO = {}", keras.alpha),
                    format!("EPS = {:e}", keras.eps),
                    format!("DROPOUT = {}", r.dropout),
                ]
            }
        };
        lines.append(&mut more);
        lines
    }

    #[test]
    fn every_script_states_its_sections_plan_steps_and_recipe() {
        let root = workspace_root();
        let measure = std::fs::read_to_string(root.join("bench/pytorch/measure.py")).unwrap();
        let threads = format!("THREADS = {}", crate::bench::child::THREADS);
        assert!(
            measure.lines().any(|l| l == threads),
            "bench/pytorch/measure.py should hold `{threads}`, the threads our side runs on"
        );
        for section in SECTIONS {
            let path = script(&root, section);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            for line in stated(section) {
                assert!(
                    text.lines().any(|l| l == line),
                    "{} should hold the line `{line}`, as our {section} section does that work",
                    path.display()
                );
            }
        }
    }
}
