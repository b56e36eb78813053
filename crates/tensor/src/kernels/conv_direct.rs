//! The convolution with nothing materialised: an AVX2 + FMA micro-kernel that reads the
//! windows where they lie. The same products as [`conv_rows`](super::conv_rows), which is
//! this kernel's reference (and the path on CPUs without AVX2 and FMA); the properties in
//! `tests/properties.rs` check both against the nested loops.
//!
//! # The idea
//! `conv_rows` copies every window into a row (`kh·kw·C` values per output position, 25 times
//! the image), then the GEMM copies the rows once more into its packed panels before
//! multiplying. Both copies only rearrange memory the micro-kernel could read in place: in
//! an image stored channels-last with its padding written out as zeros,
//! `[out_h + kh − 1, out_w + kw − 1, C]`, window row `ki` of output `(oy, ox)` is the run of
//! `kw·C` adjacent values starting at `((oy + ki)·Wp + ox)·C`, inside the image for every
//! window, so without a single test for the border.
//!
//! A tile of 6 output positions × 16 output channels lives in 12 AVX registers of 8 lanes.
//! For every `k` of the window, the kernel broadcasts the 6 positions' input values, loads
//! 16 weights and does 12 fused multiply-adds: the shape of the GEMM micro-kernel of the
//! `gemm` crate, with the window's runs as its left matrix. The weights are laid out as
//! panels of 16 output channels, `[O/16][K][16]`, read in order.
//!
//! - forward: the tile `y[p..p+6, o..o+16] = Σ_k x_window[p, k]·Wr[k, o..o+16]`;
//! - input gradient (stride 1): the same kernel over the output gradient, padded by
//!   `k − 1 − p`, with the turned weights (see [`conv_rows`](super::conv_rows));
//! - weight gradient: a tile `∂L/∂Wr[k..k+6, o..o+16] = Σ_p x_window[p, k]·dYᵀ[p, o..o+16]`
//!   summed over the positions of a chunk of images, in order.
//!
//! Every sum runs over `k` (or `p`) in one fixed order, and chunks of images are fixed by the
//! shapes, so the result does not depend on the number of threads. The sums are in another
//! order than the GEMM's, so the two paths agree to rounding, not bit for bit.

use rayon::prelude::*;

use crate::kernels::chunks::images_per_chunk;
use crate::kernels::conv_rows::{Windows, by_chunk, sum_chunks, weights_by_row, weights_turned};
use crate::kernels::parallel::zeros;
use crate::window::Geometry;

/// Output positions per tile.
const MR: usize = 6;
/// Output channels per tile: two AVX registers of 8 lanes.
const NR: usize = 16;

/// Whether this CPU can run the kernel: x86-64 with AVX2 and FMA, checked at run time.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Values in one padded image: `(out_h + kh − 1)·(out_w + kw − 1)·C`.
fn padded_len(win: &Windows) -> usize {
    (win.out_h + win.kh - 1) * (win.out_w + win.kw - 1) * win.channels
}

/// The images `[images, C, in_h, in_w]` of a chunk (channels first, as tensors are stored)
/// made channels-last with their padding written out, one after the other:
/// `[images, out_h + kh − 1, out_w + kw − 1, C]`, where padded row `r` of an image is its
/// input row `r − top` (zeros outside the image), and the same for columns.
fn padded_chunk(x: &[f32], win: &Windows) -> Vec<f32> {
    let (c, plane) = (win.channels, win.in_h * win.in_w);
    let wp = win.out_w + win.kw - 1;
    let hp = win.out_h + win.kh - 1;
    let mut out = vec![0.0; x.len() / (c * plane) * padded_len(win)];
    for (x_n, out_n) in x.chunks(c * plane).zip(out.chunks_mut(padded_len(win))) {
        for iy in (0..win.in_h).filter(|iy| iy + win.top < hp) {
            for ix in (0..win.in_w).filter(|ix| ix + win.left < wp) {
                let at = ((iy + win.top) * wp + ix + win.left) * c;
                for (ch, v) in out_n[at..at + c].iter_mut().enumerate() {
                    *v = x_n[ch * plane + iy * win.in_w + ix];
                }
            }
        }
    }
    out
}

/// Appends one line of a panel: the values `at(col)` of columns `j·NR .. (j + 1)·NR`, zero
/// past the `n` columns there are.
fn panel_line(out: &mut Vec<f32>, j: usize, n: usize, at: impl Fn(usize) -> f32) {
    out.extend((j * NR..(j + 1) * NR).map(|col| if col < n { at(col) } else { 0.0 }));
}

/// A row-major `[K, N]` matrix as panels of [`NR`] columns, `[⌈N/NR⌉][K][NR]`, the
/// columns past `N` zero: how the micro-kernels read the weights.
fn panels(m: &[f32], n: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(n.div_ceil(NR) * m.len() / n * NR);
    for j in 0..n.div_ceil(NR) {
        for row in m.chunks(n) {
            panel_line(&mut out, j, n, |col| row[col]);
        }
    }
    out
}

/// The weights `[O, C, kh, kw]` as panels of `Wr` (see
/// [`weights_by_row`](super::conv_rows::weights_by_row)), for the forward pass.
fn weight_panels(w: &[f32], (c, o): (usize, usize), g: &Geometry) -> Vec<f32> {
    panels(&weights_by_row(w, (c, o), g), o)
}

/// The turned weights as panels of `Wf` (see
/// [`weights_turned`](super::conv_rows::weights_turned)), for the input gradient.
fn turned_weight_panels(w: &[f32], (c, o): (usize, usize), g: &Geometry) -> Vec<f32> {
    panels(&weights_turned(w, (c, o), g), c)
}

/// The output gradient `dy: [images, O, L]` of a chunk, channels-last as panels,
/// `[⌈O/NR⌉][images·L][NR]`, for the weight gradient.
fn gradient_panels(dy: &[f32], o: usize, l: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(o.div_ceil(NR) * dy.len() / o * NR);
    for j in 0..o.div_ceil(NR) {
        for dy_n in dy.chunks(o * l) {
            for q in 0..l {
                panel_line(&mut out, j, o, |oc| dy_n[oc * l + q]);
            }
        }
    }
    out
}

/// The windows' products for the padded images `xp` of a chunk (see [`padded_chunk`]):
/// writes `out[i, col, q] = bias[col] + Σ_k window(i, q)[k]·wr[k, col]` for output position
/// `q` of image `i`, channels first (`[images, N, L]`, as tensors are stored), for the `N`
/// columns of the panels `wp` ([`weight_panels`]). Tiles of 6 positions run on across
/// images, so that a small image (16 positions in lesson 7's last layer) wastes no rows.
fn windows_times_panels(
    xp: &[f32],
    win: &Windows,
    (wp, n): (&[f32], usize),
    bias: Option<&[f32]>,
    out: &mut [f32],
) {
    let (c, l) = (win.channels, win.out_h * win.out_w);
    let pw = win.out_w + win.kw - 1;
    let (run, k) = (win.kw * c, win.kh * win.kw * c);
    let images = xp.len() / padded_len(win);
    let positions = images * l;
    assert!(
        xp.len() == images * padded_len(win)
            && wp.len() == n.div_ceil(NR) * k * NR
            && out.len() == positions * n,
        "conv_direct: buffers do not fit {win:?}"
    );
    let start = |p: usize| {
        let (i, q) = (p / l, p % l);
        i * padded_len(win) + (q / win.out_w * pw + q % win.out_w) * c
    };
    let mut tile = [0.0f32; MR * NR];
    for (j, panel) in wp.chunks(k * NR).enumerate() {
        let width = NR.min(n - j * NR);
        for p0 in (0..positions).step_by(MR) {
            let rows = MR.min(positions - p0);
            // Rows past the last position repeat it; their results are dropped.
            let starts: [usize; MR] = std::array::from_fn(|r| start(p0 + r.min(rows - 1)));
            // SAFETY: `available()` was checked by the caller. The largest index read from
            // `xp` is starts[r] + (kh − 1)·pw·c + run − 1: the last window row of output
            // (oy, ox) of image i ends at i·padded_len + ((oy + kh − 1)·pw + ox + kw)·c, at
            // most (i + 1)·padded_len ≤ xp.len() (the assert above); `panel` holds k·NR
            // values.
            #[allow(unsafe_code)]
            unsafe {
                tile_6x16(xp, starts, (win.kh, pw * c, run), panel, &mut tile);
            }
            for r in 0..rows {
                let (i, q) = ((p0 + r) / l, (p0 + r) % l);
                let line = &mut out[i * n * l + q..];
                for (t, col) in (j * NR..j * NR + width).enumerate() {
                    line[col * l] = tile[r * NR + t] + bias.map_or(0.0, |b| b[col]);
                }
            }
        }
    }
}

/// Writes the 6 × 2 accumulator registers of a tile into `tile`, row by row.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn store_tile(acc: &[[std::arch::x86_64::__m256; 2]; MR], tile: &mut [f32; MR * NR]) {
    use std::arch::x86_64::_mm256_storeu_ps;
    for (row, pair) in tile.chunks_exact_mut(NR).zip(acc) {
        let (low, high) = row.split_at_mut(8);
        // SAFETY: each half of a row holds the 8 values one register stores.
        #[allow(unsafe_code)]
        unsafe {
            _mm256_storeu_ps(low.as_mut_ptr(), pair[0]);
            _mm256_storeu_ps(high.as_mut_ptr(), pair[1]);
        }
    }
}

/// `tile[r, 0..16] = Σ_{s < spans} Σ_{t < run} a[starts[r] + s·stride + t] · b[(s·run + t)·16 + 0..16]`:
/// 6 rows of windows, each `spans` runs of `run` adjacent values `stride` apart, times a
/// panel of 16 columns.
///
/// # Safety
/// The CPU has AVX2 and FMA; `starts[r] + (spans − 1)·stride + run ≤ a.len()` for every `r`;
/// `b.len() ≥ spans·run·16`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[allow(unsafe_code)]
unsafe fn tile_6x16(
    a: &[f32],
    starts: [usize; MR],
    (spans, stride, run): (usize, usize, usize),
    b: &[f32],
    tile: &mut [f32; MR * NR],
) {
    use std::arch::x86_64::*;
    debug_assert!(
        starts
            .iter()
            .all(|&s| s + (spans - 1) * stride + run <= a.len())
    );
    debug_assert!(b.len() >= spans * run * NR);
    let mut acc = [[_mm256_setzero_ps(); 2]; MR];
    let mut bp = b.as_ptr();
    for s in 0..spans {
        let rows: [*const f32; MR] =
            std::array::from_fn(|r| unsafe { a.as_ptr().add(starts[r] + s * stride) });
        // Two steps of k per turn (run is even when C is), so the loop's own counting and
        // branching is paid once per 24 multiply-adds.
        let mut t = 0;
        while t + 2 <= run {
            let (b0, b1, b2, b3) = unsafe {
                (
                    _mm256_loadu_ps(bp),
                    _mm256_loadu_ps(bp.add(8)),
                    _mm256_loadu_ps(bp.add(16)),
                    _mm256_loadu_ps(bp.add(24)),
                )
            };
            bp = unsafe { bp.add(2 * NR) };
            for r in 0..MR {
                let x = unsafe { _mm256_broadcast_ss(&*rows[r].add(t)) };
                acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
                let x = unsafe { _mm256_broadcast_ss(&*rows[r].add(t + 1)) };
                acc[r][0] = _mm256_fmadd_ps(x, b2, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(x, b3, acc[r][1]);
            }
            t += 2;
        }
        if t < run {
            let (b0, b1) = unsafe { (_mm256_loadu_ps(bp), _mm256_loadu_ps(bp.add(8))) };
            bp = unsafe { bp.add(NR) };
            for r in 0..MR {
                let x = unsafe { _mm256_broadcast_ss(&*rows[r].add(t)) };
                acc[r][0] = _mm256_fmadd_ps(x, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(x, b1, acc[r][1]);
            }
        }
    }
    store_tile(&acc, tile);
}

/// Never called: [`available`] is false off x86-64.
#[cfg(not(target_arch = "x86_64"))]
#[allow(unsafe_code)]
unsafe fn tile_6x16(
    _: &[f32],
    _: [usize; MR],
    _: (usize, usize, usize),
    _: &[f32],
    _: &mut [f32; MR * NR],
) {
    unreachable!("conv_direct needs x86-64 with AVX2 and FMA")
}

/// `tile[r, 0..16] = Σ_p a[bases[p] + offs[r]] · d[p·16 + 0..16]`, in the order of `bases`:
/// the gradients of 6 weights (window offsets `offs`) for a panel of 16 output channels, where
/// `bases[p]` is where the window of position `p` starts in the padded images `a`, and `d`
/// the output gradient's panel (`[positions][16]`).
///
/// # Safety
/// The CPU has AVX2 and FMA; `bases[p] + offs[r] < a.len()` for every `p` and `r`;
/// `d.len() ≥ bases.len()·16`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[allow(unsafe_code)]
unsafe fn weight_tile_6x16(
    a: &[f32],
    bases: &[usize],
    offs: [usize; MR],
    d: &[f32],
    tile: &mut [f32; MR * NR],
) {
    use std::arch::x86_64::*;
    debug_assert!(d.len() >= bases.len() * NR);
    let mut acc = [[_mm256_setzero_ps(); 2]; MR];
    let mut dp = d.as_ptr();
    for &base in bases {
        debug_assert!(offs.iter().all(|&o| base + o < a.len()));
        let (d0, d1) = unsafe { (_mm256_loadu_ps(dp), _mm256_loadu_ps(dp.add(8))) };
        dp = unsafe { dp.add(NR) };
        let at = unsafe { a.as_ptr().add(base) };
        for r in 0..MR {
            let x = unsafe { _mm256_broadcast_ss(&*at.add(offs[r])) };
            acc[r][0] = _mm256_fmadd_ps(x, d0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(x, d1, acc[r][1]);
        }
    }
    store_tile(&acc, tile);
}

/// Never called: [`available`] is false off x86-64.
#[cfg(not(target_arch = "x86_64"))]
#[allow(unsafe_code)]
unsafe fn weight_tile_6x16(
    _: &[f32],
    _: &[usize],
    _: [usize; MR],
    _: &[f32],
    _: &mut [f32; MR * NR],
) {
    unreachable!("conv_direct needs x86-64 with AVX2 and FMA")
}

/// `y = conv(x, w) + b` for a convolution that
/// [`conv_rows::applies`](super::conv_rows::applies), on a CPU where [`available`].
///
/// # Shapes
/// As [`conv::forward`](super::conv::forward).
pub fn forward(
    x: &[f32],
    w: &[f32],
    b: Option<&[f32]>,
    (n, c, o): (usize, usize, usize),
    g: &Geometry,
) -> Vec<f32> {
    assert!(available(), "conv_direct: this CPU lacks AVX2 or FMA");
    let win = Windows::of_input(g, c);
    let (l, hw) = (win.rows(), c * g.in_h * g.in_w);
    let wp = weight_panels(w, (c, o), g);
    let per_chunk = images_per_chunk(n, win.row_len() * l);
    let mut y = zeros(n * o * l);
    y.par_chunks_mut((per_chunk * o * l).max(1))
        .zip(x.par_chunks((per_chunk * hw).max(1)))
        .for_each(|(y_chunk, x_chunk)| {
            let xp = padded_chunk(x_chunk, &win);
            windows_times_panels(&xp, &win, (&wp, o), b, y_chunk);
        });
    y
}

/// The gradients of a convolution that [`conv_rows::applies`](super::conv_rows::applies), on a
/// CPU where [`available`], with `∂L/∂x` only if `need_dx`.
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
    assert!(available(), "conv_direct: this CPU lacks AVX2 or FMA");
    let win = Windows::of_input(g, c);
    let back = Windows::of_output_gradient(g, o);
    let (k, l, hw) = (win.row_len(), win.rows(), c * g.in_h * g.in_w);
    let wf = need_dx.then(|| turned_weight_panels(w, (c, o), g));
    let per_chunk = images_per_chunk(n, k * l);
    let pw = win.out_w + win.kw - 1;
    // Where weight k = (ki·kw + kj)·C + ch reads, relative to its window's start.
    let offsets: Vec<usize> = (0..k)
        .map(|kk| (kk / (win.kw * c)) * pw * c + kk % (win.kw * c))
        .collect();
    let mut dx = zeros(if need_dx { n * hw } else { 0 });
    let work = |x_chunk: &[f32], dy_chunk: &[f32], dx_chunk: Option<&mut [f32]>| {
        let padded = padded_chunk(x_chunk, &win);
        let grads = gradient_panels(dy_chunk, o, l);
        let m = dy_chunk.len() / o;
        // Where each position's window starts in the padded images.
        let bases: Vec<usize> = (0..m)
            .map(|p| {
                let (i, q) = (p / l, p % l);
                i * padded_len(&win) + (q / win.out_w * pw + q % win.out_w) * c
            })
            .collect();
        let mut dwr = vec![0.0; k * o];
        let mut tile = [0.0f32; MR * NR];
        for (j, panel) in grads.chunks(m * NR).enumerate() {
            let width = NR.min(o - j * NR);
            for k0 in (0..k).step_by(MR) {
                let rows = MR.min(k - k0);
                let offs: [usize; MR] = std::array::from_fn(|r| offsets[k0 + r.min(rows - 1)]);
                // SAFETY: `available()` holds (asserted above). The largest index read is
                // bases[last] + offsets[k − 1] = (images − 1)·padded_len +
                // ((out_h + kh − 2)·pw + out_w + kw − 2)·c + c − 1, the last value of the
                // padded images; each panel holds m·16 values.
                #[allow(unsafe_code)]
                unsafe {
                    weight_tile_6x16(&padded, &bases, offs, panel, &mut tile);
                }
                for r in 0..rows {
                    let dst = &mut dwr[(k0 + r) * o + j * NR..(k0 + r) * o + j * NR + width];
                    dst.copy_from_slice(&tile[r * NR..r * NR + width]);
                }
            }
        }
        let mut db = vec![0.0; o];
        for dy_n in dy_chunk.chunks(o * l) {
            for (s, line) in db.iter_mut().zip(dy_n.chunks(l)) {
                *s += line.iter().sum::<f32>();
            }
        }
        if let (Some(dx_chunk), Some(wf)) = (dx_chunk, &wf) {
            drop(padded);
            let dyp = padded_chunk(dy_chunk, &back);
            windows_times_panels(&dyp, &back, (wf, c), None, dx_chunk);
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
