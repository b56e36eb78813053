//! # Exercise 24 — a learning rate that warms up, then follows a cosine down
//!
//! Lesson: [8 — Normalisation and residual connections](../docs/lessons/08-resnet.md), "Training".
//!
//! Lesson 8 sets the learning rate before every step `t = 0, 1, …, total − 1` from a
//! schedule: a linear **warm-up** from almost 0 to `peak` over the first `warmup` steps (fresh
//! weights and fresh batch statistics are not shaken by the largest steps), then half a
//! **cosine** from `peak` down towards `final_lr` over the remaining `total − warmup` steps
//! (the last small steps let the weights settle):
//!
//! ```text
//! t < warmup:   lr(t) = peak · (t + 1) / warmup
//! t ≥ warmup:   p = (t − warmup) / (total − warmup)        0 at the peak, → 1 at the end
//!               lr(t) = final_lr + (peak − final_lr) · (1 + cos(π·p)) / 2
//! ```
//!
//! The `t + 1` makes the first step's rate `peak/warmup`, not 0 (a step of rate 0 is wasted),
//! and the warm-up's last step, `t = warmup − 1`, reach the peak. `final_lr` itself comes one
//! step after the last (`p = 1`); a step past the end (`t ≥ total`) keeps `final_lr`: cap `p`
//! at 1, or the cosine climbs back up. With `warmup = 0` the schedule starts at the peak.
//!
//! Write `lr(t)`. (Computing `p` and the cosine in `f64` and rounding to `f32` at the end
//! gives the reference's bits; `f32` throughout is close enough.)
//!
//! # Shapes
//! Numbers only: `t`, `warmup < total` steps, `0 ≤ final_lr ≤ peak` → the rate of step `t`.
//!
//! # Graded by
//! Comparison with the course's `optim::WarmupCosine::new(peak, warmup, total,
//! final_lr).lr(t)` on the lesson's settings at the first step, the end of the warm-up, the
//! first decay step, the last step and past the end, on a schedule without warm-up, and on
//! 512 random settings and steps, naming a warm-up without its `+ 1`, a decay stretched over
//! all `total` steps, a forgotten `final_lr` or a cosine that climbs again after the end.
//! The course's code is in `crates/optim/src/schedule.rs`.

/// The learning rate of step `t` (from 0) of a linear warm-up over `warmup` steps to `peak`,
/// then a cosine decay towards `final_lr` over the rest of `total` steps.
pub fn warmup_cosine(t: usize, peak: f32, warmup: usize, total: usize, final_lr: f32) -> f32 {
    todo!()
}
