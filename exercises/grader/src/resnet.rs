//! Checks of lesson 8's exercises, the ResNet's pieces: batch normalisation's backward rule
//! and the learning-rate schedule (the residual block's milestone is in `residual.rs`).
//!
//! The rule is plugged into an op of its own with [`Var::from_op`], whose forward value the
//! course computes, and run through the gradient check ([`check_rule`]) and PyTorch's
//! gradients. The schedule is compared with the course's [`optim::WarmupCosine`].

use autograd::Var;
use optim::WarmupCosine;
use proptest::prelude::*;
use tensor::Tensor;

use crate::cases::{self, tensor_of, values};
use crate::golden::{self, close};
use crate::gradient::{Case, check_rule, gradients_with};
use crate::guard::{guard, run};
use crate::{Outcome, Step, steps};

/// Exercise 23's rule: `(g, x, γ, ε) ↦ (∂L/∂x, ∂L/∂γ, ∂L/∂β)`.
pub type BatchNormRule = fn(&Tensor, &Tensor, &Tensor, f32) -> (Tensor, Tensor, Tensor);

/// PyTorch's `ε` for `nn.BatchNorm2d`.
const EPS: f32 = 1e-5;

/// Batch normalisation by the batch's statistics (the course's forward pass) whose backward
/// is the learner's rule.
fn batch_norm_op(x: &Var, gamma: &Var, beta: &Var, rule: BatchNormRule) -> Var {
    use tensor::batch_norm::{channel_stats, inverse_std, normalize};
    let (mean, var) = channel_stats(&x.value());
    let y = normalize(
        &x.value(),
        &mean,
        &inverse_std(&var, EPS),
        gamma.value().data(),
        beta.value().data(),
    );
    Var::from_op(
        "batch_norm (yours)",
        y,
        &[x, gamma, beta],
        move |g, _y, inputs| {
            let (dx, dgamma, dbeta) = rule(g, &inputs[0].value(), &inputs[1].value(), EPS);
            vec![Some(dx), Some(dgamma), Some(dbeta)]
        },
    )
}

/// `x: [N, C, H, W]` (N, C, H 1 to 3, W 2 to 3, so every channel holds at least two numbers)
/// holding distinct values 0.3 apart in shuffled order, `γ` and `β` in `[−2, 2)`. As in the
/// course's own check of `BatchNorm2d` (`crates/layers/tests/gradcheck_layers.rs`): a channel
/// of nearly equal numbers has a tiny σ, and `x̂ = (x − μ)/σ` bends sharply within the check's
/// ±0.01 nudge, where finite differences mean nothing; spread channels keep the check sound
/// (the rule itself holds for any spread).
fn batch_norm_cases() -> impl Strategy<Value = Case<()>> {
    (1usize..=3, 1usize..=3, 1usize..=3, 2usize..=3).prop_flat_map(|(n, c, h, w)| {
        let count = n * c * h * w;
        let spread: Vec<f32> = (0..count)
            .map(|i| 0.3 * i as f32 - 0.15 * count as f32)
            .collect();
        (
            Just(spread).prop_shuffle(),
            values(vec![c], -2.0, 2.0),
            values(vec![c], -2.0, 2.0),
        )
            .prop_map(move |(x, gamma, beta)| (vec![tensor_of(x, &[n, c, h, w]), gamma, beta], ()))
    })
}

/// `(x̂, r)` of every channel of `x: [N, C, H, W]`, `r` as `[1, C, 1, 1]`.
fn normalized(x: &Tensor) -> (Tensor, Tensor) {
    let per_channel = [1, x.dim(1), 1, 1];
    let m = (x.numel() / x.dim(1)) as f32;
    let centered = x.sub(&x.sum_to(&per_channel).div_scalar(m));
    let r = centered
        .square()
        .sum_to(&per_channel)
        .div_scalar(m)
        .map(|v| 1.0 / (v + EPS).sqrt());
    (centered.mul(&r), r)
}

/// `∂L/∂x = (γ·r/m)·(m·g − Σg − x̂·Σg·x̂)` with some of its terms, for naming a slip:
/// without the `Σg` term (`mean`: false), the `x̂` term (`var`: false) or the `γ` (`scale`:
/// false).
fn rule_with(g: &Tensor, x: &Tensor, gamma: &Tensor, [mean, var, scale]: [bool; 3]) -> Tensor {
    let c = x.dim(1);
    let m = (x.numel() / c) as f32;
    let (x_hat, r) = normalized(x);
    let mut inner = g.mul_scalar(m);
    if mean {
        inner = inner.sub(&g.sum_to(&[1, c, 1, 1]));
    }
    if var {
        inner = inner.sub(&x_hat.mul(&g.mul(&x_hat).sum_to(&[1, c, 1, 1])));
    }
    let k = if scale {
        gamma.reshape(&[1, c, 1, 1]).mul(&r)
    } else {
        r
    };
    inner.mul(&k).div_scalar(m)
}

/// What a typical slip would have given on a fixed case (`[2, 2, 2, 3]`), if the learner's
/// rule gives that: a term of `∂L/∂x` forgotten, or `∂L/∂γ` and `∂L/∂β` swapped.
fn batch_norm_slip(rule: BatchNormRule) -> Option<&'static str> {
    let shape = [2, 2, 2, 3];
    let x = tensor_of(
        (0..24).map(|i| (i as f32 * 0.77).sin() * 2.0).collect(),
        &shape,
    );
    let g = tensor_of((0..24).map(|i| (i as f32 * 1.3).cos()).collect(), &shape);
    let gamma = tensor_of(vec![1.5, -0.5], &[2]);
    let (dx, dgamma, dbeta) = guard(|| rule(&g, &x, &gamma, EPS)).ok()?;
    let near = |a: &Tensor, b: &Tensor| a.shape() == b.shape() && a.allclose(b, 1e-4, 1e-5);
    let slips = [
        (
            [true, false, true],
            "∂L/∂x lacks the −x̂·Σ g·x̂ term: σ depends on every x of the channel too",
        ),
        (
            [false, true, true],
            "∂L/∂x lacks the −Σ g term: μ depends on every x of the channel too",
        ),
        (
            [true, true, false],
            "∂L/∂x lacks the factor γ: y = γ·x̂ + β, so every path from x to y goes through γ",
        ),
    ];
    if let Some((_, what)) = slips
        .iter()
        .find(|(terms, _)| near(&dx, &rule_with(&g, &x, &gamma, *terms)))
    {
        return Some(what);
    }
    let sum_g = g.sum_to(&[1, 2, 1, 1]).reshape(&[2]);
    let sum_gx = g.mul(&normalized(&x).0).sum_to(&[1, 2, 1, 1]).reshape(&[2]);
    if near(&dgamma, &sum_g) && near(&dbeta, &sum_gx) {
        return Some("∂L/∂γ and ∂L/∂β are swapped: ∂L/∂β = Σ g, ∂L/∂γ = Σ g·x̂");
    }
    None
}

/// Exercise 23: batch normalisation's three gradients in training, by the gradient check on
/// spread channels with PyTorch's `ε` (naming a forgotten term), then PyTorch's gradients
/// (`golden/batch_norm.safetensors`).
pub fn batch_norm_backward(rule: BatchNormRule) -> Outcome {
    steps(|| {
        let passed = check_rule(
            "y = γ·(x − μ)/√(σ² + ε) + β per channel over N·H·W",
            &["x", "gamma", "beta"],
            128,
            batch_norm_cases(),
            |v, _| batch_norm_op(&v[0], &v[1], &v[2], rule),
        )
        .map_err(|outcome| match (outcome, batch_norm_slip(rule)) {
            (Outcome::Failing(text), Some(slip)) => {
                Outcome::Failing(format!("{text}\nlook: {slip}"))
            }
            (outcome, _) => outcome,
        })?;
        let file = golden::load("batch_norm")?;
        for case in ["images", "small"] {
            let get = |name: &str| golden::get(&file, case, name);
            let inputs = [get("x").clone(), get("weight").clone(), get("bias").clone()];
            let grads = gradients_with(get("g"), &inputs, |v| {
                batch_norm_op(&v[0], &v[1], &v[2], rule)
            })?;
            for (i, name) in ["x", "weight", "bias"].into_iter().enumerate() {
                let want = get(&format!("grad_{name}"));
                let what = format!("∂L/∂{name} of nn.BatchNorm2d in training ({case})");
                close(&what, "PyTorch", &grads[i], want, 1e-5, 1e-5)?;
            }
        }
        Ok(vec![
            passed,
            "the gradients equal PyTorch's (golden/batch_norm.safetensors, images [4, 3, 5, 6] \
             and small [1, 2, 2, 2])"
                .to_string(),
        ])
    })
}

/// Exercise 24's function: `(t, peak, warmup, total, final_lr) ↦ lr(t)`.
pub type WarmupCosineFn = fn(usize, f32, usize, usize, f32) -> f32;

/// A schedule's settings: `(peak, warmup, total, final_lr)`.
type Settings = (f32, usize, usize, f32);

/// What a typical slip gives at step `t` of `(peak, warmup, total, final_lr)`, with its name.
fn schedule_slips((peak, warmup, total, final_lr): Settings, t: usize) -> [(f32, &'static str); 4] {
    let cosine = |p: f64, floor: f32| {
        let c = (1.0 + (std::f64::consts::PI * p).cos()) / 2.0;
        (f64::from(floor) + f64::from(peak - floor) * c) as f32
    };
    let decay = (total - warmup) as f64;
    let since = t.saturating_sub(warmup) as f64;
    let right = WarmupCosine::new(peak, warmup, total, final_lr).lr(t);
    let in_decay = |v: f32| if t < warmup { right } else { v };
    [
        (
            if t < warmup {
                peak * t as f32 / warmup as f32
            } else {
                right
            },
            "the warm-up gives peak·t/warmup: it needs peak·(t + 1)/warmup, so that the first \
             step is not wasted at rate 0 and step warmup − 1 reaches the peak",
        ),
        (
            in_decay(cosine((since / total as f64).min(1.0), final_lr)),
            "the cosine runs over all `total` steps: the decay has total − warmup steps, \
             p = (t − warmup)/(total − warmup)",
        ),
        (
            in_decay(cosine((since / decay).min(1.0), 0.0)),
            "the cosine falls to 0: it must fall to final_lr, lr = final_lr + (peak − \
             final_lr)·(1 + cos πp)/2",
        ),
        (
            in_decay(cosine(since / decay, final_lr)),
            "past the end the rate climbs back up the cosine: cap p at 1, so that steps \
             past `total` keep final_lr",
        ),
    ]
}

/// `Ok` if the learner's rate at step `t` of `settings` is the course's, within
/// `1e-5·|lr| + 1e-6·peak`; else a failure naming the step, both rates and any slip.
fn rate_at(f: WarmupCosineFn, settings: Settings, t: usize) -> Result<(), Outcome> {
    let (peak, warmup, total, final_lr) = settings;
    let got = run("calling your warmup_cosine", || {
        f(t, peak, warmup, total, final_lr)
    })?;
    let want = WarmupCosine::new(peak, warmup, total, final_lr).lr(t);
    let close = |v: f32| v.is_finite() && (v - want).abs() <= 1e-5 * want.abs() + 1e-6 * peak;
    if close(got) {
        return Ok(());
    }
    let slip = schedule_slips(settings, t)
        .into_iter()
        .find(|&(v, _)| v != want && (v - got).abs() <= 1e-5 * v.abs() + 1e-6 * peak)
        .map(|(_, what)| format!("\nlook: {what}"))
        .unwrap_or_default();
    Err(Outcome::Failing(format!(
        "at step t = {t} of peak = {peak}, warmup = {warmup}, total = {total}, final_lr = \
         {final_lr}: yours is {got}, optim::WarmupCosine gives {want}{slip}"
    )))
}

/// Random settings and a step: `peak` in `[10⁻⁴, 1)`, `final_lr` 0 or a fraction of it,
/// `warmup` 0 to 40, 1 to 200 decay steps, `t` up to 20 steps past the end.
fn schedule_cases() -> impl Strategy<Value = (Settings, usize)> {
    let floor = prop_oneof![Just(0.0f32), 0.0f32..1.0];
    (1e-4f32..1.0, floor, 0usize..=40, 1usize..=200).prop_flat_map(
        |(peak, fraction, warmup, decay)| {
            let settings = (peak, warmup, warmup + decay, peak * fraction);
            (Just(settings), 0..warmup + decay + 20)
        },
    )
}

/// Exercise 24: the rate of step `t` against `optim::WarmupCosine` at the lesson's edges, on
/// a schedule without warm-up, with a floor, and on random settings and steps.
pub fn warmup_cosine(f: WarmupCosineFn) -> Outcome {
    // Lesson 8's full schedule: 12 epochs of 469 batches, one epoch of warm-up to 0.1.
    let lesson: Settings = (0.1, 469, 12 * 469, 0.0);
    let edges: [(usize, &str); 6] = [
        (0, "the first step (peak/warmup)"),
        (468, "the warm-up's last step (the peak)"),
        (469, "the first step of the decay (the peak)"),
        (3048, "half way down the cosine (peak/2)"),
        (5627, "the last step (nearly 0)"),
        (6000, "a step past the end (final_lr)"),
    ];
    let named = |settings: Settings, steps: &[usize], what: &str| -> Step {
        for &t in steps {
            rate_at(f, settings, t)?;
        }
        Ok(what.to_string())
    };
    steps(|| {
        let mut passed = Vec::new();
        for (t, what) in edges {
            passed.push(named(
                lesson,
                &[t],
                &format!("lesson 8's schedule at {what}"),
            )?);
        }
        passed.push(named(
            (1.0, 0, 3, 0.0),
            &[0, 1, 2, 3],
            "no warm-up: 1, 0.75, 0.25 and then 0 for peak 1 over 3 steps",
        )?);
        passed.push(named(
            (0.4, 4, 20, 0.004),
            &(0..=24).collect::<Vec<_>>(),
            "every step of a schedule of 20 with a floor of 0.004",
        )?);
        passed.push(cases::check(
            "lr(t)",
            512,
            &schedule_cases(),
            |&(settings, t)| rate_at(f, settings, t),
        )?);
        Ok(passed)
    })
}
