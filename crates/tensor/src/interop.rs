//! Conversions between 2-D tensors and nalgebra's `DMatrix<f32>`, so a lesson can write
//! `σ(XW + J·b)` with nalgebra and compare it with the layer code.
//!
//! nalgebra stores matrices column-major; these conversions keep the mathematical matrix,
//! so `Tensor` element `[i, j]` equals `DMatrix` element `(i, j)`.

use nalgebra::DMatrix;

use crate::tensor::Tensor;

impl From<&DMatrix<f32>> for Tensor {
    /// The `[rows, cols]` tensor with the same entries.
    fn from(m: &DMatrix<f32>) -> Tensor {
        let (rows, cols) = m.shape();
        let data = (0..rows)
            .flat_map(|i| (0..cols).map(move |j| m[(i, j)]))
            .collect();
        Tensor::from_parts("from DMatrix", data, &[rows, cols])
    }
}

impl From<DMatrix<f32>> for Tensor {
    /// The `[rows, cols]` tensor with the same entries.
    fn from(m: DMatrix<f32>) -> Tensor {
        Tensor::from(&m)
    }
}

impl From<&Tensor> for DMatrix<f32> {
    /// The matrix with the same entries; panics unless the tensor is 2-D.
    fn from(t: &Tensor) -> DMatrix<f32> {
        assert_eq!(
            t.ndim(),
            2,
            "into DMatrix: expected a 2-D tensor, got shape {:?}",
            t.shape()
        );
        DMatrix::from_row_slice(t.shape()[0], t.shape()[1], t.data())
    }
}

impl From<Tensor> for DMatrix<f32> {
    /// The matrix with the same entries; panics unless the tensor is 2-D.
    fn from(t: Tensor) -> DMatrix<f32> {
        DMatrix::from(&t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_the_mathematical_matrix() {
        // m = [[1, 2, 3], [4, 5, 6]]; nalgebra stores it column-major as 1, 4, 2, 5, 3, 6.
        let m = DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(m.as_slice(), &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
        let t = Tensor::from(&m);
        assert_eq!(t.shape(), &[2, 3]);
        assert_eq!(t.data(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(t.at(&[1, 0]), m[(1, 0)]);
        // Back again, by reference and by value.
        assert_eq!(DMatrix::from(&t), m);
        assert_eq!(DMatrix::from(Tensor::from(m.clone())), m);
    }

    #[test]
    fn products_agree_with_nalgebra() {
        // X·W + b with nalgebra and with tensors: the course's σ(XW + J·b) before σ.
        let x = DMatrix::from_fn(4, 3, |i, j| (i as f32) - 0.5 * (j as f32));
        let w = DMatrix::from_fn(3, 2, |i, j| 1.0 + (i * 2 + j) as f32 * 0.25);
        let z_na = &x * &w;
        let z = Tensor::from(&x).matmul(&Tensor::from(&w));
        assert!(z.allclose(&Tensor::from(&z_na), 1e-6, 1e-6));
        // (XW)ᵀ = WᵀXᵀ on both sides.
        assert_eq!(Tensor::from(z_na.transpose()), z.t());
    }

    #[test]
    #[should_panic(expected = "into DMatrix: expected a 2-D tensor, got shape [2, 2, 2]")]
    fn only_matrices_convert() {
        let _ = DMatrix::from(&Tensor::zeros(&[2, 2, 2]));
    }
}
