//! # Exercise 2 — a naive matrix product
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 1.
//!
//! A layer's forward pass over a batch is one matrix product. With `A: [m, k]` and
//! `B: [k, n]`, each entry of `C = A·B` is a dot product of a row of `A` and a column of `B`:
//!
//! ```text
//! C[i, j] = Σ_p A[i, p] · B[p, j]      for i < m, j < n, p < k
//! ```
//!
//! The matrices are stored *row-major*, as every tensor in the course: `A[i, p]` is
//! `a[i * k + p]`, `B[p, j]` is `b[p * n + j]` and `C[i, j]` is `c[i * n + j]`.
//!
//! Write the triple loop.
//!
//! # Shapes
//! `a: m·k` numbers, `b: k·n` numbers → `c: m·n` numbers.
//!
//! # Graded by
//! Comparison with the course's `matmul_naive` in `crates/tensor/src/matmul.rs` on 128
//! random sizes (1 to 5 per side, mostly not square) and values. `Tensor::matmul` computes
//! the same sum with a blocked, multi-threaded GEMM (`crates/tensor/src/kernels/gemm.rs`).

/// `C = A·B` for row-major `a: [m, k]` and `b: [k, n]`, returned row-major `[m, n]`.
pub fn matmul(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    todo!()
}
