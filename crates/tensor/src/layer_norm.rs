//! Layer normalisation's arithmetic, one row at a time.
//!
//! A tensor `x: [..., D]` is seen as `rows` rows of `D` features (`rows` = the product of the
//! leading axes: `B·T` for a batch of token sequences). Each row on its own is made mean 0
//! and variance 1 over its `D` features, then every feature `d` gets back a learned scale
//! `γ[d]` and shift `β[d]`:
//!
//! ```text
//! μ = (1/D) Σ_d x_d        σ² = (1/D) Σ_d (x_d − μ)²     (the biased variance)
//! r = 1/√(σ² + ε)          x̂_d = (x_d − μ)·r             y_d = γ[d]·x̂_d + β[d]
//! ```
//!
//! Batch normalisation ([`crate::batch_norm`]) has the same formulas with the roles turned
//! round: its statistics run over the batch for each channel, these over the features for
//! each example, so an example's output never depends on the rest of its batch and training
//! and evaluation compute the same thing.
//!
//! The backward pass, for `g = ∂L/∂y`, has the sums over the rows for the parameters and the
//! sums over a row's features for the input (`autograd`'s `layer_norm` op derives it):
//!
//! ```text
//! ∂L/∂β[d] = Σ_rows g_d     ∂L/∂γ[d] = Σ_rows g_d·x̂_d
//! ∂L/∂x_d = (r/D)·(D·ĝ_d − Σ_e ĝ_e − x̂_d·Σ_e ĝ_e·x̂_e),   ĝ = γ ⊙ g
//! ```
//!
//! Sums are accumulated in `f64`, as batch normalisation's are.

use crate::tensor::Tensor;

/// `(rows, D)` for a tensor of shape `[..., D]`; panics (naming `op`) on a scalar or on
/// rows without features.
pub fn row_view(op: &str, shape: &[usize]) -> (usize, usize) {
    let Some((&d, leading)) = shape.split_last() else {
        panic!("{op}: expected [..., D], got a scalar of shape {shape:?}");
    };
    assert!(d > 0, "{op}: rows of no features, shape {shape:?}");
    (leading.iter().product(), d)
}

/// The mean `μ` and the factor `r = 1/√(σ² + ε)` of every row of `x: [..., D]`, with the
/// biased variance `σ² = (1/D) Σ (x − μ)²`. Two passes, each summed in `f64`.
///
/// ```
/// use tensor::Tensor;
/// use tensor::layer_norm::row_stats;
/// // Row 0 holds 1, 3 (μ = 2, σ² = 1); row 1 holds 5, 5 (μ = 5, σ² = 0, r = 1/√ε).
/// let x = Tensor::from_vec(vec![1.0, 3.0, 5.0, 5.0], &[2, 2]).unwrap();
/// let (mean, inv_std) = row_stats(&x, 0.25);
/// assert_eq!(mean, [2.0, 5.0]);
/// assert!((inv_std[0] - 1.0 / 1.25f32.sqrt()).abs() < 1e-6);
/// assert_eq!(inv_std[1], 2.0);
/// ```
pub fn row_stats(x: &Tensor, eps: f32) -> (Vec<f32>, Vec<f32>) {
    let (rows, d) = row_view("layer_norm", x.shape());
    let mut mean = Vec::with_capacity(rows);
    let mut inv_std = Vec::with_capacity(rows);
    for row in x.data().chunks_exact(d) {
        let mu = row.iter().map(|&v| f64::from(v)).sum::<f64>() / d as f64;
        let var = row
            .iter()
            .map(|&v| (f64::from(v) - mu).powi(2))
            .sum::<f64>()
            / d as f64;
        mean.push(mu as f32);
        inv_std.push((1.0 / (var + f64::from(eps)).sqrt()) as f32);
    }
    (mean, inv_std)
}

/// `y_d = γ[d]·(x_d − μ)·r + β[d]` for every row, with its `μ` and `r` from [`row_stats`].
///
/// # Shapes
/// `x: [..., D]`, `mean`, `inv_std`: one number per row, `gamma`, `beta`: `[D]` → like `x`.
pub fn normalize(x: &Tensor, mean: &[f32], inv_std: &[f32], gamma: &[f32], beta: &[f32]) -> Tensor {
    let (rows, d) = row_view("layer_norm", x.shape());
    check_lengths("layer_norm", (rows, d), (mean, inv_std), &[gamma, beta]);
    let mut y = x.data().to_vec();
    for (n, row) in y.chunks_exact_mut(d).enumerate() {
        let (mu, r) = (mean[n], inv_std[n]);
        for ((v, &g), &b) in row.iter_mut().zip(gamma).zip(beta) {
            *v = g * ((*v - mu) * r) + b;
        }
    }
    Tensor::from_parts("layer_norm", y, x.shape())
}

/// The parameters' gradients, summed over the rows: `(∂L/∂γ, ∂L/∂β)` with
/// `∂L/∂γ[d] = Σ g_d·x̂_d` and `∂L/∂β[d] = Σ g_d`.
///
/// # Shapes
/// `g`, `x`: `[..., D]`, `mean`, `inv_std`: one number per row → two vectors of `D` numbers.
pub fn affine_grads(g: &Tensor, x: &Tensor, mean: &[f32], inv_std: &[f32]) -> (Vec<f32>, Vec<f32>) {
    check_same_shape(g, x);
    let (rows, d) = row_view("layer_norm backward", x.shape());
    check_lengths("layer_norm backward", (rows, d), (mean, inv_std), &[]);
    let mut dgamma = vec![0.0f64; d];
    let mut dbeta = vec![0.0f64; d];
    let row_pairs = g.data().chunks_exact(d).zip(x.data().chunks_exact(d));
    for (n, (g_row, x_row)) in row_pairs.enumerate() {
        let (mu, r) = (mean[n], inv_std[n]);
        for k in 0..d {
            let x_hat = (x_row[k] - mu) * r;
            dgamma[k] += f64::from(g_row[k]) * f64::from(x_hat);
            dbeta[k] += f64::from(g_row[k]);
        }
    }
    let to_f32 = |v: Vec<f64>| v.into_iter().map(|s| s as f32).collect();
    (to_f32(dgamma), to_f32(dbeta))
}

/// The input's gradient, row by row: `∂L/∂x_d = (r/D)·(D·ĝ_d − Σ ĝ − x̂_d·Σ ĝ·x̂)` with
/// `ĝ = γ ⊙ g` and `x̂ = (x − μ)·r`.
///
/// # Shapes
/// `g`, `x`: `[..., D]`, `mean`, `inv_std`: one number per row, `gamma`: `[D]` → like `x`.
pub fn input_grad(g: &Tensor, x: &Tensor, mean: &[f32], inv_std: &[f32], gamma: &[f32]) -> Tensor {
    check_same_shape(g, x);
    let (rows, d) = row_view("layer_norm backward", x.shape());
    check_lengths("layer_norm backward", (rows, d), (mean, inv_std), &[gamma]);
    let (gd, xd) = (g.data(), x.data());
    let mut dx = vec![0.0; xd.len()];
    for n in 0..rows {
        let at = n * d..(n + 1) * d;
        let (g_row, x_row) = (&gd[at.clone()], &xd[at.clone()]);
        let (mu, r) = (mean[n], inv_std[n]);
        // The two sums over the row: Σ ĝ and Σ ĝ·x̂.
        let (mut sum_g, mut sum_gx) = (0.0f64, 0.0f64);
        for k in 0..d {
            let g_hat = f64::from(gamma[k] * g_row[k]);
            sum_g += g_hat;
            sum_gx += g_hat * f64::from((x_row[k] - mu) * r);
        }
        let (sum_g, sum_gx) = (sum_g as f32, sum_gx as f32);
        for (k, out) in dx[at].iter_mut().enumerate() {
            let x_hat = (x_row[k] - mu) * r;
            *out = r / d as f32 * (d as f32 * gamma[k] * g_row[k] - sum_g - x_hat * sum_gx);
        }
    }
    Tensor::from_parts("layer_norm backward", dx, x.shape())
}

/// Panics unless the gradient has the input's shape.
fn check_same_shape(g: &Tensor, x: &Tensor) {
    assert_eq!(
        g.shape(),
        x.shape(),
        "layer_norm backward: gradient {:?} and input {:?} differ",
        g.shape(),
        x.shape()
    );
}

/// Panics, naming `op`, unless the statistics hold one number per row and each per-feature
/// vector one number per feature.
fn check_lengths(
    op: &str,
    (rows, d): (usize, usize),
    stats: (&[f32], &[f32]),
    features: &[&[f32]],
) {
    assert!(
        stats.0.len() == rows && stats.1.len() == rows,
        "{op}: {} means and {} inverse deviations for {rows} rows",
        stats.0.len(),
        stats.1.len()
    );
    for v in features {
        assert_eq!(
            v.len(),
            d,
            "{op}: a per-feature vector holds {} numbers for {d} features",
            v.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_vec(v.to_vec(), shape).unwrap()
    }

    #[test]
    fn each_row_gets_mean_zero_and_variance_one_then_scale_and_shift() {
        // Row [1, 2, 3, 4]: μ = 2.5, σ² = 1.25, x̂ = (x − 2.5)/√1.25 (ε = 0).
        // Row [10, 10, 10, 14]: μ = 11, σ² = 3, x̂ = [−1, −1, −1, 3]/√3.
        let x = t(&[1.0, 2.0, 3.0, 4.0, 10.0, 10.0, 10.0, 14.0], &[2, 4]);
        let (mean, inv_std) = row_stats(&x, 0.0);
        assert_eq!(mean, [2.5, 11.0]);
        let ones = [1.0; 4];
        let zeros = [0.0; 4];
        let y = normalize(&x, &mean, &inv_std, &ones, &zeros);
        let s = 1.25f32.sqrt();
        let expected = [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s];
        for (a, b) in y.data()[..4].iter().zip(expected) {
            assert!((a - b).abs() < 1e-6);
        }
        assert!((y.at(&[1, 3]) - 3.0 / 3f32.sqrt()).abs() < 1e-6);
        // γ = 2, β = 1 on feature 3 only: y = 2·x̂ + 1 there, x̂ elsewhere.
        let gamma = [1.0, 1.0, 1.0, 2.0];
        let beta = [0.0, 0.0, 0.0, 1.0];
        let y2 = normalize(&x, &mean, &inv_std, &gamma, &beta);
        assert!((y2.at(&[0, 3]) - (2.0 * 1.5 / s + 1.0)).abs() < 1e-6);
        assert_eq!(y2.at(&[0, 1]), y.at(&[0, 1]));
    }

    #[test]
    fn leading_axes_are_all_rows() {
        // [2, 3, 4] normalises the same six rows as [6, 4].
        let x = Tensor::arange(0.0, 24.0, 1.0)
            .map(|v| (v * 0.7).sin())
            .reshape(&[2, 3, 4]);
        let flat = x.reshape(&[6, 4]);
        let (m3, r3) = row_stats(&x, 1e-5);
        assert_eq!((m3.clone(), r3.clone()), row_stats(&flat, 1e-5));
        let (gamma, beta) = ([0.5, 1.0, 1.5, 2.0], [0.1, 0.2, 0.3, 0.4]);
        assert_eq!(
            normalize(&x, &m3, &r3, &gamma, &beta).reshape(&[6, 4]),
            normalize(&flat, &m3, &r3, &gamma, &beta)
        );
    }

    #[test]
    fn gradients_of_a_row_by_hand() {
        // One row x = [−1, 1] (μ = 0, σ² = 1, ε = 0: r = 1, x̂ = [−1, 1]), γ = [2, 3], g = [1, 0].
        // ĝ = [2, 0], Σ ĝ = 2, Σ ĝ·x̂ = −2: ∂L/∂x = (1/2)·(2·ĝ − 2 + 2·x̂) = [0, 0].
        // (Moving x₀ moves both features of x̂ = ±1 equally the other way: no change at all.)
        let x = t(&[-1.0, 1.0], &[1, 2]);
        let g = t(&[1.0, 0.0], &[1, 2]);
        let (mean, inv_std) = row_stats(&x, 0.0);
        let dx = input_grad(&g, &x, &mean, &inv_std, &[2.0, 3.0]);
        assert_eq!(dx.data(), &[0.0, 0.0]);
        // ∂L/∂γ = g·x̂ = [−1, 0], ∂L/∂β = g = [1, 0].
        assert_eq!(
            affine_grads(&g, &x, &mean, &inv_std),
            (vec![-1.0, 0.0], vec![1.0, 0.0])
        );
        // x = [0, 1, 5]: μ = 2, σ² = 14/3. With γ = 1 and g = 1 everywhere, Σ ĝ = 3, Σ ĝ·x̂ = 0:
        // ∂L/∂x = (r/3)·(3 − 3 − 0) = 0, a constant shift of y changes nothing.
        let x = t(&[0.0, 1.0, 5.0], &[1, 3]);
        let (mean, inv_std) = row_stats(&x, 0.0);
        let dx = input_grad(&Tensor::ones(&[1, 3]), &x, &mean, &inv_std, &[1.0; 3]);
        assert!(dx.data().iter().all(|v| v.abs() < 1e-6), "{dx:?}");
    }

    #[test]
    #[should_panic(expected = "layer_norm: a per-feature vector holds 3 numbers for 4 features")]
    fn a_gamma_of_the_wrong_length_panics() {
        let x = Tensor::zeros(&[2, 4]);
        let (mean, inv_std) = row_stats(&x, 1e-5);
        normalize(&x, &mean, &inv_std, &[1.0; 3], &[0.0; 4]);
    }

    #[test]
    #[should_panic(expected = "layer_norm: expected [..., D], got a scalar of shape []")]
    fn a_scalar_has_no_features() {
        row_stats(&Tensor::scalar(1.0), 1e-5);
    }
}
