//! Checking a backward rule against the definition of the derivative.
//!
//! For a function `y = f(x₁, …, xₖ)` of tensors, fix a random tensor `r` shaped like `y` and
//! look at the scalar `L = Σ y ⊙ r` (every output element matters, with a different weight).
//! Backpropagation gives `∂L/∂x` in one pass. The central finite difference gives each
//! element independently:
//!
//! `∂L/∂x_j ≈ (L(x + ε e_j) − L(x − ε e_j)) / 2ε`,
//!
//! whose error is `O(ε²)` for smooth `f`. Both must agree within
//! `|analytic − numeric| ≤ ATOL + RTOL · max(|analytic|, |numeric|)`.
//!
//! The ops compute in `f32`, whose rounding error (about 6·10⁻⁸ relative) divided by `2ε`
//! would swamp a tiny `ε`; so `ε = 10⁻²` keeps that error near 10⁻⁵ while the `O(ε²)`
//! truncation stays near 10⁻⁴, and `L` itself is summed in `f64`. A wrong rule (a missing
//! factor, a wrong sign, a transposed product) is off by far more than these tolerances;
//! `tests/gradcheck_catches_bugs.rs` shows one being caught.

use std::fmt;

use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::var::Var;

/// The finite-difference step.
pub const EPS: f32 = 1e-2;
/// The relative tolerance.
pub const RTOL: f32 = 1e-2;
/// The absolute tolerance.
pub const ATOL: f32 = 2e-3;

/// Where the analytic and numeric gradients disagreed.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// Which input of the function.
    pub input: usize,
    /// Which element of that input (flat index).
    pub element: usize,
    /// `∂L/∂x` from `backward()`.
    pub analytic: f32,
    /// `∂L/∂x` from central differences.
    pub numeric: f32,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gradient of input {} element {}: backward gave {}, finite differences {}",
            self.input, self.element, self.analytic, self.numeric
        )
    }
}

/// `L = Σ y ⊙ r`, summed in `f64`.
fn weighted_sum(y: &Tensor, r: &Tensor) -> f64 {
    y.data()
        .iter()
        .zip(r.data())
        .map(|(&a, &b)| f64::from(a) * f64::from(b))
        .sum()
}

/// Compares the gradients that `backward()` gives for `f` at `inputs` with central finite
/// differences, for every element of every input. `f` must be deterministic (an op that
/// draws random numbers must seed its generator inside `f`). Returns the first mismatch.
pub fn check_gradients(inputs: &[Tensor], f: impl Fn(&[Var]) -> Var) -> Result<(), Mismatch> {
    // The analytic side: one backward pass through L = Σ y ⊙ r.
    let params: Vec<Var> = inputs.iter().map(|x| Var::param(x.clone())).collect();
    let y = f(&params);
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let r = Tensor::rand_uniform(y.value().shape(), -1.0, 1.0, &mut rng);
    let loss = y.mul(&Var::constant(r.clone())).sum();
    loss.backward();

    // The numeric side: nudge one element at a time, with constants only.
    let value_at = |xs: &[Tensor]| -> f64 {
        let vars: Vec<Var> = xs.iter().map(|x| Var::constant(x.clone())).collect();
        weighted_sum(&f(&vars).value(), &r)
    };
    let mut xs: Vec<Tensor> = inputs.to_vec();
    for (i, p) in params.iter().enumerate() {
        let analytic = p
            .grad()
            .map(|g| g.clone())
            .unwrap_or_else(|| Tensor::zeros(inputs[i].shape()));
        for j in 0..inputs[i].numel() {
            let original = xs[i].data()[j];
            xs[i].data_mut()[j] = original + EPS;
            let plus = value_at(&xs);
            xs[i].data_mut()[j] = original - EPS;
            let minus = value_at(&xs);
            xs[i].data_mut()[j] = original;
            let numeric = ((plus - minus) / (2.0 * f64::from(EPS))) as f32;
            let a = analytic.data()[j];
            let allowed = ATOL + RTOL * a.abs().max(numeric.abs());
            // A NaN or infinity on either side is a failure: it compares as "not greater"
            // than any tolerance and would otherwise slip through.
            let finite = a.is_finite() && numeric.is_finite();
            if !finite || (a - numeric).abs() > allowed {
                return Err(Mismatch {
                    input: i,
                    element: j,
                    analytic: a,
                    numeric,
                });
            }
        }
    }
    Ok(())
}
