//! Activation layers: the nonlinearities, wrapped as modules so they can sit in a
//! [`crate::Sequential`]. Each forwards to the autograd op of the same name, where the
//! function and its derivative are written down.

use autograd::Var;

use crate::init;
use crate::module::{Mode, Module};

/// The logistic sigmoid, `a = σ(z) = 1 / (1 + e^(−z))`, element-wise. No parameters.
///
/// # Shapes
/// Any shape, unchanged.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sigmoid;

impl Module for Sigmoid {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.sigmoid()
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "Sigmoid".to_string()
    }
}

/// The hyperbolic tangent, `a = tanh z`, element-wise. No parameters.
///
/// # Shapes
/// Any shape, unchanged.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tanh;

impl Module for Tanh {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.tanh()
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "Tanh".to_string()
    }
}

/// The rectified linear unit, `a = max(0, z)`, element-wise. No parameters.
///
/// # Shapes
/// Any shape, unchanged.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReLU;

impl Module for ReLU {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.relu()
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "ReLU".to_string()
    }
}

/// Leaky ReLU, `a = z` for `z ≥ 0` and `slope·z` otherwise, element-wise, with a fixed
/// slope (PyTorch's default is 0.01, Keras' 0.3). No parameters.
///
/// # Shapes
/// Any shape, unchanged.
#[derive(Clone, Copy, Debug)]
pub struct LeakyReLU {
    slope: f32,
}

impl LeakyReLU {
    /// Leaky ReLU with negative slope `slope`.
    pub fn new(slope: f32) -> LeakyReLU {
        LeakyReLU { slope }
    }
}

impl Module for LeakyReLU {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.leaky_relu(self.slope)
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        format!("LeakyReLU({})", self.slope)
    }
}

/// PReLU: a leaky ReLU that learns its slope, `a = z` for `z ≥ 0` and `α·z` otherwise,
/// with one `α` shared by every element (PyTorch's `nn.PReLU()`).
/// `∂a/∂α = min(z, 0)`, summed over every element.
///
/// Parameter `"weight"` (PyTorch's name for `α`), shape `[1]`.
///
/// # Shapes
/// Any shape, unchanged.
///
/// # Init
/// `α = 0.25`, as PyTorch.
pub struct PReLU {
    slope: Var,
}

impl PReLU {
    /// A PReLU with its slope `α` starting at 0.25.
    pub fn new() -> PReLU {
        PReLU::from_param(Var::param(init::constant(&[1], 0.25)))
    }

    /// A PReLU whose slope is the given `[1]` handle (its gradient lands there).
    pub fn from_param(slope: Var) -> PReLU {
        assert_eq!(
            slope.shape(),
            [1],
            "PReLU: the slope must have shape [1], got {:?}",
            slope.shape()
        );
        PReLU { slope }
    }

    /// The learned slope `α`, `[1]`.
    pub fn slope(&self) -> &Var {
        &self.slope
    }
}

impl Default for PReLU {
    fn default() -> PReLU {
        PReLU::new()
    }
}

impl Module for PReLU {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.prelu(&self.slope)
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("weight", &self.slope);
    }

    fn describe(&self) -> String {
        "PReLU".to_string()
    }
}

/// GELU, `a = z·Φ(z)` with `Φ` the standard normal CDF: PyTorch's `nn.GELU()` in its
/// default exact form, the activation of a transformer's MLP. No parameters.
///
/// # Shapes
/// Any shape, unchanged.
#[derive(Clone, Copy, Debug, Default)]
pub struct GELU;

impl Module for GELU {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.gelu()
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "GELU".to_string()
    }
}

/// Softmax over the classes, `a_i = e^(z_i) / Σ_j e^(z_j)` along axis 1: each row of
/// `[N, C]` scores becomes a probability distribution. No parameters.
///
/// For training prefer raw scores (logits) and `optim::cross_entropy`, which applies a
/// log-softmax itself, stably; this layer is for Keras-style models whose last layer
/// outputs probabilities.
///
/// # Shapes
/// `[N, C] → [N, C]`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Softmax;

impl Module for Softmax {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        x.softmax(1)
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "Softmax(axis 1)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tensor::Tensor;

    #[test]
    fn prelu_starts_at_a_quarter() {
        // PReLU(−4) = 0.25·(−4) = −1, PReLU(2) = 2.
        let x = Var::constant(Tensor::from_vec(vec![-4.0, 2.0], &[2]).unwrap());
        let a = PReLU::new().forward(&x, Mode::Eval);
        assert_eq!(a.value().data(), &[-1.0, 2.0]);
        assert_eq!(PReLU::new().named_parameters()[0].0, "weight");
    }

    #[test]
    fn softmax_rows_sum_to_one() {
        let x =
            Var::constant(Tensor::from_vec(vec![1.0, 2.0, 3.0, -1.0, 0.0, 1.0], &[2, 3]).unwrap());
        let a = Softmax.forward(&x, Mode::Eval);
        for row in a.value().data().chunks(3) {
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        }
    }
}
