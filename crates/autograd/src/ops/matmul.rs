//! The matrix product, the heart of every layer.
//!
//! `Y = A·B` with `A: [m, k]`, `B: [k, n]`. Each `Y[i, j] = Σ_p A[i, p]·B[p, j]`, so
//! `∂L/∂A[i, p] = Σ_j ∂L/∂Y[i, j]·B[p, j]` and `∂L/∂B[p, j] = Σ_i A[i, p]·∂L/∂Y[i, j]`:
//! in matrix form `dA = dY·Bᵀ` and `dB = Aᵀ·dY`. The transposes are read in place by the
//! GEMM, never copied.
//!
//! A batch of matrices `[..., m, k]·[..., k, n]` (any number of leading axes, the same for
//! both) is one product per matrix, and nothing mixes two matrices of the batch: the rule
//! holds matrix by matrix, `dA_b = dY_b·B_bᵀ`, `dB_b = A_bᵀ·dY_b`. Attention multiplies
//! `[B, H, T, d]` queries by `[B, H, T, d]` keys this way, one product per image and head.

use tensor::Transpose::{No, Yes};

use crate::var::Var;

impl Var {
    /// `Y = A·B`, per matrix of a batch. `dA = dY·Bᵀ`, `dB = Aᵀ·dY`.
    ///
    /// # Shapes
    /// `[m, k]·[k, n] → [m, n]`, or batched `[..., m, k]·[..., k, n] → [..., m, n]` with the
    /// same leading axes (attention weights times values: `[B, H, T, T]·[B, H, T, d]`).
    pub fn matmul(&self, b: &Var) -> Var {
        let y = self.value().matmul(&b.value());
        Var::from_op("matmul", y, &[self, b], |g, _y, x| {
            let (a, b) = (x[0].value(), x[1].value());
            vec![
                x[0].requires_grad().then(|| g.matmul_t(No, &b, Yes)),
                x[1].requires_grad().then(|| a.matmul_t(Yes, g, No)),
            ]
        })
    }

    /// `Y = A·Bᵀ` without transposing `B` first: a `Linear` layer stores its weight as
    /// `[out, in]` (PyTorch's layout) and computes `x·Wᵀ`; attention's scores are `Q·Kᵀ`.
    /// From `Y[i, j] = Σ_p A[i, p]·B[j, p]`: `dA = dY·B`, `dB = dYᵀ·A`, per matrix of a batch.
    ///
    /// # Shapes
    /// `[m, k]·[n, k]ᵀ → [m, n]`, or batched `[..., m, k]·[..., n, k]ᵀ → [..., m, n]` with the
    /// same leading axes (`[B, H, T, d]·[B, H, T, d]ᵀ → [B, H, T, T]`).
    pub fn matmul_bt(&self, b: &Var) -> Var {
        let y = self.value().matmul_t(No, &b.value(), Yes);
        Var::from_op("matmul_bt", y, &[self, b], |g, _y, x| {
            let (a, b) = (x[0].value(), x[1].value());
            vec![
                x[0].requires_grad().then(|| g.matmul(&b)),
                x[1].requires_grad().then(|| g.matmul_t(Yes, &a, No)),
            ]
        })
    }
}
