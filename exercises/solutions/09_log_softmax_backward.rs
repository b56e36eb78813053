//! # Exercise 9 — the backward rule of log-softmax
//!
//! Lesson: [5 — All ten digits with an MLP](../docs/lessons/05-mnist-mlp.md), "The loss and
//! its gradient".
//!
//! Cross-entropy on logits starts with `y = log_softmax(z)` along the class axis, row by
//! row: `y_i = z_i − ln Σ_j e^(z_j)`. Its Jacobian is `∂y_i/∂z_k = δ_ik − softmax(z)_k`, so
//! for one row with `g = ∂L/∂y`
//!
//! ```text
//! ∂L/∂z_k = Σ_i g_i (δ_ik − s_k) = g_k − s_k Σ_i g_i,     s = softmax(z) = e^y
//! ```
//!
//! (the softmax is the exponential of the output, so the rule needs only `y`).
//!
//! Write the rule for `[N, C]` tensors, the sums running along axis 1 (each row on its own).
//! `Tensor::sum_axis(1, true)` gives `[N, 1]`, which broadcasts against `[N, C]`.
//!
//! # Shapes
//! `g`, `y: [N, C]` → `∂L/∂z: [N, C]`.
//!
//! # Graded by
//! The gradient check of a log-softmax op built on your rule, on 128 random `[N, C]` with N
//! 1 to 4 and C 1 to 5, then PyTorch's gradient in `golden/activations.safetensors`. The
//! course's own rule is `Var::log_softmax` in `crates/autograd/src/ops/activation.rs`.

use tensor::Tensor;

/// `∂L/∂z` for `y = log_softmax(z)` along axis 1, from `g = ∂L/∂y` and the output `y`.
pub fn log_softmax_backward(g: &Tensor, y: &Tensor) -> Tensor {
    // BEGIN SOLUTION
    g.sub(&y.exp().mul(&g.sum_axis(1, true)))
    // END SOLUTION
}
