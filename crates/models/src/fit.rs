//! One training loop for every lesson: epochs of steps, a record per epoch, and whoever
//! wants to watch.
//!
//! The lesson keeps the textbook step in its own code — forward, loss, `zero_grad`,
//! `backward`, `step` — as a closure that returns the step's loss. [`fit`] does the
//! bookkeeping around it, the same for every lesson:
//!
//! ```text
//! for epoch in 1..=epochs:
//!     for each batch of the epoch:   loss = step(batch)      (stop if not finite)
//!     train_loss = mean of the epoch's losses
//!     metrics    = evaluate(epoch)   (accuracies, validation and test numbers)
//!     record {epoch, train_loss, metrics…, seconds}; tell every observer
//! ```
//!
//! Observers ([`Observer`]) see every step and every epoch's record: the progress bar, and
//! anything else that wants to follow a run live, without knowing the loop. An observer may
//! also ask the loop to stop ([`Observer::should_stop`]): `fit` then returns the epochs
//! finished so far.
//!
//! A lesson that can be followed from outside (the studio's live page) takes a [`Watch`]
//! beside its [`Context`](crate::Context): [`following`] turns it into an observer of one
//! run, and the lesson hands it whatever else the watcher wants to draw (XOR's decision
//! regions, [`Regions`]). [`Unwatched`] is the watch of `cargo xtask lesson`: it sees
//! nothing and never stops, so the lesson's numbers are those of an unwatched run.

use std::time::Instant;

use crate::history::{EpochRecord, History};
use crate::report::{LessonError, check_finite};

/// Something that follows a training run: told of every step and of every finished epoch.
pub trait Observer {
    /// Step `step` (from 1) of epoch `epoch` (from 1) finished with loss `loss`.
    fn on_step(&mut self, epoch: usize, step: usize, loss: f32) {
        let _ = (epoch, step, loss);
    }

    /// An epoch finished with these numbers.
    fn on_epoch(&mut self, record: &EpochRecord) {
        let _ = record;
    }

    /// Whether training should stop now; asked before every step.
    fn should_stop(&self) -> bool {
        false
    }
}

/// Someone following a lesson from outside it, told of each epoch of each of its runs,
/// and able to stop it. Its methods take `&self` so that a lesson can hand it to the loop
/// and to its evaluation at once.
pub trait Watch {
    /// Epoch `record.epoch` of the run called `run` (`"H = 2"`, `"seed 42"`) finished.
    fn on_epoch(&self, run: &str, record: &EpochRecord) {
        let _ = (run, record);
    }

    /// Whether it wants the decision regions after epoch `epoch` (they cost a forward
    /// pass over a grid, so a lesson computes them only when asked).
    fn wants_regions(&self, epoch: usize) -> bool {
        let _ = epoch;
        false
    }

    /// The network's outputs over a grid of inputs, after an epoch of run `run`.
    fn on_regions(&self, run: &str, regions: &Regions<'_>) {
        let _ = (run, regions);
    }

    /// Whether the lesson should stop: training returns at the next step, and the lesson
    /// returns what it has measured so far.
    fn stop_requested(&self) -> bool {
        false
    }
}

/// A two-input network's output over a square grid, and the data it learns from.
#[derive(Clone, Copy, Debug)]
pub struct Regions<'a> {
    /// The epoch after which the outputs were computed.
    pub epoch: usize,
    /// Both inputs run over `[range.0, range.1]`.
    pub range: (f64, f64),
    /// Grid points along each axis.
    pub steps: usize,
    /// `steps × steps` outputs, row by row: row `r` has `x₂ = range.0 + r·Δ`, column `c`
    /// has `x₁ = range.0 + c·Δ`, `Δ = (range.1 − range.0) / (steps − 1)`.
    pub outputs: &'a [f32],
    /// The training points `(x₁, x₂, class)`.
    pub points: &'a [(f64, f64, usize)],
}

/// The watch of an unwatched run: sees nothing, never stops.
pub struct Unwatched;

impl Watch for Unwatched {}

/// An [`Observer`] that passes one run's epochs to a [`Watch`] and stops when it asks.
pub struct Following<'a> {
    watch: &'a dyn Watch,
    run: Option<&'a str>,
}

/// Follows the run called `run` for `watch`; with `run` `None`, only the stop request is
/// passed on (for runs the watcher is not shown, such as the lessons' extra seeds).
pub fn following<'a>(watch: &'a dyn Watch, run: Option<&'a str>) -> Following<'a> {
    Following { watch, run }
}

impl Observer for Following<'_> {
    fn on_epoch(&mut self, record: &EpochRecord) {
        if let Some(run) = self.run {
            self.watch.on_epoch(run, record);
        }
    }

    fn should_stop(&self) -> bool {
        self.watch.stop_requested()
    }
}

/// Trains for `epochs` epochs and returns the history of per-epoch numbers.
///
/// - `batches(epoch)` yields the batches of that epoch (shuffled or in order, as the lesson
///   decides; a full-batch lesson yields one);
/// - `step(batch)` makes one training step on a batch and returns its loss;
/// - `evaluate(epoch)` measures whatever the lesson reports after an epoch (accuracies,
///   validation and test numbers), with the training mode off.
///
/// The record of each epoch holds `train_loss` (the mean loss of its steps, summed in
/// `f64`), then the metrics of `evaluate`, and the epoch's seconds. A NaN or infinite loss
/// stops training with [`LessonError::NonFiniteLoss`], naming the epoch and the step.
/// When an observer asks to stop ([`Observer::should_stop`], asked before each step), the
/// epoch in progress is dropped and the history of the finished epochs returned.
pub fn fit<B, I>(
    epochs: usize,
    mut batches: impl FnMut(usize) -> I,
    mut step: impl FnMut(B) -> f32,
    mut evaluate: impl FnMut(usize) -> Vec<(&'static str, f64)>,
    observers: &mut [&mut dyn Observer],
) -> Result<History, LessonError>
where
    I: Iterator<Item = B>,
{
    let mut history = History::default();
    for epoch in 1..=epochs {
        let started = Instant::now();
        let (mut total, mut steps) = (0.0, 0);
        for (i, batch) in batches(epoch).enumerate() {
            if observers.iter().any(|o| o.should_stop()) {
                return Ok(history);
            }
            let loss = step(batch);
            check_finite(loss, epoch, i + 1)?;
            total += loss as f64;
            steps += 1;
            observers
                .iter_mut()
                .for_each(|o| o.on_step(epoch, i + 1, loss));
        }
        let mut metrics = vec![("train_loss".to_string(), total / steps.max(1) as f64)];
        metrics.extend(evaluate(epoch).into_iter().map(|(n, v)| (n.to_string(), v)));
        let record = EpochRecord {
            epoch,
            metrics,
            seconds: started.elapsed().as_secs_f64(),
        };
        observers.iter_mut().for_each(|o| o.on_epoch(&record));
        history.epochs.push(record);
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts what it is told.
    #[derive(Default)]
    struct Counter {
        steps: usize,
        epochs: Vec<usize>,
    }

    impl Observer for Counter {
        fn on_step(&mut self, _epoch: usize, _step: usize, _loss: f32) {
            self.steps += 1;
        }
        fn on_epoch(&mut self, record: &EpochRecord) {
            self.epochs.push(record.epoch);
        }
    }

    #[test]
    fn records_the_mean_step_loss_and_the_evaluation_per_epoch() {
        let mut counter = Counter::default();
        // Two epochs of three batches; the "loss" of batch b in epoch e is e + b.
        let history = fit(
            2,
            |e| (0..3).map(move |b| (e, b)),
            |(e, b)| (e + b) as f32,
            |e| vec![("test_accuracy", e as f64 / 10.0)],
            &mut [&mut counter],
        )
        .unwrap();
        assert_eq!(history.values("train_loss"), [2.0, 3.0]);
        assert_eq!(history.values("test_accuracy"), [0.1, 0.2]);
        assert_eq!((counter.steps, counter.epochs), (6, vec![1, 2]));
    }

    /// Asks to stop once it has seen `after` steps.
    struct StopAfter {
        after: usize,
        seen: usize,
    }

    impl Observer for StopAfter {
        fn on_step(&mut self, _epoch: usize, _step: usize, _loss: f32) {
            self.seen += 1;
        }
        fn should_stop(&self) -> bool {
            self.seen >= self.after
        }
    }

    #[test]
    fn a_stop_request_returns_the_finished_epochs() {
        // Epochs of three steps; the request comes after the fifth step, inside epoch 2,
        // which is dropped: one epoch is kept and no step runs after the request.
        let mut stopper = StopAfter { after: 5, seen: 0 };
        let mut steps = 0;
        let history = fit(
            4,
            |_| 0..3,
            |_| {
                steps += 1;
                1.0
            },
            |_| vec![],
            &mut [&mut stopper],
        )
        .unwrap();
        assert_eq!(history.values("train_loss"), [1.0]);
        assert_eq!(steps, 5);
    }

    #[test]
    fn a_non_finite_loss_stops_with_the_epoch_and_step() {
        let err = fit(
            3,
            |_| 0..4,
            |b| if b == 2 { f32::NAN } else { 1.0 },
            |_| vec![],
            &mut [],
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                LessonError::NonFiniteLoss {
                    epoch: 1,
                    step: 3,
                    ..
                }
            ),
            "{err}"
        );
    }
}
