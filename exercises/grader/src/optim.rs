//! Checks of the loss and optimizer exercises: BCE with PyTorch's clamp, cross-entropy on
//! logits, one SGD-with-momentum step and one Adam step, each in PyTorch's form.
//!
//! Each is compared with PyTorch's values in `golden/` and with the course's `optim` crate on
//! random cases.

use autograd::Var;
use optim::{Adam, AdamConfig, Optimizer, Sgd, SgdConfig};
use proptest::prelude::*;
use tensor::Tensor;

use crate::cases::{self, tensor_of, values};
use crate::golden::{self, close};
use crate::guard::run;
use crate::{Outcome, Step, show, steps};

/// `|got − want| ≤ 1e-5·|want| + 1e-6`, or a failure naming `what` and both values.
fn same_number(what: &str, reference: &str, got: f32, want: f32) -> Result<(), Outcome> {
    if got.is_finite() && (got - want).abs() <= 1e-5 * want.abs() + 1e-6 {
        return Ok(());
    }
    Err(Outcome::Failing(format!(
        "{what}: yours is {got}, {reference} gives {want}"
    )))
}

/// Exercise 15's function: the mean binary cross-entropy of probabilities `p` for targets `y`.
pub type Bce = fn(&Tensor, &Tensor) -> f32;

/// Exercise 15: PyTorch's `BCELoss` value, each log clamped at −100, against golden/ and
/// `optim::bce`, including predictions of exactly 0 and 1.
pub fn bce(f: Bce) -> Outcome {
    let property = |(p, y): &(Tensor, Tensor)| {
        let got = run("calling your bce", || f(p, y))?;
        let want = optim::bce(&Var::constant(p.clone()), y).item();
        same_number("the loss", "optim::bce", got, want).map_err(|o| {
            Outcome::Failing(format!(
                "{}\n{}",
                o.text(),
                show::inputs(&["p", "y"], &[p.clone(), y.clone()])
            ))
        })
    };
    let strategy = (1usize..=6).prop_flat_map(|n| {
        let targets = prop::collection::vec(prop_oneof![Just(0.0f32), Just(1.0), 0.0f32..1.0], n);
        (
            values(vec![n, 1], 0.01, 0.99),
            targets.prop_map(move |y| tensor_of(y, &[n, 1])),
        )
    });
    steps(|| {
        let file = golden::load("losses")?;
        let (p, y) = (
            golden::get(&file, "bce", "p"),
            golden::get(&file, "bce", "target"),
        );
        let got = run("calling your bce", || f(p, y))?;
        same_number(
            "the loss on golden/losses.safetensors (bce)",
            "PyTorch",
            got,
            golden::get(&file, "bce", "loss").item(),
        )?;
        let random = cases::check("the loss", 128, &strategy, property)?;
        // p = 0 for a 1 and p = 1 for a 0: ln 0 = −∞, clamped to −100, so each costs 100.
        let (p, y) = (
            tensor_of(vec![0.0, 1.0, 0.5, 1.0], &[4, 1]),
            tensor_of(vec![1.0, 0.0, 1.0, 1.0], &[4, 1]),
        );
        let got = run("calling your bce", || f(&p, &y))?;
        let want = optim::bce(&Var::constant(p.clone()), &y).item();
        same_number("the loss", "PyTorch's clamp", got, want).map_err(|o| {
            Outcome::Failing(format!(
                "{}\nfor p = [0, 1, 0.5, 1] and y = [1, 0, 1, 1]: ln 0 = −∞, and PyTorch clamps \
                 each log at −100, so a confident wrong answer costs 100, not infinity",
                o.text()
            ))
        })?;
        Ok(vec![
            "equals PyTorch's loss (golden/losses.safetensors, bce)".to_string(),
            random,
            "predictions of exactly 0 and 1 cost 100 each (the clamp)".to_string(),
        ])
    })
}

/// Exercise 16's function: the mean cross-entropy of `logits: [N, C]` for classes `k: [N]`.
pub type CrossEntropy = fn(&Tensor, &[usize]) -> f32;

/// Exercise 16: cross-entropy from logits against golden/ and `optim::cross_entropy`, with
/// logits up to ±1000 to catch an `exp` that overflows.
pub fn cross_entropy(f: CrossEntropy) -> Outcome {
    let reference = |z: &Tensor, k: &[usize]| {
        let classes =
            Tensor::from_parts("classes", k.iter().map(|&k| k as f32).collect(), &[k.len()]);
        optim::cross_entropy(&Var::constant(z.clone()), &classes).item()
    };
    let property = |(z, k): &(Tensor, Vec<usize>)| {
        let got = run("calling your cross_entropy", || f(z, k))?;
        same_number("the loss", "optim::cross_entropy", got, reference(z, k)).map_err(|o| {
            Outcome::Failing(format!(
                "{}\n{}\n    k = {k:?}",
                o.text(),
                show::named("logits", z)
            ))
        })
    };
    let strategy = (1usize..=5, 2usize..=6).prop_flat_map(|(n, c)| {
        (
            values(vec![n, c], -5.0, 5.0),
            prop::collection::vec(0..c, n),
        )
    });
    steps(|| {
        let file = golden::load("losses")?;
        let z = golden::get(&file, "cross_entropy", "logits");
        let k: Vec<usize> = golden::get(&file, "cross_entropy", "target")
            .data()
            .iter()
            .map(|&k| k as usize)
            .collect();
        let got = run("calling your cross_entropy", || f(z, &k))?;
        let want = golden::get(&file, "cross_entropy", "loss").item();
        same_number(
            "the loss on golden/losses.safetensors (cross_entropy)",
            "PyTorch",
            got,
            want,
        )?;
        let random = cases::check("the loss", 128, &strategy, property)?;
        let big = tensor_of(vec![1000.0, 0.0, -1000.0, -1000.0, 1000.0, 0.0], &[2, 3]);
        property(&(big, vec![0, 2])).map_err(|o| {
            Outcome::Failing(format!(
                "{}\ne^1000 overflows f32 to infinity: subtract each row's largest logit before \
                 exponentiating (log_softmax(z) = z − m − ln Σ e^(z − m) with m = max z)",
                o.text()
            ))
        })?;
        Ok(vec![
            "equals PyTorch's loss (golden/losses.safetensors, cross_entropy)".to_string(),
            random,
            "logits of ±1000 give the right, finite loss".to_string(),
        ])
    })
}

/// Steps an optimizer written by the learner and one of the course's from the same start
/// with the same gradients, comparing the parameters after each step.
fn same_trajectory(
    what: &str,
    reference: &str,
    steps: usize,
    mut mine: impl FnMut(usize, &Tensor) -> Result<Tensor, Outcome>,
    mut theirs: impl FnMut(usize, &Tensor) -> Tensor,
    grads: impl Fn(usize) -> Tensor,
) -> Result<(), Outcome> {
    for t in 0..steps {
        let g = grads(t);
        let (got, want) = (mine(t, &g)?, theirs(t, &g));
        close(
            &format!("{what} after step {}", t + 1),
            reference,
            &got,
            &want,
            1e-5,
            1e-6,
        )?;
    }
    Ok(())
}

/// One step of the course's optimizer `opt` over the single parameter `p` with gradient
/// `g` (given as the gradient of `Σ p ⊙ g`); returns the parameter after it.
fn reference_step(p: &Var, opt: &mut dyn Optimizer, g: &Tensor) -> Tensor {
    p.mul(&Var::constant(g.clone())).sum().backward();
    opt.step();
    opt.zero_grad();
    p.value().clone()
}

/// The learner's optimizer against PyTorch's three steps of `golden/optimizers.safetensors`.
fn against_pytorch(
    case: &str,
    mut mine: impl FnMut(&mut [f32], &[f32]) -> Result<(), Outcome>,
) -> Step {
    let file = golden::load("optimizers")?;
    let mut w = golden::get(&file, case, "p0").clone();
    for t in 0..3 {
        let g = golden::get(&file, case, &format!("grad_{t}"));
        mine(w.data_mut(), g.data())?;
        let want = golden::get(&file, case, &format!("p_after_{t}"));
        close(
            &format!("w after step {}", t + 1),
            "PyTorch",
            &w,
            want,
            1e-5,
            1e-6,
        )?;
    }
    Ok(format!(
        "three steps equal PyTorch's (golden/optimizers.safetensors, {case})"
    ))
}

/// Exercise 17's function: one step of SGD with momentum on `w` given its gradient, the
/// momentum buffer (`None` before the first step), `lr` and `momentum`.
pub type SgdMomentum = fn(&mut [f32], &[f32], &mut Option<Vec<f32>>, f32, f32);

/// Exercise 17: PyTorch's `b ← μ·b + g` (`b = g` on the first step), `w ← w − lr·b`, against
/// golden/ and `optim::Sgd`; the buffer itself must be PyTorch's `b`, with no `lr` in it.
pub fn sgd_momentum(f: SgdMomentum) -> Outcome {
    let (lr, mu) = (0.05, 0.8);
    let start = tensor_of((0..12).map(|i| (i as f32 * 0.7).sin()).collect(), &[3, 4]);
    let grads = |t: usize| {
        tensor_of(
            (0..12).map(|i| ((i * 5 + t * 3) as f32).cos()).collect(),
            &[3, 4],
        )
    };
    steps(|| {
        let mut buffer = None;
        let golden = against_pytorch("sgd_momentum", |w, g| {
            run("calling your sgd_momentum_step", || {
                f(w, g, &mut buffer, 0.1, 0.9)
            })
        })?;
        // Ours; the course's Sgd with lr = 1 from 0 moves by exactly −b each step, which
        // reads its buffer b.
        let (mut w, mut velocity) = (start.clone(), None);
        let p = Var::param(start.clone());
        let b_probe = Var::param(Tensor::zeros(&[3, 4]));
        let config = |lr| SgdConfig {
            lr,
            momentum: mu,
            ..SgdConfig::default()
        };
        let mut sgd = Sgd::new(vec![p.clone()], config(lr));
        let mut probe = Sgd::new(vec![b_probe.clone()], config(1.0));
        let mine = |_t: usize, g: &Tensor| {
            run("calling your sgd_momentum_step", || {
                f(w.data_mut(), g.data(), &mut velocity, lr, mu)
            })?;
            let before = b_probe.value().clone();
            let b = before.sub(&reference_step(&b_probe, &mut probe, g));
            let kept = velocity.clone().ok_or_else(|| {
                Outcome::Failing(
                    "after a step the velocity must hold the momentum buffer b; it is still None"
                        .to_string(),
                )
            })?;
            close(
                "the velocity buffer",
                "PyTorch's b = μ·b + g (no lr inside)",
                &tensor_of(kept, &[3, 4]),
                &b,
                1e-5,
                1e-6,
            )?;
            Ok(w.clone())
        };
        let theirs = |_t: usize, g: &Tensor| reference_step(&p, &mut sgd, g);
        same_trajectory("w", "optim::Sgd", 5, mine, theirs, grads)?;
        Ok(vec![
            golden,
            format!("five steps equal optim::Sgd's (lr {lr}, momentum {mu}), buffer included"),
        ])
    })
}

/// Exercise 18's function: one Adam step on `w` given its gradient, the moments `m` and `v`,
/// the step number `t` (from 1) and the hyperparameters.
pub type AdamStep = fn(&mut [f32], &[f32], &mut [f32], &mut [f32], i32, &AdamConfig);

/// Exercise 18: Adam with bias correction against golden/ and `optim::Adam`.
pub fn adam(f: AdamStep) -> Outcome {
    let config = AdamConfig {
        lr: 0.02,
        betas: (0.8, 0.99),
        ..AdamConfig::default()
    };
    let start = tensor_of((0..12).map(|i| (i as f32 * 0.9).cos()).collect(), &[3, 4]);
    let grads = |t: usize| {
        tensor_of(
            (0..12).map(|i| ((i * 7 + t) as f32).sin() * 0.1).collect(),
            &[3, 4],
        )
    };
    steps(|| {
        let (mut m, mut v, mut t) = (vec![0.0; 12], vec![0.0; 12], 0);
        let pytorch = AdamConfig {
            lr: 0.01,
            ..AdamConfig::default()
        };
        let golden = against_pytorch("adam", |w, g| {
            t += 1;
            run("calling your adam_step", || {
                f(w, g, &mut m, &mut v, t, &pytorch)
            })
        })?;
        let (mut w, mut m, mut v) = (start.clone(), vec![0.0; 12], vec![0.0; 12]);
        let p = Var::param(start.clone());
        let mut adam = Adam::new(vec![p.clone()], config);
        let mine = |t: usize, g: &Tensor| {
            let step = t as i32 + 1;
            run("calling your adam_step", || {
                f(w.data_mut(), g.data(), &mut m, &mut v, step, &config)
            })?;
            Ok(w.clone())
        };
        let theirs = |_t: usize, g: &Tensor| reference_step(&p, &mut adam, g);
        same_trajectory("w", "optim::Adam", 10, mine, theirs, grads)?;
        Ok(vec![
            golden,
            "ten steps equal optim::Adam's (lr 0.02, betas (0.8, 0.99))".to_string(),
        ])
    })
}
