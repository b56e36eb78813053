//! Element-wise work on both cores: the same values as a plain loop, in fixed chunks.
//!
//! Each output element depends on its own inputs only, so splitting the work changes no
//! bit of the result. Small tensors (below [`PAR_MIN_LEN`] elements) are not worth a second
//! core: handing work over costs a few microseconds. Large ones are cut into chunks of at
//! least [`PAR_CHUNK`] elements that rayon's threads share, collected straight into the
//! result.

use rayon::prelude::*;

/// Tensors with fewer elements than this are mapped on the calling thread.
pub const PAR_MIN_LEN: usize = 1 << 15;

/// The number of elements one parallel task maps.
pub const PAR_CHUNK: usize = 1 << 13;

/// Whether `len` elements are worth sharing between the cores.
pub fn worth_splitting(len: usize) -> bool {
    len >= PAR_MIN_LEN
}

/// `len` zeros, written on both cores when there are many: an output buffer that the cores
/// fill next, without one core zeroing it first while the other waits.
pub fn zeros(len: usize) -> Vec<f32> {
    if !worth_splitting(len) {
        return vec![0.0; len];
    }
    let mut out = Vec::with_capacity(len);
    out.par_extend(rayon::iter::repeat_n(0.0, len).with_min_len(PAR_CHUNK));
    out
}

/// `y_i = f(x_i)`, chunks on both cores.
pub fn map(x: &[f32], f: impl Fn(f32) -> f32 + Sync) -> Vec<f32> {
    // Collected in place (no zeroed buffer first), at least PAR_CHUNK elements per task.
    x.par_iter()
        .with_min_len(PAR_CHUNK)
        .map(|&x| f(x))
        .collect()
}

/// `z_i = f(x_i, y_i)` for two slices of one length, chunks on both cores.
pub fn zip_map(x: &[f32], y: &[f32], f: impl Fn(f32, f32) -> f32 + Sync) -> Vec<f32> {
    assert_eq!(x.len(), y.len(), "zip_map: slices of different lengths");
    x.par_iter()
        .zip(y)
        .with_min_len(PAR_CHUNK)
        .map(|(&x, &y)| f(x, y))
        .collect()
}

/// `f(i, x_i)` for every run `x_i` of `len` values of `x` (the last may be shorter), in
/// order, runs shared between the cores: work of any kind per run, such as making a picture
/// of each image of a batch. The result is `x.chunks(len).enumerate().map(f)`'s, whatever
/// the number of threads, since each run's value depends on its own run and index only.
pub fn map_runs<T: Send>(x: &[f32], len: usize, f: impl Fn(usize, &[f32]) -> T + Sync) -> Vec<T> {
    assert!(len > 0, "map_runs: runs of 0 values");
    x.par_chunks(len)
        .enumerate()
        .map(|(i, run)| f(i, run))
        .collect()
}

/// `out[r, j] = f(long[r, j], row[j])` for every row `r` of `long` seen as
/// `[rows, row.len()]`: a bias row broadcast over a batch, a row at a time with no index
/// arithmetic per element, rows shared between the cores.
pub fn rows_zip(long: &[f32], row: &[f32], f: impl Fn(f32, f32) -> f32 + Sync) -> Vec<f32> {
    let m = row.len();
    assert!(
        m > 0 && long.len().is_multiple_of(m),
        "rows_zip: {} values are not rows of {m}",
        long.len()
    );
    let mut out = vec![0.0; long.len()];
    out.par_chunks_mut(m)
        .zip(long.par_chunks(m))
        .with_min_len(PAR_CHUNK.div_ceil(m))
        .for_each(|(z, x)| {
            for ((z, &x), &r) in z.iter_mut().zip(x).zip(row) {
                *z = f(x, r);
            }
        });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_maps_equal_the_sequential_loops() {
        // Sizes below, at and past the threshold, and one that leaves a ragged last chunk.
        for n in [10, PAR_MIN_LEN, PAR_MIN_LEN + 3 * PAR_CHUNK + 17] {
            let x: Vec<f32> = (0..n).map(|i| (i as f32 * 0.001).sin()).collect();
            let y: Vec<f32> = x.iter().map(|v| v * 3.0 - 1.0).collect();
            let plain: Vec<f32> = x.iter().map(|v| v.tanh()).collect();
            assert_eq!(map(&x, f32::tanh), plain);
            let f = |a: f32, b: f32| a * (1.0 - b * b);
            let plain: Vec<f32> = x.iter().zip(&y).map(|(&a, &b)| f(a, b)).collect();
            assert_eq!(zip_map(&x, &y, f), plain);
            assert_eq!(zeros(n), vec![0.0; n]);
        }
    }

    #[test]
    fn map_runs_equals_the_sequential_loop_on_one_or_two_threads() {
        // Runs of 3 over 10 values: [0 1 2] [3 4 5] [6 7 8] [9], each with its index.
        let x: Vec<f32> = (0..10).map(|i| i as f32).collect();
        let f = |i: usize, run: &[f32]| (i, run.iter().sum::<f32>());
        let plain: Vec<(usize, f32)> = x.chunks(3).enumerate().map(|(i, r)| f(i, r)).collect();
        assert_eq!(plain, [(0, 3.0), (1, 12.0), (2, 21.0), (3, 9.0)]);
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a rayon pool");
            assert_eq!(pool.install(|| map_runs(&x, 3, f)), plain);
        }
    }

    #[test]
    fn rows_zip_pairs_each_row_with_the_same_row_vector() {
        // [[1, 2, 3], [4, 5, 6]] − [10, 20, 30].
        let z = rows_zip(
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[10.0, 20.0, 30.0],
            |a, b| a - b,
        );
        assert_eq!(z, [-9.0, -18.0, -27.0, -6.0, -15.0, -24.0]);
    }

    #[test]
    #[should_panic(expected = "zip_map: slices of different lengths")]
    fn zip_map_checks_lengths() {
        zip_map(&[0.0; 2], &[0.0; 3], |a, b| a * b);
    }
}
