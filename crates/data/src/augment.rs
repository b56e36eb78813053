//! Data augmentation the lessons use: inverted images, joined data sets, random
//! shifts, scalings, small rotations and stroke thickness changes ([`random_affine`]), the
//! ways a digit from the world differs from an MNIST one after preprocessing, and random
//! crops with mirror images ([`random_crop_flip`]) for clothing.
//!
//! ```
//! use tensor::Tensor;
//! let x = Tensor::from_vec(vec![0.0, 0.25, 1.0], &[1, 1, 1, 3]).unwrap();
//! assert_eq!(data::augment::invert(&x).data(), &[1.0, 0.75, 0.0]);
//! ```

use rand::Rng;
use tensor::Tensor;

use crate::warp::{Affine, warp};

/// Black-on-white from white-on-black: `1 − x` for pixels in `[0, 1]`.
///
/// # Shapes
/// Any shape → the same shape.
pub fn invert(x: &Tensor) -> Tensor {
    x.map(|v| 1.0 - v)
}

/// Each image of `x` inverted (`1 − x`) with probability `chance`, drawn per image.
///
/// # Shapes
/// `[N, ...]` → `[N, ...]`.
pub fn random_invert(x: &Tensor, chance: f64, rng: &mut impl Rng) -> Tensor {
    let n = x.dim(0);
    let per_image = x.data().len() / n.max(1);
    let mut out = x.data().to_vec();
    for image in out.chunks_mut(per_image.max(1)) {
        if rng.random_bool(chance) {
            image.iter_mut().for_each(|v| *v = 1.0 - *v);
        }
    }
    Tensor::from_parts("random_invert", out, x.shape())
}

/// Stacks data sets one after another along the rows: images with images, labels with
/// labels (e.g. MNIST followed by its inverted copy). Panics if a pair has different `N`
/// or the sets' other dimensions differ.
///
/// # Shapes
/// `[(x_k: [N_k, ...], y_k: [N_k, ...])]` → `(x: [Σ N_k, ...], y: [Σ N_k, ...])`.
pub fn concat_sets(sets: &[(&Tensor, &Tensor)]) -> (Tensor, Tensor) {
    assert!(!sets.is_empty(), "concat_sets: no data sets given");
    for (x, y) in sets {
        assert_eq!(
            x.dim(0),
            y.dim(0),
            "concat_sets: inputs {:?} and targets {:?} differ in rows",
            x.shape(),
            y.shape()
        );
    }
    let xs: Vec<&Tensor> = sets.iter().map(|(x, _)| *x).collect();
    let ys: Vec<&Tensor> = sets.iter().map(|(_, y)| *y).collect();
    (Tensor::concat(&xs, 0), Tensor::concat(&ys, 0))
}

/// The ranges [`random_affine`] draws each image's change from (uniformly).
#[derive(Clone, Debug, PartialEq)]
pub struct AffineRange {
    /// The largest rotation, in degrees, either way.
    pub max_rotation_deg: f32,
    /// The smallest and largest scale factor.
    pub scale: (f32, f32),
    /// The largest shift, in pixels, along each axis.
    pub max_shift: f32,
    /// The chance of a thicker stroke, and again of a thinner one.
    pub thickness_chance: f64,
}

impl AffineRange {
    /// What is left of a photographed or drawn digit's differences after MNIST-style
    /// preprocessing: a slant of up to 15°, a size 15% off, a centre of mass two pixels
    /// off (an odd stroke moves it), a thicker or thinner pen.
    pub const WORLD: AffineRange = AffineRange {
        max_rotation_deg: 15.0,
        scale: (0.85, 1.15),
        max_shift: 2.0,
        thickness_chance: 0.2,
    };
}

/// Each image of `x` rotated, scaled and shifted about its centre by amounts drawn from
/// `range`, and with a chance its stroke thickened or thinned by a pixel (a 3 × 3 cross's
/// maximum or minimum, averaged with the image so strokes do not vanish). Sampled
/// bilinearly; what moves out of the frame is lost, what moves in is black.
///
/// # Shapes
/// `[N, C, H, W]` → `[N, C, H, W]`.
pub fn random_affine(x: &Tensor, range: &AffineRange, rng: &mut impl Rng) -> Tensor {
    let &[n, c, h, w] = x.shape() else {
        panic!("random_affine: expected [N, C, H, W], got {:?}", x.shape());
    };
    let centre = ((w as f32 - 1.0) / 2.0, (h as f32 - 1.0) / 2.0);
    let mut out = Vec::with_capacity(x.data().len());
    for image in x.data().chunks(c * h * w) {
        let map = Affine {
            angle: rng
                .random_range(-range.max_rotation_deg..=range.max_rotation_deg)
                .to_radians(),
            scale: rng.random_range(range.scale.0..=range.scale.1),
            from: centre,
            to: (
                centre.0 + rng.random_range(-range.max_shift..=range.max_shift),
                centre.1 + rng.random_range(-range.max_shift..=range.max_shift),
            ),
        };
        let pen = rng.random_range(0.0..1.0);
        for channel in image.chunks(h * w) {
            let moved = warp(channel, (w, h), (w, h), &map);
            let moved = if pen < range.thickness_chance {
                change_stroke(&moved, (w, h), f32::max)
            } else if pen < 2.0 * range.thickness_chance {
                change_stroke(&moved, (w, h), f32::min)
            } else {
                moved
            };
            out.extend(moved);
        }
    }
    debug_assert_eq!(out.len(), n * c * h * w);
    Tensor::from_parts("random_affine", out, x.shape())
}

/// Each image of `x` shifted by a random crop of its zero-padded copy and, if `flip`, with
/// chance ½ mirrored left to right: torchvision's `RandomCrop(H, padding=pad)` followed by
/// `RandomHorizontalFlip()`, the augmentation of the ResNet papers' CIFAR runs. For each
/// image, offsets `dy, dx` are drawn uniformly from `−pad..=pad` (then, if `flip`, a coin)
/// and `out[i, j] = x[i + dy, j' + dx]` (0 outside the image), with `j' = W − 1 − j` if
/// flipped, else `j`.
///
/// A coat mirrored is still a coat, so flips suit Fashion-MNIST; they would not suit digits
/// (a mirrored 3 is no digit at all).
///
/// # Shapes
/// `[N, C, H, W]` → `[N, C, H, W]`.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let x = Tensor::from_vec((1..=9).map(|v| v as f32).collect(), &[1, 1, 3, 3]).unwrap();
/// // With no padding the crop cannot move; only the flip is random.
/// let y = data::augment::random_crop_flip(&x, 0, true, &mut StdRng::seed_from_u64(0));
/// let flipped = [3.0, 2.0, 1.0, 6.0, 5.0, 4.0, 9.0, 8.0, 7.0];
/// assert!(y.data() == x.data() || y.data() == flipped);
/// ```
pub fn random_crop_flip(x: &Tensor, pad: usize, flip: bool, rng: &mut impl Rng) -> Tensor {
    let &[_, c, h, w] = x.shape() else {
        panic!(
            "random_crop_flip: expected [N, C, H, W], got {:?}",
            x.shape()
        );
    };
    let pad = pad as i64;
    let mut out = vec![0.0; x.data().len()];
    for (image, moved) in x.data().chunks(c * h * w).zip(out.chunks_mut(c * h * w)) {
        let dy = rng.random_range(-pad..=pad) as isize;
        let dx = rng.random_range(-pad..=pad) as isize;
        let flip = flip && rng.random_bool(0.5);
        for (plane, moved) in image.chunks(h * w).zip(moved.chunks_mut(h * w)) {
            for i in 0..h {
                let src_i = i as isize + dy;
                if src_i < 0 || src_i >= h as isize {
                    continue;
                }
                for j in 0..w {
                    let jj = if flip { w - 1 - j } else { j } as isize + dx;
                    if (0..w as isize).contains(&jj) {
                        moved[i * w + j] = plane[src_i as usize * w + jj as usize];
                    }
                }
            }
        }
    }
    Tensor::from_parts("random_crop_flip", out, x.shape())
}

/// Half the image plus half its 3 × 3 cross `pick` (max: thicker, min: thinner).
fn change_stroke(v: &[f32], (w, h): (usize, usize), pick: fn(f32, f32) -> f32) -> Vec<f32> {
    let at = |x: isize, y: isize| {
        if x < 0 || y < 0 || x >= w as isize || y >= h as isize {
            0.0
        } else {
            v[y as usize * w + x as usize]
        }
    };
    let mut out = Vec::with_capacity(v.len());
    for y in 0..h as isize {
        for x in 0..w as isize {
            let cross = [at(x - 1, y), at(x + 1, y), at(x, y - 1), at(x, y + 1)]
                .into_iter()
                .fold(at(x, y), pick);
            out.push((at(x, y) + cross) / 2.0);
        }
    }
    out
}
