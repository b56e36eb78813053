//! What a check says: done, failing (and why), or not written yet.

use std::fmt;

/// The verdict on one exercise.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Every check passed. The text lists what was checked.
    Done(String),
    /// A check failed. The text says which, on what input, what was expected, and what to
    /// look at.
    Failing(String),
    /// The learner's code still holds a `todo!()`. The text says where.
    NotWritten(String),
}

impl Outcome {
    /// The explanation, without the verdict.
    pub fn text(&self) -> &str {
        match self {
            Outcome::Done(t) | Outcome::Failing(t) | Outcome::NotWritten(t) => t,
        }
    }

    /// True for [`Outcome::Done`].
    pub fn is_done(&self) -> bool {
        matches!(self, Outcome::Done(_))
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = match self {
            Outcome::Done(_) => "done",
            Outcome::Failing(_) => "failing",
            Outcome::NotWritten(_) => "not started",
        };
        write!(f, "{verdict}:\n{}", self.text())
    }
}

/// One step of a check: `Ok` with a line saying what passed, or `Err` with the outcome that
/// ends the check (a failure, or "not written yet").
pub type Step = Result<String, Outcome>;

/// Runs a check made of steps (written with `?` inside `check`) and collects what passed
/// into [`Outcome::Done`], or returns the first step's failure.
///
/// ```
/// use grader::{Outcome, steps};
/// let outcome = steps(|| {
///     let first: grader::Step = Ok("1 + 1 = 2".to_string());
///     Ok(vec![first?, "2 + 2 = 4".to_string()])
/// });
/// assert_eq!(outcome, Outcome::Done("✓ 1 + 1 = 2\n✓ 2 + 2 = 4".to_string()));
/// ```
pub fn steps(check: impl FnOnce() -> Result<Vec<String>, Outcome>) -> Outcome {
    match check() {
        Ok(passed) => Outcome::Done(
            passed
                .iter()
                .map(|line| format!("✓ {line}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(outcome) => outcome,
    }
}
