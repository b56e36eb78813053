//! Classifying image files with a trained model: the course's "try it on your own
//! handwriting" step (and, with lesson 8's model, your own clothes), and the pictures the
//! project ships for it.

use std::path::{Path, PathBuf};

use data::image_io::Preprocess;
use layers::Module;
use tensor::Tensor;

use crate::digit_model::{Input, Network};
use crate::eval::predict;
use crate::report::LessonError;

/// The folder of pictures shipped with the project: MNIST test digits redrawn as dark ink
/// on light paper, and one picture that is not a digit (made by
/// `cargo run -p models --example make_own_images`).
pub fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/own-images")
}

/// The shipped pictures, sorted by name, with their true digit (from names like
/// `digit-7-a.png`; `None` for a picture that is not a digit).
pub fn shipped() -> Result<Vec<(PathBuf, Option<usize>)>, LessonError> {
    let dir = shipped_dir();
    let entries = std::fs::read_dir(&dir).map_err(|source| {
        LessonError::Data(data::DataError::Io {
            path: dir.clone(),
            source,
        })
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let label = name
                .strip_prefix("digit-")
                .and_then(|rest| rest.split('-').next())
                .and_then(|d| d.parse().ok());
            (p, label)
        })
        .collect())
}

/// What the model says about one picture.
#[derive(Clone, Debug)]
pub struct Prediction {
    /// The file.
    pub path: PathBuf,
    /// The ten scores the network gave, `z`.
    pub logits: Vec<f32>,
    /// The ten class probabilities, `softmax(z)`.
    pub probabilities: Vec<f32>,
}

impl Prediction {
    /// The `k` most probable classes (digits, for an MNIST model) with their
    /// probabilities, most probable first (ties to the smaller class).
    pub fn top(&self, k: usize) -> Vec<(usize, f32)> {
        let mut order: Vec<usize> = (0..self.probabilities.len()).collect();
        order.sort_by(|&a, &b| self.probabilities[b].total_cmp(&self.probabilities[a]));
        order
            .into_iter()
            .take(k)
            .map(|d| (d, self.probabilities[d]))
            .collect()
    }

    /// The most probable class (a digit, for an MNIST model).
    pub fn digit(&self) -> usize {
        self.top(1)[0].0
    }
}

impl std::fmt::Display for Prediction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let top = self.top(2);
        let ((top, p), (second, q)) = (top[0], top[1]);
        let name = self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        write!(
            f,
            "{name}: {top} ({:.1}%), runner-up {second} ({:.1}%)",
            p * 100.0,
            q * 100.0
        )
    }
}

/// Loads each file as a 28×28 image (any size, PNG or JPEG, gray, colour or transparent),
/// prepared as `input.how` says, standardised as `input` says, and classifies it with
/// `model`, which returns logits. Returns the predictions and the images as the model saw
/// them before the standardisation, `[N, 1, 28, 28]` in `[0, 1]`.
pub fn classify_files(
    model: &dyn Module,
    paths: &[PathBuf],
    input: Input,
) -> Result<(Vec<Prediction>, Tensor), LessonError> {
    let images = paths
        .iter()
        .map(|p| data::image_io::load_digit(p, input.how).map_err(LessonError::Data))
        .collect::<Result<Vec<Tensor>, LessonError>>()?;
    Ok(classify_images(model, input, paths.to_vec(), &images))
}

/// [`classify_files`] for one file's bytes already in memory (an upload); `name` is what
/// the prediction and any error call it. Returns the prediction and the `[1, 28, 28]`
/// image the model saw (before the standardisation).
pub fn classify_bytes(
    model: &dyn Module,
    input: Input,
    name: &str,
    bytes: &[u8],
) -> Result<(Prediction, Tensor), LessonError> {
    let path = PathBuf::from(name);
    let image =
        data::image_io::digit_from_bytes(bytes, &path, input.how).map_err(LessonError::Data)?;
    let (mut predictions, _) =
        classify_images(model, input, vec![path], std::slice::from_ref(&image));
    Ok((predictions.remove(0), image))
}

/// Classifies prepared `[1, 28, 28]` images `p`, one per path: `softmax(model((p − mean) /
/// std))`.
fn classify_images(
    model: &dyn Module,
    input: Input,
    paths: Vec<PathBuf>,
    images: &[Tensor],
) -> (Vec<Prediction>, Tensor) {
    let x = Tensor::stack(&images.iter().collect::<Vec<_>>(), 0);
    let logits = predict(model, &input.standardize(&x), 64);
    let probabilities = autograd::ops::softmax(&logits, 1);
    let predictions = paths
        .into_iter()
        .enumerate()
        .map(|(i, path)| Prediction {
            path,
            logits: logits.narrow(0, i, 1).into_vec(),
            probabilities: probabilities.narrow(0, i, 1).into_vec(),
        })
        .collect();
    (predictions, x)
}

/// The shipped pictures as the model saw them (MNIST-style), their true labels, and its
/// predictions.
pub struct Shown {
    /// The predictions, MNIST-style, in file order.
    pub predictions: Vec<Prediction>,
    /// The pictures as the model saw them, `[N, 1, 28, 28]`.
    pub images: Tensor,
    /// The true digits (`None`: not a digit).
    pub labels: Vec<Option<usize>>,
}

impl Shown {
    /// How many of the digits (not the picture that is none) were read right.
    pub fn right(&self) -> usize {
        self.labels
            .iter()
            .zip(&self.predictions)
            .filter(|(label, p)| **label == Some(p.digit()))
            .count()
    }
}

/// Prints each shipped picture's prediction by lesson 7's network `model`, read raw and
/// MNIST-style, and returns the MNIST-style ones.
pub fn show_predictions(model: &dyn Module, when: &str) -> Result<Shown, LessonError> {
    let files = shipped()?;
    let (paths, labels): (Vec<_>, Vec<_>) = files.into_iter().unzip();
    let input = Network::DeepCnn.input();
    let raw_input = Input {
        how: Preprocess::Raw,
        ..input
    };
    let (raw, _) = classify_files(model, &paths, raw_input)?;
    let (predictions, images) = classify_files(model, &paths, input)?;
    println!("the shipped pictures, {when} (plain stretch | MNIST-style preprocessing):");
    let verdict = |p: &Prediction, label: &Option<usize>| match label {
        Some(t) if *t == p.digit() => "✓".to_string(),
        Some(t) => format!("✗ (it is a {t})"),
        None => "(not a digit)".to_string(),
    };
    for ((p, r), label) in predictions.iter().zip(&raw).zip(&labels) {
        let [(d, q)] = [p.top(1)[0]];
        let [(rd, rq)] = [r.top(1)[0]];
        let name = p.path.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "  {name}: {rd} ({:.1}%) {} | {d} ({:.1}%) {}",
            rq * 100.0,
            verdict(r, label),
            q * 100.0,
            verdict(p, label)
        );
    }
    Ok(Shown {
        predictions,
        images,
        labels,
    })
}
