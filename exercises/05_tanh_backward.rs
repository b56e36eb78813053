//! # Exercise 5 — the backward rule of tanh
//!
//! Lesson: [3 — MNIST 1 vs 7](../docs/lessons/03-mnist-1-vs-7.md), "The loss and its gradient".
//!
//! The hidden layer of lesson 3 is `tanh`. As for the sigmoid (exercise 4), its derivative is
//! a function of its output, so the backward rule needs only `y = tanh x`:
//!
//! ```text
//! ∂L/∂x_i = g_i · tanh'(x_i),     tanh'(x) = 1 − tanh²(x) = 1 − y²
//! ```
//!
//! Write the rule.
//!
//! # Shapes
//! `g` and `y` have the shape of `x` (any shape) → `∂L/∂x` of that shape.
//!
//! # Graded by
//! The gradient check of a tanh op built on your rule, on 64 random shapes and values, then
//! PyTorch's gradient in `golden/activations.safetensors`. The course's own rule is
//! `Var::tanh` in `crates/autograd/src/ops/activation.rs`.

use tensor::Tensor;

/// `∂L/∂x` for `y = tanh x`, from `g = ∂L/∂y` and the output `y`.
pub fn tanh_backward(g: &Tensor, y: &Tensor) -> Tensor {
    todo!()
}
