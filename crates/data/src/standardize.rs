//! Putting features on a common scale: per-column standardisation and image normalisation.
//!
//! Standardising column `j` of `x` uses the training set's mean and standard deviation,
//!
//! ```text
//! μ_j = (1/N) Σ_i x_ij,   σ_j = sqrt((1/N) Σ_i (x_ij − μ_j)²),   x̃_ij = (x_ij − μ_j) / σ_j
//! ```
//!
//! with the *population* standard deviation (divide by `N`, as scikit-learn's
//! `StandardScaler` does), and the same `μ, σ` must then be applied to validation and test
//! data, which is why [`standardize`] returns them as a [`Standardizer`].
//!
//! ```
//! use tensor::Tensor;
//! let x = Tensor::from_vec(vec![1.0, 10.0, 3.0, 30.0], &[2, 2]).unwrap();
//! let (x_std, scaler) = data::standardize(&x);
//! assert_eq!(x_std.data(), &[-1.0, -1.0, 1.0, 1.0]);
//! assert_eq!(scaler.mean.data(), &[2.0, 20.0]);
//! assert!(scaler.unstandardize(&x_std).allclose(&x, 1e-6, 1e-6));
//! ```

use tensor::Tensor;

/// The per-column mean and population standard deviation of a training set.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardizer {
    /// Column means `μ`: `[1, D]`.
    pub mean: Tensor,
    /// Column standard deviations `σ` (population; a constant column gets 1 so that it maps
    /// to 0 instead of NaN): `[1, D]`.
    pub std: Tensor,
}

impl Standardizer {
    /// Measures `μ` and `σ` of each column of `x`.
    ///
    /// # Shapes
    /// `x: [N, D]` with `N ≥ 1` → `mean, std: [1, D]`.
    pub fn fit(x: &Tensor) -> Standardizer {
        assert!(
            x.ndim() == 2 && x.dim(0) > 0,
            "Standardizer::fit: need [N, D] with N > 0, got {:?}",
            x.shape()
        );
        let mean = x.mean_axis(0, true);
        let std = x
            .std_axis(0, false, true)
            .map(|s| if s > 0.0 { s } else { 1.0 });
        Standardizer { mean, std }
    }

    /// `(x − μ) / σ` per column.
    ///
    /// # Shapes
    /// `[N, D] → [N, D]`.
    pub fn apply(&self, x: &Tensor) -> Tensor {
        x.sub(&self.mean).div(&self.std)
    }

    /// The inverse, `x̃ · σ + μ`: turns standardised values (or predictions) back into the
    /// original units.
    ///
    /// # Shapes
    /// `[N, D] → [N, D]`.
    pub fn unstandardize(&self, x: &Tensor) -> Tensor {
        x.mul(&self.std).add(&self.mean)
    }
}

/// Fits a [`Standardizer`] to `x` and applies it: returns `(x̃, scaler)`.
///
/// # Shapes
/// `x: [N, D]` → `x̃: [N, D]`.
pub fn standardize(x: &Tensor) -> (Tensor, Standardizer) {
    let scaler = Standardizer::fit(x);
    (scaler.apply(x), scaler)
}

/// Pixel values 0–255 scaled to `[0, 1]`: `x / 255`.
///
/// # Shapes
/// Any shape → the same shape.
pub fn scale_pixels(x: &Tensor) -> Tensor {
    x.map(|p| p / 255.0)
}

/// Values in `[0, 1]` centred to `[−1, 1]`: `(x − 0.5) / 0.5`, PyTorch's
/// `Normalize((0.5,), (0.5,))`.
///
/// # Shapes
/// Any shape → the same shape.
pub fn center_unit(x: &Tensor) -> Tensor {
    x.map(|v| (v - 0.5) / 0.5)
}
