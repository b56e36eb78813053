//! # Exercise 10 — the backward rule of max pooling
//!
//! Lesson: [6 — A first CNN](../docs/lessons/06-first-cnn.md), "The gradients".
//!
//! Max pooling keeps the largest input of each window:
//! `y[n, c, oy, ox] = max over (ki, kj) of x[n, c, oy·sh − pt + ki, ox·sw − pl + kj]`,
//! over the window positions that fall inside the image (padding never wins). Only the
//! winner affects the output, so the output's gradient goes to the winner alone:
//!
//! ```text
//! ∂L/∂x[n, c, iy, ix] = Σ of g[n, c, oy, ox] over the windows (oy, ox) that (iy, ix) won
//! ```
//!
//! (windows that overlap can have the same winner: their gradients add up). On ties, the
//! first largest input in row-major order wins, as in the course and PyTorch.
//!
//! Write the rule: for every window, find its winner in `x` and add the window's `g` there.
//! `window.geometry("max_pool2d", h, w)` resolves the window against an `h×w` image; its
//! `input_row(oy, ki)` and `input_col(ox, kj)` give the input row and column that window
//! position `(oy, ox)` sees at `(ki, kj)`, or `None` in the padding. `Tensor::at(&[n, c, y,
//! x])` reads an element and `Tensor::set` writes one.
//!
//! # Shapes
//! `g: [N, C, oh, ow]`, `x: [N, C, H, W]` → `∂L/∂x: [N, C, H, W]`.
//!
//! # Graded by
//! The gradient check of a max-pooling op built on your rule, on 64 random images of
//! distinct values (no ties) and five windows (2×2 stride 2, 3×3 stride 1 padded, 2×2
//! stride 1, 3×3 stride 2 padded, "same"), then PyTorch's gradients in
//! `golden/max_pool2d.safetensors`. The course's own rule is `max_pool2d_backward` in
//! `crates/tensor/src/pool.rs`, which keeps the winners' positions from the forward pass.

use tensor::{Tensor, Window2d};

/// `∂L/∂x` for `y = max_pool2d(x, window)`, from `g = ∂L/∂y` and the input `x`.
pub fn max_pool2d_backward(g: &Tensor, x: &Tensor, window: Window2d) -> Tensor {
    todo!()
}
