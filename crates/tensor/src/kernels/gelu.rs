//! GELU and its slope for whole tensors, in `f32` without a library call per number: the
//! same formulas as [`gelu`](crate::gelu) and [`normal_cdf`](crate::erf::normal_cdf)
//! (Numerical Recipes' `erfc` fit), with `e^x` by [`exp_nonpositive`], in code without
//! branches, so that the compiler runs 8 numbers at a time (AVX2, chosen at run time) or 4
//! (SSE2). A vision transformer's MLP layers hold its largest tensors, and the
//! C library's `exp`, called once per number, was a third of lesson 9's training time.
//!
//! Within a few units in the last place of the `f64` reference (the test below and the
//! property in `tests/properties.rs` check), and the same bits on every CPU: no fused
//! multiply-add is used, so the AVX2 and SSE2 paths round alike.

use rayon::prelude::*;

use crate::kernels::exp::exp_nonpositive;
use crate::kernels::parallel::{PAR_CHUNK, worth_splitting};

/// `Φ(x)` and `φ(x)`: the standard normal CDF by `erfc(−x/√2)/2` (Numerical Recipes' fit,
/// see [`crate::erf`]) and density `e^(−x²/2)/√(2π)`.
#[inline(always)]
fn cdf_and_pdf(x: f32) -> (f32, f32) {
    const FRAC_1_SQRT_2: f32 = std::f32::consts::FRAC_1_SQRT_2;
    const FRAC_1_SQRT_2PI: f32 = 0.398_942_3;
    let z = (x * FRAC_1_SQRT_2).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let p = -1.265_512_2
        + t * (1.000_023_7
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_204
                                + t * (1.488_515_9 + t * (-0.822_152_2 + t * 0.170_872_77))))))));
    // erfc(|z|)/2; Φ(x) is that for x ≤ 0 and 1 minus it for x > 0.
    let half_erfc = 0.5 * t * exp_nonpositive(-z * z + p);
    let cdf = if x > 0.0 { 1.0 - half_erfc } else { half_erfc };
    (cdf, FRAC_1_SQRT_2PI * exp_nonpositive(-0.5 * x * x))
}

/// `gelu(x) = x·Φ(x)` of one number.
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    x * cdf_and_pdf(x).0
}

/// `gelu′(x) = Φ(x) + x·φ(x)` of one number.
#[inline(always)]
pub fn gelu_slope(x: f32) -> f32 {
    let (cdf, pdf) = cdf_and_pdf(x);
    cdf + x * pdf
}

/// `out[i] = gelu(x[i])` (`slope` false) or `g[i]·gelu′(x[i])` (`slope` true) for one run.
#[inline(always)]
fn run(x: &[f32], g: &[f32], out: &mut [f32], slope: bool) {
    if slope {
        for ((o, &x), &g) in out.iter_mut().zip(x).zip(g) {
            *o = g * gelu_slope(x);
        }
    } else {
        for (o, &x) in out.iter_mut().zip(x) {
            *o = gelu(x);
        }
    }
}

/// [`run`] compiled for AVX2, 8 numbers per instruction.
///
/// # Safety
/// The CPU has AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[allow(unsafe_code)]
unsafe fn run_avx2(x: &[f32], g: &[f32], out: &mut [f32], slope: bool) {
    run(x, g, out, slope);
}

/// [`run`] by the widest path this CPU has.
fn run_widest(x: &[f32], g: &[f32], out: &mut [f32], slope: bool) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: AVX2 was just detected.
        #[allow(unsafe_code)]
        unsafe {
            run_avx2(x, g, out, slope)
        };
        return;
    }
    run(x, g, out, slope);
}

/// Both cores for large tensors, runs of [`PAR_CHUNK`]; `g` is empty unless `slope`.
fn apply(x: &[f32], g: &[f32], slope: bool) -> Vec<f32> {
    let mut out = vec![0.0; x.len()];
    let g_run = |i: usize| if slope { &g[i * PAR_CHUNK..] } else { g };
    if worth_splitting(x.len()) {
        out.par_chunks_mut(PAR_CHUNK)
            .zip(x.par_chunks(PAR_CHUNK))
            .enumerate()
            .for_each(|(i, (o, x))| run_widest(x, g_run(i), o, slope));
    } else {
        run_widest(x, g, &mut out, slope);
    }
    out
}

/// `gelu(x)` of every number.
pub fn forward(x: &[f32]) -> Vec<f32> {
    apply(x, &[], false)
}

/// `g·gelu′(x)` of every number: GELU's backward rule.
pub fn backward(x: &[f32], g: &[f32]) -> Vec<f32> {
    assert_eq!(x.len(), g.len(), "gelu backward: x and g differ in length");
    apply(x, g, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erf::{normal_cdf, normal_pdf};

    #[test]
    fn gelu_and_its_slope_follow_the_f64_reference() {
        // Absolute error ≤ 4·10⁻⁷·(1 + |x|) on [−12, 12]: a few ulp of the larger of the
        // result and x (the product x·Φ inherits Φ's relative error).
        for i in 0..=240_000 {
            let x = -12.0 + 24.0 * i as f32 / 240_000.0;
            let x64 = f64::from(x);
            let bound = 4e-7 * (1.0 + x64.abs());
            let y = x64 * normal_cdf(x64);
            let s = normal_cdf(x64) + x64 * normal_pdf(x64);
            assert!((f64::from(gelu(x)) - y).abs() <= bound, "gelu({x})");
            assert!((f64::from(gelu_slope(x)) - s).abs() <= bound, "gelu'({x})");
        }
        // gelu(0) = 0, gelu′(0) = 1/2 (to an ulp); far out it is x (slope 1) or 0 (slope 0).
        assert_eq!(gelu(0.0), 0.0);
        assert!((gelu_slope(0.0) - 0.5).abs() <= 6e-8);
        assert_eq!((gelu(50.0), gelu_slope(50.0)), (50.0, 1.0));
        assert_eq!((gelu(-50.0), gelu_slope(-50.0)), (0.0, 0.0));
    }

    #[test]
    fn both_paths_give_the_same_bits() {
        let x: Vec<f32> = (0..10_000).map(|i| (i as f32 - 5000.0) * 1e-3).collect();
        let g: Vec<f32> = x.iter().map(|v| v.sin()).collect();
        let (mut a, mut b) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        for slope in [false, true] {
            run(&x, &g, &mut a, slope);
            run_widest(&x, &g, &mut b, slope);
            assert_eq!(a, b);
        }
    }
}
