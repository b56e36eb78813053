//! Loading MNIST (or Fashion-MNIST) for a lesson: from the data root, downloading any
//! missing file first.

use data::{Dataset, Mnist, Split};

use crate::context::Context;
use crate::report::LessonError;

/// Images in the training split of MNIST (and of Fashion-MNIST).
pub const TRAIN_IMAGES: usize = 60_000;

/// Images in the test split.
pub const TEST_IMAGES: usize = 10_000;

/// The training or test split of MNIST, from `ctx.data_root` (downloaded there, with its
/// SHA-256 checked, if it is missing). An error is [`LessonError::Mnist`], whose message
/// says how to point the lesson at a copy.
pub fn load(ctx: &Context, split: Split) -> Result<Mnist, LessonError> {
    load_set(ctx, Dataset::Mnist, split)
}

/// The training or test split of `dataset`, as [`load`] does for MNIST.
pub fn load_set(ctx: &Context, dataset: Dataset, split: Split) -> Result<Mnist, LessonError> {
    Mnist::load_or_download(&ctx.data_root, dataset, split, dataset.mirrors())
        .map_err(LessonError::Mnist)
}

/// The images of `set` as `[N, 784]` rows of pixels / 255, the input of a fully connected
/// network.
pub fn flat_images(set: &Mnist) -> tensor::Tensor {
    let x = set.images();
    let n = x.dim(0);
    x.into_reshape(&[n, 784])
}

/// The first `n` images of `set`, in order (the whole set if it has no more): a recipe's
/// `train_images` or `test_images`, for a quicker run.
pub fn first(set: Mnist, n: usize) -> Mnist {
    if n >= set.len() {
        return set;
    }
    let indices: Vec<usize> = (0..n).collect();
    set.subset(&indices)
}
