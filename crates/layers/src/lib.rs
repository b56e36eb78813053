//! # layers — stage 3 of gradschool
//!
//! The building blocks of a network. A layer is anything that implements [`Module`]: a
//! `forward` that turns an input [`Var`](autograd::Var) into an output, and a visitor over its
//! named parameters. Everything else — counting parameters, zeroing gradients, saving,
//! loading, the optimizers in the next crate — goes through that visitor.
//!
//! Read in this order: `module.rs` (the trait and [`Mode`]), `init.rs` (how weights start),
//! `linear.rs`, `activation.rs`, `conv2d.rs`, `pool.rs`, `flatten.rs`, `dropout.rs`,
//! `batch_norm.rs`, `global_pool.rs`, `sequential.rs`, `residual.rs`, `summary.rs`, then
//! `checkpoint.rs` and `error.rs`. The transformer's pieces come last: `layer_norm.rs`,
//! `attention.rs`, `transformer.rs`, `patch_embed.rs`, `vision_transformer.rs`.
//!
//! The network of the first lessons, `ŷ = σ(W₂ tanh(W₁x + b₁) + b₂)`:
//!
//! ```
//! use autograd::Var;
//! use layers::{Linear, Mode, Module, Sequential, Sigmoid, Tanh};
//! use rand::{SeedableRng, rngs::StdRng};
//! use tensor::Tensor;
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let model = Sequential::new()
//!     .push(Linear::new(784, 256, &mut rng))
//!     .push(Tanh)
//!     .push(Linear::new(256, 1, &mut rng))
//!     .push(Sigmoid);
//! assert_eq!(model.num_params(), 784 * 256 + 256 + 256 + 1);
//!
//! let x = Var::constant(Tensor::zeros(&[32, 784])); // a batch of 32 images
//! let y_hat = model.forward(&x, Mode::Train);
//! assert_eq!(y_hat.shape(), vec![32, 1]);
//! ```

mod activation;
mod activation_name;
mod attention;
mod batch_norm;
mod checkpoint;
mod conv2d;
mod dropout;
mod error;
mod flatten;
mod global_pool;
pub mod init;
mod layer_norm;
mod linear;
mod module;
mod patch_embed;
mod pool;
mod residual;
mod sequential;
mod summary;
mod transformer;
mod vision_transformer;

pub use activation::{GELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh};
pub use activation_name::{Activation, UnknownActivation};
pub use attention::{MultiHeadAttention, attention_probabilities, scaled_dot_product_attention};
pub use batch_norm::BatchNorm2d;
pub use checkpoint::{load, read_metadata, read_tensors, save, save_with_metadata, write_tensors};
pub use conv2d::Conv2d;
pub use dropout::Dropout;
pub use error::LayerError;
pub use flatten::Flatten;
pub use global_pool::GlobalAvgPool2d;
pub use layer_norm::LayerNorm;
pub use linear::Linear;
pub use module::{Mode, Module};
pub use patch_embed::{ClassTokenPool, PatchEmbed, PosEmbed};
pub use pool::MaxPool2d;
pub use residual::{BasicBlock, BlockKind};
pub use sequential::Sequential;
pub use summary::{Summary, SummaryRow, summary, summary_of_layers};
pub use transformer::TransformerBlock;
pub use vision_transformer::{VisionTransformer, VitConfig};
