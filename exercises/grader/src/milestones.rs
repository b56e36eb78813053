//! Checks of the milestones: the learner's own network and training loop, graded as a lesson
//! is, by an accuracy bar ([`Bar`], the type of the lessons' bars in
//! `crates/models/src/registry.rs`).
//!
//! The grader draws the data and seeds the generator it hands over; the learner's `build`
//! makes the network and `train` runs the loop (forward, loss, zero grads, backward, step).
//! The grader then measures accuracy in evaluation mode and checks the bar.

use std::time::Instant;

use data::{Dataset, Mnist, Split};
use layers::Sequential;
use models::eval::{predict, threshold};
use models::metrics::{accuracy, classes};
use models::registry::Bar;
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::guard::run;
use crate::{Outcome, steps};

/// A milestone's `build`: the learner's network, its weights drawn from `rng`.
pub type Build = fn(&mut StdRng) -> Sequential;

/// A milestone's `train`: the learner's loop over `(x, y)`, shuffling with `rng`.
pub type Train = fn(&Sequential, &Tensor, &Tensor, &mut StdRng);

/// Lesson 1's bar for a network with a hidden layer: every one of the 100 points right.
pub const XOR_BAR: Bar = Bar::at_least("accuracy", 1.0);

/// The MNIST milestone's bar, on the 10,000 test images. Lesson 6's full ten-epoch
/// schedule must reach 98.3%; the milestone's quick schedule, 98%.
pub const MNIST_BAR: Bar = Bar::at_least("test_accuracy", 0.98);

/// `Ok` with a line if `value` meets `bar`, else a failure with `advice`.
pub(crate) fn meets(bar: &Bar, value: f64, seconds: f64, advice: &str) -> Result<String, Outcome> {
    let line = format!(
        "{} = {:.2}% (bar {:.2}%), trained in {seconds:.1} s",
        bar.metric,
        100.0 * value,
        100.0 * bar.threshold
    );
    if bar.passes(value) {
        Ok(line)
    } else {
        Err(Outcome::Failing(format!(
            "{line}: below the bar.\n{advice}"
        )))
    }
}

/// Builds and trains the learner's network on `(x, y)`; returns it and the training time.
fn build_and_train(
    build: Build,
    train: Train,
    x: &Tensor,
    y: &Tensor,
) -> Result<(Sequential, f64), Outcome> {
    let mut rng = StdRng::seed_from_u64(1);
    let model = run("calling your build", || build(&mut rng))?;
    let started = Instant::now();
    run("calling your train", || train(&model, x, y, &mut rng))?;
    Ok((model, started.elapsed().as_secs_f64()))
}

/// The network's outputs for `x` in evaluation mode, checked to be `[N, width]`.
pub(crate) fn outputs(model: &Sequential, x: &Tensor, width: usize) -> Result<Tensor, Outcome> {
    let out = run("running your network on the data", || {
        predict(model, x, 1000)
    })?;
    let want = [x.dim(0), width];
    if out.shape() != want {
        return Err(Outcome::Failing(format!(
            "your network's output has shape {:?}; for this data it must be {want:?}",
            out.shape()
        )));
    }
    Ok(out)
}

/// Milestone 21: lesson 1's 100 noisy XOR points (seed 42), every one right.
pub fn xor_milestone(build: Build, train: Train) -> Outcome {
    steps(|| {
        let (x, y) = data::xor::xor(100, &mut StdRng::seed_from_u64(42));
        let (model, seconds) = build_and_train(build, train, &x, &y)?;
        let p = outputs(&model, &x, 1)?;
        let value = accuracy(&threshold(&p), &classes(&y));
        let advice = "A network stuck at 75% or 50% has its hidden units on the same side of a \
                      corner: try more hidden units (lesson 1: H = 3 gets stuck less often), \
                      more epochs, or another learning rate.";
        Ok(vec![meets(&XOR_BAR, value, seconds, advice)?])
    })
}

/// A split of MNIST or Fashion-MNIST, from the data root (`GRADSCHOOL_DATA`, else the
/// per-user cache), downloading it first if it is missing.
pub(crate) fn load(dataset: Dataset, split: Split) -> Result<Mnist, Outcome> {
    let root = data::data_root(None);
    Mnist::load_or_download(&root, dataset, split, dataset.mirrors()).map_err(|e| {
        Outcome::Failing(format!(
            "{} could not be loaded: {e}\n(set GRADSCHOOL_DATA to a folder holding {}/, or run \
             `cargo xtask data` with a network connection)",
            dataset.title(),
            dataset.dir_name()
        ))
    })
}

/// Milestone 22: trained on the 60,000 training images (pixels in `[0, 1]`,
/// `[60000, 1, 28, 28]`), at least 98% right on the 10,000 test images.
pub fn mnist_milestone(build: Build, train: Train) -> Outcome {
    steps(|| {
        let (train_set, test_set) = (
            load(Dataset::Mnist, Split::Train)?,
            load(Dataset::Mnist, Split::Test)?,
        );
        let (x, y) = (train_set.images(), train_set.labels_tensor());
        let (model, seconds) = build_and_train(build, train, &x, &y)?;
        let logits = outputs(&model, &test_set.images(), 10)?;
        let value = accuracy(&logits.argmax_rows(), &classes(&test_set.labels_tensor()));
        let advice = "Lesson 6's recipe reaches 98.3% in ten epochs; for a quick schedule, try \
                      two convolution blocks (conv, ReLU, 2×2 max pool) and Adam for one or two \
                      epochs of shuffled mini-batches.";
        Ok(vec![meets(&MNIST_BAR, value, seconds, advice)?])
    })
}
