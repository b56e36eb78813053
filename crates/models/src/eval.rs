//! Running a trained network on data without training it: evaluation mode (dropout off)
//! and no graph recorded, in batches so large test sets fit in memory.

use autograd::{Var, no_grad};
use layers::{Mode, Module};
use tensor::Tensor;

use crate::metrics::{accuracy, classes};

/// The model's outputs for every row of `x`, computed `batch` rows at a time in
/// [`Mode::Eval`] without recording a graph.
///
/// # Shapes
/// `x: [N, ...] → [N, outputs...]`.
pub fn predict(model: &dyn Module, x: &Tensor, batch: usize) -> Tensor {
    let params = model.parameters();
    let n = x.dim(0);
    let outputs: Vec<Tensor> = (0..n)
        .step_by(batch.max(1))
        .map(|start| {
            let len = batch.min(n - start);
            let xb = Var::constant(x.narrow(0, start, len));
            no_grad(&params, || model.forward(&xb, Mode::Eval))
                .value()
                .clone()
        })
        .collect();
    Tensor::concat(&outputs.iter().collect::<Vec<_>>(), 0)
}

/// Class predictions of a binary classifier with one sigmoid output: 1 where `p ≥ 0.5`.
pub fn threshold(p: &Tensor) -> Vec<usize> {
    p.data().iter().map(|&v| usize::from(v >= 0.5)).collect()
}

/// Keras' `evaluate` for a classifier that outputs logits: the mean cross-entropy over
/// `(x, y)` and the fraction of rows whose largest logit is the true class, from one pass
/// of `batch` rows at a time.
///
/// # Shapes
/// `x: [N, ...]`, `y: [N]` class indices → `(loss, accuracy)`.
pub fn evaluate_logits(model: &dyn Module, x: &Tensor, y: &Tensor, batch: usize) -> (f64, f64) {
    let logits = predict(model, x, batch);
    let loss = optim::cross_entropy(&Var::constant(logits.clone()), y).item();
    (loss as f64, accuracy(&logits.argmax_rows(), &classes(y)))
}

/// Keras' `evaluate` for a classifier that ends in a softmax: the mean negative
/// log-probability of the true class and the accuracy.
///
/// # Shapes
/// `x: [N, ...]`, `y: [N]` class indices → `(loss, accuracy)`.
pub fn evaluate_probabilities(
    model: &dyn Module,
    x: &Tensor,
    y: &Tensor,
    batch: usize,
) -> (f64, f64) {
    let p = predict(model, x, batch);
    let loss = optim::sparse_categorical_cross_entropy(&Var::constant(p.clone()), y).item();
    (loss as f64, accuracy(&p.argmax_rows(), &classes(y)))
}
