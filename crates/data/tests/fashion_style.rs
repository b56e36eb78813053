//! Clothing prepared as Fashion-MNIST was made: a dark item on a light background becomes
//! a light item on black, cropped, its longer side 28 pixels, its aspect ratio kept,
//! centred; a Fashion-MNIST image itself comes back as it was.

use data::image_io::fashion_style::{item_box, preprocess};
use data::image_io::{Preprocess, digit_from_bytes, save_png};
use data::{Dataset, Mnist, Split};
use image::{DynamicImage, GrayImage, Luma, Rgba, RgbaImage};

/// The columns and rows of `item` above one half, as `(first, last)` of each.
fn lit_span(item: &data::image_io::gray::Gray) -> ((usize, usize), (usize, usize)) {
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for y in 0..item.height {
        for x in 0..item.width {
            if item.at(x, y) > 0.5 {
                xs.push(x);
                ys.push(y);
            }
        }
    }
    let span = |v: &[usize]| (*v.iter().min().unwrap(), *v.iter().max().unwrap());
    (span(&xs), span(&ys))
}

#[test]
fn a_dark_rectangle_on_white_becomes_a_centred_light_rectangle_on_black() {
    // 30 wide, 60 tall (aspect 1 : 2), near the top-left corner of a 100 × 80 white picture.
    let mut photo = GrayImage::from_pixel(100, 80, Luma([250]));
    for y in 5..65 {
        for x in 8..38 {
            photo.put_pixel(x, y, Luma([30]));
        }
    }
    let item = preprocess(&DynamicImage::ImageLuma8(photo));
    assert_eq!((item.width, item.height), (28, 28));
    // The longer side fills the 28 rows; the shorter is 28 · 30/60 = 14 columns, in the
    // middle: (28 − 14)/2 = 7 black columns either side.
    let ((x0, x1), (y0, y1)) = lit_span(&item);
    assert_eq!((y0, y1), (0, 27), "rows");
    assert_eq!((x0, x1), (7, 20), "columns");
    // Light: (250 − 30)/250 after the background goes to black, so about 0.88.
    let expected = (250.0 - 30.0) / 250.0;
    assert!(
        (item.at(14, 14) - expected).abs() < 0.01,
        "{}",
        item.at(14, 14)
    );
    for (x, y) in [(0, 0), (6, 14), (21, 14), (27, 27)] {
        assert_eq!(item.at(x, y), 0.0, "background at ({x}, {y})");
    }
}

#[test]
fn a_wide_item_keeps_its_aspect_and_a_transparent_background_is_paper() {
    // A trouser lying down: 48 wide, 16 tall (3 : 1), dark red on a transparent picture.
    let mut photo = RgbaImage::from_pixel(64, 64, Rgba([0, 0, 0, 0]));
    for y in 30..46 {
        for x in 10..58 {
            photo.put_pixel(x, y, Rgba([120, 10, 10, 255]));
        }
    }
    let item = preprocess(&DynamicImage::ImageRgba8(photo));
    let ((x0, x1), (y0, y1)) = lit_span(&item);
    // 28 columns; 28/3 ≈ 9 rows, and (28 − 9)/2 = 9.5 black rows above, rounded up.
    assert_eq!((x0, x1), (0, 27));
    assert_eq!((y0, y1), (10, 18));
    assert_eq!(item_box(&item).map(|r| (r.y0, r.y1)), Some((10, 19)));
}

#[test]
fn a_fashion_mnist_image_comes_back_as_it_was() {
    let root = data::data_root(None);
    let test = Mnist::load_or_download(
        &root,
        Dataset::FashionMnist,
        Split::Test,
        Dataset::FashionMnist.mirrors(),
    )
    .expect("Fashion-MNIST is in the data folder or can be downloaded");
    let dir = tempfile::tempdir().unwrap();
    let mut same = 0;
    for i in 0..20 {
        let x = test.images().select_rows(&[i]).reshape(&[1, 28, 28]);
        let path = dir.path().join(format!("item-{i}.png"));
        save_png(&path, &x).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let back = digit_from_bytes(&bytes, &path, Preprocess::Fashion).unwrap();
        // Fashion-MNIST's items span 28 pixels along their longer side and sit with an odd
        // margin's extra pixel above and to the left, so cropping, resizing and centring
        // give them back, and a black background has nothing to subtract. (Gray from
        // three equal channels is within a rounding of the value; an item whose faint edge
        // is under 5% loses that edge and is stretched a little: counted, not required.)
        let off = back
            .data()
            .iter()
            .zip(x.data())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        if off < 1e-6 {
            same += 1;
        }
        let decoded = image::load_from_memory(&bytes).unwrap();
        let box_ = item_box(&preprocess(&decoded)).unwrap();
        assert_eq!(
            (box_.x1 - box_.x0).max(box_.y1 - box_.y0),
            28,
            "image {i}: the longer side is 28"
        );
    }
    println!("{same} of 20 test images came back unchanged");
    assert!(
        same >= 15,
        "only {same} of 20 test images came back unchanged"
    );
}
