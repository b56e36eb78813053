//! # Exercise 19 — standardising with the training split's statistics
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 3.
//!
//! Features on very different scales slow gradient descent down. Standardising puts each
//! column `j` at mean 0 and standard deviation 1, with the *training* set's statistics:
//!
//! ```text
//! μ_j = (1/N) Σ_i x_ij        σ_j = √((1/N) Σ_i (x_ij − μ_j)²)        x̃_ij = (x_ij − μ_j) / σ_j
//! ```
//!
//! (the population σ, dividing by `N`, as scikit-learn's `StandardScaler`). The validation
//! and test sets get the *same* `μ` and `σ`: they stand for data the network has not seen,
//! whose statistics are not known when the model is built. A column that is constant in the
//! training set has `σ = 0`; take `σ = 1` there, so the column maps to `x − μ` instead of NaN.
//!
//! Write `standardize(train, test)`. `Tensor::mean_axis(0, true)` gives `[1, D]`, which
//! broadcasts against `[N, D]`; `Tensor::map`, `sub`, `square`, `sqrt` and `div` do the rest.
//!
//! # Shapes
//! `train: [N, D]`, `test: [M, D]` → `([N, D], [M, D])`.
//!
//! # Graded by
//! Comparison with the course's `Standardizer` fitted on the training set
//! (`crates/data/src/standardize.rs`) on 128 random cases whose test data come from another
//! range than their training data, and on a constant column.

use tensor::Tensor;

/// `(train, test)` standardised column by column with the training set's mean and
/// population standard deviation.
pub fn standardize(train: &Tensor, test: &Tensor) -> (Tensor, Tensor) {
    todo!()
}
