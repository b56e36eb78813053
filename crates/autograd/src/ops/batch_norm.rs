//! Batch normalisation: each channel made mean 0 and variance 1 over the batch, then scaled
//! and shifted by learned `γ` and `β`.
//!
//! For one channel with `m` numbers `x_k` (all examples, all positions),
//! `μ = (1/m) Σ x_k`, `σ² = (1/m) Σ (x_k − μ)²`, `r = 1/√(σ² + ε)`, `x̂_k = (x_k − μ)·r` and
//! `y_k = γ·x̂_k + β`. The gradient of `γ` and `β` is a sum over the channel:
//! `∂L/∂β = Σ g_k`, `∂L/∂γ = Σ g_k·x̂_k`. For `x`, every `x_j` moves `μ` and `σ²` too:
//!
//! ```text
//! ∂x̂_k/∂x_j = r·(δ_kj − 1/m) − (x_k − μ)·r³·(x_j − μ)/m = (r/m)·(m·δ_kj − 1 − x̂_k·x̂_j)
//! ∂L/∂x_j  = Σ_k γ·g_k·∂x̂_k/∂x_j = (γ·r/m)·(m·g_j − Σ_k g_k − x̂_j·Σ_k g_k·x̂_k)
//! ```
//!
//! (using `∂μ/∂x_j = 1/m` and `∂σ²/∂x_j = 2(x_j − μ)/m`): the compact form, in which the two
//! sums are exactly `∂L/∂β` and `∂L/∂γ`. The arithmetic is in [`tensor::batch_norm`].
//!
//! In evaluation the statistics are fixed numbers (the running averages), so `y` is an
//! affine map of `x` and `∂L/∂x_j = γ·r·g_j`.

use tensor::Tensor;
use tensor::batch_norm::{affine_grads, channel_stats, input_grad, inverse_std, normalize};

use crate::var::Var;

/// The per-channel vector `v` as a tensor of shape `[C]` (for `γ`'s and `β`'s gradients).
fn channels(v: Vec<f32>) -> Tensor {
    let c = v.len();
    Tensor::from_parts("batch_norm", v, &[c])
}

impl Var {
    /// Batch normalisation by the batch's own statistics (training):
    /// `y = γ·(x − μ)/√(σ² + ε) + β`, `μ` and the biased `σ²` of each channel over the batch
    /// and every position. Returns `y` and the batch's `(μ, σ²)`, from which a layer updates
    /// its running statistics. `∂L/∂β = Σ g`, `∂L/∂γ = Σ g·x̂`,
    /// `∂L/∂x = (γ·r/m)·(m·g − ∂L/∂β − x̂·∂L/∂γ)` (see the module doc).
    ///
    /// # Shapes
    /// `x: [N, C, ...]`, `gamma`, `beta`: `[C]` → `y` like `x`; `μ`, `σ²`: `C` numbers.
    // ANCHOR: batch_norm
    pub fn batch_norm(&self, gamma: &Var, beta: &Var, eps: f32) -> (Var, Vec<f32>, Vec<f32>) {
        let x = self.value();
        let (mean, var) = channel_stats(&x);
        let inv_std = inverse_std(&var, eps);
        let y = normalize(
            &x,
            &mean,
            &inv_std,
            gamma.value().data(),
            beta.value().data(),
        );
        drop(x);
        let batch_mean = mean.clone();
        let y = Var::from_op(
            "batch_norm",
            y,
            &[self, gamma, beta],
            move |g, _y, inputs| {
                let (x, gamma) = (inputs[0].value(), inputs[1].value());
                let (dbeta, dgamma) = affine_grads(g, &x, &mean, &inv_std);
                let dx = inputs[0].requires_grad().then(|| {
                    let sums = (&dbeta[..], &dgamma[..]);
                    input_grad(g, &x, &mean, &inv_std, gamma.data(), sums)
                });
                vec![dx, Some(channels(dgamma)), Some(channels(dbeta))]
            },
        );
        (y, batch_mean, var)
    }
    // ANCHOR_END: batch_norm

    /// Batch normalisation by given statistics (evaluation): `y = γ·(x − μ)·r + β` with
    /// `r = 1/√(σ² + ε)` for fixed `μ`, `σ²` (the running averages). `∂L/∂x = γ·r·g`,
    /// `∂L/∂β = Σ g`, `∂L/∂γ = Σ g·x̂`.
    ///
    /// # Shapes
    /// `x: [N, C, ...]`, `gamma`, `beta`: `[C]`, `mean`, `var`: `C` numbers → `y` like `x`.
    pub fn batch_norm_eval(
        &self,
        gamma: &Var,
        beta: &Var,
        (mean, var): (&[f32], &[f32]),
        eps: f32,
    ) -> Var {
        let (mean, inv_std) = (mean.to_vec(), inverse_std(var, eps));
        let y = normalize(
            &self.value(),
            &mean,
            &inv_std,
            gamma.value().data(),
            beta.value().data(),
        );
        Var::from_op(
            "batch_norm_eval",
            y,
            &[self, gamma, beta],
            move |g, _y, inputs| {
                let (x, gamma) = (inputs[0].value(), inputs[1].value());
                let (dbeta, dgamma) = affine_grads(g, &x, &mean, &inv_std);
                let dx = inputs[0].requires_grad().then(|| {
                    // γ·r·g: the same map as the forward pass with mean 0 and shift 0.
                    let zero = vec![0.0; mean.len()];
                    normalize(g, &zero, &inv_std, gamma.data(), &zero)
                });
                vec![dx, Some(channels(dgamma)), Some(channels(dbeta))]
            },
        )
    }
}
