//! # Exercise 11 — the input gradient of a convolution
//!
//! Lesson: [6 — A first CNN](../docs/lessons/06-first-cnn.md), "The gradients".
//!
//! A convolution of `x: [N, C, H, W]` with `w: [O, C, kh, kw]` (stride and padding from a
//! `Window2d`) computes
//!
//! ```text
//! y[n, o, oy, ox] = b[o] + Σ_{c, ki, kj} w[o, c, ki, kj] · x[n, c, iy, ix]
//!                   with iy = oy·sh − pt + ki, ix = ox·sw − pl + kj (reads in the padding are 0)
//! ```
//!
//! Each input pixel was multiplied by a weight in every window that saw it, so it receives
//! the output's gradient through each of those products:
//!
//! ```text
//! ∂L/∂x[n, c, iy, ix] = Σ g[n, o, oy, ox] · w[o, c, ki, kj]
//!                       over every (o, oy, ox, ki, kj) whose product read x[n, c, iy, ix]
//! ```
//!
//! Write it as the forward's seven nested loops (batch, output channel, output row and
//! column, input channel, kernel row and column), *adding* each product's share into `dx`
//! instead of into `y`. `window.geometry("conv2d", h, w)` gives `out_h`, `out_w` and
//! `input_row(oy, ki)`, `input_col(ox, kj)` (`None` in the padding); `Tensor::at` and
//! `Tensor::set` read and write one element.
//!
//! # Shapes
//! `g: [N, O, oh, ow]`, `w: [O, C, kh, kw]`, `x_shape = [N, C, H, W]` → `∂L/∂x` of
//! `x_shape`.
//!
//! # Graded by
//! The gradient check of a convolution whose input gradient is your rule (the weight's and
//! bias's are the course's), on 64 random cases with kernels 1–3, strides 1–2 and padding
//! 0–1, then PyTorch's gradients in `golden/conv2d.safetensors`. The direct forward loop is
//! `conv2d_naive` in `crates/tensor/src/conv.rs`; the course computes the same gradient as
//! `col2im(Wᵀ·dY)` (`conv2d_backward` there).

use tensor::{Tensor, Window2d};

/// `∂L/∂x` for `y = conv2d(x, w) + b`, from `g = ∂L/∂y`, the weight and the input's shape.
pub fn conv2d_input_grad(g: &Tensor, w: &Tensor, x_shape: &[usize], window: Window2d) -> Tensor {
    todo!()
}
