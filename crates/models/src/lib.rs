//! # models — stage 6 of gradschool: the course
//!
//! The lessons' networks and the lessons themselves. Each lesson in [`lessons`](mod@lessons) is a small
//! program: load data, build a network, train it with a loop that reads like the course
//! (forward, loss, zero grads, backward, step), measure, draw, and report. [`registry`]
//! holds every lesson's number, name and accuracy bars in one place; `cargo xtask lesson N`,
//! the integration tests and the README table all read it, through [`run_lesson`].
//!
//! The modules, each using only those before it: `recipe` (a lesson's settings as data),
//! `choices` (the named ones: optimizer, initialisation) and `context` (what a lesson is
//! told), `plot` and `pictures` (drawing), `history` (the numbers of each epoch), `report`
//! (what a lesson returns, or why it stopped), `fit` (the one training loop) and `progress`
//! (what it shows), `metrics`, `eval`, `mnist`, `networks`, `attention` (reading a vision
//! transformer's attention), `digit_model` (saved networks, by the name and sizes in their
//! files), `own_images` and `world_digits` (the lessons' tools), `lessons`, then
//! `registry` (the list of lessons and their bars) and `summary` (the bars checked,
//! `summary.json`).

pub mod attention;
pub mod choices;
pub mod context;
pub mod digit_model;
pub mod eval;
pub mod fit;
pub mod history;
pub mod lessons;
pub mod metrics;
pub mod mnist;
pub mod networks;
pub mod own_images;
pub mod pictures;
pub mod plot;
pub mod progress;
pub mod recipe;
pub mod registry;
pub mod report;
pub mod summary;
pub mod world_digits;

pub use context::{Context, DEFAULT_SEED};
pub use recipe::Schedule;
pub use registry::{Lesson, lesson, lessons};
pub use report::{LessonError, Outcome, OutputError};
pub use summary::{RunRecipe, Summary};

use std::time::Instant;

/// Runs `lesson` in `ctx`: checks the recipe's overrides (before anything is written),
/// prints the recipe, trains, writes `history.json`, checks the bars for the schedule (none
/// if the recipe was changed) and writes `summary.json`. The summary's [`Summary::passed`]
/// says whether every bar was met.
pub fn run_lesson(lesson: &Lesson, ctx: &Context) -> Result<Summary, LessonError> {
    run_lesson_with(lesson, ctx, lesson.run)
}

/// [`run_lesson`] with `train` in place of the lesson's own [`Lesson::run`]: the studio
/// passes the lesson's watched entry point, so that a run started in the browser writes
/// the same `history.json` and `summary.json` as one from the command line.
pub fn run_lesson_with(
    lesson: &Lesson,
    ctx: &Context,
    train: impl FnOnce(&Context) -> Result<Outcome, LessonError>,
) -> Result<Summary, LessonError> {
    let mut course = (lesson.recipe)(ctx.schedule);
    let mut run = (lesson.recipe)(ctx.schedule);
    recipe::apply(&mut *run, &ctx.overrides).map_err(LessonError::Recipe)?;
    let changes = recipe::changes(&mut *course, &mut *run);
    let entries: Vec<String> = recipe::entries(&mut *run)
        .iter()
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
    println!("recipe: {}", entries.join(", "));
    for (name, was, now) in &changes {
        println!("  changed from the course's: {name} {was} → {now}");
    }
    std::fs::create_dir_all(&ctx.out_dir).map_err(|source| OutputError::Folder {
        path: ctx.out_dir.clone(),
        source,
    })?;
    let started = Instant::now();
    let mut outcome = train(ctx)?;
    let wall = started.elapsed().as_secs_f64();
    let recipe_json = recipe::to_json(&mut *run);
    if !outcome.history.epochs.is_empty() {
        let path = ctx.out("history.json");
        outcome
            .history
            .write(&path, lesson.number, ctx.seed, recipe_json.clone())
            .map_err(OutputError::File)?;
        outcome.files.push(path);
    }
    let run_recipe = RunRecipe {
        seed: ctx.seed,
        recipe: recipe_json,
        changes,
    };
    Summary::new(
        lesson,
        lesson.bars_for(ctx.schedule),
        run_recipe,
        outcome,
        wall,
        &ctx.out_dir,
    )
}
