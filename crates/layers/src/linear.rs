//! The fully connected layer: every output is a weighted sum of every input, plus a bias.

use autograd::Var;
use rand::Rng;
use tensor::Tensor;

use crate::init::{self, Nonlinearity, gain};
use crate::module::{Mode, Module};

/// A fully connected (dense) layer: `z = x·Wᵀ + b`.
///
/// The weight is stored as `[out, in]`, PyTorch's layout (row `j` holds the weights of
/// output unit `j`), so the forward pass multiplies by its transpose; the GEMM reads the
/// transpose in place. Parameters: `"weight"` `[out, in]` and `"bias"` `[out]`.
///
/// # Shapes
/// `x: [N, in] → z: [N, out]`.
///
/// # Init
/// [`Linear::new`]: PyTorch's default. [`Linear::glorot`]: Keras' default.
///
/// ```
/// use autograd::Var;
/// use layers::{Linear, Mode, Module};
/// use tensor::Tensor;
/// // z = x·Wᵀ + b with W = [[1, 2]], b = [0.5]: z = 1·3 + 2·4 + 0.5 = 11.5
/// let w = Tensor::from_vec(vec![1.0, 2.0], &[1, 2]).unwrap();
/// let b = Tensor::from_vec(vec![0.5], &[1]).unwrap();
/// let layer = Linear::from_weights(w, b);
/// let x = Var::constant(Tensor::from_vec(vec![3.0, 4.0], &[1, 2]).unwrap());
/// assert_eq!(layer.forward(&x, Mode::Eval).value().data(), &[11.5]);
/// ```
pub struct Linear {
    weight: Var,
    bias: Var,
}

impl Linear {
    /// A layer with PyTorch's default initialisation (`nn.Linear`):
    /// weight `~ U(−1/√in, 1/√in)` — Kaiming uniform with `a = √5`, whose bound
    /// `gain·√(3/in)` with `gain = √(2/(1 + a²)) = √(1/3)` is exactly `1/√in` — and bias
    /// `~ U(−1/√in, 1/√in)`. The weight is drawn first, then the bias.
    pub fn new(in_features: usize, out_features: usize, rng: &mut impl Rng) -> Linear {
        assert!(
            in_features > 0 && out_features > 0,
            "Linear::new: sizes must be positive, got {in_features} → {out_features}"
        );
        let fan_in = in_features;
        let a = 5f32.sqrt();
        let w = init::kaiming_uniform(
            &[out_features, in_features],
            fan_in,
            gain(Nonlinearity::LeakyReLU(a)),
            rng,
        );
        let bound = 1.0 / (fan_in as f32).sqrt();
        let b = Tensor::rand_uniform(&[out_features], -bound, bound, rng);
        Linear::from_weights(w, b)
    }

    /// A layer with Keras' default initialisation (`Dense`): Glorot-uniform weight,
    /// `U(±√(6/(in + out)))`, and zero bias.
    pub fn glorot(in_features: usize, out_features: usize, rng: &mut impl Rng) -> Linear {
        assert!(
            in_features > 0 && out_features > 0,
            "Linear::glorot: sizes must be positive, got {in_features} → {out_features}"
        );
        let w = init::glorot_uniform(&[out_features, in_features], in_features, out_features, rng);
        Linear::from_weights(w, init::zeros(&[out_features]))
    }

    /// A layer with the given weight `[out, in]` and bias `[out]` as new parameters.
    /// Panics if the shapes do not fit together.
    pub fn from_weights(weight: Tensor, bias: Tensor) -> Linear {
        Linear::from_params(Var::param(weight), Var::param(bias))
    }

    /// A layer that uses existing handles as its weight `[out, in]` and bias `[out]`:
    /// gradients of its output land in those `Var`s (tied weights, gradient checks).
    /// Panics if the shapes do not fit together.
    pub fn from_params(weight: Var, bias: Var) -> Linear {
        let (ws, bs) = (weight.shape(), bias.shape());
        assert!(
            ws.len() == 2 && bs.len() == 1 && bs[0] == ws[0],
            "Linear: weight {ws:?} must be [out, in] and bias {bs:?} must be [out]"
        );
        Linear { weight, bias }
    }

    /// The weight `W`, `[out, in]`.
    pub fn weight(&self) -> &Var {
        &self.weight
    }

    /// The bias `b`, `[out]`.
    pub fn bias(&self) -> &Var {
        &self.bias
    }

    /// The number of inputs `in`.
    pub fn in_features(&self) -> usize {
        self.weight.value().dim(1)
    }

    /// The number of outputs `out`.
    pub fn out_features(&self) -> usize {
        self.weight.value().dim(0)
    }
}

impl Module for Linear {
    /// `z = x·Wᵀ + b`, the bias broadcast over the batch.
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        let xs = x.shape();
        assert!(
            xs.len() == 2 && xs[1] == self.in_features(),
            "{}: input shape {xs:?} does not match [N, {}]",
            self.describe(),
            self.in_features()
        );
        x.matmul_bt(&self.weight).add(&self.bias)
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("weight", &self.weight);
        f("bias", &self.bias);
    }

    fn describe(&self) -> String {
        format!("Linear({} → {})", self.in_features(), self.out_features())
    }
}
