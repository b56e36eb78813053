//! `cargo xtask bench [--quick] [SECTION...]`: the benchmark table.
//!
//! Each section (see [`sections::SECTIONS`]: `gemm`, `xor`, `lesson3`, `lesson6`, `lesson7`)
//! runs in a child process of its own (`xtask bench __section NAME`), which prints its
//! figures and its peak RSS; the parent gathers them, prints one table with PyTorch's figure
//! and the ratio beside ours, and writes `target/bench/bench.json`. Every figure is the
//! median of several timed runs after a warm-up; `--quick` times fewer runs.

use std::fmt;
use std::io::Write;
use std::process::{Command, ExitCode, ExitStatus, Stdio};

use crate::args;

mod measure;
mod sections;

use measure::{Figure, peak_rss_mib};

/// A figure of PyTorch 2 for the same work, measured once on the same 2-core machine (the
/// `PyTorch` column of docs/performance.md), and whether larger is better.
struct Reference {
    name: &'static str,
    pytorch: f64,
    higher_is_better: bool,
    /// The goal, as a minimum speed ratio (ours vs PyTorch, ≥ 1 = at least as fast).
    goal_ratio: f64,
}

/// `xor_step_us` has its own goal of ≤ 7 µs, which is a ratio of 350/7 = 50.
const REFERENCES: [Reference; 6] = [
    Reference {
        name: "gemm_1024_t1_gflops",
        pytorch: 94.0,
        higher_is_better: true,
        goal_ratio: 0.8,
    },
    Reference {
        name: "gemm_1024_t2_gflops",
        pytorch: 185.0,
        higher_is_better: true,
        goal_ratio: 0.8,
    },
    Reference {
        name: "xor_step_us",
        pytorch: 350.0,
        higher_is_better: false,
        goal_ratio: 50.0,
    },
    Reference {
        name: "lesson3_epoch_ms",
        pytorch: 74.0,
        higher_is_better: false,
        goal_ratio: 1.0,
    },
    Reference {
        name: "lesson6_train_images_per_s",
        pytorch: 4880.0,
        higher_is_better: true,
        goal_ratio: 1.0,
    },
    Reference {
        name: "lesson7_train_images_per_s",
        pytorch: 2080.0,
        higher_is_better: true,
        goal_ratio: 1.0,
    },
];

/// Our speed relative to PyTorch's (≥ 1: at least as fast), for figures PyTorch has.
fn ratio(f: &Figure) -> Option<(f64, &'static Reference)> {
    let r = REFERENCES.iter().find(|r| r.name == f.name)?;
    let speed = if r.higher_is_better {
        f.median / r.pytorch
    } else {
        r.pytorch / f.median
    };
    Some((speed, r))
}

/// Runs the bench; see the module docs.
pub fn run(raw: &[String]) -> ExitCode {
    let parsed = match args::parse(raw) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let [marker, name] = parsed.positional.as_slice()
        && marker == "__section"
    {
        for f in sections::run(name, parsed.quick) {
            println!("{}", f.to_line());
        }
        if let Some(mib) = peak_rss_mib() {
            let rss = Figure::from_runs(&format!("{name}_peak_rss_mib"), "MiB", vec![mib]);
            println!("{}", rss.to_line());
        }
        return ExitCode::SUCCESS;
    }
    let wanted: Vec<&str> = if parsed.positional.is_empty() {
        sections::SECTIONS.to_vec()
    } else {
        parsed.positional.iter().map(String::as_str).collect()
    };
    if let Some(bad) = wanted.iter().find(|s| !sections::SECTIONS.contains(s)) {
        eprintln!(
            "error: unknown bench section `{bad}` (known: {})",
            sections::SECTIONS.join(", ")
        );
        return ExitCode::FAILURE;
    }
    let mut figures = Vec::new();
    for section in wanted {
        eprintln!("bench: {section} ...");
        match run_child(section, parsed.quick) {
            Ok(fs) => figures.extend(fs),
            Err(e) => {
                eprintln!("error: bench section {section}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    print!("{}", table(&figures));
    let dir = args::workspace_root().join("target/bench");
    let path = dir.join("bench.json");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    if let Err(e) = atomic_file::write(&path, |f| f.write_all(json(&figures).as_bytes())) {
        eprintln!("error: cannot write {e}");
        return ExitCode::FAILURE;
    }
    println!("written to {}", path.display());
    ExitCode::SUCCESS
}

/// Why a section's child process gave no figures.
#[derive(Debug)]
enum ChildError {
    /// The path of the running `xtask` could not be found, to start it again.
    NoExe(std::io::Error),
    /// The child could not be started.
    Start(std::io::Error),
    /// The child failed (a panic, a missed assertion).
    Failed(ExitStatus),
}

impl fmt::Display for ChildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildError::NoExe(e) => write!(f, "cannot find xtask itself: {e}"),
            ChildError::Start(e) => write!(f, "cannot start: {e}"),
            ChildError::Failed(status) => write!(f, "exited with {status}"),
        }
    }
}

impl std::error::Error for ChildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChildError::NoExe(e) | ChildError::Start(e) => Some(e),
            ChildError::Failed(_) => None,
        }
    }
}

/// Runs one section in a child process and reads back its figures.
fn run_child(section: &str, quick: bool) -> Result<Vec<Figure>, ChildError> {
    let exe = std::env::current_exe().map_err(ChildError::NoExe)?;
    let mut cmd = Command::new(exe);
    cmd.args(["bench", "__section", section]);
    if quick {
        cmd.arg("--quick");
    }
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(ChildError::Start)?;
    if !out.status.success() {
        return Err(ChildError::Failed(out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text.lines().filter_map(Figure::from_line).collect())
}

/// The table: our median, min and max, PyTorch's figure, the speed ratio and the goal.
fn table(figures: &[Figure]) -> String {
    let mut s = format!(
        "{:<28} {:>9} {:>9} {:>9} {:<8} {:>8} {:>7}  {}\n",
        "figure", "median", "min", "max", "unit", "PyTorch", "ratio", "goal"
    );
    for f in figures {
        let (pytorch, speed, goal) = match ratio(f) {
            Some((speed, r)) => {
                let met = if speed >= r.goal_ratio {
                    "met"
                } else {
                    "MISSED"
                };
                let goal = format!("≥ {:.2}× ({met})", r.goal_ratio);
                (format!("{:.1}", r.pytorch), format!("{speed:.2}×"), goal)
            }
            None => ("—".to_string(), "—".to_string(), String::new()),
        };
        s += &format!(
            "{:<28} {:>9.2} {:>9.2} {:>9.2} {:<8} {:>8} {:>7}  {}\n",
            f.name, f.median, f.min, f.max, f.unit, pytorch, speed, goal
        );
    }
    s += "ratio: speed vs PyTorch on 2 cores (ours/theirs for rates, theirs/ours for times); \
          ≥ 1 is at least as fast\n";
    s
}

/// `{"figures": [{"name", "unit", "median", "min", "max", "pytorch", "ratio"}]}`, the last
/// two `null` where PyTorch has no figure.
fn json(figures: &[Figure]) -> String {
    let items: Vec<String> = figures
        .iter()
        .map(|f| {
            let (pytorch, speed) = match ratio(f) {
                Some((speed, r)) => (format!("{}", r.pytorch), format!("{speed:.4}")),
                None => ("null".to_string(), "null".to_string()),
            };
            format!(
                "    {{\"name\": \"{}\", \"unit\": \"{}\", \"median\": {}, \"min\": {}, \"max\": {}, \
                 \"pytorch\": {pytorch}, \"ratio\": {speed}}}",
                f.name, f.unit, f.median, f.min, f.max
            )
        })
        .collect();
    format!("{{\n  \"figures\": [\n{}\n  ]\n}}\n", items.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_speed_relative_to_pytorch() {
        // Rates: ours/theirs, 75.2/94 = 0.8. Times: theirs/ours, 74/37 = 2.
        let gemm = Figure::from_runs("gemm_1024_t1_gflops", "GFLOP/s", vec![75.2]);
        assert!((ratio(&gemm).unwrap().0 - 0.8).abs() < 1e-12);
        let l3 = Figure::from_runs("lesson3_epoch_ms", "ms", vec![37.0]);
        assert_eq!(ratio(&l3).unwrap().0, 2.0);
        assert!(
            ratio(&Figure::from_runs(
                "gemm_256_t1_gflops",
                "GFLOP/s",
                vec![1.0]
            ))
            .is_none()
        );
    }

    #[test]
    fn json_lists_every_figure_with_the_required_keys() {
        let figures = [
            Figure::from_runs("xor_step_us", "us", vec![5.0, 6.0, 7.0]),
            Figure::from_runs("gemm_256_t2_gflops", "GFLOP/s", vec![1.0]),
        ];
        let text = json(&figures);
        assert!(text.starts_with("{\n  \"figures\": ["));
        assert!(text.contains("\"name\": \"xor_step_us\", \"unit\": \"us\", \"median\": 6, \"min\": 5, \"max\": 7, \"pytorch\": 350, \"ratio\": 58.3333"));
        assert!(text.contains("\"pytorch\": null, \"ratio\": null"));
    }
}
