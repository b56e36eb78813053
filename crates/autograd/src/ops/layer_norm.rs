//! Layer normalisation: each row of features made mean 0 and variance 1 on its own, then
//! scaled and shifted by learned `γ` and `β` per feature. A transformer normalises every
//! token's vector this way before attention and before the MLP.
//!
//! For one row of `D` numbers `x_d` (one token of one example),
//! `μ = (1/D) Σ_e x_e`, `σ² = (1/D) Σ_e (x_e − μ)²`, `r = 1/√(σ² + ε)`, `x̂_d = (x_d − μ)·r`
//! and `y_d = γ_d·x̂_d + β_d`. The parameters are shared by all rows, so their gradients sum
//! over the rows: `∂L/∂β_d = Σ_rows g_d`, `∂L/∂γ_d = Σ_rows g_d·x̂_d`. For `x`, every `x_j`
//! of a row moves that row's `μ` and `σ²` too. With `∂μ/∂x_j = 1/D`,
//! `∂σ²/∂x_j = (2/D)·(x_j − μ)` (the part through `μ` vanishes, as `Σ_e (x_e − μ) = 0`), so
//! `∂r/∂x_j = −(1/2)·r³·∂σ²/∂x_j = −r²·x̂_j/D`:
//!
//! ```text
//! ∂x̂_d/∂x_j = r·(δ_dj − 1/D) + (x_d − μ)·∂r/∂x_j = (r/D)·(D·δ_dj − 1 − x̂_d·x̂_j)
//! ∂L/∂x_j  = Σ_d ĝ_d·∂x̂_d/∂x_j = (r/D)·(D·ĝ_j − Σ_d ĝ_d − x̂_j·Σ_d ĝ_d·x̂_d),  ĝ_d = γ_d·g_d
//! ```
//!
//! the compact form: two sums per row, then one pass. It is batch normalisation's rule
//! (`batch_norm.rs`) with the sums over a row's features instead of over a channel's batch,
//! and `γ` inside the sums because it now varies along them. The arithmetic is in
//! [`tensor::layer_norm`].

use tensor::Tensor;
use tensor::layer_norm::{affine_grads, input_grad, normalize, row_stats, row_view};

use crate::var::Var;

/// The per-feature vector `v` as a tensor of shape `[D]` (for `γ`'s and `β`'s gradients).
fn features(v: Vec<f32>) -> Tensor {
    let d = v.len();
    Tensor::from_parts("layer_norm", v, &[d])
}

impl Var {
    /// Layer normalisation over the last axis: `y = γ·(x − μ)/√(σ² + ε) + β` per row, with
    /// the row's mean `μ` and biased variance `σ²` (PyTorch's `nn.LayerNorm(D)`, whose `ε`
    /// is `1e-5`). `∂L/∂β = Σ_rows g`, `∂L/∂γ = Σ_rows g·x̂`,
    /// `∂L/∂x = (r/D)·(D·ĝ − Σ ĝ − x̂·Σ ĝ·x̂)` per row with `ĝ = γ·g` (see the module doc).
    ///
    /// # Shapes
    /// `x: [..., D]`, `gamma`, `beta`: `[D]` → `y` like `x` (tokens `[B, T, D]`).
    ///
    /// ```
    /// use autograd::Var;
    /// use tensor::Tensor;
    /// // One row [1, 3]: μ = 2, σ² = 1, x̂ = [−1, 1]; γ = [2, 2], β = [0, 1]: y ≈ [−2, 3].
    /// let x = Var::constant(Tensor::from_vec(vec![1.0, 3.0], &[1, 2]).unwrap());
    /// let gamma = Var::param(Tensor::full(&[2], 2.0));
    /// let beta = Var::param(Tensor::from_vec(vec![0.0, 1.0], &[2]).unwrap());
    /// let y = x.layer_norm(&gamma, &beta, 1e-5);
    /// assert!((y.value().data()[0] + 2.0).abs() < 1e-4 && (y.value().data()[1] - 3.0).abs() < 1e-4);
    /// ```
    pub fn layer_norm(&self, gamma: &Var, beta: &Var, eps: f32) -> Var {
        let x = self.value();
        let (_, d) = row_view("layer_norm", x.shape());
        let (gs, bs) = (gamma.shape(), beta.shape());
        assert!(
            gs == [d] && bs == [d],
            "layer_norm: weight {gs:?} and bias {bs:?} must be [{d}] for input {:?}",
            x.shape()
        );
        let (mean, inv_std) = row_stats(&x, eps);
        let y = normalize(
            &x,
            &mean,
            &inv_std,
            gamma.value().data(),
            beta.value().data(),
        );
        drop(x);
        Var::from_op(
            "layer_norm",
            y,
            &[self, gamma, beta],
            move |g, _y, inputs| {
                let (x, gamma) = (inputs[0].value(), inputs[1].value());
                let dx = inputs[0]
                    .requires_grad()
                    .then(|| input_grad(g, &x, &mean, &inv_std, gamma.data()));
                // The sums over the rows, only if γ or β learns (a frozen norm skips them).
                let affine = (inputs[1].requires_grad() || inputs[2].requires_grad())
                    .then(|| affine_grads(g, &x, &mean, &inv_std));
                let (dgamma, dbeta) = affine.map_or((None, None), |(dgamma, dbeta)| {
                    (Some(features(dgamma)), Some(features(dbeta)))
                });
                vec![dx, dgamma, dbeta]
            },
        )
    }
}
