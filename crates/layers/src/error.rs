//! The error this crate returns instead of panicking: problems with checkpoint files, which
//! a program can meet through no fault of its own.
//!
//! A shape mistake in a forward pass, or a hyperparameter outside its range (a dropout
//! probability of 1), is a programmer error and panics instead, naming the layer.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// What went wrong saving or loading parameters.
#[derive(Debug)]
pub enum LayerError {
    /// Reading, writing or renaming a file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// The file is not a valid safetensors file (truncated, corrupt, or another format).
    Format {
        /// The file.
        path: PathBuf,
        /// What the safetensors reader or writer objected to.
        source: safetensors::SafeTensorError,
    },
    /// The module has a parameter the file lacks.
    MissingTensor {
        /// The file.
        path: PathBuf,
        /// The parameter's name, e.g. `"0.weight"`.
        name: String,
    },
    /// The file has a tensor the module has no parameter for.
    UnexpectedTensor {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        name: String,
    },
    /// A tensor in the file has another shape than the module's parameter of that name.
    ShapeMismatch {
        /// The file.
        path: PathBuf,
        /// The parameter's name.
        name: String,
        /// The module's shape.
        expected: Vec<usize>,
        /// The file's shape.
        found: Vec<usize>,
    },
    /// A tensor in the file is not stored as 32-bit floats.
    WrongDtype {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        name: String,
        /// The type it has, e.g. `"F16"`.
        dtype: String,
    },
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            LayerError::Format { path, source } => {
                write!(
                    f,
                    "{}: not a valid safetensors file: {source}",
                    path.display()
                )
            }
            LayerError::MissingTensor { path, name } => write!(
                f,
                "{}: no tensor `{name}`, which the model needs",
                path.display()
            ),
            LayerError::UnexpectedTensor { path, name } => write!(
                f,
                "{}: tensor `{name}` matches no parameter of the model",
                path.display()
            ),
            LayerError::ShapeMismatch {
                path,
                name,
                expected,
                found,
            } => write!(
                f,
                "{}: tensor `{name}` has shape {found:?} but the model's parameter has shape {expected:?}",
                path.display()
            ),
            LayerError::WrongDtype { path, name, dtype } => write!(
                f,
                "{}: tensor `{name}` is stored as {dtype}, expected F32",
                path.display()
            ),
        }
    }
}

impl std::error::Error for LayerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LayerError::Io { source, .. } => Some(source),
            LayerError::Format { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A checkpoint the [`atomic_file`] writer could not write is an I/O error about that file.
impl From<atomic_file::WriteError> for LayerError {
    fn from(e: atomic_file::WriteError) -> LayerError {
        LayerError::Io {
            path: e.path,
            source: e.source,
        }
    }
}
