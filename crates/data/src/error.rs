//! The one error type of the crate: everything that can go wrong with files, downloads and
//! parsing, each case naming the file (or address) and the problem.
//!
//! Programmer mistakes (a batch size of zero, fractions that do not add up) are panics, as
//! in the rest of gradschool; only the outside world gives a `DataError`.

use std::fmt;
use std::path::PathBuf;

use crate::idx::IdxProblem;

/// What went wrong while reading, downloading, parsing or writing a data file.
///
/// `Display` always names the file (or URL) and the problem, so `eprintln!("{e}")` is
/// enough for a learner to act on it.
#[derive(Debug)]
pub enum DataError {
    /// The operating system refused a read, write, rename or directory creation.
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A data file that should be there is not; `hint` says how to get it.
    Missing {
        /// The file that was looked for.
        path: PathBuf,
        /// What to do about it (set `GRADSCHOOL_DATA`, run `cargo xtask data`, ...).
        hint: String,
    },
    /// An IDX file is malformed (see [`IdxProblem`] for the cases).
    Idx {
        /// The file that was parsed.
        path: PathBuf,
        /// What is wrong with it.
        problem: IdxProblem,
    },
    /// A file parsed as IDX but is not what the data set needs (wrong shape, bad label).
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// A line of a text file (the iris CSV) could not be parsed.
    Parse {
        /// The file, or a name such as `iris.csv (embedded)`.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with the line.
        problem: String,
    },
    /// A file's SHA-256 is not the one the data set publishes.
    Checksum {
        /// The file that was hashed (for a download: the final name it would have had).
        path: PathBuf,
        /// The published hash, lowercase hex.
        expected: String,
        /// The hash of the bytes at hand, lowercase hex.
        actual: String,
    },
    /// One HTTP request failed: a status such as 404, a refused connection, a short body.
    Http {
        /// The address requested.
        url: String,
        /// What went wrong.
        problem: String,
    },
    /// Every mirror was tried for a file and none delivered it.
    Download {
        /// The file that was to be written.
        path: PathBuf,
        /// Each mirror's URL with the error it gave, in the order tried.
        attempts: Vec<(String, DataError)>,
    },
    /// An image could not be decoded or encoded.
    Image {
        /// The image file.
        path: PathBuf,
        /// The decoder's or encoder's message.
        problem: String,
    },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            DataError::Missing { path, hint } => {
                write!(f, "{}: file not found. {hint}", path.display())
            }
            DataError::Idx { path, problem } => {
                write!(f, "{}: not a valid IDX file: {problem}", path.display())
            }
            DataError::Format { path, problem } => write!(f, "{}: {problem}", path.display()),
            DataError::Parse {
                path,
                line,
                problem,
            } => write!(f, "{}, line {line}: {problem}", path.display()),
            DataError::Checksum {
                path,
                expected,
                actual,
            } => write!(
                f,
                "{}: SHA-256 mismatch: expected {expected}, got {actual}",
                path.display()
            ),
            DataError::Http { url, problem } => write!(f, "{url}: {problem}"),
            DataError::Download { path, attempts } => {
                write!(
                    f,
                    "{}: could not download it from any mirror",
                    path.display()
                )?;
                for (url, error) in attempts {
                    match error {
                        DataError::Http { problem, .. } => write!(f, "\n  tried {url}: {problem}")?,
                        other => write!(f, "\n  tried {url}: {other}")?,
                    }
                }
                Ok(())
            }
            DataError::Image { path, problem } => write!(f, "{}: {problem}", path.display()),
        }
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DataError::Io { source, .. } => Some(source),
            DataError::Idx { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// Wraps an I/O error with the path it concerns; used with `map_err` throughout the crate.
pub(crate) fn io_error(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> DataError {
    let path = path.into();
    move |source| DataError::Io { path, source }
}
