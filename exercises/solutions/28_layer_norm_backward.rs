//! # Exercise 28 — the backward rule of layer normalisation
//!
//! Lesson: [9 — Attention: a small vision transformer](../docs/lessons/09-vit.md), "Pre-norm, residuals, GELU".
//!
//! A transformer normalises every token on its own: each row of `D` features `x_d` becomes
//!
//! ```text
//! μ = (1/D) Σ_d x_d      σ² = (1/D) Σ_d (x_d − μ)²      r = 1/√(σ² + ε)
//! x̂_d = (x_d − μ)·r      y_d = γ_d·x̂_d + β_d
//! ```
//!
//! with `γ`, `β` (`[D]`) shared by all rows. Their gradients sum over the rows:
//! `∂L/∂β_d = Σ_rows g_d` and `∂L/∂γ_d = Σ_rows g_d·x̂_d`. For `x`, every `x_j` moves its row's
//! `μ` and `σ²` too; with `∂μ/∂x_j = 1/D` and `∂r/∂x_j = −r²·x̂_j/D`, the chain rule gives,
//! row by row, with `ĝ_d = γ_d·g_d`,
//!
//! ```text
//! ∂L/∂x_j = (r/D)·(D·ĝ_j − Σ_d ĝ_d − x̂_j·Σ_d ĝ_d·x̂_d)
//! ```
//!
//! (the derivation is in `crates/autograd/src/ops/layer_norm.rs`). Forgetting the last term
//! treats `σ` as a constant; forgetting the middle one treats `μ` as one.
//!
//! Write all three gradients for `x: [..., D]` (the rows are all the leading axes). Recompute
//! `μ`, `r` and `x̂` from `x`: `mean_axis(last, true)` keeps a row's mean as `[..., 1]`, which
//! broadcasts along the row, and `Tensor::sum_to(&[D])` sums a `[..., D]` tensor over its rows.
//!
//! # Shapes
//! `g`, `x: [..., D]`, `gamma: [D]` → `(∂L/∂x: [..., D], ∂L/∂γ: [D], ∂L/∂β: [D])`.
//!
//! # Graded by
//! The gradient check of a layer-norm op built on your rule (PyTorch's `ε = 1e-5`), on 128
//! random shapes of rank 1 to 3 (D 1 to 5) whose rows hold distinct values 0.3 apart, then
//! PyTorch's gradients for `nn.LayerNorm(8)` in `golden/attention.safetensors`. The course's
//! own rule is `Var::layer_norm`, its loops in `crates/tensor/src/layer_norm.rs`.

use tensor::Tensor;

/// `(∂L/∂x, ∂L/∂γ, ∂L/∂β)` for `y = γ·(x − μ)/√(σ² + ε) + β` over the last axis of `x`,
/// from `g = ∂L/∂y`.
pub fn layer_norm_backward(
    g: &Tensor,
    x: &Tensor,
    gamma: &Tensor,
    eps: f32,
) -> (Tensor, Tensor, Tensor) {
    // BEGIN SOLUTION
    let last = x.ndim() - 1;
    let d = x.dim(last) as f32;
    let centered = x.sub(&x.mean_axis(last, true));
    let r = centered
        .square()
        .mean_axis(last, true)
        .map(|var| 1.0 / (var + eps).sqrt());
    let x_hat = centered.mul(&r);
    let g_hat = g.mul(gamma);
    let sum_g = g_hat.sum_axis(last, true);
    let sum_g_x = g_hat.mul(&x_hat).sum_axis(last, true);
    let dx = g_hat
        .mul_scalar(d)
        .sub(&sum_g)
        .sub(&x_hat.mul(&sum_g_x))
        .mul(&r)
        .div_scalar(d);
    let dgamma = g.mul(&x_hat).sum_to(gamma.shape());
    let dbeta = g.sum_to(gamma.shape());
    (dx, dgamma, dbeta)
    // END SOLUTION
}
