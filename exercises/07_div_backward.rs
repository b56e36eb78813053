//! # Exercise 7 — the quotient rule, with broadcasting
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 1.
//!
//! For `y = a / b` (broadcast, element by element), `∂y/∂a = 1/b` and `∂y/∂b = −a/b²`, so
//!
//! ```text
//! ∂L/∂a = sum_to(g / b, shape of a)      ∂L/∂b = sum_to(−g ⊙ a / b², shape of b)
//! ```
//!
//! with `g = ∂L/∂y` in the broadcast shape (see exercise 6 for why `sum_to`).
//!
//! Write the rule. `Tensor::div`, `mul`, `neg` and `square` broadcast or work element-wise.
//!
//! # Shapes
//! `a`, `b` any shapes that broadcast together; `g` their broadcast shape →
//! `(∂L/∂a, ∂L/∂b)` shaped like `a` and `b`.
//!
//! # Graded by
//! The gradient check of a division op built on your rule, on 128 random pairs of shapes and
//! values with `1 ≤ |b| < 2`. The course's own rule is `Var::div` in
//! `crates/autograd/src/ops/arith.rs`.

use tensor::Tensor;

/// `(∂L/∂a, ∂L/∂b)` for `y = a / b` (broadcast), from `g = ∂L/∂y`.
pub fn div_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    todo!()
}
