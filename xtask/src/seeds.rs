//! `cargo xtask lesson N --seeds K`: the same recipe from K seeds, and how much each result
//! depends on luck — min, median and max of every metric, printed, written to `seeds.json`
//! and drawn per epoch in `seeds.png`.

use std::io::Write;
use std::process::ExitCode;

use models::plot::{self, Labels, Series};
use models::{Context, Lesson, Summary};

/// `(min, median, max)` of some numbers (the median of an even count is the mean of the
/// middle two); NaN for none.
pub fn spread(values: &[f64]) -> (f64, f64, f64) {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    (v[0], median, v[n - 1])
}

/// Runs `k` seeds from `ctx.seed` on, each into `ctx.out_dir/seed-S/`.
pub fn run(lesson: &Lesson, ctx: &Context, k: usize) -> ExitCode {
    let mut summaries: Vec<(u64, Summary)> = Vec::new();
    for seed in ctx.seed..ctx.seed + k as u64 {
        println!(
            "── lesson {}, seed {seed} ({} of {k}) ──",
            lesson.number,
            summaries.len() + 1
        );
        let run_ctx = Context {
            seed,
            out_dir: ctx.out_dir.join(format!("seed-{seed}")),
            ..ctx.clone()
        };
        match models::run_lesson(lesson, &run_ctx) {
            Ok(summary) => summaries.push((seed, summary)),
            Err(e) => {
                eprintln!("error: lesson {}, seed {seed}: {e}", lesson.number);
                return ExitCode::FAILURE;
            }
        }
    }
    let names: Vec<String> = summaries[0]
        .1
        .outcome
        .metrics
        .iter()
        .map(|(n, _)| n.clone())
        .collect();
    println!(
        "\nlesson {} over {k} seeds ({}..={}):",
        lesson.number,
        ctx.seed,
        ctx.seed + k as u64 - 1
    );
    println!(
        "  {:<40} {:>10} {:>10} {:>10}",
        "metric", "min", "median", "max"
    );
    let mut table = serde_json::Map::new();
    for name in &names {
        let values: Vec<f64> = summaries
            .iter()
            .map(|(_, s)| s.outcome.get(name).unwrap_or(f64::NAN))
            .collect();
        let (lo, mid, hi) = spread(&values);
        println!("  {name:<40} {lo:>10.4} {mid:>10.4} {hi:>10.4}");
        table.insert(
            name.clone(),
            serde_json::json!({"min": lo, "median": mid, "max": hi, "values": values}),
        );
    }
    let seeds: Vec<u64> = summaries.iter().map(|(s, _)| *s).collect();
    let json = serde_json::json!({"lesson": lesson.number, "seeds": seeds, "metrics": table});
    let json_path = ctx.out_dir.join("seeds.json");
    let text = serde_json::to_string_pretty(&json).expect("JSON of numbers");
    if let Err(e) = atomic_file::write(&json_path, |w| w.write_all(text.as_bytes())) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    println!("  {}", json_path.display());
    match draw(lesson, ctx, &summaries) {
        Ok(Some(path)) => println!("  {}", path.display()),
        Ok(None) => {}
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// `seeds.png`: min, median and max over the seeds of each epoch's first recorded metric
/// (the training loss), if the lesson keeps a history.
fn draw(
    lesson: &Lesson,
    ctx: &Context,
    summaries: &[(u64, Summary)],
) -> Result<Option<std::path::PathBuf>, plot::PlotError> {
    let histories: Vec<&models::history::History> =
        summaries.iter().map(|(_, s)| &s.outcome.history).collect();
    let Some(metric) = histories[0].names().into_iter().next() else {
        return Ok(None);
    };
    let epochs = histories.iter().map(|h| h.epochs.len()).min().unwrap_or(0);
    let mut bands = [Vec::new(), Vec::new(), Vec::new()];
    for e in 0..epochs {
        let values: Vec<f64> = histories
            .iter()
            .filter_map(|h| h.epochs[e].get(&metric))
            .collect();
        let (lo, mid, hi) = spread(&values);
        let x = (e + 1) as f64;
        bands[0].push((x, lo));
        bands[1].push((x, mid));
        bands[2].push((x, hi));
    }
    let [lo, mid, hi] = bands;
    let labels = Labels {
        title: format!(
            "Lesson {}: {metric} over {} seeds",
            lesson.number,
            summaries.len()
        ),
        x: "epoch".into(),
        y: metric.clone(),
        ..Labels::default()
    };
    let series = [
        Series::line("min", lo),
        Series::line("median", mid),
        Series::line("max", hi),
    ];
    plot::line_chart(&ctx.out_dir.join("seeds.png"), &labels, &series).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_min_median_max() {
        assert_eq!(spread(&[3.0, 1.0, 2.0]), (1.0, 2.0, 3.0));
        assert_eq!(spread(&[4.0, 1.0, 2.0, 3.0]), (1.0, 2.5, 4.0));
        assert!(spread(&[]).1.is_nan());
    }
}
