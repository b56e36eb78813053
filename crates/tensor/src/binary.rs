//! Element-wise binary ops with NumPy/PyTorch broadcasting, their scalar versions, and
//! comparisons.
//!
//! `c = a ⊙ b` where `⊙` is `+`, `−`, `×`, `÷`, `max` or `min`. The two shapes are
//! broadcast (see [`crate::shape::broadcast_shape`]): `[N, M] + [M]` adds the row vector to
//! every row, which is how a layer adds its bias.

use std::ops;

use crate::kernels;
use crate::shape::{broadcast_shape, broadcast_strides, numel};
use crate::tensor::Tensor;

/// Applies `f` to every pair of elements of `a` and `b` broadcast to a common shape, by the
/// definition: walk the output's indices and read each input at its broadcast strides
/// (stride 0 along an axis it is repeated on).
///
/// # Shapes
/// `a: A, b: B → broadcast(A, B)`; panics naming `op` and both shapes if they do not broadcast.
pub fn broadcast_zip_naive(
    a: &Tensor,
    b: &Tensor,
    op: &str,
    f: impl Fn(f32, f32) -> f32,
) -> Tensor {
    let shape = broadcast_shape(a.shape(), b.shape()).unwrap_or_else(|| {
        panic!(
            "{op}: shapes {:?} and {:?} cannot be broadcast together",
            a.shape(),
            b.shape()
        )
    });
    let (sa, sb) = (
        broadcast_strides(a.shape(), &shape),
        broadcast_strides(b.shape(), &shape),
    );
    let (ad, bd) = (a.data(), b.data());
    let n = numel(&shape);
    let mut out = Vec::with_capacity(n);
    let nd = shape.len();
    let inner = shape[nd - 1];
    if n > 0 {
        let (ia, ib) = (sa[nd - 1], sb[nd - 1]);
        // `index` counts over every axis but the last; `oa`, `ob` are the matching offsets.
        let mut index = vec![0; nd - 1];
        let (mut oa, mut ob) = (0, 0);
        for _ in 0..n / inner {
            for j in 0..inner {
                out.push(f(ad[oa + j * ia], bd[ob + j * ib]));
            }
            for k in (0..nd - 1).rev() {
                index[k] += 1;
                oa += sa[k];
                ob += sb[k];
                if index[k] < shape[k] {
                    break;
                }
                oa -= sa[k] * shape[k];
                ob -= sb[k] * shape[k];
                index[k] = 0;
            }
        }
    }
    Tensor::from_parts(op, out, &shape)
}

/// [`broadcast_zip_naive`], with the two common cases that need speed handed to kernels of
/// the same result: equal shapes ([`Tensor::zip_map`]) and a large batch with a row
/// broadcast over it, one shape being the trailing part of the other (a bias `[M]` added to
/// `[N, M]`, [`kernels::parallel::rows_zip`]).
///
/// # Shapes
/// As [`broadcast_zip_naive`].
pub fn broadcast_zip(
    a: &Tensor,
    b: &Tensor,
    op: &str,
    f: impl Fn(f32, f32) -> f32 + Sync,
) -> Tensor {
    if a.shape() == b.shape() {
        return a.zip_map(b, op, f);
    }
    // A row of at least 8 elements repeated over a large batch: a row at a time.
    let is_row_of = |long: &Tensor, short: &Tensor| {
        kernels::parallel::worth_splitting(long.numel())
            && short.ndim() <= long.ndim()
            && long.shape().ends_with(short.shape())
            && short.numel() >= 8
    };
    if is_row_of(a, b) {
        let out = kernels::parallel::rows_zip(a.data(), b.data(), f);
        return Tensor::from_parts(op, out, a.shape());
    }
    if is_row_of(b, a) {
        let out = kernels::parallel::rows_zip(b.data(), a.data(), |x, row| f(row, x));
        return Tensor::from_parts(op, out, b.shape());
    }
    broadcast_zip_naive(a, b, op, f)
}

impl Tensor {
    /// `a + b`, broadcast.
    pub fn add(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "add", |a, b| a + b)
    }

    /// `a − b`, broadcast.
    pub fn sub(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "sub", |a, b| a - b)
    }

    /// `a · b` element by element (the Hadamard product), broadcast.
    pub fn mul(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "mul", |a, b| a * b)
    }

    /// `a / b`, broadcast.
    pub fn div(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "div", |a, b| a / b)
    }

    /// `max(a, b)` element by element, broadcast (like `torch.maximum`).
    pub fn maximum(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "maximum", f32::max)
    }

    /// `min(a, b)` element by element, broadcast (like `torch.minimum`).
    pub fn minimum(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "minimum", f32::min)
    }

    /// `1` where `a == b`, else `0`, broadcast.
    pub fn eq_elem(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "eq", |a, b| f32::from(u8::from(a == b)))
    }

    /// `1` where `a > b`, else `0`, broadcast.
    pub fn gt(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "gt", |a, b| f32::from(u8::from(a > b)))
    }

    /// `1` where `a < b`, else `0`, broadcast.
    pub fn lt(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "lt", |a, b| f32::from(u8::from(a < b)))
    }

    /// `1` where `a ≥ b`, else `0`, broadcast.
    pub fn ge(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "ge", |a, b| f32::from(u8::from(a >= b)))
    }

    /// `1` where `a ≤ b`, else `0`, broadcast.
    pub fn le(&self, other: &Tensor) -> Tensor {
        broadcast_zip(self, other, "le", |a, b| f32::from(u8::from(a <= b)))
    }

    /// `a + s` for a scalar `s`.
    pub fn add_scalar(&self, s: f32) -> Tensor {
        self.map(|a| a + s)
    }

    /// `a − s` for a scalar `s`.
    pub fn sub_scalar(&self, s: f32) -> Tensor {
        self.map(|a| a - s)
    }

    /// `a · s` for a scalar `s`.
    pub fn mul_scalar(&self, s: f32) -> Tensor {
        self.map(|a| a * s)
    }

    /// `a / s` for a scalar `s`.
    pub fn div_scalar(&self, s: f32) -> Tensor {
        self.map(|a| a / s)
    }

    /// `1` where `a > s`, else `0`.
    pub fn gt_scalar(&self, s: f32) -> Tensor {
        self.map(|a| f32::from(u8::from(a > s)))
    }

    /// `1` where `a < s`, else `0`.
    pub fn lt_scalar(&self, s: f32) -> Tensor {
        self.map(|a| f32::from(u8::from(a < s)))
    }
}

impl ops::Add for &Tensor {
    type Output = Tensor;
    /// `&a + &b` is [`Tensor::add`].
    fn add(self, rhs: &Tensor) -> Tensor {
        Tensor::add(self, rhs)
    }
}

impl ops::Sub for &Tensor {
    type Output = Tensor;
    /// `&a - &b` is [`Tensor::sub`].
    fn sub(self, rhs: &Tensor) -> Tensor {
        Tensor::sub(self, rhs)
    }
}

impl ops::Mul for &Tensor {
    type Output = Tensor;
    /// `&a * &b` is the element-wise [`Tensor::mul`], not the matrix product.
    fn mul(self, rhs: &Tensor) -> Tensor {
        Tensor::mul(self, rhs)
    }
}

impl ops::Div for &Tensor {
    type Output = Tensor;
    /// `&a / &b` is [`Tensor::div`].
    fn div(self, rhs: &Tensor) -> Tensor {
        Tensor::div(self, rhs)
    }
}

impl ops::Neg for &Tensor {
    type Output = Tensor;
    /// `-&a` negates every element.
    fn neg(self) -> Tensor {
        self.map(|a| -a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_vec(v.to_vec(), shape).unwrap()
    }

    #[test]
    fn fast_broadcasts_equal_the_naive_one() {
        // Row broadcasts both ways round, and a column broadcast (general path), on tensors
        // large enough to be split: every element must match broadcast_zip_naive's.
        let x = Tensor::arange(0.0, 300.0 * 257.0, 1.0)
            .map(|v| (v * 0.01).cos())
            .reshape(&[300, 257]);
        let row = Tensor::arange(0.0, 257.0, 1.0).map(|v| v * 0.5 - 3.0);
        let col = Tensor::arange(0.0, 300.0, 1.0).reshape(&[300, 1]);
        let sub = |a: f32, b: f32| a - b;
        assert_eq!(
            broadcast_zip(&x, &row, "sub", sub),
            broadcast_zip_naive(&x, &row, "sub", sub)
        );
        assert_eq!(
            broadcast_zip(&row, &x, "sub", sub),
            broadcast_zip_naive(&row, &x, "sub", sub)
        );
        assert_eq!(
            broadcast_zip(&x, &col, "sub", sub),
            broadcast_zip_naive(&x, &col, "sub", sub)
        );
        assert_eq!(
            broadcast_zip(&x, &x, "sub", sub),
            Tensor::zeros(&[300, 257])
        );
    }

    #[test]
    fn same_shape_arithmetic() {
        let a = t(&[1.0, 2.0, 3.0, 4.0], &[2, 2]);
        let b = t(&[4.0, 3.0, 2.0, 1.0], &[2, 2]);
        // a + b, a − b, a · b, a / b element by element.
        assert_eq!(a.add(&b).data(), &[5.0, 5.0, 5.0, 5.0]);
        assert_eq!(a.sub(&b).data(), &[-3.0, -1.0, 1.0, 3.0]);
        assert_eq!(a.mul(&b).data(), &[4.0, 6.0, 6.0, 4.0]);
        assert_eq!(a.div(&b).data(), &[0.25, 2.0 / 3.0, 1.5, 4.0]);
        assert_eq!(a.maximum(&b).data(), &[4.0, 3.0, 3.0, 4.0]);
        assert_eq!(a.minimum(&b).data(), &[1.0, 2.0, 2.0, 1.0]);
        assert_eq!(a.add(&b).shape(), &[2, 2]);
    }

    #[test]
    fn operators_call_the_methods() {
        let a = t(&[1.0, 2.0], &[2]);
        let b = t(&[3.0, 5.0], &[2]);
        assert_eq!(&a + &b, a.add(&b));
        assert_eq!(&a - &b, a.sub(&b));
        assert_eq!(&a * &b, a.mul(&b));
        assert_eq!(&a / &b, a.div(&b));
        assert_eq!((-&a).data(), &[-1.0, -2.0]);
    }

    #[test]
    fn row_vector_broadcasts_over_rows() {
        // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30]: the bias is added to each row.
        let x = t(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]);
        let b = t(&[10.0, 20.0, 30.0], &[3]);
        let z = x.add(&b);
        assert_eq!(z.shape(), &[2, 3]);
        assert_eq!(z.data(), &[11.0, 22.0, 33.0, 14.0, 25.0, 36.0]);
        // Broadcasting is symmetric: b + x = x + b.
        assert_eq!(b.add(&x), z);
        // [[1, 2, 3], [4, 5, 6]] − [10, 20, 30] and (b − x) = −(x − b).
        assert_eq!(x.sub(&b).data(), &[-9.0, -18.0, -27.0, -6.0, -15.0, -24.0]);
        assert_eq!(b.sub(&x), x.sub(&b).neg());
    }

    #[test]
    fn column_vector_broadcasts_over_columns() {
        // [[1, 2, 3], [4, 5, 6]] · [[2], [10]]: row i is scaled by c[i].
        let x = t(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]);
        let c = t(&[2.0, 10.0], &[2, 1]);
        assert_eq!(x.mul(&c).data(), &[2.0, 4.0, 6.0, 40.0, 50.0, 60.0]);
        // x / c: row 0 halved, row 1 divided by 10.
        assert_eq!(x.div(&c).data(), &[0.5, 1.0, 1.5, 0.4, 0.5, 0.6]);
    }

    #[test]
    fn outer_broadcast_of_column_and_row() {
        // [[0], [1], [2]] + [10, 20]: z[i, j] = i + 10(j + 1), shape [3, 2].
        let col = t(&[0.0, 1.0, 2.0], &[3, 1]);
        let row = t(&[10.0, 20.0], &[1, 2]);
        let z = col.add(&row);
        assert_eq!(z.shape(), &[3, 2]);
        assert_eq!(z.data(), &[10.0, 20.0, 11.0, 21.0, 12.0, 22.0]);
        // max(col, [0.5, 1.5]): z[i, j] = max(i, j + 0.5).
        let m = col.maximum(&t(&[0.5, 1.5], &[2]));
        assert_eq!(m.data(), &[0.5, 1.5, 1.0, 1.5, 2.0, 2.0]);
        let m = col.minimum(&t(&[0.5, 1.5], &[2]));
        assert_eq!(m.data(), &[0.0, 0.0, 0.5, 1.0, 0.5, 1.5]);
    }

    #[test]
    fn three_axis_broadcast() {
        // [2, 1, 3] + [4, 1] → [2, 4, 3] with z[i, j, k] = a[i, 0, k] + b[j, 0].
        let a = Tensor::arange(0.0, 6.0, 1.0).reshape(&[2, 1, 3]);
        let b = t(&[0.0, 10.0, 20.0, 30.0], &[4, 1]);
        let z = a.add(&b);
        assert_eq!(z.shape(), &[2, 4, 3]);
        // z[1, 2, 0] = a[1, 0, 0] + b[2, 0] = 3 + 20.
        assert_eq!(z.at(&[1, 2, 0]), 23.0);
        // z[0, 3, 2] = 2 + 30.
        assert_eq!(z.at(&[0, 3, 2]), 32.0);
    }

    #[test]
    fn scalar_tensor_broadcasts_everywhere() {
        // x · 3 with 3 as a shape-[] tensor.
        let x = t(&[1.0, 2.0, 3.0, 4.0], &[2, 2]);
        let three = Tensor::scalar(3.0);
        assert_eq!(x.mul(&three).data(), &[3.0, 6.0, 9.0, 12.0]);
        assert_eq!(three.sub(&x).data(), &[2.0, 1.0, 0.0, -1.0]);
        // scalar ⊙ scalar stays a scalar.
        assert_eq!(three.add(&Tensor::scalar(1.0)).shape(), &[] as &[usize]);
    }

    #[test]
    fn empty_broadcast_gives_empty_result() {
        // [0, 3] + [3] → [0, 3]: nothing to compute.
        let z = Tensor::zeros(&[0, 3]).add(&Tensor::ones(&[3]));
        assert_eq!(z.shape(), &[0, 3]);
        assert_eq!(z.numel(), 0);
    }

    #[test]
    fn scalar_ops() {
        let x = t(&[1.0, -2.0, 4.0], &[3]);
        // x + 1, x − 1, x · 2, x / 4.
        assert_eq!(x.add_scalar(1.0).data(), &[2.0, -1.0, 5.0]);
        assert_eq!(x.sub_scalar(1.0).data(), &[0.0, -3.0, 3.0]);
        assert_eq!(x.mul_scalar(2.0).data(), &[2.0, -4.0, 8.0]);
        assert_eq!(x.div_scalar(4.0).data(), &[0.25, -0.5, 1.0]);
        // [x > 0] and [x < 0] as 0/1.
        assert_eq!(x.gt_scalar(0.0).data(), &[1.0, 0.0, 1.0]);
        assert_eq!(x.lt_scalar(0.0).data(), &[0.0, 1.0, 0.0]);
        // The boundary itself is neither greater nor less.
        assert_eq!(x.gt_scalar(1.0).data(), &[0.0, 0.0, 1.0]);
        assert_eq!(x.lt_scalar(1.0).data(), &[0.0, 1.0, 0.0]);
    }

    #[test]
    fn comparisons_give_zero_or_one() {
        let a = t(&[1.0, 2.0, 3.0], &[3]);
        let b = t(&[2.0, 2.0, 2.0], &[3]);
        // a vs b = [1, 2, 3] vs [2, 2, 2].
        assert_eq!(a.eq_elem(&b).data(), &[0.0, 1.0, 0.0]);
        assert_eq!(a.gt(&b).data(), &[0.0, 0.0, 1.0]);
        assert_eq!(a.lt(&b).data(), &[1.0, 0.0, 0.0]);
        assert_eq!(a.ge(&b).data(), &[0.0, 1.0, 1.0]);
        assert_eq!(a.le(&b).data(), &[1.0, 1.0, 0.0]);
    }

    #[test]
    fn comparisons_broadcast() {
        // Accuracy: predicted classes [[0], [2]] against labels [0, 2] broadcast to [2, 2].
        let pred = t(&[0.0, 2.0], &[2, 1]);
        let label = t(&[0.0, 2.0], &[2]);
        assert_eq!(pred.eq_elem(&label).data(), &[1.0, 0.0, 0.0, 1.0]);
        // [[1], [3]] > [2] → [[0], [1]].
        let c = t(&[1.0, 3.0], &[2, 1]).gt(&Tensor::scalar(2.0));
        assert_eq!((c.shape(), c.data()), (&[2usize, 1][..], &[0.0, 1.0][..]));
    }

    #[test]
    fn broadcast_zip_takes_any_function() {
        // f(a, b) = a² + b over [2] and [2, 1].
        let z = broadcast_zip(
            &t(&[1.0, 2.0], &[2]),
            &t(&[10.0, 20.0], &[2, 1]),
            "f",
            |a, b| a * a + b,
        );
        assert_eq!(z.data(), &[11.0, 14.0, 21.0, 24.0]);
    }

    #[test]
    #[should_panic(expected = "add: shapes [2, 3] and [4] cannot be broadcast together")]
    fn add_with_non_broadcastable_shapes_panics() {
        Tensor::zeros(&[2, 3]).add(&Tensor::zeros(&[4]));
    }

    #[test]
    #[should_panic(expected = "mul: shapes [2, 3] and [3, 2] cannot be broadcast together")]
    fn mul_with_non_broadcastable_shapes_panics() {
        Tensor::zeros(&[2, 3]).mul(&Tensor::zeros(&[3, 2]));
    }

    #[test]
    #[should_panic(expected = "gt: shapes [5] and [2, 4] cannot be broadcast together")]
    fn comparison_with_non_broadcastable_shapes_panics() {
        Tensor::zeros(&[5]).gt(&Tensor::zeros(&[2, 4]));
    }
}
