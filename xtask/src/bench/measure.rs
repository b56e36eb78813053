//! Timing and memory: the median of several timed runs after a warm-up, the best of several
//! rounds of those, and peak RSS.

use std::time::Instant;

/// One line of the table: a median and the spread of the runs it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The key in `bench.json`, e.g. `gemm_1024_t1_gflops`.
    pub name: String,
    /// `GFLOP/s`, `us`, `ms`, `images/s` or `MiB`.
    pub unit: String,
    /// The median over the runs.
    pub median: f64,
    /// The smallest run.
    pub min: f64,
    /// The largest run.
    pub max: f64,
}

impl Figure {
    /// A figure from the values of several runs (their median, min and max).
    pub fn from_runs(name: &str, unit: &str, mut runs: Vec<f64>) -> Figure {
        assert!(!runs.is_empty(), "bench: {name} has no runs");
        runs.sort_by(f64::total_cmp);
        let mid = runs.len() / 2;
        let median = if runs.len() % 2 == 1 {
            runs[mid]
        } else {
            (runs[mid - 1] + runs[mid]) / 2.0
        };
        Figure {
            name: name.to_string(),
            unit: unit.to_string(),
            median,
            min: runs[0],
            max: runs[runs.len() - 1],
        }
    }

    /// The line a bench section prints for the parent process to read.
    pub fn to_line(&self) -> String {
        format!(
            "FIGURE\t{}\t{}\t{}\t{}\t{}",
            self.name, self.unit, self.median, self.min, self.max
        )
    }

    /// Whether a larger value is better: rates (a unit per second: `GFLOP/s`, `images/s`)
    /// are; times and memory are not.
    pub fn higher_is_better(&self) -> bool {
        self.unit.ends_with("/s")
    }

    /// Parses [`Figure::to_line`]; other lines give `None`.
    pub fn from_line(line: &str) -> Option<Figure> {
        let mut fields = line.strip_prefix("FIGURE\t")?.split('\t');
        let (name, unit) = (fields.next()?, fields.next()?);
        let mut number = || fields.next()?.parse::<f64>().ok();
        let (median, min, max) = (number()?, number()?, number()?);
        Some(Figure {
            name: name.to_string(),
            unit: unit.to_string(),
            median,
            min,
            max,
        })
    }
}

/// One figure per name from several rounds of the same figures: the round with the best
/// median (highest for a rate, lowest for a time or memory), with the min and max over all
/// the rounds' runs. Names keep the order in which they first appear.
pub fn best_of_rounds(rounds: &[Vec<Figure>]) -> Vec<Figure> {
    let mut best: Vec<Figure> = Vec::new();
    for f in rounds.iter().flatten() {
        let Some(b) = best.iter_mut().find(|b| b.name == f.name) else {
            best.push(f.clone());
            continue;
        };
        let (min, max) = (b.min.min(f.min), b.max.max(f.max));
        let better = if f.higher_is_better() {
            f.median > b.median
        } else {
            f.median < b.median
        };
        if better {
            b.median = f.median;
        }
        (b.min, b.max) = (min, max);
    }
    best
}

/// How many runs to time: `warmup` untimed, then `runs` timed.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Untimed runs first (caches, allocator, thread pool).
    pub warmup: usize,
    /// Timed runs; the figure is their median.
    pub runs: usize,
}

/// The seconds each timed run of `work` took, after the warm-up runs.
pub fn time_runs(plan: Plan, mut work: impl FnMut()) -> Vec<f64> {
    for _ in 0..plan.warmup {
        work();
    }
    (0..plan.runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64()
        })
        .collect()
}

/// The peak resident set size of this process so far, in MiB (`VmHWM` in
/// `/proc/self/status`); `None` where that file does not exist.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_takes_median_min_and_max() {
        // Sorted runs 1, 2, 9: median 2; with a fourth run 3 the median is (2 + 3)/2.
        let f = Figure::from_runs("x", "ms", vec![9.0, 1.0, 2.0]);
        assert_eq!((f.median, f.min, f.max), (2.0, 1.0, 9.0));
        let f = Figure::from_runs("x", "ms", vec![9.0, 1.0, 2.0, 3.0]);
        assert_eq!(f.median, 2.5);
        // A figure survives the trip through the line a section prints.
        assert_eq!(Figure::from_line(&f.to_line()), Some(f));
        assert_eq!(Figure::from_line("hello"), None);
    }

    #[test]
    fn the_best_round_is_the_fastest_and_the_spread_covers_every_round() {
        // Two rounds: a rate (higher is better) and a time (lower is better). The rate's
        // best median is round 2's 110, the time's round 1's 5; min and max span both rounds.
        let round = |rate: [f64; 3], time: [f64; 3]| {
            vec![
                Figure::from_runs("r_images_per_s", "images/s", rate.to_vec()),
                Figure::from_runs("t_ms", "ms", time.to_vec()),
            ]
        };
        let rounds = [
            round([90.0, 100.0, 120.0], [4.0, 5.0, 9.0]),
            round([105.0, 110.0, 111.0], [3.0, 6.0, 7.0]),
        ];
        let best = best_of_rounds(&rounds);
        assert_eq!(best.len(), 2);
        assert_eq!(best[0].name, "r_images_per_s");
        assert_eq!(
            (best[0].median, best[0].min, best[0].max),
            (110.0, 90.0, 120.0)
        );
        assert_eq!((best[1].median, best[1].min, best[1].max), (5.0, 3.0, 9.0));
        assert!(best[0].higher_is_better() && !best[1].higher_is_better());
        // One round is itself.
        assert_eq!(best_of_rounds(&rounds[..1]), rounds[0]);
    }
}
