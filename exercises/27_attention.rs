//! # Exercise 27 — scaled dot-product attention
//!
//! Lesson: [9 — Attention: a small vision transformer](../docs/lessons/09-vit.md), "Attention".
//!
//! Each token asks a question (its query `q`), each token offers a label (its key `k`) and
//! a content (its value `v`). A query's output is the average of all the values, weighted by
//! how well its question matches each label:
//!
//! ```text
//! scores = Q·Kᵀ/√d          [T, d]·[d, S] → [T, S]   (scores[i, j] = q_i·k_j/√d)
//! A = softmax(scores)        along the last axis: row i sums to 1
//! out = A·V                  [T, S]·[S, e] → [T, e]
//! ```
//!
//! The `1/√d` keeps the scores' variance near 1 when the entries of `q` and `k` have
//! variance 1 (a dot product of `d` such products has variance `d`), so the softmax does not
//! saturate into a one-hot that passes no gradient.
//!
//! Write it with `Var` operations, for any number of leading axes (a transformer's heads
//! are `[B, H, T, d]`): `Var::matmul_bt` multiplies by the transpose of its argument without
//! copying it, `Var::mul_scalar` scales, `Var::softmax(axis)` and `Var::matmul` do the rest;
//! all of them work on batches of matrices.
//!
//! # Shapes
//! `q: [..., T, d]`, `k: [..., S, d]`, `v: [..., S, e]` (the same leading axes) →
//! `out: [..., T, e]`.
//!
//! # Graded by
//! Comparison with the course's `layers::scaled_dot_product_attention` on the example of its
//! doc (one query against two keys, output `[1, 6]`) and on 128 random shapes (none to two
//! leading axes, T and S 1 to 5, d and e 1 to 4), naming a missing `√d` or a softmax along
//! the wrong axis; then the gradient check of your function (the gradient must reach `q`,
//! `k` and `v`). The course's code is in `crates/layers/src/attention.rs`.

use autograd::Var;

/// `softmax(Q·Kᵀ/√d)·V` along the last axis, for `q: [..., T, d]`, `k: [..., S, d]`,
/// `v: [..., S, e]`.
pub fn attention(q: &Var, k: &Var, v: &Var) -> Var {
    todo!()
}
