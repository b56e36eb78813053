//! Points in the plane for the studio's playground, as TensorFlow Playground draws them:
//! four data sets of two classes — XOR (the course's), two circles, two spirals, two
//! Gaussians — in the square `[−6, 6]²`, and the features a network may be given instead
//! of the bare coordinates (`x₁²`, `x₁x₂`, `sin x₁`, …).
//!
//! Each set takes a `noise` in `[0, 1]` (0: clean shapes, 1: heavily blurred) and draws
//! everything from the generator it is given, so the same seed gives the same points.
//!
//! ```
//! use data::plane::{Feature, Shape, features, points};
//! use rand::{SeedableRng, rngs::StdRng};
//! let (x, y) = points(Shape::Spirals, 100, 0.1, &mut StdRng::seed_from_u64(0));
//! assert_eq!((x.shape(), y.shape()), (&[100, 2][..], &[100, 1][..]));
//! let f = features(&x, &[Feature::X1, Feature::X1X2]);
//! assert_eq!(f.at(&[3, 1]), x.at(&[3, 0]) * x.at(&[3, 1]));
//! ```

use std::f32::consts::PI;

use rand::Rng;
use tensor::Tensor;

/// The plane shown: `[−EXTENT, EXTENT]²`.
pub const EXTENT: f32 = 6.0;

/// A two-class data set in the plane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The course's XOR ([`crate::xor::xor`]): four clusters, the corners of the unit
    /// square stretched to `(±3, ±3)`; opposite corners share a class.
    Xor,
    /// A disc of class 1 (radius up to 2.5) inside a ring of class 0 (radius 3.5 to 5).
    Circles,
    /// Two spirals, one per class, each turning 1.75 times out to radius 5.
    Spirals,
    /// Two round clouds: class 1 around `(2, 2)`, class 0 around `(−2, −2)`.
    Gaussians,
}

impl Shape {
    /// Every data set, in the page's order.
    pub const ALL: [Shape; 4] = [Shape::Xor, Shape::Circles, Shape::Spirals, Shape::Gaussians];

    /// The name the page and its address use.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Xor => "xor",
            Shape::Circles => "circles",
            Shape::Spirals => "spirals",
            Shape::Gaussians => "gaussians",
        }
    }

    /// The data set called `name`.
    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A standard normal number, `N(0, 1)`, from `rng`.
fn normal(rng: &mut impl Rng) -> f32 {
    Tensor::rand_normal(&[1], 0.0, 1.0, rng).data()[0]
}

/// `n` points of `shape` with `noise` in `[0, 1]`, drawn from `rng`. Point `i` has class
/// `i mod 2` (XOR: the class of corner `i mod 4`), so the classes are balanced.
///
/// The noise, per coordinate: XOR adds `N(0, (2·noise)²)` to the course's points (whose own
/// noise becomes `N(0, 0.06²)` when stretched); circles and spirals add `N(0, noise²)`;
/// the Gaussians' spread is `σ = 0.5 + 1.5·noise`.
///
/// # Shapes
/// Returns `(x, y)`: `x: [n, 2]` (the coordinates `x₁`, `x₂`), `y: [n, 1]` (0.0 or 1.0).
pub fn points(shape: Shape, n: usize, noise: f32, rng: &mut impl Rng) -> (Tensor, Tensor) {
    assert!(
        (0.0..=1.0).contains(&noise),
        "plane::points: noise {noise} is not in [0, 1]"
    );
    if shape == Shape::Xor {
        let (x, y) = crate::xor::xor(n, rng);
        let blur = Tensor::rand_normal(&[n, 2], 0.0, 2.0 * noise, rng);
        let x = x.add_scalar(-0.5).mul_scalar(6.0).add(&blur);
        return (x, y);
    }
    let mut x = Vec::with_capacity(2 * n);
    let mut y = Vec::with_capacity(n);
    let half = n.div_ceil(2).max(1) as f32;
    for i in 0..n {
        let class = (i % 2) as f32;
        let (a, b) = match shape {
            Shape::Xor => unreachable!("drawn above"),
            Shape::Circles => {
                let r = if class == 1.0 {
                    rng.random_range(0.0..2.5)
                } else {
                    rng.random_range(3.5..5.0)
                };
                let t: f32 = rng.random_range(0.0..2.0 * PI);
                (
                    r * t.cos() + noise * normal(rng),
                    r * t.sin() + noise * normal(rng),
                )
            }
            Shape::Spirals => {
                let k = (i / 2) as f32 / half;
                let (r, t) = (5.0 * k, 1.75 * 2.0 * PI * k + PI * class);
                (
                    r * t.sin() + noise * normal(rng),
                    r * t.cos() + noise * normal(rng),
                )
            }
            Shape::Gaussians => {
                let (centre, sigma) = (if class == 1.0 { 2.0 } else { -2.0 }, 0.5 + 1.5 * noise);
                (centre + sigma * normal(rng), centre + sigma * normal(rng))
            }
        };
        x.extend([a, b]);
        y.push(class);
    }
    (
        Tensor::from_parts("plane::points", x, &[n, 2]),
        Tensor::from_parts("plane::points", y, &[n, 1]),
    )
}

/// A number computed from a point `(x₁, x₂)` that a network may take as an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// `x₁`.
    X1,
    /// `x₂`.
    X2,
    /// `x₁²`.
    X1Squared,
    /// `x₂²`.
    X2Squared,
    /// `x₁·x₂`.
    X1X2,
    /// `sin x₁`.
    SinX1,
    /// `sin x₂`.
    SinX2,
}

impl Feature {
    /// Every feature, in the page's order (TensorFlow Playground's seven).
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1X2,
        Feature::SinX1,
        Feature::SinX2,
    ];

    /// The name the page's address uses: `x1`, `x1sq`, `sinx2`, …
    pub fn name(self) -> &'static str {
        match self {
            Feature::X1 => "x1",
            Feature::X2 => "x2",
            Feature::X1Squared => "x1sq",
            Feature::X2Squared => "x2sq",
            Feature::X1X2 => "x1x2",
            Feature::SinX1 => "sinx1",
            Feature::SinX2 => "sinx2",
        }
    }

    /// How it is written: `x₁²`, `sin x₂`, …
    pub fn symbol(self) -> &'static str {
        match self {
            Feature::X1 => "x₁",
            Feature::X2 => "x₂",
            Feature::X1Squared => "x₁²",
            Feature::X2Squared => "x₂²",
            Feature::X1X2 => "x₁x₂",
            Feature::SinX1 => "sin x₁",
            Feature::SinX2 => "sin x₂",
        }
    }

    /// The feature called `name`.
    pub fn from_name(name: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Its value at the point `(x1, x2)`.
    pub fn value(self, x1: f32, x2: f32) -> f32 {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Squared => x1 * x1,
            Feature::X2Squared => x2 * x2,
            Feature::X1X2 => x1 * x2,
            Feature::SinX1 => x1.sin(),
            Feature::SinX2 => x2.sin(),
        }
    }
}

/// The `chosen` features of every point, in the order chosen.
///
/// # Shapes
/// `x: [n, 2]` → `[n, chosen.len()]`.
pub fn features(x: &Tensor, chosen: &[Feature]) -> Tensor {
    assert!(
        x.ndim() == 2 && x.dim(1) == 2,
        "plane::features: points of shape {:?} are not [n, 2]",
        x.shape()
    );
    let values = x
        .data()
        .chunks(2)
        .flat_map(|p| chosen.iter().map(|f| f.value(p[0], p[1])))
        .collect();
    Tensor::from_parts("plane::features", values, &[x.dim(0), chosen.len()])
}

/// The centres of a `steps × steps` grid over the plane, row by row from the bottom
/// (`x₂ = −EXTENT`) up, `x₁` from left to right: where a network's output is drawn.
///
/// # Shapes
/// Returns `[steps², 2]`.
pub fn grid(steps: usize) -> Tensor {
    let at = |k: usize| -EXTENT + 2.0 * EXTENT * (k as f32 + 0.5) / steps as f32;
    let values = (0..steps)
        .flat_map(|row| (0..steps).flat_map(move |col| [at(col), at(row)]))
        .collect();
    Tensor::from_parts("plane::grid", values, &[steps * steps, 2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    fn draw(shape: Shape, noise: f32, seed: u64) -> (Tensor, Tensor) {
        points(shape, 400, noise, &mut StdRng::seed_from_u64(seed))
    }

    #[test]
    fn the_same_seed_gives_the_same_points_and_classes_are_balanced() {
        for shape in Shape::ALL {
            let (x, y) = draw(shape, 0.3, 5);
            assert_eq!(draw(shape, 0.3, 5).0, x, "{shape:?}");
            assert_ne!(draw(shape, 0.3, 6).0, x, "{shape:?}");
            let ones = y.data().iter().filter(|&&v| v == 1.0).count();
            assert_eq!(ones, 200, "{shape:?}");
            assert!(
                x.data().iter().all(|v| v.abs() < EXTENT + 4.0),
                "{shape:?} leaves the plane"
            );
        }
    }

    #[test]
    fn clean_sets_have_their_shapes() {
        // XOR without extra noise: the course's points, stretched: x = 6·(x_course − ½).
        let (x, y) = draw(Shape::Xor, 0.0, 1);
        let (course, labels) = crate::xor::xor(400, &mut StdRng::seed_from_u64(1));
        assert_eq!(y, labels);
        for (a, c) in x.data().iter().zip(course.data()) {
            assert!((a - 6.0 * (c - 0.5)).abs() < 1e-5);
        }
        // XOR's class is whether x₁ and x₂ differ in sign.
        for p in 0..400 {
            let (a, b) = (x.at(&[p, 0]), x.at(&[p, 1]));
            assert_eq!(
                y.at(&[p, 0]),
                if (a > 0.0) != (b > 0.0) { 1.0 } else { 0.0 }
            );
        }
        // Circles: class 1 within radius 2.5, class 0 from 3.5 to 5.
        let (x, y) = draw(Shape::Circles, 0.0, 2);
        for p in 0..400 {
            let r = x.at(&[p, 0]).hypot(x.at(&[p, 1]));
            let inside = y.at(&[p, 0]) == 1.0;
            assert!(
                if inside {
                    r < 2.5
                } else {
                    (3.5..5.0).contains(&r)
                },
                "r = {r}"
            );
        }
        // Spirals: point 2k and 2k + 1 are opposite each other (t and t + π).
        let (x, _) = draw(Shape::Spirals, 0.0, 3);
        for p in (0..400).step_by(2) {
            assert!((x.at(&[p, 0]) + x.at(&[p + 1, 0])).abs() < 1e-4);
            assert!((x.at(&[p, 1]) + x.at(&[p + 1, 1])).abs() < 1e-4);
        }
        // Gaussians with σ = 0.5: the clouds' means are near (±2, ±2).
        let (x, y) = draw(Shape::Gaussians, 0.0, 4);
        let mean = |class: f32| {
            let rows: Vec<usize> = (0..400).filter(|&p| y.at(&[p, 0]) == class).collect();
            rows.iter().map(|&p| x.at(&[p, 0])).sum::<f32>() / rows.len() as f32
        };
        assert!((mean(1.0) - 2.0).abs() < 0.15 && (mean(0.0) + 2.0).abs() < 0.15);
    }

    #[test]
    fn noise_spreads_the_points() {
        // The XOR points' distance from their corners grows with the noise: on average
        // E|N(0, σ²)| = σ·√(2/π) per coordinate, with σ = √(0.06² + (2·noise)²) ≈ 1 at 0.5.
        let spread = |noise: f32| {
            let (x, _) = draw(Shape::Xor, noise, 9);
            x.data().iter().map(|v| (v.abs() - 3.0).abs()).sum::<f32>() / 800.0
        };
        assert!(spread(0.0) < 0.1);
        let s = spread(0.5);
        assert!((s - 0.8).abs() < 0.08, "spread {s}");
    }

    #[test]
    fn features_names_and_the_grid() {
        for f in Feature::ALL {
            assert_eq!(Feature::from_name(f.name()), Some(f));
        }
        assert_eq!(Shape::from_name("spirals"), Some(Shape::Spirals));
        assert_eq!(Shape::from_name("moons"), None);
        let x = Tensor::from_vec(vec![2.0, -3.0], &[1, 2]).unwrap();
        let all = features(&x, &Feature::ALL);
        let want = [2.0, -3.0, 4.0, 9.0, -6.0, 2f32.sin(), (-3f32).sin()];
        assert_eq!(all.data(), want);
        // A 3×3 grid: cells of width 4, centres at −4, 0, 4; bottom row first.
        let g = grid(3);
        assert_eq!(&g.data()[..6], &[-4.0, -4.0, 0.0, -4.0, 4.0, -4.0]);
        assert_eq!(&g.data()[16..], &[4.0, 4.0]);
    }
}
