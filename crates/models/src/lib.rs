//! # models — stage 6 of gradschool: the course
//!
//! The lessons' networks and the lessons themselves. Each lesson in [`lessons`](mod@lessons) is a small
//! program: load data, build a network, train it with a loop that reads like the course
//! (forward, loss, zero grads, backward, step), measure, draw, and report. [`registry`]
//! holds every lesson's number, name and accuracy bars in one place; `cargo xtask lesson N`,
//! the integration tests and the README table all read it, through [`run_lesson`].

pub mod alloc;
pub mod context;
pub mod eval;
pub mod lessons;
pub mod metrics;
pub mod mnist;
pub mod networks;
pub mod own_images;
pub mod pictures;
pub mod plot;
pub mod progress;
pub mod registry;
pub mod report;

pub use context::{Context, DEFAULT_SEED, Schedule};
pub use registry::{Lesson, lesson, lessons};
pub use report::{LessonError, Outcome, Summary};

use std::time::Instant;

/// Runs `lesson` in `ctx`, checks its bars for the schedule, writes `summary.json` and
/// returns the summary (whose [`Summary::passed`] says whether every bar was met).
pub fn run_lesson(lesson: &Lesson, ctx: &Context) -> Result<Summary, LessonError> {
    std::fs::create_dir_all(&ctx.out_dir)
        .map_err(|e| LessonError::Output(format!("{}: {e}", ctx.out_dir.display())))?;
    let started = Instant::now();
    let outcome = (lesson.run)(ctx)?;
    let wall = started.elapsed().as_secs_f64();
    Summary::new(
        lesson,
        lesson.bars_for(ctx.schedule),
        outcome,
        wall,
        &ctx.out_dir,
    )
}
