//! Photo-like digits: MNIST test digits made to look like a phone photo of handwriting, or
//! like a drawing app's PNG, so that the lessons can measure how a model reads digits from
//! the world, not only from MNIST.
//!
//! A **photo** ([`photo_like`]) is dark ink on tinted paper under uneven light: the digit
//! is rotated (up to ±15°), scaled so that it fills 45–95% of a 64–160 pixel frame, placed
//! off centre, blurred like an out-of-focus lens, given sensor noise, and saved as PNG or
//! JPEG (quality 60–95), in colour or gray. A **drawing** ([`drawing_like`]) is black (or
//! dark coloured) strokes on a fully transparent background in a 200–400 pixel RGBA PNG,
//! the way sketching apps save them, with transparent pixels stored as `(0, 0, 0, 0)`.
//!
//! Every parameter is drawn from the ranges in [`PhotoStyle::WORLD`] and
//! [`DrawingStyle::APP`] by a generator seeded per image (`seed`, image index), so a set is
//! the same on every run and thread count. The generator only ever sees MNIST's *test*
//! digits in the lessons, never the training ones.
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! use data::photo_like::{Encoding, PhotoStyle, encode, photo_like};
//! let digit = vec![0.0f32; 28 * 28]; // a blank digit still makes a picture of paper
//! let (picture, encoding) = photo_like(&digit, &PhotoStyle::WORLD, &mut StdRng::seed_from_u64(1));
//! assert!((64..=160).contains(&picture.width()));
//! let bytes = encode(&picture, encoding);
//! assert!(image::load_from_memory(&bytes).is_ok());
//! # let _ = Encoding::Png;
//! ```

use image::{DynamicImage, ImageFormat, RgbImage, RgbaImage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};
use tensor::Tensor;
use tensor::kernels::parallel::map_runs;

use crate::warp::{Affine, warp};

/// How a picture is saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Lossless PNG.
    Png,
    /// JPEG at this quality (1–100).
    Jpeg(u8),
}

/// The ranges a photo's parameters are drawn from (uniformly unless said otherwise).
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoStyle {
    /// The frame's side in pixels.
    pub side: (u32, u32),
    /// The rotated digit's longer side as a fraction of the frame.
    pub fill: (f32, f32),
    /// The largest rotation, in degrees, either way.
    pub max_rotation_deg: f32,
    /// The paper's brightness (before light), 0 black to 1 white.
    pub paper: (f32, f32),
    /// The ink's brightness.
    pub ink: (f32, f32),
    /// How much brighter one side of the frame is than the other (a linear gradient in a
    /// random direction), as a fraction of the paper.
    pub light_gradient: (f32, f32),
    /// The darkening towards the corners (vignetting), as a fraction at the frame's corner.
    pub vignette: (f32, f32),
    /// The blur's standard deviation in MNIST pixels (so a larger picture is blurred more).
    pub blur: (f32, f32),
    /// The noise's standard deviation, per channel.
    pub noise: (f32, f32),
    /// The chance of a gray picture instead of colour.
    pub gray_chance: f64,
    /// The chance of JPEG instead of PNG.
    pub jpeg_chance: f64,
    /// The JPEG quality.
    pub jpeg_quality: (u8, u8),
}

impl PhotoStyle {
    /// The ranges of the lessons' photo-like set.
    pub const WORLD: PhotoStyle = PhotoStyle {
        side: (64, 160),
        fill: (0.45, 0.95),
        max_rotation_deg: 15.0,
        paper: (0.70, 0.95),
        ink: (0.02, 0.30),
        light_gradient: (0.0, 0.35),
        vignette: (0.0, 0.25),
        blur: (0.2, 0.7),
        noise: (0.005, 0.04),
        gray_chance: 0.3,
        jpeg_chance: 0.5,
        jpeg_quality: (60, 95),
    };
}

/// The ranges a drawing's parameters are drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawingStyle {
    /// The canvas' side in pixels.
    pub side: (u32, u32),
    /// The digit's longer side as a fraction of the canvas.
    pub fill: (f32, f32),
    /// The largest rotation, in degrees, either way.
    pub max_rotation_deg: f32,
    /// The chance of a coloured pen instead of black.
    pub colour_chance: f64,
}

impl DrawingStyle {
    /// The ranges of the lessons' drawing set.
    pub const APP: DrawingStyle = DrawingStyle {
        side: (200, 400),
        fill: (0.5, 0.9),
        max_rotation_deg: 5.0,
        colour_chance: 0.3,
    };
}

/// Where a 28 × 28 digit goes in a `side × side` frame: rotated by up to `max_rotation_deg`,
/// scaled so that its rotated ink box's longer side is `fill × side`, its box centre moved
/// off the frame's centre by up to the room left on each side.
fn placement(
    digit: &[f32],
    side: u32,
    fill: f32,
    max_rotation_deg: f32,
    rng: &mut StdRng,
) -> Affine {
    let (x0, y0, x1, y1) = ink_extent(digit);
    let (w, h) = (x1 - x0 + 1.0, y1 - y0 + 1.0);
    let angle = rng
        .random_range(-max_rotation_deg..=max_rotation_deg)
        .to_radians();
    let (sin, cos) = (angle.sin().abs(), angle.cos().abs());
    let (rw, rh) = (cos * w + sin * h, sin * w + cos * h);
    let scale = fill * side as f32 / rw.max(rh);
    let room = |extent: f32| ((side as f32 - extent * scale) / 2.0).max(0.0);
    let centre = (side as f32 - 1.0) / 2.0;
    let (room_x, room_y) = (room(rw), room(rh));
    let to = (
        centre + rng.random_range(-1.0..=1.0) * room_x,
        centre + rng.random_range(-1.0..=1.0) * room_y,
    );
    Affine {
        angle,
        scale,
        from: ((x0 + x1) / 2.0, (y0 + y1) / 2.0),
        to,
    }
}

/// A phone-photo-like picture of a 28 × 28 MNIST digit (white on black, row by row) and how
/// to save it; see the module doc for what is done.
pub fn photo_like(digit: &[f32], style: &PhotoStyle, rng: &mut StdRng) -> (DynamicImage, Encoding) {
    let side = rng.random_range(style.side.0..=style.side.1);
    let fill = rng.random_range(style.fill.0..=style.fill.1);
    let map = placement(digit, side, fill, style.max_rotation_deg, rng);
    let n = side as usize;
    let blur = rng.random_range(style.blur.0..=style.blur.1) * map.scale;
    let ink = gaussian_blur(&warp(digit, (28, 28), (n, n), &map), n, blur);

    let paper_level = rng.random_range(style.paper.0..=style.paper.1);
    let tint: [f32; 3] = std::array::from_fn(|_| rng.random_range(-0.05..=0.05));
    let ink_level = rng.random_range(style.ink.0..=style.ink.1);
    let blue_pen = rng.random_bool(0.3);
    let gradient = rng.random_range(style.light_gradient.0..=style.light_gradient.1);
    let direction: f32 = rng.random_range(0.0..std::f32::consts::TAU);
    let vignette = rng.random_range(style.vignette.0..=style.vignette.1);
    let noise = Normal::new(0.0, rng.random_range(style.noise.0..=style.noise.1))
        .expect("a positive standard deviation");
    let paper: [f32; 3] = tint.map(|t| (paper_level + t).clamp(0.0, 1.0));
    let pen: [f32; 3] = if blue_pen {
        [
            ink_level * 0.5,
            ink_level * 0.7,
            (ink_level + 0.35).min(0.8),
        ]
    } else {
        [ink_level; 3]
    };

    let mut rgb = RgbImage::new(side, side);
    for (x, y, pixel) in rgb.enumerate_pixels_mut() {
        let (u, v) = (x as f32 / side as f32 - 0.5, y as f32 / side as f32 - 0.5);
        let light = 1.0 + gradient * (u * direction.cos() + v * direction.sin())
            - vignette * 2.0 * (u * u + v * v);
        let a = ink[y as usize * n + x as usize].clamp(0.0, 1.0);
        pixel.0 = std::array::from_fn(|c| {
            let value = (paper[c] * (1.0 - a) + pen[c] * a) * light + noise.sample(rng);
            (value.clamp(0.0, 1.0) * 255.0).round() as u8
        });
    }
    let picture = if rng.random_bool(style.gray_chance) {
        DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(rgb).to_luma8())
    } else {
        DynamicImage::ImageRgb8(rgb)
    };
    let encoding = if rng.random_bool(style.jpeg_chance) {
        Encoding::Jpeg(rng.random_range(style.jpeg_quality.0..=style.jpeg_quality.1))
    } else {
        Encoding::Png
    };
    (picture, encoding)
}

/// A drawing-app-like RGBA picture of a 28 × 28 MNIST digit: the pen's colour where the
/// strokes are, opacity following the stroke's antialiased edge, and `(0, 0, 0, 0)`
/// everywhere else.
pub fn drawing_like(digit: &[f32], style: &DrawingStyle, rng: &mut StdRng) -> DynamicImage {
    let side = rng.random_range(style.side.0..=style.side.1);
    let fill = rng.random_range(style.fill.0..=style.fill.1);
    let map = placement(digit, side, fill, style.max_rotation_deg, rng);
    let n = side as usize;
    let ink = warp(digit, (28, 28), (n, n), &map);
    let pen: [u8; 3] = if rng.random_bool(style.colour_chance) {
        std::array::from_fn(|_| rng.random_range(0..=120))
    } else {
        [0, 0, 0]
    };
    let mut rgba = RgbaImage::new(side, side);
    for (x, y, pixel) in rgba.enumerate_pixels_mut() {
        // A brush is opaque in the stroke and fades only at its edge.
        let alpha = ((ink[y as usize * n + x as usize] - 0.2) / 0.4).clamp(0.0, 1.0);
        pixel.0 = if alpha > 0.0 {
            [pen[0], pen[1], pen[2], (alpha * 255.0).round() as u8]
        } else {
            [0, 0, 0, 0]
        };
    }
    DynamicImage::ImageRgba8(rgba)
}

/// The file bytes of `picture` saved as `encoding`.
pub fn encode(picture: &DynamicImage, encoding: Encoding) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    match encoding {
        Encoding::Png => picture
            .write_to(&mut bytes, ImageFormat::Png)
            .expect("PNG encoding in memory does not fail"),
        Encoding::Jpeg(quality) => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
            picture
                .write_with_encoder(encoder)
                .expect("JPEG encoding in memory does not fail");
        }
    }
    bytes.into_inner()
}

/// The generator of image `index` of the set with this seed: one per image, so a set is
/// the same whatever the order or the number of threads that make it.
pub fn image_rng(seed: u64, index: usize) -> StdRng {
    StdRng::seed_from_u64(seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// A set of photo-like file bytes, one per digit of `images` (`[N, 1, 28, 28]`).
pub fn photo_like_set(images: &Tensor, seed: u64) -> Vec<Vec<u8>> {
    make_set(images, |digit, i| {
        let (picture, encoding) = photo_like(digit, &PhotoStyle::WORLD, &mut image_rng(seed, i));
        encode(&picture, encoding)
    })
}

/// A set of drawing-like PNG bytes, one per digit of `images` (`[N, 1, 28, 28]`).
pub fn drawing_like_set(images: &Tensor, seed: u64) -> Vec<Vec<u8>> {
    make_set(images, |digit, i| {
        let picture = drawing_like(digit, &DrawingStyle::APP, &mut image_rng(seed, i));
        encode(&picture, Encoding::Png)
    })
}

/// `make(digit, index)` for every digit, in order (on all cores).
fn make_set(images: &Tensor, make: impl Fn(&[f32], usize) -> Vec<u8> + Sync) -> Vec<Vec<u8>> {
    assert_eq!(
        &images.shape()[1..],
        &[1, 28, 28],
        "photo-like sets: expected [N, 1, 28, 28], got {:?}",
        images.shape()
    );
    // Handed to the kernels, which share the digits between the cores; each picture
    // depends on its digit and its own generator only, so the set does not depend on them.
    map_runs(images.data(), 28 * 28, |i, digit| make(digit, i))
}

/// The ink's extent in a 28 × 28 digit: the first and last columns and rows with a pixel
/// above 0.2, as `(x0, y0, x1, y1)`; the whole field for a blank digit.
fn ink_extent(digit: &[f32]) -> (f32, f32, f32, f32) {
    let (mut x0, mut y0, mut x1, mut y1) = (27, 27, 0, 0);
    for (i, &v) in digit.iter().enumerate() {
        if v > 0.2 {
            let (x, y) = (i % 28, i / 28);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    if x1 < x0 {
        return (0.0, 0.0, 27.0, 27.0);
    }
    (x0 as f32, y0 as f32, x1 as f32, y1 as f32)
}

/// A separable Gaussian blur of standard deviation `sigma` pixels of an `n × n` picture
/// (edges extended); none below 0.1.
fn gaussian_blur(values: &[f32], n: usize, sigma: f32) -> Vec<f32> {
    if sigma < 0.1 {
        return values.to_vec();
    }
    let radius = (3.0 * sigma).ceil() as isize;
    let weights: Vec<f32> = (-radius..=radius)
        .map(|d| (-(d * d) as f32 / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = weights.iter().sum();
    let pass = |input: &[f32], step: (usize, usize)| -> Vec<f32> {
        let mut out = vec![0.0; n * n];
        for y in 0..n {
            for x in 0..n {
                let mut sum = 0.0;
                for (k, w) in weights.iter().enumerate() {
                    let d = k as isize - radius;
                    let xi = (x as isize + d * step.0 as isize).clamp(0, n as isize - 1) as usize;
                    let yi = (y as isize + d * step.1 as isize).clamp(0, n as isize - 1) as usize;
                    sum += w * input[yi * n + xi];
                }
                out[y * n + x] = sum / total;
            }
        }
        out
    };
    pass(&pass(values, (1, 0)), (0, 1))
}
