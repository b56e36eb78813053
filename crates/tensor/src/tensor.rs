//! The `Tensor` type itself: a flat `Vec<f32>` plus a shape, and the ways to make one.
//!
//! A tensor of shape `[d0, d1, ..., dk]` stores its `d0·d1·…·dk` numbers in
//! row-major order: the last axis varies fastest. Element `[i0, i1, ..., ik]` lives at
//! offset `Σ i_j · stride_j` with `stride_k = 1` and `stride_j = stride_{j+1} · d_{j+1}`.

use crate::error::TensorError;
use crate::shape::{numel, strides};

/// An n-dimensional array of `f32` in contiguous row-major storage.
///
/// A scalar is a tensor of shape `[]` holding one number.
///
/// ```
/// use tensor::Tensor;
/// let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap();
/// assert_eq!(x.shape(), &[2, 3]);
/// assert_eq!(x.at(&[1, 0]), 4.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    data: Vec<f32>,
    shape: Vec<usize>,
}

impl Tensor {
    /// Wraps `data` as a tensor of `shape`; fails if `data.len()` is not the product of `shape`.
    ///
    /// # Shapes
    /// `data.len() == shape.iter().product()` (1 for the scalar shape `[]`).
    pub fn from_vec(data: Vec<f32>, shape: &[usize]) -> Result<Tensor, TensorError> {
        let expected = numel(shape);
        if data.len() != expected {
            return Err(TensorError::LengthMismatch {
                len: data.len(),
                shape: shape.to_vec(),
                expected,
            });
        }
        Ok(Tensor {
            data,
            shape: shape.to_vec(),
        })
    }

    /// Like [`Tensor::from_vec`], for callers that have just computed `data` for `shape`:
    /// a length mismatch is a programmer error and panics naming `op`.
    pub fn from_parts(op: &str, data: Vec<f32>, shape: &[usize]) -> Tensor {
        assert_eq!(
            data.len(),
            numel(shape),
            "{op}: {} values do not fill shape {shape:?}",
            data.len()
        );
        Tensor {
            data,
            shape: shape.to_vec(),
        }
    }

    /// A tensor of `shape` with every element equal to `value`.
    pub fn full(shape: &[usize], value: f32) -> Tensor {
        Tensor {
            data: vec![value; numel(shape)],
            shape: shape.to_vec(),
        }
    }

    /// A tensor of `shape` filled with 0.
    pub fn zeros(shape: &[usize]) -> Tensor {
        Tensor::full(shape, 0.0)
    }

    /// A tensor of `shape` filled with 1.
    pub fn ones(shape: &[usize]) -> Tensor {
        Tensor::full(shape, 1.0)
    }

    /// A 0-dimensional tensor (shape `[]`) holding `value`.
    pub fn scalar(value: f32) -> Tensor {
        Tensor {
            data: vec![value],
            shape: Vec::new(),
        }
    }

    /// The 1-D tensor `[start, start + step, ...]` of every value below `end` (like `torch.arange`).
    ///
    /// # Shapes
    /// `[] → [⌈(end − start) / step⌉]`. Panics if `step` is not positive.
    pub fn arange(start: f32, end: f32, step: f32) -> Tensor {
        assert!(step > 0.0, "arange: step must be positive, got {step}");
        let n = ((end - start) / step).ceil().max(0.0) as usize;
        let data: Vec<f32> = (0..n).map(|i| start + i as f32 * step).collect();
        Tensor { data, shape: vec![n] }
    }

    /// `n` evenly spaced values from `start` to `end`, both included (like `torch.linspace`).
    ///
    /// # Shapes
    /// `[] → [n]`; value `i` is `start + i·(end − start)/(n − 1)`.
    pub fn linspace(start: f32, end: f32, n: usize) -> Tensor {
        let data: Vec<f32> = match n {
            0 => Vec::new(),
            1 => vec![start],
            _ => {
                let step = (end - start) / (n - 1) as f32;
                (0..n).map(|i| start + i as f32 * step).collect()
            }
        };
        Tensor { data, shape: vec![n] }
    }

    /// The shape: one length per axis.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The number of axes (0 for a scalar).
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// The length of axis `axis`; panics naming the tensor's shape if there is no such axis.
    pub fn dim(&self, axis: usize) -> usize {
        assert!(
            axis < self.ndim(),
            "dim: axis {axis} out of range for shape {:?}",
            self.shape
        );
        self.shape[axis]
    }

    /// The number of elements, `Π shape`.
    pub fn numel(&self) -> usize {
        self.data.len()
    }

    /// The elements in row-major order.
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// The elements in row-major order, for in-place updates (optimizer steps).
    pub fn data_mut(&mut self) -> &mut [f32] {
        &mut self.data
    }

    /// Takes the storage out of the tensor.
    pub fn into_vec(self) -> Vec<f32> {
        self.data
    }

    /// The row-major strides of this tensor's shape, in elements.
    pub fn strides(&self) -> Vec<usize> {
        strides(&self.shape)
    }

    /// The offset in [`Tensor::data`] of the element at `index`; panics if out of bounds.
    fn offset(&self, index: &[usize]) -> usize {
        assert!(
            index.len() == self.ndim() && index.iter().zip(&self.shape).all(|(i, d)| i < d),
            "index: {index:?} is out of bounds for shape {:?}",
            self.shape
        );
        index
            .iter()
            .zip(self.strides())
            .map(|(i, s)| i * s)
            .sum()
    }

    /// The element at `index` (one coordinate per axis).
    pub fn at(&self, index: &[usize]) -> f32 {
        self.data[self.offset(index)]
    }

    /// Sets the element at `index` to `value`.
    pub fn set(&mut self, index: &[usize], value: f32) {
        let offset = self.offset(index);
        self.data[offset] = value;
    }

    /// The value of a one-element tensor (any shape with one element, e.g. a loss).
    pub fn item(&self) -> f32 {
        assert_eq!(
            self.numel(),
            1,
            "item: tensor of shape {:?} has {} elements, not 1",
            self.shape,
            self.numel()
        );
        self.data[0]
    }

    /// The same elements viewed with another shape of the same size (like `torch.reshape`).
    ///
    /// # Shapes
    /// `[d...] → shape` with `Π shape = Π d`.
    pub fn reshape(&self, shape: &[usize]) -> Tensor {
        self.clone().into_reshape(shape)
    }

    /// [`Tensor::reshape`] without copying the storage.
    pub fn into_reshape(mut self, shape: &[usize]) -> Tensor {
        assert_eq!(
            numel(shape),
            self.numel(),
            "reshape: cannot view shape {:?} as {shape:?}",
            self.shape
        );
        self.shape = shape.to_vec();
        self
    }

    /// Applies `f` to every element, giving a tensor of the same shape.
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Tensor {
        Tensor {
            data: self.data.iter().map(|&x| f(x)).collect(),
            shape: self.shape.clone(),
        }
    }

    /// Combines two tensors of exactly the same shape element by element; panics naming
    /// `op` and both shapes if they differ. (Broadcasting versions live in `binary.rs`.)
    pub fn zip_map(&self, other: &Tensor, op: &str, f: impl Fn(f32, f32) -> f32) -> Tensor {
        assert_eq!(
            self.shape, other.shape,
            "{op}: shapes {:?} and {:?} must be equal",
            self.shape, other.shape
        );
        Tensor {
            data: self
                .data
                .iter()
                .zip(&other.data)
                .map(|(&a, &b)| f(a, b))
                .collect(),
            shape: self.shape.clone(),
        }
    }

    /// `self += other` element by element (same shape), e.g. to accumulate gradients.
    pub fn add_assign(&mut self, other: &Tensor) {
        assert_eq!(
            self.shape, other.shape,
            "add_assign: shapes {:?} and {:?} must be equal",
            self.shape, other.shape
        );
        for (a, b) in self.data.iter_mut().zip(&other.data) {
            *a += b;
        }
    }

    /// True when both tensors have the same shape and every pair of elements differs by at
    /// most `atol + rtol·|other|` (like `torch.allclose`).
    pub fn allclose(&self, other: &Tensor, rtol: f32, atol: f32) -> bool {
        self.shape == other.shape
            && self
                .data
                .iter()
                .zip(&other.data)
                .all(|(a, b)| (a - b).abs() <= atol + rtol * b.abs())
    }

    /// The largest absolute element-wise difference between two same-shaped tensors.
    pub fn max_abs_diff(&self, other: &Tensor) -> f32 {
        self.zip_map(other, "max_abs_diff", |a, b| (a - b).abs())
            .data
            .iter()
            .fold(0.0, |m, &d| m.max(d))
    }
}
