//! Batch normalisation on both cores: [`crate::batch_norm`]'s loops, with the channel sums
//! taken in eight running lanes so that they vectorise.
//!
//! - The sums over a channel ([`channel_stats`], [`affine_grads`]) run channel by channel,
//!   channels shared between the cores. Within a channel each `S`-long plane is summed in
//!   eight `f32` lanes (lane `j` takes elements `j, j + 8, …`), the lanes are added in order,
//!   and the planes' sums are added in `f64`, example by example. The order is fixed by the
//!   shapes, so the bits do not depend on the thread count; it is not the plain version's
//!   order (one `f64` running sum), so the two agree to rounding (`tests/properties.rs`).
//! - The element-wise passes ([`normalize`], [`input_grad`]) compute each element exactly as
//!   the plain loop does, planes shared between the cores: the same bits.

use rayon::prelude::*;

use super::parallel::{PAR_CHUNK, worth_splitting};

/// `Σ f(a_k)` over a plane in eight running lanes, then the lanes in order, then the tail.
fn lane_sum(a: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0.0f32; 8];
    let chunks = a.chunks_exact(8);
    let tail = chunks.remainder();
    for chunk in chunks {
        for j in 0..8 {
            acc[j] += f(chunk[j]);
        }
    }
    let mut sum = 0.0;
    for lane in acc {
        sum += lane;
    }
    for &v in tail {
        sum += f(v);
    }
    sum
}

/// `Σ f(a_k, b_k)` over two planes of one length, as [`lane_sum`].
fn lane_sum2(a: &[f32], b: &[f32], f: impl Fn(f32, f32) -> f32) -> f32 {
    let mut acc = [0.0f32; 8];
    let (chunks_a, chunks_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let (tail_a, tail_b) = (chunks_a.remainder(), chunks_b.remainder());
    for (ca, cb) in chunks_a.zip(chunks_b) {
        for j in 0..8 {
            acc[j] += f(ca[j], cb[j]);
        }
    }
    let mut sum = 0.0;
    for lane in acc {
        sum += lane;
    }
    for (&va, &vb) in tail_a.iter().zip(tail_b) {
        sum += f(va, vb);
    }
    sum
}

/// `f(ch)` for every channel, channels on both cores when the tensor is large.
fn per_channel<T: Send>(len: usize, c: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    if worth_splitting(len) {
        (0..c).into_par_iter().map(f).collect()
    } else {
        (0..c).map(f).collect()
    }
}

/// The plane `(i, ch)` of a `[N, C, S]` buffer.
fn plane(data: &[f32], (c, s): (usize, usize), i: usize, ch: usize) -> &[f32] {
    &data[(i * c + ch) * s..(i * c + ch + 1) * s]
}

/// The mean and biased variance of each channel of `x: [N, C, S]` (two passes).
pub fn channel_stats(x: &[f32], (n, c, s): (usize, usize, usize)) -> (Vec<f32>, Vec<f32>) {
    let m = (n * s) as f64;
    let stats = per_channel(x.len(), c, |ch| {
        let sum: f64 = (0..n)
            .map(|i| f64::from(lane_sum(plane(x, (c, s), i, ch), |v| v)))
            .sum();
        let mu = (sum / m) as f32;
        let squares: f64 = (0..n)
            .map(|i| f64::from(lane_sum(plane(x, (c, s), i, ch), |v| (v - mu) * (v - mu))))
            .sum();
        (mu, (squares / m) as f32)
    });
    stats.into_iter().unzip()
}

/// `y = γ[c]·(x − μ[c])·r[c] + β[c]`, planes on both cores.
pub fn normalize(
    x: &[f32],
    (c, s): (usize, usize),
    (mean, inv_std): (&[f32], &[f32]),
    (gamma, beta): (&[f32], &[f32]),
) -> Vec<f32> {
    let mut y = x.to_vec();
    let fill = |(p, out): (usize, &mut [f32])| {
        let ch = p % c;
        let (mu, r, g, b) = (mean[ch], inv_std[ch], gamma[ch], beta[ch]);
        for v in out {
            *v = g * ((*v - mu) * r) + b;
        }
    };
    by_plane(&mut y, s, fill);
    y
}

/// `(Σ g, Σ g·x̂)` of each channel, `x̂ = (x − μ)·r`: `(∂L/∂β, ∂L/∂γ)`.
pub fn affine_grads(
    g: &[f32],
    x: &[f32],
    (n, c, s): (usize, usize, usize),
    (mean, inv_std): (&[f32], &[f32]),
) -> (Vec<f32>, Vec<f32>) {
    let sums = per_channel(x.len(), c, |ch| {
        let (mu, r) = (mean[ch], inv_std[ch]);
        let (mut sum_g, mut sum_gx) = (0.0f64, 0.0f64);
        for i in 0..n {
            let (gp, xp) = (plane(g, (c, s), i, ch), plane(x, (c, s), i, ch));
            sum_g += f64::from(lane_sum(gp, |v| v));
            sum_gx += f64::from(lane_sum2(gp, xp, |gv, xv| gv * ((xv - mu) * r)));
        }
        (sum_g as f32, sum_gx as f32)
    });
    sums.into_iter().unzip()
}

/// `∂L/∂x = (γ·r/m)·(m·g − Σg − x̂·Σg·x̂)`, planes on both cores.
pub fn input_grad(
    g: &[f32],
    x: &[f32],
    (n, c, s): (usize, usize, usize),
    (mean, inv_std, gamma): (&[f32], &[f32], &[f32]),
    (dbeta, dgamma): (&[f32], &[f32]),
) -> Vec<f32> {
    let m = (n * s) as f32;
    let mut dx = g.to_vec();
    let fill = |(p, out): (usize, &mut [f32])| {
        let ch = p % c;
        let (mu, r) = (mean[ch], inv_std[ch]);
        let k = gamma[ch] * r / m;
        for (d, &xv) in out.iter_mut().zip(&x[p * s..(p + 1) * s]) {
            *d = k * (m * *d - dbeta[ch] - (xv - mu) * r * dgamma[ch]);
        }
    };
    by_plane(&mut dx, s, fill);
    dx
}

/// `fill((p, plane p))` for every `s`-long plane of `data`, planes shared between the cores
/// when there are many numbers.
fn by_plane(data: &mut [f32], s: usize, fill: impl Fn((usize, &mut [f32])) + Sync + Send) {
    if s == 0 {
        return;
    }
    if worth_splitting(data.len()) {
        data.par_chunks_mut(s)
            .enumerate()
            .with_min_len((PAR_CHUNK / s).max(1))
            .for_each(fill);
    } else {
        data.chunks_mut(s).enumerate().for_each(fill);
    }
}
