//! Layer normalisation: each example's (each token's) features made mean 0 and variance 1,
//! then scaled and shifted by learned numbers. A transformer's normalisation.

use autograd::Var;
use tensor::Tensor;

use crate::module::{Mode, Module};

/// Layer normalisation over the last axis, PyTorch's `nn.LayerNorm(D)` with its defaults
/// (`eps = 1e-5`, learnable scale and shift): for every row of `D` features (one token of
/// one example), `y = γ·(x − μ)/√(σ² + ε) + β` with the row's own mean `μ` and biased
/// variance `σ²`. Unlike batch normalisation it uses no other example's numbers, so it keeps
/// no running statistics and computes the same thing in training and evaluation.
///
/// Parameters: `"weight"` (`γ`, ones) and `"bias"` (`β`, zeros), `[D]` each. The gradient is
/// `Var::layer_norm`'s (`crates/autograd/src/ops/layer_norm.rs`).
///
/// # Shapes
/// `[..., D] → [..., D]`: tokens `[N, T, D]`, or features `[N, D]`.
///
/// ```
/// use autograd::Var;
/// use layers::{LayerNorm, Mode, Module};
/// use tensor::Tensor;
/// let norm = LayerNorm::new(4);
/// // Each row becomes mean 0 and variance 1, whatever its offset and scale.
/// let x = Var::constant(Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 30.0, 40.0], &[2, 4]).unwrap());
/// let y = norm.forward(&x, Mode::Eval).value().clone();
/// let (a, b) = y.data().split_at(4);
/// assert!(a.iter().zip(b).all(|(u, v)| (u - v).abs() < 1e-5));
/// assert_eq!(norm.num_params(), 2 * 4);
/// ```
pub struct LayerNorm {
    gamma: Var,
    beta: Var,
    eps: f32,
}

impl LayerNorm {
    /// Layer normalisation of `d` features with PyTorch's defaults: `γ = 1`, `β = 0`,
    /// `ε = 1e-5`.
    pub fn new(d: usize) -> LayerNorm {
        LayerNorm::with_eps(d, 1e-5)
    }

    /// [`LayerNorm::new`] with another `ε` (PyTorch's `eps=`, a transformer layer's
    /// `layer_norm_eps`).
    pub fn with_eps(d: usize, eps: f32) -> LayerNorm {
        assert!(d > 0, "LayerNorm::new: no features");
        LayerNorm::from_params(
            Var::param(Tensor::ones(&[d])),
            Var::param(Tensor::zeros(&[d])),
            eps,
        )
    }

    /// Layer normalisation whose `γ` and `β` are existing handles, `[D]` each (gradients
    /// land in them). Panics if the shapes differ or are not `[D]`, or if `ε` is not positive.
    pub fn from_params(gamma: Var, beta: Var, eps: f32) -> LayerNorm {
        let (gs, bs) = (gamma.shape(), beta.shape());
        assert!(
            gs.len() == 1 && gs == bs,
            "LayerNorm: weight {gs:?} and bias {bs:?} must both be [D]"
        );
        assert!(eps > 0.0, "LayerNorm: eps must be positive, got {eps}");
        LayerNorm { gamma, beta, eps }
    }

    /// The learned scale `γ`, `[D]`.
    pub fn weight(&self) -> &Var {
        &self.gamma
    }

    /// The learned shift `β`, `[D]`.
    pub fn bias(&self) -> &Var {
        &self.beta
    }

    /// The number of features `D`.
    pub fn dim(&self) -> usize {
        self.gamma.value().numel()
    }

    /// The `ε` added to the variance.
    pub fn eps(&self) -> f32 {
        self.eps
    }
}

impl Module for LayerNorm {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        let (xs, d) = (x.shape(), self.dim());
        assert!(
            xs.last() == Some(&d),
            "{}: input shape {xs:?} does not match [..., {d}]",
            self.describe()
        );
        x.layer_norm(&self.gamma, &self.beta, self.eps)
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("weight", &self.gamma);
        f("bias", &self.beta);
    }

    fn describe(&self) -> String {
        format!("LayerNorm({})", self.dim())
    }
}
