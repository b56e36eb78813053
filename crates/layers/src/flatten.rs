//! Flatten: the bridge between convolutional feature maps and fully connected layers.

use autograd::Var;

use crate::module::{Mode, Module};

/// Merges every axis after the batch axis into one: `a[n, :] = x[n, ...]` in row-major
/// order (channel, then row, then column), as PyTorch's `nn.Flatten()`. No parameters.
///
/// (Keras stores images channels-last, `[N, H, W, C]`, so its `Flatten` orders the same
/// numbers differently; weights copied from Keras into the next `Linear` must be permuted.)
///
/// # Shapes
/// `[N, d1, ..., dk] → [N, d1·…·dk]`.
///
/// ```
/// use autograd::Var;
/// use layers::{Flatten, Mode, Module};
/// use tensor::Tensor;
/// let x = Var::constant(Tensor::zeros(&[4, 32, 14, 14]));
/// assert_eq!(Flatten.forward(&x, Mode::Eval).shape(), vec![4, 6272]);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Flatten;

impl Module for Flatten {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.flatten()
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "Flatten".to_string()
    }
}
