//! Dropout: during training, zero random activations so that no unit can rely on another.

use std::cell::RefCell;

use autograd::Var;
use rand::{SeedableRng, rngs::StdRng};

use crate::module::{Mode, Module};

/// Inverted dropout. In [`Mode::Train`] each element is zeroed with probability `p` and the
/// survivors are scaled by `1/(1 − p)`:
/// `a = x ⊙ m / (1 − p)` with `m_i ~ Bernoulli(1 − p)`, so `E[a] = x`. In [`Mode::Eval`] it
/// passes its input through unchanged. No parameters.
///
/// The layer owns its random-number generator, seeded at construction, so a run is
/// reproducible without any global state; each training pass draws a fresh mask.
///
/// # Shapes
/// Any shape, unchanged.
///
/// ```
/// use autograd::Var;
/// use layers::{Dropout, Mode, Module};
/// use tensor::Tensor;
/// let dropout = Dropout::new(0.5, 42);
/// let x = Var::constant(Tensor::ones(&[1, 1000]));
/// // Training: about half the units are zero, the rest are 1/(1 − 0.5) = 2.
/// let a = dropout.forward(&x, Mode::Train);
/// assert!(a.value().data().iter().all(|&v| v == 0.0 || v == 2.0));
/// // Evaluation: the identity.
/// assert_eq!(dropout.forward(&x, Mode::Eval).value().data(), x.value().data());
/// ```
#[derive(Debug)]
pub struct Dropout {
    p: f32,
    rng: RefCell<StdRng>,
}

impl Dropout {
    /// Dropout with drop probability `p`, its masks drawn from a generator seeded with
    /// `seed`.
    ///
    /// Panics unless `0 ≤ p < 1` (at `p = 1` nothing would survive to be rescaled): a rate
    /// in code is a programmer's choice, as in [`Var::dropout`], which checks the same
    /// range. A rate typed by a user is checked where it enters, before it gets here.
    pub fn new(p: f32, seed: u64) -> Dropout {
        assert!(
            (0.0..1.0).contains(&p),
            "Dropout::new: p must be in [0, 1), got {p}"
        );
        Dropout {
            p,
            rng: RefCell::new(StdRng::seed_from_u64(seed)),
        }
    }

    /// The drop probability `p`.
    pub fn p(&self) -> f32 {
        self.p
    }
}

impl Module for Dropout {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        x.dropout(self.p, mode == Mode::Train, &mut *self.rng.borrow_mut())
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        format!("Dropout(p = {})", self.p)
    }
}
