//! Moving elements around without changing them: transposes, permutations, broadcasting to
//! a larger shape, slices, concatenation, stacking and gathering rows.
//!
//! Every result is a fresh contiguous tensor; a learner never meets a strided view.

use crate::shape::{broadcast_shape, broadcast_strides, numel, split_at_axis, strides};
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
    /// (like `torch.permute`). The numbers are copied by
    /// [`kernels::permute`](crate::kernels::permute), in runs where the last axes stay in
    /// place; the same copy as [`Tensor::permute_naive`]'s.
    ///
    /// # Shapes
    /// `[d_0, ..., d_n] → [d_axes[0], ..., d_axes[n]]`.
    pub fn permute(&self, axes: &[usize]) -> Tensor {
        check_permutation(axes, self.shape());
        let shape: Vec<usize> = axes.iter().map(|&a| self.shape()[a]).collect();
        let data = crate::kernels::permute::permute(self.data(), self.shape(), axes);
        Tensor::from_parts("permute", data, &shape)
    }

    /// [`Tensor::permute`] one number at a time: an odometer over the result's indices that
    /// tracks where each number sits in `self`.
    pub fn permute_naive(&self, axes: &[usize]) -> Tensor {
        check_permutation(axes, self.shape());
        let nd = self.ndim();
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

    /// The tensor repeated along the axes where `shape` is longer (like `torch.broadcast_to`
    /// or `expand`, but a fresh copy): what broadcasting does to an operand before an
    /// element-wise op, made explicit. A vision transformer copies its one class token
    /// `[1, 1, D]` for every image of the batch, `[N, 1, D]`.
    ///
    /// # Shapes
    /// `S → shape`, where `S` broadcasts to `shape` (see [`crate::shape::broadcast_shape`]).
    ///
    /// ```
    /// use tensor::Tensor;
    /// let row = Tensor::from_vec(vec![1.0, 2.0], &[1, 2]).unwrap();
    /// assert_eq!(row.broadcast_to(&[3, 2]).data(), &[1.0, 2.0, 1.0, 2.0, 1.0, 2.0]);
    /// ```
    pub fn broadcast_to(&self, shape: &[usize]) -> Tensor {
        assert!(
            broadcast_shape(self.shape(), shape).as_deref() == Some(shape),
            "broadcast_to: shape {:?} cannot be broadcast to {shape:?}",
            self.shape()
        );
        // Read `self` at its broadcast strides (0 along repeated axes), like an odometer.
        let src_strides = broadcast_strides(self.shape(), shape);
        let (x, n, nd) = (self.data(), numel(shape), shape.len());
        let mut out = Vec::with_capacity(n);
        let mut index = vec![0; nd];
        let mut offset = 0;
        for _ in 0..n {
            out.push(x[offset]);
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
        Tensor::from_parts("broadcast_to", out, shape)
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
        assert!(
            axis < first.len(),
            "concat: axis {axis} out of range for shape {first:?}"
        );
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
        assert!(
            axis <= shape.len(),
            "stack: axis {axis} out of range for shape {shape:?}"
        );
        let mut unsqueezed_shape = shape.to_vec();
        unsqueezed_shape.insert(axis, 1);
        let unsqueezed: Vec<Tensor> = tensors
            .iter()
            .map(|t| {
                assert_eq!(
                    t.shape(),
                    shape,
                    "stack: shapes {shape:?} and {:?} differ",
                    t.shape()
                );
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
            assert!(
                i < n,
                "select_rows: row {i} out of range for shape {:?}",
                self.shape()
            );
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

/// Panics unless `axes` is a permutation of the axes of `shape`.
fn check_permutation(axes: &[usize], shape: &[usize]) {
    let nd = shape.len();
    let mut seen = vec![false; nd];
    assert!(
        axes.len() == nd
            && axes
                .iter()
                .all(|&a| a < nd && !std::mem::replace(&mut seen[a], true)),
        "permute: {axes:?} is not a permutation of the axes of shape {shape:?}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_vec(v.to_vec(), shape).unwrap()
    }

    /// `[[1, 2, 3], [4, 5, 6]]`.
    fn x23() -> Tensor {
        t(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3])
    }

    /// `x[i, j, k] = 12i + 4j + k`, shape `[2, 3, 4]`.
    fn x234() -> Tensor {
        Tensor::arange(0.0, 24.0, 1.0).reshape(&[2, 3, 4])
    }

    #[test]
    fn t_transposes_a_matrix() {
        // xᵀ[j, i] = x[i, j]: [[1, 4], [2, 5], [3, 6]].
        let y = x23().t();
        assert_eq!(y.shape(), &[3, 2]);
        assert_eq!(y.data(), &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
        // (xᵀ)ᵀ = x.
        assert_eq!(y.t(), x23());
    }

    #[test]
    #[should_panic(expected = "t: expected a 2-D tensor, got shape [2, 3, 4]")]
    fn t_needs_a_matrix() {
        x234().t();
    }

    #[test]
    fn transpose_swaps_two_axes() {
        // y = x.transpose(0, 2): y[k, j, i] = x[i, j, k] = 12i + 4j + k, shape [4, 3, 2].
        let y = x234().transpose(0, 2);
        assert_eq!(y.shape(), &[4, 3, 2]);
        assert_eq!(y.at(&[3, 2, 1]), 23.0); // 12 + 8 + 3
        assert_eq!(y.at(&[1, 0, 1]), 13.0); // 12 + 0 + 1
        assert_eq!(y.at(&[2, 1, 0]), 6.0); // 0 + 4 + 2
        // Swapping an axis with itself changes nothing.
        assert_eq!(x234().transpose(1, 1), x234());
        // On a matrix, transpose(0, 1) is t().
        assert_eq!(x23().transpose(1, 0), x23().t());
    }

    #[test]
    #[should_panic(expected = "transpose: axes 0 and 3 out of range for shape [2, 3, 4]")]
    fn transpose_of_a_missing_axis_panics() {
        x234().transpose(0, 3);
    }

    #[test]
    fn permute_reorders_axes() {
        // y = x.permute([2, 0, 1]): y[k, i, j] = x[i, j, k] = 12i + 4j + k, shape [4, 2, 3].
        let y = x234().permute(&[2, 0, 1]);
        assert_eq!(y.shape(), &[4, 2, 3]);
        assert_eq!(y.at(&[1, 1, 0]), 13.0); // 12 + 0 + 1
        assert_eq!(y.at(&[3, 0, 2]), 11.0); // 0 + 8 + 3
        // y[0, 0, :] = x[0, :, 0] = [0, 4, 8].
        assert_eq!(&y.data()[..3], &[0.0, 4.0, 8.0]);
        // [2, 0, 1] is undone by its inverse [1, 2, 0].
        assert_eq!(y.permute(&[1, 2, 0]), x234());
        // The identity permutation and a scalar's empty permutation change nothing.
        assert_eq!(x234().permute(&[0, 1, 2]), x234());
        assert_eq!(Tensor::scalar(5.0).permute(&[]), Tensor::scalar(5.0));
    }

    #[test]
    #[should_panic(expected = "permute: [0, 0] is not a permutation of the axes of shape [2, 3]")]
    fn permute_with_a_repeated_axis_panics() {
        x23().permute(&[0, 0]);
    }

    #[test]
    #[should_panic(
        expected = "permute: [1, 0] is not a permutation of the axes of shape [2, 3, 4]"
    )]
    fn permute_with_too_few_axes_panics() {
        x234().permute(&[1, 0]);
    }

    #[test]
    fn broadcast_to_repeats_along_new_and_unit_axes() {
        // [1, 1, 3] → [2, 2, 3]: the one row copied four times.
        let token = t(&[1.0, 2.0, 3.0], &[1, 1, 3]);
        let y = token.broadcast_to(&[2, 2, 3]);
        assert_eq!(y.data(), &[1.0, 2.0, 3.0].repeat(4)[..]);
        // A column [2, 1] → [2, 3]: each row repeats its own number; a missing leading axis
        // is added: [3] → [2, 3].
        let col = t(&[5.0, 7.0], &[2, 1]);
        assert_eq!(
            col.broadcast_to(&[2, 3]).data(),
            &[5.0, 5.0, 5.0, 7.0, 7.0, 7.0]
        );
        let row = t(&[1.0, 2.0, 3.0], &[3]);
        assert_eq!(
            row.broadcast_to(&[2, 3]).data(),
            &[1.0, 2.0, 3.0, 1.0, 2.0, 3.0]
        );
        // It is what `add` does to its smaller operand.
        let x = x234();
        let b = t(&[1.0, 10.0, 100.0, 1000.0], &[4]);
        assert_eq!(x.add(&b.broadcast_to(&[2, 3, 4])), x.add(&b));
        // To its own shape it is a copy.
        assert_eq!(x.broadcast_to(&[2, 3, 4]), x);
    }

    #[test]
    #[should_panic(expected = "broadcast_to: shape [2, 3] cannot be broadcast to [4, 3]")]
    fn broadcast_to_needs_lengths_of_one() {
        x23().broadcast_to(&[4, 3]);
    }

    #[test]
    fn narrow_takes_a_slice_along_an_axis() {
        // Rows 1..2 of [[1, 2, 3], [4, 5, 6]]: [[4, 5, 6]].
        assert_eq!(x23().narrow(0, 1, 1), t(&[4.0, 5.0, 6.0], &[1, 3]));
        // Column 2: [[3], [6]].
        assert_eq!(x23().narrow(1, 2, 1), t(&[3.0, 6.0], &[2, 1]));
        // x[:, 1..3, :] of 12i + 4j + k: y[i, j, k] = 12i + 4(j + 1) + k.
        let y = x234().narrow(1, 1, 2);
        assert_eq!(y.shape(), &[2, 2, 4]);
        let expected: Vec<f32> = (4..12).chain(16..24).map(|v| v as f32).collect();
        assert_eq!(y.data(), &expected[..]);
        // An empty slice is allowed.
        assert_eq!(x23().narrow(1, 3, 0).shape(), &[2, 0]);
    }

    #[test]
    #[should_panic(expected = "narrow: cannot take 2..4 along axis 1 of shape [2, 3]")]
    fn narrow_past_the_end_panics() {
        x23().narrow(1, 2, 2);
    }

    #[test]
    fn concat_joins_along_an_axis() {
        // Stacking a row under [[1, 2, 3], [4, 5, 6]].
        let row = t(&[7.0, 8.0, 9.0], &[1, 3]);
        let y = Tensor::concat(&[&x23(), &row], 0);
        assert_eq!(y.shape(), &[3, 3]);
        assert_eq!(y.data(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
        // Appending a column: [[1, 2, 3, 10], [4, 5, 6, 20]].
        let col = t(&[10.0, 20.0], &[2, 1]);
        let y = Tensor::concat(&[&x23(), &col], 1);
        assert_eq!(y.data(), &[1.0, 2.0, 3.0, 10.0, 4.0, 5.0, 6.0, 20.0]);
        // Cutting 12i + 4j + k into three slices along the middle axis and joining them again.
        let x = x234();
        let parts = [x.narrow(1, 0, 1), x.narrow(1, 1, 0), x.narrow(1, 1, 2)];
        assert_eq!(Tensor::concat(&[&parts[0], &parts[1], &parts[2]], 1), x);
        // One tensor is returned as it is.
        assert_eq!(Tensor::concat(&[&x], 2), x);
    }

    #[test]
    #[should_panic(expected = "concat: shapes [2, 3] and [2, 4] differ outside axis 0")]
    fn concat_with_mismatched_shapes_panics() {
        Tensor::concat(&[&Tensor::zeros(&[2, 3]), &Tensor::zeros(&[2, 4])], 0);
    }

    #[test]
    #[should_panic(expected = "concat: shapes [2, 3] and [6] differ outside axis 0")]
    fn concat_with_different_ranks_panics() {
        Tensor::concat(&[&Tensor::zeros(&[2, 3]), &Tensor::zeros(&[6])], 0);
    }

    #[test]
    #[should_panic(expected = "concat: axis 2 out of range for shape [2, 3]")]
    fn concat_along_a_missing_axis_panics() {
        Tensor::concat(&[&x23(), &x23()], 2);
    }

    #[test]
    #[should_panic(expected = "concat: no tensors given")]
    fn concat_of_nothing_panics() {
        Tensor::concat(&[], 0);
    }

    #[test]
    fn stack_adds_an_axis() {
        let a = t(&[1.0, 2.0], &[2]);
        let b = t(&[3.0, 4.0], &[2]);
        // Along a new axis 0: [[1, 2], [3, 4]]; along a new axis 1: [[1, 3], [2, 4]].
        assert_eq!(
            Tensor::stack(&[&a, &b], 0),
            t(&[1.0, 2.0, 3.0, 4.0], &[2, 2])
        );
        assert_eq!(
            Tensor::stack(&[&a, &b], 1),
            t(&[1.0, 3.0, 2.0, 4.0], &[2, 2])
        );
        // Three [2, 3] matrices stacked in the middle: [2, 3, 3] with y[i, s, j] = x_s[i, j].
        let xs = [x23(), x23().mul_scalar(10.0), x23().mul_scalar(100.0)];
        let y = Tensor::stack(&[&xs[0], &xs[1], &xs[2]], 1);
        assert_eq!(y.shape(), &[2, 3, 3]);
        assert_eq!(y.at(&[1, 2, 0]), 400.0); // 100 · x[1, 0]
        // Stacking scalars makes a vector.
        let s = Tensor::stack(&[&Tensor::scalar(1.0), &Tensor::scalar(2.0)], 0);
        assert_eq!(s, t(&[1.0, 2.0], &[2]));
    }

    #[test]
    #[should_panic(expected = "stack: shapes [2] and [3] differ")]
    fn stack_with_different_shapes_panics() {
        Tensor::stack(&[&Tensor::zeros(&[2]), &Tensor::zeros(&[3])], 0);
    }

    #[test]
    fn select_rows_gathers_a_batch() {
        // x = [[0, 1], [2, 3], [4, 5]]; rows [2, 0, 2] in that order, repeats allowed.
        let x = Tensor::arange(0.0, 6.0, 1.0).reshape(&[3, 2]);
        let y = x.select_rows(&[2, 0, 2]);
        assert_eq!(y, t(&[4.0, 5.0, 0.0, 1.0, 4.0, 5.0], &[3, 2]));
        // Images keep their trailing axes: [2, 3, 4] rows [1] → [1, 3, 4].
        assert_eq!(x234().select_rows(&[1]), x234().narrow(0, 1, 1));
        // No indices, no rows.
        assert_eq!(x.select_rows(&[]).shape(), &[0, 2]);
    }

    #[test]
    #[should_panic(expected = "select_rows: row 3 out of range for shape [3, 2]")]
    fn select_rows_out_of_range_panics() {
        Tensor::zeros(&[3, 2]).select_rows(&[0, 3]);
    }

    #[test]
    fn flatten_from1_merges_trailing_axes() {
        // [2, 3, 4] → [2, 12], the same numbers in the same order.
        let y = x234().flatten_from1();
        assert_eq!(y.shape(), &[2, 12]);
        assert_eq!(y.data(), x234().data());
    }
}
