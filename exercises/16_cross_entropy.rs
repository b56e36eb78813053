//! # Exercise 16 — cross-entropy on logits, computed stably
//!
//! Lesson: [5 — All ten digits with an MLP](../docs/lessons/05-mnist-mlp.md), "The loss and
//! its gradient".
//!
//! For logits `z: [N, C]` (raw scores, one row per example) and true classes `k: [N]`,
//! PyTorch's `nn.CrossEntropyLoss()` is
//!
//! ```text
//! L = −(1/N) Σ_n log_softmax(z_n)[k_n],     log_softmax(z)_k = z_k − ln Σ_j e^(z_j)
//! ```
//!
//! `e^z` overflows `f32` for `z > 88`, so compute `ln Σ_j e^(z_j)` as `m + ln Σ_j e^(z_j − m)`
//! with `m = max_j z_j`: every exponent is then ≤ 0, and the result is the same.
//!
//! Write the loss's value.
//!
//! # Shapes
//! `logits: [N, C]`, `classes`: `N` indices in `0..C` → a number.
//!
//! # Graded by
//! PyTorch's loss in `golden/losses.safetensors` (case `cross_entropy`), the course's
//! `optim::cross_entropy` on 128 random cases, and logits of ±1000. The course's loss is
//! `cross_entropy` in `crates/optim/src/losses/cross_entropy.rs`.

use tensor::Tensor;

/// The mean cross-entropy of `logits: [N, C]` for the true classes `classes: [N]`.
pub fn cross_entropy(logits: &Tensor, classes: &[usize]) -> f32 {
    todo!()
}
