//! `im2col` and its adjoint `col2im`: copying the windows of an image into the columns of a
//! matrix, so that a convolution becomes one GEMM (see `conv`), and adding them back.
//!
//! The versions here ask [`Geometry::input_row`] and [`Geometry::input_col`] about every
//! single entry: the definition, to read first. The convolution runs the fast versions in
//! [`kernels::im2col`](crate::kernels::im2col), which compute the same matrix a line at a
//! time; the tests check that both agree.

use crate::window::Geometry;

/// Copies the windows of one image `x: [C, H, W]` into `cols: [C·kh·kw, oh·ow]`:
/// `cols[(c·kh + ki)·kw + kj, oy·ow + ox] = x[c, oy·sh − pt + ki, ox·sw − pl + kj]` (0 in padding).
pub fn im2col_naive(x: &[f32], channels: usize, g: &Geometry, cols: &mut [f32]) {
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
                                *v = g
                                    .input_col(ox, kj)
                                    .map_or(0.0, |ix| image[iy * g.in_w + ix]);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The adjoint of [`im2col_naive`]: adds every entry of `cols: [C·kh·kw, oh·ow]` back into the
/// input position it was copied from, `dx: [C, H, W]`. Positions seen by several windows
/// receive the sum, which is exactly the gradient of `im2col`.
pub fn col2im_naive(cols: &[f32], channels: usize, g: &Geometry, dx: &mut [f32]) {
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
                    let Some(iy) = g.input_row(oy, ki) else {
                        continue;
                    };
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
