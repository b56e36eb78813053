//! The XOR data set: four noisy clusters at the corners of the unit square.
//!
//! | corner | label |
//! | --- | --- |
//! | (0, 0) | 0 |
//! | (0, 1) | 1 |
//! | (1, 0) | 1 |
//! | (1, 1) | 0 |
//!
//! No straight line separates the ones from the zeros, so a single neuron fails and one
//! hidden layer succeeds: the classic reason for depth.
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! let (x, y) = data::xor::xor(8, &mut StdRng::seed_from_u64(0));
//! assert_eq!((x.shape(), y.shape()), (&[8, 2][..], &[8, 1][..]));
//! assert_eq!(y.data(), &[0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0]);
//! ```

use rand::Rng;
use tensor::Tensor;

/// The standard deviation of the Gaussian noise added to each coordinate.
pub const XOR_NOISE_STD: f32 = 0.01;

/// The four corners and their labels, in the order points cycle through them.
pub const CORNERS: [([f32; 2], f32); 4] = [
    ([0.0, 0.0], 0.0),
    ([0.0, 1.0], 1.0),
    ([1.0, 0.0], 1.0),
    ([1.0, 1.0], 0.0),
];

/// `n` XOR points: point `i` sits at corner `i mod 4` (so each corner gets a quarter)
/// plus noise `N(0, 0.01²)` per coordinate, drawn from `rng`.
///
/// # Shapes
/// Returns `(x, y)`: `x: [n, 2]`, `y: [n, 1]` with binary targets 0.0 or 1.0.
pub fn xor(n: usize, rng: &mut impl Rng) -> (Tensor, Tensor) {
    let noise = Tensor::rand_normal(&[n, 2], 0.0, XOR_NOISE_STD, rng);
    let mut x = Vec::with_capacity(2 * n);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let (corner, label) = CORNERS[i % 4];
        x.push(corner[0] + noise.data()[2 * i]);
        x.push(corner[1] + noise.data()[2 * i + 1]);
        y.push(label);
    }
    (
        Tensor::from_parts("xor", x, &[n, 2]),
        Tensor::from_parts("xor", y, &[n, 1]),
    )
}
