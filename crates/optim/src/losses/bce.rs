//! Binary cross-entropy: the loss of a yes/no prediction.

use autograd::Var;
use tensor::Tensor;

use super::assert_same_shape;

/// Binary cross-entropy on probabilities (PyTorch's `nn.BCELoss()`):
///
/// `L = −(1/n) Σ_i [y_i·ln p_i + (1 − y_i)·ln(1 − p_i)]`, each log clamped at −100,
///
/// `∂L/∂p_i = (1/n)·(p_i − y_i) / max(p_i(1 − p_i), 10⁻¹²)`.
///
/// This op writes its own backward rule, as PyTorch does, rather than chaining `ln` and
/// `clamp`: at `p = 0` the chain would multiply the clamp's zero gradient by `ln`'s
/// infinite one and give NaN; the rule above stays finite. For a sigmoid output, prefer
/// [`bce_with_logits`] on the logit, which needs no clamping at all.
///
/// # Shapes
/// `p` and `y` of the same shape, e.g. `[N, 1]` → a scalar. Targets in `[0, 1]`.
///
/// ```
/// use autograd::Var;
/// use optim::bce;
/// use tensor::Tensor;
/// // A coin-flip prediction of a 1 costs −ln 0.5 = ln 2.
/// let p = Var::param(Tensor::from_vec(vec![0.5], &[1, 1]).unwrap());
/// let y = Tensor::from_vec(vec![1.0], &[1, 1]).unwrap();
/// assert!((bce(&p, &y).item() - 2f32.ln()).abs() < 1e-7);
/// ```
pub fn bce(p: &Var, y: &Tensor) -> Var {
    assert_same_shape("bce", p, y);
    let n = y.numel() as f32;
    let loss: f32 = p
        .value()
        .data()
        .iter()
        .zip(y.data())
        .map(|(&p, &y)| y * p.ln().max(-100.0) + (1.0 - y) * (1.0 - p).ln().max(-100.0))
        .sum();
    let y = y.clone();
    Var::from_op(
        "bce",
        Tensor::scalar(-loss / n),
        &[p],
        move |g, _loss, p| {
            let g = g.item();
            let dp = p[0].value().zip_map(&y, "bce", |p, y| {
                g * (p - y) / (p * (1.0 - p)).max(1e-12) / n
            });
            vec![Some(dp)]
        },
    )
}

/// Binary cross-entropy on logits (PyTorch's `nn.BCEWithLogitsLoss()`): the same loss as
/// [`bce`] applied to `p = σ(z)`, but computed from `z` without ever forming `σ(z)`:
///
/// `L = (1/n) Σ_i [softplus(z_i) − z_i·y_i]`, with
/// `softplus(z) = ln(1 + eᶻ) = max(z, 0) + ln(1 + e^(−|z|))` (the stable form, which never
/// exponentiates a positive number), so
/// `L = (1/n) Σ_i [max(z_i, 0) − z_i·y_i + ln(1 + e^(−|z_i|))]`.
///
/// `∂L/∂z_i = (σ(z_i) − y_i)/n`: the error itself, with no `1/(p(1 − p))` to blow up.
///
/// (`softplus` is one op whose derivative is `σ`; spelling the stable form out as
/// `relu(z) + ln(1 + exp(−abs(z)))` would give the wrong gradient at exactly `z = 0`, where
/// `relu` and `abs` have kinks.)
///
/// # Shapes
/// `z` and `y` of the same shape, e.g. `[N, 1]` → a scalar.
///
/// ```
/// use autograd::Var;
/// use optim::bce_with_logits;
/// use tensor::Tensor;
/// // z = 0 means p = 0.5: the loss is ln 2 whatever the target.
/// let z = Var::param(Tensor::from_vec(vec![0.0, 0.0], &[2, 1]).unwrap());
/// let y = Tensor::from_vec(vec![1.0, 0.0], &[2, 1]).unwrap();
/// assert!((bce_with_logits(&z, &y).item() - 2f32.ln()).abs() < 1e-7);
/// ```
pub fn bce_with_logits(z: &Var, y: &Tensor) -> Var {
    assert_same_shape("bce_with_logits", z, y);
    let y = Var::constant(y.clone());
    z.softplus().sub(&z.mul(&y)).mean()
}
