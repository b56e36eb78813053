//! Loss functions: one number that says how wrong a batch of predictions is.
//!
//! Every loss here averages over the batch (PyTorch's default `reduction="mean"`), returns a
//! scalar [`Var`] to call `backward()` on, and takes its targets as a plain [`Tensor`]
//! (targets need no gradient). Which loss goes with which output layer:
//!
//! | output | loss |
//! | --- | --- |
//! | a number (regression) | [`mse`] |
//! | a probability from a sigmoid | [`bce`] |
//! | a raw score (logit) for "yes" | [`bce_with_logits`] (stable; preferred) |
//! | raw scores for `C` classes | [`cross_entropy`] (stable; preferred) |
//! | `C` probabilities from a softmax, one-hot targets | [`categorical_cross_entropy`] |
//! | `C` probabilities from a softmax, class indices | [`sparse_categorical_cross_entropy`] |
//!
//! A shape mismatch between prediction and target is a programmer error and panics naming
//! the loss and both shapes (PyTorch would broadcast `[N, 1]` against `[N]` into `[N, N]`
//! and silently compute the wrong loss).

use autograd::Var;
use tensor::Tensor;

mod bce;
mod cross_entropy;
mod mse;

pub use bce::{bce, bce_with_logits};
pub use cross_entropy::{
    KERAS_EPSILON, categorical_cross_entropy, cross_entropy, sparse_categorical_cross_entropy,
};
pub use mse::mse;

/// Panics unless the prediction and the target have the same shape.
fn assert_same_shape(loss: &str, prediction: &Var, target: &Tensor) {
    let p = prediction.shape();
    assert!(
        p == target.shape(),
        "{loss}: prediction shape {p:?} differs from target shape {:?}",
        target.shape()
    );
}
