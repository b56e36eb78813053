//! # Exercise 15 — binary cross-entropy, with PyTorch's clamp
//!
//! Lesson: [1 — Neurons and XOR](../docs/lessons/01-xor.md), "The loss and its gradient".
//!
//! For predicted probabilities `p` and targets `y` (each in `[0, 1]`), PyTorch's
//! `nn.BCELoss()` is the mean over all `n` elements of
//!
//! ```text
//! −[y·ln p + (1 − y)·ln(1 − p)]
//! ```
//!
//! except that each log is clamped at −100: `ln 0 = −∞`, and a network that is certain and
//! wrong (`p = 0` for `y = 1`) would otherwise have an infinite loss, and a `0·ln 0` term
//! would give NaN. With the clamp a confident wrong answer costs exactly 100.
//!
//! Write the loss's value. `f32::ln` and `f32::max` are all it needs.
//!
//! # Shapes
//! `p` and `y` of the same shape, e.g. `[N, 1]` → a number.
//!
//! # Graded by
//! PyTorch's loss in `golden/losses.safetensors` (case `bce`), the course's `optim::bce` on
//! 128 random cases, and predictions of exactly 0 and 1. The course's loss is `bce` in
//! `crates/optim/src/losses/bce.rs`.

use tensor::Tensor;

/// PyTorch's `BCELoss` (mean, each log clamped at −100) of probabilities `p` for targets `y`.
pub fn bce(p: &Tensor, y: &Tensor) -> f32 {
    // BEGIN SOLUTION
    let n = p.numel() as f32;
    let total: f32 = p
        .data()
        .iter()
        .zip(y.data())
        .map(|(&p, &y)| y * p.ln().max(-100.0) + (1.0 - y) * (1.0 - p).ln().max(-100.0))
        .sum();
    -total / n
    // END SOLUTION
}
