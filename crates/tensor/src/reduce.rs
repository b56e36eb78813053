//! Reductions: sums, means, maxima, variances and `logsumexp`, over all elements or one axis.
//!
//! An axis-wise reduction of a tensor of shape `[..., d_axis, ...]` gives shape
//! `[..., 1, ...]` when `keepdim` is true (handy for broadcasting the result back, as in
//! `x − max(x)`), and drops the axis when it is false, as PyTorch's `keepdim` does.

use crate::shape::{broadcast_shape, split_at_axis};
use crate::tensor::Tensor;

/// The shape after reducing `axis` of `shape`: that axis set to 1, or removed.
fn reduced_shape(shape: &[usize], axis: usize, keepdim: bool) -> Vec<usize> {
    let mut out = shape.to_vec();
    if keepdim {
        out[axis] = 1;
    } else {
        out.remove(axis);
    }
    out
}

impl Tensor {
    /// Folds every line of numbers along `axis` with `f`, giving one number per line.
    ///
    /// Seen as `[outer, len, inner]` (see [`crate::shape::split_at_axis`]), the line for
    /// `(o, i)` is `x[o, 0, i], x[o, 1, i], ..., x[o, len − 1, i]`.
    pub fn reduce_axis(&self, op: &str, axis: usize, keepdim: bool, f: impl Fn(&mut dyn Iterator<Item = f32>) -> f32) -> Tensor {
        assert!(
            axis < self.ndim(),
            "{op}: axis {axis} is out of range for shape {:?}",
            self.shape()
        );
        let (outer, len, inner) = split_at_axis(self.shape(), axis);
        let x = self.data();
        let mut out = Vec::with_capacity(outer * inner);
        for o in 0..outer {
            for i in 0..inner {
                let mut line = (0..len).map(|l| x[(o * len + l) * inner + i]);
                out.push(f(&mut line));
            }
        }
        Tensor::from_parts(op, out, &reduced_shape(self.shape(), axis, keepdim))
    }

    /// `Σ x` over every element, as a scalar tensor of shape `[]`.
    pub fn sum_all(&self) -> Tensor {
        Tensor::scalar(self.data().iter().sum())
    }

    /// The mean `(1/n) Σ x` over every element, as a scalar tensor.
    pub fn mean_all(&self) -> Tensor {
        Tensor::scalar(self.data().iter().sum::<f32>() / self.numel() as f32)
    }

    /// `Σ_k x[..., k, ...]` along `axis`.
    pub fn sum_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.reduce_axis("sum_axis", axis, keepdim, |line| line.sum())
    }

    /// The mean along `axis`: `(1/d) Σ_k x[..., k, ...]` with `d` the axis' length.
    pub fn mean_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        let d = self.dim(axis) as f32;
        self.reduce_axis("mean_axis", axis, keepdim, |line| line.sum::<f32>() / d)
    }

    /// The largest element along `axis`.
    pub fn max_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.reduce_axis("max_axis", axis, keepdim, |line| {
            line.fold(f32::NEG_INFINITY, f32::max)
        })
    }

    /// The smallest element along `axis`.
    pub fn min_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.reduce_axis("min_axis", axis, keepdim, |line| line.fold(f32::INFINITY, f32::min))
    }

    /// The index of the largest element along `axis` (the first one on ties), as `f32`
    /// values in a tensor with that axis removed.
    pub fn argmax_axis(&self, axis: usize) -> Tensor {
        self.reduce_axis("argmax_axis", axis, false, |line| {
            let mut best = (0, f32::NEG_INFINITY);
            for (k, v) in line.enumerate() {
                if v > best.1 {
                    best = (k, v);
                }
            }
            best.0 as f32
        })
    }

    /// The row-wise argmax of a `[N, C]` tensor as class indices: the predicted class of
    /// each row of logits or probabilities.
    pub fn argmax_rows(&self) -> Vec<usize> {
        assert_eq!(
            self.ndim(),
            2,
            "argmax_rows: expected a [N, C] tensor, got shape {:?}",
            self.shape()
        );
        self.argmax_axis(1).data().iter().map(|&k| k as usize).collect()
    }

    /// The largest element of the whole tensor (−∞ for an empty one).
    pub fn max_all(&self) -> f32 {
        self.data().iter().copied().fold(f32::NEG_INFINITY, f32::max)
    }

    /// The smallest element of the whole tensor (+∞ for an empty one).
    pub fn min_all(&self) -> f32 {
        self.data().iter().copied().fold(f32::INFINITY, f32::min)
    }

    /// The variance along `axis`: `Σ (x − x̄)² / (d − c)` where `c = 1` if `unbiased`
    /// (Bessel's correction, PyTorch's default for `torch.var`) and `c = 0` otherwise
    /// (the population variance, NumPy's default and what batch statistics use).
    pub fn var_axis(&self, axis: usize, unbiased: bool, keepdim: bool) -> Tensor {
        let d = self.dim(axis);
        let denom = if unbiased { d as f32 - 1.0 } else { d as f32 };
        self.reduce_axis("var_axis", axis, keepdim, |line| {
            let values: Vec<f32> = line.collect();
            let mean = values.iter().sum::<f32>() / d as f32;
            values.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / denom
        })
    }

    /// The standard deviation along `axis`, `√var` (see [`Tensor::var_axis`] for `unbiased`).
    pub fn std_axis(&self, axis: usize, unbiased: bool, keepdim: bool) -> Tensor {
        self.var_axis(axis, unbiased, keepdim).sqrt()
    }

    /// `log Σ_k e^(x_k)` along `axis`, computed stably as `m + log Σ_k e^(x_k − m)` with
    /// `m = max_k x_k`, so that logits of ±100 neither overflow nor underflow.
    pub fn logsumexp_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        self.reduce_axis("logsumexp_axis", axis, keepdim, |line| {
            let values: Vec<f32> = line.collect();
            let m = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            if m == f32::NEG_INFINITY {
                return m;
            }
            m + values.iter().map(|v| (v - m).exp()).sum::<f32>().ln()
        })
    }

    /// Sums this tensor down to `shape`, undoing a broadcast: every axis that `shape`
    /// lacks or has as length 1 is summed over. This is how the gradient of a broadcast
    /// input is formed (a bias added to every row gets the sum of the rows' gradients).
    ///
    /// # Shapes
    /// `self: broadcast(shape, S) → shape`; panics if `shape` does not broadcast to `self`.
    pub fn sum_to(&self, shape: &[usize]) -> Tensor {
        if self.shape() == shape {
            return self.clone();
        }
        assert!(
            broadcast_shape(shape, self.shape()).as_deref() == Some(self.shape()),
            "sum_to: shape {:?} cannot be summed down to {shape:?}",
            self.shape()
        );
        let lead = self.ndim() - shape.len();
        let mut out = self.clone();
        // Sum away the leading axes that `shape` does not have.
        for _ in 0..lead {
            out = out.sum_axis(0, false);
        }
        // Then the axes where `shape` has length 1.
        for (axis, &d) in shape.iter().enumerate() {
            if d == 1 && out.dim(axis) != 1 {
                out = out.sum_axis(axis, true);
            }
        }
        out
    }
}
