//! A picture of a digit made to look like an MNIST digit, the way MNIST itself was made.
//!
//! LeCun, Cortes and Burges describe it: each digit was "size normalized to fit in a 20×20
//! pixel box while preserving their aspect ratio", antialiased, then "centered in a 28×28
//! image by computing the center of mass of the pixels". A network trained on MNIST has
//! only ever seen digits made that way; a phone photo (dark ink on unevenly lit paper, off
//! centre, any size) or a drawing app's PNG (black strokes on a transparent background)
//! has to be brought there first. Each step below is one small function:
//!
//! 1. [`composite_on_white`]: transparent pixels are paper, not black.
//! 2. [`to_gray`]: the eye's weights of red, green and blue (ITU-R BT.601).
//! 3. [`ink_is_dark`] and [`make_ink_white`]: the border is paper; if it is the light side,
//!    invert, since MNIST is white ink on black.
//! 4. [`subtract_background`]: uneven light makes paper brighter on one side; a plane fitted
//!    to the border is the paper's brightness, and what rises above it is ink.
//! 5. [`stretch_contrast`]: faint ink (pencil, a dim photo) to full strength, the paper's
//!    noise to zero.
//! 6. [`ink_box`] and [`crop`]: the ink's bounding box, ignoring specks of dust.
//! 7. [`fit_in_box`]: the longer side to 20 pixels, aspect ratio kept, antialiased.
//! 8. [`center_by_mass`]: into 28×28 with the ink's centre of mass at the centre.
//!
//! [`preprocess`] runs them all and keeps every stage, for the lesson's `preprocess.png`
//! and the studio's "what the model sees".
//!
//! ```
//! use image::{DynamicImage, GrayImage, Luma};
//! // A dark bar on light paper, off centre, in a 60 × 40 picture.
//! let mut paper = GrayImage::from_pixel(60, 40, Luma([230]));
//! for y in 5..25 {
//!     for x in 40..46 {
//!         paper.put_pixel(x, y, Luma([20]));
//!     }
//! }
//! let digit = data::image_io::mnist_style::preprocess(&DynamicImage::ImageLuma8(paper)).digit();
//! assert_eq!(digit.shape(), &[1, 28, 28]);
//! assert!(digit.at(&[0, 14, 14]) > 0.9); // the bar is white and in the middle
//! assert_eq!(digit.at(&[0, 1, 1]), 0.0); // the paper is black
//! ```

use image::DynamicImage;
use tensor::Tensor;

pub use super::gray::{Gray, Rgb};
use super::gray::{quantile, resize};

/// The side of an MNIST image.
pub const FIELD: usize = 28;
/// The side of the box MNIST fitted each digit into.
pub const BOX: usize = 20;

/// Every stage of [`preprocess`], in order.
#[derive(Clone, Debug)]
pub struct Stages {
    /// The picture in gray, transparency composited onto white (step 2).
    pub gray: Gray,
    /// Whether the ink was dark on light paper (step 3).
    pub dark_ink: bool,
    /// White ink on black, the paper's light removed and the contrast stretched (step 5).
    pub ink: Gray,
    /// The ink's bounding box (step 6); black 1 × 1 when no ink was found.
    pub cropped: Gray,
    /// The longer side at 20 pixels (step 7).
    pub boxed: Gray,
    /// The 28 × 28 digit, centred by mass (step 8): what the model sees.
    pub centred: Gray,
}

impl Stages {
    /// The model's input, `[1, 28, 28]`.
    pub fn digit(&self) -> Tensor {
        self.centred.to_tensor()
    }

    /// The stages as `(caption, picture)` pairs, for a picture of the pipeline.
    pub fn named(&self) -> [(&'static str, &Gray); 5] {
        [
            ("gray", &self.gray),
            (
                if self.dark_ink {
                    "inverted, stretched"
                } else {
                    "stretched"
                },
                &self.ink,
            ),
            ("cropped", &self.cropped),
            ("20 px box", &self.boxed),
            ("centred 28x28", &self.centred),
        ]
    }
}

/// Runs steps 1–8 on a decoded picture and keeps every stage.
pub fn preprocess(image: &DynamicImage) -> Stages {
    let gray = to_gray(&composite_on_white(image));
    let dark_ink = ink_is_dark(&gray);
    let ink = stretch_contrast(&subtract_background(&make_ink_white(&gray, dark_ink)));
    let cropped = match ink_box(&ink) {
        Some(rect) => crop(&ink, rect),
        None => Gray::black(1, 1),
    };
    let boxed = fit_in_box(&cropped, BOX);
    let centred = center_by_mass(&boxed, FIELD);
    Stages {
        gray,
        dark_ink,
        ink,
        cropped,
        boxed,
        centred,
    }
}

/// Step 1. Every pixel composited onto white paper: `c' = α·c + (1 − α)·1` for each of
/// red, green and blue. A drawing app's transparent background becomes paper; without
/// this, dropping the alpha channel turns it black, the colour of its strokes.
pub fn composite_on_white(image: &DynamicImage) -> Rgb {
    let rgba = image.to_rgba32f();
    Rgb {
        width: rgba.width() as usize,
        height: rgba.height() as usize,
        pixels: rgba
            .pixels()
            .map(|p| {
                let [r, g, b, a] = p.0;
                let a = a.clamp(0.0, 1.0);
                [r, g, b].map(|c| a * c.clamp(0.0, 1.0) + (1.0 - a))
            })
            .collect(),
    }
}

/// Step 2. Gray as the eye weighs the colours (BT.601 luma, as image libraries compute
/// it): `0.299 R + 0.587 G + 0.114 B`.
pub fn to_gray(rgb: &Rgb) -> Gray {
    Gray {
        width: rgb.width,
        height: rgb.height,
        values: rgb
            .pixels
            .iter()
            .map(|[r, g, b]| 0.299 * r + 0.587 * g + 0.114 * b)
            .collect(),
    }
}

/// Step 3. Whether the ink is dark on light paper. The border of a picture of one digit is
/// paper; if the border's mean lies nearer the picture's brightest values than its darkest,
/// the paper is light. (MNIST's own digits, white on black, give `false`.)
pub fn ink_is_dark(gray: &Gray) -> bool {
    let border = border_values(gray);
    let border_mean = border.iter().sum::<f32>() / border.len() as f32;
    let mut sorted = gray.values.clone();
    sorted.sort_by(f32::total_cmp);
    let (dark, light) = (quantile(&sorted, 0.01), quantile(&sorted, 0.99));
    border_mean > (dark + light) / 2.0
}

/// Step 3. White ink on black: `v → 1 − v` when the ink was dark.
pub fn make_ink_white(gray: &Gray, dark_ink: bool) -> Gray {
    if dark_ink {
        gray.map(|v| 1.0 - v)
    } else {
        gray.clone()
    }
}

/// Step 4. The paper's brightness removed: a plane `a + b·x + c·y` is fitted by least
/// squares to the border (where there is only paper), refitted to the three quarters of
/// the border nearest it (so a stroke that touches the edge does not lift it), and
/// subtracted from every pixel. Light falling unevenly across the page is, over the small
/// patch of one digit, close to such a plane.
pub fn subtract_background(gray: &Gray) -> Gray {
    let points = border_points(gray);
    let plane = fit_plane(&points);
    let mut residuals: Vec<f32> = points.iter().map(|&(x, y, v)| v - plane.at(x, y)).collect();
    residuals.sort_by(f32::total_cmp);
    let cut = quantile(&residuals, 0.75);
    let near: Vec<(f32, f32, f32)> = points
        .into_iter()
        .filter(|&(x, y, v)| v - plane.at(x, y) <= cut)
        .collect();
    let plane = fit_plane(&near);
    let mut out = gray.clone();
    for y in 0..gray.height {
        for x in 0..gray.width {
            out.values[y * gray.width + x] -= plane.at(x as f32, y as f32);
        }
    }
    out
}

/// Step 5. Ink to full strength, paper to zero: values at or below the paper's noise floor
/// (three times the border's mean absolute deviation, at least 0.05) become 0, and the
/// ink's bright core (the 90th percentile of the pixels above the floor) becomes 1, the
/// rest linearly between, clamped to `[0, 1]`. A picture without ink comes out black.
pub fn stretch_contrast(ink: &Gray) -> Gray {
    let border = border_values(ink);
    let noise = border.iter().map(|v| v.abs()).sum::<f32>() / border.len() as f32;
    let floor = (3.0 * noise).max(0.05);
    let mut above: Vec<f32> = ink.values.iter().copied().filter(|&v| v > floor).collect();
    if above.is_empty() {
        return Gray::black(ink.width, ink.height);
    }
    above.sort_by(f32::total_cmp);
    let top = quantile(&above, 0.9).max(floor + 1e-3);
    ink.map(|v| ((v - floor) / (top - floor)).clamp(0.0, 1.0))
}

/// A rectangle of pixels: columns `x0..x1`, rows `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    /// First column.
    pub x0: usize,
    /// First row.
    pub y0: usize,
    /// One past the last column.
    pub x1: usize,
    /// One past the last row.
    pub y1: usize,
}

/// Step 6. The bounding box of the ink: the pixels above one half, grouped into connected
/// pieces (8 neighbours); pieces smaller than 5% of the largest are specks (dust, noise, a
/// JPEG block) and do not count. `None` when there is no ink.
pub fn ink_box(ink: &Gray) -> Option<Rect> {
    let (w, h) = (ink.width, ink.height);
    let inked: Vec<bool> = ink.values.iter().map(|&v| v > 0.5).collect();
    let mut piece = vec![usize::MAX; w * h];
    let mut pieces: Vec<(usize, Rect)> = Vec::new();
    for start in 0..w * h {
        if !inked[start] || piece[start] != usize::MAX {
            continue;
        }
        let id = pieces.len();
        let (mut size, mut rect) = (
            0,
            Rect {
                x0: w,
                y0: h,
                x1: 0,
                y1: 0,
            },
        );
        let mut stack = vec![start];
        piece[start] = id;
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            size += 1;
            rect = Rect {
                x0: rect.x0.min(x),
                y0: rect.y0.min(y),
                x1: rect.x1.max(x + 1),
                y1: rect.y1.max(y + 1),
            };
            for ny in y.saturating_sub(1)..(y + 2).min(h) {
                for nx in x.saturating_sub(1)..(x + 2).min(w) {
                    let j = ny * w + nx;
                    if inked[j] && piece[j] == usize::MAX {
                        piece[j] = id;
                        stack.push(j);
                    }
                }
            }
        }
        pieces.push((size, rect));
    }
    let largest = pieces.iter().map(|&(size, _)| size).max()?;
    pieces
        .into_iter()
        .filter(|&(size, _)| size * 20 >= largest)
        .map(|(_, r)| r)
        .reduce(|a, b| Rect {
            x0: a.x0.min(b.x0),
            y0: a.y0.min(b.y0),
            x1: a.x1.max(b.x1),
            y1: a.y1.max(b.y1),
        })
}

/// Step 6. The pixels inside `rect`.
pub fn crop(gray: &Gray, rect: Rect) -> Gray {
    let (w, h) = (rect.x1 - rect.x0, rect.y1 - rect.y0);
    let mut values = Vec::with_capacity(w * h);
    for y in rect.y0..rect.y1 {
        values.extend_from_slice(&gray.values[y * gray.width + rect.x0..y * gray.width + rect.x1]);
    }
    Gray {
        width: w,
        height: h,
        values,
    }
}

/// Step 7. Scaled so that the longer side is `side` pixels, the aspect ratio kept (a "1"
/// stays thin), with a triangle filter whose width follows the scale, so that shrinking
/// averages the pixels it merges (antialiasing) instead of picking some of them. Then the
/// brightest pixel is made 1 again: thin strokes shrunk a lot come out faint otherwise.
pub fn fit_in_box(gray: &Gray, side: usize) -> Gray {
    let scale = side as f32 / gray.width.max(gray.height) as f32;
    let w = ((gray.width as f32 * scale).round() as usize).clamp(1, side);
    let h = ((gray.height as f32 * scale).round() as usize).clamp(1, side);
    let small = resize(gray, w, h);
    let max = small.values.iter().copied().fold(0.0, f32::max);
    if max > 0.0 {
        small.map(|v| (v / max).clamp(0.0, 1.0))
    } else {
        small
    }
}

/// Step 8. Placed in a black `field × field` picture so that its centre of mass (the mean
/// position weighted by brightness) falls on the field's centre, moved by whole pixels so
/// that no resampling blurs it (the field's centre is 13.5 for 28, so the mass centre lands
/// on 13.5 ± 0.5). Ink pushed past an edge is cut off.
pub fn center_by_mass(gray: &Gray, field: usize) -> Gray {
    let total: f32 = gray.values.iter().sum();
    let (cx, cy) = if total > 0.0 {
        let mut sx = 0.0;
        let mut sy = 0.0;
        for y in 0..gray.height {
            for x in 0..gray.width {
                let v = gray.at(x, y);
                sx += v * x as f32;
                sy += v * y as f32;
            }
        }
        (sx / total, sy / total)
    } else {
        (
            (gray.width as f32 - 1.0) / 2.0,
            (gray.height as f32 - 1.0) / 2.0,
        )
    };
    let centre = (field as f32 - 1.0) / 2.0;
    // Rounded half up, the same way along both axes.
    let dx = (centre - cx + 0.5).floor() as isize;
    let dy = (centre - cy + 0.5).floor() as isize;
    let mut out = Gray::black(field, field);
    for y in 0..gray.height {
        for x in 0..gray.width {
            let (tx, ty) = (x as isize + dx, y as isize + dy);
            if (0..field as isize).contains(&tx) && (0..field as isize).contains(&ty) {
                out.values[ty as usize * field + tx as usize] = gray.at(x, y);
            }
        }
    }
    out
}

/// The pixels of the border ring, `(x, y, value)`: a ring `max(1, min side / 16)` pixels
/// wide.
fn border_points(gray: &Gray) -> Vec<(f32, f32, f32)> {
    let ring = (gray.width.min(gray.height) / 16).max(1);
    let mut points = Vec::new();
    for y in 0..gray.height {
        for x in 0..gray.width {
            let inside = x >= ring && y >= ring && x + ring < gray.width && y + ring < gray.height;
            if !inside {
                points.push((x as f32, y as f32, gray.at(x, y)));
            }
        }
    }
    points
}

/// The values of [`border_points`].
fn border_values(gray: &Gray) -> Vec<f32> {
    border_points(gray).into_iter().map(|(_, _, v)| v).collect()
}

/// `a + b·x + c·y`.
struct Plane {
    a: f32,
    b: f32,
    c: f32,
}

impl Plane {
    fn at(&self, x: f32, y: f32) -> f32 {
        self.a + self.b * x + self.c * y
    }
}

/// The least-squares plane through `(x, y, v)` points: the normal equations
/// `[n Σx Σy; Σx Σx² Σxy; Σy Σxy Σy²] (a b c)ᵀ = (Σv Σxv Σyv)ᵀ`, solved in `f64` by
/// Cramer's rule. Falls back to the flat plane at the mean when the points lie on a line.
fn fit_plane(points: &[(f32, f32, f32)]) -> Plane {
    let n = points.len().max(1) as f64;
    let (mut sx, mut sy, mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut sv, mut sxv, mut syv) = (0.0, 0.0, 0.0);
    for &(x, y, v) in points {
        let (x, y, v) = (x as f64, y as f64, v as f64);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        syy += y * y;
        sv += v;
        sxv += x * v;
        syv += y * v;
    }
    let det3 = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let m = [[n, sx, sy], [sx, sxx, sxy], [sy, sxy, syy]];
    let d = det3(m);
    if d.abs() < 1e-9 * n * n * n {
        return Plane {
            a: (sv / n) as f32,
            b: 0.0,
            c: 0.0,
        };
    }
    let rhs = [sv, sxv, syv];
    let with_column = |k: usize| {
        let mut mk = m;
        for (row, value) in mk.iter_mut().zip(rhs) {
            row[k] = value;
        }
        det3(mk) / d
    };
    Plane {
        a: with_column(0) as f32,
        b: with_column(1) as f32,
        c: with_column(2) as f32,
    }
}
