//! 2-D max pooling, with the argmax indices its backward pass needs.
//!
//! `y[n, c, oy, ox] = max_{ki, kj} x[n, c, oy·sh − pt + ki, ox·sw − pl + kj]` over the window
//! positions inside the image (padding never wins, as in PyTorch and Keras). The gradient
//! flows only to the element that won: `∂L/∂x[i] = Σ_{outputs whose argmax is i} ∂L/∂y`.

use rayon::prelude::*;

use crate::tensor::Tensor;
use crate::window::Window2d;

/// The result of [`max_pool2d`]: the pooled values and, for each, the flat index into the
/// input's data of the element that was largest (the first one on ties).
#[derive(Clone, Debug, PartialEq)]
pub struct MaxPool {
    /// `[N, C, oh, ow]`: the maxima.
    pub y: Tensor,
    /// One flat input offset per element of `y`.
    pub argmax: Vec<usize>,
}

/// Max pooling of `x: [N, C, H, W]` with `window`, each plane in parallel.
///
/// # Shapes
/// `[N, C, H, W] → [N, C, oh, ow]`.
pub fn max_pool2d(x: &Tensor, window: &Window2d) -> MaxPool {
    let s = x.shape();
    assert_eq!(s.len(), 4, "max_pool2d: expected [N, C, H, W], got {s:?}");
    let g = window.geometry("max_pool2d", s[2], s[3]);
    let (planes, hw, l) = (s[0] * s[1], s[2] * s[3], g.out_h * g.out_w);
    let mut y = vec![0.0; planes * l];
    let mut argmax = vec![0; planes * l];
    y.par_chunks_mut(l.max(1))
        .zip(argmax.par_chunks_mut(l.max(1)))
        .enumerate()
        .for_each(|(p, (y_p, arg_p))| {
            let plane = &x.data()[p * hw..(p + 1) * hw];
            for oy in 0..g.out_h {
                for ox in 0..g.out_w {
                    let mut best = (usize::MAX, f32::NEG_INFINITY);
                    for ki in 0..g.kh {
                        let Some(iy) = g.input_row(oy, ki) else { continue };
                        for kj in 0..g.kw {
                            let Some(ix) = g.input_col(ox, kj) else { continue };
                            let v = plane[iy * g.in_w + ix];
                            if v > best.1 || best.0 == usize::MAX {
                                best = (iy * g.in_w + ix, v);
                            }
                        }
                    }
                    y_p[oy * g.out_w + ox] = best.1;
                    arg_p[oy * g.out_w + ox] = p * hw + best.0;
                }
            }
        });
    MaxPool {
        y: Tensor::from_parts("max_pool2d", y, &[s[0], s[1], g.out_h, g.out_w]),
        argmax,
    }
}

/// Routes `dy` back to the winners: `dx[argmax[i]] += dy[i]`, zero elsewhere.
///
/// # Shapes
/// `dy: [N, C, oh, ow]`, `argmax` one per element of `dy` → `dx` of `input_shape`.
pub fn max_pool2d_backward(dy: &Tensor, argmax: &[usize], input_shape: &[usize]) -> Tensor {
    assert_eq!(
        dy.numel(),
        argmax.len(),
        "max_pool2d_backward: {} gradients for {} pooled positions",
        dy.numel(),
        argmax.len()
    );
    let mut dx = Tensor::zeros(input_shape);
    let d = dx.data_mut();
    for (&i, &g) in argmax.iter().zip(dy.data()) {
        d[i] += g;
    }
    dx
}
