//! The numbers of a run, epoch by epoch, kept: `history.json` beside `summary.json`.
//!
//! ```text
//! {"lesson": 3, "seed": 2, "recipe": {"lr": 0.001, "epochs": 500, …},
//!  "epochs": [{"epoch": 1, "train_loss": 0.66, "train_accuracy": 0.59, …, "seconds": 0.08}, …]}
//! ```
//!
//! Each lesson records the keys it measures (`train_loss`, `train_accuracy`, `val_loss`,
//! `val_accuracy`, `test_loss`, `test_accuracy`, …); its curves are drawn from the history,
//! and `cargo xtask compare` overlays the histories of several runs.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The numbers of one epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochRecord {
    /// The epoch, from 1.
    pub epoch: usize,
    /// `(name, value)` in the order they were measured, `train_loss` first.
    pub metrics: Vec<(String, f64)>,
    /// Wall-clock seconds of the epoch.
    pub seconds: f64,
}

impl EpochRecord {
    /// The value of `name` in this epoch, if measured.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.metrics.iter().find(|(n, _)| n == name).map(|p| p.1)
    }
}

/// Every epoch of a run, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// One record per epoch.
    pub epochs: Vec<EpochRecord>,
}

/// A history file could not be read.
#[derive(Debug)]
pub enum HistoryError {
    /// The operating system could not read it.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// It is not JSON.
    Json {
        /// The file.
        path: PathBuf,
        /// The JSON parser's error.
        source: serde_json::Error,
    },
    /// It is JSON but not a history: what is missing or wrong.
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, e.g. ``no whole number `seed` ``.
        problem: String,
    },
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            HistoryError::Json { path, source } => {
                write!(f, "{}: not JSON: {source}", path.display())
            }
            HistoryError::Format { path, problem } => write!(f, "{}: {problem}", path.display()),
        }
    }
}

impl std::error::Error for HistoryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HistoryError::Io { source, .. } => Some(source),
            HistoryError::Json { source, .. } => Some(source),
            HistoryError::Format { .. } => None,
        }
    }
}

impl History {
    /// The values of `name`, one per epoch that measured it.
    pub fn values(&self, name: &str) -> Vec<f64> {
        self.epochs.iter().filter_map(|r| r.get(name)).collect()
    }

    /// `(epoch, value)` points of `name`, for a chart.
    pub fn curve(&self, name: &str) -> Vec<(f64, f64)> {
        let point = |r: &EpochRecord| r.get(name).map(|v| (r.epoch as f64, v));
        self.epochs.iter().filter_map(point).collect()
    }

    /// The last value of `name`, if any epoch measured it.
    pub fn last(&self, name: &str) -> Option<f64> {
        self.epochs.iter().rev().find_map(|r| r.get(name))
    }

    /// The metric names, in the order the first epoch recorded them (then any new ones).
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (n, _) in self.epochs.iter().flat_map(|r| &r.metrics) {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        names
    }

    /// This history's epochs followed by `later`'s, numbered on from the last epoch here:
    /// a run trained in stages (lesson 7's plain, then augmented epochs) as one history.
    pub fn then(mut self, later: History) -> History {
        let offset = self.epochs.last().map_or(0, |r| r.epoch);
        self.epochs.extend(later.epochs.into_iter().map(|mut r| {
            r.epoch += offset;
            r
        }));
        self
    }

    /// Each metric renamed `NAME{suffix}`: one of several networks trained side by side
    /// (lesson 1's `H = 1, 2, 3`), before [`History::merge`].
    pub fn suffixed(mut self, suffix: &str) -> History {
        for r in &mut self.epochs {
            for (n, _) in &mut r.metrics {
                n.push_str(suffix);
            }
        }
        self
    }

    /// The metrics of `other` added to the records of the same epochs (and its other epochs
    /// appended); the seconds of an epoch add up.
    pub fn merge(mut self, other: History) -> History {
        for r in other.epochs {
            match self.epochs.iter_mut().find(|m| m.epoch == r.epoch) {
                Some(m) => {
                    m.metrics.extend(r.metrics);
                    m.seconds += r.seconds;
                }
                None => self.epochs.push(r),
            }
        }
        self
    }

    /// `history.json`'s content for lesson `lesson` run with `seed` and `recipe`.
    pub fn to_json(&self, lesson: u32, seed: u64, recipe: serde_json::Value) -> serde_json::Value {
        let epochs: Vec<serde_json::Value> = self
            .epochs
            .iter()
            .map(|r| {
                let mut fields = serde_json::Map::new();
                fields.insert("epoch".into(), serde_json::json!(r.epoch));
                for (n, v) in &r.metrics {
                    fields.insert(n.clone(), serde_json::json!(v));
                }
                fields.insert("seconds".into(), serde_json::json!(r.seconds));
                serde_json::Value::Object(fields)
            })
            .collect();
        serde_json::json!({"lesson": lesson, "seed": seed, "recipe": recipe, "epochs": epochs})
    }

    /// Writes [`History::to_json`] to `path`, atomically ([`atomic_file::write`]).
    pub fn write(
        &self,
        path: &Path,
        lesson: u32,
        seed: u64,
        recipe: serde_json::Value,
    ) -> Result<(), atomic_file::WriteError> {
        let text = serde_json::to_string_pretty(&self.to_json(lesson, seed, recipe))
            .expect("JSON of numbers and strings");
        atomic_file::write(path, |w| w.write_all(text.as_bytes()))
    }
}

/// A `history.json` read back: the run's lesson, seed and recipe, and its epochs.
#[derive(Clone, Debug)]
pub struct SavedRun {
    /// Where it was read from.
    pub path: PathBuf,
    /// The lesson number.
    pub lesson: u64,
    /// The seed.
    pub seed: u64,
    /// The recipe as written: `(name, value as JSON text)`.
    pub recipe: Vec<(String, String)>,
    /// The epochs.
    pub history: History,
}

impl SavedRun {
    /// Reads and checks a `history.json`.
    pub fn read(path: &Path) -> Result<SavedRun, HistoryError> {
        let fail = |problem: String| HistoryError::Format {
            path: path.to_path_buf(),
            problem,
        };
        let text = std::fs::read_to_string(path).map_err(|source| HistoryError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|source| HistoryError::Json {
                path: path.to_path_buf(),
                source,
            })?;
        let number = |key: &str| {
            json[key]
                .as_u64()
                .ok_or_else(|| fail(format!("no whole number `{key}`")))
        };
        let (lesson, seed) = (number("lesson")?, number("seed")?);
        let recipe = json["recipe"]
            .as_object()
            .ok_or_else(|| fail("no object `recipe`".into()))?
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        let rows = json["epochs"]
            .as_array()
            .ok_or_else(|| fail("no list `epochs`".into()))?;
        let mut history = History::default();
        for (i, row) in rows.iter().enumerate() {
            let object = row
                .as_object()
                .ok_or_else(|| fail(format!("epochs[{i}] is not an object")))?;
            let epoch = object
                .get("epoch")
                .and_then(|v| v.as_u64())
                .ok_or_else(|| fail(format!("epochs[{i}] has no `epoch`")))?;
            let metrics = object
                .iter()
                .filter(|(k, _)| *k != "epoch" && *k != "seconds")
                .filter_map(|(k, v)| v.as_f64().map(|v| (k.clone(), v)))
                .collect();
            let seconds = object
                .get("seconds")
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            history.epochs.push(EpochRecord {
                epoch: epoch as usize,
                metrics,
                seconds,
            });
        }
        Ok(SavedRun {
            path: path.to_path_buf(),
            lesson,
            seed,
            recipe,
            history,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epoch: usize, metrics: &[(&str, f64)]) -> EpochRecord {
        EpochRecord {
            epoch,
            metrics: metrics.iter().map(|&(n, v)| (n.to_string(), v)).collect(),
            seconds: 0.5,
        }
    }

    #[test]
    fn curves_stages_and_side_by_side_runs() {
        let a = History {
            epochs: vec![
                record(1, &[("train_loss", 0.9)]),
                record(2, &[("train_loss", 0.5)]),
            ],
        };
        assert_eq!(a.curve("train_loss"), [(1.0, 0.9), (2.0, 0.5)]);
        assert_eq!(a.last("train_loss"), Some(0.5));
        let staged = a.clone().then(a.clone());
        assert_eq!(staged.values("train_loss"), [0.9, 0.5, 0.9, 0.5]);
        assert_eq!(staged.epochs[3].epoch, 4);
        let both = a.clone().suffixed("_h1").merge(a.suffixed("_h2"));
        assert_eq!(both.names(), ["train_loss_h1", "train_loss_h2"]);
        assert_eq!(both.epochs[1].seconds, 1.0);
    }

    #[test]
    fn history_json_round_trips() {
        let h = History {
            epochs: vec![record(1, &[("train_loss", 0.25), ("val_accuracy", 0.75)])],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.json");
        h.write(&path, 4, 42, serde_json::json!({"lr": 0.001}))
            .unwrap();
        let run = SavedRun::read(&path).unwrap();
        assert_eq!((run.lesson, run.seed), (4, 42));
        assert_eq!(run.recipe, [("lr".to_string(), "0.001".to_string())]);
        assert_eq!(run.history, h);
        std::fs::write(&path, "{\"lesson\": 4}").unwrap();
        let err = SavedRun::read(&path).unwrap_err().to_string();
        assert!(err.ends_with("no whole number `seed`"), "{err}");
    }
}
