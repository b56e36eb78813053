//! The one recoverable error of this crate: building a tensor from data that does not fit.
//!
//! Everything else that can go wrong with tensor math (adding a `[2, 3]` to a `[4]`) is a
//! programmer error and panics with a message that names the op and both shapes.

use std::fmt;

/// Why a tensor could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TensorError {
    /// `from_vec` got `len` values for a shape that holds `expected`.
    LengthMismatch {
        /// How many values were given.
        len: usize,
        /// The shape asked for.
        shape: Vec<usize>,
        /// How many values that shape holds.
        expected: usize,
    },
}

impl fmt::Display for TensorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TensorError::LengthMismatch {
                len,
                shape,
                expected,
            } => write!(
                f,
                "from_vec: {len} values cannot fill shape {shape:?}, which holds {expected}"
            ),
        }
    }
}

impl std::error::Error for TensorError {}
