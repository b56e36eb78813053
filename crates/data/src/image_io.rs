//! Image files in and out: a PNG or JPEG becomes an MNIST-shaped tensor, and a tensor
//! becomes a grayscale PNG.
//!
//! A digit to classify is loaded with [`load_digit`], which by default prepares it as MNIST
//! itself was made ([`mnist_style`], one small function per step), so that a photo of dark
//! ink on paper or a drawing app's transparent PNG looks to the model like the digits it
//! learnt from. A picture of clothing for a Fashion-MNIST model is prepared as Fashion-MNIST
//! was made ([`fashion_style`], [`Preprocess::Fashion`]). [`Preprocess::Raw`] keeps the
//! plain stretch to 28×28 for comparison.
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
use image::{DynamicImage, GrayImage, ImageFormat};
use tensor::Tensor;

use crate::error::{DataError, io_error};

pub mod fashion_style;
pub mod gray;
pub mod mnist_style;

/// The side of an MNIST image.
pub const MNIST_SIDE: u32 = 28;

/// How an image file becomes the 28×28 input of an MNIST (or Fashion-MNIST) model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preprocess {
    /// As MNIST itself was made ([`mnist_style`]): transparency onto white, gray, white ink
    /// on black whatever the paper, contrast stretched, the ink cropped, its longer side
    /// scaled to 20 pixels, centred by its centre of mass in 28×28.
    Mnist,
    /// As Fashion-MNIST was made ([`fashion_style`]), for a picture of a piece of
    /// clothing: gray, light on black whatever the background, the background's level to
    /// black, cropped to the item, its longer side scaled to 28 pixels, centred.
    Fashion,
    /// Only a stretch to 28×28 (bilinear, aspect ratio not kept), gray from the colour
    /// channels with any transparency dropped: what a first try does, kept to show the
    /// difference.
    Raw,
}

/// Loads an image file as a digit for an MNIST model (or, with [`Preprocess::Fashion`], as
/// a piece of clothing for a Fashion-MNIST model).
///
/// # Shapes
/// Returns `[1, 28, 28]`, values in `[0, 1]`, white ink on black.
pub fn load_digit(path: &Path, how: Preprocess) -> Result<Tensor, DataError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    digit_from_bytes(&bytes, path, how)
}

/// [`load_digit`] for the bytes of a file already read (an upload, say); `name` is what
/// errors call it.
///
/// # Shapes
/// Returns `[1, 28, 28]`, values in `[0, 1]`.
pub fn digit_from_bytes(bytes: &[u8], name: &Path, how: Preprocess) -> Result<Tensor, DataError> {
    let image = decode(bytes, name)?;
    Ok(match how {
        Preprocess::Mnist => mnist_style::preprocess(&image).digit(),
        Preprocess::Fashion => fashion_style::preprocess(&image).to_tensor(),
        Preprocess::Raw => stretch_gray(&image, MNIST_SIDE),
    })
}

/// Decodes PNG or JPEG bytes (any bit depth, gray, RGB, RGBA or palette); the error names
/// `name` and what the codec found wrong.
pub fn decode(bytes: &[u8], name: &Path) -> Result<DynamicImage, DataError> {
    image::load_from_memory(bytes).map_err(|source| DataError::Image {
        path: name.to_path_buf(),
        problem: "cannot decode image",
        source,
    })
}

/// Loads a PNG or JPEG as grayscale `[1, side, side]` in `[0, 1]` (pixel / 255), stretched
/// to `side × side` if needed; `invert` maps `v → 1 − v`. Errors name the file.
///
/// # Shapes
/// Returns `[1, side, side]`.
pub fn load_image(path: &Path, side: u32, invert: bool) -> Result<Tensor, DataError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let x = stretch_gray(&decode(&bytes, path)?, side);
    Ok(if invert { x.map(|v| 1.0 - v) } else { x })
}

/// Gray (transparency dropped), stretched to `side × side` when the size differs, `/ 255`.
fn stretch_gray(image: &DynamicImage, side: u32) -> Tensor {
    let mut gray = image.to_luma8();
    if gray.dimensions() != (side, side) {
        gray = image::imageops::resize(&gray, side, side, FilterType::Triangle);
    }
    let values = gray.pixels().map(|p| p.0[0] as f32 / 255.0).collect();
    Tensor::from_parts("load_image", values, &[1, side as usize, side as usize])
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
