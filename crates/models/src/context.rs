//! What a lesson is told when it starts: its seed, where the data is, where to write, and
//! which schedule to train on.

use std::path::PathBuf;

/// How long to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// The course's full recipe (`cargo xtask lesson N`).
    Full,
    /// A shorter recipe for the test suite, with bars measured for that recipe; lessons
    /// that are fast enough use their full recipe here too.
    Quick,
}

/// The settings of one lesson run.
#[derive(Clone, Debug)]
pub struct Context {
    /// Seeds every random number generator of the lesson; the lesson's default reproduces the README.
    pub seed: u64,
    /// The data root holding `mnist/` (see `data::data_root`).
    pub data_root: PathBuf,
    /// The lesson's output folder, `target/lessons/NN-name/`.
    pub out_dir: PathBuf,
    /// Full or quick.
    pub schedule: Schedule,
    /// Overrides the number of epochs, where the lesson has epochs.
    pub epochs: Option<usize>,
}

impl Context {
    /// The path of an output file of this lesson.
    pub fn out(&self, file: &str) -> PathBuf {
        self.out_dir.join(file)
    }
}

/// The seed most lessons use unless told otherwise (see each lesson's `seed` in the registry).
pub const DEFAULT_SEED: u64 = 42;
