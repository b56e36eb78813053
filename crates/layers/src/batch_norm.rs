//! Batch normalisation: each channel of a layer's output made mean 0 and variance 1 over the
//! batch, then scaled and shifted by learned numbers.

use std::cell::Cell;

use autograd::Var;
use tensor::Tensor;

use crate::module::{Mode, Module};

/// Batch normalisation of images, PyTorch's `nn.BatchNorm2d(C)` with its defaults
/// (`eps = 1e-5`, `momentum = 0.1`, affine, tracking running statistics).
///
/// - [`Mode::Train`]: each channel is normalised by the batch's own mean `μ` and biased
///   variance `σ²` over the examples and positions (`m = N·H·W` numbers),
///   `y = γ·(x − μ)/√(σ² + ε) + β`; then the running statistics move towards the batch's:
///   `running_mean ← (1 − momentum)·running_mean + momentum·μ` and
///   `running_var ← (1 − momentum)·running_var + momentum·σ²·m/(m − 1)` (the *unbiased*
///   variance, as PyTorch keeps it).
/// - [`Mode::Eval`]: the running statistics stand in for the batch's, so an example's output
///   does not depend on the rest of its batch.
///
/// Parameters: `"weight"` (`γ`, ones) and `"bias"` (`β`, zeros), `[C]` each. Buffers:
/// `"running_mean"` (zeros) and `"running_var"` (ones), `[C]` each — PyTorch's `state_dict`
/// names. (PyTorch also keeps `num_batches_tracked`, which only its `momentum=None` mode
/// reads; `load_state_dict` fills it in when a file lacks it.)
///
/// # Shapes
/// `[N, C, H, W] → [N, C, H, W]`.
///
/// ```
/// use autograd::Var;
/// use layers::{BatchNorm2d, Mode, Module};
/// use tensor::Tensor;
/// let bn = BatchNorm2d::new(1);
/// // One channel holding 1, 2, 3, 4 (μ = 2.5, σ² = 1.25): normalised to mean 0, variance 1.
/// let x = Var::constant(Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[1, 1, 2, 2]).unwrap());
/// let y = bn.forward(&x, Mode::Train);
/// assert!((y.value().data()[0] + 1.3416).abs() < 1e-4);
/// // The running mean moved a tenth of the way from 0 to 2.5; the running variance from 1
/// // towards the unbiased 5/3.
/// let running = bn.named_buffers();
/// assert!((running[0].1.value().data()[0] - 0.25).abs() < 1e-6);
/// assert!((running[1].1.value().data()[0] - (0.9 + 0.1 * 5.0 / 3.0)).abs() < 1e-6);
/// ```
pub struct BatchNorm2d {
    gamma: Var,
    beta: Var,
    running_mean: Var,
    running_var: Var,
    eps: f32,
    momentum: f32,
    /// Training batches seen (PyTorch's `num_batches_tracked`; shown, not saved).
    batches: Cell<usize>,
}

impl BatchNorm2d {
    /// Batch normalisation of `channels` channels with PyTorch's defaults.
    pub fn new(channels: usize) -> BatchNorm2d {
        assert!(channels > 0, "BatchNorm2d::new: no channels");
        BatchNorm2d::from_params(
            Var::param(Tensor::ones(&[channels])),
            Var::param(Tensor::zeros(&[channels])),
        )
    }

    /// Batch normalisation whose `γ` and `β` are existing handles, `[C]` each (gradients land
    /// in them), with fresh running statistics. Panics if the shapes differ or are not `[C]`.
    pub fn from_params(gamma: Var, beta: Var) -> BatchNorm2d {
        let (gs, bs) = (gamma.shape(), beta.shape());
        assert!(
            gs.len() == 1 && gs == bs,
            "BatchNorm2d: weight {gs:?} and bias {bs:?} must both be [C]"
        );
        let channels = gs[0];
        BatchNorm2d {
            gamma,
            beta,
            running_mean: Var::constant(Tensor::zeros(&[channels])),
            running_var: Var::constant(Tensor::ones(&[channels])),
            eps: 1e-5,
            momentum: 0.1,
            batches: Cell::new(0),
        }
    }

    /// The learned scale `γ`, `[C]`.
    pub fn weight(&self) -> &Var {
        &self.gamma
    }

    /// The learned shift `β`, `[C]`.
    pub fn bias(&self) -> &Var {
        &self.beta
    }

    /// The running mean and (unbiased) variance that evaluation normalises by.
    pub fn running_stats(&self) -> (Tensor, Tensor) {
        (
            self.running_mean.value().clone(),
            self.running_var.value().clone(),
        )
    }

    /// How many training batches have updated the running statistics.
    pub fn batches_tracked(&self) -> usize {
        self.batches.get()
    }

    /// `running ← (1 − momentum)·running + momentum·batch`, element by element.
    fn track(&self, running: &Var, batch: &[f32]) {
        let mut value = running.value_mut();
        for (r, &b) in value.data_mut().iter_mut().zip(batch) {
            *r = (1.0 - self.momentum) * *r + self.momentum * b;
        }
    }
}

impl Module for BatchNorm2d {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        let xs = x.shape();
        let c = self.gamma.value().numel();
        assert!(
            xs.len() == 4 && xs[1] == c,
            "{}: input shape {xs:?} does not match [N, {c}, H, W]",
            self.describe()
        );
        match mode {
            Mode::Train => {
                let m = xs[0] * xs[2] * xs[3];
                assert!(
                    m > 1,
                    "{}: training needs more than one number per channel, got shape {xs:?}",
                    self.describe()
                );
                let (y, mean, var) = x.batch_norm(&self.gamma, &self.beta, self.eps);
                // PyTorch keeps the unbiased variance: σ²·m/(m − 1).
                let unbiased: Vec<f32> =
                    var.iter().map(|&v| v * m as f32 / (m - 1) as f32).collect();
                self.track(&self.running_mean, &mean);
                self.track(&self.running_var, &unbiased);
                self.batches.set(self.batches.get() + 1);
                y
            }
            Mode::Eval => {
                let (mean, var) = (self.running_mean.value(), self.running_var.value());
                x.batch_norm_eval(&self.gamma, &self.beta, (mean.data(), var.data()), self.eps)
            }
        }
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("weight", &self.gamma);
        f("bias", &self.beta);
    }

    fn visit_buffers(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("running_mean", &self.running_mean);
        f("running_var", &self.running_var);
    }

    fn describe(&self) -> String {
        format!("BatchNorm2d({})", self.gamma.value().numel())
    }
}
