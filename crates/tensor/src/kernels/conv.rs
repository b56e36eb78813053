//! The convolution on both cores, by one of three kernels, the same sums as
//! [`conv2d_naive`](crate::conv::conv2d_naive) in other orders (the properties in
//! `tests/properties.rs` check each kernel against it):
//!
//! - [`conv_direct`]: the windows read in place by an AVX2 + FMA micro-kernel, where the CPU
//!   has both (checked at run time) and the convolution is one [`conv_rows::applies`] to;
//! - [`conv_rows`]: the same convolutions elsewhere, by channels-last window rows and the
//!   `gemm` crate (which picks AVX-512, AVX2 or its portable kernel itself);
//! - `im2col` and one wide GEMM per chunk of images ([`im2col_forward`],
//!   [`im2col_backward`]): every other convolution — strides above 1, a first layer of one
//!   channel whose window rows are too short to copy in runs.
//!
//! Measured per layer by `cargo run --release -p tensor --example conv_layers`.

use rayon::prelude::*;

use crate::kernels::chunks::images_per_chunk;
use crate::kernels::gemm::blocked_gemm;
use crate::kernels::im2col::{col2im_strided, im2col_strided};
use crate::kernels::{conv_direct, conv_rows};
use crate::window::Geometry;

/// `y = conv(x, w) + b` by the kernel that takes it (see the module docs).
///
/// # Shapes
/// `x: [N, C, H, W]`, `w: [O, C, kh, kw]`, `b: [O]` as flat slices, `(n, c, o)` their
/// sizes and `g` the window's geometry → `y: [N, O, oh, ow]`. The caller has checked them.
pub fn forward(
    x: &[f32],
    w: &[f32],
    b: Option<&[f32]>,
    (n, c, o): (usize, usize, usize),
    g: &Geometry,
) -> Vec<f32> {
    if !conv_rows::applies(c, g) {
        im2col_forward(x, w, b, (n, c, o), g)
    } else if conv_direct::available() {
        conv_direct::forward(x, w, b, (n, c, o), g)
    } else {
        conv_rows::forward(x, w, b, (n, c, o), g)
    }
}

/// `y = conv(x, w) + b` by `im2col` and one GEMM per chunk of images, chunks in parallel:
/// the path for the convolutions [`conv_rows`] does not take.
///
/// The images of a chunk sit side by side in one `cols: [C·kh·kw, images·L]`, so the GEMM
/// `W·cols → [O, images·L]` is wide enough to run at full speed even when each image has
/// few output positions; the result is then copied into `y` image by image, with the bias
/// added on the way.
///
/// # Shapes
/// As [`forward`].
pub fn im2col_forward(
    x: &[f32],
    w: &[f32],
    b: Option<&[f32]>,
    (n, c, o): (usize, usize, usize),
    g: &Geometry,
) -> Vec<f32> {
    let (ck, l, hw) = (c * g.kh * g.kw, g.out_h * g.out_w, c * g.in_h * g.in_w);
    let per_chunk = images_per_chunk(n, ck * l);
    let mut y = vec![0.0; n * o * l];
    y.par_chunks_mut((per_chunk * o * l).max(1))
        .zip(x.par_chunks((per_chunk * hw).max(1)))
        .for_each(|(y_chunk, x_chunk)| {
            let images = y_chunk.len() / (o * l);
            let ld = images * l;
            let (mut cols, mut y_cols) = (vec![0.0; ck * ld], vec![0.0; o * ld]);
            for (i, x_n) in x_chunk.chunks(hw).enumerate() {
                im2col_strided(x_n, c, g, &mut cols[i * l..], ld);
            }
            // [O, C·kh·kw]·[C·kh·kw, images·L]: row-major strides (ck, 1) and (ld, 1).
            blocked_gemm(w, (ck, 1), &cols, (ld, 1), &mut y_cols, (o, ck, ld), 0.0, 1);
            // y[i, oc, :] = y_cols[oc, i·L .. (i + 1)·L] + b[oc].
            for (i, y_n) in y_chunk.chunks_mut(o * l).enumerate() {
                for (oc, y_no) in y_n.chunks_mut(l).enumerate() {
                    let bias = b.map_or(0.0, |b| b[oc]);
                    let src = &y_cols[oc * ld + i * l..oc * ld + (i + 1) * l];
                    y_no.iter_mut().zip(src).for_each(|(v, s)| *v = s + bias);
                }
            }
        });
    y
}

/// The gradients of a convolution, given `dy = ∂L/∂y` (see
/// [`conv2d_backward`](crate::conv::conv2d_backward) for the formulas), with `∂L/∂x` only if
/// `need_dx`, by the kernel that takes it (see the module docs).
///
/// # Shapes
/// `x`, `w`, `dy` flat, as in [`forward`] → `(dx, dw, db)` flat, shaped like `x`, `w` and
/// `[O]`.
pub fn backward(
    x: &[f32],
    w: &[f32],
    dy: &[f32],
    (n, c, o): (usize, usize, usize),
    g: &Geometry,
    need_dx: bool,
) -> (Option<Vec<f32>>, Vec<f32>, Vec<f32>) {
    if !conv_rows::applies(c, g) {
        im2col_backward(x, w, dy, (n, c, o), g, need_dx)
    } else if conv_direct::available() {
        conv_direct::backward(x, w, dy, (n, c, o), g, need_dx)
    } else {
        conv_rows::backward(x, w, dy, (n, c, o), g, need_dx)
    }
}

/// The gradients by `im2col` and `col2im`. As in [`im2col_forward`], a chunk of images is
/// handled by wide GEMMs over its images side by side: `dY: [O, images·L]` gives the chunk's
/// `dw = dY·colsᵀ` and `dcols = Wᵀ·dY`. Each chunk returns its own `(dw, db)`; they are
/// added in chunk order, so the result does not depend on which thread ran which chunk.
///
/// # Shapes
/// As [`backward`].
pub fn im2col_backward(
    x: &[f32],
    w: &[f32],
    dy: &[f32],
    (n, c, o): (usize, usize, usize),
    g: &Geometry,
    need_dx: bool,
) -> (Option<Vec<f32>>, Vec<f32>, Vec<f32>) {
    let (ck, l, hw) = (c * g.kh * g.kw, g.out_h * g.out_w, c * g.in_h * g.in_w);
    let per_chunk = images_per_chunk(n, ck * l);
    let mut dx = vec![0.0; n * hw];
    let partials: Vec<(Vec<f32>, Vec<f32>)> = dx
        .par_chunks_mut((per_chunk * hw).max(1))
        .zip(x.par_chunks((per_chunk * hw).max(1)))
        .zip(dy.par_chunks((per_chunk * o * l).max(1)))
        .map(|((dx_chunk, x_chunk), dy_chunk)| {
            let images = dy_chunk.len() / (o * l);
            let ld = images * l;
            let mut cols = vec![0.0; ck * ld];
            for (i, x_n) in x_chunk.chunks(hw).enumerate() {
                im2col_strided(x_n, c, g, &mut cols[i * l..], ld);
            }
            // dY of the chunk as [O, images·L]: dy_cols[oc, i·L + j] = dy[i, oc, j].
            let mut dy_cols = Vec::with_capacity(o * ld);
            for oc in 0..o {
                for dy_n in dy_chunk.chunks(o * l) {
                    dy_cols.extend_from_slice(&dy_n[oc * l..(oc + 1) * l]);
                }
            }
            // dw = dY·colsᵀ: colsᵀ is read in place with strides (1, ld); dcols = Wᵀ·dY
            // reads W: [O, ck] in place as [ck, O] with strides (1, ck).
            let mut dw = vec![0.0; o * ck];
            blocked_gemm(
                &dy_cols,
                (ld, 1),
                &cols,
                (1, ld),
                &mut dw,
                (o, ld, ck),
                0.0,
                1,
            );
            if need_dx {
                let mut dcols = cols;
                blocked_gemm(
                    w,
                    (1, ck),
                    &dy_cols,
                    (ld, 1),
                    &mut dcols,
                    (ck, o, ld),
                    0.0,
                    1,
                );
                for (i, dx_n) in dx_chunk.chunks_mut(hw).enumerate() {
                    col2im_strided(&dcols[i * l..], c, g, dx_n, ld);
                }
            }
            let db = dy_cols.chunks(ld).map(|row| row.iter().sum()).collect();
            (dw, db)
        })
        .collect();
    let mut dw = vec![0.0; o * ck];
    let mut db = vec![0.0; o];
    for (pw, pb) in &partials {
        dw.iter_mut().zip(pw).for_each(|(a, b)| *a += b);
        db.iter_mut().zip(pb).for_each(|(a, b)| *a += b);
    }
    (need_dx.then_some(dx), dw, db)
}
