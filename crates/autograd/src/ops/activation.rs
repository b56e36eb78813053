//! Activation functions: the nonlinearities between layers, with their derivatives.

use tensor::softmax::softmax_backward;
use tensor::{Tensor, broadcast_zip};

use crate::var::Var;

impl Var {
    // ANCHOR: sigmoid
    /// `y = σ(x) = 1 / (1 + e^(−x))`. `σ'(x) = σ(x)(1 − σ(x)) = y(1 − y)`.
    pub fn sigmoid(&self) -> Var {
        let y = self.value().sigmoid();
        Var::from_op("sigmoid", y, &[self], |g, y, _x| {
            vec![Some(g.zip_map(y, "sigmoid", |g, s| g * (s * (1.0 - s))))]
        })
    }
    // ANCHOR_END: sigmoid

    /// `y = tanh x`. `tanh'(x) = 1 − tanh²(x) = 1 − y²`.
    pub fn tanh(&self) -> Var {
        let y = self.value().tanh();
        Var::from_op("tanh", y, &[self], |g, y, _x| {
            vec![Some(g.zip_map(y, "tanh", |g, t| g * (1.0 - t * t)))]
        })
    }

    /// `y = relu(x) = max(0, x)`. `relu'(x) = 1` for `x > 0`, else 0.
    pub fn relu(&self) -> Var {
        let y = self.value().relu();
        Var::from_op("relu", y, &[self], |g, y, _x| {
            vec![Some(
                g.zip_map(y, "relu", |g, y| g * f32::from(u8::from(y > 0.0))),
            )]
        })
    }

    /// GELU, PyTorch's default exact form (`approximate="none"`):
    /// `y = x·Φ(x) = x·(1 + erf(x/√2))/2`, with `Φ` the standard normal CDF
    /// ([`tensor::erf`]). A smooth ReLU: near 0 for large negative `x`, near `x` for large
    /// positive `x`, with a small dip below 0 around `x ≈ −0.75`.
    /// `f'(x) = Φ(x) + x·φ(x)`, `φ(x) = e^(−x²/2)/√(2π)` the normal density (the product
    /// rule on `x·Φ(x)`, since `Φ' = φ`).
    pub fn gelu(&self) -> Var {
        let y = self.value().gelu();
        Var::from_op("gelu", y, &[self], |g, _y, x| {
            vec![Some(x[0].value().gelu_backward(g))]
        })
    }

    /// `y = x` for `x ≥ 0`, `slope·x` otherwise. `f'(x) = 1` for `x > 0`, else `slope`
    /// (at the kink `x = 0`, PyTorch's choice).
    pub fn leaky_relu(&self, slope: f32) -> Var {
        let y = self.value().leaky_relu(slope);
        Var::from_op("leaky_relu", y, &[self], move |g, _y, x| {
            let d = x[0].value().map(|v| if v > 0.0 { 1.0 } else { slope });
            vec![Some(g.mul(&d))]
        })
    }

    /// PReLU: a leaky ReLU whose negative slope `a` is learned.
    /// `y = x` for `x ≥ 0`, `a·x` otherwise, with `a` broadcast against `x` (one slope of
    /// shape `[1]`, or one per feature).
    /// `∂y/∂x = 1` for `x > 0`, else `a` (PyTorch's choice at `x = 0`); `∂y/∂a = min(x, 0)`,
    /// summed over the positions that share `a`.
    pub fn prelu(&self, a: &Var) -> Var {
        let y = broadcast_zip(&self.value(), &a.value(), "prelu", |x, a| {
            if x >= 0.0 { x } else { a * x }
        });
        Var::from_op("prelu", y, &[self, a], |g, _y, inputs| {
            let (x, a) = (inputs[0].value(), inputs[1].value());
            let dx = inputs[0].requires_grad().then(|| {
                let slope = broadcast_zip(&x, &a, "prelu", |x, a| if x > 0.0 { 1.0 } else { a });
                g.mul(&slope)
            });
            let da = inputs[1]
                .requires_grad()
                .then(|| g.mul(&x.map(|v| v.min(0.0))).sum_to(a.shape()));
            vec![dx, da]
        })
    }

    /// `y_i = e^(x_i) / Σ_j e^(x_j)` along `axis`, computed as `e^(x_i − m) / Σ_j e^(x_j − m)`
    /// with `m = max_j x_j` so large logits cannot overflow.
    ///
    /// Its own rule, from the Jacobian `∂y_i/∂x_j = y_i (δ_ij − y_j)`:
    /// `∂L/∂x_j = Σ_i g_i y_i (δ_ij − y_j) = y_j (g_j − Σ_i g_i y_i)`, one dot product per
    /// line along `axis` ([`tensor::softmax::softmax_backward`]).
    ///
    /// # Shapes
    /// Any shape, unchanged: class scores `[N, C]` along axis 1, attention scores
    /// `[B, H, T, T]` along axis 3.
    pub fn softmax(&self, axis: usize) -> Var {
        let y = softmax(&self.value(), axis);
        Var::from_op("softmax", y, &[self], move |g, y, _x| {
            vec![Some(softmax_backward(g, y, axis))]
        })
    }

    /// `y_i = x_i − log Σ_j e^(x_j)` along `axis` (log of the softmax, computed stably).
    /// `∂L/∂x_i = g_i − softmax(x)_i Σ_j g_j`.
    pub fn log_softmax(&self, axis: usize) -> Var {
        let x = self.value();
        let y = x.sub(&x.logsumexp_axis(axis, true));
        drop(x);
        Var::from_op("log_softmax", y, &[self], move |g, y, _x| {
            let g_sum = g.sum_axis(axis, true);
            vec![Some(g.sub(&y.exp().mul(&g_sum)))]
        })
    }
}

/// The softmax of a plain tensor along `axis` (stable, see [`Var::softmax`] and
/// [`Tensor::softmax`]).
pub fn softmax(x: &Tensor, axis: usize) -> Tensor {
    x.softmax(axis)
}

#[cfg(test)]
mod tests {
    use tensor::Tensor;

    use crate::var::Var;

    /// The gradient of `Σ f(x)` at the kink `x = 0`, where the derivative is a convention.
    fn grad_at_zero(f: impl Fn(&Var) -> Var) -> f32 {
        let x = Var::param(Tensor::scalar(0.0));
        f(&x).backward();
        x.grad().unwrap().item()
    }

    #[test]
    fn relu_like_ops_take_pytorchs_side_at_zero() {
        // PyTorch differentiates x > 0 ? x : slope·x, so at x = 0 it takes the left slope:
        // relu'(0) = 0, leaky_relu'(0) = slope, prelu'(0) = a.
        assert_eq!(grad_at_zero(Var::relu), 0.0);
        assert_eq!(grad_at_zero(|x| x.leaky_relu(0.1)), 0.1);
        let a = Var::constant(Tensor::scalar(0.25));
        assert_eq!(grad_at_zero(|x| x.prelu(&a)), 0.25);
    }
}
