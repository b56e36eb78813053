//! # data — stage 5 of gradschool
//!
//! Everything between a file on disk and a mini-batch a network trains on.
//!
//! Read the files in this order:
//! - `error`: [`DataError`], the one error type, every case naming the file and the
//!   problem; and [`IdxProblem`](idx::IdxProblem), what can be wrong with IDX bytes.
//! - `idx`: the IDX file format of MNIST, read (raw or gzip, validated, never panicking)
//!   and written.
//! - `root`: where data lives, [`data_root`] (`--data-dir`, then `GRADSCHOOL_DATA`, then a
//!   per-user cache).
//! - `hash`: SHA-256 as lowercase hex.
//! - `download`: fetching a file from mirrors, trusted only once its SHA-256 matches.
//! - `mnist`: MNIST and Fashion-MNIST as tensors `[N, 1, 28, 28]` with labels.
//! - `iris`, `xor`, `regression`: the small data sets of the early lessons; `plane`: the
//!   studio playground's two-class sets in the plane (XOR, circles, spirals, Gaussians) and
//!   their features.
//! - `standardize`: per-column standardisation and pixel normalisation.
//! - `split`: shuffled train/validation/test index lists.
//! - `loader`: the [`DataLoader`] that cuts mini-batches.
//! - `warp`: moving, turning and scaling a gray picture, sampled bilinearly.
//! - `augment`: inverted images, joined data sets, random shifts, scalings, rotations and
//!   stroke thickness.
//! - `image_io`, `font`, `grid`: image files in and out (with `image_io::mnist_style`, a
//!   picture prepared as MNIST was made), and captioned sample grids.
//! - `photo_like`: MNIST digits made to look like phone photos and drawing-app PNGs.
//!
//! Every file the crate writes (downloads, IDX exports, PNGs) goes through the workspace's
//! one atomic writer, [`atomic_file`]: it appears whole or not at all, and its folder is
//! created if missing.
//!
//! ```
//! use rand::{SeedableRng, rngs::StdRng};
//! use data::{DataLoader, iris, split, standardize};
//! let mut rng = StdRng::seed_from_u64(0);
//! let iris = iris::iris();
//! let (train, test) = split::train_test(150, 0.2, &mut rng);
//! let (x_train, y_train) = split::take(&iris.x, &iris.y, &train);
//! let (x_train, scaler) = standardize(&x_train);
//! let x_test = scaler.apply(&iris.x.select_rows(&test));
//! assert_eq!(x_test.shape(), &[30, 4]);
//! let loader = DataLoader::new(&x_train, &y_train, 16);
//! for (x, y) in loader.shuffled(&mut rng) {
//!     assert_eq!(x.dim(0), y.dim(0));
//! }
//! ```

pub mod augment;
pub mod download;
mod error;
pub mod font;
pub mod grid;
pub mod hash;
pub mod idx;
pub mod image_io;
pub mod iris;
pub mod loader;
pub mod mnist;
pub mod photo_like;
pub mod plane;
pub mod regression;
mod root;
pub mod split;
pub mod standardize;
pub mod warp;
pub mod xor;

pub use error::DataError;
pub use loader::{Batches, DataLoader};
pub use mnist::{Dataset, Mnist, Split};
pub use root::{DATA_ENV, data_dir_flag, data_root, resolve_data_root};
pub use standardize::{Standardizer, standardize};
