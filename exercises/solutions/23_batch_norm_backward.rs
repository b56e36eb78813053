//! # Exercise 23 — the backward rule of batch normalisation
//!
//! Lesson: [8 — Normalisation and residual connections](../docs/lessons/08-resnet.md), "Batch normalisation".
//!
//! In training, batch normalisation makes every channel of a batch of images mean 0 and
//! variance 1, over all `m = N·H·W` numbers of that channel (every image, every position),
//! then gives it back a learned scale `γ` and shift `β` (`[C]`, one of each per channel):
//!
//! ```text
//! μ = (1/m) Σ x      σ² = (1/m) Σ (x − μ)²      r = 1/√(σ² + ε)
//! x̂ = (x − μ)·r      y = γ·x̂ + β
//! ```
//!
//! Their gradients sum over the channel: `∂L/∂β = Σ g` and `∂L/∂γ = Σ g·x̂`. For `x`, every
//! `x_j` of a channel moves that channel's `μ` and `σ²` too; with `∂μ/∂x_j = 1/m` and
//! `∂σ²/∂x_j = 2(x_j − μ)/m`, the chain rule gives, channel by channel,
//!
//! ```text
//! ∂L/∂x_j = (γ·r/m)·(m·g_j − Σ g − x̂_j·Σ g·x̂)
//! ```
//!
//! the compact form, whose two sums are exactly `∂L/∂β` and `∂L/∂γ` (the derivation is in
//! `crates/autograd/src/ops/batch_norm.rs`). It is layer normalisation's rule (exercise 28)
//! turned on its side: the statistics run over the batch and the positions, one per channel,
//! instead of over each token's features.
//!
//! Write all three gradients. Recompute `μ`, `r` and `x̂` from `x`: `Tensor::sum_to(&[1, C,
//! 1, 1])` sums a `[N, C, H, W]` tensor over everything but the channels and keeps the result
//! broadcastable against `x`; `reshape` turns `[C]` into `[1, C, 1, 1]` and back.
//!
//! # Shapes
//! `g`, `x: [N, C, H, W]`, `gamma: [C]` → `(∂L/∂x: [N, C, H, W], ∂L/∂γ: [C], ∂L/∂β: [C])`.
//!
//! # Graded by
//! The gradient check of a batch-norm op built on your rule (PyTorch's `ε = 1e-5`), on 128
//! random shapes (N, C, H 1 to 3, W 2 to 3) whose numbers are distinct and 0.3 apart, then
//! PyTorch's gradients for `nn.BatchNorm2d` in training in `golden/batch_norm.safetensors`
//! (`[4, 3, 5, 6]` and `[1, 2, 2, 2]`). The course's own rule is `Var::batch_norm`, its loops
//! in `crates/tensor/src/batch_norm.rs`.

use tensor::Tensor;

/// `(∂L/∂x, ∂L/∂γ, ∂L/∂β)` for `y = γ·(x − μ)/√(σ² + ε) + β` with each channel's `μ` and `σ²`
/// over the batch and the positions of `x`, from `g = ∂L/∂y`.
pub fn batch_norm_backward(
    g: &Tensor,
    x: &Tensor,
    gamma: &Tensor,
    eps: f32,
) -> (Tensor, Tensor, Tensor) {
    // BEGIN SOLUTION
    let c = x.dim(1);
    let per_channel = [1, c, 1, 1];
    let m = (x.numel() / c) as f32;
    let centered = x.sub(&x.sum_to(&per_channel).div_scalar(m));
    let r = centered
        .square()
        .sum_to(&per_channel)
        .div_scalar(m)
        .map(|var| 1.0 / (var + eps).sqrt());
    let x_hat = centered.mul(&r);
    let dbeta = g.sum_to(&per_channel);
    let dgamma = g.mul(&x_hat).sum_to(&per_channel);
    let dx = g
        .mul_scalar(m)
        .sub(&dbeta)
        .sub(&x_hat.mul(&dgamma))
        .mul(&gamma.reshape(&per_channel).mul(&r))
        .div_scalar(m);
    (dx, dgamma.reshape(&[c]), dbeta.reshape(&[c]))
    // END SOLUTION
}
