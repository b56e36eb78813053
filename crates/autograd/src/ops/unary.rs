//! Element-wise functions `y = f(x)` and their derivatives `∂L/∂x = ∂L/∂y · f'(x)`.

use crate::var::Var;

impl Var {
    /// `y = eˣ`. `f'(x) = eˣ = y`.
    pub fn exp(&self) -> Var {
        let y = self.value().exp();
        Var::from_op("exp", y, &[self], |g, y, _x| vec![Some(g.mul(y))])
    }

    /// `y = ln x`. `f'(x) = 1/x`.
    pub fn ln(&self) -> Var {
        let y = self.value().ln();
        Var::from_op("ln", y, &[self], |g, _y, x| {
            vec![Some(g.div(&x[0].value()))]
        })
    }

    /// `y = xᵖ` for a fixed exponent `p`. `f'(x) = p·xᵖ⁻¹`.
    pub fn powf(&self, p: f32) -> Var {
        let y = self.value().powf(p);
        Var::from_op("powf", y, &[self], move |g, _y, x| {
            vec![Some(g.mul(&x[0].value().map(|v| p * v.powf(p - 1.0))))]
        })
    }

    /// `y = x²`. `f'(x) = 2x`.
    pub fn square(&self) -> Var {
        let y = self.value().square();
        Var::from_op("square", y, &[self], |g, _y, x| {
            vec![Some(g.mul(&x[0].value().mul_scalar(2.0)))]
        })
    }

    /// `y = √x`. `f'(x) = 1 / (2√x) = 1 / (2y)`.
    pub fn sqrt(&self) -> Var {
        let y = self.value().sqrt();
        Var::from_op("sqrt", y, &[self], |g, y, _x| {
            vec![Some(g.div(&y.mul_scalar(2.0)))]
        })
    }

    /// `y = |x|`. `f'(x) = sign(x)` (0 at 0, as PyTorch).
    pub fn abs(&self) -> Var {
        let y = self.value().abs();
        Var::from_op("abs", y, &[self], |g, _y, x| {
            vec![Some(
                g.mul(
                    &x[0]
                        .value()
                        .map(|v| if v == 0.0 { 0.0 } else { v.signum() }),
                ),
            )]
        })
    }

    /// `y = clamp(x, lo, hi)`. `f'(x) = 1` for `lo ≤ x ≤ hi`, else 0 (PyTorch's convention
    /// at the edges: gradient passes).
    pub fn clamp(&self, lo: f32, hi: f32) -> Var {
        let y = self.value().clamp(lo, hi);
        Var::from_op("clamp", y, &[self], move |g, _y, x| {
            let inside = x[0]
                .value()
                .map(|v| f32::from(u8::from((lo..=hi).contains(&v))));
            vec![Some(g.mul(&inside))]
        })
    }

    /// `y = softplus(x) = ln(1 + eˣ)`, computed stably as `max(x, 0) + ln(1 + e^(−|x|))`.
    /// `f'(x) = σ(x)`.
    pub fn softplus(&self) -> Var {
        let y = self.value().map(|v| v.max(0.0) + (-v.abs()).exp().ln_1p());
        Var::from_op("softplus", y, &[self], |g, _y, x| {
            vec![Some(g.mul(&x[0].value().sigmoid()))]
        })
    }
}
