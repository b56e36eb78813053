//! What a student watches while a network trains: a progress bar on a terminal, and one
//! line per epoch when the output is a log file or a test.

use std::io::IsTerminal;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::fit::Observer;
use crate::history::EpochRecord;

/// Reports training progress, step by step and epoch by epoch.
pub struct Progress {
    bar: Option<ProgressBar>,
    epochs: usize,
    every: usize,
    started: Instant,
    epoch_started: Instant,
}

impl Progress {
    /// Starts reporting a run of `epochs` epochs of `steps` steps each, under `title`.
    /// Draws a bar only if standard error is a terminal.
    pub fn new(title: &str, epochs: usize, steps: usize) -> Progress {
        println!("{title}");
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new((epochs * steps) as u64);
            let style = ProgressStyle::with_template(
                "  [{elapsed_precise}] {bar:36.cyan/blue} {pos}/{len} steps  {msg}",
            )
            .expect("a valid template")
            .progress_chars("█▉▊▋▌▍▎▏ ");
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            epochs,
            every: 1,
            started: Instant::now(),
            epoch_started: Instant::now(),
        }
    }

    /// Prints only every `n`-th epoch's line (and the last), for runs of hundreds of epochs.
    pub fn every(self, n: usize) -> Progress {
        Progress {
            every: n.max(1),
            ..self
        }
    }

    /// One training step finished with loss `loss`.
    pub fn step(&self, loss: f32) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(format!("loss {loss:.4}"));
        }
    }

    /// Epoch `epoch` (from 1) finished; `metrics` are printed on its line.
    pub fn epoch(&mut self, epoch: usize, metrics: &[(&str, f64)]) {
        let text: Vec<String> = metrics.iter().map(|(n, v)| format!("{n} {v:.4}")).collect();
        let line = format!(
            "  epoch {epoch:>3}/{}  {}  ({:.1} s)",
            self.epochs,
            text.join("  "),
            self.epoch_started.elapsed().as_secs_f64()
        );
        match &self.bar {
            Some(bar) => bar.println(line),
            None => println!("{line}"),
        }
        self.epoch_started = Instant::now();
    }

    /// Epoch `epoch` finished: its line is printed if it is one of every `n`-th or the last.
    fn epoch_record(&mut self, record: &EpochRecord) {
        if record.epoch.is_multiple_of(self.every) || record.epoch == self.epochs {
            let metrics: Vec<(&str, f64)> = record
                .metrics
                .iter()
                .map(|(n, v)| (n.as_str(), *v))
                .collect();
            self.epoch(record.epoch, &metrics);
        }
    }

    /// Training finished; returns its wall-clock seconds.
    pub fn finish(self) -> f64 {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        self.started.elapsed().as_secs_f64()
    }
}

/// The progress bar follows a [`fit`](crate::fit::fit) run: a tick per step, a line per epoch.
impl Observer for Progress {
    fn on_step(&mut self, _epoch: usize, _step: usize, loss: f32) {
        self.step(loss);
    }

    fn on_epoch(&mut self, record: &EpochRecord) {
        self.epoch_record(record);
    }
}
