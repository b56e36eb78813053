//! How weights start: the initialisers of PyTorch and Keras, as plain functions.
//!
//! A layer's output variance depends on how many inputs each unit sums (`fan_in`) and, in
//! the backward pass, how many units each input feeds (`fan_out`). Starting weights with a
//! variance of about `1/fan_in` keeps activations from shrinking or exploding layer after
//! layer:
//!
//! - **Kaiming / He** (PyTorch): `Var(w) = gain² / fan_in`. The `gain` corrects for what the
//!   nonlinearity does to the variance ([`gain`]).
//! - **Glorot / Xavier** (Keras' default): `Var(w) = 2 / (fan_in + fan_out)`, a compromise
//!   between the forward and the backward pass.
//!
//! A uniform distribution `U(−a, a)` has variance `a²/3`, so a uniform initialiser with
//! variance `s²` draws from `U(−√3·s, √3·s)`.
//!
//! Every random initialiser takes the caller's random-number generator: the same seed gives
//! the same network.
//!
//! ```
//! use layers::init::{Nonlinearity, gain, kaiming_uniform};
//! use rand::{SeedableRng, rngs::StdRng};
//! // PyTorch's nn.Linear(100, 10) weight: bound = gain·√(3/fan_in) with gain = √(2/(1+5)),
//! // which is exactly 1/√fan_in = 0.1.
//! let a = 5f32.sqrt();
//! let w = kaiming_uniform(&[10, 100], 100, gain(Nonlinearity::LeakyReLU(a)), &mut StdRng::seed_from_u64(0));
//! assert!(w.data().iter().all(|v| v.abs() <= 0.1 + 1e-6));
//! ```

use rand::Rng;
use tensor::Tensor;

/// The nonlinearity that follows a layer, for [`gain`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Nonlinearity {
    /// No nonlinearity (also used for convolutions without one).
    Linear,
    /// The logistic sigmoid.
    Sigmoid,
    /// The hyperbolic tangent.
    Tanh,
    /// `max(0, x)`.
    ReLU,
    /// Leaky ReLU with the given negative slope.
    LeakyReLU(f32),
}

/// The recommended gain for a nonlinearity, as PyTorch's `nn.init.calculate_gain`:
/// linear and sigmoid 1, tanh 5/3, ReLU √2, leaky ReLU with slope `a` `√(2/(1 + a²))`.
///
/// ReLU zeroes half of a symmetric input, halving its second moment, so weights need twice
/// the variance (gain √2) to keep it.
pub fn gain(nonlinearity: Nonlinearity) -> f32 {
    match nonlinearity {
        Nonlinearity::Linear | Nonlinearity::Sigmoid => 1.0,
        Nonlinearity::Tanh => 5.0 / 3.0,
        Nonlinearity::ReLU => 2f32.sqrt(),
        Nonlinearity::LeakyReLU(a) => (2.0 / (1.0 + a * a)).sqrt(),
    }
}

/// Kaiming (He) uniform: `w ~ U(−bound, bound)` with `bound = gain·√(3 / fan_in)`
/// (PyTorch's `kaiming_uniform_`), so that `Var(w) = gain² / fan_in`.
///
/// # Shapes
/// Returns a tensor of `shape`; `fan_in` is the number of inputs each output sums.
pub fn kaiming_uniform(shape: &[usize], fan_in: usize, gain: f32, rng: &mut impl Rng) -> Tensor {
    let bound = gain * (3.0 / fan_in as f32).sqrt();
    Tensor::rand_uniform(shape, -bound, bound, rng)
}

/// Kaiming (He) normal: `w ~ N(0, std²)` with `std = gain / √fan_in` (PyTorch's
/// `kaiming_normal_`).
///
/// # Shapes
/// Returns a tensor of `shape`.
pub fn kaiming_normal(shape: &[usize], fan_in: usize, gain: f32, rng: &mut impl Rng) -> Tensor {
    let std = gain / (fan_in as f32).sqrt();
    Tensor::rand_normal(shape, 0.0, std, rng)
}

// ANCHOR: glorot_uniform
/// Glorot (Xavier) uniform, Keras' default for `Dense` and `Conv2D`:
/// `w ~ U(−bound, bound)` with `bound = √(6 / (fan_in + fan_out))`, so that
/// `Var(w) = 2 / (fan_in + fan_out)`.
///
/// # Shapes
/// Returns a tensor of `shape`.
pub fn glorot_uniform(
    shape: &[usize],
    fan_in: usize,
    fan_out: usize,
    rng: &mut impl Rng,
) -> Tensor {
    let bound = (6.0 / (fan_in + fan_out) as f32).sqrt();
    Tensor::rand_uniform(shape, -bound, bound, rng)
}
// ANCHOR_END: glorot_uniform

/// Glorot (Xavier) normal: `w ~ N(0, std²)` with `std = √(2 / (fan_in + fan_out))`, as
/// PyTorch's `xavier_normal_`. (Keras' `glorot_normal` draws from a normal truncated at two
/// standard deviations instead, rescaled to the same variance.)
///
/// # Shapes
/// Returns a tensor of `shape`.
pub fn glorot_normal(shape: &[usize], fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Tensor {
    let std = (2.0 / (fan_in + fan_out) as f32).sqrt();
    Tensor::rand_normal(shape, 0.0, std, rng)
}

/// A normal distribution cut to `[low, high]`: `w ~ N(0, std²)`, drawn again wherever it
/// falls outside (PyTorch's `nn.init.trunc_normal_(w, 0, std, a=low, b=high)`, which gives
/// the same distribution by inverting its CDF). The bounds are absolute numbers, not
/// multiples of `std`: timm's vision transformers call it with `std = 0.02` and PyTorch's
/// default bounds `±2`, a hundred standard deviations out, so in practice nothing is cut.
///
/// # Shapes
/// Returns a tensor of `shape`.
pub fn trunc_normal(
    shape: &[usize],
    std: f32,
    (low, high): (f32, f32),
    rng: &mut impl Rng,
) -> Tensor {
    assert!(
        low < 0.0 && 0.0 < high && std > 0.0,
        "trunc_normal: need low < 0 < high and std > 0, got [{low}, {high}] and {std}"
    );
    let mut w = Tensor::rand_normal(shape, 0.0, std, rng);
    for v in w.data_mut() {
        while !(low..=high).contains(v) {
            *v = Tensor::rand_normal(&[], 0.0, std, rng).item();
        }
    }
    w
}

/// All zeros: Keras' default bias.
///
/// # Shapes
/// Returns a tensor of `shape`.
pub fn zeros(shape: &[usize]) -> Tensor {
    Tensor::zeros(shape)
}

/// Every element `value`: e.g. PReLU's slope, which starts at 0.25.
///
/// # Shapes
/// Returns a tensor of `shape`.
pub fn constant(shape: &[usize], value: f32) -> Tensor {
    Tensor::full(shape, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn gains_match_pytorch_calculate_gain() {
        assert_eq!(gain(Nonlinearity::Linear), 1.0);
        assert_eq!(gain(Nonlinearity::Sigmoid), 1.0);
        assert!((gain(Nonlinearity::Tanh) - 5.0 / 3.0).abs() < 1e-7);
        assert_eq!(gain(Nonlinearity::ReLU), std::f32::consts::SQRT_2);
        // leaky_relu(0.01): √(2 / 1.0001)
        assert!((gain(Nonlinearity::LeakyReLU(0.01)) - 1.414_142_4).abs() < 1e-6);
    }

    #[test]
    fn trunc_normal_stays_inside_its_bounds() {
        // N(0, 1) cut to [−0.5, 1]: every draw inside, and both ends reached nearly.
        let w = trunc_normal(&[10_000], 1.0, (-0.5, 1.0), &mut StdRng::seed_from_u64(3));
        assert!(w.data().iter().all(|v| (-0.5..=1.0).contains(v)));
        assert!(w.min_all() < -0.49 && w.max_all() > 0.99);
        // timm's call, std 0.02 with bounds ±2: the plain normal's spread, std ≈ 0.02.
        let w = trunc_normal(&[10_000], 0.02, (-2.0, 2.0), &mut StdRng::seed_from_u64(4));
        let std = w.std_axis(0, false, false).item();
        assert!((std - 0.02).abs() < 0.001, "std {std}");
    }

    #[test]
    fn variances_are_as_stated() {
        // A large sample's variance should be within a few percent of the formula.
        let mut rng = StdRng::seed_from_u64(1);
        let var = |t: &Tensor| {
            let n = t.numel() as f32;
            let mean = t.data().iter().sum::<f32>() / n;
            t.data().iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n
        };
        let close = |a: f32, b: f32| (a - b).abs() / b < 0.05;
        // Kaiming with gain √2 and fan_in 50: Var = 2/50 = 0.04, uniform and normal.
        let g = gain(Nonlinearity::ReLU);
        assert!(close(
            var(&kaiming_uniform(&[200, 50], 50, g, &mut rng)),
            0.04
        ));
        assert!(close(
            var(&kaiming_normal(&[200, 50], 50, g, &mut rng)),
            0.04
        ));
        // Glorot with fan_in 50, fan_out 150: Var = 2/200 = 0.01.
        assert!(close(
            var(&glorot_uniform(&[150, 50], 50, 150, &mut rng)),
            0.01
        ));
        assert!(close(
            var(&glorot_normal(&[150, 50], 50, 150, &mut rng)),
            0.01
        ));
    }
}
