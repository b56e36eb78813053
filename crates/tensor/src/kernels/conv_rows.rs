//! The convolution through channels-last windows: one *row* per output position holding the
//! `kh·kw·C` values its window sees, gathered in long contiguous runs, then one GEMM. The
//! same sums as [`conv2d_naive`](crate::conv::conv2d_naive) in another order; the
//! properties in `tests/properties.rs` check the two against each other.
//!
//! # Why rows instead of `im2col`'s columns
//! [`im2col`](super::im2col) builds `cols: [C·kh·kw, L]` from images stored `[C, H, W]`: for
//! each of the `C·kh·kw` window offsets it copies one line of `ow` values per output row.
//! In lesson 7's last layers a line is 7 or 4 values long, so the copy is hundreds of
//! thousands of tiny `memcpy`s per batch and costs as much as the GEMM it feeds.
//!
//! Stored channels-last, `[H, W, C]`, the values a window sees along one of its rows,
//! `(kj, c)` for `kj < kw` and every channel, are *adjacent* in memory: `kw·C` values (320 in
//! lesson 7's last layer) copied at once. So each image is first transposed to `[H, W, C]`
//! (a pass over the image, 25 times smaller than the window data), and
//! `rows: [L, kh·kw·C]` is gathered with `kh` copies per output position:
//!
//! `rows[oy·ow + ox, (ki·kw + kj)·C + c] = x[c, oy·sh + ki − pt, ox·sw + kj − pl]` (0 in the
//! padding).
//!
//! # The three products
//! With `Wr: [kh·kw·C, O]`, the weights reordered to the rows' order,
//! (`Wr[(ki·kw + kj)·C + c, o] = w[o, c, ki, kj]`):
//! - forward: `Yᵀ = rows · Wr`, `[L, O]`, transposed back into `y[o, l]` with the bias;
//! - weights: `∂L/∂Wr = rowsᵀ · dYᵀ`, with `dYᵀ: [L, O]` the gradient channels-last;
//! - input (stride 1): `∂L/∂x` is itself a convolution, of the gradient with the kernel
//!   turned half a turn and its channels swapped:
//!   `dx[c, iy, ix] = Σ_{o, ki, kj} dy[o, iy + pt − ki, ix + pl − kj] · w[o, c, ki, kj]`;
//!   substituting `ki' = kh − 1 − ki` makes it a window over `dy` with padding
//!   `kh − 1 − pt` before, read by the same gather, times
//!   `Wf[(ki'·kw + kj')·O + o, c] = w[o, c, kh − 1 − ki', kw − 1 − kj']`.
//!   Every product has a long inner dimension (`kh·kw·C` or `kh·kw·O`), so the GEMM runs at
//!   full speed; `im2col`'s backward pass instead multiplies over `O` alone and scatters the
//!   result back with `col2im`.
//!
//! Images go in chunks, chunks on both cores, as in [`conv`](super::conv): the chunks are
//! fixed by the shapes, and the weight gradients of the chunks are added in chunk order, so
//! the result does not depend on the number of threads.

use rayon::prelude::*;

use crate::kernels::chunks::images_per_chunk;
use crate::kernels::gemm::blocked_gemm;
use crate::kernels::parallel::{PAR_CHUNK, zeros};
use crate::window::Geometry;

/// Whether this path takes the convolution: stride 1 and less padding than the window (for
/// the input gradient's own convolution, whose padding is `k − 1 − p`), and window rows of at least 8 values (`kw·C`), below which the runs are too
/// short to beat `im2col`'s lines (a first layer, one channel).
pub fn applies(channels: usize, g: &Geometry) -> bool {
    g.sh == 1 && g.sw == 1 && g.pad_top < g.kh && g.pad_left < g.kw && channels * g.kw >= 8
}

/// Where the windows of a gather read: output `(oy, ox)` at offset `(ki, kj)` reads input
/// row `oy + ki − top` and column `ox + kj − left` of a `[in_h, in_w, channels]` image, or 0
/// outside it. Stride 1.
#[derive(Clone, Copy, Debug)]
pub(super) struct Windows {
    pub(super) in_h: usize,
    pub(super) in_w: usize,
    pub(super) channels: usize,
    pub(super) out_h: usize,
    pub(super) out_w: usize,
    pub(super) kh: usize,
    pub(super) kw: usize,
    pub(super) top: usize,
    pub(super) left: usize,
}

impl Windows {
    /// The forward convolution's windows over its input.
    pub(super) fn of_input(g: &Geometry, channels: usize) -> Windows {
        Windows {
            in_h: g.in_h,
            in_w: g.in_w,
            channels,
            out_h: g.out_h,
            out_w: g.out_w,
            kh: g.kh,
            kw: g.kw,
            top: g.pad_top,
            left: g.pad_left,
        }
    }

    /// The windows over the output gradient `[out_h, out_w, O]` whose sums are the input
    /// gradient (see the module docs): padding `k − 1 − p` before, one output per input pixel.
    pub(super) fn of_output_gradient(g: &Geometry, outputs: usize) -> Windows {
        Windows {
            in_h: g.out_h,
            in_w: g.out_w,
            channels: outputs,
            out_h: g.in_h,
            out_w: g.in_w,
            kh: g.kh,
            kw: g.kw,
            top: g.kh - 1 - g.pad_top,
            left: g.kw - 1 - g.pad_left,
        }
    }

    /// Values per row: `kh·kw·channels`.
    pub(super) fn row_len(&self) -> usize {
        self.kh * self.kw * self.channels
    }

    /// Rows per image: one per output position.
    pub(super) fn rows(&self) -> usize {
        self.out_h * self.out_w
    }
}

/// Appends to `rows` the window rows of one channels-last image `x: [in_h, in_w, C]`:
/// `[out_h·out_w, kh·kw·C]`, each row ordered `(ki, kj, c)`. Per output position and window
/// row `ki`, the image's part is one run of up to `kw·C` adjacent values, with zeros for the
/// padding on either side.
fn gather(x: &[f32], win: &Windows, rows: &mut Vec<f32>) {
    let c = win.channels;
    let zeros = |rows: &mut Vec<f32>, count: usize| rows.resize(rows.len() + count, 0.0);
    for oy in 0..win.out_h {
        for ox in 0..win.out_w {
            for ki in 0..win.kh {
                let Some(iy) = (oy + ki).checked_sub(win.top).filter(|&y| y < win.in_h) else {
                    zeros(rows, win.kw * c);
                    continue;
                };
                // The offsets kj whose column ox + kj − left lies in [0, in_w).
                let lo = win.left.saturating_sub(ox).min(win.kw);
                let hi = (win.in_w + win.left).saturating_sub(ox).clamp(lo, win.kw);
                zeros(rows, lo * c);
                let start = (iy * win.in_w + ox + lo - win.left) * c;
                rows.extend_from_slice(&x[start..start + (hi - lo) * c]);
                zeros(rows, (win.kw - hi) * c);
            }
        }
    }
}

/// `dst[p·channels + ch] = src[ch·plane + p]`: one image `[C, H·W]` made channels-last,
/// `[H·W, C]`.
pub(super) fn to_channels_last(src: &[f32], channels: usize, dst: &mut [f32]) {
    let plane = src.len() / channels;
    for (p, pixel) in dst.chunks_mut(channels).enumerate() {
        for (ch, v) in pixel.iter_mut().enumerate() {
            *v = src[ch * plane + p];
        }
    }
}

/// `dst[ch·plane + p] = src[p·channels + ch] + bias[ch]`: one image back from channels-last
/// `[H·W, C]` to `[C, H·W]`, adding a bias per channel if given.
pub(super) fn to_channels_first(
    src: &[f32],
    channels: usize,
    bias: Option<&[f32]>,
    dst: &mut [f32],
) {
    let plane = src.len() / channels;
    for (ch, line) in dst.chunks_mut(plane).enumerate() {
        let add = bias.map_or(0.0, |b| b[ch]);
        for (p, v) in line.iter_mut().enumerate() {
            *v = src[p * channels + ch] + add;
        }
    }
}

/// The rows of every image of a chunk `x: [images, C, H, W]` one under the other:
/// `[images·L, kh·kw·C]`.
fn gather_chunk(x: &[f32], win: &Windows) -> Vec<f32> {
    let image = win.channels * win.in_h * win.in_w;
    let images = x.len() / image;
    let mut rows = Vec::with_capacity(images * win.rows() * win.row_len());
    let mut last = vec![0.0; image];
    for x_n in x.chunks(image) {
        to_channels_last(x_n, win.channels, &mut last);
        gather(&last, win, &mut rows);
    }
    rows
}

/// `Wr[(ki·kw + kj)·C + c, o] = w[o, c, ki, kj]`: the weights `[O, C, kh, kw]` as
/// `[kh·kw·C, O]`, in the rows' order.
pub(super) fn weights_by_row(w: &[f32], (c, o): (usize, usize), g: &Geometry) -> Vec<f32> {
    // Written in order (the reads stride through `w`), so no write misses the cache.
    let kk = g.kh * g.kw;
    let mut wr = Vec::with_capacity(w.len());
    for tap in 0..kk {
        for ch in 0..c {
            wr.extend((0..o).map(|oc| w[(oc * c + ch) * kk + tap]));
        }
    }
    wr
}

/// `Wf[(ki·kw + kj)·O + o, c] = w[o, c, kh − 1 − ki, kw − 1 − kj]`: the kernel turned half
/// a turn with its channels swapped, `[kh·kw·O, C]`, for the input gradient.
pub(super) fn weights_turned(w: &[f32], (c, o): (usize, usize), g: &Geometry) -> Vec<f32> {
    // Tap ki·kw + kj of the turned kernel is tap kk − 1 − (ki·kw + kj) of the kernel.
    let kk = g.kh * g.kw;
    let mut wf = Vec::with_capacity(w.len());
    for tap in (0..kk).rev() {
        for oc in 0..o {
            wf.extend((0..c).map(|ch| w[(oc * c + ch) * kk + tap]));
        }
    }
    wf
}

/// `y = conv(x, w) + b` for a convolution that [`applies`]: rows, `Yᵀ = rows·Wr`, back to
/// channels first with the bias.
///
/// # Shapes
/// As [`conv::forward`](super::conv::forward): `x: [N, C, H, W]`, `w: [O, C, kh, kw]`,
/// `b: [O]` flat → `y: [N, O, oh, ow]`.
pub fn forward(
    x: &[f32],
    w: &[f32],
    b: Option<&[f32]>,
    (n, c, o): (usize, usize, usize),
    g: &Geometry,
) -> Vec<f32> {
    let win = Windows::of_input(g, c);
    let (k, l, hw) = (win.row_len(), win.rows(), c * g.in_h * g.in_w);
    let wr = weights_by_row(w, (c, o), g);
    let per_chunk = images_per_chunk(n, k * l);
    let mut y = vec![0.0; n * o * l];
    y.par_chunks_mut((per_chunk * o * l).max(1))
        .zip(x.par_chunks((per_chunk * hw).max(1)))
        .for_each(|(y_chunk, x_chunk)| {
            let rows = gather_chunk(x_chunk, &win);
            let m = rows.len() / k;
            let mut yt = vec![0.0; m * o];
            // [images·L, K]·[K, O], both row-major.
            blocked_gemm(&rows, (k, 1), &wr, (o, 1), &mut yt, (m, k, o), 0.0, 1);
            for (y_n, yt_n) in y_chunk.chunks_mut(o * l).zip(yt.chunks(l * o)) {
                to_channels_first(yt_n, o, b, y_n);
            }
        });
    y
}

/// The gradients of a convolution that [`applies`], given `dy = ∂L/∂y`, with `∂L/∂x` only if
/// `need_dx` (see the module docs for the three products). Each chunk returns its own
/// `(∂L/∂Wr, db)`; they are added in chunk order.
///
/// # Shapes
/// As [`conv::backward`](super::conv::backward).
pub fn backward(
    x: &[f32],
    w: &[f32],
    dy: &[f32],
    (n, c, o): (usize, usize, usize),
    g: &Geometry,
    need_dx: bool,
) -> (Option<Vec<f32>>, Vec<f32>, Vec<f32>) {
    let win = Windows::of_input(g, c);
    let back = Windows::of_output_gradient(g, o);
    let (k, l, hw) = (win.row_len(), win.rows(), c * g.in_h * g.in_w);
    let wf = need_dx.then(|| weights_turned(w, (c, o), g));
    let per_chunk = images_per_chunk(n, (k * l).max(back.row_len() * back.rows()));
    let mut dx = vec![0.0; if need_dx { n * hw } else { 0 }];
    let work = |x_chunk: &[f32], dy_chunk: &[f32], dx_chunk: Option<&mut [f32]>| {
        let rows = gather_chunk(x_chunk, &win);
        let m = rows.len() / k;
        // dYᵀ of the chunk, [images·L, O].
        let mut dyt = vec![0.0; m * o];
        for (dy_n, dyt_n) in dy_chunk.chunks(o * l).zip(dyt.chunks_mut(l * o)) {
            to_channels_last(dy_n, o, dyt_n);
        }
        // ∂L/∂Wr = rowsᵀ·dYᵀ: rows read in place as [K, images·L] with strides (1, K).
        let mut dwr = vec![0.0; k * o];
        blocked_gemm(&rows, (1, k), &dyt, (o, 1), &mut dwr, (k, m, o), 0.0, 1);
        let mut db = vec![0.0; o];
        for row in dyt.chunks(o) {
            db.iter_mut().zip(row).for_each(|(s, v)| *s += v);
        }
        if let (Some(dx_chunk), Some(wf)) = (dx_chunk, &wf) {
            drop(rows);
            let grad_rows = gather_chunk_last(&dyt, &back);
            let (kb, mb) = (back.row_len(), grad_rows.len() / back.row_len());
            let mut dxt = vec![0.0; mb * c];
            blocked_gemm(
                &grad_rows,
                (kb, 1),
                wf,
                (c, 1),
                &mut dxt,
                (mb, kb, c),
                0.0,
                1,
            );
            for (dx_n, dxt_n) in dx_chunk.chunks_mut(hw).zip(dxt.chunks(hw)) {
                to_channels_first(dxt_n, c, None, dx_n);
            }
        }
        (dwr, db)
    };
    let (dw, db) = sum_chunks(
        &by_chunk(x, dy, &mut dx, (per_chunk, hw, o * l), need_dx, work),
        (c, o),
        g,
    );
    (need_dx.then_some(dx), dw, db)
}

/// Runs `work(x_chunk, dy_chunk, dx_chunk)` for every chunk of `per_chunk` images, chunks
/// on both cores, with the chunk of `dx` to write when `need_dx` (`dx` is empty
/// otherwise), and returns the results in chunk order. `image` and `out_image` are the
/// values per image of `x` and of `dy`.
pub(super) fn by_chunk<R: Send>(
    x: &[f32],
    dy: &[f32],
    dx: &mut [f32],
    (per_chunk, image, out_image): (usize, usize, usize),
    need_dx: bool,
    work: impl Fn(&[f32], &[f32], Option<&mut [f32]>) -> R + Sync,
) -> Vec<R> {
    let x_chunks = x.par_chunks((per_chunk * image).max(1));
    let dy_chunks = dy.par_chunks((per_chunk * out_image).max(1));
    if need_dx {
        x_chunks
            .zip(dy_chunks)
            .zip(dx.par_chunks_mut((per_chunk * image).max(1)))
            .map(|((xc, dyc), dxc)| work(xc, dyc, Some(dxc)))
            .collect()
    } else {
        x_chunks
            .zip(dy_chunks)
            .map(|(xc, dyc)| work(xc, dyc, None))
            .collect()
    }
}

/// The chunks' `(∂L/∂Wr, db)` added in chunk order: `db`, and
/// `dw[o, c, ki, kj] = Σ_chunks ∂L/∂Wr[(ki·kw + kj)·C + c, o]` back in the weights' order
/// `[O, C, kh, kw]`, on both cores. Each sum starts at 0 and adds the chunks in order
/// whatever the threads, so the same bits.
pub(super) fn sum_chunks(
    partials: &[(Vec<f32>, Vec<f32>)],
    (c, o): (usize, usize),
    g: &Geometry,
) -> (Vec<f32>, Vec<f32>) {
    let kk = g.kh * g.kw;
    let mut db = vec![0.0; o];
    for (_, pb) in partials {
        db.iter_mut().zip(pb).for_each(|(a, b)| *a += b);
    }
    // The sums first, along the partials' own order (contiguous, vectorised), ...
    let mut dwr = zeros(o * c * kk);
    dwr.par_chunks_mut(PAR_CHUNK)
        .enumerate()
        .for_each(|(i, sum)| {
            for (pw, _) in partials {
                let part = &pw[i * PAR_CHUNK..i * PAR_CHUNK + sum.len()];
                sum.iter_mut().zip(part).for_each(|(s, v)| *s += v);
            }
        });
    // ... then the reordering, output channels on both cores.
    let mut dw = zeros(o * c * kk);
    dw.par_chunks_mut(c * kk)
        .enumerate()
        .for_each(|(oc, dw_o)| {
            for ch in 0..c {
                for tap in 0..kk {
                    dw_o[ch * kk + tap] = dwr[(tap * c + ch) * o + oc];
                }
            }
        });
    (dw, db)
}

/// [`gather_chunk`] for images already channels-last, `[images, H, W, C]`.
fn gather_chunk_last(x: &[f32], win: &Windows) -> Vec<f32> {
    let image = win.channels * win.in_h * win.in_w;
    let mut rows = Vec::with_capacity(x.len() / image * win.rows() * win.row_len());
    for x_n in x.chunks(image) {
        gather(x_n, win, &mut rows);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::im2col::im2col_naive;
    use crate::window::Window2d;

    #[test]
    fn rows_are_im2col_columns_reordered() {
        // rows[l, (ki·kw + kj)·C + c] = cols[(c·kh + ki)·kw + kj, l] for every window, with
        // an odd "same" padding (one more row and column after the image than before).
        let (c, h, w) = (3, 5, 4);
        let x: Vec<f32> = (0..c * h * w).map(|v| v as f32 + 1.0).collect();
        let g = Window2d::same(4, 1).geometry("t", h, w);
        let win = Windows::of_input(&g, c);
        let rows = gather_chunk(&x, &win);
        let l = g.out_h * g.out_w;
        let mut cols = vec![0.0; c * 16 * l];
        im2col_naive(&x, c, &g, &mut cols);
        assert_eq!(rows.len(), cols.len());
        for p in 0..l {
            for ch in 0..c {
                for kk in 0..16 {
                    assert_eq!(rows[p * c * 16 + kk * c + ch], cols[(ch * 16 + kk) * l + p]);
                }
            }
        }
    }

    #[test]
    fn the_transposes_undo_each_other() {
        let x: Vec<f32> = (0..24).map(|v| v as f32).collect();
        let mut last = vec![0.0; 24];
        to_channels_last(&x, 4, &mut last);
        // Pixel 1, channel 2 of [4, 6] sits at 2·6 + 1 = 13 first and at 1·4 + 2 = 6 last.
        assert_eq!(last[6], 13.0);
        let mut back = vec![0.0; 24];
        to_channels_first(&last, 4, None, &mut back);
        assert_eq!(back, x);
    }
}
