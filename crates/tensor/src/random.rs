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
        assert!(
            low < high,
            "rand_uniform: need low < high, got {low} and {high}"
        );
        let dist = Uniform::new(low, high).expect("low < high was checked");
        let data = (0..numel(shape)).map(|_| dist.sample(rng)).collect();
        Tensor::from_parts("rand_uniform", data, shape)
    }

    /// Each element drawn independently from the normal distribution `N(mean, std²)`;
    /// panics unless `std` is finite and `≥ 0` (as `torch.normal` does).
    pub fn rand_normal(shape: &[usize], mean: f32, std: f32, rng: &mut impl Rng) -> Tensor {
        // rand_distr accepts a negative std (and silently mirrors the draws); a negative
        // std is a mistake, so say so.
        assert!(
            std >= 0.0,
            "rand_normal: std {std} is not valid: it must be at least 0"
        );
        let dist = Normal::new(mean, std)
            .unwrap_or_else(|e| panic!("rand_normal: std {std} is not valid: {e}"));
        let data = (0..numel(shape)).map(|_| dist.sample(rng)).collect();
        Tensor::from_parts("rand_normal", data, shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn the_same_seed_gives_the_same_tensor() {
        let draw = |seed| Tensor::rand_normal(&[3, 4], 0.0, 1.0, &mut StdRng::seed_from_u64(seed));
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn uniform_stays_in_range_with_the_right_mean() {
        // U[−2, 3): every draw in range; mean (−2 + 3)/2 = 0.5, variance (3 + 2)²/12 ≈ 2.083.
        let x = Tensor::rand_uniform(&[100, 100], -2.0, 3.0, &mut StdRng::seed_from_u64(1));
        assert_eq!(x.shape(), &[100, 100]);
        assert!(x.data().iter().all(|&v| (-2.0..3.0).contains(&v)));
        assert_abs_diff_eq!(x.mean_all().item(), 0.5, epsilon = 0.05);
        let var = x.reshape(&[10_000]).var_axis(0, false, false).item();
        assert_abs_diff_eq!(var, 25.0 / 12.0, epsilon = 0.1);
    }

    #[test]
    fn normal_has_the_right_mean_and_std() {
        // N(1, 0.5²) over 10⁴ draws: the sample mean is within a few 0.5/√10⁴ = 0.005 of 1.
        let x = Tensor::rand_normal(&[10_000], 1.0, 0.5, &mut StdRng::seed_from_u64(2));
        assert_abs_diff_eq!(x.mean_all().item(), 1.0, epsilon = 0.02);
        assert_abs_diff_eq!(x.std_axis(0, true, false).item(), 0.5, epsilon = 0.02);
    }

    #[test]
    #[should_panic(expected = "rand_uniform: need low < high, got 1 and 1")]
    fn uniform_needs_a_range() {
        Tensor::rand_uniform(&[2], 1.0, 1.0, &mut StdRng::seed_from_u64(0));
    }

    #[test]
    #[should_panic(expected = "rand_normal: std -1 is not valid")]
    fn normal_needs_a_valid_std() {
        Tensor::rand_normal(&[2], 0.0, -1.0, &mut StdRng::seed_from_u64(0));
    }

    #[test]
    #[should_panic(expected = "rand_normal: std inf is not valid")]
    fn normal_needs_a_finite_std() {
        Tensor::rand_normal(&[2], 0.0, f32::INFINITY, &mut StdRng::seed_from_u64(0));
    }

    #[test]
    fn normal_with_zero_std_is_constant() {
        // N(3, 0) always gives 3.
        let x = Tensor::rand_normal(&[4], 3.0, 0.0, &mut StdRng::seed_from_u64(0));
        assert_eq!(x, Tensor::full(&[4], 3.0));
    }
}
