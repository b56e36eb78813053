//! Evaluation without recording: PyTorch's `with torch.no_grad():`, made explicit.
//!
//! An op records itself only if one of its inputs requires a gradient (see
//! [`Var::from_op`]). Inputs never do, so switching the model's parameters off for the
//! duration of a call is enough for nothing to be recorded. The parameters are named at
//! the call site; there is no hidden global switch.

use crate::var::Var;

/// Restores each parameter's `requires_grad` flag when dropped, even on a panic.
struct Restore<'a> {
    params: &'a [Var],
    flags: Vec<bool>,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        for (p, &on) in self.params.iter().zip(&self.flags) {
            p.set_requires_grad(on);
        }
    }
}

/// Runs `f` with every one of `params` treated as a constant, so the ops inside build no
/// graph and keep no intermediate values alive; restores the flags afterwards, even if `f`
/// panics. Panics if one of `params` is not a leaf (a weight or an input).
///
/// ```
/// use autograd::{Var, no_grad};
/// use tensor::Tensor;
/// let w = Var::param(Tensor::scalar(2.0));
/// let x = Var::constant(Tensor::scalar(3.0));
/// let y = no_grad(&[w.clone()], || x.mul(&w));
/// assert!(!y.requires_grad() && y.is_leaf());
/// assert!(w.requires_grad());
/// ```
pub fn no_grad<R>(params: &[Var], f: impl FnOnce() -> R) -> R {
    // Checked before any flag changes: a computed value has no flag of its own to switch
    // off, and failing half-way would leave `Restore` a flag it cannot put back.
    for p in params {
        assert!(
            p.is_leaf(),
            "no_grad: parameters must be leaves, got a value computed by `{}`",
            p.op()
        );
    }
    let flags = params.iter().map(Var::requires_grad).collect();
    let _restore = Restore { params, flags };
    for p in params {
        p.set_requires_grad(false);
    }
    f()
}
