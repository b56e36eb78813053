//! Random tensors, drawn from a random-number generator the caller owns and seeds.
//!
//! There is no hidden global generator: the same seed gives the same tensor.
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! use tensor::Tensor;
//! let mut rng = StdRng::seed_from_u64(0);
//! let a = Tensor::rand_uniform(&[2, 3], -1.0, 1.0, &mut rng);
//! let mut rng = StdRng::seed_from_u64(0);
//! assert_eq!(a, Tensor::rand_uniform(&[2, 3], -1.0, 1.0, &mut rng));
//! ```

use rand::Rng;
use rand_distr::{Distribution, Normal, Uniform};

use crate::shape::numel;
use crate::tensor::Tensor;

impl Tensor {
    /// Each element drawn independently from the uniform distribution on `[low, high)`.
    pub fn rand_uniform(shape: &[usize], low: f32, high: f32, rng: &mut impl Rng) -> Tensor {
        assert!(low < high, "rand_uniform: need low < high, got {low} and {high}");
        let dist = Uniform::new(low, high).expect("low < high was checked");
        let data = (0..numel(shape)).map(|_| dist.sample(rng)).collect();
        Tensor::from_parts("rand_uniform", data, shape)
    }

    /// Each element drawn independently from the normal distribution `N(mean, std²)`.
    pub fn rand_normal(shape: &[usize], mean: f32, std: f32, rng: &mut impl Rng) -> Tensor {
        let dist = Normal::new(mean, std)
            .unwrap_or_else(|e| panic!("rand_normal: std {std} is not valid: {e}"));
        let data = (0..numel(shape)).map(|_| dist.sample(rng)).collect();
        Tensor::from_parts("rand_normal", data, shape)
    }
}
