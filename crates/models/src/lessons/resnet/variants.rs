//! The table of lesson 8's story: each run keeps its epochs as `variant-NAME.json` in the
//! lesson's folder, and every run prints and writes the table and the curves of all the
//! variants found there — so `cargo xtask lesson 8 --variant plain`, `--variant bn` and the
//! default `resnet`, run one after another, fill one table.

use std::io::Write;
use std::path::PathBuf;

use layers::BlockKind;

use crate::context::Context;
use crate::history::{History, SavedRun};
use crate::plot::{self, Labels, Series};
use crate::report::{LessonError, OutputError};

/// The file in which a variant's run is kept.
fn file_name(variant: BlockKind) -> String {
    format!("variant-{}.json", variant.name())
}

/// Keeps this run as `variant` (its history, seed and recipe, in `history.json`'s format so
/// that `cargo xtask compare` reads it), then prints the table of every variant kept in the
/// folder and writes it as `variants.md`, with their curves in `variants.png`.
pub fn record(
    ctx: &Context,
    variant: BlockKind,
    history: &History,
    recipe: serde_json::Value,
) -> Result<Vec<PathBuf>, LessonError> {
    let kept = ctx.out(&file_name(variant));
    history
        .write(&kept, 8, ctx.seed, recipe)
        .map_err(OutputError::File)?;
    let runs: Vec<(BlockKind, SavedRun)> = BlockKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let run = SavedRun::read(&ctx.out(&file_name(kind))).ok()?;
            Some((kind, run))
        })
        .collect();
    let table = table(&runs);
    println!("{table}");
    let missing: Vec<&str> = BlockKind::ALL
        .iter()
        .filter(|k| !runs.iter().any(|(r, _)| r == *k))
        .map(|k| k.name())
        .collect();
    if !missing.is_empty() {
        println!(
            "(for the other rows: cargo xtask lesson 8 --variant {}, with the same schedule)",
            missing.join(" / ")
        );
    }
    let table_path = ctx.out("variants.md");
    atomic_file::write(&table_path, |w| w.write_all(table.as_bytes()))
        .map_err(OutputError::File)?;
    let chart = chart(ctx, &runs)?;
    Ok(vec![kept, table_path, chart])
}

/// The Markdown table: one row per variant with its schedule, seed and results.
fn table(runs: &[(BlockKind, SavedRun)]) -> String {
    let mut text = String::from(
        "| network | epochs | seed | test accuracy | best test accuracy | final training loss | seconds per epoch |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (kind, run) in runs {
        let h = &run.history;
        let best = h.values("test_accuracy").into_iter().fold(0.0, f64::max);
        let seconds: f64 = h.epochs.iter().map(|e| e.seconds).sum();
        text += &format!(
            "| {} | {} | {} | {:.2}% | {:.2}% | {:.4} | {:.0} |\n",
            kind.name(),
            h.epochs.len(),
            run.seed,
            h.last("test_accuracy").unwrap_or(f64::NAN) * 100.0,
            best * 100.0,
            h.last("train_loss").unwrap_or(f64::NAN),
            seconds / h.epochs.len().max(1) as f64,
        );
    }
    text
}

/// Test accuracy (left axis) and training loss (right axis) of every variant per epoch.
fn chart(ctx: &Context, runs: &[(BlockKind, SavedRun)]) -> Result<PathBuf, LessonError> {
    let labels = Labels {
        title: "Plain, batch-normalised and residual networks on Fashion-MNIST".into(),
        x: "epoch".into(),
        y: "test accuracy".into(),
        y_right: "training loss".into(),
    };
    let mut series = Vec::new();
    for (kind, run) in runs {
        let name = kind.name();
        series.push(Series::line(
            &format!("{name}: test accuracy"),
            run.history.curve("test_accuracy"),
        ));
        series.push(
            Series::line(
                &format!("{name}: training loss"),
                run.history.curve("train_loss"),
            )
            .on_right_axis(),
        );
    }
    Ok(plot::line_chart(
        &ctx.out("variants.png"),
        &labels,
        &series,
    )?)
}
