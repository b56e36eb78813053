//! Mean squared error, the loss of regression.

use autograd::Var;
use tensor::Tensor;

use super::assert_same_shape;

/// Mean squared error, `L = (1/n) Σ_i (ŷ_i − y_i)²` over all `n` elements (PyTorch's
/// `nn.MSELoss()`, Keras' `"mse"` for one output). `∂L/∂ŷ_i = 2(ŷ_i − y_i)/n`.
///
/// # Shapes
/// `y_hat` and `y` of the same shape, e.g. `[N, 1]` → a scalar.
///
/// ```
/// use autograd::Var;
/// use optim::mse;
/// use tensor::Tensor;
/// // ((1 − 0)² + (2 − 4)²)/2 = (1 + 4)/2 = 2.5
/// let y_hat = Var::param(Tensor::from_vec(vec![1.0, 2.0], &[2, 1]).unwrap());
/// let y = Tensor::from_vec(vec![0.0, 4.0], &[2, 1]).unwrap();
/// assert_eq!(mse(&y_hat, &y).item(), 2.5);
/// ```
pub fn mse(y_hat: &Var, y: &Tensor) -> Var {
    assert_same_shape("mse", y_hat, y);
    y_hat.sub(&Var::constant(y.clone())).square().mean()
}
