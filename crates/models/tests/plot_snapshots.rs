//! Snapshot tests for every kind of picture the lessons draw: a line chart, a two-axis
//! chart, a decision map, a confusion heatmap, an image grid, and filters and feature maps
//! laid out as a grid the way `lessons/first_cnn.rs` does.
//!
//! Each test draws fixed, hand-made inputs (no training, no randomness, no MNIST) to a PNG,
//! decodes it, and compares its pixels with a reference image checked in under
//! `tests/snapshots/NAME.png`. The pictures are meant to be looked at, so the references
//! are too: open one to see what the code draws.
//!
//! # When a test fails
//! The test writes what it drew to `target/snapshots/NAME.actual.png` and a diff to
//! `target/snapshots/NAME.diff.png` (the reference faded, every differing pixel magenta),
//! and the panic names both files and how many pixels differ. A missing reference fails
//! too; it never passes silently.
//!
//! # Changing a picture on purpose
//! Run `UPDATE_SNAPSHOTS=1 cargo test --release -p models --test plot_snapshots`: the
//! tests then write their pictures as the new references instead of comparing. Look at
//! every changed PNG before committing it.
//!
//! # Tolerance
//! A pixel *differs* when one of its channels is more than [`CHANNEL_SLACK`] levels (of
//! 255) away from the reference, and a picture fails when more than [`MAX_DIFFERING`] of
//! its pixels differ. The font is embedded (DejaVu Sans), so on one machine the pictures
//! are byte-for-byte stable; the slack is for other CPUs, where a last-bit difference in
//! `exp` or `sin` (the decision map's sigmoid, the feature maps' waves) or in a glyph's
//! antialiased coverage can move a shade by a level or flip a stray edge pixel. A real
//! change is far bigger: one changed digit in a tick label moves about 70 pixels by up to
//! 255 levels, a series 10 levels bluer a few hundred.

use std::path::{Path, PathBuf};

use models::pictures::planes_as_images;
use models::plot::{self, Labels, Series};
use tensor::Tensor;

/// How far one channel of a pixel may be from the reference, in levels of 255.
const CHANNEL_SLACK: u8 = 4;

/// The share of pixels that may differ by more than [`CHANNEL_SLACK`]: 1 in 20 000, a
/// couple of dozen pixels on a 900 × 560 chart.
const MAX_DIFFERING: f64 = 5e-5;

/// Where a failing test leaves its pictures: `target/snapshots/`.
fn failures_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // crates/models → the workspace root.
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2);
            root.expect("the crate sits two folders below the workspace root")
                .join("target")
        });
    target.join("snapshots")
}

/// Compares the PNG at `drawn` with `tests/snapshots/{name}.png` (see the module doc), or
/// makes it the reference when `UPDATE_SNAPSHOTS=1`.
fn check_snapshot(name: &str, drawn: &Path) {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.png"));
    if std::env::var("UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
        std::fs::write(&reference, std::fs::read(drawn).unwrap()).unwrap();
        eprintln!("wrote the reference {}", reference.display());
        return;
    }
    let failures = failures_dir();
    std::fs::create_dir_all(&failures).unwrap();
    let actual_path = failures.join(format!("{name}.actual.png"));
    let diff_path = failures.join(format!("{name}.diff.png"));
    // Leftovers of an earlier failure would only mislead.
    let _ = std::fs::remove_file(&actual_path);
    let _ = std::fs::remove_file(&diff_path);

    let actual = image::open(drawn).unwrap().to_rgb8();
    if !reference.exists() {
        actual.save(&actual_path).unwrap();
        panic!(
            "{name}: no reference image {}; the picture drawn now is {}. If it looks right, \
             run `UPDATE_SNAPSHOTS=1 cargo test --release -p models --test plot_snapshots` \
             to make it the reference.",
            reference.display(),
            actual_path.display()
        );
    }
    let expected = image::open(&reference)
        .unwrap_or_else(|e| panic!("{name}: cannot read {}: {e}", reference.display()))
        .to_rgb8();
    if actual.dimensions() != expected.dimensions() {
        actual.save(&actual_path).unwrap();
        panic!(
            "{name}: drew {:?} pixels, the reference {} is {:?}; the picture drawn now is {}",
            actual.dimensions(),
            reference.display(),
            expected.dimensions(),
            actual_path.display()
        );
    }

    // The diff: the reference faded to a quarter of its contrast, differing pixels magenta.
    let mut diff = image::RgbImage::new(actual.width(), actual.height());
    let mut differing = 0usize;
    for ((a, e), d) in actual
        .pixels()
        .zip(expected.pixels())
        .zip(diff.pixels_mut())
    {
        let far =
            a.0.iter()
                .zip(e.0)
                .any(|(&a, e)| a.abs_diff(e) > CHANNEL_SLACK);
        if far {
            differing += 1;
            d.0 = [255, 0, 255];
        } else {
            d.0 = e.0.map(|v| 255 - (255 - v) / 4);
        }
    }
    let total = (actual.width() * actual.height()) as usize;
    let allowed = (total as f64 * MAX_DIFFERING) as usize;
    if differing > allowed {
        actual.save(&actual_path).unwrap();
        diff.save(&diff_path).unwrap();
        panic!(
            "{name}: {differing} of {total} pixels differ from {} by more than {CHANNEL_SLACK} \
             levels (at most {allowed} may); drawn now: {}, diff: {}. If the change is \
             intended, run `UPDATE_SNAPSHOTS=1 cargo test --release -p models --test \
             plot_snapshots` and look at the new reference.",
            reference.display(),
            actual_path.display(),
            diff_path.display()
        );
    }
}

/// A fit on a fractional axis that crosses zero: dots for noisy data, lines for the trend.
#[test]
fn line_chart() {
    // y = x² on [-1, 1], the dots nudged up and down by 0.05 in turn.
    let data: Vec<(f64, f64)> = (0..=16)
        .map(|i| {
            let x = -1.0 + i as f64 / 8.0;
            let nudge = if i % 2 == 0 { 0.05 } else { -0.05 };
            (x, x * x + nudge)
        })
        .collect();
    let trend: Vec<(f64, f64)> = (0..=40)
        .map(|i| -1.0 + i as f64 / 20.0)
        .map(|x| (x, x * x))
        .collect();
    let flat: Vec<(f64, f64)> = vec![(-1.0, 0.35), (1.0, 0.35)];
    let labels = Labels {
        title: "A fit: y = x² on [−1, 1]".into(),
        x: "x".into(),
        y: "y".into(),
        y_right: String::new(),
    };
    let series = [
        Series::dots("data", data),
        Series::line("true trend", trend),
        Series::line("a constant", flat),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = plot::line_chart(&dir.path().join("chart.png"), &labels, &series).unwrap();
    check_snapshot("line_chart", &path);
}

/// Loss on the left axis and accuracy on the right, over a two-epoch run: the x-axis must
/// tick at the epochs 1 and 2 only.
#[test]
fn two_axis_chart() {
    let labels = Labels {
        title: "Two epochs: loss and accuracy".into(),
        x: "epoch".into(),
        y: "cross-entropy".into(),
        y_right: "accuracy".into(),
    };
    let series = [
        Series::line("training loss", vec![(1.0, 0.62), (2.0, 0.31)]),
        Series::line("test accuracy", vec![(1.0, 0.902), (2.0, 0.951)]).on_right_axis(),
        Series::line("inverted test accuracy", vec![(1.0, 0.41), (2.0, 0.87)]).on_right_axis(),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = plot::line_chart(&dir.path().join("chart.png"), &labels, &series).unwrap();
    check_snapshot("two_axis_chart", &path);
}

/// A smooth XOR: the probability of class 1 is high where exactly one coordinate is
/// above ½, drawn under the four corners of the unit square.
#[test]
fn decision_regions() {
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    let p = |x: f64, y: f64| {
        let (a, b) = (sigmoid(8.0 * (x - 0.5)), sigmoid(8.0 * (y - 0.5)));
        a * (1.0 - b) + (1.0 - a) * b
    };
    let points = [
        (0.0, 0.0, 0),
        (1.0, 1.0, 0),
        (0.0, 1.0, 1),
        (1.0, 0.0, 1),
        (0.25, 0.8, 1),
        (0.8, 0.75, 0),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = plot::decision_regions(
        &dir.path().join("regions.png"),
        "XOR: p(class 1)",
        (-0.5, 1.5),
        p,
        &points,
    )
    .unwrap();
    check_snapshot("decision_regions", &path);
}

/// Three classes; the diagonal cells hold most of their row, so their counts are white.
#[test]
fn confusion_heatmap() {
    let counts = vec![vec![50, 2, 1], vec![3, 45, 0], vec![9, 1, 12]];
    let names: Vec<String> = ["setosa", "versicolor", "virginica"]
        .map(String::from)
        .to_vec();
    let dir = tempfile::tempdir().unwrap();
    let path =
        plot::confusion_matrix(&dir.path().join("cm.png"), "confusion", &counts, &names).unwrap();
    check_snapshot("confusion_heatmap", &path);
}

/// Five 28 × 28 drawings in three columns (the last row half empty), with the captions
/// the lessons write: a label, `true → predicted`, a number, a mark.
#[test]
fn image_grid() {
    let side = 28;
    let drawing = |f: &dyn Fn(usize, usize) -> f32| -> Vec<f32> {
        (0..side * side).map(|i| f(i / side, i % side)).collect()
    };
    let ring = |r: usize, c: usize| {
        let (dy, dx) = (r as f32 - 13.5, c as f32 - 13.5);
        let d = (dx * dx + dy * dy).sqrt();
        if (7.0..10.0).contains(&d) { 1.0 } else { 0.0 }
    };
    let mut pixels = Vec::new();
    pixels.extend(drawing(&|_, c| {
        if (12..16).contains(&c) { 1.0 } else { 0.0 }
    }));
    pixels.extend(drawing(&ring));
    pixels.extend(drawing(&|_, c| c as f32 / 27.0));
    pixels.extend(drawing(&|r, c| if r.abs_diff(c) < 2 { 1.0 } else { 0.0 }));
    pixels.extend(drawing(&|r, c| ((r / 7 + c / 7) % 2) as f32));
    let images = Tensor::from_vec(pixels, &[5, 1, side, side]).unwrap();
    let captions = ["1", "7 → 0", "0.25", "ok ✓", "x ✗"].map(String::from);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.png");
    data::grid::save_grid(&path, &images, &captions, 3).unwrap();
    check_snapshot("image_grid", &path);
}

/// Eight 3 × 3 "filters", each stretched to [0, 1] and enlarged ×8, captioned by index:
/// the picture `first_cnn` makes of its first layer's weights.
#[test]
fn filters() {
    // Filter k, pixel (r, c): (k + 1)(3r + c) mod 7 − 3, a different small pattern each.
    let weights: Vec<f32> = (0..8 * 9)
        .map(|i| {
            let (k, j) = (i / 9, i % 9);
            ((k + 1) * j % 7) as f32 - 3.0
        })
        .collect();
    let weight = Tensor::from_vec(weights, &[8, 1, 3, 3]).unwrap();
    let captions: Vec<String> = (0..8).map(|i| format!("{i}")).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filters.png");
    data::grid::save_grid(&path, &planes_as_images(&weight, 8), &captions, 4).unwrap();
    check_snapshot("filters", &path);
}

/// Eight 26 × 26 "feature maps" of one digit, each stretched to [0, 1] at scale 1 and
/// captioned `label:index`: the picture `first_cnn` makes of its first layer's output.
#[test]
fn feature_maps() {
    let side = 26;
    // Map k, pixel (r, c): a wave along a direction that turns with k, so every map looks
    // different and the stretch to [0, 1] has something to stretch.
    let maps: Vec<f32> = (0..8 * side * side)
        .map(|i| {
            let (k, r, c) = (i / (side * side), i / side % side, i % side);
            let angle = k as f32 * std::f32::consts::PI / 8.0;
            let along = r as f32 * angle.sin() + c as f32 * angle.cos();
            (along / 4.0).sin() * (k as f32 + 1.0)
        })
        .collect();
    let maps = Tensor::from_vec(maps, &[1, 8, side, side]).unwrap();
    let captions: Vec<String> = (0..8).map(|i| format!("7:{i}")).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("maps.png");
    data::grid::save_grid(&path, &planes_as_images(&maps, 1), &captions, 4).unwrap();
    check_snapshot("feature_maps", &path);
}
