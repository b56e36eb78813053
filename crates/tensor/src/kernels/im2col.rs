//! `im2col` and `col2im` a line at a time: the same matrices as
//! [`im2col_naive`] and [`col2im_naive`], which ask about every single entry.
//!
//! For each window offset `(ki, kj)` the range of outputs that land inside the image is
//! worked out once ([`Geometry::valid_rows`], [`Geometry::valid_cols`]); the padding is
//! filled with one `fill`, and each line of the image is copied with one `copy_from_slice`
//! (stride 1) or one strided loop. Every entry of `cols` is written once and no branch runs
//! per entry.

#[cfg(doc)]
use crate::im2col::{col2im_naive, im2col_naive};
use crate::window::Geometry;

/// Copies the windows of one image `x: [C, H, W]` into `cols: [C·kh·kw, oh·ow]`, like
/// [`im2col_naive`] but a line at a time.
pub fn im2col(x: &[f32], channels: usize, g: &Geometry, cols: &mut [f32]) {
    let l = g.out_h * g.out_w;
    assert!(
        x.len() == channels * g.in_h * g.in_w && cols.len() == channels * g.kh * g.kw * l,
        "im2col: buffers of {} and {} values do not fit {channels} channels and {g:?}",
        x.len(),
        cols.len()
    );
    im2col_strided(x, channels, g, cols, l);
}

/// The adjoint of [`im2col`], like [`col2im_naive`] but a line at a time: adds every entry of
/// `cols: [C·kh·kw, oh·ow]` into the input position it came from in `dx: [C, H, W]`.
pub fn col2im(cols: &[f32], channels: usize, g: &Geometry, dx: &mut [f32]) {
    let l = g.out_h * g.out_w;
    assert!(
        dx.len() == channels * g.in_h * g.in_w && cols.len() == channels * g.kh * g.kw * l,
        "col2im: buffers of {} and {} values do not fit {channels} channels and {g:?}",
        cols.len(),
        dx.len()
    );
    col2im_strided(cols, channels, g, dx, l);
}

/// [`im2col`] into a wider matrix: row `r` of this image's columns starts at `cols[r·ld]`.
/// A chunk of images side by side, `[C·kh·kw, images·L]`, has `ld = images·L`, and image `i`
/// starts at column `i·L`.
pub(crate) fn im2col_strided(
    x: &[f32],
    channels: usize,
    g: &Geometry,
    cols: &mut [f32],
    ld: usize,
) {
    let (l, ow) = (g.out_h * g.out_w, g.out_w);
    for c in 0..channels {
        let image = &x[c * g.in_h * g.in_w..(c + 1) * g.in_h * g.in_w];
        for ki in 0..g.kh {
            let rows = g.valid_rows(ki);
            for kj in 0..g.kw {
                let xs = g.valid_cols(kj);
                let row = (c * g.kh + ki) * g.kw + kj;
                let dst = &mut cols[row * ld..row * ld + l];
                for oy in 0..g.out_h {
                    let line = &mut dst[oy * ow..(oy + 1) * ow];
                    if !rows.contains(&oy) || xs.is_empty() {
                        line.fill(0.0);
                        continue;
                    }
                    let iy = oy * g.sh + ki - g.pad_top;
                    // The first input column read, by output column xs.start.
                    let ix0 = xs.start * g.sw + kj - g.pad_left;
                    let src = &image[iy * g.in_w..(iy + 1) * g.in_w];
                    line[..xs.start].fill(0.0);
                    line[xs.end..].fill(0.0);
                    let inside = &mut line[xs.clone()];
                    if g.sw == 1 {
                        inside.copy_from_slice(&src[ix0..ix0 + inside.len()]);
                    } else {
                        for (i, v) in inside.iter_mut().enumerate() {
                            *v = src[ix0 + i * g.sw];
                        }
                    }
                }
            }
        }
    }
}

/// [`col2im`] from a wider matrix whose rows start every `ld` values (see [`im2col_strided`]).
pub(crate) fn col2im_strided(
    cols: &[f32],
    channels: usize,
    g: &Geometry,
    dx: &mut [f32],
    ld: usize,
) {
    let (l, ow) = (g.out_h * g.out_w, g.out_w);
    for c in 0..channels {
        let image = &mut dx[c * g.in_h * g.in_w..(c + 1) * g.in_h * g.in_w];
        for ki in 0..g.kh {
            let rows = g.valid_rows(ki);
            for kj in 0..g.kw {
                let xs = g.valid_cols(kj);
                let row = (c * g.kh + ki) * g.kw + kj;
                let src = &cols[row * ld..row * ld + l];
                if xs.is_empty() {
                    continue;
                }
                for oy in rows.clone() {
                    let iy = oy * g.sh + ki - g.pad_top;
                    let ix0 = xs.start * g.sw + kj - g.pad_left;
                    let line = &src[oy * ow + xs.start..oy * ow + xs.end];
                    let dst = &mut image[iy * g.in_w..(iy + 1) * g.in_w];
                    if g.sw == 1 {
                        let dst = &mut dst[ix0..ix0 + line.len()];
                        dst.iter_mut().zip(line).for_each(|(d, v)| *d += v);
                    } else {
                        for (i, v) in line.iter().enumerate() {
                            dst[ix0 + i * g.sw] += v;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::im2col::{col2im_naive, im2col_naive};
    use crate::window::Window2d;

    #[test]
    fn fast_and_naive_versions_agree() {
        // Every mix of kernel, stride and padding (explicit and "same", even and odd) on a
        // 2-channel 7×6 image of distinct values: im2col must copy the same numbers, and
        // col2im must add them back to the same places (exact: each sum has the same order).
        let (c, h, w) = (2, 7, 6);
        let x: Vec<f32> = (0..c * h * w).map(|i| i as f32 + 1.0).collect();
        let mut windows = vec![
            Window2d::same(5, 1),
            Window2d::same(2, 2),
            Window2d::same(3, 2),
        ];
        for (k, s, p) in [
            (3, 1, 1),
            (2, 2, 0),
            (3, 2, 1),
            (5, 1, 2),
            (1, 1, 0),
            (3, 3, 1),
        ] {
            windows.push(Window2d::square(k, s, p));
        }
        for window in windows {
            let g = window.geometry("t", h, w);
            let n = c * g.kh * g.kw * g.out_h * g.out_w;
            let (mut fast, mut naive) = (vec![f32::NAN; n], vec![f32::NAN; n]);
            im2col(&x, c, &g, &mut fast);
            im2col_naive(&x, c, &g, &mut naive);
            assert_eq!(fast, naive, "im2col with {window:?}");
            let (mut dx_fast, mut dx_naive) = (vec![0.5; x.len()], vec![0.5; x.len()]);
            col2im(&fast, c, &g, &mut dx_fast);
            col2im_naive(&fast, c, &g, &mut dx_naive);
            assert_eq!(dx_fast, dx_naive, "col2im with {window:?}");
        }
    }
}
