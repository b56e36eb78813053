//! # Exercise 17 — one step of SGD with momentum, in PyTorch's form
//!
//! Lesson: [6 — A first CNN](../docs/lessons/06-first-cnn.md), "The update".
//!
//! Momentum keeps a running *buffer* `b` of past gradients and steps along it. PyTorch's
//! `optim.SGD(momentum=μ)` (with no dampening, Nesterov or weight decay) does, for each
//! element, with gradient `g`:
//!
//! ```text
//! b ← g              on the first step (there is no buffer yet)
//! b ← μ·b + g        on every later step
//! w ← w − lr·b
//! ```
//!
//! The learning rate stays outside the buffer. (Some texts keep `v ← μ·v + lr·g` and step
//! `w ← w − v`; with a fixed `lr` the steps are the same, but the buffer is not, and the
//! steps differ as soon as `lr` changes during training.)
//!
//! Write one step. The buffer `b` is `None` before the first step; after it, it must hold
//! PyTorch's `b`.
//!
//! # Shapes
//! `w`, `g` and the buffer: the same length.
//!
//! # Graded by
//! PyTorch's three steps in `golden/optimizers.safetensors` (case `sgd_momentum`, lr 0.1,
//! momentum 0.9), then five steps against the course's `optim::Sgd`, the buffer itself
//! included. The course's optimizer is `Sgd` in `crates/optim/src/sgd.rs`.

/// One SGD-with-momentum step on `w` with gradient `g`, learning rate `lr` and momentum `mu`,
/// in PyTorch's form. `b` is the momentum buffer: `None` before the first step.
pub fn sgd_momentum_step(w: &mut [f32], g: &[f32], b: &mut Option<Vec<f32>>, lr: f32, mu: f32) {
    todo!()
}
