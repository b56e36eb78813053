//! A 1-D regression set: a piecewise-linear trend plus Gaussian noise of known size.
//!
//! ```text
//! x ~ Uniform(−3, 3)
//! trend(x) = 0.5·x + relu(x − 1) + relu(−x − 1)
//! y = trend(x) + ε,   ε ~ N(0, noise_std²)
//! ```
//!
//! The trend has slope −0.5 left of −1, 0.5 between −1 and 1, and 1.5 right of 1: three
//! straight pieces, which a tiny network with PReLU activations (themselves two straight
//! pieces each) can match exactly. So a well-fitted model's mean squared error can approach
//! the noise floor `noise_std²` and no lower: that is the lesson's yardstick.
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! use data::regression::{regression_1d, trend};
//! let set = regression_1d(100, 0.2, &mut StdRng::seed_from_u64(1));
//! assert_eq!(set.x.shape(), &[100, 1]);
//! assert_eq!(trend(2.0), 2.0); // 0.5·2 + relu(1) + relu(−3)
//! assert!((set.noise_floor() - 0.04).abs() < 1e-6);
//! ```

use rand::Rng;
use tensor::Tensor;

/// The noise level the lessons use unless they say otherwise.
pub const DEFAULT_NOISE_STD: f32 = 0.2;

/// The interval `x` is drawn from.
pub const X_RANGE: (f32, f32) = (-3.0, 3.0);

/// The noise-free trend: `0.5·x + relu(x − 1) + relu(−x − 1)`.
pub fn trend(x: f32) -> f32 {
    0.5 * x + (x - 1.0).max(0.0) + (-x - 1.0).max(0.0)
}

/// [`trend`] applied to every element (for plotting the true curve).
///
/// # Shapes
/// Any shape → the same shape.
pub fn trend_tensor(x: &Tensor) -> Tensor {
    x.map(trend)
}

/// A drawn regression set with the noise level used to make it.
#[derive(Clone, Debug, PartialEq)]
pub struct Regression1d {
    /// Inputs, uniform on [`X_RANGE`]: `[N, 1]`.
    pub x: Tensor,
    /// Noisy targets `trend(x) + ε`: `[N, 1]`.
    pub y: Tensor,
    /// The standard deviation of ε.
    pub noise_std: f32,
}

impl Regression1d {
    /// The smallest expected mean squared error any model can reach: `noise_std²`.
    pub fn noise_floor(&self) -> f32 {
        self.noise_std * self.noise_std
    }
}

/// Draws `n` points from `rng`: `x` uniform on [`X_RANGE`], `y = trend(x) + N(0, noise_std²)`.
///
/// # Shapes
/// `x: [n, 1]`, `y: [n, 1]`.
pub fn regression_1d(n: usize, noise_std: f32, rng: &mut impl Rng) -> Regression1d {
    let x = Tensor::rand_uniform(&[n, 1], X_RANGE.0, X_RANGE.1, rng);
    let noise = if noise_std > 0.0 {
        Tensor::rand_normal(&[n, 1], 0.0, noise_std, rng)
    } else {
        Tensor::zeros(&[n, 1])
    };
    let y = trend_tensor(&x).add(&noise);
    Regression1d { x, y, noise_std }
}
