//! The `Tensor` type itself: a flat `Vec<f32>` plus a shape, and the ways to make one.
//!
//! A tensor of shape `[d0, d1, ..., dk]` stores its `d0·d1·…·dk` numbers in
//! row-major order: the last axis varies fastest. Element `[i0, i1, ..., ik]` lives at
//! offset `Σ i_j · stride_j` with `stride_k = 1` and `stride_j = stride_{j+1} · d_{j+1}`.

use crate::error::TensorError;
use crate::kernels;
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
        Tensor {
            data,
            shape: vec![n],
        }
    }

    /// `n` evenly spaced values from `start` to `end`, both included (like `torch.linspace`).
    ///
    /// # Shapes
    /// `[] → [n]`; value `i` is `start + i·(end − start)/(n − 1)`. Like PyTorch, the second
    /// half is counted back from `end` (`end − (n − 1 − i)·step`), so that rounding never
    /// moves the last value off `end`.
    pub fn linspace(start: f32, end: f32, n: usize) -> Tensor {
        let data: Vec<f32> = match n {
            0 => Vec::new(),
            1 => vec![start],
            _ => {
                let step = (end - start) / (n - 1) as f32;
                (0..n)
                    .map(|i| {
                        if i < n / 2 {
                            start + i as f32 * step
                        } else {
                            end - (n - 1 - i) as f32 * step
                        }
                    })
                    .collect()
            }
        };
        Tensor {
            data,
            shape: vec![n],
        }
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
        index.iter().zip(self.strides()).map(|(i, s)| i * s).sum()
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

    /// Applies `f` to every element, giving a tensor of the same shape: `y_i = f(x_i)`.
    ///
    /// A large tensor is shared between the cores by [`kernels::parallel::map`], which
    /// computes exactly these values.
    pub fn map(&self, f: impl Fn(f32) -> f32 + Sync) -> Tensor {
        let data = if kernels::parallel::worth_splitting(self.numel()) {
            kernels::parallel::map(&self.data, f)
        } else {
            self.data.iter().map(|&x| f(x)).collect()
        };
        Tensor {
            data,
            shape: self.shape.clone(),
        }
    }

    /// Combines two tensors of exactly the same shape element by element,
    /// `z_i = f(x_i, y_i)`; panics naming `op` and both shapes if they differ.
    /// (Broadcasting versions live in `binary.rs`.)
    ///
    /// A large tensor is shared between the cores by [`kernels::parallel::zip_map`].
    pub fn zip_map(&self, other: &Tensor, op: &str, f: impl Fn(f32, f32) -> f32 + Sync) -> Tensor {
        assert_eq!(
            self.shape, other.shape,
            "{op}: shapes {:?} and {:?} must be equal",
            self.shape, other.shape
        );
        let data = if kernels::parallel::worth_splitting(self.numel()) {
            kernels::parallel::zip_map(&self.data, &other.data, f)
        } else {
            let pairs = self.data.iter().zip(&other.data);
            pairs.map(|(&a, &b)| f(a, b)).collect()
        };
        Tensor {
            data,
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

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn from_vec_keeps_data_and_shape() {
        // [[1, 2, 3], [4, 5, 6]]: element [i, j] is at offset 3i + j.
        let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap();
        assert_eq!(x.shape(), &[2, 3]);
        assert_eq!(x.ndim(), 2);
        assert_eq!((x.dim(0), x.dim(1)), (2, 3));
        assert_eq!(x.numel(), 6);
        assert_eq!(x.strides(), vec![3, 1]);
        assert_eq!(x.data(), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(x.into_vec(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }

    #[test]
    fn from_vec_rejects_wrong_length() {
        // [2, 3] holds 2·3 = 6 values; 5 do not fill it.
        let err = Tensor::from_vec(vec![0.0; 5], &[2, 3]).unwrap_err();
        assert_eq!(
            err,
            TensorError::LengthMismatch {
                len: 5,
                shape: vec![2, 3],
                expected: 6
            }
        );
        assert_eq!(
            err.to_string(),
            "from_vec: 5 values cannot fill shape [2, 3], which holds 6"
        );
        // The scalar shape [] holds exactly one value (the empty product is 1).
        assert!(Tensor::from_vec(vec![], &[]).is_err());
        assert!(Tensor::from_vec(vec![7.0], &[]).is_ok());
        // A shape with a zero-length axis holds nothing.
        assert_eq!(Tensor::from_vec(vec![], &[3, 0]).unwrap().numel(), 0);
    }

    #[test]
    #[should_panic(expected = "conv2d: 3 values do not fill shape [2, 2]")]
    fn from_parts_panics_naming_the_op() {
        Tensor::from_parts("conv2d", vec![1.0, 2.0, 3.0], &[2, 2]);
    }

    #[test]
    fn full_zeros_ones_and_scalar() {
        assert_eq!(Tensor::full(&[2, 2], 0.5).data(), &[0.5; 4]);
        assert_eq!(Tensor::zeros(&[3]).data(), &[0.0; 3]);
        assert_eq!(Tensor::ones(&[1, 2]).data(), &[1.0; 2]);
        assert_eq!(Tensor::ones(&[1, 2]).shape(), &[1, 2]);
        // A scalar has no axes and one element.
        let s = Tensor::scalar(2.5);
        assert_eq!(s.shape(), &[] as &[usize]);
        assert_eq!((s.ndim(), s.numel(), s.item()), (0, 1, 2.5));
        assert_eq!(s.at(&[]), 2.5);
    }

    #[test]
    fn arange_stops_before_end() {
        // 0, 1, 2, 3, 4: every value below 5.
        assert_eq!(
            Tensor::arange(0.0, 5.0, 1.0).data(),
            &[0.0, 1.0, 2.0, 3.0, 4.0]
        );
        // ⌈(2 − 1) / 0.25⌉ = 4 values: 1, 1.25, 1.5, 1.75.
        assert_eq!(
            Tensor::arange(1.0, 2.0, 0.25).data(),
            &[1.0, 1.25, 1.5, 1.75]
        );
        // ⌈(7 − 0) / 3⌉ = 3 values: 0, 3, 6.
        assert_eq!(Tensor::arange(0.0, 7.0, 3.0).shape(), &[3]);
        // ⌈(1 − 0) / 0.1⌉ = 10 values, the last 0.9.
        let x = Tensor::arange(0.0, 1.0, 0.1);
        assert_eq!(x.shape(), &[10]);
        assert_abs_diff_eq!(x.data()[9], 0.9, epsilon = 1e-6);
        // An empty range gives an empty tensor.
        assert_eq!(Tensor::arange(3.0, 1.0, 1.0).shape(), &[0]);
    }

    #[test]
    #[should_panic(expected = "arange: step must be positive")]
    fn arange_rejects_zero_step() {
        Tensor::arange(0.0, 1.0, 0.0);
    }

    #[test]
    fn linspace_includes_both_ends() {
        // step = (1 − 0) / (5 − 1) = 0.25.
        assert_eq!(
            Tensor::linspace(0.0, 1.0, 5).data(),
            &[0.0, 0.25, 0.5, 0.75, 1.0]
        );
        // step = (−1 − 2) / 3 = −1: counting down.
        assert_eq!(
            Tensor::linspace(2.0, -1.0, 4).data(),
            &[2.0, 1.0, 0.0, -1.0]
        );
        assert_eq!(Tensor::linspace(3.0, 9.0, 1).data(), &[3.0]);
        assert_eq!(Tensor::linspace(3.0, 9.0, 0).shape(), &[0]);
        // The last value is `end` exactly, even when the step is not a binary fraction.
        for (start, end, n) in [
            (0.0, 0.7, 8),
            (-1.3, 2.9, 13),
            (0.1, 0.3, 3),
            (1e-3, 1.0, 1000),
        ] {
            let x = Tensor::linspace(start, end, n);
            assert_eq!(x.data()[0], start);
            assert_eq!(x.data()[n - 1], end, "linspace({start}, {end}, {n})");
        }
    }

    #[test]
    fn at_and_set_use_row_major_offsets() {
        // x = arange(24) as [2, 3, 4]: x[i, j, k] = 12i + 4j + k.
        let mut x = Tensor::arange(0.0, 24.0, 1.0).reshape(&[2, 3, 4]);
        assert_eq!(x.strides(), vec![12, 4, 1]);
        assert_eq!(x.at(&[0, 0, 0]), 0.0);
        assert_eq!(x.at(&[1, 2, 3]), 23.0); // 12 + 8 + 3
        assert_eq!(x.at(&[1, 0, 2]), 14.0); // 12 + 0 + 2
        x.set(&[0, 1, 1], -1.0); // offset 4 + 1 = 5
        assert_eq!(x.data()[5], -1.0);
    }

    #[test]
    #[should_panic(expected = "index: [0, 3] is out of bounds for shape [2, 3]")]
    fn at_out_of_bounds_panics() {
        Tensor::zeros(&[2, 3]).at(&[0, 3]);
    }

    #[test]
    #[should_panic(expected = "index: [1] is out of bounds for shape [2, 3]")]
    fn at_with_too_few_coordinates_panics() {
        Tensor::zeros(&[2, 3]).at(&[1]);
    }

    #[test]
    #[should_panic(expected = "dim: axis 2 out of range for shape [2, 3]")]
    fn dim_out_of_range_panics() {
        Tensor::zeros(&[2, 3]).dim(2);
    }

    #[test]
    #[should_panic(expected = "item: tensor of shape [2] has 2 elements, not 1")]
    fn item_needs_one_element() {
        Tensor::zeros(&[2]).item();
    }

    #[test]
    fn item_accepts_any_one_element_shape() {
        assert_eq!(Tensor::full(&[1, 1, 1], 4.0).item(), 4.0);
    }

    #[test]
    fn reshape_keeps_row_major_order() {
        // [[1, 2, 3], [4, 5, 6]] as [3, 2] is [[1, 2], [3, 4], [5, 6]].
        let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap();
        let y = x.reshape(&[3, 2]);
        assert_eq!(y.shape(), &[3, 2]);
        assert_eq!(y.at(&[1, 0]), 3.0);
        assert_eq!(y.data(), x.data());
        assert_eq!(x.reshape(&[6]).into_reshape(&[1, 6, 1]).shape(), &[1, 6, 1]);
        // A one-element tensor reshapes to a scalar.
        assert_eq!(Tensor::ones(&[1, 1]).reshape(&[]).shape(), &[] as &[usize]);
    }

    #[test]
    #[should_panic(expected = "reshape: cannot view shape [2, 3] as [4, 2]")]
    fn reshape_to_another_size_panics() {
        Tensor::zeros(&[2, 3]).reshape(&[4, 2]);
    }

    #[test]
    fn map_and_zip_map_work_element_wise() {
        let x = Tensor::from_vec(vec![1.0, -2.0, 3.0], &[3]).unwrap();
        let y = Tensor::from_vec(vec![10.0, 20.0, 30.0], &[3]).unwrap();
        // f(x) = 2x + 1.
        assert_eq!(x.map(|v| 2.0 * v + 1.0).data(), &[3.0, -3.0, 7.0]);
        // f(x, y) = x·y.
        assert_eq!(
            x.zip_map(&y, "mul", |a, b| a * b).data(),
            &[10.0, -40.0, 90.0]
        );
    }

    #[test]
    #[should_panic(expected = "hadamard: shapes [3] and [1, 3] must be equal")]
    fn zip_map_needs_equal_shapes() {
        Tensor::zeros(&[3]).zip_map(&Tensor::zeros(&[1, 3]), "hadamard", |a, b| a * b);
    }

    #[test]
    fn add_assign_accumulates() {
        // g ← g + [1, 2] twice: [2, 4].
        let mut g = Tensor::zeros(&[2]);
        let d = Tensor::from_vec(vec![1.0, 2.0], &[2]).unwrap();
        g.add_assign(&d);
        g.add_assign(&d);
        assert_eq!(g.data(), &[2.0, 4.0]);
        g.data_mut()[0] = 9.0;
        assert_eq!(g.data(), &[9.0, 4.0]);
    }

    #[test]
    #[should_panic(expected = "add_assign: shapes [2] and [3] must be equal")]
    fn add_assign_needs_equal_shapes() {
        Tensor::zeros(&[2]).add_assign(&Tensor::zeros(&[3]));
    }

    #[test]
    fn allclose_and_max_abs_diff() {
        let a = Tensor::from_vec(vec![1.0, 100.0], &[2]).unwrap();
        let b = Tensor::from_vec(vec![1.001, 100.05], &[2]).unwrap();
        // |1 − 1.001| = 0.001 and |100 − 100.05| = 0.05 is the larger.
        assert_abs_diff_eq!(a.max_abs_diff(&b), 0.05, epsilon = 1e-5);
        // 0.05 ≤ 1e-3 + 1e-3·100.05 ≈ 0.101, and 0.001 ≤ 1e-3 + 1e-3·1.001: close.
        assert!(a.allclose(&b, 1e-3, 1e-3));
        // With rtol = 0 the bar is atol = 0.01 < 0.05: not close.
        assert!(!a.allclose(&b, 0.0, 1e-2));
        // Different shapes are never close.
        assert!(!a.allclose(&a.reshape(&[1, 2]), 1.0, 1.0));
    }
}
