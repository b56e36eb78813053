//! Softmax along one axis, and the vector-Jacobian product of its backward pass, as plain
//! loops over the lines of that axis.
//!
//! Seen as `[outer, len, inner]` (see [`crate::shape::split_at_axis`]), each line
//! `x[o, ·, i]` of `len` numbers becomes a probability distribution:
//!
//! ```text
//! y_k = e^(x_k − m) / Σ_j e^(x_j − m),   m = max_j x_j
//! ```
//!
//! (subtracting `m` changes nothing mathematically and keeps `e^(·) ≤ 1`, so logits of ±1000
//! cannot overflow). Its Jacobian is `∂y_k/∂x_j = y_k·(δ_kj − y_j)`, so for `g = ∂L/∂y`
//!
//! ```text
//! ∂L/∂x_j = Σ_k g_k·y_k·(δ_kj − y_j) = y_j·(g_j − Σ_k g_k·y_k)
//! ```
//!
//! one dot product per line and one pass. Each function writes its result once, with no
//! temporary of the input's size: attention takes the softmax of `[B, H, T, T]` scores.

use crate::shape::split_at_axis;
use crate::tensor::Tensor;

/// Panics, naming `op`, unless `axis` is an axis of `shape`.
fn check_axis(op: &str, shape: &[usize], axis: usize) {
    assert!(
        axis < shape.len(),
        "{op}: axis {axis} is out of range for shape {shape:?}"
    );
}

impl Tensor {
    /// `y_k = e^(x_k − m) / Σ_j e^(x_j − m)` along `axis`, `m` the line's maximum: every line
    /// along `axis` becomes positive numbers that sum to 1.
    ///
    /// # Shapes
    /// Any shape, unchanged; e.g. attention scores `[B, H, T, T]` along axis 3.
    ///
    /// ```
    /// use tensor::Tensor;
    /// // softmax([0, ln 3]) = [1, 3]/(1 + 3) = [0.25, 0.75], row by row.
    /// let x = Tensor::from_vec(vec![0.0, 3f32.ln(), 5.0, 5.0], &[2, 2]).unwrap();
    /// let y = x.softmax(1);
    /// assert!((y.data()[0] - 0.25).abs() < 1e-6 && (y.data()[1] - 0.75).abs() < 1e-6);
    /// assert_eq!(&y.data()[2..], &[0.5, 0.5]);
    /// ```
    pub fn softmax(&self, axis: usize) -> Tensor {
        check_axis("softmax", self.shape(), axis);
        if axis + 1 == self.ndim() {
            let len = self.shape()[axis];
            let y = crate::kernels::softmax::forward_last(self.data(), len);
            return Tensor::from_parts("softmax", y, self.shape());
        }
        self.softmax_naive(axis)
    }

    /// [`Tensor::softmax`] by the plain loops of the module doc, along any axis: the
    /// reference of the kernel that takes the last axis
    /// ([`kernels::softmax`](crate::kernels::softmax)).
    pub fn softmax_naive(&self, axis: usize) -> Tensor {
        check_axis("softmax", self.shape(), axis);
        let (outer, len, inner) = split_at_axis(self.shape(), axis);
        let x = self.data();
        let mut y = vec![0.0; x.len()];
        for o in 0..outer {
            for i in 0..inner {
                // Line (o, i): positions (o·len + k)·inner + i for k = 0 .. len.
                let at = |k: usize| (o * len + k) * inner + i;
                let m = (0..len).map(|k| x[at(k)]).fold(f32::NEG_INFINITY, f32::max);
                let mut sum = 0.0;
                for k in 0..len {
                    let e = (x[at(k)] - m).exp();
                    y[at(k)] = e;
                    sum += e;
                }
                for k in 0..len {
                    y[at(k)] /= sum;
                }
            }
        }
        Tensor::from_parts("softmax", y, self.shape())
    }
}

/// `∂L/∂x_j = y_j·(g_j − Σ_k g_k·y_k)` along `axis`, from the softmax's output `y` and
/// `g = ∂L/∂y` (see the module doc).
///
/// # Shapes
/// `g`, `y`: the same shape → that shape.
///
/// ```
/// use tensor::Tensor;
/// use tensor::softmax::softmax_backward;
/// // y = [0.25, 0.75], g = [1, 0]: Σ g·y = 0.25, ∂L/∂x = [0.25·0.75, 0.75·(0 − 0.25)].
/// let y = Tensor::from_vec(vec![0.25, 0.75], &[1, 2]).unwrap();
/// let g = Tensor::from_vec(vec![1.0, 0.0], &[1, 2]).unwrap();
/// assert_eq!(softmax_backward(&g, &y, 1).data(), &[0.1875, -0.1875]);
/// ```
pub fn softmax_backward(g: &Tensor, y: &Tensor, axis: usize) -> Tensor {
    if axis + 1 == y.ndim() && g.shape() == y.shape() {
        let len = y.shape()[axis];
        let dx = crate::kernels::softmax::backward_last(g.data(), y.data(), len);
        return Tensor::from_parts("softmax backward", dx, y.shape());
    }
    softmax_backward_naive(g, y, axis)
}

/// [`softmax_backward`] by the plain loop, along any axis: the reference of the kernel that
/// takes the last axis.
pub fn softmax_backward_naive(g: &Tensor, y: &Tensor, axis: usize) -> Tensor {
    assert_eq!(
        g.shape(),
        y.shape(),
        "softmax backward: gradient {:?} and output {:?} differ",
        g.shape(),
        y.shape()
    );
    check_axis("softmax backward", y.shape(), axis);
    let (outer, len, inner) = split_at_axis(y.shape(), axis);
    let (gd, yd) = (g.data(), y.data());
    let mut dx = vec![0.0; yd.len()];
    for o in 0..outer {
        for i in 0..inner {
            let at = |k: usize| (o * len + k) * inner + i;
            let dot: f32 = (0..len).map(|k| gd[at(k)] * yd[at(k)]).sum();
            for k in 0..len {
                dx[at(k)] = yd[at(k)] * (gd[at(k)] - dot);
            }
        }
    }
    Tensor::from_parts("softmax backward", dx, y.shape())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_sums_to_one_along_any_axis() {
        // x[i, j, k] = 12i + 4j + k, shape [2, 3, 4]: along each axis every line sums to 1.
        let x = Tensor::arange(0.0, 24.0, 1.0)
            .reshape(&[2, 3, 4])
            .mul_scalar(0.1);
        for axis in 0..3 {
            let sums = x.softmax(axis).sum_axis(axis, false);
            assert!(
                sums.data().iter().all(|s| (s - 1.0).abs() < 1e-6),
                "axis {axis}"
            );
        }
        // Along axis 1, the line (0, ·, 0) is 0, 0.4, 0.8: e^(0.4k) / (1 + e^0.4 + e^0.8).
        let y = x.softmax(1);
        let z = 1.0 + 0.4f32.exp() + 0.8f32.exp();
        assert!((y.at(&[0, 2, 0]) - 0.8f32.exp() / z).abs() < 1e-6);
    }

    #[test]
    fn large_logits_do_not_overflow() {
        // e^1000 overflows, e^(1000 − 1000) does not: softmax([1000, 1000 − ln 3]) = [3/4, 1/4].
        let x = Tensor::from_vec(vec![1000.0, 1000.0 - 3f32.ln()], &[2]).unwrap();
        let y = x.softmax(0);
        assert!((y.data()[0] - 0.75).abs() < 1e-4 && (y.data()[1] - 0.25).abs() < 1e-4);
    }

    #[test]
    fn equals_the_formula_built_from_tensor_ops() {
        // e^(x − max) / Σ e^(x − max), with broadcasting, on a [2, 2, 3, 3] block of scores.
        let x = Tensor::arange(0.0, 36.0, 1.0)
            .map(|v| (v * 0.37).sin() * 3.0)
            .reshape(&[2, 2, 3, 3]);
        for axis in 0..4 {
            let e = x.sub(&x.max_axis(axis, true)).exp();
            let reference = e.div(&e.sum_axis(axis, true));
            assert!(
                x.softmax(axis).max_abs_diff(&reference) < 1e-6,
                "axis {axis}"
            );
            // The backward pass: y ⊙ (g − Σ g ⊙ y).
            let (y, g) = (reference, x.map(f32::cos));
            let rule = y.mul(&g.sub(&g.mul(&y).sum_axis(axis, true)));
            assert!(softmax_backward(&g, &y, axis).max_abs_diff(&rule) < 1e-6);
        }
    }

    #[test]
    #[should_panic(expected = "softmax: axis 2 is out of range for shape [2, 3]")]
    fn softmax_along_a_missing_axis_panics() {
        Tensor::zeros(&[2, 3]).softmax(2);
    }

    #[test]
    #[should_panic(expected = "softmax backward: gradient [2, 3] and output [3, 2] differ")]
    fn softmax_backward_with_mismatched_shapes_panics() {
        softmax_backward(&Tensor::zeros(&[2, 3]), &Tensor::zeros(&[3, 2]), 1);
    }
}
