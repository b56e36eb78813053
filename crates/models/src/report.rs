//! What a lesson reports: its [`Outcome`] (metrics, the per-epoch history, the files it
//! wrote), or the [`LessonError`] that stopped it.
//!
//! A lesson's errors come from the world — a recipe change from the command line, a data
//! file, a folder it cannot write — or from training that diverged. Each keeps the error of
//! the crate it came from, typed (`source()` gives it back), so a caller can tell a missing
//! MNIST file from a full disk. Mistakes in a lesson's own code (a shape, a learning rate
//! out of range written in the code) are panics.

use std::fmt;
use std::path::PathBuf;

use atomic_file::WriteError;
use data::DataError;
use layers::LayerError;

use crate::history::History;
use crate::plot::PlotError;
use crate::recipe::RecipeError;

/// Why a lesson stopped before its summary.
#[derive(Debug)]
pub enum LessonError {
    /// A change to the recipe does not fit it (a flag it lacks, a value out of range).
    Recipe(RecipeError),
    /// MNIST could not be loaded from the data root, nor downloaded into it.
    Mnist(DataError),
    /// Another input could not be read (the shipped pictures, an image to classify).
    Data(DataError),
    /// A picture, the model file, `history.json` or `summary.json` could not be written.
    Output(OutputError),
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

/// What a lesson could not write, with the error of the crate that tried.
#[derive(Debug)]
pub enum OutputError {
    /// The output folder could not be created.
    Folder {
        /// The folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// `history.json` or `summary.json` could not be written.
    File(WriteError),
    /// A chart could not be drawn or written.
    Plot(PlotError),
    /// A grid of images could not be written.
    Grid(DataError),
    /// The trained model could not be saved.
    Model(LayerError),
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::Recipe(e) => write!(f, "recipe: {e}"),
            LessonError::Mnist(e) => write!(
                f,
                "data: {e}\n(set GRADSCHOOL_DATA or pass --data-dir to a folder holding \
                 mnist/ and fashion-mnist/, or run `cargo xtask data` with a network connection)"
            ),
            LessonError::Data(e) => write!(f, "data: {e}"),
            LessonError::Output(e) => write!(f, "output: {e}"),
            LessonError::NonFiniteLoss { epoch, step, loss } => write!(
                f,
                "training stopped: the loss became {loss} at epoch {epoch}, step {step} \
                 (the learning rate may be too high, or the inputs not normalised)"
            ),
        }
    }
}

impl std::error::Error for LessonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LessonError::Recipe(e) => Some(e),
            LessonError::Mnist(e) | LessonError::Data(e) => Some(e),
            LessonError::Output(e) => Some(e),
            LessonError::NonFiniteLoss { .. } => None,
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Folder { path, source } => write!(f, "{}: {source}", path.display()),
            OutputError::File(e) => write!(f, "{e}"),
            OutputError::Plot(e) => write!(f, "{e}"),
            OutputError::Grid(e) => write!(f, "{e}"),
            OutputError::Model(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Folder { source, .. } => Some(source),
            OutputError::File(e) => Some(e),
            OutputError::Plot(e) => Some(e),
            OutputError::Grid(e) => Some(e),
            OutputError::Model(e) => Some(e),
        }
    }
}

impl From<OutputError> for LessonError {
    fn from(e: OutputError) -> LessonError {
        LessonError::Output(e)
    }
}

/// A chart a lesson could not draw or write.
impl From<PlotError> for LessonError {
    fn from(e: PlotError) -> LessonError {
        LessonError::Output(OutputError::Plot(e))
    }
}

/// A model file a lesson could not save.
impl From<LayerError> for LessonError {
    fn from(e: LayerError) -> LessonError {
        LessonError::Output(OutputError::Model(e))
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

/// What a lesson's `run` produces: named metrics, the per-epoch history of its main run and
/// the files it wrote.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// `(name, value)` in the order they should be printed.
    pub metrics: Vec<(String, f64)>,
    /// The numbers of each epoch, written to `history.json`; the reproducibility tests
    /// compare them bit for bit.
    pub history: History,
    /// Every picture and model file written.
    pub files: Vec<PathBuf>,
}

impl Outcome {
    /// Records a metric.
    pub fn metric(&mut self, name: &str, value: f64) {
        self.metrics.push((name.to_string(), value));
    }

    /// Records the last epoch's value of each history metric in `names` as a metric of the
    /// run, under the same name (NaN if no epoch measured it).
    pub fn last_of_history(&mut self, names: &[&str]) {
        for name in names {
            let value = self.history.last(name).unwrap_or(f64::NAN);
            self.metric(name, value);
        }
    }

    /// The value of metric `name`, if recorded.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }
}
