//! Max pooling on both cores: the maxima and argmax indices of
//! [`max_pool2d_naive`](crate::pool::max_pool2d_naive), each plane in parallel, each window
//! clipped to the image once and scanned without a branch.

use std::ops::Range;

use rayon::prelude::*;

use crate::window::Geometry;

/// The maxima of `planes` planes of `hw` values each (`x: [planes, H, W]` flat) and the flat
/// index into `x` of each winner, planes in parallel.
pub fn max_pool2d(x: &[f32], planes: usize, hw: usize, g: &Geometry) -> (Vec<f32>, Vec<usize>) {
    let l = g.out_h * g.out_w;
    let (mut y, mut argmax) = (vec![0.0; planes * l], vec![0; planes * l]);
    y.par_chunks_mut(l.max(1))
        .zip(argmax.par_chunks_mut(l.max(1)))
        .enumerate()
        .for_each(|(p, (y_p, arg_p))| {
            pool_plane(&x[p * hw..(p + 1) * hw], g, y_p, arg_p);
            // Indices within the plane become indices into the whole input.
            arg_p.iter_mut().for_each(|i| *i += p * hw);
        });
    (y, argmax)
}

/// The input indices `o·s − pad + k` for `k < kernel` that lie inside `0..input`.
fn window_span(o: usize, s: usize, kernel: usize, pad: usize, input: usize) -> Range<usize> {
    let start = (o * s).saturating_sub(pad);
    let end = (o * s + kernel).saturating_sub(pad).min(input);
    start..end.max(start)
}

/// One plane, fast: each window's rows and columns inside the image are worked out once, so
/// the inner loop is a plain scan of a row slice with no test for padding, and the running
/// maximum is kept with selects rather than branches (random activations make a branch
/// mispredict about every other element). Same scan order and tie rule as
/// [`pool_plane_naive`](crate::pool::pool_plane_naive): the window's first element, then only strictly larger ones.
pub fn pool_plane(plane: &[f32], g: &Geometry, y_p: &mut [f32], arg_p: &mut [usize]) {
    for oy in 0..g.out_h {
        let rows = window_span(oy, g.sh, g.kh, g.pad_top, g.in_h);
        for ox in 0..g.out_w {
            let cols = window_span(ox, g.sw, g.kw, g.pad_left, g.in_w);
            // Every window holds an element of the image (the caller checked the padding).
            let first = rows.start * g.in_w + cols.start;
            let (mut best_i, mut best_v) = (first, plane[first]);
            for iy in rows.clone() {
                let row = &plane[iy * g.in_w..(iy + 1) * g.in_w];
                for ix in cols.clone() {
                    let better = row[ix] > best_v;
                    best_v = if better { row[ix] } else { best_v };
                    best_i = if better { iy * g.in_w + ix } else { best_i };
                }
            }
            y_p[oy * g.out_w + ox] = best_v;
            arg_p[oy * g.out_w + ox] = best_i;
        }
    }
}
