//! The one error of this crate: a hyperparameter outside its valid range, caught when the
//! optimizer is built rather than as NaNs a thousand steps later.
//!
//! Each configuration's `validate` (e.g. [`SgdConfig::validate`](crate::SgdConfig::validate))
//! returns it, for settings that come from a user, to check them where they enter. An
//! optimizer's `new` panics with its message instead: a setting written in code is the
//! programmer's, and a wrong one is a bug to fix, not a condition to handle.

use std::fmt;

/// Why an optimizer could not be built.
#[derive(Clone, Debug, PartialEq)]
pub enum OptimError {
    /// A hyperparameter outside its valid range, e.g. a negative learning rate.
    InvalidHyperparameter {
        /// The optimizer, e.g. `"Adam"`.
        optimizer: &'static str,
        /// The hyperparameter, e.g. `"beta2"`.
        name: &'static str,
        /// The value given.
        value: f32,
        /// The valid range, in words.
        expected: &'static str,
    },
}

impl fmt::Display for OptimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptimError::InvalidHyperparameter {
                optimizer,
                name,
                value,
                expected,
            } => write!(
                f,
                "{optimizer}: {name} = {value} is invalid, it must be {expected}"
            ),
        }
    }
}

impl std::error::Error for OptimError {}

/// `Ok` if `valid`, else the error for `name = value` with the range `expected`.
pub(crate) fn check(
    optimizer: &'static str,
    name: &'static str,
    value: f32,
    valid: bool,
    expected: &'static str,
) -> Result<(), OptimError> {
    if valid {
        return Ok(());
    }
    Err(OptimError::InvalidHyperparameter {
        optimizer,
        name,
        value,
        expected,
    })
}

/// A learning rate, weight decay or ε: finite and not negative (NaN fails too).
pub(crate) fn non_negative(x: f32) -> bool {
    x >= 0.0 && x.is_finite()
}

/// A momentum or β coefficient: in `[0, 1)` (NaN fails too).
pub(crate) fn unit_interval(x: f32) -> bool {
    (0.0..1.0).contains(&x)
}
