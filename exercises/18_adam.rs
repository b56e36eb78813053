//! # Exercise 18 — one step of Adam
//!
//! Lesson: [5 — All ten digits with an MLP](../docs/lessons/05-mnist-mlp.md), "The update".
//!
//! Adam keeps two running means per weight, of the gradient (`m`, momentum) and of its
//! square (`v`, as RMSprop), both starting at 0, and corrects their bias towards 0. At step
//! `t` (counted from 1), element by element, with gradient `g`:
//!
//! ```text
//! m ← β₁·m + (1 − β₁)·g
//! v ← β₂·v + (1 − β₂)·g²
//! m̂ = m / (1 − β₁ᵗ)        v̂ = v / (1 − β₂ᵗ)
//! w ← w − lr·m̂ / (√v̂ + ε)
//! ```
//!
//! On the first step `m̂ = g` and `v̂ = g²`, so every weight moves by about `lr`, whatever
//! the size of its gradient.
//!
//! Write one step. `c` holds `lr`, `betas = (β₁, β₂)` and `eps = ε` (its
//! `weight_decay` is 0 in every check).
//!
//! # Shapes
//! `w`, `g`, `m`, `v`: the same length.
//!
//! # Graded by
//! PyTorch's three steps in `golden/optimizers.safetensors` (case `adam`, lr 0.01), then
//! ten steps against the course's `optim::Adam` with other hyperparameters. The course's
//! optimizer is `Adam` in `crates/optim/src/adam.rs`.

use optim::AdamConfig;

/// Step `t` (from 1) of Adam on `w` with gradient `g`, updating the moments `m` and `v`, with
/// the hyperparameters `c`.
pub fn adam_step(w: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], t: i32, c: &AdamConfig) {
    todo!()
}
