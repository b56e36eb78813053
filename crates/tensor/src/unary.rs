//! Element-wise functions of one tensor: `y_i = f(x_i)`, same shape in and out.
//!
//! These are the plain numerical functions; their derivatives live with the autograd ops.

use crate::erf::normal_cdf;
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

/// GELU of one number in PyTorch's default, exact form (`approximate="none"`):
/// `gelu(x) = x·Φ(x) = x·(1 + erf(x/√2))/2`, with `Φ` the standard normal CDF
/// ([`normal_cdf`], computed in `f64` to about 10⁻⁷ relative, then rounded). (The `tanh`
/// approximation of the original paper is another function, not this one.)
pub fn gelu(x: f32) -> f32 {
    let x = f64::from(x);
    (x * normal_cdf(x)) as f32
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

    /// `tanh x = (e^x − e^(−x)) / (e^x + e^(−x))`, computed by the polynomial kernel
    /// [`kernels::tanh::tanh`](crate::kernels::tanh::tanh), within 3 ulp of [`f32::tanh`],
    /// several numbers at a time on both cores.
    pub fn tanh(&self) -> Tensor {
        let data = crate::kernels::tanh::forward(self.data());
        Tensor::from_parts("tanh", data, self.shape())
    }

    /// The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))`, stable for large `|x|`.
    pub fn sigmoid(&self) -> Tensor {
        self.map(sigmoid)
    }

    /// `relu(x) = max(0, x)`.
    pub fn relu(&self) -> Tensor {
        self.map(|x| x.max(0.0))
    }

    /// `gelu(x) = x·Φ(x)`, the exact form (see [`gelu`]), computed by the kernel
    /// [`kernels::gelu`](crate::kernels::gelu) (all in `f32`, several numbers at a time),
    /// within a few ulp of the `f64` formula [`gelu`].
    pub fn gelu(&self) -> Tensor {
        let data = crate::kernels::gelu::forward(self.data());
        Tensor::from_parts("gelu", data, self.shape())
    }

    /// GELU's backward rule, `g·gelu′(x)` with `gelu′(x) = Φ(x) + x·φ(x)`, by the same
    /// kernel; panics if the shapes differ.
    pub fn gelu_backward(&self, g: &Tensor) -> Tensor {
        assert_eq!(
            self.shape(),
            g.shape(),
            "gelu backward: x {:?} and g {:?} must have one shape",
            self.shape(),
            g.shape()
        );
        let data = crate::kernels::gelu::backward(self.data(), g.data());
        Tensor::from_parts("gelu", data, self.shape())
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

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn t(v: &[f32]) -> Tensor {
        Tensor::from_vec(v.to_vec(), &[v.len()]).unwrap()
    }

    /// Checks `a` against `b` element by element to within `1e-6`.
    fn assert_close(a: &Tensor, b: &[f32]) {
        assert_eq!(a.numel(), b.len());
        for (&x, &y) in a.data().iter().zip(b) {
            assert_abs_diff_eq!(x, y, epsilon = 1e-6);
        }
    }

    #[test]
    fn exp_and_ln_are_inverse() {
        // e^0 = 1, e^1 = e, e^(−1) = 1/e.
        let e = std::f32::consts::E;
        assert_close(&t(&[0.0, 1.0, -1.0]).exp(), &[1.0, e, 1.0 / e]);
        // ln 1 = 0, ln e = 1, ln e² = 2.
        assert_close(&t(&[1.0, e, e * e]).ln(), &[0.0, 1.0, 2.0]);
        // ln 0 = −∞ and ln of a negative number is NaN.
        let edge = t(&[0.0, -1.0]).ln();
        assert_eq!(edge.data()[0], f32::NEG_INFINITY);
        assert!(edge.data()[1].is_nan());
    }

    #[test]
    fn tanh_values() {
        // tanh 0 = 0; tanh 1 = (e² − 1)/(e² + 1) ≈ 0.7615942; tanh is odd.
        assert_close(
            &t(&[0.0, 1.0, -1.0]).tanh(),
            &[0.0, 0.761_594_2, -0.761_594_2],
        );
        // tanh saturates at ±1.
        assert_close(&t(&[50.0, -50.0]).tanh(), &[1.0, -1.0]);
    }

    #[test]
    fn sigmoid_values_and_stability() {
        // σ(0) = 1/2; σ(2) = 1/(1 + e^(−2)) ≈ 0.8807971; σ(−x) = 1 − σ(x).
        assert_close(
            &t(&[0.0, 2.0, -2.0]).sigmoid(),
            &[0.5, 0.880_797_1, 0.119_202_92],
        );
        // At ±100, e^100 overflows f32, but neither form used meets it: σ → 1 and 0.
        let s = t(&[100.0, -100.0, 1000.0, -1000.0]).sigmoid();
        assert!(s.data().iter().all(|v| v.is_finite()));
        assert_close(&s, &[1.0, 0.0, 1.0, 0.0]);
        // σ(−100) = e^(−100)/(1 + e^(−100)) ≈ 3.7e−44 is tiny but positive, not a flushed 0.
        assert!(sigmoid(-100.0) > 0.0);
    }

    #[test]
    fn relu_and_leaky_relu() {
        // relu(x) = max(0, x).
        assert_eq!(t(&[-2.0, 0.0, 3.0]).relu().data(), &[0.0, 0.0, 3.0]);
        // leaky_relu(x) = x for x ≥ 0, 0.1·x otherwise.
        assert_close(&t(&[-2.0, 0.0, 3.0]).leaky_relu(0.1), &[-0.2, 0.0, 3.0]);
    }

    #[test]
    fn gelu_is_x_times_the_normal_cdf() {
        // gelu(0) = 0; gelu(1) = Φ(1) ≈ 0.8413447; gelu(−1) = −Φ(−1) = −(1 − Φ(1)) ≈ −0.1586553.
        assert_close(
            &t(&[0.0, 1.0, -1.0]).gelu(),
            &[0.0, 0.841_344_7, -0.158_655_25],
        );
        // Far out it is the identity on the right and 0 on the left (from below, not flushed:
        // gelu(−10) = −10·Φ(−10) ≈ −7.6e−23).
        assert_close(&t(&[10.0, -10.0]).gelu(), &[10.0, 0.0]);
        assert!(gelu(-10.0) < 0.0);
    }

    #[test]
    fn sqrt_powf_square_abs_neg_clamp() {
        // √4 = 2, √0.25 = 0.5.
        assert_eq!(t(&[4.0, 0.25]).sqrt().data(), &[2.0, 0.5]);
        // 2³ = 8, 9^0.5 = 3, 4^(−1) = 0.25.
        assert_close(&t(&[2.0]).powf(3.0), &[8.0]);
        assert_close(&t(&[9.0]).powf(0.5), &[3.0]);
        assert_close(&t(&[4.0]).powf(-1.0), &[0.25]);
        // (−3)² = 9.
        assert_eq!(t(&[-3.0, 1.5]).square().data(), &[9.0, 2.25]);
        assert_eq!(t(&[-3.0, 1.5]).abs().data(), &[3.0, 1.5]);
        assert_eq!(t(&[-3.0, 1.5]).neg().data(), &[3.0, -1.5]);
        // clamp to [−1, 2].
        assert_eq!(
            t(&[-3.0, 0.5, 7.0]).clamp(-1.0, 2.0).data(),
            &[-1.0, 0.5, 2.0]
        );
    }

    #[test]
    fn unary_ops_keep_the_shape() {
        let x = Tensor::ones(&[2, 1, 3]);
        for y in [
            x.exp(),
            x.ln(),
            x.tanh(),
            x.sigmoid(),
            x.relu(),
            x.sqrt(),
            x.square(),
        ] {
            assert_eq!(y.shape(), &[2, 1, 3]);
        }
    }
}
