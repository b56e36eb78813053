//! A gray picture as numbers, and the two resamplings the preprocessing steps share.
//!
//! [`Gray`] holds values in `[0, 1]` row by row, the form every step of
//! [`mnist_style`](super::mnist_style) reads and writes; [`Rgb`] the colour picture it
//! starts from.
//!
//! ```
//! use data::image_io::gray::Gray;
//! let g = Gray::black(4, 2);
//! assert_eq!((g.at(3, 1), g.to_tensor().shape()), (0.0, &[1, 2, 4][..]));
//! ```

use image::imageops::FilterType;
use image::{ImageBuffer, Luma};
use tensor::Tensor;

/// A colour picture as numbers in `[0, 1]`, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct Rgb {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// `[red, green, blue]` of each pixel, row by row.
    pub pixels: Vec<[f32; 3]>,
}

/// A gray picture as numbers in `[0, 1]`, row by row: `values[y * width + x]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Gray {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// `width × height` values, row by row.
    pub values: Vec<f32>,
}

impl Gray {
    /// A `width × height` picture of zeros (black).
    pub fn black(width: usize, height: usize) -> Gray {
        Gray {
            width,
            height,
            values: vec![0.0; width * height],
        }
    }

    /// The value at column `x`, row `y`.
    pub fn at(&self, x: usize, y: usize) -> f32 {
        self.values[y * self.width + x]
    }

    /// The same picture with `f` applied to every value.
    pub(crate) fn map(&self, f: impl Fn(f32) -> f32) -> Gray {
        Gray {
            values: self.values.iter().map(|&v| f(v)).collect(),
            ..*self
        }
    }

    /// The values as a tensor `[1, height, width]`.
    pub fn to_tensor(&self) -> Tensor {
        Tensor::from_parts(
            "Gray::to_tensor",
            self.values.clone(),
            &[1, self.height, self.width],
        )
    }

    /// The picture scaled to fit `side × side` (aspect ratio kept, centred on black), for
    /// showing stages of different sizes side by side.
    pub fn letterboxed(&self, side: usize) -> Gray {
        let scale = side as f32 / self.width.max(self.height) as f32;
        let w = ((self.width as f32 * scale).round() as usize).clamp(1, side);
        let h = ((self.height as f32 * scale).round() as usize).clamp(1, side);
        let small = resize(self, w, h);
        place(&small, side, (side - w) / 2, (side - h) / 2)
    }
}

/// `gray` in a black `side × side` picture with its top-left corner at `(x0, y0)`.
pub(crate) fn place(gray: &Gray, side: usize, x0: usize, y0: usize) -> Gray {
    let mut out = Gray::black(side, side);
    for y in 0..gray.height {
        let row = (y0 + y) * side + x0;
        out.values[row..row + gray.width]
            .copy_from_slice(&gray.values[y * gray.width..(y + 1) * gray.width]);
    }
    out
}

/// Resampled to `w × h` with the `image` crate's triangle filter, which widens with the
/// scale when shrinking.
pub(crate) fn resize(gray: &Gray, w: usize, h: usize) -> Gray {
    let buffer: ImageBuffer<Luma<f32>, Vec<f32>> =
        ImageBuffer::from_raw(gray.width as u32, gray.height as u32, gray.values.clone())
            .expect("the values fill the picture");
    let small = image::imageops::resize(&buffer, w as u32, h as u32, FilterType::Triangle);
    Gray {
        width: w,
        height: h,
        values: small.into_raw(),
    }
}

/// The `q`-quantile of sorted values (nearest rank); 0 for none.
pub(crate) fn quantile(sorted: &[f32], q: f32) -> f32 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f32 * q).round() as usize;
    sorted[i]
}
