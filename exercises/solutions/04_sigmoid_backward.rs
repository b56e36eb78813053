//! # Exercise 4 — the backward rule of the sigmoid
//!
//! Lesson: [1 — Neurons and XOR](../docs/lessons/01-xor.md), "The forward pass".
//!
//! Every op in `crates/autograd/src/ops` computes its value and records a *backward rule*:
//! given `g = ∂L/∂y`, the gradient of the loss with respect to the op's output, return
//! `∂L/∂x` for its input. For `y = σ(x) = 1 / (1 + e^(−x))`, applied element by element, the
//! chain rule gives
//!
//! ```text
//! ∂L/∂x_i = g_i · σ'(x_i),     σ'(x) = σ(x)(1 − σ(x)) = y(1 − y)
//! ```
//!
//! so the rule needs only the output `y`, which the op keeps anyway.
//!
//! Write the rule. `Tensor::zip_map(&other, name, f)` combines two tensors of the same shape
//! element by element; `mul`, `sub` and `map` work too.
//!
//! # Shapes
//! `g` and `y` have the shape of `x` (any shape) → `∂L/∂x` of that shape.
//!
//! # Graded by
//! Your rule becomes the backward function of a sigmoid op (`Var::from_op`), and the
//! course's gradient check (`autograd::gradcheck::check_gradients`) compares the gradient it
//! gives with finite differences on 64 random shapes and values; then it must match
//! PyTorch's gradient in `golden/activations.safetensors`. The course's own rule is
//! `Var::sigmoid` in `crates/autograd/src/ops/activation.rs`.

use tensor::Tensor;

/// `∂L/∂x` for `y = σ(x)`, from `g = ∂L/∂y` and the output `y`.
pub fn sigmoid_backward(g: &Tensor, y: &Tensor) -> Tensor {
    // BEGIN SOLUTION
    g.zip_map(y, "sigmoid_backward", |g, y| g * y * (1.0 - y))
    // END SOLUTION
}
