//! Element-wise functions of one tensor: `y_i = f(x_i)`, same shape in and out.
//!
//! These are the plain numerical functions; their derivatives live with the autograd ops.

use crate::tensor::Tensor;

/// The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))` of one number, computed without
/// overflow: for `x < 0` it uses the equal form `e^x / (1 + e^x)`.
pub fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

impl Tensor {
    /// `e^x`.
    pub fn exp(&self) -> Tensor {
        self.map(f32::exp)
    }

    /// The natural logarithm `ln x` (NaN for `x < 0`, `−∞` at 0).
    pub fn ln(&self) -> Tensor {
        self.map(f32::ln)
    }

    /// `tanh x = (e^x − e^(−x)) / (e^x + e^(−x))`.
    pub fn tanh(&self) -> Tensor {
        self.map(f32::tanh)
    }

    /// The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))`, stable for large `|x|`.
    pub fn sigmoid(&self) -> Tensor {
        self.map(sigmoid)
    }

    /// `relu(x) = max(0, x)`.
    pub fn relu(&self) -> Tensor {
        self.map(|x| x.max(0.0))
    }

    /// `leaky_relu(x) = x` for `x ≥ 0`, `slope · x` otherwise.
    pub fn leaky_relu(&self, slope: f32) -> Tensor {
        self.map(|x| if x >= 0.0 { x } else { slope * x })
    }

    /// `√x`.
    pub fn sqrt(&self) -> Tensor {
        self.map(f32::sqrt)
    }

    /// `x^p` for a fixed real exponent `p`.
    pub fn powf(&self, p: f32) -> Tensor {
        self.map(|x| x.powf(p))
    }

    /// `x²`.
    pub fn square(&self) -> Tensor {
        self.map(|x| x * x)
    }

    /// `|x|`.
    pub fn abs(&self) -> Tensor {
        self.map(f32::abs)
    }

    /// `−x`.
    pub fn neg(&self) -> Tensor {
        self.map(|x| -x)
    }

    /// `x` limited to `[lo, hi]`.
    pub fn clamp(&self, lo: f32, hi: f32) -> Tensor {
        self.map(|x| x.clamp(lo, hi))
    }
}
