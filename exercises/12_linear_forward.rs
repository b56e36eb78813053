//! # Exercise 12 — `Linear::forward`
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 1.
//!
//! A fully connected layer computes, for a batch `x: [N, in]`,
//!
//! ```text
//! z = x·Wᵀ + b
//! ```
//!
//! with the weight stored as `W: [out, in]` (PyTorch's layout: row `j` holds the weights of
//! output unit `j`) and the bias `b: [out]` broadcast over the batch.
//!
//! Write it with `Var` operations, so that autograd records the graph and `backward()` can
//! reach `x`, `W` and `b`. `Var::matmul_bt` computes `a·bᵀ` without copying the transpose;
//! `Var::add` broadcasts.
//!
//! # Shapes
//! `x: [N, in]`, `w: [out, in]`, `b: [out]` → `z: [N, out]`.
//!
//! # Graded by
//! Comparison with `layers::Linear`'s output on the example of its doc and 128 random sizes,
//! then the gradient check of your function (the gradient must reach all three inputs). The
//! course's layer is `Linear` in `crates/layers/src/linear.rs`.

use autograd::Var;

/// `z = x·Wᵀ + b` for `x: [N, in]`, `W: [out, in]`, `b: [out]`.
pub fn linear_forward(x: &Var, w: &Var, b: &Var) -> Var {
    todo!()
}
