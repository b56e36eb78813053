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
    // BEGIN SOLUTION
    let s = x.shape();
    let (n, c) = (s[0], s[1]);
    let geo = window.geometry("max_pool2d", s[2], s[3]);
    let mut dx = Tensor::zeros(s);
    for ni in 0..n {
        for ci in 0..c {
            for oy in 0..geo.out_h {
                for ox in 0..geo.out_w {
                    // The window's winner: its first largest input inside the image.
                    let mut best: Option<(usize, usize, f32)> = None;
                    for ki in 0..geo.kh {
                        for kj in 0..geo.kw {
                            if let (Some(iy), Some(ix)) =
                                (geo.input_row(oy, ki), geo.input_col(ox, kj))
                            {
                                let v = x.at(&[ni, ci, iy, ix]);
                                if best.is_none_or(|(_, _, b)| v > b) {
                                    best = Some((iy, ix, v));
                                }
                            }
                        }
                    }
                    let (iy, ix, _) = best.expect("every window holds a pixel of the image");
                    let sum = dx.at(&[ni, ci, iy, ix]) + g.at(&[ni, ci, oy, ox]);
                    dx.set(&[ni, ci, iy, ix], sum);
                }
            }
        }
    }
    dx
    // END SOLUTION
}
