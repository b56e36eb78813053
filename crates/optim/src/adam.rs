//! Adam: momentum and RMSprop together, with the bias of their zero start corrected.

use autograd::Var;
use tensor::Tensor;

use crate::error::{OptimError, check, non_negative, unit_interval};
use crate::optimizer::Optimizer;

/// The hyperparameters of [`Adam`]. `AdamConfig::default()` is PyTorch's `optim.Adam`
/// default: `lr = 1e-3`, `β = (0.9, 0.999)`, `ε = 1e-8`, no weight decay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    /// The learning rate `η`, ≥ 0.
    pub lr: f32,
    /// `(β₁, β₂)`, each in `[0, 1)`: the decays of the running means of `g` and `g²`.
    pub betas: (f32, f32),
    /// `ε` ≥ 0, added to the denominator so it is never 0.
    pub eps: f32,
    /// The L2 weight decay `λ`, ≥ 0, added to the gradient (for decay that is not
    /// rescaled by Adam's denominator, use [`crate::AdamW`]).
    pub weight_decay: f32,
}

impl Default for AdamConfig {
    fn default() -> AdamConfig {
        AdamConfig {
            lr: 1e-3,
            betas: (0.9, 0.999),
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }
}

impl AdamConfig {
    /// `Ok` if every hyperparameter is in its range, else an error naming the first that is
    /// not: a negative or non-finite `lr`, `eps` or `weight_decay`, or a `β` outside
    /// `[0, 1)`.
    ///
    /// [`Adam::new`] panics with this error's message, since a setting in code is the
    /// programmer's; a setting that comes from a user is checked before it gets there, with
    /// this method or where it enters (as the lessons' recipes check their flags).
    pub fn validate(&self) -> Result<(), OptimError> {
        let c = self;
        check_adam_settings("Adam", c.lr, c.betas, c.eps, c.weight_decay)
    }
}

/// The checks of Adam's and AdamW's settings, which have the same ranges: `lr`, `eps` and
/// `weight_decay` finite and ≥ 0, each `β` in `[0, 1)`.
pub(crate) fn check_adam_settings(
    optimizer: &'static str,
    lr: f32,
    (beta1, beta2): (f32, f32),
    eps: f32,
    weight_decay: f32,
) -> Result<(), OptimError> {
    check(optimizer, "lr", lr, non_negative(lr), "finite and ≥ 0")?;
    check(optimizer, "beta1", beta1, unit_interval(beta1), "in [0, 1)")?;
    check(optimizer, "beta2", beta2, unit_interval(beta2), "in [0, 1)")?;
    check(optimizer, "eps", eps, non_negative(eps), "finite and ≥ 0")?;
    let wd = weight_decay;
    check(
        optimizer,
        "weight_decay",
        wd,
        non_negative(wd),
        "finite and ≥ 0",
    )
}

/// Adam (Kingma & Ba, 2015), PyTorch's `optim.Adam`. For each parameter `w` with gradient
/// `∇` (element-wise), with `m` and `v` starting at 0 and `t` counting this parameter's
/// steps from 1:
///
/// ```text
/// g ← ∇ + λ·w                        weight decay (if λ ≠ 0)
/// m ← β₁·m + (1 − β₁)·g              running mean of gradients (momentum)
/// v ← β₂·v + (1 − β₂)·g²             running mean of squared gradients (RMSprop)
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)  bias correction: m and v started at 0
/// w ← w − η·m̂ / (√v̂ + ε)
/// ```
///
/// ```
/// use autograd::Var;
/// use optim::{Adam, AdamConfig, Optimizer};
/// use tensor::Tensor;
/// // First step: m̂ = g and v̂ = g², so w moves by η·g/|g| = η (for |g| ≫ ε).
/// let w = Var::param(Tensor::scalar(1.0));
/// let mut opt = Adam::new(vec![w.clone()], AdamConfig { lr: 0.01, ..AdamConfig::default() });
/// w.mul_scalar(3.0).backward();
/// opt.step();
/// assert!((w.value().item() - 0.99).abs() < 1e-6);
/// ```
pub struct Adam {
    params: Vec<Var>,
    config: AdamConfig,
    /// Per parameter: the first moment `m`.
    m: Vec<Tensor>,
    /// Per parameter: the second moment `v`.
    v: Vec<Tensor>,
    /// Per parameter: the number of steps `t` it has taken.
    t: Vec<i32>,
}

impl Adam {
    /// Adam over `params` with `config`.
    ///
    /// Panics, naming the hyperparameter and its range, if [`AdamConfig::validate`] refuses
    /// `config`.
    pub fn new(params: Vec<Var>, config: AdamConfig) -> Adam {
        if let Err(e) = config.validate() {
            panic!("{e}");
        }
        let zeros = || -> Vec<Tensor> {
            params
                .iter()
                .map(|p| Tensor::zeros(p.value().shape()))
                .collect()
        };
        let (m, v, t) = (zeros(), zeros(), vec![0; params.len()]);
        Adam {
            params,
            config,
            m,
            v,
            t,
        }
    }

    /// The hyperparameters.
    pub fn config(&self) -> &AdamConfig {
        &self.config
    }
}

impl Optimizer for Adam {
    fn lr(&self) -> f32 {
        self.config.lr
    }

    fn set_lr(&mut self, lr: f32) {
        let config = AdamConfig { lr, ..self.config };
        if let Err(e) = config.validate() {
            panic!("{e}");
        }
        self.config = config;
    }

    // ANCHOR: step
    fn step(&mut self) {
        let AdamConfig {
            lr,
            betas: (beta1, beta2),
            eps,
            weight_decay: lambda,
        } = self.config;
        for (k, p) in self.params.iter().enumerate() {
            let Some(grad) = p.grad() else { continue };
            self.t[k] += 1;
            let t = self.t[k];
            let bias1 = 1.0 - beta1.powi(t);
            let bias2 = 1.0 - beta2.powi(t);
            let mut value = p.value_mut();
            let (w, m, v) = (value.data_mut(), self.m[k].data_mut(), self.v[k].data_mut());
            for (i, &grad) in grad.data().iter().enumerate() {
                let g = grad + lambda * w[i];
                m[i] = beta1 * m[i] + (1.0 - beta1) * g;
                v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
                let m_hat = m[i] / bias1;
                let v_hat = v[i] / bias2;
                w[i] -= lr * m_hat / (v_hat.sqrt() + eps);
            }
        }
    }
    // ANCHOR_END: step

    fn params(&self) -> &[Var] {
        &self.params
    }
}
