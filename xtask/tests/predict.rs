//! `cargo xtask predict` end to end, with a small model trained here (lesson 6's network,
//! one pass over 30,000 MNIST images moved about as lesson 7's third stage moves them, a
//! few seconds): the files a learner really has — a
//! drawing app's transparent PNG, a 16-bit gray PNG, a JPEG photo, a large photo — read
//! right; a non-image, a missing file, a directory and a model from elsewhere each give a
//! one-line error naming the file and the exit code `--help` states.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use autograd::Var;
use data::augment::{AffineRange, random_affine};
use data::photo_like::{
    DrawingStyle, Encoding, PhotoStyle, drawing_like, encode, image_rng, photo_like,
};
use data::{DataLoader, Dataset, Mnist, Split};
use image::{DynamicImage, ImageBuffer, Luma};
use layers::{Mode, Module};
use models::digit_model::{self, Network};
use optim::{Adam, AdamConfig, Optimizer, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

/// Runs `cargo xtask predict ARGS…` (the built binary).
fn predict(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("predict")
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

/// Trains lesson 6's network for one pass over the first 30,000 training digits, randomly
/// rotated, scaled and shifted, then standardised as lesson 6 does (`(p − 0.5)/0.5`, what
/// `predict` does to a picture for this network), with Adam, and saves it in `dir`. Returns the model file and the test set.
fn train_small_model(dir: &Path) -> (PathBuf, Mnist) {
    let root = data::data_root(None);
    let load = |split| {
        Mnist::load_or_download(&root, Dataset::Mnist, split, data::download::MNIST_MIRRORS)
            .expect("MNIST is in the data folder or can be downloaded")
    };
    let (train, test) = (load(Split::Train), load(Split::Test));
    let rows: Vec<usize> = (0..30_000).collect();
    let x = train.images().select_rows(&rows);
    let y = train.labels_tensor().select_rows(&rows);
    let mut rng = StdRng::seed_from_u64(6);
    let model = Network::FirstCnn.build(&mut rng);
    let mut opt = Adam::new(model.parameters(), AdamConfig::default());
    for (x_b, y_b) in DataLoader::new(&x, &y, 64).shuffled(&mut rng) {
        let x_b = random_affine(&x_b, &AffineRange::WORLD, &mut rng);
        let x_b = Network::FirstCnn.input().standardize(&x_b);
        let loss = cross_entropy(&model.forward(&Var::constant(x_b), Mode::Train), &y_b);
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    let path = dir.join("small.safetensors");
    digit_model::save(&model, Network::FirstCnn, &path).unwrap();
    (path, test)
}

/// Test digit `i` as a `[784]` slice and its label.
fn digit(test: &Mnist, i: usize) -> (Vec<f32>, usize) {
    let x = test.images().select_rows(&[i]);
    let label = models::metrics::classes(&test.labels_tensor().select_rows(&[i]))[0];
    (x.into_vec(), label)
}

/// The digit each text line names first: `FILE: 7 (99.1%), …` → 7.
fn first_digit(line: &str) -> usize {
    let after = line.rsplit_once(": ").expect("`FILE: digits`").1;
    after[..1].parse().expect("a digit first")
}

#[test]
fn predict_reads_real_files_and_names_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (model, test) = train_small_model(dir.path());
    let model_arg = model.to_str().unwrap();

    // The learner's files, made from test digits 0–3 (7, 2, 1, 0): photos held fairly
    // straight and sharp, since this small model is not the lesson's (the lesson measures
    // the full range of photos).
    let style = PhotoStyle {
        max_rotation_deg: 5.0,
        blur: (0.2, 0.3),
        ..PhotoStyle::WORLD
    };
    let mut files: Vec<(PathBuf, usize)> = Vec::new();
    let (d0, l0) = digit(&test, 0);
    let transparent = dir.path().join("drawn.png");
    let drawing = drawing_like(&d0, &DrawingStyle::APP, &mut image_rng(1, 0));
    assert!(matches!(drawing, DynamicImage::ImageRgba8(_)));
    drawing.save(&transparent).unwrap();
    files.push((transparent, l0));

    let (d1, l1) = digit(&test, 1);
    let (photo, _) = photo_like(&d1, &style, &mut image_rng(2, 1));
    let gray = photo.to_luma16();
    let deep: ImageBuffer<Luma<u16>, Vec<u16>> = gray;
    let sixteen = dir.path().join("gray16.png");
    DynamicImage::ImageLuma16(deep).save(&sixteen).unwrap();
    files.push((sixteen, l1));

    let (d2, l2) = digit(&test, 2);
    let (photo, _) = photo_like(&d2, &style, &mut image_rng(3, 2));
    let jpeg = dir.path().join("photo.jpg");
    std::fs::write(&jpeg, encode(&photo, Encoding::Jpeg(80))).unwrap();
    files.push((jpeg, l2));

    let (d3, l3) = digit(&test, 3);
    let (photo, _) = photo_like(&d3, &style, &mut image_rng(4, 3));
    let large = photo.resize_exact(2000, 2000, image::imageops::FilterType::Triangle);
    let large_path = dir.path().join("large.png");
    large.save(&large_path).unwrap();
    files.push((large_path, l3));

    let mut args = vec!["--model", model_arg];
    args.extend(files.iter().map(|(p, _)| p.to_str().unwrap()));
    let out = predict(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), files.len(), "{stdout}");
    for ((path, label), line) in files.iter().zip(&lines) {
        assert!(line.starts_with(&path.display().to_string()), "{line}");
        assert_eq!(line.matches('%').count(), 3, "top three: {line}");
        assert_eq!(first_digit(line), *label, "{line}");
    }

    // --json: one object per file with the top three and all ten probabilities.
    let out = predict(&["--json", "--model", model_arg, files[0].0.to_str().unwrap()]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["digit"], files[0].1);
    assert_eq!(value["top"].as_array().unwrap().len(), 3);
    let total: f64 = value["probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-4, "{total}");

    // Bad files: one line each naming the file, the good file still read, exit 1.
    let not_image = dir.path().join("notes.png");
    std::fs::write(&not_image, "shopping list: milk, eggs").unwrap();
    let missing = dir.path().join("absent.jpg");
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    for bad in [&not_image, &missing, &folder] {
        let out = predict(&[
            "--model",
            model_arg,
            bad.to_str().unwrap(),
            files[2].0.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", bad.display());
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    }

    // A safetensors file that is not one of our digit models, and a model that is missing.
    let stranger = dir.path().join("stranger.safetensors");
    layers::write_tensors(&stranger, [("w", &Tensor::zeros(&[2, 2]))]).unwrap();
    for model in [stranger, dir.path().join("no-model.safetensors")] {
        let out = predict(&[
            "--model",
            model.to_str().unwrap(),
            files[0].0.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(stderr.contains(&model.display().to_string()), "{stderr}");
    }

    // The command line: no files, an unknown flag; --help states the exit codes.
    assert_eq!(predict(&["--model", model_arg]).status.code(), Some(2));
    assert_eq!(predict(&["--bogus", "x.png"]).status.code(), Some(2));
    let help = predict(&["--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("EXIT CODES") && help.contains("--raw"),
        "{help}"
    );
}
