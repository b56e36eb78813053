//! # Exercise 14 — inverted dropout, with its train/eval switch
//!
//! Lesson: [4 — Iris, softmax and dropout](../docs/lessons/04-iris.md), "The forward pass".
//!
//! During training, dropout zeroes each element with probability `p` and scales the
//! survivors by `1/(1 − p)`, so the expected value is unchanged:
//!
//! ```text
//! a = x ⊙ m,   m_i = 1/(1 − p) with probability 1 − p, else 0,   E[a] = x
//! ```
//!
//! Evaluation needs no rescaling then ("inverted" dropout): in `Mode::Eval` dropout returns
//! its input. Each training call draws a new mask from `rng`. The gradient is the mask,
//! `∂L/∂x = g ⊙ m`, which you get for free by building `a` from `Var` operations (multiply
//! `x` by the mask as a constant).
//!
//! Write it without calling `Var::dropout`. `rng.random::<f32>()` (with `rand::Rng` in
//! scope) draws from `U(0, 1)`; `Tensor::from_vec(values, shape)` builds the mask and
//! `Var::constant` wraps it.
//!
//! # Shapes
//! `x` any shape → `a` of the same shape.
//!
//! # Graded by
//! Evaluation must return `x` unchanged; in training, for `p = 0.2, 0.5, 0.8`, every
//! element of `x = 1` must be 0 or `1/(1 − p)` and about a fraction `p` of 20,000 must be 0;
//! two calls must draw different masks; and the gradient check must pass with the mask held
//! fixed. The course's dropout is `Var::dropout` in `crates/autograd/src/ops/dropout.rs`,
//! used by `Dropout` in `crates/layers/src/dropout.rs`.

use autograd::Var;
use layers::Mode;
use rand::Rng;
use rand::rngs::StdRng;
use tensor::Tensor;

/// Inverted dropout of `x` with drop probability `p` (in `[0, 1)`): active in `Mode::Train`,
/// the identity in `Mode::Eval`. The mask is drawn from `rng`.
pub fn dropout(x: &Var, p: f32, mode: Mode, rng: &mut StdRng) -> Var {
    // BEGIN SOLUTION
    if mode == Mode::Eval {
        return x.clone();
    }
    let scale = 1.0 / (1.0 - p);
    let m: Vec<f32> = (0..x.value().numel())
        .map(|_| if rng.random::<f32>() < p { 0.0 } else { scale })
        .collect();
    let m = Tensor::from_vec(m, &x.shape()).expect("one mask value per element");
    x.mul(&Var::constant(m))
    // END SOLUTION
}
