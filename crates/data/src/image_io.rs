//! Image files in and out: a PNG or JPEG becomes an MNIST-shaped tensor, and a tensor
//! becomes a grayscale PNG.
//!
//! Loading converts to grayscale, stretches to `side × side` when the size differs
//! (bilinear, aspect ratio not kept), and scales pixels to `[0, 1]`. MNIST digits are
//! white ink on black; a photo of dark ink on white paper needs `invert = true`.
//!
//! ```
//! use tensor::Tensor;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("square.png");
//! let x = Tensor::from_vec(vec![0.0, 1.0, 1.0, 0.0], &[1, 2, 2]).unwrap();
//! data::image_io::save_png(&path, &x).unwrap();
//! let back = data::image_io::load_image(&path, 2, false).unwrap();
//! assert_eq!(back, x);
//! ```

use std::io::Write;
use std::path::Path;

use image::imageops::FilterType;
use image::{GrayImage, ImageFormat};
use tensor::Tensor;

use crate::error::{DataError, io_error};

/// The side of an MNIST image.
pub const MNIST_SIDE: u32 = 28;

/// Loads an image as a digit for an MNIST model: [`load_image`] with side 28.
///
/// # Shapes
/// Returns `[1, 28, 28]`, values in `[0, 1]`.
pub fn load_digit(path: &Path, invert: bool) -> Result<Tensor, DataError> {
    load_image(path, MNIST_SIDE, invert)
}

/// Loads a PNG or JPEG as grayscale `[1, side, side]` in `[0, 1]` (pixel / 255), resized
/// if needed; `invert` maps `v → 1 − v`. Errors name the file.
///
/// # Shapes
/// Returns `[1, side, side]`.
pub fn load_image(path: &Path, side: u32, invert: bool) -> Result<Tensor, DataError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let decoded = image::load_from_memory(&bytes).map_err(|source| DataError::Image {
        path: path.to_path_buf(),
        problem: "cannot decode image",
        source,
    })?;
    let mut gray = decoded.to_luma8();
    if gray.dimensions() != (side, side) {
        gray = image::imageops::resize(&gray, side, side, FilterType::Triangle);
    }
    let values = gray
        .pixels()
        .map(|p| {
            let v = p.0[0] as f32 / 255.0;
            if invert { 1.0 - v } else { v }
        })
        .collect();
    Ok(Tensor::from_parts(
        "load_image",
        values,
        &[1, side as usize, side as usize],
    ))
}

/// Saves `x` (`[1, H, W]` or `[H, W]`, values in `[0, 1]`, clamped) as an 8-bit grayscale
/// PNG, written atomically. Panics on any other shape.
pub fn save_png(path: &Path, x: &Tensor) -> Result<(), DataError> {
    let (h, w) = match x.shape() {
        &[1, h, w] | &[h, w] => (h, w),
        other => panic!("save_png: expected [1, H, W] or [H, W], got {other:?}"),
    };
    let pixels = x.data().iter().map(|&v| to_byte(v)).collect();
    let image = GrayImage::from_raw(w as u32, h as u32, pixels).expect("the shape fills the image");
    save_gray(path, &image)
}

/// Saves a grayscale image as PNG, atomically ([`atomic_file::write`]); its folder is
/// created if missing.
pub fn save_gray(path: &Path, image: &GrayImage) -> Result<(), DataError> {
    let mut png = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut png, ImageFormat::Png)
        .map_err(|source| DataError::Image {
            path: path.to_path_buf(),
            problem: "cannot encode PNG",
            source,
        })?;
    atomic_file::create_folder_for(path)?;
    atomic_file::write(path, |file| file.write_all(png.get_ref()))?;
    Ok(())
}

/// A value in `[0, 1]` as a byte 0–255 (clamped, rounded).
pub fn to_byte(v: f32) -> u8 {
    (v.clamp(0.0, 1.0) * 255.0).round() as u8
}
