//! Batch normalisation's arithmetic, one channel at a time.
//!
//! A batch `x: [N, C, ...]` is seen as `[N, C, S]` (`S` = the product of the spatial axes,
//! `H·W` for images, 1 for `[N, C]` features). Every channel `c` has `m = N·S` numbers, and
//! batch normalisation makes them mean 0 and variance 1, then gives them back a learned scale
//! `γ[c]` and shift `β[c]`:
//!
//! ```text
//! μ = (1/m) Σ x              σ² = (1/m) Σ (x − μ)²     (the biased variance)
//! x̂ = (x − μ) / √(σ² + ε)    y = γ·x̂ + β
//! ```
//!
//! The backward pass, for `g = ∂L/∂y` and `r = 1/√(σ² + ε)`, sums over the `m` numbers of
//! the channel (`Σ` below):
//!
//! ```text
//! ∂L/∂β = Σ g      ∂L/∂γ = Σ g·x̂      ∂L/∂x = (γ·r/m)·(m·g − ∂L/∂β − x̂·∂L/∂γ)
//! ```
//!
//! The last line is the chain rule through `μ` and `σ²`, both of which depend on every `x`
//! of the channel; `autograd`'s `batch_norm` op derives it. Evaluation uses fixed statistics
//! (the running ones) instead of the batch's: then `y = γ·r·(x − μ) + β` is an affine map of
//! each channel, and `∂L/∂x = γ·r·g`.
//!
//! The `_naive` functions are the loops to read: sums accumulated in `f64`, channel by
//! channel. The functions without the suffix, which the ops call, hand the same work to
//! [`kernels::batch_norm`] (both cores, sums in vector lanes).

use crate::kernels;
use crate::tensor::Tensor;

/// `(N, C, S)`: the batch, the channels and the positions of each channel, for a tensor of
/// shape `[N, C, ...]`. Panics (naming `op`) on a tensor of fewer than two axes.
pub fn channel_view(op: &str, shape: &[usize]) -> (usize, usize, usize) {
    assert!(
        shape.len() >= 2,
        "{op}: expected [N, C, ...], got shape {shape:?}"
    );
    (shape[0], shape[1], shape[2..].iter().product())
}

/// The mean and the biased variance of each channel of `x: [N, C, ...]`, over the `N·S`
/// numbers of that channel: `μ[c] = (1/m) Σ x`, `σ²[c] = (1/m) Σ (x − μ[c])²`. Two passes,
/// each summed in `f64`.
///
/// ```
/// use tensor::Tensor;
/// use tensor::batch_norm::channel_stats_naive;
/// // Two examples, two channels, no spatial axes: channel 0 holds 1 and 3, channel 1 holds 2 and 2.
/// let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 2.0], &[2, 2]).unwrap();
/// let (mean, var) = channel_stats_naive(&x);
/// assert_eq!(mean, [2.0, 2.0]);
/// assert_eq!(var, [1.0, 0.0]);
/// ```
pub fn channel_stats_naive(x: &Tensor) -> (Vec<f32>, Vec<f32>) {
    let (n, c, s) = channel_view("channel_stats", x.shape());
    let data = x.data();
    let m = (n * s) as f64;
    let mut mean = vec![0.0; c];
    let mut var = vec![0.0; c];
    for ch in 0..c {
        let plane = |i: usize| &data[(i * c + ch) * s..(i * c + ch + 1) * s];
        let sum: f64 = (0..n)
            .map(|i| plane(i).iter().map(|&v| f64::from(v)).sum::<f64>())
            .sum();
        let mu = sum / m;
        let squares: f64 = (0..n)
            .map(|i| {
                plane(i)
                    .iter()
                    .map(|&v| (f64::from(v) - mu).powi(2))
                    .sum::<f64>()
            })
            .sum();
        mean[ch] = mu as f32;
        var[ch] = (squares / m) as f32;
    }
    (mean, var)
}

/// `r[c] = 1/√(σ²[c] + ε)`: the factor that gives a channel variance 1.
pub fn inverse_std(var: &[f32], eps: f32) -> Vec<f32> {
    var.iter().map(|&v| 1.0 / (v + eps).sqrt()).collect()
}

/// `y = γ[c]·(x − μ[c])·r[c] + β[c]` for every number of every channel: normalisation by the
/// given statistics, then the learned scale and shift.
///
/// # Shapes
/// `x: [N, C, ...]`, `mean`, `inv_std`, `gamma`, `beta`: `C` numbers each → `y` like `x`.
pub fn normalize_naive(
    x: &Tensor,
    mean: &[f32],
    inv_std: &[f32],
    gamma: &[f32],
    beta: &[f32],
) -> Tensor {
    let (n, c, s) = channel_view("batch_norm", x.shape());
    check_lengths("batch_norm", c, &[mean, inv_std, gamma, beta]);
    let mut y = x.data().to_vec();
    for i in 0..n {
        for ch in 0..c {
            let (mu, r, g, b) = (mean[ch], inv_std[ch], gamma[ch], beta[ch]);
            for v in &mut y[(i * c + ch) * s..(i * c + ch + 1) * s] {
                *v = g * ((*v - mu) * r) + b;
            }
        }
    }
    Tensor::from_parts("batch_norm", y, x.shape())
}

/// The per-channel sums of the backward pass: `(Σ g, Σ g·x̂)` with `x̂ = (x − μ)·r`, i.e.
/// `(∂L/∂β, ∂L/∂γ)`.
///
/// # Shapes
/// `g`, `x`: `[N, C, ...]`, `mean`, `inv_std`: `C` numbers → two vectors of `C` numbers.
pub fn affine_grads_naive(
    g: &Tensor,
    x: &Tensor,
    mean: &[f32],
    inv_std: &[f32],
) -> (Vec<f32>, Vec<f32>) {
    let (n, c, s) = channel_view("batch_norm backward", x.shape());
    check_same_shape(g, x);
    check_lengths("batch_norm backward", c, &[mean, inv_std]);
    let (gd, xd) = (g.data(), x.data());
    let mut dbeta = vec![0.0; c];
    let mut dgamma = vec![0.0; c];
    for ch in 0..c {
        let (mu, r) = (mean[ch], inv_std[ch]);
        let (mut sum_g, mut sum_gx) = (0.0f64, 0.0f64);
        for i in 0..n {
            let at = (i * c + ch) * s..(i * c + ch + 1) * s;
            for (&gv, &xv) in gd[at.clone()].iter().zip(&xd[at]) {
                sum_g += f64::from(gv);
                sum_gx += f64::from(gv) * f64::from((xv - mu) * r);
            }
        }
        dbeta[ch] = sum_g as f32;
        dgamma[ch] = sum_gx as f32;
    }
    (dbeta, dgamma)
}

/// `∂L/∂x` of normalisation by the batch's own statistics:
/// `(γ·r/m)·(m·g − Σg − x̂·Σg·x̂)` with `x̂ = (x − μ)·r`, given the sums of [`affine_grads_naive`].
///
/// # Shapes
/// `g`, `x`: `[N, C, ...]`, the rest `C` numbers each → like `x`.
pub fn input_grad_naive(
    g: &Tensor,
    x: &Tensor,
    mean: &[f32],
    inv_std: &[f32],
    gamma: &[f32],
    (dbeta, dgamma): (&[f32], &[f32]),
) -> Tensor {
    let (n, c, s) = channel_view("batch_norm backward", x.shape());
    check_lengths(
        "batch_norm backward",
        c,
        &[mean, inv_std, gamma, dbeta, dgamma],
    );
    let m = (n * s) as f32;
    let (gd, xd) = (g.data(), x.data());
    let mut dx = vec![0.0; xd.len()];
    for i in 0..n {
        for ch in 0..c {
            let (mu, r) = (mean[ch], inv_std[ch]);
            let k = gamma[ch] * r / m;
            let at = (i * c + ch) * s..(i * c + ch + 1) * s;
            for ((d, &gv), &xv) in dx[at.clone()].iter_mut().zip(&gd[at.clone()]).zip(&xd[at]) {
                *d = k * (m * gv - dbeta[ch] - (xv - mu) * r * dgamma[ch]);
            }
        }
    }
    Tensor::from_parts("batch_norm backward", dx, x.shape())
}

/// [`channel_stats_naive`], computed by [`kernels::batch_norm::channel_stats`] (channels on
/// both cores, sums in vector lanes: equal to rounding).
pub fn channel_stats(x: &Tensor) -> (Vec<f32>, Vec<f32>) {
    let dims = channel_view("batch_norm", x.shape());
    kernels::batch_norm::channel_stats(x.data(), dims)
}

/// [`normalize_naive`], computed by [`kernels::batch_norm::normalize`] (the same bits).
pub fn normalize(x: &Tensor, mean: &[f32], inv_std: &[f32], gamma: &[f32], beta: &[f32]) -> Tensor {
    let (_, c, s) = channel_view("batch_norm", x.shape());
    check_lengths("batch_norm", c, &[mean, inv_std, gamma, beta]);
    let y = kernels::batch_norm::normalize(x.data(), (c, s), (mean, inv_std), (gamma, beta));
    Tensor::from_parts("batch_norm", y, x.shape())
}

/// [`affine_grads_naive`], computed by [`kernels::batch_norm::affine_grads`] (equal to
/// rounding).
pub fn affine_grads(g: &Tensor, x: &Tensor, mean: &[f32], inv_std: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let dims = channel_view("batch_norm backward", x.shape());
    check_same_shape(g, x);
    check_lengths("batch_norm backward", dims.1, &[mean, inv_std]);
    kernels::batch_norm::affine_grads(g.data(), x.data(), dims, (mean, inv_std))
}

/// [`input_grad_naive`], computed by [`kernels::batch_norm::input_grad`] (the same bits).
pub fn input_grad(
    g: &Tensor,
    x: &Tensor,
    mean: &[f32],
    inv_std: &[f32],
    gamma: &[f32],
    (dbeta, dgamma): (&[f32], &[f32]),
) -> Tensor {
    let dims = channel_view("batch_norm backward", x.shape());
    check_same_shape(g, x);
    check_lengths(
        "batch_norm backward",
        dims.1,
        &[mean, inv_std, gamma, dbeta, dgamma],
    );
    let dx = kernels::batch_norm::input_grad(
        g.data(),
        x.data(),
        dims,
        (mean, inv_std, gamma),
        (dbeta, dgamma),
    );
    Tensor::from_parts("batch_norm backward", dx, x.shape())
}

/// Panics unless the gradient has the input's shape.
fn check_same_shape(g: &Tensor, x: &Tensor) {
    assert_eq!(
        g.shape(),
        x.shape(),
        "batch_norm backward: gradient {:?} and input {:?} differ",
        g.shape(),
        x.shape()
    );
}

/// Panics, naming `op`, unless every vector holds one number per channel.
fn check_lengths(op: &str, channels: usize, vectors: &[&[f32]]) {
    for v in vectors {
        assert_eq!(
            v.len(),
            channels,
            "{op}: a per-channel vector holds {} numbers for {channels} channels",
            v.len()
        );
    }
}
