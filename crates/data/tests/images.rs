//! Image files: PNG round trips, loading with resize / grayscale / invert, JPEG, a corrupt
//! file's error, and the captioned grid with its bitmap font.

use data::DataError;
use data::font::{self, glyph, text_width};
use data::grid::{self, render_grid, save_grid};
use data::image_io::{Preprocess, load_digit, load_image, save_png};
use image::{GrayImage, Luma, Rgb, RgbImage};
use tensor::Tensor;

/// A `[1, h, w]` ramp of values k/255, exactly representable in 8 bits.
fn ramp(h: usize, w: usize) -> Tensor {
    let values = (0..h * w).map(|i| (i * 7 % 256) as f32 / 255.0).collect();
    Tensor::from_vec(values, &[1, h, w]).unwrap()
}

#[test]
fn png_round_trip_is_exact_for_8_bit_values() {
    let dir = tempfile::tempdir().unwrap();
    let x = ramp(28, 28);
    let path = dir.path().join("digit.png");
    save_png(&path, &x).unwrap();
    assert_eq!(load_image(&path, 28, false).unwrap(), x);
    assert_eq!(load_digit(&path, Preprocess::Raw).unwrap(), x);
    // Inverted on load: 1 − x.
    assert!(
        load_image(&path, 28, true)
            .unwrap()
            .allclose(&x.map(|v| 1.0 - v), 0.0, 1e-6)
    );
    // A [H, W] tensor saves the same image.
    let flat = dir.path().join("flat.png");
    save_png(&flat, &x.reshape(&[28, 28])).unwrap();
    assert_eq!(std::fs::read(&flat).unwrap(), std::fs::read(&path).unwrap());
    // Nothing but the two PNGs was left in the directory (atomic writes clean up).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn colour_and_size_are_converted() {
    let dir = tempfile::tempdir().unwrap();
    // A 56×56 colour image, white (255,255,255) left half, black right half.
    let rgb = RgbImage::from_fn(56, 56, |x, _| {
        if x < 28 {
            Rgb([255, 255, 255])
        } else {
            Rgb([0, 0, 0])
        }
    });
    let path = dir.path().join("big.png");
    rgb.save(&path).unwrap();
    let x = load_digit(&path, Preprocess::Raw).unwrap();
    assert_eq!(x.shape(), &[1, 28, 28]);
    assert_eq!((x.at(&[0, 5, 0]), x.at(&[0, 5, 27])), (1.0, 0.0));
    // JPEG is lossy: a flat mid-gray comes back within a few levels.
    let gray = GrayImage::from_pixel(28, 28, Luma([128]));
    let jpeg = dir.path().join("gray.jpg");
    gray.save(&jpeg).unwrap();
    let y = load_image(&jpeg, 28, false).unwrap();
    assert!(y.data().iter().all(|&v| (v - 128.0 / 255.0).abs() < 0.02));
}

#[test]
fn a_corrupt_png_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken-digit.png");
    std::fs::write(&path, b"\x89PNG\r\n\x1a\nthis is not really a png").unwrap();
    let error = load_digit(&path, Preprocess::Mnist).unwrap_err();
    assert!(
        matches!(&error, DataError::Image { path: p, .. } if p == &path),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("broken-digit.png") && message.contains("cannot decode"),
        "{message}"
    );
    let missing = load_digit(&dir.path().join("absent.png"), Preprocess::Mnist).unwrap_err();
    assert!(missing.to_string().contains("absent.png"), "{missing}");
}

#[test]
fn font_glyphs_are_distinct_and_measured() {
    let digits: Vec<[u8; 7]> = "0123456789".chars().map(glyph).collect();
    for i in 0..10 {
        for j in 0..i {
            assert_ne!(digits[i], digits[j], "digits {i} and {j} look alike");
        }
    }
    assert_eq!(glyph('a'), glyph('A'));
    assert_eq!(glyph('€'), glyph('?'));
    assert_ne!(glyph('✓'), glyph('?'));
    assert_ne!(glyph('→'), glyph('?'));
    // "7 → 1": 5 characters of 6 columns, minus the last blank column, times 2.
    assert_eq!(text_width("7 → 1", 2), 58);
    // Drawing "1" at scale 1 sets exactly the glyph's 10 pixels.
    let mut canvas = vec![0u8; 6 * 7];
    font::draw_text(&mut canvas, 6, 0, 0, "1", 1, 255);
    assert_eq!(canvas.iter().filter(|&&p| p == 255).count(), 10);
}

#[test]
fn grid_places_enlarged_images_and_captions() {
    let n = 16;
    // Image i is uniformly i/15.
    let values: Vec<f32> = (0..n)
        .flat_map(|i| vec![i as f32 / 15.0; 28 * 28])
        .collect();
    let images = Tensor::from_vec(values, &[n, 1, 28, 28]).unwrap();
    let captions: Vec<String> = (0..n)
        .map(|i| format!("{} → {}", i % 10, (i + 1) % 10))
        .collect();
    let grid = render_grid(&images, &captions, 4);
    let cell = 84 + grid::PAD; // widest caption (58 px) is narrower than an image
    assert_eq!(grid.width() as usize, grid::PAD + 4 * cell);
    let cell_h = 84 + grid::PAD + 14 + grid::PAD;
    assert_eq!(grid.height() as usize, grid::PAD + 4 * cell_h);
    // Image 5 (row 1, column 1) fills its 84×84 square with 5/15 → 85.
    let (left, top) = (grid::PAD + cell, grid::PAD + cell_h);
    assert_eq!(grid.get_pixel(left as u32, top as u32).0[0], 85);
    assert_eq!(
        grid.get_pixel((left + 83) as u32, (top + 83) as u32).0[0],
        85
    );
    // The caption band under it holds white text on the background.
    let band = (top + 84 + grid::PAD)..(top + 84 + grid::PAD + 14);
    let white = band
        .flat_map(|y| (left..left + 84).map(move |x| (x, y)))
        .filter(|&(x, y)| grid.get_pixel(x as u32, y as u32).0[0] == 255)
        .count();
    assert!(white > 50, "caption pixels: {white}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.png");
    save_grid(&path, &images, &captions, 4).unwrap();
    let back = image::open(&path).unwrap().to_luma8();
    assert_eq!(back, grid);
}
