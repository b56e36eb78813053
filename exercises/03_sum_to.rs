//! # Exercise 3 — `sum_to`: the gradient of a broadcast
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 1.
//!
//! In `z = x·Wᵀ + b` the bias `b: [out]` is broadcast: copied into each of the `N` rows. In
//! the backward pass every copy receives its own gradient, and the one original gets their
//! sum: `∂L/∂b = Σ_rows ∂L/∂z`. In general, a tensor of shape `shape` broadcast to the shape
//! of `g` gets back `g` summed over
//!
//! - every leading axis that `shape` lacks, and
//! - every axis where `shape` has length 1 (keeping that axis, with length 1).
//!
//! ```text
//! g: [2, 3] = [[1, 2, 3],          sum_to(g, [3])    = [5, 7, 9]
//!              [4, 5, 6]]          sum_to(g, [2, 1]) = [[6], [15]]
//!                                  sum_to(g, [])     = 21
//! ```
//!
//! Write `sum_to(g, shape)`. `Tensor::sum_axis(axis, keepdim)` sums over one axis.
//!
//! # Shapes
//! `g: broadcast(shape, S)` → `shape`.
//!
//! # Graded by
//! Comparison with the course's `Tensor::sum_to` in `crates/tensor/src/reduce.rs` on 256
//! random shapes, including scalars and shapes that need no summing.

use tensor::Tensor;

/// `g` summed down to `shape`: over the axes that a broadcast from `shape` stretched.
pub fn sum_to(g: &Tensor, shape: &[usize]) -> Tensor {
    todo!()
}
