//! # Milestone 29 — your own multi-head self-attention trains a vision transformer on MNIST
//!
//! Lesson: [9 — Attention: a small vision transformer](../docs/lessons/09-vit.md), "Attention".
//!
//! Write the attention sub-layer of a transformer block, and the grader builds a small
//! vision transformer around it, trains it and checks its accuracy on MNIST.
//!
//! Every token `x_i` (a row of `D` numbers) is projected three ways, and the projections are
//! cut into `H` heads of `d = D/H` numbers each; each head attends on its own (exercise 27),
//! and the heads' outputs, side by side again, go through one more projection:
//!
//! ```text
//! Q = x·W_qᵀ + b_q,  K = x·W_kᵀ + b_k,  V = x·W_vᵀ + b_v        [B, T, D] each
//! cut into heads                                                 [B, H, T, d] each
//! head = softmax(Q·Kᵀ/√d)·V   for every image and head at once   [B, H, T, d]
//! y = concat(heads)·W_oᵀ + b_o                                   [B, T, D]
//! ```
//!
//! Cutting into heads: the `D` numbers of a token are `H` groups of `d`, so reshape
//! `[B·T, D]` to `[B, T, H, d]`, then `permute(&[0, 2, 1, 3])` to `[B, H, T, d]`, where each
//! head's tokens form a matrix of their own for `matmul_bt` and `matmul`. Going back is the
//! same permutation, then a reshape to `[B·T, D]`. (Reshaping `[B·T, D]` straight to
//! `[B, H, T, d]` compiles and runs, and mixes up tokens and heads.) `layers::Linear` takes
//! rows `[N, D]`, so project `x` as `[B·T, D]`.
//!
//! - `SelfAttention::new(dim, heads, rng)` draws the four projections (`Linear::new(dim,
//!   dim, rng)`) from `rng`.
//! - `forward(x, mode)` computes `y`; `visit_params(f)` lists all four projections'
//!   parameters (prefix their names, e.g. `query.weight`), so that the optimizer trains them.
//!
//! The course's own layer is `layers::MultiHeadAttention` (`crates/layers/src/attention.rs`),
//! which packs `W_q`, `W_k`, `W_v` into one matrix as PyTorch does: read it after yours.
//!
//! # Shapes
//! `x: [B, T, D]` → `y: [B, T, D]`; `heads` divides `D`.
//!
//! # Graded by
//! First the layer on its own, for `D = 8` on `[2, 5, 8]`: the output's shape; each image's
//! output independent of the other images; tokens in reverse order giving the outputs in
//! reverse order (attention has no notion of order: a layer that mixes tokens up fails this);
//! two heads giving another result than one with the same weights; every parameter reached by
//! the gradient. Then the network: a vision transformer (7×7 patches of a 28×28 digit, 16
//! tokens and a class token of width 32, two pre-norm blocks whose attention is yours with 4
//! heads, an MLP of 64), its weights drawn from a generator seeded 1, trained by the grader
//! with Adam and a warm-up–cosine schedule for three epochs over the first 10,000 MNIST
//! training images in batches of 64 (about 10 s on two cores), then `Mode::Eval` on the
//! 10,000 test images: test accuracy ≥ 88% (the course's attention reaches 90 to 92%)
//! (`models::registry::Bar`). MNIST comes from the data folder, as in the lessons
//! (`GRADSCHOOL_DATA`, else the per-user cache; downloaded if missing).

use autograd::Var;
use layers::{Linear, Mode, Module};
use rand::rngs::StdRng;

/// Multi-head self-attention: queries, keys and values all projected from the same tokens.
pub struct SelfAttention {
    /// `W_q`, `W_k`, `W_v`: `D → D` each, the heads' `d` outputs side by side.
    query: Linear,
    key: Linear,
    value: Linear,
    /// `W_o`: the heads' outputs side by side, `D → D`.
    out: Linear,
    /// `H`.
    heads: usize,
}

impl SelfAttention {
    /// Self-attention over tokens of `dim` numbers with `heads` heads (`heads` divides
    /// `dim`), its weights drawn from `rng`.
    pub fn new(dim: usize, heads: usize, rng: &mut StdRng) -> SelfAttention {
        todo!()
    }
}

impl Module for SelfAttention {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        todo!()
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        todo!()
    }

    fn describe(&self) -> String {
        format!("SelfAttention (yours, {} heads)", self.heads)
    }
}
