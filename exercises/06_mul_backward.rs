//! # Exercise 6 — the product rule, with broadcasting
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 1.
//!
//! `y = a ⊙ b` multiplies element by element, after broadcasting `a` and `b` to a common
//! shape (exercise 1). Element by element the product rule gives `∂y/∂a = b` and
//! `∂y/∂b = a`, so
//!
//! ```text
//! ∂L/∂a = sum_to(g ⊙ b, shape of a)      ∂L/∂b = sum_to(g ⊙ a, shape of b)
//! ```
//!
//! where `g = ∂L/∂y` has the broadcast shape, and `sum_to` (exercise 3) adds up the
//! gradients of the copies that broadcasting made of an input.
//!
//! Write the rule. `Tensor::mul` broadcasts; `Tensor::sum_to` is the course's `sum_to`.
//!
//! # Shapes
//! `a`, `b` any shapes that broadcast together; `g` their broadcast shape →
//! `(∂L/∂a, ∂L/∂b)` shaped like `a` and `b`.
//!
//! # Graded by
//! The gradient check of a multiplication op built on your rule, on 128 random pairs of
//! shapes (rows against matrices, columns, scalars, `[1, m]` against `[n, 1]`, 3-D) and
//! values. The course's own rule is `Var::mul` in `crates/autograd/src/ops/arith.rs`.

use tensor::Tensor;

/// `(∂L/∂a, ∂L/∂b)` for `y = a ⊙ b` (broadcast), from `g = ∂L/∂y`.
pub fn mul_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    todo!()
}
