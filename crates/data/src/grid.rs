//! A grid of images with captions in one PNG: the course's 4×4 sample grid.
//!
//! Each cell is an image enlarged ×3 (nearest neighbour, so 28 px become 84) above a
//! caption drawn with the built-in [`font`](crate::font) at ×2, such as `7` or `7 → 1`
//! (true label → prediction). Images are drawn as they are (white ink on black for MNIST)
//! on a dark gray background; captions are white.
//!
//! ```
//! use tensor::Tensor;
//! let images = Tensor::zeros(&[2, 1, 28, 28]);
//! let grid = data::grid::render_grid(&images, &["7".to_string(), "7 → 1".to_string()], 2);
//! assert_eq!(grid.height(), 2 * 4 + 84 + 4 + 14);
//! ```

use std::path::Path;

use image::GrayImage;
use tensor::Tensor;

use crate::error::DataError;
use crate::font::{GLYPH_HEIGHT, draw_text, text_width};
use crate::image_io::{save_gray, to_byte};

/// How much each image is enlarged.
pub const IMAGE_SCALE: usize = 3;
/// How much the caption font is enlarged.
pub const TEXT_SCALE: usize = 2;
/// Space around and between cells, in pixels.
pub const PAD: usize = 4;
/// The background's gray level.
pub const BACKGROUND: u8 = 48;

/// Draws `images` in a grid of `cols` columns with `captions[i]` under image `i`.
/// Panics if the number of captions differs from `N` or `cols` is 0.
///
/// # Shapes
/// `images: [N, 1, H, W]` or `[N, H, W]`, values in `[0, 1]` (clamped).
pub fn render_grid(images: &Tensor, captions: &[String], cols: usize) -> GrayImage {
    let (n, h, w) = match images.shape() {
        &[n, 1, h, w] | &[n, h, w] => (n, h, w),
        other => panic!("render_grid: expected [N, 1, H, W] or [N, H, W], got {other:?}"),
    };
    assert_eq!(
        captions.len(),
        n,
        "render_grid: {} captions for {n} images",
        captions.len()
    );
    assert!(cols > 0, "render_grid: cols must be positive");
    let rows = n.div_ceil(cols);
    let widest = captions
        .iter()
        .map(|c| text_width(c, TEXT_SCALE))
        .max()
        .unwrap_or(0);
    let cell_w = (w * IMAGE_SCALE).max(widest);
    let caption_h = GLYPH_HEIGHT * TEXT_SCALE;
    let cell_h = h * IMAGE_SCALE + PAD + caption_h;
    let width = PAD + cols * (cell_w + PAD);
    let height = PAD + rows * (cell_h + PAD);
    let mut pixels = vec![BACKGROUND; width * height];

    for i in 0..n {
        let left = PAD + (i % cols) * (cell_w + PAD);
        let top = PAD + (i / cols) * (cell_h + PAD);
        let image_left = left + (cell_w - w * IMAGE_SCALE) / 2;
        let image = &images.data()[i * h * w..(i + 1) * h * w];
        for y in 0..h * IMAGE_SCALE {
            for x in 0..w * IMAGE_SCALE {
                let v = image[(y / IMAGE_SCALE) * w + x / IMAGE_SCALE];
                pixels[(top + y) * width + image_left + x] = to_byte(v);
            }
        }
        let text_left = left + (cell_w - text_width(&captions[i], TEXT_SCALE)) / 2;
        let text_top = top + h * IMAGE_SCALE + PAD;
        draw_text(
            &mut pixels,
            width,
            text_left,
            text_top,
            &captions[i],
            TEXT_SCALE,
            255,
        );
    }
    GrayImage::from_raw(width as u32, height as u32, pixels).expect("the buffer fills the image")
}

/// Renders the grid (see [`render_grid`]) and saves it as a PNG, atomically.
///
/// # Shapes
/// `images: [N, 1, H, W]` or `[N, H, W]`.
pub fn save_grid(
    path: &Path,
    images: &Tensor,
    captions: &[String],
    cols: usize,
) -> Result<(), DataError> {
    save_gray(path, &render_grid(images, captions, cols))
}
