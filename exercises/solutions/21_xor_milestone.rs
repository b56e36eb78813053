//! # Milestone 21 — your own network solves XOR
//!
//! Lesson: [1 — Neurons and XOR](../docs/lessons/01-xor.md).
//!
//! Build a network for lesson 1's data and train it with your own loop, until every one of
//! the 100 noisy XOR points is classified right.
//!
//! - `build(rng)` returns the network: a `Sequential` of `Linear` layers and activations
//!   (`layers`), from 2 inputs to 1 output probability (end with a `Sigmoid`). Draw the
//!   weights from `rng`. One hidden layer is enough; lesson 1 shows why one hidden unit is
//!   not.
//! - `train(model, x, y, rng)` runs your loop over `x: [100, 2]`, `y: [100, 1]` (targets 0
//!   or 1), in the course's order: forward (`model.forward(&Var::constant(x), Mode::Train)`),
//!   the loss (`optim::bce`), zero the gradients, `backward()`, the optimizer's `step()`.
//!   `optim::Sgd` or `optim::Adam` over `model.parameters()`; `data::DataLoader` cuts
//!   mini-batches if you want them.
//!
//! # Shapes
//! `x: [100, 2]`, `y: [100, 1]`; the network maps `[N, 2]` to `[N, 1]` probabilities.
//!
//! # Graded by
//! The grader draws the data with seed 42 (`data::xor::xor`), calls `build` and `train` with
//! a generator seeded 1, predicts in `Mode::Eval`, thresholds at 0.5 and checks lesson 1's
//! bar: accuracy ≥ 100% (`models::registry::Bar`). Lesson 1's loop is in
//! `crates/models/src/lessons/xor.rs`.

use autograd::Var;
use layers::{Linear, Mode, Module, Sequential, Sigmoid, Tanh};
use optim::{Adam, AdamConfig, Optimizer, bce};
use rand::rngs::StdRng;
use tensor::Tensor;

/// The network: `[N, 2]` points to `[N, 1]` probabilities of class 1.
pub fn build(rng: &mut StdRng) -> Sequential {
    // BEGIN SOLUTION
    Sequential::new()
        .push(Linear::new(2, 4, rng))
        .push(Tanh)
        .push(Linear::new(4, 1, rng))
        .push(Sigmoid)
    // END SOLUTION
}

/// Trains `model` on the XOR points `x: [100, 2]` with targets `y: [100, 1]`.
pub fn train(model: &Sequential, x: &Tensor, y: &Tensor, rng: &mut StdRng) {
    // BEGIN SOLUTION
    let _ = rng; // full-batch training: nothing to shuffle
    let config = AdamConfig {
        lr: 0.05,
        ..AdamConfig::default()
    };
    let mut opt = Adam::new(model.parameters(), config);
    let x = Var::constant(x.clone());
    for _epoch in 0..500 {
        let y_hat = model.forward(&x, Mode::Train);
        let loss = bce(&y_hat, y);
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    // END SOLUTION
}
