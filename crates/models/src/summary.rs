//! A finished lesson: its bars checked against its [`Outcome`], printed, and written to
//! `summary.json`.
//!
//! `summary.json` has the form
//! `{"lesson": N, "seed": S, "recipe": {name: value}, "changed": {name: {"course", "run"}},
//! "metrics": {name: number}, "bars": {name: {"threshold", "value", "passed"}},
//! "wall_seconds": number}`, accuracies as fractions in [0, 1]. A run whose recipe differs
//! from the course's checks no bars: they were measured for the course's recipe.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::registry::{Bar, Goal, Lesson};
use crate::report::{LessonError, Outcome, OutputError};

/// One bar, checked.
#[derive(Clone, Debug)]
pub struct BarResult {
    /// The bar.
    pub bar: Bar,
    /// The measured value (NaN if the lesson did not report the metric).
    pub value: f64,
    /// Whether it passed.
    pub passed: bool,
}

/// A finished lesson: the outcome, its bars checked, and how long it took.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The lesson number.
    pub lesson: u32,
    /// What the lesson measured and wrote.
    pub outcome: Outcome,
    /// Every bar of the schedule, checked.
    pub bars: Vec<BarResult>,
    /// Wall-clock seconds of the whole lesson.
    pub wall_seconds: f64,
    /// The seed of the run.
    pub seed: u64,
    /// The run's recipe as JSON.
    pub recipe: serde_json::Value,
    /// The fields whose values differ from the course's recipe: `(name, course's, run's)`.
    /// When there are any, no bar is checked.
    pub changes: Vec<(&'static str, String, String)>,
    /// Where `summary.json` was written.
    pub json_path: PathBuf,
}

/// What a run was: its seed, its recipe, and how that differs from the course's.
#[derive(Clone, Debug)]
pub struct RunRecipe {
    /// The seed.
    pub seed: u64,
    /// The recipe as JSON.
    pub recipe: serde_json::Value,
    /// `(name, course's, run's)` for each field changed.
    pub changes: Vec<(&'static str, String, String)>,
}

impl Summary {
    /// Checks `bars` against `outcome` (none if the recipe was changed) and writes
    /// `summary.json` into `out_dir`.
    pub fn new(
        lesson: &Lesson,
        bars: &[Bar],
        run: RunRecipe,
        outcome: Outcome,
        wall_seconds: f64,
        out_dir: &Path,
    ) -> Result<Summary, LessonError> {
        let bars = if run.changes.is_empty() { bars } else { &[] };
        let bars = bars
            .iter()
            .map(|&bar| {
                let value = outcome.get(bar.metric).unwrap_or(f64::NAN);
                BarResult {
                    bar,
                    value,
                    passed: bar.passes(value),
                }
            })
            .collect();
        let summary = Summary {
            lesson: lesson.number,
            outcome,
            bars,
            wall_seconds,
            seed: run.seed,
            recipe: run.recipe,
            changes: run.changes,
            json_path: out_dir.join("summary.json"),
        };
        summary.write_json()?;
        Ok(summary)
    }

    /// True when every bar passed.
    pub fn passed(&self) -> bool {
        self.bars.iter().all(|b| b.passed)
    }

    /// The summary as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let metrics: serde_json::Map<String, serde_json::Value> = self
            .outcome
            .metrics
            .iter()
            .map(|(n, v)| (n.clone(), serde_json::json!(v)))
            .collect();
        let bars: serde_json::Map<String, serde_json::Value> = self
            .bars
            .iter()
            .map(|b| {
                let value = serde_json::json!({"threshold": b.bar.threshold, "value": b.value, "passed": b.passed});
                (b.bar.metric.to_string(), value)
            })
            .collect();
        let changed: serde_json::Map<String, serde_json::Value> = self
            .changes
            .iter()
            .map(|(n, course, run)| {
                (
                    n.to_string(),
                    serde_json::json!({"course": course, "run": run}),
                )
            })
            .collect();
        serde_json::json!({
            "lesson": self.lesson,
            "seed": self.seed,
            "recipe": self.recipe,
            "changed": changed,
            "metrics": metrics,
            "bars": bars,
            "wall_seconds": self.wall_seconds,
        })
    }

    fn write_json(&self) -> Result<(), LessonError> {
        let text =
            serde_json::to_string_pretty(&self.to_json()).expect("JSON of numbers and strings");
        atomic_file::write(&self.json_path, |w| w.write_all(text.as_bytes()))
            .map_err(OutputError::File)?;
        Ok(())
    }
}

/// A number with four decimals, or in scientific notation when it is tiny.
fn number(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-3 {
        format!("{v:.2e}")
    } else {
        format!("{v:.4}")
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "── lesson {} summary ({:.1} s) ──",
            self.lesson, self.wall_seconds
        )?;
        for (name, value) in &self.outcome.metrics {
            writeln!(f, "  {name:<36} {}", number(*value))?;
        }
        if !self.changes.is_empty() {
            writeln!(
                f,
                "  recipe changed from the course's (so no bars are checked):"
            )?;
            for (name, course, run) in &self.changes {
                writeln!(f, "    {name:<34} {course} → {run}")?;
            }
        }
        for b in &self.bars {
            let sign = match b.bar.goal {
                Goal::AtLeast => "≥",
                Goal::AtMost => "≤",
            };
            let mark = if b.passed { "✓ pass" } else { "✗ FAIL" };
            writeln!(
                f,
                "  bar {:<32} {} {sign} {}  {mark}",
                b.bar.metric,
                number(b.value),
                number(b.bar.threshold)
            )?;
        }
        writeln!(f, "  files:")?;
        for file in &self.outcome.files {
            writeln!(f, "    {}", file.display())?;
        }
        write!(f, "    {}", self.json_path.display())
    }
}
