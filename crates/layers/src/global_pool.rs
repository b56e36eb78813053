//! Global average pooling: each feature map shrunk to its mean, the usual last step of a
//! convolutional network before its classifier.

use autograd::Var;

use crate::module::{Mode, Module};

/// `y[n, c] = (1/(H·W)) Σ_{i, j} x[n, c, i, j]`: the mean of each channel's map (PyTorch's
/// `nn.AdaptiveAvgPool2d(1)` followed by `flatten(1)`). No parameters. Its gradient spreads
/// `∂L/∂y[n, c]/(H·W)` evenly over the map.
///
/// Written as a reshape and a mean along one axis, two ops that are gradient-checked already:
/// `[N, C, H, W] → [N, C, H·W] → [N, C]`.
///
/// # Shapes
/// `[N, C, H, W] → [N, C]`.
///
/// ```
/// use autograd::Var;
/// use layers::{GlobalAvgPool2d, Mode, Module};
/// use tensor::Tensor;
/// let x = Var::constant(Tensor::from_vec(vec![1.0, 2.0, 3.0, 6.0], &[1, 1, 2, 2]).unwrap());
/// assert_eq!(GlobalAvgPool2d.forward(&x, Mode::Eval).value().data(), &[3.0]);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct GlobalAvgPool2d;

impl Module for GlobalAvgPool2d {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        let xs = x.shape();
        assert!(
            xs.len() == 4,
            "GlobalAvgPool2d: expected [N, C, H, W], got shape {xs:?}"
        );
        x.reshape(&[xs[0], xs[1], xs[2] * xs[3]])
            .mean_axis(2, false)
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "GlobalAvgPool2d".to_string()
    }
}
