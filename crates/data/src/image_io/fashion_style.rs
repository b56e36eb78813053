//! A picture of a piece of clothing made to look like a Fashion-MNIST image, the way
//! Fashion-MNIST itself was made.
//!
//! Xiao, Rasul and Vollgraf (2017) took Zalando's product photos — an item on a white
//! background — and for each: trimmed the edges close to the corners' colour, resized the
//! longest edge to 28 pixels, extended the shorter edge to 28 with the item in the middle,
//! negated the intensities (a light item on black) and kept the gray. A photo of a shirt on
//! a light table goes the same way here ([`preprocess`]):
//!
//! 1. Gray, transparency on white ([`composite_on_white`], [`to_gray`], as for digits).
//! 2. Light on black: inverted when the border is the light side ([`ink_is_dark`],
//!    [`make_ink_white`]; a Fashion-MNIST image itself is left as it is).
//! 3. [`background_to_black`]: the border's median level (a light gray table, once
//!    inverted, is a dark gray) becomes 0 and what rises above it is stretched back to
//!    `[0, 1]`.
//! 4. [`item_box`] and [`crop`]: the bounding box of the pixels more than 5% above the
//!    background (the paper's "close to the corners' colour").
//! 5. [`fit_longer_side`]: the longer side to 28 pixels, aspect ratio kept.
//! 6. [`centre`]: in the middle of a black 28×28 field.
//!
//! Unlike the digits' recipe there is no contrast stretch (the shades of gray are the
//! item's), no 20-pixel box and no centring by mass: the item fills the field along its
//! longer side. (The paper also sharpened after resizing; this does not.)
//!
//! ```
//! use image::{DynamicImage, GrayImage, Luma};
//! // A dark coat, 20 wide and 40 tall, on white, off centre in a 90 × 60 picture.
//! let mut photo = GrayImage::from_pixel(90, 60, Luma([255]));
//! for y in 10..50 {
//!     for x in 60..80 {
//!         photo.put_pixel(x, y, Luma([40]));
//!     }
//! }
//! let item = data::image_io::fashion_style::preprocess(&DynamicImage::ImageLuma8(photo));
//! assert_eq!((item.width, item.height), (28, 28));
//! assert!(item.at(14, 0) > 0.8 && item.at(14, 27) > 0.8); // light, top to bottom
//! assert_eq!((item.at(3, 14), item.at(24, 14)), (0.0, 0.0)); // black either side
//! ```

use image::DynamicImage;

use super::gray::{Gray, place, quantile, resize};
use super::mnist_style::{Rect, composite_on_white, crop, ink_is_dark, make_ink_white, to_gray};

/// The side of a Fashion-MNIST image.
pub const FIELD: usize = 28;

/// How far above the background a pixel must be to count as the item: 5% of full scale.
pub const TRIM: f32 = 0.05;

/// Runs steps 1–6 on a decoded picture: the 28 × 28 image the model sees.
pub fn preprocess(image: &DynamicImage) -> Gray {
    let gray = to_gray(&composite_on_white(image));
    let light = make_ink_white(&gray, ink_is_dark(&gray));
    let item = background_to_black(&light);
    let cropped = match item_box(&item) {
        Some(rect) => crop(&item, rect),
        None => Gray::black(1, 1),
    };
    centre(&fit_longer_side(&cropped, FIELD), FIELD)
}

/// Step 3. The background to black: with `b` the median of the outermost ring of pixels,
/// `v → clamp((v − b) / (1 − b), 0, 1)`. A picture that is all background comes out black.
pub fn background_to_black(gray: &Gray) -> Gray {
    let (w, h) = (gray.width, gray.height);
    let mut ring: Vec<f32> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| x == 0 || y == 0 || x + 1 == w || y + 1 == h)
        .map(|(x, y)| gray.at(x, y))
        .collect();
    ring.sort_by(f32::total_cmp);
    let b = quantile(&ring, 0.5);
    if b >= 1.0 {
        return Gray::black(w, h);
    }
    gray.map(|v| ((v - b) / (1.0 - b)).clamp(0.0, 1.0))
}

/// Step 4. The bounding box of the pixels above [`TRIM`]; `None` when there are none.
pub fn item_box(gray: &Gray) -> Option<Rect> {
    let mut rect: Option<Rect> = None;
    for y in 0..gray.height {
        for x in 0..gray.width {
            if gray.at(x, y) <= TRIM {
                continue;
            }
            let r = rect.get_or_insert(Rect {
                x0: x,
                y0: y,
                x1: x + 1,
                y1: y + 1,
            });
            *r = Rect {
                x0: r.x0.min(x),
                y0: r.y0.min(y),
                x1: r.x1.max(x + 1),
                y1: r.y1.max(y + 1),
            };
        }
    }
    rect
}

/// Step 5. Resized so that the longer side is `side` pixels and the shorter keeps the
/// aspect ratio (rounded, at least 1), with the triangle filter that averages what it
/// merges when shrinking.
pub fn fit_longer_side(gray: &Gray, side: usize) -> Gray {
    let scale = side as f32 / gray.width.max(gray.height) as f32;
    let w = ((gray.width as f32 * scale).round() as usize).clamp(1, side);
    let h = ((gray.height as f32 * scale).round() as usize).clamp(1, side);
    resize(gray, w, h)
}

/// Step 6. In the middle of a black `field × field` picture: its top-left corner at
/// `((field − w) / 2, (field − h) / 2)` rounded up — an odd margin puts its extra pixel
/// above and to the left, as Fashion-MNIST's images have it.
pub fn centre(gray: &Gray, field: usize) -> Gray {
    let margin = |size: usize| (field - size).div_ceil(2);
    place(gray, field, margin(gray.width), margin(gray.height))
}
