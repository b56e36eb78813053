//! What a lesson is told when it starts: its seed, where the data is, where to write, which
//! schedule to train on, and the changes to its recipe from the command line.

use std::path::PathBuf;

use crate::recipe::{self, LessonRecipe, Schedule};

/// The settings of one lesson run.
#[derive(Clone, Debug)]
pub struct Context {
    /// Seeds every random number generator of the lesson; the lesson's default reproduces the README.
    pub seed: u64,
    /// The data root holding `mnist/` (see `data::data_root`).
    pub data_root: PathBuf,
    /// The lesson's output folder, `target/lessons/NN-name/` unless `--out` says otherwise.
    pub out_dir: PathBuf,
    /// Full or quick.
    pub schedule: Schedule,
    /// Changes to the course's recipe, `(flag, value)` as given on the command line
    /// (`("--lr", "0.01")`); [`crate::run_lesson`] checks them before the lesson starts.
    pub overrides: Vec<(String, String)>,
}

impl Context {
    /// The path of an output file of this lesson.
    pub fn out(&self, file: &str) -> PathBuf {
        self.out_dir.join(file)
    }

    /// The lesson's recipe for this run: the course's for the schedule, with the overrides.
    ///
    /// # Panics
    /// If an override does not fit the recipe; [`crate::run_lesson`] has checked them.
    pub fn recipe<R: LessonRecipe>(&self) -> R {
        let mut r = R::course(self.schedule);
        recipe::apply(&mut r, &self.overrides)
            .unwrap_or_else(|e| panic!("the overrides were checked before the lesson: {e}"));
        r
    }
}

/// The seed most lessons use unless told otherwise (see each lesson's `seed` in the registry).
pub const DEFAULT_SEED: u64 = 42;
