//! Shuffled splits of a data set into train / validation / test, as index lists.
//!
//! The indices `0..n` are shuffled with an RNG the caller seeds, then cut into consecutive
//! pieces. The same seed gives the same split; the pieces are disjoint and together cover
//! every index exactly once. Apply them with [`tensor::Tensor::select_rows`] (or [`take`]).
//!
//! Sizes: the validation and test sizes are `round(n · fraction)`; the training set gets
//! the rest. For 150 rows, 70/15/15 gives 104/23/23 and 80/20 gives 120/30.
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! let split = data::split::train_valid_test(150, 0.15, 0.15, &mut StdRng::seed_from_u64(0));
//! assert_eq!((split.train.len(), split.valid.len(), split.test.len()), (104, 23, 23));
//! ```

use rand::Rng;
use rand::seq::SliceRandom;
use tensor::Tensor;

/// Index lists of a three-way split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split3 {
    /// Training rows.
    pub train: Vec<usize>,
    /// Validation rows (for choosing hyperparameters and early stopping).
    pub valid: Vec<usize>,
    /// Test rows (looked at once, at the end).
    pub test: Vec<usize>,
}

/// Shuffles `0..n` and cuts it into train, validation (`round(n·valid_fraction)`) and test
/// (`round(n·test_fraction)`) indices. Panics unless both fractions are in `[0, 1]` and sum
/// to at most 1.
pub fn train_valid_test(
    n: usize,
    valid_fraction: f64,
    test_fraction: f64,
    rng: &mut impl Rng,
) -> Split3 {
    assert!(
        (0.0..=1.0).contains(&valid_fraction)
            && (0.0..=1.0).contains(&test_fraction)
            && valid_fraction + test_fraction <= 1.0,
        "train_valid_test: fractions {valid_fraction} and {test_fraction} must be in [0, 1] and sum to at most 1"
    );
    let n_valid = (n as f64 * valid_fraction).round() as usize;
    let n_test = ((n as f64 * test_fraction).round() as usize).min(n - n_valid);
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let test = order.split_off(n - n_test);
    let valid = order.split_off(n - n_test - n_valid);
    Split3 {
        train: order,
        valid,
        test,
    }
}

/// Shuffles `0..n` and cuts it into `(train, test)` indices with `round(n·test_fraction)`
/// test rows (0.2 for the usual 80/20). Panics unless `test_fraction` is in `[0, 1]`.
pub fn train_test(n: usize, test_fraction: f64, rng: &mut impl Rng) -> (Vec<usize>, Vec<usize>) {
    let split = train_valid_test(n, 0.0, test_fraction, rng);
    (split.train, split.test)
}

/// The rows of `x` and `y` at `indices`: a convenience for applying a split.
///
/// # Shapes
/// `x: [N, ...]`, `y: [N, ...]` → `[indices.len(), ...]` each.
pub fn take(x: &Tensor, y: &Tensor, indices: &[usize]) -> (Tensor, Tensor) {
    (x.select_rows(indices), y.select_rows(indices))
}
