//! RMSprop: divide each step by a running root-mean-square of recent gradients.

use autograd::Var;
use tensor::Tensor;

use crate::error::{OptimError, check, non_negative, unit_interval};
use crate::optimizer::Optimizer;

/// The hyperparameters of [`RmsProp`]. `RmsPropConfig::default()` is PyTorch's
/// `optim.RMSprop` default (`lr = 1e-2`, `α = 0.99`, `ε = 1e-8`);
/// [`RmsPropConfig::keras`] is Keras' (`lr = 1e-3`, `ρ = 0.9`, `ε = 1e-7`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmsPropConfig {
    /// The learning rate `η`, ≥ 0.
    pub lr: f32,
    /// The decay `α` of the running average of `g²` (Keras calls it `ρ`), in `[0, 1)`.
    pub alpha: f32,
    /// `ε` ≥ 0, added to the denominator so it is never 0.
    pub eps: f32,
    /// The L2 weight decay `λ`, ≥ 0: adds `λ·w` to the gradient.
    pub weight_decay: f32,
}

impl Default for RmsPropConfig {
    fn default() -> RmsPropConfig {
        RmsPropConfig {
            lr: 1e-2,
            alpha: 0.99,
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }
}

impl RmsPropConfig {
    /// Keras' defaults: `lr = 1e-3`, `ρ = 0.9`, `ε = 1e-7`.
    pub fn keras() -> RmsPropConfig {
        RmsPropConfig {
            lr: 1e-3,
            alpha: 0.9,
            eps: 1e-7,
            weight_decay: 0.0,
        }
    }

    /// `Ok` if every hyperparameter is in its range, else an error naming the first that is
    /// not: a negative or non-finite `lr`, `eps` or `weight_decay`, or an `alpha` outside
    /// `[0, 1)`.
    ///
    /// [`RmsProp::new`] panics with this error's message, since a setting in code is the
    /// programmer's; a setting that comes from a user is checked before it gets there, with
    /// this method or where it enters (as the lessons' recipes check their flags).
    pub fn validate(&self) -> Result<(), OptimError> {
        let RmsPropConfig {
            lr,
            alpha,
            eps,
            weight_decay,
        } = *self;
        check("RMSprop", "lr", lr, non_negative(lr), "finite and ≥ 0")?;
        check("RMSprop", "alpha", alpha, unit_interval(alpha), "in [0, 1)")?;
        check("RMSprop", "eps", eps, non_negative(eps), "finite and ≥ 0")?;
        check(
            "RMSprop",
            "weight_decay",
            weight_decay,
            non_negative(weight_decay),
            "finite and ≥ 0",
        )?;
        Ok(())
    }
}

/// RMSprop (Hinton's lecture 6e), PyTorch's `optim.RMSprop`. For each parameter `w` with
/// gradient `∇` (element-wise), with `v` starting at 0:
///
/// ```text
/// g ← ∇ + λ·w                    weight decay (if λ ≠ 0)
/// v ← α·v + (1 − α)·g²           running mean of squared gradients
/// w ← w − η·g / (√v + ε)
/// ```
///
/// Parameters with large gradients take smaller steps and vice versa. (Keras adds `ε`
/// inside the root, `√(v + ε)`; the difference shows only while `v` is near 0.)
///
/// ```
/// use autograd::Var;
/// use optim::{Optimizer, RmsProp, RmsPropConfig};
/// use tensor::Tensor;
/// // First step: v = (1 − 0.9)·g², so w moves by η·g/√(0.1·g²) = η/√0.1 ≈ 3.16·η whatever g is.
/// let w = Var::param(Tensor::scalar(1.0));
/// let mut opt = RmsProp::new(vec![w.clone()], RmsPropConfig::keras());
/// w.mul_scalar(5.0).backward(); // ∇ = 5
/// opt.step();
/// assert!((w.value().item() - (1.0 - 1e-3 / 0.1f32.sqrt())).abs() < 1e-6);
/// ```
pub struct RmsProp {
    params: Vec<Var>,
    config: RmsPropConfig,
    /// The running mean `v` of squared gradients, per parameter.
    square_avg: Vec<Tensor>,
}

impl RmsProp {
    /// RMSprop over `params` with `config`.
    ///
    /// Panics, naming the hyperparameter and its range, if [`RmsPropConfig::validate`] refuses
    /// `config`.
    pub fn new(params: Vec<Var>, config: RmsPropConfig) -> RmsProp {
        if let Err(e) = config.validate() {
            panic!("{e}");
        }
        let square_avg = params
            .iter()
            .map(|p| Tensor::zeros(p.value().shape()))
            .collect();
        RmsProp {
            params,
            config,
            square_avg,
        }
    }

    /// The hyperparameters.
    pub fn config(&self) -> &RmsPropConfig {
        &self.config
    }
}

impl Optimizer for RmsProp {
    fn lr(&self) -> f32 {
        self.config.lr
    }

    fn set_lr(&mut self, lr: f32) {
        let config = RmsPropConfig { lr, ..self.config };
        if let Err(e) = config.validate() {
            panic!("{e}");
        }
        self.config = config;
    }

    // ANCHOR: step
    fn step(&mut self) {
        let RmsPropConfig {
            lr,
            alpha,
            eps,
            weight_decay: lambda,
        } = self.config;
        for (p, v) in self.params.iter().zip(&mut self.square_avg) {
            let Some(grad) = p.grad() else { continue };
            let mut value = p.value_mut();
            let (w, v) = (value.data_mut(), v.data_mut());
            for (i, &grad) in grad.data().iter().enumerate() {
                let g = grad + lambda * w[i];
                v[i] = alpha * v[i] + (1.0 - alpha) * g * g;
                w[i] -= lr * g / (v[i].sqrt() + eps);
            }
        }
    }
    // ANCHOR_END: step

    fn params(&self) -> &[Var] {
        &self.params
    }
}
