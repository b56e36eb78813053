//! The photo-like generator: its pictures fall in the documented ranges, look like dark ink
//! on light paper (or a transparent drawing), and a set is the same on every run and on 1
//! or 2 threads.

use data::image_io::mnist_style::{composite_on_white, ink_is_dark, to_gray};
use data::photo_like::{
    DrawingStyle, PhotoStyle, drawing_like, drawing_like_set, image_rng, photo_like, photo_like_set,
};
use image::DynamicImage;
use tensor::Tensor;

/// A 28 × 28 "1": a vertical bar of ink in the middle.
fn one() -> Vec<f32> {
    (0..784)
        .map(|i| {
            if (12..16).contains(&(i % 28)) && (4..24).contains(&(i / 28)) {
                1.0
            } else {
                0.0
            }
        })
        .collect()
}

#[test]
fn photos_fall_in_the_documented_ranges() {
    let style = PhotoStyle::WORLD;
    let (mut png, mut jpeg, mut gray, mut colour) = (0, 0, 0, 0);
    for i in 0..60 {
        let (picture, encoding) = photo_like(&one(), &style, &mut image_rng(5, i));
        assert!((style.side.0..=style.side.1).contains(&picture.width()));
        assert_eq!(picture.width(), picture.height());
        match encoding {
            data::photo_like::Encoding::Png => png += 1,
            data::photo_like::Encoding::Jpeg(q) => {
                assert!((style.jpeg_quality.0..=style.jpeg_quality.1).contains(&q));
                jpeg += 1
            }
        }
        match picture {
            DynamicImage::ImageLuma8(_) => gray += 1,
            DynamicImage::ImageRgb8(_) => colour += 1,
            other => panic!("unexpected picture type {:?}", other.color()),
        }
        // Dark ink on light paper, always.
        assert!(
            ink_is_dark(&to_gray(&composite_on_white(&picture))),
            "picture {i}"
        );
    }
    assert!(
        png > 10 && jpeg > 10 && gray > 5 && colour > 20,
        "{png} {jpeg} {gray} {colour}"
    );
}

#[test]
fn drawings_are_strokes_on_a_transparent_background() {
    let style = DrawingStyle::APP;
    for i in 0..10 {
        let DynamicImage::ImageRgba8(picture) = drawing_like(&one(), &style, &mut image_rng(6, i))
        else {
            panic!("a drawing is RGBA");
        };
        assert!((style.side.0..=style.side.1).contains(&picture.width()));
        // The corners are fully transparent black; some stroke pixels are opaque.
        assert_eq!(picture.get_pixel(0, 0).0, [0, 0, 0, 0]);
        assert!(picture.pixels().any(|p| p.0[3] == 255));
    }
}

#[test]
fn a_set_is_the_same_every_run_and_on_any_number_of_threads() {
    let digits = Tensor::from_vec([one(), one(), one()].concat(), &[3, 1, 28, 28]).unwrap();
    let on = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| (photo_like_set(&digits, 9), drawing_like_set(&digits, 9)))
    };
    let (one_thread, two_threads) = (on(1), on(2));
    assert!(one_thread == two_threads);
    assert!(one_thread == on(2));
    // Each picture has its own generator: the three are different pictures of one digit.
    assert!(one_thread.0[0] != one_thread.0[1]);
    // Another seed, another set.
    assert!(photo_like_set(&digits, 10) != one_thread.0);
}
