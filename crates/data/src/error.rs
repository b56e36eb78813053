//! The errors of the crate: [`DataError`], everything that can go wrong with files,
//! downloads and parsing, each case naming the file (or address) and the problem; and
//! [`IdxProblem`], what can be wrong with the bytes of an IDX file, which a `DataError`
//! wraps with the file's name.
//!
//! Programmer mistakes (a batch size of zero, fractions that do not add up) are panics, as
//! in the rest of gradschool; only the outside world gives a `DataError`. The errors of
//! other crates stay typed inside it (`source()` gives them back): the operating system's
//! `io::Error`, the HTTP client's `ureq::Error`, the image codec's `ImageError`.
//!
//! Both types live here, below every other module, so that `idx` can return a `DataError`
//! and a `DataError` can hold an `IdxProblem` without the two modules needing each other.

use std::fmt;
use std::path::PathBuf;

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
        /// What went wrong, in words (`request failed`, `body ended after 10 of 20 bytes`).
        problem: String,
        /// The HTTP client's error, where there is one (a short body has none).
        source: Option<ureq::Error>,
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
        /// What was being done: `"cannot decode image"` or `"cannot encode PNG"`.
        problem: &'static str,
        /// The codec's error.
        source: image::ImageError,
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
            DataError::Http {
                url,
                problem,
                source,
            } => write!(f, "{url}: {problem}{}", colon(source)),
            DataError::Download { path, attempts } => {
                write!(
                    f,
                    "{}: could not download it from any mirror",
                    path.display()
                )?;
                for (url, error) in attempts {
                    match error {
                        // Without the URL, which the line names already.
                        DataError::Http {
                            problem, source, ..
                        } => write!(f, "\n  tried {url}: {problem}{}", colon(source))?,
                        other => write!(f, "\n  tried {url}: {other}")?,
                    }
                }
                Ok(())
            }
            DataError::Image {
                path,
                problem,
                source,
            } => write!(f, "{}: {problem}: {source}", path.display()),
        }
    }
}

/// `": {source}"`, or nothing when there is no source.
fn colon(source: &Option<ureq::Error>) -> String {
    source
        .as_ref()
        .map(|e| format!(": {e}"))
        .unwrap_or_default()
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DataError::Io { source, .. } => Some(source),
            DataError::Idx { problem, .. } => Some(problem),
            DataError::Http {
                source: Some(source),
                ..
            } => Some(source),
            DataError::Image { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A file the [`atomic_file`] writer could not write is an I/O error about that file.
impl From<atomic_file::WriteError> for DataError {
    fn from(e: atomic_file::WriteError) -> DataError {
        DataError::Io {
            path: e.path,
            source: e.source,
        }
    }
}

/// Everything that can be wrong with the bytes of an IDX file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdxProblem {
    /// The input ended inside the header: `needed` bytes were required, `got` were there.
    HeaderTruncated {
        /// Header bytes required so far (4 for the magic, then 4 per dimension).
        needed: u64,
        /// Header bytes present.
        got: u64,
    },
    /// The magic's first two bytes are not zero: this is not an IDX file.
    BadMagic {
        /// The first four bytes read as a big-endian number.
        magic: u32,
    },
    /// Byte 2 of the magic is not one of IDX's type codes.
    UnsupportedType {
        /// The type code found.
        code: u8,
    },
    /// Byte 3 of the magic says the array has no dimensions.
    NoDimensions,
    /// The dimensions multiply to more bytes than the reader accepts (or overflow).
    TooLarge {
        /// The dimensions from the header.
        dims: Vec<u32>,
        /// The most body bytes the reader accepts,
        /// [`MAX_BODY_BYTES`](crate::idx::MAX_BODY_BYTES).
        limit: u64,
    },
    /// The header claims more data than the input holds.
    BodyTruncated {
        /// Body bytes the header claims.
        expected: u64,
        /// Body bytes present.
        actual: u64,
    },
    /// Bytes follow the array that the header does not account for.
    TrailingBytes {
        /// How many extra bytes (for gzip input: counted up to 1 MiB).
        extra: u64,
    },
    /// The gzip stream itself is corrupt.
    Gzip {
        /// The decompressor's message. (Text, not its `io::Error`: an `IdxProblem` is a
        /// plain value that tests compare with `==`, which `io::Error` does not allow.)
        message: String,
    },
}

impl fmt::Display for IdxProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdxProblem::HeaderTruncated { needed, got } => {
                write!(f, "header truncated: needs {needed} bytes, input has {got}")
            }
            IdxProblem::BadMagic { magic } => {
                write!(
                    f,
                    "wrong magic 0x{magic:08x} (the first two bytes must be zero)"
                )
            }
            IdxProblem::UnsupportedType { code } => {
                write!(f, "unsupported element type 0x{code:02x}")
            }
            IdxProblem::NoDimensions => write!(f, "the header declares zero dimensions"),
            IdxProblem::TooLarge { dims, limit } => write!(
                f,
                "dimensions {dims:?} claim more than {limit} bytes of data"
            ),
            IdxProblem::BodyTruncated { expected, actual } => write!(
                f,
                "truncated body: the header claims {expected} bytes of data, the input holds {actual}"
            ),
            IdxProblem::TrailingBytes { extra } => {
                write!(
                    f,
                    "{extra} trailing bytes after the data the header declares"
                )
            }
            IdxProblem::Gzip { message } => write!(f, "corrupt gzip stream: {message}"),
        }
    }
}

impl std::error::Error for IdxProblem {}

/// Wraps an I/O error with the path it concerns; used with `map_err` throughout the crate.
pub(crate) fn io_error(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> DataError {
    let path = path.into();
    move |source| DataError::Io { path, source }
}
