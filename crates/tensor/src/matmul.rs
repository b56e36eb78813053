//! Matrix products: `C = A·B` for 2-D tensors and for batches of them.
//!
//! `C[i, j] = Σ_k A[i, k] · B[k, j]`. Two versions sit side by side: [`matmul_naive`], the
//! triple loop to read first, and [`gemm`], which hands the same sum to the
//! `matrixmultiply` crate's blocked, SIMD (AVX2/FMA where the CPU has it) and multi-threaded
//! kernel. The tests check that they agree.
//!
//! Each operand may be read transposed without copying it: backpropagation through
//! `C = A·B` needs `A·Bᵀ`-style products (`dA = dC·Bᵀ`, `dB = Aᵀ·dC`).

use crate::tensor::Tensor;

/// Whether an operand of [`gemm`] is read as stored or transposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transpose {
    /// Use the matrix as stored.
    No,
    /// Use its transpose.
    Yes,
}

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

/// `c ← op(a)·op(b) + beta·c` for row-major matrices, where `op` transposes or not.
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
    assert!(
        a.len() == m * k && b.len() == k * n && c.len() == m * n,
        "gemm: buffers of {}, {} and {} values do not fit [{m}, {k}]·[{k}, {n}]",
        a.len(),
        b.len(),
        c.len()
    );
    // Row and column strides of op(a) and op(b) inside their row-major storage.
    let (rsa, csa) = match ta {
        Transpose::No => (k as isize, 1),
        Transpose::Yes => (1, m as isize),
    };
    let (rsb, csb) = match tb {
        Transpose::No => (n as isize, 1),
        Transpose::Yes => (1, k as isize),
    };
    if m == 0 || n == 0 {
        return;
    }
    // SAFETY: the assert above proves that every index the kernel computes from
    // (m, k, n) and these strides lies inside `a`, `b` and `c`; `c` is borrowed mutably
    // and so cannot alias `a` or `b`.
    #[allow(unsafe_code)]
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            rsa,
            csa,
            b.as_ptr(),
            rsb,
            csb,
            beta,
            c.as_mut_ptr(),
            n as isize,
            1,
        );
    }
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
    /// The matrix product `A·B`, for 2-D tensors or same-sized batches of them.
    ///
    /// # Shapes
    /// `[m, k]·[k, n] → [m, n]`; `[b, m, k]·[b, k, n] → [b, m, n]`.
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

    /// `op(A)·op(B)` where `op` transposes the last two axes or not, without copying.
    ///
    /// # Shapes
    /// `op(A): [.., m, k]`, `op(B): [.., k, n] → [.., m, n]`, with equal batch axes (none or one).
    pub fn matmul_t(&self, ta: Transpose, other: &Tensor, tb: Transpose) -> Tensor {
        let (m, k) = matrix_dims("matmul", self, ta);
        let (k2, n) = matrix_dims("matmul", other, tb);
        let batch_a = &self.shape()[..self.ndim() - 2];
        let batch_b = &other.shape()[..other.ndim() - 2];
        assert!(
            k == k2 && batch_a == batch_b && batch_a.len() <= 1,
            "matmul: shapes {:?} and {:?} do not multiply (transposed: {:?}, {:?})",
            self.shape(),
            other.shape(),
            ta,
            tb
        );
        let batches: usize = batch_a.iter().product();
        let mut out = vec![0.0; batches * m * n];
        for bi in 0..batches {
            gemm(
                &self.data()[bi * m * k..(bi + 1) * m * k],
                ta,
                &other.data()[bi * k * n..(bi + 1) * k * n],
                tb,
                &mut out[bi * m * n..(bi + 1) * m * n],
                (m, k, n),
                0.0,
            );
        }
        let mut shape = batch_a.to_vec();
        shape.extend([m, n]);
        Tensor::from_parts("matmul", out, &shape)
    }
}
