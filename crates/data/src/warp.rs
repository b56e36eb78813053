//! Affine warps of gray pictures: rotate, scale and move a digit, sampling it bilinearly.
//! Both the shift-and-scale augmentation ([`crate::augment::random_affine`]) and the
//! photo-like generator ([`crate::photo_like`]) move digits with these two functions.
//!
//! A warp is written backwards, as every image library does it: for each pixel of the
//! output, find where it comes from in the input, `p_in = c_in + A⁻¹ (p_out − c_out)`, and
//! read the input there. Going forwards would leave holes where the output is larger.
//!
//! ```
//! use data::warp::{Affine, warp};
//! // A 3 × 3 picture with one lit pixel in the middle, moved one pixel right.
//! let mut x = vec![0.0; 9];
//! x[4] = 1.0;
//! let moved = warp(&x, (3, 3), (3, 3), &Affine::shift(1.0, 0.0));
//! assert_eq!(moved[5], 1.0);
//! ```

/// A map from input to output positions: rotate by `angle` (radians, counter-clockwise as
/// seen on screen is negative, since rows grow downwards), scale by `scale`, and put the
/// input's point `from` at the output's point `to`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Affine {
    /// Rotation in radians.
    pub angle: f32,
    /// Scale factor (> 0).
    pub scale: f32,
    /// The input point `(x, y)` that lands on `to`.
    pub from: (f32, f32),
    /// Where it lands in the output.
    pub to: (f32, f32),
}

impl Affine {
    /// A pure shift by `(dx, dy)` pixels within pictures of one size: the identity plus a
    /// move (`from` and `to` differ by the shift).
    pub fn shift(dx: f32, dy: f32) -> Affine {
        Affine {
            angle: 0.0,
            scale: 1.0,
            from: (0.0, 0.0),
            to: (dx, dy),
        }
    }

    /// Where output point `(x, y)` comes from in the input: `from + R(−angle) (p − to) / scale`.
    pub fn source(&self, x: f32, y: f32) -> (f32, f32) {
        let (dx, dy) = ((x - self.to.0) / self.scale, (y - self.to.1) / self.scale);
        let (sin, cos) = self.angle.sin_cos();
        (
            self.from.0 + cos * dx + sin * dy,
            self.from.1 - sin * dx + cos * dy,
        )
    }
}

/// The value of a `w × h` picture (row by row) at a real position, pixel centres at whole
/// numbers: the four nearest pixels weighted by closeness; black outside the picture.
pub fn bilinear(values: &[f32], (w, h): (usize, usize), x: f32, y: f32) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let pixel = |xi: f32, yi: f32| {
        if xi < 0.0 || yi < 0.0 || xi >= w as f32 || yi >= h as f32 {
            0.0
        } else {
            values[yi as usize * w + xi as usize]
        }
    };
    let top = pixel(x0, y0) * (1.0 - fx) + pixel(x0 + 1.0, y0) * fx;
    let bottom = pixel(x0, y0 + 1.0) * (1.0 - fx) + pixel(x0 + 1.0, y0 + 1.0) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// The `input` picture (`in_size = (w, h)`) warped by `map` into a picture of `out_size`.
pub fn warp(
    input: &[f32],
    in_size: (usize, usize),
    out_size: (usize, usize),
    map: &Affine,
) -> Vec<f32> {
    let (w, h) = out_size;
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let (sx, sy) = map.source(x as f32, y as f32);
            out.push(bilinear(input, in_size, sx, sy));
        }
    }
    out
}
