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

/// `dx[argmax[i]] += dy[i]` for `planes` planes of `hw` inputs, where the winners of plane
/// `p`'s outputs lie in plane `p` (as [`max_pool2d`] makes them): the plain loop of
/// [`max_pool2d_backward`](crate::pool::max_pool2d_backward), each plane in parallel and
/// its adds in the same order, so the same bits.
pub fn route_back(dy: &[f32], argmax: &[usize], planes: usize, hw: usize) -> Vec<f32> {
    let l = dy.len() / planes.max(1);
    let mut dx = vec![0.0; planes * hw];
    dx.par_chunks_mut(hw.max(1))
        .zip(dy.par_chunks(l.max(1)).zip(argmax.par_chunks(l.max(1))))
        .enumerate()
        .for_each(|(p, (dx_p, (dy_p, arg_p)))| {
            for (&i, &g) in arg_p.iter().zip(dy_p) {
                dx_p[i - p * hw] += g;
            }
        });
    dx
}

/// The input indices `o·s − pad + k` for `k < kernel` that lie inside `0..input`.
fn window_span(o: usize, s: usize, kernel: usize, pad: usize, input: usize) -> Range<usize> {
    let start = (o * s).saturating_sub(pad);
    let end = (o * s + kernel).saturating_sub(pad).min(input);
    start..end.max(start)
}

/// The maximum of the 2×2 block whose top left is `first` in rows of `w`, and its index:
/// the first element, then each strictly larger one in row order, like the general scan.
fn max_of_2x2(plane: &[f32], first: usize, w: usize) -> (f32, usize) {
    let (mut best_v, mut best_i) = (plane[first], first);
    for i in [first + 1, first + w, first + w + 1] {
        let better = plane[i] > best_v;
        best_v = if better { plane[i] } else { best_v };
        best_i = if better { i } else { best_i };
    }
    (best_v, best_i)
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
            if rows.len() == 2 && cols.len() == 2 {
                // The 2×2 window inside the image (lesson 7's pools): the same scan in
                // the same order, written out.
                let (y, a) = max_of_2x2(plane, first, g.in_w);
                y_p[oy * g.out_w + ox] = y;
                arg_p[oy * g.out_w + ox] = a;
                continue;
            }
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
