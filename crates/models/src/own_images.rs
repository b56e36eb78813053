//! Classifying image files with a trained digit model: the course's "try it on your own
//! handwriting" step, and the pictures the project ships for it.

use std::path::{Path, PathBuf};

use layers::Module;
use tensor::Tensor;

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
    /// The ten class probabilities.
    pub probabilities: Vec<f32>,
}

impl Prediction {
    /// The most and second most probable digits, with their probabilities.
    pub fn top_two(&self) -> [(usize, f32); 2] {
        let mut order: Vec<usize> = (0..self.probabilities.len()).collect();
        order.sort_by(|&a, &b| self.probabilities[b].total_cmp(&self.probabilities[a]));
        [
            (order[0], self.probabilities[order[0]]),
            (order[1], self.probabilities[order[1]]),
        ]
    }
}

impl std::fmt::Display for Prediction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [(top, p), (second, q)] = self.top_two();
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

/// Loads each file as a 28×28 grayscale digit (any size, colour PNG or JPEG; no inversion:
/// the model must cope with what the camera saw) and classifies it with `model`, which
/// returns logits. Returns the predictions and the images as the model saw them `[N, 1, 28, 28]`.
pub fn classify_files(
    model: &dyn Module,
    paths: &[PathBuf],
) -> Result<(Vec<Prediction>, Tensor), LessonError> {
    let images = paths
        .iter()
        .map(|p| data::image_io::load_digit(p, false).map_err(LessonError::Data))
        .collect::<Result<Vec<Tensor>, LessonError>>()?;
    let x = Tensor::stack(&images.iter().collect::<Vec<_>>(), 0);
    let probabilities = autograd::ops::softmax(&predict(model, &x, 64), 1);
    let predictions = paths
        .iter()
        .enumerate()
        .map(|(i, p)| Prediction {
            path: p.clone(),
            probabilities: probabilities.narrow(0, i, 1).into_vec(),
        })
        .collect();
    Ok((predictions, x))
}
