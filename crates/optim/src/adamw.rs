//! AdamW: Adam with weight decay applied to the weights directly, not through the gradient.

use autograd::Var;
use tensor::Tensor;

use crate::adam::check_adam_settings;
use crate::error::OptimError;
use crate::optimizer::Optimizer;

/// The hyperparameters of [`AdamW`]. `AdamWConfig::default()` is PyTorch's `optim.AdamW`
/// default: `lr = 1e-3`, `β = (0.9, 0.999)`, `ε = 1e-8`, `λ = 0.01`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamWConfig {
    /// The learning rate `η`, ≥ 0.
    pub lr: f32,
    /// `(β₁, β₂)`, each in `[0, 1)`: the decays of the running means of `g` and `g²`.
    pub betas: (f32, f32),
    /// `ε` ≥ 0, added to the denominator so it is never 0.
    pub eps: f32,
    /// The decoupled weight decay `λ`, ≥ 0: each step shrinks `w` by the factor `1 − η·λ`.
    pub weight_decay: f32,
}

impl Default for AdamWConfig {
    fn default() -> AdamWConfig {
        AdamWConfig {
            lr: 1e-3,
            betas: (0.9, 0.999),
            eps: 1e-8,
            weight_decay: 0.01,
        }
    }
}

impl AdamWConfig {
    /// `Ok` if every hyperparameter is in its range, else an error naming the first that is
    /// not: a negative or non-finite `lr`, `eps` or `weight_decay`, or a `β` outside
    /// `[0, 1)`.
    ///
    /// [`AdamW::new`] panics with this error's message, since a setting in code is the
    /// programmer's; a setting that comes from a user is checked before it gets there, with
    /// this method or where it enters (as the lessons' recipes check their flags).
    pub fn validate(&self) -> Result<(), OptimError> {
        let c = self;
        check_adam_settings("AdamW", c.lr, c.betas, c.eps, c.weight_decay)
    }
}

/// AdamW (Loshchilov & Hutter, 2019), PyTorch's `optim.AdamW`. As [`crate::Adam`], except
/// that the weight decay shrinks the weight directly instead of being added to the
/// gradient, where Adam's denominator would rescale it:
///
/// ```text
/// w ← w − η·λ·w                      decoupled weight decay
/// m ← β₁·m + (1 − β₁)·∇
/// v ← β₂·v + (1 − β₂)·∇²
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// w ← w − η·m̂ / (√v̂ + ε)
/// ```
///
/// ```
/// use autograd::Var;
/// use optim::{AdamW, AdamWConfig, Optimizer};
/// use tensor::Tensor;
/// // First step, η = 0.01, λ = 0.1: w = 1·(1 − 0.001) − 0.01·g/|g| = 0.999 − 0.01 = 0.989.
/// let w = Var::param(Tensor::scalar(1.0));
/// let config = AdamWConfig { lr: 0.01, weight_decay: 0.1, ..AdamWConfig::default() };
/// let mut opt = AdamW::new(vec![w.clone()], config);
/// w.mul_scalar(3.0).backward();
/// opt.step();
/// assert!((w.value().item() - 0.989).abs() < 1e-6);
/// ```
pub struct AdamW {
    params: Vec<Var>,
    config: AdamWConfig,
    /// Per parameter: the first moment `m`.
    m: Vec<Tensor>,
    /// Per parameter: the second moment `v`.
    v: Vec<Tensor>,
    /// Per parameter: the number of steps `t` it has taken.
    t: Vec<i32>,
}

impl AdamW {
    /// AdamW over `params` with `config`.
    ///
    /// Panics, naming the hyperparameter and its range, if [`AdamWConfig::validate`] refuses
    /// `config`.
    pub fn new(params: Vec<Var>, config: AdamWConfig) -> AdamW {
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
        AdamW {
            params,
            config,
            m,
            v,
            t,
        }
    }

    /// The hyperparameters.
    pub fn config(&self) -> &AdamWConfig {
        &self.config
    }
}

impl Optimizer for AdamW {
    fn lr(&self) -> f32 {
        self.config.lr
    }

    fn set_lr(&mut self, lr: f32) {
        let config = AdamWConfig { lr, ..self.config };
        if let Err(e) = config.validate() {
            panic!("{e}");
        }
        self.config = config;
    }

    fn step(&mut self) {
        let AdamWConfig {
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
            for (i, &g) in grad.data().iter().enumerate() {
                w[i] -= lr * lambda * w[i];
                m[i] = beta1 * m[i] + (1.0 - beta1) * g;
                v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
                let m_hat = m[i] / bias1;
                let v_hat = v[i] / bias2;
                w[i] -= lr * m_hat / (v_hat.sqrt() + eps);
            }
        }
    }

    fn params(&self) -> &[Var] {
        &self.params
    }
}
