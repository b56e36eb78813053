//! Every differentiable op, one file per family. In each, an op computes its value and,
//! a few lines below, records its backward rule; the doc comment states the derivative.
//!
//! Each op is checked against finite differences in `tests/gradcheck_ops.rs`.

mod activation;
mod arith;
mod batch_norm;
mod conv;
mod dropout;
mod layer_norm;
mod matmul;
mod pool;
mod reduce;
mod shape;
mod unary;

pub use activation::softmax;
