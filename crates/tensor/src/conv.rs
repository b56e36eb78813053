//! 2-D convolution as a matrix product: `im2col`, its adjoint `col2im`, and the forward
//! and backward kernels of a convolution layer.
//!
//! A convolution of `x: [N, C, H, W]` with `w: [O, C, kh, kw]` gives
//! `y[n, o, oy, ox] = b[o] + Σ_{c, ki, kj} w[o, c, ki, kj] · x[n, c, oy·sh − pt + ki, ox·sw − pl + kj]`
//! (reads in the padding are 0; like PyTorch this is a cross-correlation, the kernel is not
//! flipped). Copying, for each output position `l = oy·ow + ox`, the `C·kh·kw` input values it
//! sees into column `l` of a matrix `cols: [C·kh·kw, L]` (that is `im2col`) turns the sum into
//! one GEMM per image: `Y_n = W · cols_n` with `W` viewed as `[O, C·kh·kw]`.
//!
//! [`conv2d_naive`] is the direct nested loop to read first; the tests check the GEMM path
//! against it.

use rayon::prelude::*;

use crate::matmul::{Transpose, gemm};
use crate::tensor::Tensor;
use crate::window::{Geometry, Window2d};

/// Copies the windows of one image `x: [C, H, W]` into `cols: [C·kh·kw, oh·ow]`:
/// `cols[(c·kh + ki)·kw + kj, oy·ow + ox] = x[c, oy·sh − pt + ki, ox·sw − pl + kj]` (0 in padding).
pub fn im2col(x: &[f32], channels: usize, g: &Geometry, cols: &mut [f32]) {
    let l = g.out_h * g.out_w;
    assert!(
        x.len() == channels * g.in_h * g.in_w && cols.len() == channels * g.kh * g.kw * l,
        "im2col: buffers of {} and {} values do not fit {channels} channels and {g:?}",
        x.len(),
        cols.len()
    );
    for c in 0..channels {
        let image = &x[c * g.in_h * g.in_w..(c + 1) * g.in_h * g.in_w];
        for ki in 0..g.kh {
            for kj in 0..g.kw {
                let row = (c * g.kh + ki) * g.kw + kj;
                let dst = &mut cols[row * l..(row + 1) * l];
                for oy in 0..g.out_h {
                    let line = &mut dst[oy * g.out_w..(oy + 1) * g.out_w];
                    match g.input_row(oy, ki) {
                        None => line.fill(0.0),
                        Some(iy) => {
                            for (ox, v) in line.iter_mut().enumerate() {
                                *v = g.input_col(ox, kj).map_or(0.0, |ix| image[iy * g.in_w + ix]);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The adjoint of [`im2col`]: adds every entry of `cols: [C·kh·kw, oh·ow]` back into the
/// input position it was copied from, `dx: [C, H, W]`. Positions seen by several windows
/// receive the sum, which is exactly the gradient of `im2col`.
pub fn col2im(cols: &[f32], channels: usize, g: &Geometry, dx: &mut [f32]) {
    let l = g.out_h * g.out_w;
    assert!(
        dx.len() == channels * g.in_h * g.in_w && cols.len() == channels * g.kh * g.kw * l,
        "col2im: buffers of {} and {} values do not fit {channels} channels and {g:?}",
        cols.len(),
        dx.len()
    );
    for c in 0..channels {
        let image = &mut dx[c * g.in_h * g.in_w..(c + 1) * g.in_h * g.in_w];
        for ki in 0..g.kh {
            for kj in 0..g.kw {
                let row = (c * g.kh + ki) * g.kw + kj;
                let src = &cols[row * l..(row + 1) * l];
                for oy in 0..g.out_h {
                    let Some(iy) = g.input_row(oy, ki) else { continue };
                    for ox in 0..g.out_w {
                        if let Some(ix) = g.input_col(ox, kj) {
                            image[iy * g.in_w + ix] += src[oy * g.out_w + ox];
                        }
                    }
                }
            }
        }
    }
}

/// Checks the shapes of a convolution and resolves its geometry: `(N, C, O, geometry)`.
fn conv_dims(x: &Tensor, w: &Tensor, window: &Window2d) -> (usize, usize, usize, Geometry) {
    let (xs, ws) = (x.shape(), w.shape());
    assert!(
        xs.len() == 4 && ws.len() == 4 && xs[1] == ws[1] && (ws[2], ws[3]) == window.kernel,
        "conv2d: input {xs:?} and weight {ws:?} do not fit (expected [N, C, H, W] and \
         [O, C, {}, {}])",
        window.kernel.0,
        window.kernel.1
    );
    (xs[0], xs[1], ws[0], window.geometry("conv2d", xs[2], xs[3]))
}

/// Images are split into this many chunks for the two cores; a fixed number (not one per
/// thread) keeps every sum in the same order on every run, so results are reproducible.
const CHUNKS: usize = 8;

/// `y = conv(x, w) + b` by `im2col` and one GEMM per image, images in parallel.
///
/// # Shapes
/// `x: [N, C, H, W]`, `w: [O, C, kh, kw]`, `b: [O] → y: [N, O, oh, ow]`.
pub fn conv2d(x: &Tensor, w: &Tensor, b: Option<&Tensor>, window: &Window2d) -> Tensor {
    let (n, c, o, g) = conv_dims(x, w, window);
    if let Some(b) = b {
        assert_eq!(b.shape(), &[o], "conv2d: bias {:?} does not fit {o} output channels", b.shape());
    }
    let (ck, l, hw) = (c * g.kh * g.kw, g.out_h * g.out_w, c * g.in_h * g.in_w);
    let mut y = vec![0.0; n * o * l];
    y.par_chunks_mut(o * l)
        .zip(x.data().par_chunks(hw.max(1)))
        .for_each_init(
            || vec![0.0; ck * l],
            |cols, (y_n, x_n)| {
                im2col(x_n, c, &g, cols);
                gemm(w.data(), Transpose::No, cols, Transpose::No, y_n, (o, ck, l), 0.0);
                if let Some(b) = b {
                    for (row, &bias) in y_n.chunks_mut(l).zip(b.data()) {
                        row.iter_mut().for_each(|v| *v += bias);
                    }
                }
            },
        );
    Tensor::from_parts("conv2d", y, &[n, o, g.out_h, g.out_w])
}

/// The gradients of `L` through `y = conv(x, w) + b`, given `dy = ∂L/∂y`:
/// - `∂L/∂w = Σ_n dY_n · cols_nᵀ` (as `[O, C·kh·kw]`),
/// - `∂L/∂x_n = col2im(Wᵀ · dY_n)`,
/// - `∂L/∂b[o] = Σ_{n, l} dY_n[o, l]`.
///
/// # Shapes
/// `x: [N, C, H, W]`, `w: [O, C, kh, kw]`, `dy: [N, O, oh, ow] → (dx, dw, db)` shaped like
/// `x`, `w` and `[O]`.
pub fn conv2d_backward(x: &Tensor, w: &Tensor, dy: &Tensor, window: &Window2d) -> (Tensor, Tensor, Tensor) {
    let (n, c, o, g) = conv_dims(x, w, window);
    assert_eq!(
        dy.shape(),
        &[n, o, g.out_h, g.out_w],
        "conv2d_backward: gradient {:?} does not match the output of input {:?} and weight {:?}",
        dy.shape(),
        x.shape(),
        w.shape()
    );
    let (ck, l, hw) = (c * g.kh * g.kw, g.out_h * g.out_w, c * g.in_h * g.in_w);
    let mut dx = vec![0.0; n * hw];
    let per_chunk = n.div_ceil(CHUNKS).max(1);
    // Each chunk of images returns its own (dw, db); they are added in chunk order below.
    let partials: Vec<(Vec<f32>, Vec<f32>)> = dx
        .par_chunks_mut((per_chunk * hw).max(1))
        .zip(x.data().par_chunks((per_chunk * hw).max(1)))
        .zip(dy.data().par_chunks((per_chunk * o * l).max(1)))
        .map(|((dx_chunk, x_chunk), dy_chunk)| {
            let mut dw = vec![0.0; o * ck];
            let mut db = vec![0.0; o];
            let mut cols = vec![0.0; ck * l];
            let mut dcols = vec![0.0; ck * l];
            for ((dx_n, x_n), dy_n) in dx_chunk
                .chunks_mut(hw.max(1))
                .zip(x_chunk.chunks(hw.max(1)))
                .zip(dy_chunk.chunks(o * l))
            {
                im2col(x_n, c, &g, &mut cols);
                gemm(dy_n, Transpose::No, &cols, Transpose::Yes, &mut dw, (o, l, ck), 1.0);
                gemm(w.data(), Transpose::Yes, dy_n, Transpose::No, &mut dcols, (ck, o, l), 0.0);
                col2im(&dcols, c, &g, dx_n);
                for (bias_grad, row) in db.iter_mut().zip(dy_n.chunks(l)) {
                    *bias_grad += row.iter().sum::<f32>();
                }
            }
            (dw, db)
        })
        .collect();
    let mut dw = vec![0.0; o * ck];
    let mut db = vec![0.0; o];
    for (pw, pb) in &partials {
        dw.iter_mut().zip(pw).for_each(|(a, b)| *a += b);
        db.iter_mut().zip(pb).for_each(|(a, b)| *a += b);
    }
    (
        Tensor::from_parts("conv2d_backward", dx, x.shape()),
        Tensor::from_parts("conv2d_backward", dw, w.shape()),
        Tensor::from_parts("conv2d_backward", db, &[o]),
    )
}

/// The direct definition of convolution as six nested loops, to read first and to test
/// the fast path against.
///
/// # Shapes
/// As [`conv2d`].
pub fn conv2d_naive(x: &Tensor, w: &Tensor, b: Option<&Tensor>, window: &Window2d) -> Tensor {
    let (n, c, o, g) = conv_dims(x, w, window);
    let mut y = Tensor::zeros(&[n, o, g.out_h, g.out_w]);
    for ni in 0..n {
        for oi in 0..o {
            for oy in 0..g.out_h {
                for ox in 0..g.out_w {
                    let mut sum = b.map_or(0.0, |b| b.data()[oi]);
                    for ci in 0..c {
                        for ki in 0..g.kh {
                            for kj in 0..g.kw {
                                if let (Some(iy), Some(ix)) = (g.input_row(oy, ki), g.input_col(ox, kj)) {
                                    sum += w.at(&[oi, ci, ki, kj]) * x.at(&[ni, ci, iy, ix]);
                                }
                            }
                        }
                    }
                    y.set(&[ni, oi, oy, ox], sum);
                }
            }
        }
    }
    y
}
