//! Moving elements around without changing them: transposes, permutations, slices,
//! concatenation, stacking and gathering rows.
//!
//! Every result is a fresh contiguous tensor; a learner never meets a strided view.

use crate::shape::{numel, split_at_axis, strides};
use crate::tensor::Tensor;

impl Tensor {
    /// The matrix transpose `xᵀ` of a 2-D tensor: `y[j, i] = x[i, j]`.
    ///
    /// # Shapes
    /// `[m, n] → [n, m]`.
    pub fn t(&self) -> Tensor {
        assert_eq!(
            self.ndim(),
            2,
            "t: expected a 2-D tensor, got shape {:?}",
            self.shape()
        );
        self.permute(&[1, 0])
    }

    /// Swaps axes `a` and `b` (like `torch.transpose(x, a, b)`).
    pub fn transpose(&self, a: usize, b: usize) -> Tensor {
        let mut axes: Vec<usize> = (0..self.ndim()).collect();
        assert!(
            a < self.ndim() && b < self.ndim(),
            "transpose: axes {a} and {b} out of range for shape {:?}",
            self.shape()
        );
        axes.swap(a, b);
        self.permute(&axes)
    }

    /// Reorders the axes: axis `k` of the result is axis `axes[k]` of `self`
    /// (like `torch.permute`).
    ///
    /// # Shapes
    /// `[d_0, ..., d_n] → [d_axes[0], ..., d_axes[n]]`.
    pub fn permute(&self, axes: &[usize]) -> Tensor {
        let nd = self.ndim();
        let mut seen = vec![false; nd];
        assert!(
            axes.len() == nd && axes.iter().all(|&a| a < nd && !std::mem::replace(&mut seen[a], true)),
            "permute: {axes:?} is not a permutation of the axes of shape {:?}",
            self.shape()
        );
        let shape: Vec<usize> = axes.iter().map(|&a| self.shape()[a]).collect();
        let old_strides = self.strides();
        let src_strides: Vec<usize> = axes.iter().map(|&a| old_strides[a]).collect();
        let x = self.data();
        let n = self.numel();
        let mut out = Vec::with_capacity(n);
        let mut index = vec![0; nd];
        let mut offset = 0;
        for _ in 0..n {
            out.push(x[offset]);
            // Advance the output index like an odometer, tracking the source offset.
            for k in (0..nd).rev() {
                index[k] += 1;
                offset += src_strides[k];
                if index[k] < shape[k] {
                    break;
                }
                offset -= src_strides[k] * shape[k];
                index[k] = 0;
            }
        }
        Tensor::from_parts("permute", out, &shape)
    }

    /// The elements `start .. start + len` along `axis` (like `torch.narrow`).
    ///
    /// # Shapes
    /// `[..., d, ...] → [..., len, ...]` with `start + len ≤ d`.
    pub fn narrow(&self, axis: usize, start: usize, len: usize) -> Tensor {
        assert!(
            axis < self.ndim() && start + len <= self.shape()[axis],
            "narrow: cannot take {start}..{} along axis {axis} of shape {:?}",
            start + len,
            self.shape()
        );
        let (outer, d, inner) = split_at_axis(self.shape(), axis);
        let x = self.data();
        let mut out = Vec::with_capacity(outer * len * inner);
        for o in 0..outer {
            let from = (o * d + start) * inner;
            out.extend_from_slice(&x[from..from + len * inner]);
        }
        let mut shape = self.shape().to_vec();
        shape[axis] = len;
        Tensor::from_parts("narrow", out, &shape)
    }

    /// Joins tensors end to end along an existing `axis` (like `torch.cat`).
    ///
    /// # Shapes
    /// `[..., d_i, ...]` for each input (all other lengths equal) `→ [..., Σ d_i, ...]`.
    pub fn concat(tensors: &[&Tensor], axis: usize) -> Tensor {
        assert!(!tensors.is_empty(), "concat: no tensors given");
        let first = tensors[0].shape();
        assert!(axis < first.len(), "concat: axis {axis} out of range for shape {first:?}");
        for t in tensors {
            let same_elsewhere = t.ndim() == first.len()
                && (0..first.len()).all(|k| k == axis || t.shape()[k] == first[k]);
            assert!(
                same_elsewhere,
                "concat: shapes {first:?} and {:?} differ outside axis {axis}",
                t.shape()
            );
        }
        let outer = numel(&first[..axis]);
        let total: usize = tensors.iter().map(|t| t.shape()[axis]).sum();
        let mut shape = first.to_vec();
        shape[axis] = total;
        let mut out = Vec::with_capacity(numel(&shape));
        for o in 0..outer {
            for t in tensors {
                let block = t.numel() / outer.max(1);
                out.extend_from_slice(&t.data()[o * block..(o + 1) * block]);
            }
        }
        Tensor::from_parts("concat", out, &shape)
    }

    /// Stacks same-shaped tensors along a new `axis` (like `torch.stack`).
    ///
    /// # Shapes
    /// `n` tensors of shape `S → S` with a new axis of length `n` inserted at `axis`.
    pub fn stack(tensors: &[&Tensor], axis: usize) -> Tensor {
        assert!(!tensors.is_empty(), "stack: no tensors given");
        let shape = tensors[0].shape();
        assert!(axis <= shape.len(), "stack: axis {axis} out of range for shape {shape:?}");
        let mut unsqueezed_shape = shape.to_vec();
        unsqueezed_shape.insert(axis, 1);
        let unsqueezed: Vec<Tensor> = tensors
            .iter()
            .map(|t| {
                assert_eq!(t.shape(), shape, "stack: shapes {shape:?} and {:?} differ", t.shape());
                t.reshape(&unsqueezed_shape)
            })
            .collect();
        let refs: Vec<&Tensor> = unsqueezed.iter().collect();
        Tensor::concat(&refs, axis)
    }

    /// Gathers the given entries of axis 0 (like `x[indices]` in PyTorch): the way a batch is
    /// cut from a data set.
    ///
    /// # Shapes
    /// `[N, ...] → [indices.len(), ...]`.
    pub fn select_rows(&self, indices: &[usize]) -> Tensor {
        assert!(self.ndim() >= 1, "select_rows: a scalar has no rows");
        let n = self.shape()[0];
        let row = strides(self.shape())[0];
        let mut out = Vec::with_capacity(indices.len() * row);
        for &i in indices {
            assert!(i < n, "select_rows: row {i} out of range for shape {:?}", self.shape());
            out.extend_from_slice(&self.data()[i * row..(i + 1) * row]);
        }
        let mut shape = self.shape().to_vec();
        shape[0] = indices.len();
        Tensor::from_parts("select_rows", out, &shape)
    }

    /// All axes after the first merged into one (like `torch.flatten(x, 1)`).
    ///
    /// # Shapes
    /// `[N, d_1, ..., d_k] → [N, d_1·…·d_k]`.
    pub fn flatten_from1(&self) -> Tensor {
        let n = self.dim(0);
        self.reshape(&[n, self.numel() / n.max(1)])
    }
}
