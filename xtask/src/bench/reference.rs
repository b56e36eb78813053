//! What our figures are compared with: the goals, PyTorch's figures recorded once
//! (shown when PyTorch does not run beside ours), and the speed ratio.

use super::measure::Figure;

/// A figure with a goal: PyTorch's value recorded once for the same work ([`RECORDED_ON`]),
/// and the goal as a minimum speed ratio.
pub struct Reference {
    /// The figure's name, e.g. `gemm_1024_t1_gflops`.
    pub name: &'static str,
    /// PyTorch's figure, recorded on the machine [`RECORDED_ON`] names, in the figure's unit.
    pub recorded: f64,
    /// The goal: the least [`ratio`] (ours vs PyTorch, ≥ 1 = at least as fast) that meets it.
    pub goal_ratio: f64,
}

/// When and where [`REFERENCES`]' PyTorch figures were measured.
pub const RECORDED_ON: &str = "PyTorch 2.15.0, the faster of two same-run measurements on 2026-12-01, AMD EPYC (Zen 2), 2 cores, AVX2+FMA; lessons 8 and 9: the full same-run table of 2026-12-07, AMD EPYC (Zen 3), 2 cores, AVX2+FMA";

/// The figures with goals. `xor_step_us`'s goal is PyTorch's step time divided by 50.
pub const REFERENCES: [Reference; 8] = [
    Reference {
        name: "gemm_1024_t1_gflops",
        recorded: 74.9,
        goal_ratio: 0.95,
    },
    Reference {
        name: "gemm_1024_t2_gflops",
        recorded: 145.5,
        goal_ratio: 0.95,
    },
    Reference {
        name: "xor_step_us",
        recorded: 394.8,
        goal_ratio: 50.0,
    },
    Reference {
        name: "lesson3_epoch_ms",
        recorded: 91.0,
        goal_ratio: 1.2,
    },
    Reference {
        name: "lesson6_train_images_per_s",
        recorded: 2900.0,
        goal_ratio: 1.3,
    },
    Reference {
        name: "lesson7_train_images_per_s",
        recorded: 2068.0,
        goal_ratio: 1.0,
    },
    Reference {
        name: "lesson8_train_images_per_s",
        recorded: 586.1,
        goal_ratio: 1.0,
    },
    Reference {
        name: "lesson9_train_images_per_s",
        recorded: 905.4,
        goal_ratio: 1.0,
    },
];

/// The reference of figure `name`, if it has a goal.
pub fn reference(name: &str) -> Option<&'static Reference> {
    REFERENCES.iter().find(|r| r.name == name)
}

/// Our speed relative to PyTorch's figure `theirs` for the same work (≥ 1: at least as
/// fast): `ours/theirs` for a rate, `theirs/ours` for a time. Memory (`MiB`) has none: a
/// PyTorch process's peak RSS includes its own libraries (about 525 MiB after `import
/// torch` alone on the course machine), so the two are not the same measure.
pub fn ratio(ours: &Figure, theirs: f64) -> Option<f64> {
    if ours.unit == "MiB" {
        None
    } else if ours.higher_is_better() {
        Some(ours.median / theirs)
    } else {
        Some(theirs / ours.median)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_speed_relative_to_pytorch() {
        // Rates: ours/theirs, 89.3/94 = 0.95. Times: theirs/ours, 74/37 = 2.
        let gemm = Figure::from_runs("gemm_1024_t1_gflops", "GFLOP/s", vec![89.3]);
        assert!((ratio(&gemm, 94.0).unwrap() - 0.95).abs() < 1e-12);
        let l3 = Figure::from_runs("lesson3_epoch_ms", "ms", vec![37.0]);
        assert_eq!(ratio(&l3, 74.0), Some(2.0));
        // Memory is no speed: no ratio.
        let rss = Figure::from_runs("lesson7_peak_rss_mib", "MiB", vec![60.0]);
        assert_eq!(ratio(&rss, 600.0), None);
    }

    #[test]
    fn the_goals_are_the_performance_goals() {
        let goal = |name| reference(name).map(|r| r.goal_ratio);
        assert_eq!(goal("gemm_1024_t1_gflops"), Some(0.95));
        assert_eq!(goal("gemm_1024_t2_gflops"), Some(0.95));
        assert_eq!(goal("xor_step_us"), Some(50.0));
        assert_eq!(goal("lesson3_epoch_ms"), Some(1.2));
        assert_eq!(goal("lesson6_train_images_per_s"), Some(1.3));
        assert_eq!(goal("lesson7_train_images_per_s"), Some(1.0));
        assert_eq!(goal("lesson8_train_images_per_s"), Some(1.0));
        assert_eq!(goal("lesson9_train_images_per_s"), Some(1.0));
        assert_eq!(goal("gemm_256_t1_gflops"), None);
        // The XOR goal is 50 times PyTorch's step time: ≤ 7.9 µs against the recorded 394.8.
        let xor = reference("xor_step_us").unwrap();
        assert!((xor.recorded / xor.goal_ratio - 7.896).abs() < 1e-9);
    }
}
