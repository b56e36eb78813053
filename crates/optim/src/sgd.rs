//! Stochastic gradient descent, with momentum, Nesterov momentum and weight decay.

use autograd::Var;
use tensor::Tensor;

use crate::error::{OptimError, check, non_negative, unit_interval};
use crate::optimizer::Optimizer;

/// The hyperparameters of [`Sgd`]. `SgdConfig::default()` is PyTorch's `optim.SGD`
/// default: `lr = 1e-3`, no momentum, no dampening, no Nesterov, no weight decay.
///
/// ```
/// use optim::SgdConfig;
/// let config = SgdConfig { lr: 0.1, momentum: 0.9, ..SgdConfig::default() };
/// assert_eq!(config.dampening, 0.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SgdConfig {
    /// The learning rate `η`, ≥ 0.
    pub lr: f32,
    /// The momentum `μ`, in `[0, 1)`; 0 turns momentum off.
    pub momentum: f32,
    /// The dampening `τ`, in `[0, 1]`: the new gradient enters the velocity scaled by `1 − τ`.
    pub dampening: f32,
    /// Nesterov momentum: step along `g + μ·b` instead of `b` (needs `μ > 0`, `τ = 0`).
    pub nesterov: bool,
    /// The L2 weight decay `λ`, ≥ 0: adds `λ·w` to the gradient.
    pub weight_decay: f32,
}

impl Default for SgdConfig {
    fn default() -> SgdConfig {
        SgdConfig {
            lr: 1e-3,
            momentum: 0.0,
            dampening: 0.0,
            nesterov: false,
            weight_decay: 0.0,
        }
    }
}

impl SgdConfig {
    /// `Ok` if every hyperparameter is in its range, else an error naming the first that is
    /// not: a negative or non-finite `lr` or `weight_decay`, a momentum outside `[0, 1)`,
    /// a dampening outside `[0, 1]`, or Nesterov without momentum or with dampening (as
    /// PyTorch).
    ///
    /// [`Sgd::new`] panics with this error's message, since a setting in code is the
    /// programmer's; a setting that comes from a user is checked before it gets there, with
    /// this method or where it enters (as the lessons' recipes check their flags).
    pub fn validate(&self) -> Result<(), OptimError> {
        let SgdConfig {
            lr,
            momentum,
            dampening,
            nesterov,
            weight_decay,
        } = *self;
        check("SGD", "lr", lr, non_negative(lr), "finite and ≥ 0")?;
        check(
            "SGD",
            "momentum",
            momentum,
            unit_interval(momentum),
            "in [0, 1)",
        )?;
        check(
            "SGD",
            "dampening",
            dampening,
            (0.0..=1.0).contains(&dampening),
            "in [0, 1]",
        )?;
        check(
            "SGD",
            "weight_decay",
            weight_decay,
            non_negative(weight_decay),
            "finite and ≥ 0",
        )?;
        if nesterov {
            check(
                "SGD",
                "momentum",
                momentum,
                momentum > 0.0,
                "> 0 for Nesterov momentum",
            )?;
            check(
                "SGD",
                "dampening",
                dampening,
                dampening == 0.0,
                "0 for Nesterov momentum",
            )?;
        }
        Ok(())
    }
}

/// Stochastic gradient descent, PyTorch's `optim.SGD`. For each parameter `w` with
/// gradient `∇` (element-wise):
///
/// ```text
/// g ← ∇ + λ·w                         weight decay (if λ ≠ 0)
/// b ← g              on the first step (if μ ≠ 0)
/// b ← μ·b + (1 − τ)·g  afterwards
/// g ← g + μ·b   (Nesterov)   or   g ← b
/// w ← w − η·g
/// ```
///
/// Without momentum this is plain gradient descent, `w ← w − η·∇`.
///
/// ```
/// use autograd::Var;
/// use optim::{Optimizer, Sgd, SgdConfig};
/// use tensor::Tensor;
/// // L = w², ∇ = 2w = 2 at w = 1; one step with η = 0.1: w = 1 − 0.1·2 = 0.8.
/// let w = Var::param(Tensor::scalar(1.0));
/// let mut opt = Sgd::new(vec![w.clone()], SgdConfig { lr: 0.1, ..SgdConfig::default() });
/// w.square().backward();
/// opt.step();
/// assert!((w.value().item() - 0.8).abs() < 1e-7);
/// ```
pub struct Sgd {
    params: Vec<Var>,
    config: SgdConfig,
    /// The momentum buffer `b` of each parameter, created on its first step.
    velocity: Vec<Option<Tensor>>,
}

impl Sgd {
    /// SGD over `params` with `config`.
    ///
    /// Panics, naming the hyperparameter and its range, if [`SgdConfig::validate`] refuses
    /// `config`.
    pub fn new(params: Vec<Var>, config: SgdConfig) -> Sgd {
        if let Err(e) = config.validate() {
            panic!("{e}");
        }
        let velocity = vec![None; params.len()];
        Sgd {
            params,
            config,
            velocity,
        }
    }

    /// The hyperparameters.
    pub fn config(&self) -> &SgdConfig {
        &self.config
    }
}

impl Optimizer for Sgd {
    fn lr(&self) -> f32 {
        self.config.lr
    }

    fn set_lr(&mut self, lr: f32) {
        let config = SgdConfig { lr, ..self.config };
        if let Err(e) = config.validate() {
            panic!("{e}");
        }
        self.config = config;
    }

    // ANCHOR: step
    fn step(&mut self) {
        let SgdConfig {
            lr,
            momentum: mu,
            dampening: tau,
            nesterov,
            weight_decay: lambda,
        } = self.config;
        for (p, velocity) in self.params.iter().zip(&mut self.velocity) {
            let Some(grad) = p.grad() else { continue };
            let mut value = p.value_mut();
            let w = value.data_mut();
            if mu == 0.0 {
                // w ← w − η·(∇ + λ·w)
                for (w, &grad) in w.iter_mut().zip(grad.data()) {
                    *w -= lr * (grad + lambda * *w);
                }
                continue;
            }
            let first_step = velocity.is_none();
            let b = velocity
                .get_or_insert_with(|| Tensor::zeros(grad.shape()))
                .data_mut();
            for (i, &grad) in grad.data().iter().enumerate() {
                let g = grad + lambda * w[i];
                b[i] = if first_step {
                    g
                } else {
                    mu * b[i] + (1.0 - tau) * g
                };
                let g = if nesterov { g + mu * b[i] } else { b[i] };
                w[i] -= lr * g;
            }
        }
    }
    // ANCHOR_END: step

    fn params(&self) -> &[Var] {
        &self.params
    }
}
