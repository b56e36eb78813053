//! Running a trained network on data without training it: evaluation mode (dropout off)
//! and no graph recorded, in batches so large test sets fit in memory.

use autograd::{Var, no_grad};
use layers::{Mode, Module};
use tensor::Tensor;

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
