//! Cross-entropy: the loss of choosing one of `C` classes.
//!
//! For one example with true class `k` and predicted distribution `p`, the loss is
//! `−ln p_k`: the surprise at the truth. Three forms, for three kinds of output layer.

use autograd::Var;
use tensor::Tensor;

use super::assert_same_shape;

/// Keras' `epsilon()`: probabilities are clipped to `[ε, 1 − ε]` before their log.
pub const KERAS_EPSILON: f32 = 1e-7;

/// The class indices stored in `classes` (as `f32`, as the reference files store them),
/// checked against `scores: [N, C]`.
fn class_indices(loss: &str, scores: &Var, classes: &Tensor) -> Vec<usize> {
    let s = scores.shape();
    assert!(
        s.len() == 2 && classes.shape() == [s[0]],
        "{loss}: scores shape {s:?} must be [N, C] and classes shape {:?} must be [N]",
        classes.shape()
    );
    classes
        .data()
        .iter()
        .map(|&k| {
            assert!(
                k >= 0.0 && k.fract() == 0.0 && (k as usize) < s[1],
                "{loss}: class {k} is not an integer in 0..{}",
                s[1]
            );
            k as usize
        })
        .collect()
}

/// Cross-entropy from logits (PyTorch's `nn.CrossEntropyLoss()`, Keras'
/// `SparseCategoricalCrossentropy(from_logits=True)`):
///
/// `L = −(1/N) Σ_n log_softmax(z_n)[k_n]`, where `log_softmax(z)_k = z_k − ln Σ_j e^(z_j)`.
///
/// `∂L/∂z_n = (softmax(z_n) − onehot(k_n))/N`: predicted minus true distribution.
/// The log-softmax is computed stably, so logits of ±100 are fine.
///
/// # Shapes
/// `logits: [N, C]`, `classes: [N]` (class indices `0..C` stored as `f32`) → a scalar.
///
/// ```
/// use autograd::Var;
/// use optim::cross_entropy;
/// use tensor::Tensor;
/// // −log_softmax([1, 2, 3])[2] = ln(e¹ + e² + e³) − 3 = 0.40760597
/// let z = Var::param(Tensor::from_vec(vec![1.0, 2.0, 3.0], &[1, 3]).unwrap());
/// let k = Tensor::from_vec(vec![2.0], &[1]).unwrap();
/// assert!((cross_entropy(&z, &k).item() - 0.407_605_97).abs() < 1e-6);
/// ```
pub fn cross_entropy(logits: &Var, classes: &Tensor) -> Var {
    let k = class_indices("cross_entropy", logits, classes);
    logits.log_softmax(1).pick(&k).mean().neg()
}

/// Categorical cross-entropy on probabilities with one-hot targets (Keras'
/// `"categorical_crossentropy"` after a softmax layer):
///
/// `L = −(1/N) Σ_n Σ_c y_nc·ln clip(p_nc)`, with `clip` to `[ε, 1 − ε]`, `ε = 10⁻⁷`.
///
/// `∂L/∂p_nc = −y_nc / (N·p_nc)` inside the clip range, 0 outside. (Keras also divides
/// each row by its sum first, which does nothing to a softmax's output.)
///
/// # Shapes
/// `probs: [N, C]`, `one_hot: [N, C]` → a scalar.
///
/// ```
/// use autograd::Var;
/// use optim::categorical_cross_entropy;
/// use tensor::Tensor;
/// // −ln 0.5 for the first row, −ln 0.25 for the second: (ln 2 + ln 4)/2 = 1.5·ln 2.
/// let p = Var::param(Tensor::from_vec(vec![0.5, 0.5, 0.75, 0.25], &[2, 2]).unwrap());
/// let y = Tensor::from_vec(vec![1.0, 0.0, 0.0, 1.0], &[2, 2]).unwrap();
/// assert!((categorical_cross_entropy(&p, &y).item() - 1.5 * 2f32.ln()).abs() < 1e-6);
/// ```
pub fn categorical_cross_entropy(probs: &Var, one_hot: &Tensor) -> Var {
    assert_same_shape("categorical_cross_entropy", probs, one_hot);
    let y = Var::constant(one_hot.clone());
    probs
        .clamp(KERAS_EPSILON, 1.0 - KERAS_EPSILON)
        .ln()
        .mul(&y)
        .sum_axis(1, false)
        .mean()
        .neg()
}

/// Sparse categorical cross-entropy on probabilities with class indices (Keras'
/// `"sparse_categorical_crossentropy"` after a softmax layer):
///
/// `L = −(1/N) Σ_n ln clip(p_n[k_n])`, with `clip` to `[ε, 1 − ε]`, `ε = 10⁻⁷`.
///
/// `∂L/∂p_n[k_n] = −1 / (N·p_n[k_n])` inside the clip range; 0 for every other entry.
///
/// # Shapes
/// `probs: [N, C]`, `classes: [N]` (indices stored as `f32`) → a scalar.
///
/// ```
/// use autograd::Var;
/// use optim::sparse_categorical_cross_entropy;
/// use tensor::Tensor;
/// // A confident wrong answer (p = 0 for the truth) costs −ln 10⁻⁷ ≈ 16.1, not infinity.
/// let p = Var::param(Tensor::from_vec(vec![1.0, 0.0], &[1, 2]).unwrap());
/// let k = Tensor::from_vec(vec![1.0], &[1]).unwrap();
/// assert!((sparse_categorical_cross_entropy(&p, &k).item() - 16.118_095).abs() < 1e-4);
/// ```
pub fn sparse_categorical_cross_entropy(probs: &Var, classes: &Tensor) -> Var {
    let k = class_indices("sparse_categorical_cross_entropy", probs, classes);
    probs
        .clamp(KERAS_EPSILON, 1.0 - KERAS_EPSILON)
        .ln()
        .pick(&k)
        .mean()
        .neg()
}
