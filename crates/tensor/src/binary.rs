//! Element-wise binary ops with NumPy/PyTorch broadcasting, their scalar versions, and
//! comparisons.
//!
//! `c = a ⊙ b` where `⊙` is `+`, `−`, `×`, `÷`, `max` or `min`. The two shapes are
//! broadcast (see [`crate::shape::broadcast_shape`]): `[N, M] + [M]` adds the row vector to
//! every row, which is how a layer adds its bias.

use std::ops;

use crate::shape::{broadcast_shape, broadcast_strides, numel};
use crate::tensor::Tensor;

/// Applies `f` to every pair of elements of `a` and `b` broadcast to a common shape.
///
/// # Shapes
/// `a: A, b: B → broadcast(A, B)`; panics naming `op` and both shapes if they do not broadcast.
pub fn broadcast_zip(a: &Tensor, b: &Tensor, op: &str, f: impl Fn(f32, f32) -> f32) -> Tensor {
    if a.shape() == b.shape() {
        return a.zip_map(b, op, f);
    }
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
