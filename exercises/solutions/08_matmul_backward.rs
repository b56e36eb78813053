//! # Exercise 8 — the backward rule of a matrix product, for both inputs
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 1.
//!
//! For `Y = A·B` with `A: [m, k]` and `B: [k, n]`, each `Y[i, j] = Σ_p A[i, p]·B[p, j]`.
//! An entry `A[i, p]` meets every `B[p, j]` of row `p`, and `B[p, j]` every `A[i, p]` of
//! column `p`:
//!
//! ```text
//! ∂L/∂A[i, p] = Σ_j G[i, j]·B[p, j]   i.e.   dA = G·Bᵀ    [m, n]·[n, k] → [m, k]
//! ∂L/∂B[p, j] = Σ_i A[i, p]·G[i, j]   i.e.   dB = Aᵀ·G    [k, m]·[m, n] → [k, n]
//! ```
//!
//! with `G = ∂L/∂Y: [m, n]`. Check the shapes: they tell you where each transpose goes.
//!
//! Write the rule. `Tensor::matmul` multiplies, `Tensor::t` transposes a matrix, and
//! `Tensor::matmul_t(Transpose::Yes, …)` reads an operand transposed without copying it.
//!
//! # Shapes
//! `g: [m, n]`, `a: [m, k]`, `b: [k, n]` → `(dA: [m, k], dB: [k, n])`.
//!
//! # Graded by
//! The gradient check of a matrix-product op built on your rule, on 128 random sizes (1 to
//! 4 per side, so most are not square and a missing transpose cannot hide). The course's own
//! rule is `Var::matmul` in `crates/autograd/src/ops/matmul.rs`.

use tensor::Tensor;

/// `(∂L/∂A, ∂L/∂B)` for `Y = A·B`, from `g = ∂L/∂Y`.
pub fn matmul_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    // BEGIN SOLUTION
    (g.matmul(&b.t()), a.t().matmul(g))
    // END SOLUTION
}
