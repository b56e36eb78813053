//! # The fast paths — skip this module on first reading
//!
//! Every op of this crate is written first as the plain code a learner reads: a loop over
//! the elements, a triple loop for a matrix product, six nested loops for a convolution.
//! Where that is too slow to train a network on two cores in minutes, the op hands over, in
//! a line or two, to a kernel here that computes the same numbers faster.
//!
//! | kernel | the plain version it equals | what makes it fast |
//! | --- | --- | --- |
//! | [`parallel`] | [`Tensor::map`](crate::Tensor::map)'s loop, [`broadcast_zip_naive`](crate::broadcast_zip_naive) | both cores, in chunks fixed by the length |
//! | [`batch_norm`](mod@batch_norm) | [`batch_norm`](crate::batch_norm)'s `_naive` loops | channels (sums) and planes (element-wise passes) on both cores, sums in eight vector lanes |
//! | [`gelu`](mod@gelu) | [`gelu`](crate::gelu) and the `f64` [`normal_cdf`](crate::erf::normal_cdf) | `e^x` as Cephes' `expf` without branches, 8 lanes (AVX2) or 4, both cores |
//! | [`permute`](mod@permute) | [`Tensor::permute_naive`](crate::Tensor::permute_naive) | runs of the axes that stay in place copied whole, both cores |
//! | [`softmax`](mod@softmax) | [`Tensor::softmax_naive`](crate::Tensor::softmax_naive), [`softmax_backward_naive`](crate::softmax::softmax_backward_naive) | the last axis line by line on both cores, exponentials by [`exp`](mod@exp) several at a time |
//! | [`gemm`](mod@gemm) | [`matmul_naive`](crate::matmul::matmul_naive) | the `gemm` crate's blocked SIMD kernel (an `unsafe` call) |
//! | [`im2col`](mod@im2col) | [`im2col_naive`](crate::im2col::im2col_naive), [`col2im_naive`](crate::im2col::col2im_naive) | one bounds test per line instead of per entry |
//! | [`conv`] | [`conv2d_naive`](crate::conv::conv2d_naive) | picks one of the three below; `im2col` + one wide GEMM per chunk of images, chunks on both cores |
//! | [`conv_rows`] | [`conv2d_naive`](crate::conv::conv2d_naive) | channels-last windows copied in long runs, one GEMM with a long inner dimension for each of the three products |
//! | [`conv_direct`] | [`conv_rows`] | an AVX2 + FMA micro-kernel reading the windows in place, nothing materialised (chosen at run time) |
//! | [`pool`] | [`max_pool2d_naive`](crate::pool::max_pool2d_naive) | windows clipped once, branch-free running maximum, planes on both cores |
//! | [`tanh`](mod@tanh) | [`f32::tanh`] | a Cephes polynomial, within 2 ulp |
//!
//! Each kernel equals its reference: the unit tests beside each kernel and the properties in
//! `tests/properties.rs` check them on random shapes and values (exactly where both add in
//! the same order, to a stated tolerance where a GEMM reorders a sum).
//!
//! One invariant holds for every kernel: **the result does not depend on the number of
//! threads**. Work is cut into chunks fixed by the shapes, never by the thread count (for the
//! convolutions, by the one rule in [`chunks`]), and partial sums are added in chunk order;
//! so a seed gives the same bits on one core or two (`crates/models/tests/reproducibility.rs`
//! checks it end to end). This module is the only place in the workspace that uses rayon,
//! and with `alloc_tuning` the only one with `unsafe` (tidy tests check both).
//!
//! **What the CPU has is asked at run time**, never assumed at build time: the `gemm` crate
//! picks its AVX-512, AVX2+FMA or portable micro-kernel itself, and [`conv::forward`] takes
//! [`conv_direct`] only where `is_x86_feature_detected!` finds AVX2 and FMA, [`conv_rows`]
//! otherwise. The other kernels are plain Rust compiled for the baseline target. On one
//! machine every path it can run is checked against the plain version by the properties
//! in `tests/properties.rs`.

pub mod batch_norm;
pub mod chunks;
pub mod conv;
pub mod conv_direct;
pub mod conv_rows;
pub mod exp;
pub mod gelu;
pub mod gemm;
pub mod im2col;
pub mod parallel;
pub mod permute;
pub mod pool;
pub mod softmax;
pub mod tanh;
