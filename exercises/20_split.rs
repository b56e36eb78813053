//! # Exercise 20 — a seeded 70/15/15 split
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 3.
//!
//! A data set of `n` rows is cut into a training set (to fit the weights), a validation set
//! (to choose hyperparameters) and a test set (looked at once, at the end). The rows are
//! shuffled first, so that each part is a fair sample, with a generator the caller seeds, so
//! that the same seed gives the same split:
//!
//! ```text
//! valid = test = round(0.15·n) rows       train = the rest (about 70%)
//! n = 150 → 104 / 23 / 23        n = 20 → 14 / 3 / 3        n = 1 → 1 / 0 / 0
//! ```
//!
//! Write `train_valid_test(n, rng)`: the three lists of row indices. With `rand`'s
//! `SliceRandom` in scope, `indices.shuffle(rng)` shuffles a `Vec`; `Vec::split_off` cuts it.
//!
//! # Shapes
//! `n` → three index lists of `0..n`, disjoint, together holding every index once.
//!
//! # Graded by
//! The sizes of the course's `train_valid_test` (`crates/data/src/split.rs`) for several
//! `n`, disjoint parts covering `0..n`, one split per seed and another for another seed,
//! a shuffle, and over 400 seeds each row about as likely as any other to land in the test
//! set.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// `(train, valid, test)`: the indices `0..n` shuffled with `rng` and cut 70/15/15.
pub fn train_valid_test(n: usize, rng: &mut StdRng) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    todo!()
}
