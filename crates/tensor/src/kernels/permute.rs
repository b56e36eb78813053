//! Reordering axes by runs: the copy [`Tensor::permute_naive`](crate::Tensor::permute_naive)
//! makes one number at a time, made in runs of numbers that stay together, on both cores.
//!
//! When the last axes keep their places (`axes[k] = k` from some `k` on), each output
//! position of the axes before `k` starts a run of `d_k·…·d_n` numbers that are adjacent in
//! the input too: a vision transformer's head split `[B, T, 3, H, d] → [3, B, H, T, d]` moves
//! runs of `d` features. The runs are copied whole; where the last axis itself moves (a
//! plain transpose), every run is one number and this is the naive loop. Only numbers are
//! copied, so the result is the same bits as the naive loop's.

use rayon::prelude::*;

use crate::kernels::parallel::{PAR_CHUNK, worth_splitting};

/// `x` of shape `shape` with its axes reordered by `axes` (axis `k` of the result is axis
/// `axes[k]` of `x`); the caller has checked that `axes` is a permutation.
pub fn permute(x: &[f32], shape: &[usize], axes: &[usize]) -> Vec<f32> {
    let nd = shape.len();
    // The axes from `kept` on stay in place: their numbers form the runs.
    let kept = (0..nd)
        .rev()
        .take_while(|&k| axes[k] == k)
        .last()
        .unwrap_or(nd);
    let run: usize = shape[kept..].iter().product();
    let outer_shape: Vec<usize> = axes[..kept].iter().map(|&a| shape[a]).collect();
    let mut strides = vec![1; nd];
    for k in (0..nd.saturating_sub(1)).rev() {
        strides[k] = strides[k + 1] * shape[k + 1];
    }
    let src_strides: Vec<usize> = axes[..kept].iter().map(|&a| strides[a]).collect();
    let mut out = vec![0.0; x.len()];
    if x.is_empty() {
        return out;
    }
    // Runs `first .. first + count` of the output, copied from where the odometer finds them.
    let copy_runs = |first: usize, out: &mut [f32]| {
        for (i, dst) in out.chunks_mut(run).enumerate() {
            let mut rest = first + i;
            let mut src = 0;
            for k in (0..kept).rev() {
                src += (rest % outer_shape[k]) * src_strides[k];
                rest /= outer_shape[k];
            }
            dst.copy_from_slice(&x[src..src + run]);
        }
    };
    if worth_splitting(x.len()) {
        // Tasks of whole runs, about PAR_CHUNK numbers each.
        let per_task = (PAR_CHUNK / run).max(1);
        out.par_chunks_mut(per_task * run)
            .enumerate()
            .for_each(|(t, chunk)| copy_runs(t * per_task, chunk));
    } else {
        copy_runs(0, &mut out);
    }
    out
}
