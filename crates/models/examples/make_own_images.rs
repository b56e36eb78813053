//! Makes the pictures that lesson 7 ships as "your own images": MNIST test digits redrawn
//! the way a photo of handwriting looks (dark blue ink on cream paper, shifted off centre,
//! 112×112 colour pixels), and one picture that is not a digit at all.
//!
//! Run `cargo run -p models --example make_own_images` to write them to
//! `crates/models/assets/own-images/` (the committed copies were made this way). Each file
//! name carries the true label: `digit-7-a.png` is a 7; `not-a-digit-smiley.png` has none.

use std::path::Path;

use data::{Dataset, Mnist, Split};
use image::{Rgb, RgbImage};

/// The side of the written pictures.
const SIDE: u32 = 112;
/// Paper and ink colours.
const PAPER: [f32; 3] = [246.0, 240.0, 222.0];
const INK: [f32; 3] = [25.0, 35.0, 110.0];

/// Mixes paper and ink: `ink = 0` is paper, `1` is full ink.
fn shade(ink: f32) -> Rgb<u8> {
    let mix = |c: usize| (PAPER[c] + (INK[c] - PAPER[c]) * ink.clamp(0.0, 1.0)) as u8;
    Rgb([mix(0), mix(1), mix(2)])
}

/// A 28×28 digit (ink in `[0, 1]`) shifted by `(dx, dy)` pixels, enlarged ×4 with bilinear
/// sampling, in ink on paper.
fn redraw(pixels: &[u8], dx: i32, dy: i32) -> RgbImage {
    let ink_at = |x: i32, y: i32| -> f32 {
        let (sx, sy) = (x - dx, y - dy);
        if (0..28).contains(&sx) && (0..28).contains(&sy) {
            pixels[(sy * 28 + sx) as usize] as f32 / 255.0
        } else {
            0.0
        }
    };
    RgbImage::from_fn(SIDE, SIDE, |px, py| {
        // The centre of output pixel (px, py) in input coordinates.
        let (fx, fy) = ((px as f32 + 0.5) / 4.0 - 0.5, (py as f32 + 0.5) / 4.0 - 0.5);
        let (x0, y0) = (fx.floor() as i32, fy.floor() as i32);
        let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
        let top = ink_at(x0, y0) * (1.0 - tx) + ink_at(x0 + 1, y0) * tx;
        let bottom = ink_at(x0, y0 + 1) * (1.0 - tx) + ink_at(x0 + 1, y0 + 1) * tx;
        shade(top * (1.0 - ty) + bottom * ty)
    })
}

/// A smiling face in ink on paper: not a digit.
fn smiley() -> RgbImage {
    let c = SIDE as f32 / 2.0;
    RgbImage::from_fn(SIDE, SIDE, |x, y| {
        let (dx, dy) = (x as f32 - c, y as f32 - c);
        let r = (dx * dx + dy * dy).sqrt();
        let face = (r - 40.0).abs() < 3.5;
        let eye = |ex: f32| ((x as f32 - ex).powi(2) + (y as f32 - 44.0).powi(2)).sqrt() < 6.0;
        let mouth = (r - 24.0).abs() < 3.0 && dy > 8.0;
        shade(if face || eye(c - 15.0) || eye(c + 15.0) || mouth {
            1.0
        } else {
            0.0
        })
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = data::data_root(None);
    let test = Mnist::load(&root, Dataset::Mnist, Split::Test)?;
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/own-images");
    std::fs::create_dir_all(&out)?;
    // (test image index, shift): the first test images of six different digits.
    let picks = [
        (0, (3, -2)),
        (1, (-3, 2)),
        (2, (2, 3)),
        (3, (-2, -3)),
        (4, (3, 1)),
        (8, (-3, -1)),
    ];
    for (i, (dx, dy)) in picks {
        let label = test.labels()[i];
        let path = out.join(format!(
            "digit-{label}-{}.png",
            (b'a' + (i % 26) as u8) as char
        ));
        redraw(test.image(i), dx, dy).save(&path)?;
        println!("{}", path.display());
    }
    let path = out.join("not-a-digit-smiley.png");
    smiley().save(&path)?;
    println!("{}", path.display());
    Ok(())
}
