//! `e^x` without a library call, for code the compiler runs several numbers at a time: the
//! exponentials of GELU ([`gelu`](super::gelu)) and of the softmax ([`softmax`](super::softmax)),
//! whose arguments are never above 0 (the softmax subtracts its line's maximum first).

/// `e^x` for `x ≤ 0`, as Cephes' `expf`: `x = n·ln 2 + r` with `|r| ≤ ln 2 / 2`, `e^r` by a
/// polynomial of degree 7 (relative error below 2·10⁻⁷ there), times `2ⁿ` built in the
/// exponent bits. Below −87 (where `e^x` leaves the normal `f32`s) it returns 0.
#[inline(always)]
pub fn exp_nonpositive(x: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    // ln 2 in two parts, so that n·LN2_HI is exact for the n that occur.
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // Adding 1.5·2²³ rounds to a whole number (to even on a tie) in the low bits of the
    // sum, without a call to `roundf`, which the compiler cannot run several at a time.
    const ROUNDER: f32 = 12_582_912.0;
    // (A comparison rather than `max`, so that NaN stays NaN.)
    let clamped = if x < -87.0 { -87.0 } else { x };
    let shifted = clamped * LOG2_E + ROUNDER;
    let n = shifted - ROUNDER;
    let r = clamped - n * LN2_HI - n * LN2_LO;
    let p = ((((1.987_569_2e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 0.5;
    let e_r = p * r * r + r + 1.0;
    // 2ⁿ for −126 ≤ n ≤ 0: the exponent field n + 127, n read from the sum's low bits.
    let n_bits = shifted.to_bits().wrapping_sub(ROUNDER.to_bits());
    let two_n = f32::from_bits(n_bits.wrapping_add(127) << 23);
    let y = e_r * two_n;
    if x < -87.0 { 0.0 } else { y }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `|a − b|` in units of `b`'s last place (at least the smallest normal's).
    fn ulps(a: f32, b: f64) -> f64 {
        let b32 = b as f32;
        let spacing = f64::from(f32::from_bits(b32.abs().to_bits() + 1) - b32.abs())
            .max(f64::from(f32::MIN_POSITIVE));
        (f64::from(a) - b).abs() / spacing
    }

    #[test]
    fn fast_exp_is_within_two_ulp_below_zero() {
        let mut worst: f64 = 0.0;
        for i in 0..200_000 {
            let x = -87.0 * i as f32 / 200_000.0;
            worst = worst.max(ulps(exp_nonpositive(x), f64::from(x).exp()));
        }
        assert!(worst <= 2.0, "{worst} ulp");
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-200.0), 0.0);
        assert!(exp_nonpositive(f32::NAN).is_nan());
    }
}
