//! # autograd — stage 2 of gradschool
//!
//! Reverse-mode automatic differentiation: how `loss.backward()` finds the gradient of a
//! loss with respect to every weight. Each op on a [`Var`] computes its value and records
//! how to send a gradient back to its inputs; [`Var::backward`] replays those records in
//! reverse order (the chain rule). Read `var.rs`, then `backward.rs`, then the ops in
//! `ops/`, then `gradcheck.rs`, which checks every op against finite differences.
//!
//! The micrograd story, `y = tanh(x·w + b)`:
//!
//! ```
//! use autograd::Var;
//! use tensor::Tensor;
//!
//! let x = Var::constant(Tensor::scalar(2.0));
//! let w = Var::param(Tensor::scalar(-0.5));
//! let b = Var::param(Tensor::scalar(0.5));
//! let y = x.mul(&w).add(&b).tanh(); // tanh(2·(−0.5) + 0.5) = tanh(−0.5)
//! y.backward();
//!
//! // dy/dw = (1 − tanh²(−0.5))·x, dy/db = 1 − tanh²(−0.5)
//! let d = 1.0 - (-0.5f32).tanh().powi(2);
//! println!("dy/dw = {}, dy/db = {}", w.grad().unwrap().item(), b.grad().unwrap().item());
//! assert!((w.grad().unwrap().item() - d * 2.0).abs() < 1e-6);
//! assert!((b.grad().unwrap().item() - d).abs() < 1e-6);
//! ```

mod backward;
pub mod gradcheck;
mod no_grad;
pub mod ops;
mod var;

pub use no_grad::no_grad;
pub use var::{BackwardFn, Var};
