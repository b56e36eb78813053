//! MNIST and Fashion-MNIST: 28×28 grayscale images with labels 0–9, from four IDX files.
//!
//! Under the data root (see [`crate::data_root`]) each set has its own directory, `mnist/`
//! and `fashion-mnist/`, holding the same four file names, gzip-compressed (`….gz`) or raw:
//!
//! | split | images | labels |
//! | --- | --- | --- |
//! | train (60,000) | `train-images-idx3-ubyte` | `train-labels-idx1-ubyte` |
//! | test (10,000) | `t10k-images-idx3-ubyte` | `t10k-labels-idx1-ubyte` |
//!
//! Pixels are 0 (background) to 255 (ink): white digits on black. [`Mnist::images`] gives
//! them as `f32` in `[0, 1]` with shape `[N, 1, 28, 28]` (one channel, as a CNN wants).
//!
//! ```
//! use data::mnist::Mnist;
//! // Two tiny 2×2 "images" labelled 1 and 7, standing in for the real files.
//! let set = Mnist::from_parts(vec![0, 255, 0, 255, 255, 0, 0, 0], vec![1, 7], 2, 2);
//! assert_eq!(set.images().shape(), &[2, 1, 2, 2]);
//! assert_eq!(set.images().at(&[0, 0, 0, 1]), 1.0);
//! assert_eq!(set.filter_labels(&[7]).labels(), &[7]);
//! ```

use std::path::Path;

use tensor::Tensor;

use crate::error::DataError;
use crate::idx::{self, IdxArray};

mod files;

use files::find_file;
pub use files::{FASHION_MNIST_FILES, MNIST_FILES, MnistFile, download_set, files_of, verify_set};

/// Which of the two look-alike data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dataset {
    /// Handwritten digits.
    Mnist,
    /// Zalando's clothing images (T-shirt, trouser, …), same format and file names.
    FashionMnist,
}

impl Dataset {
    /// The directory under the data root: `mnist` or `fashion-mnist`.
    pub fn dir_name(self) -> &'static str {
        match self {
            Dataset::Mnist => "mnist",
            Dataset::FashionMnist => "fashion-mnist",
        }
    }

    /// The public mirrors the set is downloaded from, tried in order: torchvision's.
    pub fn mirrors(self) -> &'static [&'static str] {
        match self {
            Dataset::Mnist => crate::download::MNIST_MIRRORS,
            Dataset::FashionMnist => crate::download::FASHION_MNIST_MIRRORS,
        }
    }

    /// The name to show: `MNIST` or `Fashion-MNIST`.
    pub fn title(self) -> &'static str {
        match self {
            Dataset::Mnist => "MNIST",
            Dataset::FashionMnist => "Fashion-MNIST",
        }
    }

    /// The ten class names, indexed by label.
    pub fn class_names(self) -> [&'static str; 10] {
        match self {
            Dataset::Mnist => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            Dataset::FashionMnist => [
                "T-shirt",
                "Trouser",
                "Pullover",
                "Dress",
                "Coat",
                "Sandal",
                "Shirt",
                "Sneaker",
                "Bag",
                "Ankle boot",
            ],
        }
    }
}

/// The training or the test half.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// 60,000 images.
    Train,
    /// 10,000 images.
    Test,
}

impl Split {
    /// The file-name stems of the split's images and labels (without `.gz`).
    pub fn file_stems(self) -> (&'static str, &'static str) {
        match self {
            Split::Train => ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
            Split::Test => ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
        }
    }
}

/// A split of MNIST or Fashion-MNIST in memory: the pixels as bytes and the labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Mnist {
    pixels: Vec<u8>,
    labels: Vec<u8>,
    rows: usize,
    cols: usize,
}

impl Mnist {
    /// Loads a split from the data root, e.g. `Mnist::load(&data_root(None), Dataset::Mnist,
    /// Split::Train)`. Reads local files only; see [`Mnist::load_or_download`].
    pub fn load(root: &Path, dataset: Dataset, split: Split) -> Result<Mnist, DataError> {
        Mnist::load_dir(&root.join(dataset.dir_name()), dataset, split)
    }

    /// Loads a split, first downloading any missing file of the set from `mirrors`
    /// (normally [`Dataset::mirrors`]) into `root/mnist` or `root/fashion-mnist`.
    pub fn load_or_download(
        root: &Path,
        dataset: Dataset,
        split: Split,
        mirrors: &[&str],
    ) -> Result<Mnist, DataError> {
        download_set(dataset, &root.join(dataset.dir_name()), mirrors)?;
        Mnist::load(root, dataset, split)
    }

    /// Loads a split from one directory holding the four files (`name.gz` or raw `name`).
    pub fn load_dir(dir: &Path, dataset: Dataset, split: Split) -> Result<Mnist, DataError> {
        let (images_stem, labels_stem) = split.file_stems();
        let images_path = find_file(dir, images_stem, dataset)?;
        let labels_path = find_file(dir, labels_stem, dataset)?;
        let images = idx::read(&images_path)?;
        let labels = idx::read(&labels_path)?;
        Mnist::from_idx(images, &images_path, labels, &labels_path)
    }

    /// Checks two parsed IDX arrays (u8 images `[N, rows, cols]`, u8 labels `[N]` in 0–9)
    /// and pairs them. The paths are for error messages.
    pub fn from_idx(
        images: IdxArray,
        images_path: &Path,
        labels: IdxArray,
        labels_path: &Path,
    ) -> Result<Mnist, DataError> {
        let format = |path: &Path, problem: String| DataError::Format {
            path: path.to_path_buf(),
            problem,
        };
        let &[n, rows, cols] = images.dims() else {
            let dims = images.dims().to_vec();
            return Err(format(
                images_path,
                format!("expected images [N, rows, cols], found dims {dims:?}"),
            ));
        };
        let &[n_labels] = labels.dims() else {
            let dims = labels.dims().to_vec();
            return Err(format(
                labels_path,
                format!("expected labels [N], found dims {dims:?}"),
            ));
        };
        if n != n_labels {
            return Err(format(
                labels_path,
                format!("{n_labels} labels for {n} images"),
            ));
        }
        let dtype = images.dtype();
        let pixels = images
            .into_u8()
            .ok_or_else(|| format(images_path, format!("expected u8 pixels, found {dtype:?}")))?;
        let dtype = labels.dtype();
        let labels = labels
            .into_u8()
            .ok_or_else(|| format(labels_path, format!("expected u8 labels, found {dtype:?}")))?;
        if let Some(i) = labels.iter().position(|&l| l > 9) {
            return Err(format(
                labels_path,
                format!("label {} at index {i} is not 0-9", labels[i]),
            ));
        }
        Ok(Mnist {
            pixels,
            labels,
            rows,
            cols,
        })
    }

    /// A set from raw parts: `pixels` holds `labels.len()` images of `rows × cols` bytes.
    /// Panics if the lengths disagree.
    pub fn from_parts(pixels: Vec<u8>, labels: Vec<u8>, rows: usize, cols: usize) -> Mnist {
        assert_eq!(
            pixels.len(),
            labels.len() * rows * cols,
            "Mnist::from_parts: {} pixels are not {} images of {rows}x{cols}",
            pixels.len(),
            labels.len()
        );
        Mnist {
            pixels,
            labels,
            rows,
            cols,
        }
    }

    /// The number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether the set holds no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// `(rows, cols)` of each image: `(28, 28)` for the real data.
    pub fn image_size(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// All labels, 0–9, in file order.
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// All pixels as bytes, image after image, row-major.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// The bytes of image `i`. Panics if `i >= len()`.
    pub fn image(&self, i: usize) -> &[u8] {
        let size = self.rows * self.cols;
        &self.pixels[i * size..(i + 1) * size]
    }

    /// The images as raw pixel values 0–255 in an `f32` tensor (`x_u8` of the course).
    ///
    /// # Shapes
    /// `[N, 1, rows, cols]`.
    pub fn images_u8(&self) -> Tensor {
        let values = self.pixels.iter().map(|&p| p as f32).collect();
        Tensor::from_parts(
            "Mnist::images_u8",
            values,
            &[self.len(), 1, self.rows, self.cols],
        )
    }

    /// The images normalised to `[0, 1]`: `x = pixel / 255`.
    ///
    /// # Shapes
    /// `[N, 1, rows, cols]`.
    pub fn images(&self) -> Tensor {
        let values = self.pixels.iter().map(|&p| p as f32 / 255.0).collect();
        Tensor::from_parts(
            "Mnist::images",
            values,
            &[self.len(), 1, self.rows, self.cols],
        )
    }

    /// The labels as class indices in an `f32` tensor, the target of cross-entropy.
    ///
    /// # Shapes
    /// `[N]`.
    pub fn labels_tensor(&self) -> Tensor {
        let values = self.labels.iter().map(|&l| l as f32).collect();
        Tensor::from_parts("Mnist::labels_tensor", values, &[self.len()])
    }

    /// Binary targets for a one-vs-another lesson: `1.0` where the label is `positive`,
    /// `0.0` elsewhere (the 1-vs-7 lesson uses `positive = 1`: a 1 is class 1, a 7 class 0).
    ///
    /// # Shapes
    /// `[N, 1]`.
    pub fn binary_targets(&self, positive: u8) -> Tensor {
        let values = self
            .labels
            .iter()
            .map(|&l| (l == positive) as u8 as f32)
            .collect();
        Tensor::from_parts("Mnist::binary_targets", values, &[self.len(), 1])
    }

    /// The images (in order) whose label is one of `keep`.
    pub fn filter_labels(&self, keep: &[u8]) -> Mnist {
        let indices: Vec<usize> = (0..self.len())
            .filter(|&i| keep.contains(&self.labels[i]))
            .collect();
        self.subset(&indices)
    }

    /// The images at `indices`, in that order. Panics on an index out of range.
    pub fn subset(&self, indices: &[usize]) -> Mnist {
        let mut pixels = Vec::with_capacity(indices.len() * self.rows * self.cols);
        for &i in indices {
            pixels.extend_from_slice(self.image(i));
        }
        let labels = indices.iter().map(|&i| self.labels[i]).collect();
        Mnist::from_parts(pixels, labels, self.rows, self.cols)
    }

    /// Writes the set as its two IDX files (gzip-compressed if `gzip`), e.g. to export a
    /// subset under the standard names.
    pub fn write_idx(
        &self,
        images_path: &Path,
        labels_path: &Path,
        gzip: bool,
    ) -> Result<(), DataError> {
        let images = IdxArray::from_u8(&[self.len(), self.rows, self.cols], self.pixels.clone());
        idx::write(images_path, &images, gzip)?;
        idx::write(
            labels_path,
            &IdxArray::from_u8(&[self.len()], self.labels.clone()),
            gzip,
        )
    }
}
