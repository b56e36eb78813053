//! # tensor — stage 1 of gradschool
//!
//! An n-dimensional array of `f32`: a flat `Vec<f32>` in row-major order and a shape. On top
//! of it, everything a neural network computes: element-wise functions, arithmetic with
//! NumPy broadcasting, reductions, matrix products (backed by a real GEMM), and the
//! `im2col` and pooling kernels behind convolutional networks.
//!
//! Read the files in this order: [`tensor`](crate::Tensor) (storage and constructors),
//! `shape` (strides and broadcasting), `unary`, `binary`, `parallel`, `reduce`, `layout`,
//! `matmul`, `window`, `im2col`, `conv`, `pool`, `random`, `display`, `interop`.
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

mod binary;
pub mod conv;
mod display;
mod error;
mod im2col;
mod interop;
mod layout;
pub mod matmul;
pub mod parallel;
pub mod pool;
mod random;
mod reduce;
pub mod shape;
mod tensor;
mod unary;
pub mod window;

pub use binary::{broadcast_zip, par_broadcast_zip};
pub use error::TensorError;
pub use matmul::Transpose;
pub use tensor::Tensor;
pub use unary::{sigmoid, tanh};
pub use window::{Geometry, Padding, Window2d};
