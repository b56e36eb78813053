//! The softmax along the last axis, line by line on both cores, with `e^x` by
//! [`exp_nonpositive`] so that each line's exponentials run several at a time: the plain
//! loops of [`Tensor::softmax_naive`](crate::Tensor::softmax_naive) and
//! [`softmax_backward_naive`](crate::softmax::softmax_backward_naive), for the case
//! attention needs, `[B, H, T, T]` along its last axis.
//!
//! The backward pass does the plain loop's arithmetic in the same order, so it gives the
//! same bits; the forward pass differs from `f32::exp`'s by the fast exponential's few ulp.

use rayon::prelude::*;

use crate::kernels::exp::exp_nonpositive;
use crate::kernels::parallel::{PAR_CHUNK, worth_splitting};

/// Runs `f` on every line of `len` numbers of `out` (with the matching lines of the inputs),
/// in tasks of whole lines of about [`PAR_CHUNK`] numbers when there are many.
fn by_lines(out: &mut [f32], len: usize, f: impl Fn(usize, &mut [f32]) + Sync) {
    if worth_splitting(out.len()) {
        let per_task = (PAR_CHUNK / len).max(1);
        out.par_chunks_mut(per_task * len)
            .enumerate()
            .for_each(|(t, lines)| {
                for (i, line) in lines.chunks_mut(len).enumerate() {
                    f(t * per_task + i, line);
                }
            });
    } else {
        for (i, line) in out.chunks_mut(len).enumerate() {
            f(i, line);
        }
    }
}

/// `y = softmax(x)` along lines of `len` adjacent numbers.
pub fn forward_last(x: &[f32], len: usize) -> Vec<f32> {
    let mut y = vec![0.0; x.len()];
    by_lines(&mut y, len, |i, y| {
        let x = &x[i * len..(i + 1) * len];
        let m = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for (y, &x) in y.iter_mut().zip(x) {
            *y = exp_nonpositive(x - m);
        }
        let sum: f32 = y.iter().sum();
        y.iter_mut().for_each(|y| *y /= sum);
    });
    y
}

/// `∂L/∂x = y·(g − Σ g·y)` along lines of `len` adjacent numbers.
pub fn backward_last(g: &[f32], y: &[f32], len: usize) -> Vec<f32> {
    let mut dx = vec![0.0; y.len()];
    by_lines(&mut dx, len, |i, dx| {
        let (g, y) = (&g[i * len..(i + 1) * len], &y[i * len..(i + 1) * len]);
        let dot: f32 = g.iter().zip(y).map(|(g, y)| g * y).sum();
        for ((dx, &g), &y) in dx.iter_mut().zip(g).zip(y) {
            *dx = y * (g - dot);
        }
    });
    dx
}
