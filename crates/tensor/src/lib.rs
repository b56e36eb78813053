//! # tensor — stage 1 of gradschool
//!
//! An n-dimensional array of `f32`: a flat `Vec<f32>` in row-major order and a shape. On top
//! of it, everything a neural network computes: element-wise functions, arithmetic with
//! NumPy broadcasting, reductions, matrix products (backed by a real GEMM), and the
//! `im2col` and pooling kernels behind convolutional networks.
//!
//! Read the files in this order: [`tensor`](crate::Tensor) (storage and constructors),
//! `shape` (strides and broadcasting), `unary` (with [`erf`] behind GELU), `binary`,
//! `reduce`, `softmax`, `layout`, `matmul`, `window`, `im2col`, `conv`, `pool`,
//! `batch_norm`, `layer_norm`, `random`, `display`, `interop`. Each opens with the
//! plain code that defines its ops. Last, and only when speed matters,
//! [`kernels`]: the fast paths those ops hand over to, each proven equal to its plain
//! version by the tests.
//!
//! Shape mistakes are programmer errors: they panic with a message naming the op and
//! both shapes, as PyTorch raises. Only building a tensor from outside data
//! ([`Tensor::from_vec`]) returns a `Result`.
//!
//! ```
//! use tensor::Tensor;
//! // A batch of two inputs with three features, and a bias broadcast over the batch.
//! let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap();
//! let w = Tensor::ones(&[3, 1]);
//! let b = Tensor::from_vec(vec![0.5], &[1]).unwrap();
//! let z = x.matmul(&w).add(&b);
//! assert_eq!(z.data(), &[6.5, 15.5]);
//! ```

pub mod batch_norm;
mod binary;
pub mod conv;
mod display;
pub mod erf;
mod error;
pub mod im2col;
mod interop;
pub mod kernels;
pub mod layer_norm;
mod layout;
pub mod matmul;
pub mod pool;
mod random;
mod reduce;
pub mod shape;
pub mod softmax;
mod tensor;
mod unary;
pub mod window;

pub use binary::{broadcast_zip, broadcast_zip_naive};
pub use error::TensorError;
pub use matmul::Transpose;
pub use tensor::Tensor;
pub use unary::{gelu, sigmoid};
pub use window::{Geometry, Padding, Window2d};
