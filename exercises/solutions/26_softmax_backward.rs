//! # Exercise 26 — the backward rule of softmax
//!
//! Lesson: [9 — Attention: a small vision transformer](../docs/lessons/09-vit.md), "Attention".
//!
//! Attention turns each row of scores into probabilities with a softmax along the last
//! axis, `y_i = e^(x_i) / Σ_j e^(x_j)`. Its Jacobian is `∂y_i/∂x_j = y_i·(δ_ij − y_j)`:
//! raising one score raises its own probability and lowers every other. So for one line
//! with `g = ∂L/∂y`
//!
//! ```text
//! ∂L/∂x_j = Σ_i g_i·y_i·(δ_ij − y_j) = y_j·(g_j − Σ_i g_i·y_i)
//! ```
//!
//! one dot product `Σ_i g_i·y_i` per line, then one pass. (Exercise 9's log-softmax rule
//! subtracted `softmax·Σ g`; this one subtracts the `y`-weighted average of `g`.)
//!
//! Write the rule for a tensor of any rank, the softmax taken along its last axis (each line
//! on its own): attention's scores are `[B, H, T, T]`. `Tensor::sum_axis(axis, true)` keeps
//! the summed axis with length 1, which broadcasts back along the line.
//!
//! # Shapes
//! `g`, `y: [..., n]` → `∂L/∂x: [..., n]`.
//!
//! # Graded by
//! The gradient check of a softmax op built on your rule, on 128 random shapes of rank 1 to
//! 4 (axes 1 to 4 long), then PyTorch's gradient in `golden/activations.safetensors`. The
//! course's own rule is `Var::softmax` in `crates/autograd/src/ops/activation.rs`, its loop
//! `softmax_backward` in `crates/tensor/src/softmax.rs`.

use tensor::Tensor;

/// `∂L/∂x` for `y = softmax(x)` along the last axis, from `g = ∂L/∂y` and the output `y`.
pub fn softmax_backward(g: &Tensor, y: &Tensor) -> Tensor {
    // BEGIN SOLUTION
    let last = y.ndim() - 1;
    let weighted_mean = g.mul(y).sum_axis(last, true);
    y.mul(&g.sub(&weighted_mean))
    // END SOLUTION
}
