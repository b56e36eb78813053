//! The GEMM behind every matrix product and convolution: `c ← op(a)·op(b) + beta·c`,
//! handed to the `gemm` crate's blocked kernel (packing into cache-sized panels, an
//! AVX2/AVX-512/FMA micro-kernel chosen at run time), with the thread count an argument of
//! each call. It equals [`matmul_naive`](crate::matmul::matmul_naive) up to the order of
//! each sum; the tests of `matmul.rs` and `tests/properties.rs` check it.

use crate::shape::Transpose;

/// Below this many multiply-adds (`m·k·n`) a product runs on one thread: handing work to a
/// second core costs a few microseconds, more than such a product takes.
pub const PARALLEL_MIN_FLOPS: usize = 1 << 18;

/// `c ← op(a)·op(b) + beta·c` for row-major matrices, where `op` transposes or not.
///
/// Large products use both cores (see [`gemm_threads`]); the result does not depend on how
/// many threads ran, because threads split the rows and columns of `c`, never the sum over `k`.
///
/// # Shapes
/// `op(a): [m, k]`, `op(b): [k, n]`, `c: [m, n]`. A transposed `a` is stored as `[k, m]`,
/// a transposed `b` as `[n, k]`.
pub fn gemm(
    a: &[f32],
    ta: Transpose,
    b: &[f32],
    tb: Transpose,
    c: &mut [f32],
    (m, k, n): (usize, usize, usize),
    beta: f32,
) {
    let threads = if m * k * n >= PARALLEL_MIN_FLOPS {
        rayon::current_num_threads()
    } else {
        1
    };
    gemm_threads(a, ta, b, tb, c, (m, k, n), beta, threads);
}

/// `c_i = op(a_i)·op(b_i)` for every matrix `i` of a batch stored one after another (the
/// heads of attention: `[B·H]` products of `[T, d]` matrices): the matrices are shared
/// between the cores, each product on one thread, so the result is what [`gemm()`] gives
/// for each alone, whatever the number of threads.
///
/// # Shapes
/// `a: [batches, m, k]` (`[batches, k, m]` transposed), `b: [batches, k, n]`
/// (`[batches, n, k]`), `c: [batches, m, n]`.
pub fn batched(
    a: &[f32],
    ta: Transpose,
    b: &[f32],
    tb: Transpose,
    c: &mut [f32],
    (m, k, n): (usize, usize, usize),
) {
    use rayon::prelude::*;
    assert!(
        m * n > 0 && c.len().is_multiple_of(m * n),
        "gemm batched: {} outputs are no whole number of [{m}, {n}] matrices",
        c.len()
    );
    let batches = c.len() / (m * n);
    assert!(
        a.len() == batches * m * k && b.len() == batches * k * n,
        "gemm batched: {} and {} values are not {batches} matrices [{m}, {k}] and [{k}, {n}]",
        a.len(),
        b.len()
    );
    // About PARALLEL_MIN_FLOPS multiply-adds per task, at least one matrix.
    let per_task = (PARALLEL_MIN_FLOPS / (m * k * n).max(1)).max(1);
    c.par_chunks_mut(per_task * m * n)
        .enumerate()
        .for_each(|(t, c_task)| {
            for (j, c_i) in c_task.chunks_mut(m * n).enumerate() {
                let i = t * per_task + j;
                let (a_i, b_i) = (
                    &a[i * m * k..(i + 1) * m * k],
                    &b[i * k * n..(i + 1) * k * n],
                );
                gemm_threads(a_i, ta, b_i, tb, c_i, (m, k, n), 0.0, 1);
            }
        });
}

/// [`gemm()`] on at most `threads` threads of the rayon pool (1: the calling thread only).
///
/// The work is done by the `gemm` crate's blocked kernel: packing into cache-sized panels,
/// an AVX2/FMA micro-kernel chosen at run time, and its own fast path for tiny products
/// (a plain loop here measured no faster for lesson 1's `[1, 2]·[2, 2]`).
///
/// # Shapes
/// As [`gemm()`].
pub fn gemm_threads(
    a: &[f32],
    ta: Transpose,
    b: &[f32],
    tb: Transpose,
    c: &mut [f32],
    (m, k, n): (usize, usize, usize),
    beta: f32,
    threads: usize,
) {
    assert!(
        a.len() == m * k && b.len() == k * n && c.len() == m * n,
        "gemm: buffers of {}, {} and {} values do not fit [{m}, {k}]·[{k}, {n}]",
        a.len(),
        b.len(),
        c.len()
    );
    // Row and column strides of op(a) and op(b) inside their row-major storage.
    let (rsa, csa) = match ta {
        Transpose::No => (k, 1),
        Transpose::Yes => (1, m),
    };
    let (rsb, csb) = match tb {
        Transpose::No => (n, 1),
        Transpose::Yes => (1, k),
    };
    blocked_gemm(a, (rsa, csa), b, (rsb, csb), c, (m, k, n), beta, threads);
}

/// The call into the `gemm` crate, with the row and column strides `(rs, cs)` of `op(a)` and
/// `op(b)` given directly: the convolution reads a chunk of images' columns this way. The
/// assert checks that the last index the strides reach lies inside each buffer.
pub(crate) fn blocked_gemm(
    a: &[f32],
    (rsa, csa): (usize, usize),
    b: &[f32],
    (rsb, csb): (usize, usize),
    c: &mut [f32],
    (m, k, n): (usize, usize, usize),
    beta: f32,
    threads: usize,
) {
    assert!(
        c.len() == m * n
            && (m == 0 || k == 0 || (m - 1) * rsa + (k - 1) * csa < a.len())
            && (n == 0 || k == 0 || (k - 1) * rsb + (n - 1) * csb < b.len()),
        "gemm: strides out of bounds"
    );
    if m == 0 || n == 0 {
        return;
    }
    let parallelism = if threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    // SAFETY: the assert above proves that the last index the kernel computes from
    // (m, k, n) and these strides, and so every index, lies inside `a`, `b` and `c`; `c` is
    // borrowed mutably and so cannot alias `a` or `b`.
    #[allow(unsafe_code)]
    unsafe {
        // The crate's names: dst = alpha·dst + beta·lhs·rhs, with column stride before row
        // stride; `read_dst = false` means dst is overwritten (our beta = 0).
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            beta != 0.0,
            a.as_ptr(),
            csa as isize,
            rsa as isize,
            b.as_ptr(),
            csb as isize,
            rsb as isize,
            beta,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}
