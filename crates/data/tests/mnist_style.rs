//! MNIST-style preprocessing, one test per step with its reason, then the whole pipeline
//! on the files a learner has: any format gives the same digit, and neither the paper's
//! colour, the light, the digit's place nor its size changes what the model sees.

use data::image_io::mnist_style::{
    self, BOX, FIELD, Gray, Rect, center_by_mass, composite_on_white, crop, fit_in_box, ink_box,
    ink_is_dark, make_ink_white, stretch_contrast, subtract_background, to_gray,
};
use data::image_io::{Preprocess, digit_from_bytes};
use data::photo_like::{Encoding, encode};
use image::{DynamicImage, GrayImage, ImageBuffer, Luma, LumaA, Rgba, RgbaImage};
use std::path::Path;
use tensor::Tensor;

/// A `w × h` gray picture from a function of the pixel.
fn gray(w: usize, h: usize, f: impl Fn(usize, usize) -> f32) -> Gray {
    let mut values = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            values.push(f(x, y));
        }
    }
    Gray {
        width: w,
        height: h,
        values,
    }
}

/// A hand-drawn-like "7": a bar and a slanted stroke, `true` where the ink is, in a
/// `side × side` frame with its top-left corner at `(x0, y0)` and size `s`.
fn seven(x: usize, y: usize, (x0, y0, s): (usize, usize, usize)) -> bool {
    let (u, v) = (x as f32 - x0 as f32, y as f32 - y0 as f32);
    let s = s as f32;
    let t = s / 8.0;
    let bar = (0.0..s).contains(&u) && (0.0..t).contains(&v);
    let stroke_x = s - v * 0.6;
    let stroke = (0.0..s).contains(&v) && (u - stroke_x).abs() < t / 1.5 + 0.5;
    bar || stroke
}

/// Mean absolute difference between two `[1, 28, 28]` digits.
fn difference(a: &Tensor, b: &Tensor) -> f32 {
    a.data()
        .iter()
        .zip(b.data())
        .map(|(x, y)| (x - y).abs())
        .sum::<f32>()
        / a.data().len() as f32
}

/// `bytes` prepared MNIST-style.
fn prepared(bytes: &[u8]) -> Tensor {
    digit_from_bytes(bytes, Path::new("test"), Preprocess::Mnist).unwrap()
}

#[test]
fn transparency_becomes_paper() {
    // c' = α·c + (1 − α): transparent black is white, opaque black stays black, half
    // transparent black is mid gray.
    let mut image = RgbaImage::new(3, 1);
    image.put_pixel(0, 0, Rgba([0, 0, 0, 0]));
    image.put_pixel(1, 0, Rgba([0, 0, 0, 255]));
    image.put_pixel(2, 0, Rgba([0, 0, 0, 128]));
    let rgb = composite_on_white(&DynamicImage::ImageRgba8(image));
    assert_eq!(rgb.pixels[0], [1.0; 3]);
    assert_eq!(rgb.pixels[1], [0.0; 3]);
    assert!((rgb.pixels[2][0] - (1.0 - 128.0 / 255.0)).abs() < 1e-6);
}

#[test]
fn gray_weighs_green_most() {
    // BT.601: pure red 0.299, pure green 0.587, pure blue 0.114.
    let rgb = mnist_style::Rgb {
        width: 3,
        height: 1,
        pixels: vec![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
    };
    let g = to_gray(&rgb);
    for (got, want) in g.values.iter().zip([0.299, 0.587, 0.114]) {
        assert!((got - want).abs() < 1e-6, "{got} {want}");
    }
}

#[test]
fn the_border_tells_which_side_is_paper() {
    let dark_on_light = gray(
        30,
        30,
        |x, y| if seven(x, y, (6, 6, 18)) { 0.1 } else { 0.85 },
    );
    assert!(ink_is_dark(&dark_on_light));
    let mnist_like = dark_on_light.clone();
    let mnist_like = make_ink_white(&mnist_like, true);
    assert!(!ink_is_dark(&mnist_like));
    // Inverting twice gives the picture back (to rounding).
    let back = make_ink_white(&mnist_like, true);
    assert!(
        back.values
            .iter()
            .zip(&dark_on_light.values)
            .all(|(a, b)| (a - b).abs() < 1e-6)
    );
}

#[test]
fn uneven_light_is_removed_as_a_plane() {
    // Paper lit from the left: 0.2 + 0.01·x + 0.005·y, ink 0.6 above it. After removing
    // the plane fitted to the border, the paper is 0 and the ink 0.6 everywhere.
    let lit = |x: usize, y: usize| 0.2 + 0.01 * x as f32 + 0.005 * y as f32;
    let picture = gray(40, 40, |x, y| {
        lit(x, y) + if seven(x, y, (10, 10, 20)) { 0.6 } else { 0.0 }
    });
    let flat = subtract_background(&picture);
    for y in 0..40 {
        for x in 0..40 {
            let want = if seven(x, y, (10, 10, 20)) { 0.6 } else { 0.0 };
            assert!(
                (flat.at(x, y) - want).abs() < 1e-4,
                "({x}, {y}): {}",
                flat.at(x, y)
            );
        }
    }
}

#[test]
fn faint_ink_is_stretched_to_full_strength() {
    // Pencil: ink 0.3 above paper 0. The ink becomes 1, the paper stays 0.
    let faint = gray(
        30,
        30,
        |x, y| if seven(x, y, (5, 5, 20)) { 0.3 } else { 0.0 },
    );
    let strong = stretch_contrast(&faint);
    assert_eq!(strong.at(15, 5), 1.0);
    assert_eq!(strong.at(1, 1), 0.0);
    // A picture of paper only comes out black, not stretched noise.
    let paper = gray(30, 30, |x, y| 0.01 * ((x * 7 + y * 3) % 5) as f32);
    assert!(stretch_contrast(&paper).values.iter().all(|&v| v == 0.0));
}

#[test]
fn specks_do_not_count_in_the_ink_box() {
    // A 10 × 12 block of ink and a one-pixel speck far away: the box is the block's.
    let picture = gray(50, 50, |x, y| {
        let block = (20..30).contains(&x) && (10..22).contains(&y);
        if block || (x, y) == (45, 45) {
            1.0
        } else {
            0.0
        }
    });
    let rect = ink_box(&picture).unwrap();
    assert_eq!(
        rect,
        Rect {
            x0: 20,
            y0: 10,
            x1: 30,
            y1: 22
        }
    );
    assert_eq!(crop(&picture, rect).values, vec![1.0; 120]);
    assert_eq!(ink_box(&Gray::black(5, 5)), None);
}

#[test]
fn the_longer_side_becomes_20_and_the_aspect_ratio_stays() {
    // A 40 × 80 bar (a "1") becomes 10 × 20, not 20 × 20; its brightest pixel is 1.
    let tall = gray(40, 80, |_, _| 0.5);
    let boxed = fit_in_box(&tall, BOX);
    assert_eq!((boxed.width, boxed.height), (10, 20));
    assert_eq!(boxed.values.iter().copied().fold(0.0, f32::max), 1.0);
    // Shrinking averages: a fine checkerboard becomes an even gray, not a pattern.
    let checks = gray(80, 80, |x, y| ((x + y) % 2) as f32);
    let shrunk = fit_in_box(&checks, BOX);
    let spread = shrunk
        .values
        .iter()
        .fold(0.0f32, |m, &v| m.max((v - 1.0).abs()));
    assert!(spread < 0.05, "{spread}");
}

#[test]
fn the_centre_of_mass_lands_in_the_middle() {
    // One lit pixel in a 20 × 20 box moves to (14, 14) (the field's centre 13.5, rounded
    // half up by the whole-pixel shift); a lop-sided shape's mass centre, not its box
    // centre, goes to the middle.
    let dot = gray(20, 20, |x, y| if (x, y) == (3, 17) { 1.0 } else { 0.0 });
    let centred = center_by_mass(&dot, FIELD);
    assert_eq!(centred.at(14, 14), 1.0);
    let lopsided = gray(20, 20, |x, _| {
        if x < 4 {
            1.0
        } else if x == 19 {
            0.1
        } else {
            0.0
        }
    });
    let centred = center_by_mass(&lopsided, FIELD);
    let (mut sx, mut total) = (0.0, 0.0);
    for y in 0..FIELD {
        for x in 0..FIELD {
            sx += centred.at(x, y) * x as f32;
            total += centred.at(x, y);
        }
    }
    assert!((sx / total - 13.5).abs() <= 0.5, "{}", sx / total);
}

/// The same "7" as dark ink on light paper, `side` pixels, the digit at `(x0, y0)` of size
/// `s`, in several file formats.
fn seven_files(side: u32, place: (usize, usize, usize)) -> Vec<(&'static str, Vec<u8>)> {
    let ink = |x: u32, y: u32| seven(x as usize, y as usize, place);
    let level = |x, y| if ink(x, y) { 30u8 } else { 225u8 };
    let gray8 = GrayImage::from_fn(side, side, |x, y| Luma([level(x, y)]));
    let gray16: ImageBuffer<Luma<u16>, Vec<u16>> =
        ImageBuffer::from_fn(side, side, |x, y| Luma([level(x, y) as u16 * 257]));
    let rgb = DynamicImage::ImageLuma8(gray8.clone()).to_rgb8();
    let drawn = RgbaImage::from_fn(side, side, |x, y| {
        if ink(x, y) {
            Rgba([0, 0, 0, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let gray_alpha: ImageBuffer<LumaA<u8>, Vec<u8>> = ImageBuffer::from_fn(side, side, |x, y| {
        if ink(x, y) {
            LumaA([0, 255])
        } else {
            LumaA([255, 0])
        }
    });
    // A palette PNG: two colours, each pixel an index into them.
    let mut palette = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut palette, side, side);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(vec![225, 225, 225, 30, 30, 30]);
        let indices: Vec<u8> = (0..side * side)
            .map(|i| ink(i % side, i / side) as u8)
            .collect();
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&indices).unwrap();
    }
    vec![
        ("palette PNG", palette),
        (
            "8-bit gray PNG",
            encode(&DynamicImage::ImageLuma8(gray8.clone()), Encoding::Png),
        ),
        (
            "16-bit gray PNG",
            encode(&DynamicImage::ImageLuma16(gray16), Encoding::Png),
        ),
        (
            "RGB JPEG",
            encode(&DynamicImage::ImageRgb8(rgb), Encoding::Jpeg(85)),
        ),
        (
            "transparent RGBA PNG",
            encode(&DynamicImage::ImageRgba8(drawn), Encoding::Png),
        ),
        (
            "gray + alpha PNG",
            encode(&DynamicImage::ImageLumaA8(gray_alpha), Encoding::Png),
        ),
    ]
}

#[test]
fn every_format_gives_the_same_digit() {
    let files = seven_files(90, (20, 15, 50));
    let reference = prepared(&files[1].1);
    for (name, bytes) in &files {
        let d = difference(&prepared(bytes), &reference);
        assert!(d < 0.03, "{name}: differs from the 8-bit gray PNG by {d}");
    }
    // The plain stretch loses a transparent drawing: its strokes and background are both
    // black once the alpha channel is dropped.
    let raw = digit_from_bytes(&files[4].1, Path::new("drawn.png"), Preprocess::Raw).unwrap();
    assert!(raw.data().iter().all(|&v| v == 0.0));
}

#[test]
fn place_size_and_paper_do_not_change_what_the_model_sees() {
    let reference = prepared(&seven_files(90, (20, 15, 50))[1].1);
    // Smaller, in a corner of a larger picture.
    let moved = prepared(&seven_files(200, (130, 10, 40))[1].1);
    assert!(
        difference(&moved, &reference) < 0.04,
        "{}",
        difference(&moved, &reference)
    );
    // White ink on black paper (already MNIST's way round).
    let light_on_dark = GrayImage::from_fn(90, 90, |x, y| {
        Luma([if seven(x as usize, y as usize, (20, 15, 50)) {
            225
        } else {
            30
        }])
    });
    let same = prepared(&encode(
        &DynamicImage::ImageLuma8(light_on_dark),
        Encoding::Png,
    ));
    assert!(difference(&same, &reference) < 0.01);
    // The result is MNIST-shaped: ink white, paper black, the longer side 20 pixels.
    let rows = (0..FIELD)
        .filter(|&y| (0..FIELD).any(|x| reference.at(&[0, y, x]) > 0.1))
        .count();
    let columns = (0..FIELD)
        .filter(|&x| (0..FIELD).any(|y| reference.at(&[0, y, x]) > 0.1))
        .count();
    assert!(
        (19..=21).contains(&rows.max(columns)),
        "{rows} rows, {columns} columns of ink"
    );
    assert_eq!(reference.at(&[0, 0, 0]), 0.0);
}
