//! # Milestone 22 — your own CNN reaches 98% on MNIST, quickly
//!
//! Lesson: [6 — A first CNN](../docs/lessons/06-first-cnn.md).
//!
//! Build a convolutional network and train it with your own loop on the 60,000 MNIST
//! training images, until it classifies at least 98% of the 10,000 test images right, on a
//! quick schedule (aim for well under a minute of training).
//!
//! - `build(rng)` returns the network: a `Sequential` from `[N, 1, 28, 28]` images to
//!   `[N, 10]` logits (no softmax at the end: `optim::cross_entropy` takes logits). `Conv2d`,
//!   `ReLU`, `MaxPool2d`, `Flatten` and `Linear` (`layers`) are the pieces; draw the weights
//!   from `rng`.
//! - `train(model, x, y, rng)` runs your loop over shuffled mini-batches of `x` (pixels in
//!   `[0, 1]`) and `y` (the digits, as `f32`): forward in `Mode::Train`, the loss, zero the
//!   gradients, `backward()`, the optimizer's `step()`. `data::DataLoader::new(x, y, batch)`
//!   and its `shuffled(rng)` give the batches.
//!
//! Lesson 6's network (one 3×3 convolution of 32 filters, 2×2 max pooling, 128 hidden
//! units) with SGD and momentum needs ten epochs for 98.3%; a smaller network of two
//! convolution blocks trained with Adam gets past 98% in two (about 20 s on two cores).
//!
//! # Shapes
//! `x: [60000, 1, 28, 28]`, `y: [60000]`; the network maps `[N, 1, 28, 28]` to `[N, 10]`.
//!
//! # Graded by
//! The grader loads MNIST from the data folder (`GRADSCHOOL_DATA`, else the per-user cache;
//! downloaded if missing), calls `build` and `train` with a generator seeded 1, predicts the
//! test images in `Mode::Eval` and checks the bar: test accuracy ≥ 98%
//! (`models::registry::Bar`). Lesson 6's loop is in
//! `crates/models/src/lessons/first_cnn.rs`.

use autograd::Var;
use data::DataLoader;
use layers::{Conv2d, Flatten, Linear, MaxPool2d, Mode, Module, ReLU, Sequential};
use optim::{Adam, AdamConfig, Optimizer, cross_entropy};
use rand::rngs::StdRng;
use tensor::{Padding, Tensor, Window2d};

/// The network: `[N, 1, 28, 28]` images to `[N, 10]` logits.
pub fn build(rng: &mut StdRng) -> Sequential {
    // BEGIN SOLUTION
    // 28×28 → conv 8 → pool → 14×14 → conv 16 → pool → 7×7 → 16·7·7 = 784 → 64 → 10.
    let pad = Padding::Explicit(1, 1);
    Sequential::new()
        .push(Conv2d::new(1, 8, 3, 1, pad, rng))
        .push(ReLU)
        .push(MaxPool2d::new(Window2d::square(2, 2, 0)))
        .push(Conv2d::new(8, 16, 3, 1, pad, rng))
        .push(ReLU)
        .push(MaxPool2d::new(Window2d::square(2, 2, 0)))
        .push(Flatten)
        .push(Linear::new(16 * 7 * 7, 64, rng))
        .push(ReLU)
        .push(Linear::new(64, 10, rng))
    // END SOLUTION
}

/// Trains `model` on the MNIST training images `x: [60000, 1, 28, 28]` with digits `y`.
pub fn train(model: &Sequential, x: &Tensor, y: &Tensor, rng: &mut StdRng) {
    // BEGIN SOLUTION
    // Two epochs of batches of 64, the second at half the learning rate (a fresh Adam).
    let loader = DataLoader::new(x, y, 64);
    for lr in [0.002, 0.001] {
        let config = AdamConfig {
            lr,
            ..AdamConfig::default()
        };
        let mut opt = Adam::new(model.parameters(), config);
        for (x_b, y_b) in loader.shuffled(rng) {
            let logits = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = cross_entropy(&logits, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
    }
    // END SOLUTION
}
