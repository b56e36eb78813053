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
