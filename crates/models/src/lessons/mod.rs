//! The lessons, one file each, in course order. Each `run` trains, measures, draws, and
//! returns its metrics; [`crate::run_lesson`] checks the bars and writes `summary.json`.

pub mod deep_cnn;
pub mod first_cnn;
pub mod iris;
pub mod mnist_1v7;
pub mod mnist_mlp;
pub mod regression;
pub mod resnet;
pub mod vit;
pub mod xor;
