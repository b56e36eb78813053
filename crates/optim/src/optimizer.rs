//! The `Optimizer` trait: what a training loop needs from any optimizer.

use autograd::Var;

/// Something that updates parameters from their gradients.
///
/// A training step reads `opt.zero_grad(); loss.backward(); opt.step();`: forget the old
/// gradients, compute new ones, move the parameters. A parameter that received no gradient
/// (it did not take part in the loss) is left alone by `step`.
pub trait Optimizer {
    /// Updates every parameter that has a gradient, in place.
    fn step(&mut self);

    /// The parameters being optimized.
    fn params(&self) -> &[Var];

    /// The learning rate the next step uses.
    fn lr(&self) -> f32;

    /// Changes the learning rate from the next step on, keeping the optimizer's state
    /// (momentum, running averages), as setting `param_groups[0]["lr"]` does in PyTorch: how
    /// a learning-rate schedule ([`crate::WarmupCosine`]) drives it, step by step. Panics, like
    /// the optimizer's `new`, on a negative or non-finite `lr`.
    fn set_lr(&mut self, lr: f32);

    /// Forgets every parameter's gradient, so the next `backward()` starts from zero
    /// (gradients otherwise add up across `backward()` calls).
    fn zero_grad(&self) {
        for p in self.params() {
            p.zero_grad();
        }
    }
}
