//! What a lesson returns and prints: its metrics, its bars checked, the files it wrote,
//! and `summary.json`.
//!
//! `summary.json` has the form
//! `{"lesson": N, "metrics": {name: number}, "bars": {name: {"threshold", "value", "passed"}},
//! "wall_seconds": number}`, accuracies as fractions in [0, 1].

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::registry::{Bar, Goal, Lesson};

/// Why a lesson stopped before its summary.
#[derive(Debug)]
pub enum LessonError {
    /// The data could not be loaded.
    Data(String),
    /// A file could not be written.
    Output(String),
    /// The loss became NaN or infinite: training diverged.
    NonFiniteLoss {
        /// The epoch (from 1).
        epoch: usize,
        /// The step within the epoch (from 1).
        step: usize,
        /// The value seen.
        loss: f32,
    },
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::Data(m) => write!(f, "data: {m}"),
            LessonError::Output(m) => write!(f, "output: {m}"),
            LessonError::NonFiniteLoss { epoch, step, loss } => write!(
                f,
                "training stopped: the loss became {loss} at epoch {epoch}, step {step} \
                 (the learning rate may be too high, or the inputs not normalised)"
            ),
        }
    }
}

impl std::error::Error for LessonError {}

impl From<crate::plot::PlotError> for LessonError {
    fn from(e: crate::plot::PlotError) -> LessonError {
        LessonError::Output(e.to_string())
    }
}

/// Stops training with [`LessonError::NonFiniteLoss`] if `loss` is NaN or infinite.
pub fn check_finite(loss: f32, epoch: usize, step: usize) -> Result<(), LessonError> {
    if loss.is_finite() {
        Ok(())
    } else {
        Err(LessonError::NonFiniteLoss { epoch, step, loss })
    }
}

/// What a lesson's `run` produces: named metrics, per-epoch curves and the files it wrote.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// `(name, value)` in the order they should be printed.
    pub metrics: Vec<(String, f64)>,
    /// `(name, one value per epoch)`: the traces the lesson trained along, such as its
    /// training loss. The reproducibility tests compare them bit for bit.
    pub curves: Vec<(String, Vec<f64>)>,
    /// Every picture and model file written.
    pub files: Vec<PathBuf>,
}

impl Outcome {
    /// Records a metric.
    pub fn metric(&mut self, name: &str, value: f64) {
        self.metrics.push((name.to_string(), value));
    }

    /// Records a per-epoch curve from the `(epoch, value)` points of a chart series.
    pub fn curve(&mut self, name: &str, points: &[(f64, f64)]) {
        self.curves
            .push((name.to_string(), points.iter().map(|p| p.1).collect()));
    }

    /// The curve `name`, if recorded.
    pub fn get_curve(&self, name: &str) -> Option<&[f64]> {
        self.curves
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The value of metric `name`, if recorded.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }
}

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
    /// Where `summary.json` was written.
    pub json_path: PathBuf,
}

impl Summary {
    /// Checks `bars` against `outcome` and writes `summary.json` into `out_dir`.
    pub fn new(
        lesson: &Lesson,
        bars: &[Bar],
        outcome: Outcome,
        wall_seconds: f64,
        out_dir: &Path,
    ) -> Result<Summary, LessonError> {
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
        serde_json::json!({
            "lesson": self.lesson,
            "metrics": metrics,
            "bars": bars,
            "wall_seconds": self.wall_seconds,
        })
    }

    fn write_json(&self) -> Result<(), LessonError> {
        let text =
            serde_json::to_string_pretty(&self.to_json()).expect("JSON of numbers and strings");
        data::fsutil::write_atomic(&self.json_path, |w| w.write_all(text.as_bytes()))
            .map_err(|e| LessonError::Output(e.to_string()))
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
