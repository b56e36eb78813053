//! What can be wrong with the bytes of an IDX file: one variant per check the reader makes.

use std::fmt;

use super::MAX_BODY_BYTES;

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
    /// The dimensions multiply to more than [`MAX_BODY_BYTES`] bytes (or overflow).
    TooLarge {
        /// The dimensions from the header.
        dims: Vec<u32>,
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
        /// The decompressor's message.
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
            IdxProblem::TooLarge { dims } => write!(
                f,
                "dimensions {dims:?} claim more than {MAX_BODY_BYTES} bytes of data"
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
