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
    pub fn reduce_axis(
        &self,
        op: &str,
        axis: usize,
        keepdim: bool,
        f: impl Fn(&mut dyn Iterator<Item = f32>) -> f32,
    ) -> Tensor {
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
    ///
    /// Where the summed axis is not the last, the lines are strided in memory; so instead of
    /// walking each line, whole rows `x[o, l, :]` are added into the output row `y[o, :]` for
    /// `l = 0, 1, …` in order. Each output is still the same sum in the same order as in
    /// [`Tensor::reduce_axis`] (which [`Tensor::sum_axis_naive`] uses), so the results agree
    /// bit for bit, but memory is read front to back once. This is the bias gradient of a
    /// layer: `[N, M] → [M]`.
    pub fn sum_axis(&self, axis: usize, keepdim: bool) -> Tensor {
        assert!(
            axis < self.ndim(),
            "sum_axis: axis {axis} is out of range for shape {:?}",
            self.shape()
        );
        let (outer, len, inner) = split_at_axis(self.shape(), axis);
        if inner == 1 {
            return self.sum_axis_naive(axis, keepdim);
        }
        let x = self.data();
        // −0.0 is the neutral start of a float sum, as in `Iterator::sum` (−0.0 + x = x).
        let mut out = vec![-0.0; outer * inner];
        for (o, y) in out.chunks_mut(inner).enumerate() {
            for l in 0..len {
                let row = &x[(o * len + l) * inner..(o * len + l + 1) * inner];
                y.iter_mut().zip(row).for_each(|(y, &v)| *y += v);
            }
        }
        Tensor::from_parts("sum_axis", out, &reduced_shape(self.shape(), axis, keepdim))
    }

    /// [`Tensor::sum_axis`] by the generic line-by-line [`Tensor::reduce_axis`], to test the
    /// row-at-a-time version against.
    pub fn sum_axis_naive(&self, axis: usize, keepdim: bool) -> Tensor {
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
        self.reduce_axis("min_axis", axis, keepdim, |line| {
            line.fold(f32::INFINITY, f32::min)
        })
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
        self.argmax_axis(1)
            .data()
            .iter()
            .map(|&k| k as usize)
            .collect()
    }

    /// The largest element of the whole tensor (−∞ for an empty one).
    pub fn max_all(&self) -> f32 {
        self.data()
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
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
            // All −∞ (log 0) or some +∞: the answer is m itself, and x − m would be NaN.
            if m.is_infinite() {
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
        // The partial sums so far; `None` until the first one (so `self` is never copied).
        let mut out: Option<Tensor> = None;
        // Sum away the leading axes that `shape` does not have.
        for _ in 0..lead {
            out = Some(out.as_ref().unwrap_or(self).sum_axis(0, false));
        }
        // Then the axes where `shape` has length 1.
        for (axis, &d) in shape.iter().enumerate() {
            let current = out.as_ref().unwrap_or(self);
            if d == 1 && current.dim(axis) != 1 {
                out = Some(current.sum_axis(axis, true));
            }
        }
        out.unwrap_or_else(|| self.reshape(shape))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    /// `[[1, 2, 3], [4, 5, 6]]`.
    fn x23() -> Tensor {
        Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap()
    }

    /// `x[i, j, k] = 12i + 4j + k`, shape `[2, 3, 4]`.
    fn x234() -> Tensor {
        Tensor::arange(0.0, 24.0, 1.0).reshape(&[2, 3, 4])
    }

    fn assert_close(a: &Tensor, shape: &[usize], b: &[f32]) {
        assert_eq!(a.shape(), shape);
        for (&x, &y) in a.data().iter().zip(b) {
            assert_abs_diff_eq!(x, y, epsilon = 1e-5);
        }
    }

    #[test]
    fn row_at_a_time_sum_equals_the_line_sum() {
        // Every axis of a [3, 5, 4] tensor of irregular values, with and without keepdim.
        let x = Tensor::arange(0.0, 60.0, 1.0)
            .map(|v| (v * 1.7).sin() * 1e3)
            .reshape(&[3, 5, 4]);
        for axis in 0..3 {
            for keepdim in [false, true] {
                let (fast, naive) = (x.sum_axis(axis, keepdim), x.sum_axis_naive(axis, keepdim));
                assert_eq!(fast, naive, "axis {axis}, keepdim {keepdim}");
                let bits = |t: &Tensor| t.data().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&fast), bits(&naive));
            }
        }
    }

    #[test]
    fn whole_tensor_reductions() {
        // 1 + 2 + … + 6 = 21, mean 21/6 = 3.5.
        assert_eq!(x23().sum_all().item(), 21.0);
        assert_eq!(x23().sum_all().shape(), &[] as &[usize]);
        assert_eq!(x23().mean_all().item(), 3.5);
        assert_eq!((x23().max_all(), x23().min_all()), (6.0, 1.0));
        // An empty tensor: max is −∞, min is +∞, the sum is 0.
        let empty = Tensor::zeros(&[0]);
        assert_eq!(
            (empty.max_all(), empty.min_all()),
            (f32::NEG_INFINITY, f32::INFINITY)
        );
        assert_eq!(empty.sum_all().item(), 0.0);
    }

    #[test]
    fn sum_along_each_axis() {
        // Down the columns: [1 + 4, 2 + 5, 3 + 6]; along the rows: [1 + 2 + 3, 4 + 5 + 6].
        assert_close(&x23().sum_axis(0, false), &[3], &[5.0, 7.0, 9.0]);
        assert_close(&x23().sum_axis(0, true), &[1, 3], &[5.0, 7.0, 9.0]);
        assert_close(&x23().sum_axis(1, false), &[2], &[6.0, 15.0]);
        assert_close(&x23().sum_axis(1, true), &[2, 1], &[6.0, 15.0]);
    }

    #[test]
    fn sum_along_each_axis_of_a_3d_tensor() {
        // Σ_i (12i + 4j + k) = 12 + 8j + 2k.
        let s0 = [
            12.0, 14.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0, 28.0, 30.0, 32.0, 34.0,
        ];
        assert_close(&x234().sum_axis(0, false), &[3, 4], &s0);
        assert_close(&x234().sum_axis(0, true), &[1, 3, 4], &s0);
        // Σ_j (12i + 4j + k) = 36i + 12 + 3k.
        let s1 = [12.0, 15.0, 18.0, 21.0, 48.0, 51.0, 54.0, 57.0];
        assert_close(&x234().sum_axis(1, false), &[2, 4], &s1);
        assert_close(&x234().sum_axis(1, true), &[2, 1, 4], &s1);
        // Σ_k (12i + 4j + k) = 48i + 16j + 6.
        let s2 = [6.0, 22.0, 38.0, 54.0, 70.0, 86.0];
        assert_close(&x234().sum_axis(2, false), &[2, 3], &s2);
        assert_close(&x234().sum_axis(2, true), &[2, 3, 1], &s2);
    }

    #[test]
    fn mean_along_each_axis() {
        // [(1 + 4)/2, (2 + 5)/2, (3 + 6)/2] and [(1 + 2 + 3)/3, (4 + 5 + 6)/3].
        assert_close(&x23().mean_axis(0, false), &[3], &[2.5, 3.5, 4.5]);
        assert_close(&x23().mean_axis(0, true), &[1, 3], &[2.5, 3.5, 4.5]);
        assert_close(&x23().mean_axis(1, false), &[2], &[2.0, 5.0]);
        assert_close(&x23().mean_axis(1, true), &[2, 1], &[2.0, 5.0]);
        // Over j of 12i + 4j + k: 12i + 4 + k.
        let m = [4.0, 5.0, 6.0, 7.0, 16.0, 17.0, 18.0, 19.0];
        assert_close(&x234().mean_axis(1, false), &[2, 4], &m);
    }

    #[test]
    fn max_and_min_along_each_axis() {
        // x = [[1, 5, 3], [4, 2, 6]].
        let x = Tensor::from_vec(vec![1.0, 5.0, 3.0, 4.0, 2.0, 6.0], &[2, 3]).unwrap();
        assert_close(&x.max_axis(0, false), &[3], &[4.0, 5.0, 6.0]);
        assert_close(&x.max_axis(0, true), &[1, 3], &[4.0, 5.0, 6.0]);
        assert_close(&x.max_axis(1, false), &[2], &[5.0, 6.0]);
        assert_close(&x.max_axis(1, true), &[2, 1], &[5.0, 6.0]);
        assert_close(&x.min_axis(0, false), &[3], &[1.0, 2.0, 3.0]);
        assert_close(&x.min_axis(0, true), &[1, 3], &[1.0, 2.0, 3.0]);
        assert_close(&x.min_axis(1, false), &[2], &[1.0, 2.0]);
        assert_close(&x.min_axis(1, true), &[2, 1], &[1.0, 2.0]);
        // Max over k of 12i + 4j + k is at k = 3.
        assert_close(
            &x234().max_axis(2, false),
            &[2, 3],
            &[3.0, 7.0, 11.0, 15.0, 19.0, 23.0],
        );
    }

    #[test]
    fn argmax_along_each_axis() {
        // x = [[1, 5, 3], [4, 2, 6]]: column maxima are in rows [1, 0, 1], row maxima in columns [1, 2].
        let x = Tensor::from_vec(vec![1.0, 5.0, 3.0, 4.0, 2.0, 6.0], &[2, 3]).unwrap();
        assert_close(&x.argmax_axis(0), &[3], &[1.0, 0.0, 1.0]);
        assert_close(&x.argmax_axis(1), &[2], &[1.0, 2.0]);
        assert_eq!(x.argmax_rows(), vec![1, 2]);
        // On a tie the first index wins, as in PyTorch: argmax [2, 7, 7] = 1.
        let tie = Tensor::from_vec(vec![2.0, 7.0, 7.0], &[1, 3]).unwrap();
        assert_eq!(tie.argmax_rows(), vec![1]);
        // Along the middle axis of 12i + 4j + k the largest j = 2 always wins.
        assert_close(&x234().argmax_axis(1), &[2, 4], &[2.0; 8]);
    }

    #[test]
    #[should_panic(expected = "argmax_rows: expected a [N, C] tensor, got shape [6]")]
    fn argmax_rows_needs_a_matrix() {
        Tensor::zeros(&[6]).argmax_rows();
    }

    #[test]
    fn var_biased_and_unbiased() {
        // Row [1, 2, 3]: mean 2, Σ(x − x̄)² = 1 + 0 + 1 = 2: biased 2/3, unbiased 2/2 = 1.
        assert_close(
            &x23().var_axis(1, false, false),
            &[2],
            &[2.0 / 3.0, 2.0 / 3.0],
        );
        assert_close(&x23().var_axis(1, true, false), &[2], &[1.0, 1.0]);
        assert_close(&x23().var_axis(1, true, true), &[2, 1], &[1.0, 1.0]);
        // Column [1, 4]: mean 2.5, Σ(x − x̄)² = 2.25 + 2.25 = 4.5: biased 2.25, unbiased 4.5.
        assert_close(&x23().var_axis(0, false, true), &[1, 3], &[2.25; 3]);
        assert_close(&x23().var_axis(0, true, false), &[3], &[4.5; 3]);
        // std = √var: √2.25 = 1.5 and √4.5 ≈ 2.1213203.
        assert_close(&x23().std_axis(0, false, false), &[3], &[1.5; 3]);
        assert_close(&x23().std_axis(0, true, true), &[1, 3], &[4.5f32.sqrt(); 3]);
        // [1, 2, 3, 4]: mean 2.5, Σ(x − x̄)² = 5: biased 5/4, unbiased 5/3.
        let v = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0], &[4]).unwrap();
        assert_close(&v.var_axis(0, false, false), &[], &[1.25]);
        assert_close(&v.var_axis(0, true, false), &[], &[5.0 / 3.0]);
        // Like PyTorch, the unbiased variance of one sample is 0/0 = NaN.
        assert!(Tensor::ones(&[1]).var_axis(0, true, false).item().is_nan());
    }

    #[test]
    fn logsumexp_values() {
        // log(e^0 + e^0) = ln 2.
        let z = Tensor::zeros(&[1, 2]).logsumexp_axis(1, false);
        assert_close(&z, &[1], &[std::f32::consts::LN_2]);
        // log(e^1 + e^2 + e^3) = 3 + ln(e^(−2) + e^(−1) + 1) ≈ 3.4076059.
        let x = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3, 1]).unwrap();
        assert_close(&x.logsumexp_axis(0, true), &[1, 1], &[3.407_606]);
        // Along the rows of [[1, 2, 3], [4, 5, 6]], each row is the row above + 3.
        assert_close(
            &x23().logsumexp_axis(1, false),
            &[2],
            &[3.407_606, 6.407_606],
        );
        let rows = [3.407_606, 6.407_606];
        assert_close(&x23().logsumexp_axis(1, true), &[2, 1], &rows);
        // Down the columns: log(e^a + e^(a+3)) = a + 3 + ln(1 + e^(−3)) ≈ a + 3.0485874.
        let c = [4.048_587, 5.048_587, 6.048_587];
        assert_close(&x23().logsumexp_axis(0, false), &[3], &c);
    }

    #[test]
    fn logsumexp_is_stable_at_plus_minus_100() {
        // e^100 overflows f32 and e^(−100) underflows; with m = max the sums stay finite.
        // Rows: [100, 100] → 100 + ln 2; [−100, −100] → −100 + ln 2; [100, −100] → 100 + ln(1 + e^(−200)) = 100.
        let x =
            Tensor::from_vec(vec![100.0, 100.0, -100.0, -100.0, 100.0, -100.0], &[3, 2]).unwrap();
        let y = x.logsumexp_axis(1, false);
        assert!(y.data().iter().all(|v| v.is_finite()), "{y}");
        let ln2 = std::f32::consts::LN_2;
        assert_close(&y, &[3], &[100.0 + ln2, -100.0 + ln2, 100.0]);
        // A line of −∞ (every option masked out) has logsumexp −∞, not NaN.
        let masked = Tensor::full(&[2], f32::NEG_INFINITY).logsumexp_axis(0, false);
        assert_eq!(masked.item(), f32::NEG_INFINITY);
        // A line holding +∞ has logsumexp +∞, as in PyTorch.
        let inf = Tensor::from_vec(vec![1.0, f32::INFINITY], &[2]).unwrap();
        assert_eq!(inf.logsumexp_axis(0, false).item(), f32::INFINITY);
    }

    #[test]
    fn sum_to_undoes_broadcasting() {
        // [[1, 2, 3], [4, 5, 6]] summed to [3] (a bias's gradient): the column sums.
        assert_close(&x23().sum_to(&[3]), &[3], &[5.0, 7.0, 9.0]);
        assert_close(&x23().sum_to(&[1, 3]), &[1, 3], &[5.0, 7.0, 9.0]);
        // To [2, 1]: the row sums.
        assert_close(&x23().sum_to(&[2, 1]), &[2, 1], &[6.0, 15.0]);
        // To [] or [1, 1]: everything, 21.
        assert_close(&x23().sum_to(&[]), &[], &[21.0]);
        assert_close(&x23().sum_to(&[1, 1]), &[1, 1], &[21.0]);
        // To its own shape: unchanged.
        assert_eq!(x23().sum_to(&[2, 3]), x23());
        // 12i + 4j + k summed to [3, 1]: Σ_i Σ_k = 2·(16j + 6) + 4·12 = 32j + 60.
        assert_close(&x234().sum_to(&[3, 1]), &[3, 1], &[60.0, 92.0, 124.0]);
        // To [2, 1, 4]: Σ_j = 36i + 12 + 3k, as sum_axis(1, true).
        assert_eq!(x234().sum_to(&[2, 1, 4]), x234().sum_axis(1, true));
    }

    #[test]
    #[should_panic(expected = "sum_to: shape [2, 3] cannot be summed down to [4]")]
    fn sum_to_a_shape_that_does_not_broadcast_panics() {
        x23().sum_to(&[4]);
    }

    #[test]
    #[should_panic(expected = "sum_axis: axis 2 is out of range for shape [2, 3]")]
    fn reduction_along_a_missing_axis_panics() {
        x23().sum_axis(2, false);
    }

    #[test]
    #[should_panic(expected = "max_axis: axis 3 is out of range for shape [2, 3, 4]")]
    fn max_along_a_missing_axis_panics() {
        x234().max_axis(3, true);
    }
}
