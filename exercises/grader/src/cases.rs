//! Random cases for the property checks, and the strategies that draw them.
//!
//! [`for_all`] runs a property on random cases from a proptest strategy. The generator is
//! seeded, so a check runs the same cases every time (no hidden state: the same file gets the
//! same verdict). When a case fails, proptest *shrinks* it: it tries smaller shapes and
//! simpler values as long as the property still fails, and [`for_all`] returns that smallest
//! failing case with the outcome it gives.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use tensor::Tensor;

use crate::{Outcome, Step};

/// A failing case, as small as proptest could make it, and what the property said about it.
#[derive(Debug)]
pub struct Counterexample<T> {
    /// The smallest case that still fails.
    pub case: T,
    /// The property's outcome on it.
    pub outcome: Outcome,
}

/// Runs `property` on `cases` random cases drawn from `strategy` with a fixed seed.
///
/// The first case runs alone first: an exercise that is not written yet stops there, without
/// shrinking. A failure is shrunk to the smallest case that still fails, which is returned
/// with the property's outcome on it.
pub fn for_all<S>(
    cases: u32,
    strategy: &S,
    property: impl Fn(&S::Value) -> Result<(), Outcome>,
) -> Result<(), Counterexample<S::Value>>
where
    S: Strategy,
{
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let first = strategy
        .new_tree(&mut runner)
        .expect("the grader's strategies always produce a case")
        .current();
    if let Err(outcome @ Outcome::NotWritten(_)) = property(&first) {
        return Err(Counterexample {
            case: first,
            outcome,
        });
    }
    let result = runner.run(strategy, |case| {
        property(&case).map_err(|o| TestCaseError::fail(o.text().to_string()))
    });
    match result {
        Ok(()) => Ok(()),
        Err(TestError::Fail(_, case)) => {
            let outcome = property(&case).err().unwrap_or_else(|| {
                Outcome::Failing(
                    "the check failed on a case that passed when run again: is your code \
                     random, or does it keep state between calls?"
                        .to_string(),
                )
            });
            Err(Counterexample { case, outcome })
        }
        Err(TestError::Abort(why)) => Err(Counterexample {
            case: first,
            outcome: Outcome::Failing(format!("the check could not run its cases: {why}")),
        }),
    }
}

/// [`for_all`] as one step of a check: `Ok` saying what passed, or the outcome on the
/// smallest failing case (whose message, written by `property`, shows that case).
pub fn check<S>(
    what: &str,
    cases: u32,
    strategy: &S,
    property: impl Fn(&S::Value) -> Result<(), Outcome>,
) -> Step
where
    S: Strategy,
{
    match for_all(cases, strategy, property) {
        Ok(()) => Ok(format!("{what}: right on {cases} random cases")),
        Err(Counterexample {
            outcome: Outcome::Failing(text),
            ..
        }) => Err(Outcome::Failing(format!(
            "{text}\n(the smallest failing case proptest found, shrunk from a random one)"
        ))),
        Err(Counterexample { outcome, .. }) => Err(outcome),
    }
}

/// A tensor of `shape` built from `values` (one per element).
pub fn tensor_of(values: Vec<f32>, shape: &[usize]) -> Tensor {
    Tensor::from_vec(values, shape).expect("the strategies draw one value per element")
}

/// Any shape of rank 0 to 3 (rank 0 is a scalar `[]`), each axis 1 to 4 long.
pub fn any_shape() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=4, 0..=3)
}

/// A tensor of `shape` with values in `[lo, hi)`.
pub fn values(shape: Vec<usize>, lo: f32, hi: f32) -> impl Strategy<Value = Tensor> {
    let n: usize = shape.iter().product();
    prop::collection::vec(lo..hi, n).prop_map(move |v| tensor_of(v, &shape))
}

/// A tensor of `shape` with `lo ≤ |x| < hi`, either sign.
pub fn magnitudes(shape: Vec<usize>, lo: f32, hi: f32) -> impl Strategy<Value = Tensor> {
    let n: usize = shape.iter().product();
    prop::collection::vec((lo..hi, any::<bool>()), n).prop_map(move |v| {
        let v = v.into_iter().map(|(m, neg)| if neg { -m } else { m });
        tensor_of(v.collect(), &shape)
    })
}

/// Two shapes that broadcast together: one shape of rank 0 to 3 (axes 1 to 4 long), and two
/// copies of it, each with some leading axes dropped and some axes set to 1. Among them: equal
/// shapes, a row `[m]` against `[n, m]`, a column `[n, 1]`, scalars, `[1, m]` with `[n, 1]`.
pub fn broadcast_shapes() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    let squeezed = |shape: Vec<usize>| {
        let rank = shape.len();
        (0..=rank, prop::collection::vec(any::<bool>(), rank)).prop_map(move |(drop, ones)| {
            let kept = shape[drop..].iter().zip(&ones[drop..]);
            kept.map(|(&d, &one)| if one { 1 } else { d })
                .collect::<Vec<usize>>()
        })
    };
    prop::collection::vec(1usize..=4, 0..=3)
        .prop_flat_map(move |shape| (squeezed(shape.clone()), squeezed(shape)))
}
