//! A learning-rate schedule: a short linear warm-up, then a cosine decay to a floor.
//!
//! A large learning rate early makes fast progress but, at the very first steps, can throw
//! freshly initialised weights (and batch normalisation's statistics) about; a small one late
//! lets the weights settle into a minimum instead of rattling around it. The schedule of most
//! modern image models does both: the rate climbs linearly from almost 0 to its peak over the
//! first `warmup` steps, then follows half a cosine down towards `final_lr`.
//!
//! For step `t = 0, 1, …, total − 1` (the step about to be taken):
//!
//! ```text
//! t < warmup:   lr(t) = peak · (t + 1) / warmup
//! t ≥ warmup:   p = (t − warmup) / (total − warmup)          (0 → 1 over the decay)
//!               lr(t) = final + (peak − final) · (1 + cos(π·p)) / 2
//! ```
//!
//! A loop sets `opt.set_lr(schedule.lr(t))` before each step. PyTorch writes the same
//! function as a `LambdaLR` (the lessons' PyTorch twins do).

/// Linear warm-up over `warmup` steps to `peak`, then cosine decay towards `final_lr`
/// (reached one step after the last). See the module doc for the formula.
///
/// ```
/// use optim::WarmupCosine;
/// let s = WarmupCosine::new(0.1, 10, 110, 0.0);
/// assert!((s.lr(0) - 0.01).abs() < 1e-7);     // the first warm-up step: 0.1 · 1/10
/// assert!((s.lr(9) - 0.1).abs() < 1e-7);      // the peak, at the end of the warm-up
/// assert!((s.lr(60) - 0.05).abs() < 1e-7);    // half way down the cosine
/// assert!(s.lr(109) < 1e-4);                   // nearly the floor at the last step
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WarmupCosine {
    peak: f32,
    warmup: usize,
    total: usize,
    final_lr: f32,
}

impl WarmupCosine {
    /// The schedule of `total` steps peaking at `peak` after `warmup` steps (0 for none) and
    /// ending at `final_lr`. Panics unless `0 ≤ final_lr ≤ peak`, both finite, and
    /// `warmup < total`: settings in code are the programmer's (a lesson's recipe checks
    /// what a user types before it gets here).
    pub fn new(peak: f32, warmup: usize, total: usize, final_lr: f32) -> WarmupCosine {
        assert!(
            peak.is_finite() && final_lr.is_finite() && 0.0 <= final_lr && final_lr <= peak,
            "WarmupCosine::new: need 0 ≤ final_lr ≤ peak, got peak {peak}, final_lr {final_lr}"
        );
        assert!(
            warmup < total,
            "WarmupCosine::new: {warmup} warm-up steps leave none of the {total} to decay"
        );
        WarmupCosine {
            peak,
            warmup,
            total,
            final_lr,
        }
    }

    // ANCHOR: lr
    /// The learning rate of step `t` (from 0). Steps past the end keep `final_lr`.
    pub fn lr(&self, t: usize) -> f32 {
        if t < self.warmup {
            return self.peak * (t + 1) as f32 / self.warmup as f32;
        }
        let decay_steps = (self.total - self.warmup) as f64;
        let p = ((t - self.warmup) as f64 / decay_steps).min(1.0);
        let cosine = (1.0 + (std::f64::consts::PI * p).cos()) / 2.0;
        (f64::from(self.final_lr) + f64::from(self.peak - self.final_lr) * cosine) as f32
    }
    // ANCHOR_END: lr

    /// The number of steps the schedule spans.
    pub fn total_steps(&self) -> usize {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warms_up_linearly_then_falls_monotonically_to_the_floor() {
        let s = WarmupCosine::new(0.4, 4, 20, 0.004);
        // Warm-up: 0.1, 0.2, 0.3, 0.4.
        for t in 0..4 {
            assert!((s.lr(t) - 0.1 * (t + 1) as f32).abs() < 1e-6);
        }
        // The decay starts at the peak (cos 0 = 1) and never rises.
        assert_eq!(s.lr(4), 0.4);
        for t in 4..19 {
            assert!(s.lr(t + 1) <= s.lr(t), "rose at step {t}");
        }
        // p = 15/16 at the last step: final + (peak − final)·(1 + cos(15π/16))/2.
        let expected = 0.004 + 0.396 * (1.0 + (15.0 * std::f64::consts::PI / 16.0).cos()) / 2.0;
        assert!((f64::from(s.lr(19)) - expected).abs() < 1e-7);
        assert_eq!(s.lr(1000), 0.004);
    }

    #[test]
    fn no_warm_up_starts_at_the_peak() {
        let s = WarmupCosine::new(1.0, 0, 3, 0.0);
        assert_eq!(s.lr(0), 1.0);
        assert!((s.lr(1) - 0.75).abs() < 1e-6); // (1 + cos(π/3))/2
    }

    #[test]
    #[should_panic(expected = "leave none of the 5 to decay")]
    fn a_warm_up_as_long_as_the_run_is_refused() {
        WarmupCosine::new(0.1, 5, 5, 0.0);
    }
}
