//! Digits from the world: how a model trained on MNIST reads a phone photo of handwriting
//! or a drawing app's PNG.
//!
//! The sets are made by [`data::photo_like`] from MNIST *test* digits (seeded, the same for
//! every lesson seed), turned into file bytes (PNG or JPEG), and read back exactly as a
//! user's files are read: decoded, then prepared either with the plain stretch to 28×28
//! ([`Preprocess::Raw`]) or as MNIST was made ([`Preprocess::Mnist`]). Preparing each set
//! once, both ways, keeps the measurement after every stage cheap.

use std::path::{Path, PathBuf};

use data::image_io::mnist_style::{FIELD, Gray, preprocess};
use data::image_io::{Preprocess, decode, digit_from_bytes};
use layers::Module;
use tensor::Tensor;

use crate::eval::predict;
use crate::metrics::accuracy;
use crate::report::{LessonError, Outcome, OutputError};

/// The seed of the photo-like set.
pub const PHOTO_SEED: u64 = 0x_9407_0001;
/// The seed of the drawing set.
pub const DRAWING_SEED: u64 = 0x_9407_0002;

/// One set of pictures, prepared both ways, with the true digits.
struct Prepared {
    raw: Tensor,
    mnist_style: Tensor,
}

impl Prepared {
    fn new(files: &[Vec<u8>]) -> Prepared {
        let prepare = |how| {
            let digits: Vec<Tensor> = files
                .iter()
                .map(|bytes| {
                    digit_from_bytes(bytes, Path::new("photo-like set"), how)
                        .expect("the generator's own files decode")
                })
                .collect();
            Tensor::stack(&digits.iter().collect::<Vec<_>>(), 0)
        };
        Prepared {
            raw: prepare(Preprocess::Raw),
            mnist_style: prepare(Preprocess::Mnist),
        }
    }
}

/// The photo-like and drawing sets of the first `n` test digits.
pub struct WorldSets {
    photos: Prepared,
    drawings: Prepared,
    truth: Vec<usize>,
    /// A few of the files, for [`preprocess_picture`].
    pub examples: Vec<Vec<u8>>,
}

impl WorldSets {
    /// Makes both sets from the first `n` of `test_images` (`[N, 1, 28, 28]`) with their
    /// labels `truth`.
    pub fn make(test_images: &Tensor, truth: &[usize], n: usize) -> WorldSets {
        let n = n.min(test_images.dim(0));
        let digits = test_images.narrow(0, 0, n);
        let photos = data::photo_like::photo_like_set(&digits, PHOTO_SEED);
        let drawings = data::photo_like::drawing_like_set(&digits, DRAWING_SEED);
        let examples = photos
            .iter()
            .take(4)
            .chain(drawings.iter().take(2))
            .cloned()
            .collect();
        WorldSets {
            photos: Prepared::new(&photos),
            drawings: Prepared::new(&drawings),
            truth: truth[..n].to_vec(),
            examples,
        }
    }

    /// The number of pictures in each set.
    pub fn len(&self) -> usize {
        self.truth.len()
    }

    /// Whether the sets are empty.
    pub fn is_empty(&self) -> bool {
        self.truth.is_empty()
    }

    /// The accuracy of `model` (logits) on each set, each way: `photo_like_accuracy_raw`,
    /// `photo_like_accuracy`, `drawing_accuracy_raw`, `drawing_accuracy` (the ones without
    /// `_raw` with MNIST-style preprocessing).
    pub fn measure(&self, model: &dyn Module) -> Vec<(&'static str, f64)> {
        let read = |x: &Tensor| accuracy(&predict(model, x, 500).argmax_rows(), &self.truth);
        vec![
            ("photo_like_accuracy_raw", read(&self.photos.raw)),
            ("photo_like_accuracy", read(&self.photos.mnist_style)),
            ("drawing_accuracy_raw", read(&self.drawings.raw)),
            ("drawing_accuracy", read(&self.drawings.mnist_style)),
        ]
    }

    /// Prints [`WorldSets::measure`]'s numbers after a training stage and records them in
    /// `out` as `NAME` followed by `suffix` (empty for the last stage).
    pub fn report(&self, out: &mut Outcome, model: &dyn Module, stage: &str, suffix: &str) {
        let numbers = self.measure(model);
        let shown: Vec<String> = numbers
            .iter()
            .map(|(name, v)| format!("{name} {:.2}%", v * 100.0))
            .collect();
        println!(
            "{stage}, on {} digits from the world: {}",
            self.len(),
            shown.join(", ")
        );
        for (name, value) in numbers {
            out.metric(&format!("{name}{suffix}"), value);
        }
    }
}

/// Writes the lesson's `preprocess.png` to `path`: [`preprocess_picture`] of the sets'
/// examples and the first two shipped pictures.
pub fn write_preprocess_picture(path: &Path, world: &WorldSets) -> Result<PathBuf, LessonError> {
    let mut files: Vec<(String, Vec<u8>)> = world
        .examples
        .iter()
        .enumerate()
        .map(|(i, bytes)| (format!("world example {i}"), bytes.clone()))
        .collect();
    for (file, _) in crate::own_images::shipped()?.into_iter().take(2) {
        let bytes = std::fs::read(&file).map_err(|source| {
            LessonError::Data(data::DataError::Io {
                path: file.clone(),
                source,
            })
        })?;
        files.push((file.display().to_string(), bytes));
    }
    preprocess_picture(path, &files).map_err(|e| LessonError::Output(OutputError::Grid(e)))
}

/// The column captions of [`preprocess_picture`].
pub const STAGE_CAPTIONS: [&str; 6] = ["gray", "ink", "crop", "20 px", "centred", "raw"];

/// Writes `preprocess.png`-style picture to `path`: one row per file, its MNIST-style
/// stages left to right (gray, white ink stretched, cropped, in the 20-pixel box, centred
/// by mass in 28×28: what the model sees), then the plain stretch for comparison. Stages
/// are shown letterboxed to 28 × 28.
pub fn preprocess_picture(
    path: &Path,
    files: &[(String, Vec<u8>)],
) -> Result<PathBuf, data::DataError> {
    let mut panels = Vec::new();
    let mut captions = Vec::new();
    for (name, bytes) in files {
        let image = decode(bytes, Path::new(name))?;
        let stages = preprocess(&image);
        let shown: [&Gray; 5] = stages.named().map(|(_, g)| g);
        for gray in shown {
            panels.push(gray.letterboxed(FIELD).to_tensor());
        }
        panels.push(digit_from_bytes(bytes, Path::new(name), Preprocess::Raw)?);
        captions.extend(STAGE_CAPTIONS.iter().map(|c| c.to_string()));
    }
    let images = Tensor::stack(&panels.iter().collect::<Vec<_>>(), 0);
    data::grid::save_grid(path, &images, &captions, STAGE_CAPTIONS.len())?;
    Ok(path.to_path_buf())
}
