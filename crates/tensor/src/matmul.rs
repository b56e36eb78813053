//! Matrix products: `C = A·B` for 2-D tensors and for batches of them.
//!
//! `C[i, j] = Σ_k A[i, k] · B[k, j]`. [`matmul_naive`] is that triple loop, to read first.
//! [`Tensor::matmul`] hands the same sum to [`kernels::gemm`], the
//! `gemm` crate's blocked, SIMD and multi-threaded kernel; the tests check that they agree.
//!
//! Each operand may be read transposed without copying it: backpropagation through
//! `C = A·B` needs `A·Bᵀ`-style products (`dA = dC·Bᵀ`, `dB = Aᵀ·dC`).

use crate::kernels;
pub use crate::shape::Transpose;
use crate::tensor::Tensor;

/// The reference triple loop: `C[i, j] = Σ_k A[i, k] · B[k, j]` for row-major slices
/// `a: [m, k]`, `b: [k, n]`, returning `c: [m, n]`.
pub fn matmul_naive(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            let mut sum = 0.0;
            for p in 0..k {
                sum += a[i * k + p] * b[p * n + j];
            }
            c[i * n + j] = sum;
        }
    }
    c
}

/// The `(rows, cols)` of the last two axes, read transposed or not.
fn matrix_dims(op: &str, x: &Tensor, t: Transpose) -> (usize, usize) {
    let s = x.shape();
    assert!(
        s.len() >= 2,
        "{op}: expected a matrix or a batch of matrices, got shape {s:?}"
    );
    let (r, c) = (s[s.len() - 2], s[s.len() - 1]);
    match t {
        Transpose::No => (r, c),
        Transpose::Yes => (c, r),
    }
}

impl Tensor {
    /// The matrix product `A·B`, for 2-D tensors or same-sized batches of them: the
    /// leading axes (any number) index the matrices, and matrix `i` of `A` meets matrix `i`
    /// of `B`.
    ///
    /// # Shapes
    /// `[m, k]·[k, n] → [m, n]`; `[b, m, k]·[b, k, n] → [b, m, n]`;
    /// `[..., m, k]·[..., k, n] → [..., m, n]` with the same leading axes (attention's
    /// `[B, H, T, T]·[B, H, T, d]`).
    ///
    /// ```
    /// use tensor::Tensor;
    /// let a = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[2, 2]).unwrap();
    /// let i = Tensor::from_vec(vec![1.0, 0.0, 0.0, 1.0], &[2, 2]).unwrap();
    /// assert_eq!(a.matmul(&i), a);
    /// ```
    pub fn matmul(&self, other: &Tensor) -> Tensor {
        self.matmul_t(Transpose::No, other, Transpose::No)
    }

    /// `op(A)·op(B)` where `op` transposes the last two axes or not, without copying: one
    /// GEMM per matrix of the batch, each reading its operands in place.
    ///
    /// # Shapes
    /// `op(A): [.., m, k]`, `op(B): [.., k, n] → [.., m, n]`, with equal leading (batch) axes,
    /// any number of them. Attention's scores `Q·Kᵀ` are
    /// `q.matmul_t(No, &k, Yes)`: `[B, H, T, d]·[B, H, T, d]ᵀ → [B, H, T, T]`.
    pub fn matmul_t(&self, ta: Transpose, other: &Tensor, tb: Transpose) -> Tensor {
        let (m, k) = matrix_dims("matmul", self, ta);
        let (k2, n) = matrix_dims("matmul", other, tb);
        let batch_a = &self.shape()[..self.ndim() - 2];
        let batch_b = &other.shape()[..other.ndim() - 2];
        assert!(
            k == k2 && batch_a == batch_b,
            "matmul: shapes {:?} and {:?} do not multiply (transposed: {:?}, {:?})",
            self.shape(),
            other.shape(),
            ta,
            tb
        );
        let batches: usize = batch_a.iter().product();
        let mut out = vec![0.0; batches * m * n];
        if batches == 1 {
            kernels::gemm::gemm(self.data(), ta, other.data(), tb, &mut out, (m, k, n), 0.0);
        } else {
            // One product per matrix of the batch, the matrices shared between the cores.
            let (a, b) = (self.data(), other.data());
            kernels::gemm::batched(a, ta, b, tb, &mut out, (m, k, n));
        }
        let mut shape = batch_a.to_vec();
        shape.extend([m, n]);
        Tensor::from_parts("matmul", out, &shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::gemm::{gemm, gemm_threads};

    fn t(v: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_vec(v.to_vec(), shape).unwrap()
    }

    /// `A = [[1, 2, 3], [4, 5, 6]]`, shape `[2, 3]`.
    fn a23() -> Tensor {
        t(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3])
    }

    /// `B = [[7, 8], [9, 10], [11, 12]]`, shape `[3, 2]`.
    fn b32() -> Tensor {
        t(&[7.0, 8.0, 9.0, 10.0, 11.0, 12.0], &[3, 2])
    }

    #[test]
    fn matmul_2d() {
        // [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]].
        let a = t(&[1.0, 2.0, 3.0, 4.0], &[2, 2]);
        let b = t(&[5.0, 6.0, 7.0, 8.0], &[2, 2]);
        assert_eq!(a.matmul(&b), t(&[19.0, 22.0, 43.0, 50.0], &[2, 2]));
        // A·B with A [2, 3], B [3, 2]: C[0, 0] = 1·7 + 2·9 + 3·11 = 58, C[1, 1] = 4·8 + 5·10 + 6·12 = 154.
        assert_eq!(
            a23().matmul(&b32()),
            t(&[58.0, 64.0, 139.0, 154.0], &[2, 2])
        );
        // A row vector times a column vector is their dot product: 1·1 + 2·2 + 3·3 = 14.
        let v = t(&[1.0, 2.0, 3.0], &[1, 3]);
        assert_eq!(v.matmul(&v.t()).item(), 14.0);
    }

    #[test]
    fn matmul_each_transpose_combination() {
        let (a, b) = (a23(), b32());
        // op(A)·op(B) = A·B: [[58, 64], [139, 154]].
        let nn = a.matmul_t(Transpose::No, &b, Transpose::No);
        assert_eq!(nn, t(&[58.0, 64.0, 139.0, 154.0], &[2, 2]));
        // A·Aᵀ [2, 2]: entry (i, j) = row_i · row_j: 1 + 4 + 9 = 14, 4 + 10 + 18 = 32, 16 + 25 + 36 = 77.
        let nt = a.matmul_t(Transpose::No, &a, Transpose::Yes);
        assert_eq!(nt, t(&[14.0, 32.0, 32.0, 77.0], &[2, 2]));
        // Aᵀ·A [3, 3]: entry (i, j) = column_i · column_j, e.g. (0, 0) = 1 + 16, (1, 2) = 2·3 + 5·6.
        let tn = a.matmul_t(Transpose::Yes, &a, Transpose::No);
        let gram = [17.0, 22.0, 27.0, 22.0, 29.0, 36.0, 27.0, 36.0, 45.0];
        assert_eq!(tn, t(&gram, &[3, 3]));
        // Aᵀ·Bᵀ [3, 3] = (B·A)ᵀ: entry (i, j) = A[:, i] · B[j, :], e.g. (0, 0) = 1·7 + 4·8 = 39.
        let tt = a.matmul_t(Transpose::Yes, &b, Transpose::Yes);
        let expected = [39.0, 49.0, 59.0, 54.0, 68.0, 82.0, 69.0, 87.0, 105.0];
        assert_eq!(tt, t(&expected, &[3, 3]));
        // Each equals the product of explicitly transposed copies.
        assert_eq!(nt, a.matmul(&a.t()));
        assert_eq!(tn, a.t().matmul(&a));
        assert_eq!(tt, a.t().matmul(&b.t()));
        // Aᵀ·D with D = [[1, 2], [3, 4]]: rows [1, 4]·D = [13, 18], [2, 5]·D = [17, 24], [3, 6]·D = [21, 30].
        let d = t(&[1.0, 2.0, 3.0, 4.0], &[2, 2]);
        let td = a.matmul_t(Transpose::Yes, &d, Transpose::No);
        assert_eq!(td, t(&[13.0, 18.0, 17.0, 24.0, 21.0, 30.0], &[3, 2]));
    }

    #[test]
    fn matmul_batched_3d() {
        // Batch 0: [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]].
        // Batch 1: 2I·[[1, 2], [3, 4]] = [[2, 4], [6, 8]].
        let a = t(&[1.0, 2.0, 3.0, 4.0, 2.0, 0.0, 0.0, 2.0], &[2, 2, 2]);
        let b = t(&[5.0, 6.0, 7.0, 8.0, 1.0, 2.0, 3.0, 4.0], &[2, 2, 2]);
        let c = a.matmul(&b);
        assert_eq!(
            c,
            t(&[19.0, 22.0, 43.0, 50.0, 2.0, 4.0, 6.0, 8.0], &[2, 2, 2])
        );
        // Aᵀ·Bᵀ = (B·A)ᵀ per batch: B₀A₀ = [[23, 34], [31, 46]], B₁A₁ = 2B₁.
        let tt = a.matmul_t(Transpose::Yes, &b, Transpose::Yes);
        assert_eq!(
            tt,
            t(&[23.0, 31.0, 34.0, 46.0, 2.0, 6.0, 4.0, 8.0], &[2, 2, 2])
        );
        // A·Bᵀ and Aᵀ·B per batch match the 2-D products of each batch's matrices.
        for (ta, tb) in [
            (Transpose::No, Transpose::Yes),
            (Transpose::Yes, Transpose::No),
        ] {
            let batched = a.matmul_t(ta, &b, tb);
            for i in 0..2 {
                let (ai, bi) = (
                    a.select_rows(&[i]).reshape(&[2, 2]),
                    b.select_rows(&[i]).reshape(&[2, 2]),
                );
                let ci = ai.matmul_t(ta, &bi, tb).reshape(&[1, 2, 2]);
                assert_eq!(batched.select_rows(&[i]), ci);
            }
        }
        // [3, 2, 4]·[3, 4, 5] → [3, 2, 5].
        let c = Tensor::ones(&[3, 2, 4]).matmul(&Tensor::ones(&[3, 4, 5]));
        assert_eq!(c, Tensor::full(&[3, 2, 5], 4.0));
    }

    #[test]
    fn matmul_over_several_batch_axes_is_one_product_per_matrix() {
        // [2, 3, m, k]·[2, 3, k, n]: matrix b = (i, j) of the result is the triple loop of
        // op(A_b)·op(B_b), for each of the four transpose combinations (the attention's Q·Kᵀ
        // among them). A transposed operand is stored transposed, [.., k, m] or [.., n, k].
        let (m, k, n) = (2, 3, 4);
        let a = Tensor::arange(0.0, (6 * m * k) as f32, 1.0).map(|v| (v * 0.3).sin());
        let b = Tensor::arange(0.0, (6 * k * n) as f32, 1.0).map(|v| (v * 0.7).cos());
        for ta in [Transpose::No, Transpose::Yes] {
            for tb in [Transpose::No, Transpose::Yes] {
                let a_shape = if ta == Transpose::Yes {
                    [2, 3, k, m]
                } else {
                    [2, 3, m, k]
                };
                let b_shape = if tb == Transpose::Yes {
                    [2, 3, n, k]
                } else {
                    [2, 3, k, n]
                };
                let c = a.reshape(&a_shape).matmul_t(ta, &b.reshape(&b_shape), tb);
                assert_eq!(c.shape(), &[2, 3, m, n]);
                for batch in 0..6 {
                    let a_b = op(&a.data()[batch * m * k..][..m * k], ta, m, k);
                    let b_b = op(&b.data()[batch * k * n..][..k * n], tb, k, n);
                    let expected = matmul_naive(&a_b, &b_b, m, k, n);
                    let got = &c.data()[batch * m * n..][..m * n];
                    for (x, y) in got.iter().zip(&expected) {
                        assert!((x - y).abs() < 1e-5, "{ta:?}/{tb:?}, matrix {batch}");
                    }
                }
            }
        }
    }

    #[test]
    fn matmul_naive_is_the_triple_loop() {
        // C = A·B with A [2, 3] and B [3, 2], as above.
        let c = matmul_naive(a23().data(), b32().data(), 2, 3, 2);
        assert_eq!(c, vec![58.0, 64.0, 139.0, 154.0]);
    }

    #[test]
    fn gemm_agrees_with_the_triple_loop_on_a_larger_product() {
        // Sizes past the kernel's blocking, with values i mod 7 and j mod 5 − 2.
        let (m, k, n) = (67, 129, 45);
        let a: Vec<f32> = (0..m * k).map(|i| (i % 7) as f32 * 0.5).collect();
        let b: Vec<f32> = (0..k * n).map(|j| (j % 5) as f32 - 2.0).collect();
        let mut c = vec![f32::NAN; m * n];
        // beta = 0 overwrites c, even NaN.
        gemm(&a, Transpose::No, &b, Transpose::No, &mut c, (m, k, n), 0.0);
        assert_eq!(c, matmul_naive(&a, &b, m, k, n));
    }

    /// `op(x)` as an explicit row-major copy, for comparing with the triple loop.
    fn op(x: &[f32], t: Transpose, rows: usize, cols: usize) -> Vec<f32> {
        match t {
            Transpose::No => x.to_vec(),
            // Stored as [cols, rows]; element (i, j) of op(x) is x[j, i].
            Transpose::Yes => (0..rows * cols)
                .map(|ij| x[(ij % cols) * rows + ij / cols])
                .collect(),
        }
    }

    #[test]
    fn gemm_paths_agree_with_the_triple_loop_for_every_transpose() {
        // Tiny and larger products, on one thread and on two, must each give
        // op(A)·op(B) + beta·C; with values that are small multiples of 1/4 every
        // sum is exact in f32, so the comparison is exact.
        for (m, k, n) in [(1, 2, 3), (7, 5, 9), (130, 70, 90), (67, 300, 45)] {
            let a: Vec<f32> = (0..m * k).map(|i| (i % 7) as f32 * 0.25).collect();
            let b: Vec<f32> = (0..k * n).map(|j| (j % 5) as f32 - 2.0).collect();
            for ta in [Transpose::No, Transpose::Yes] {
                for tb in [Transpose::No, Transpose::Yes] {
                    let (a_op, b_op) = (op(&a, ta, m, k), op(&b, tb, k, n));
                    // C starts at 1 and beta = 2: expected = A·B + 2.
                    let expected: Vec<f32> = matmul_naive(&a_op, &b_op, m, k, n)
                        .iter()
                        .map(|v| v + 2.0)
                        .collect();
                    for threads in [1, 2] {
                        let mut c = vec![1.0; m * n];
                        gemm_threads(&a, ta, &b, tb, &mut c, (m, k, n), 2.0, threads);
                        assert_eq!(c, expected, "{m}×{k}×{n}, {ta:?}/{tb:?}, {threads} threads");
                    }
                }
            }
        }
    }

    #[test]
    fn gemm_gives_the_same_bits_on_one_thread_and_two() {
        // Rounded sums depend on their order; threads split C, never k, so the order and
        // therefore every bit is the same whatever the thread count.
        let (m, k, n) = (300, 500, 200);
        let a: Vec<f32> = (0..m * k)
            .map(|i| ((i * 37) % 101) as f32 / 101.0 - 0.5)
            .collect();
        let b: Vec<f32> = (0..k * n)
            .map(|j| ((j * 53) % 97) as f32 / 97.0 - 0.5)
            .collect();
        let run = |threads| {
            let mut c = vec![0.0; m * n];
            gemm_threads(
                &a,
                Transpose::No,
                &b,
                Transpose::No,
                &mut c,
                (m, k, n),
                0.0,
                threads,
            );
            c
        };
        assert_eq!(run(1), run(2));
        let close = run(1)
            .iter()
            .zip(matmul_naive(&a, &b, m, k, n))
            .all(|(x, y)| (x - y).abs() <= 1e-3);
        assert!(
            close,
            "blocked GEMM differs from the triple loop beyond rounding"
        );
    }

    #[test]
    fn gemm_with_beta_one_accumulates() {
        // c ← A·B + 1·c with c = 1 everywhere: [[59, 65], [140, 155]].
        let mut c = vec![1.0; 4];
        gemm(
            a23().data(),
            Transpose::No,
            b32().data(),
            Transpose::No,
            &mut c,
            (2, 3, 2),
            1.0,
        );
        assert_eq!(c, vec![59.0, 65.0, 140.0, 155.0]);
    }

    #[test]
    fn matmul_with_empty_inner_dimension_is_zero() {
        // An empty sum is 0: [2, 0]·[0, 3] = 0 of shape [2, 3].
        let c = Tensor::zeros(&[2, 0]).matmul(&Tensor::zeros(&[0, 3]));
        assert_eq!(c, Tensor::zeros(&[2, 3]));
    }

    #[test]
    #[should_panic(expected = "matmul: shapes [2, 3] and [2, 3] do not multiply")]
    fn matmul_with_mismatched_inner_dims_panics() {
        a23().matmul(&a23());
    }

    #[test]
    #[should_panic(
        expected = "matmul: shapes [2, 3] and [3, 2] do not multiply (transposed: Yes, No)"
    )]
    fn matmul_t_with_mismatched_inner_dims_panics() {
        a23().matmul_t(Transpose::Yes, &b32(), Transpose::No);
    }

    #[test]
    #[should_panic(expected = "matmul: shapes [2, 2, 3] and [3, 3, 2] do not multiply")]
    fn matmul_with_mismatched_batches_panics() {
        Tensor::zeros(&[2, 2, 3]).matmul(&Tensor::zeros(&[3, 3, 2]));
    }

    #[test]
    #[should_panic(expected = "matmul: shapes [2, 3, 2, 2] and [3, 2, 2, 2] do not multiply")]
    fn matmul_with_mismatched_batch_axes_panics() {
        Tensor::zeros(&[2, 3, 2, 2]).matmul(&Tensor::zeros(&[3, 2, 2, 2]));
    }

    #[test]
    #[should_panic(expected = "matmul: expected a matrix or a batch of matrices, got shape [3]")]
    fn matmul_of_a_vector_panics() {
        Tensor::zeros(&[3]).matmul(&Tensor::zeros(&[3, 1]));
    }

    #[test]
    #[should_panic(expected = "gemm: buffers of 6, 6 and 3 values do not fit [2, 3]·[3, 2]")]
    fn gemm_with_wrong_buffers_panics() {
        let mut c = vec![0.0; 3];
        gemm(
            a23().data(),
            Transpose::No,
            b32().data(),
            Transpose::No,
            &mut c,
            (2, 3, 2),
            0.0,
        );
    }
}
