//! # optim — stage 4 of gradschool
//!
//! How a network learns: a **loss** measures how wrong its predictions are, `backward()`
//! gives the gradient of the loss for every parameter, and an **optimizer** moves each
//! parameter a little against its gradient. Every training loop in the course reads as the
//! example at the end of this page: forward, loss, `opt.zero_grad()`, `loss.backward()`,
//! `opt.step()`.
//!
//! Read `losses/` first (`mse.rs`, `bce.rs`, `cross_entropy.rs`), then `optimizer.rs` (the
//! trait), then the optimizers in the order the course meets them: `sgd.rs`, `rmsprop.rs`,
//! `adam.rs`, `adamw.rs`, and last `schedule.rs`, a learning rate that changes over a run. Each optimizer writes its update rule out element by element, as the
//! textbook gives it, and follows PyTorch's rule and defaults exactly.
//!
//! Linear regression by gradient descent, `ŷ = w·x`, fitting `y = 2x`:
//!
//! ```
//! use autograd::Var;
//! use optim::{Optimizer, Sgd, SgdConfig, mse};
//! use tensor::Tensor;
//!
//! let x = Var::constant(Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3, 1]).unwrap());
//! let y = Tensor::from_vec(vec![2.0, 4.0, 6.0], &[3, 1]).unwrap();
//! let w = Var::param(Tensor::zeros(&[1, 1]));
//! let mut opt = Sgd::new(vec![w.clone()], SgdConfig { lr: 0.1, ..SgdConfig::default() });
//! for _ in 0..50 {
//!     let y_hat = x.matmul(&w);
//!     let loss = mse(&y_hat, &y);
//!     opt.zero_grad();
//!     loss.backward();
//!     opt.step();
//! }
//! assert!((w.value().item() - 2.0).abs() < 1e-4);
//! ```

mod adam;
mod adamw;
mod error;
pub mod losses;
mod optimizer;
mod rmsprop;
mod schedule;
mod sgd;

pub use adam::{Adam, AdamConfig};
pub use adamw::{AdamW, AdamWConfig};
pub use error::OptimError;
pub use losses::{
    bce, bce_with_logits, categorical_cross_entropy, cross_entropy, mse,
    sparse_categorical_cross_entropy,
};
pub use optimizer::Optimizer;
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use schedule::WarmupCosine;
pub use sgd::{Sgd, SgdConfig};
