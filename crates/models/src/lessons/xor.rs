//! Lesson 1 — neurons and XOR.
//!
//! XOR is the classic problem one neuron cannot solve: no single line separates
//! (0,0), (1,1) from (0,1), (1,0). A hidden layer of two sigmoid neurons draws two lines and
//! the output neuron combines them. The lesson trains `2 → H → 1` sigmoid networks for
//! H = 1, 2, 3 on 100 noisy XOR points with binary cross-entropy and plain SGD, one point
//! at a time, and shows where each one succeeds.

use autograd::Var;
use data::DataLoader;
use layers::{Mode, Module};
use optim::{Optimizer, Sgd, SgdConfig, bce};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::context::Context;
use crate::eval::{predict, threshold};
use crate::metrics::{accuracy, classes};
use crate::networks::xor_net;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::report::{LessonError, Outcome, check_finite};

/// The course's recipe.
pub struct Recipe {
    /// Points in the data set.
    pub points: usize,
    /// SGD learning rate.
    pub lr: f32,
    /// Passes over the data.
    pub epochs: usize,
    /// Hidden layer sizes to compare.
    pub hidden: [usize; 3],
    /// Seeds over which to count how often each size solves XOR.
    pub seeds: u64,
}

/// 100 points, SGD lr 0.1, batch size 1 in order, 500 epochs, H = 1, 2, 3, 10 seeds.
pub const RECIPE: Recipe = Recipe {
    points: 100,
    lr: 0.1,
    epochs: 500,
    hidden: [1, 2, 3],
    seeds: 10,
};

/// One trained network and its history.
struct Run {
    model: layers::Sequential,
    loss: Vec<(f64, f64)>,
    accuracy: Vec<(f64, f64)>,
}

/// Trains `2 → hidden → 1` from the initialisation drawn with `seed`.
fn train(
    hidden: usize,
    x: &Tensor,
    y: &Tensor,
    seed: u64,
    epochs: usize,
    progress: Option<Progress>,
) -> Result<Run, LessonError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let model = xor_net(hidden, &mut rng);
    let mut opt = Sgd::new(
        model.parameters(),
        SgdConfig {
            lr: RECIPE.lr,
            ..SgdConfig::default()
        },
    )
    .expect("valid SGD settings");
    let loader = DataLoader::new(x, y, 1);
    let truth = classes(y);
    let (mut loss_curve, mut acc_curve) = (Vec::new(), Vec::new());
    let mut progress = progress;
    for epoch in 1..=epochs {
        let mut total = 0.0;
        for (step, (x_b, y_b)) in loader.in_order().enumerate() {
            let y_hat = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = bce(&y_hat, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            check_finite(loss.item(), epoch, step + 1)?;
            total += loss.item() as f64;
        }
        let mean_loss = total / loader.len() as f64;
        let acc = accuracy(&threshold(&predict(&model, x, 1024)), &truth);
        loss_curve.push((epoch as f64, mean_loss));
        acc_curve.push((epoch as f64, acc));
        if let Some(p) = progress.as_mut() {
            p.step(mean_loss as f32);
            if epoch % 50 == 0 || epoch == epochs {
                p.epoch(epoch, &[("loss", mean_loss), ("accuracy", acc)]);
            }
        }
    }
    if let Some(p) = progress {
        p.finish();
    }
    Ok(Run {
        model,
        loss: loss_curve,
        accuracy: acc_curve,
    })
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let epochs = ctx.epochs.unwrap_or(RECIPE.epochs);
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let (x, y) = data::xor::xor(RECIPE.points, &mut rng);
    let truth = classes(&y);
    let points: Vec<(f64, f64, usize)> = (0..x.dim(0))
        .map(|i| (x.at(&[i, 0]) as f64, x.at(&[i, 1]) as f64, truth[i]))
        .collect();
    let mut out = Outcome::default();
    let by_class = |c: usize| {
        points
            .iter()
            .filter(|p| p.2 == c)
            .map(|p| (p.0, p.1))
            .collect()
    };
    let data_labels = Labels {
        title: "XOR: 100 noisy points".into(),
        x: "x₁".into(),
        y: "x₂".into(),
        ..Labels::default()
    };
    out.files.push(plot::line_chart(
        &ctx.out("data.png"),
        &data_labels,
        &[
            Series::dots("class 0", by_class(0)),
            Series::dots("class 1", by_class(1)),
        ],
    )?);

    for h in RECIPE.hidden {
        let title = format!("2 → {h} → 1, seed {}", ctx.seed);
        let run = train(
            h,
            &x,
            &y,
            ctx.seed,
            epochs,
            Some(Progress::new(&title, epochs, 1)),
        )?;
        let final_acc = run.accuracy.last().map_or(0.0, |p| p.1);
        out.metric(&format!("accuracy_h{h}"), final_acc);
        out.curve(&format!("train_loss_h{h}"), &run.loss);
        let model = &run.model;
        let p = |a: f64, b: f64| {
            let xy = Tensor::from_vec(vec![a as f32, b as f32], &[1, 2]).expect("two numbers");
            predict(model, &xy, 1).item() as f64
        };
        out.files.push(plot::decision_regions(
            &ctx.out(&format!("regions_h{h}.png")),
            &format!("H = {h}: P(class 1), accuracy {:.0}%", final_acc * 100.0),
            (-0.5, 1.5),
            p,
            &points,
        )?);
        let labels = Labels {
            title: format!("H = {h}: training"),
            x: "epoch".into(),
            y: "mean BCE loss".into(),
            y_right: "accuracy".into(),
        };
        let series = [
            Series::line("loss", run.loss),
            Series::line("accuracy", run.accuracy).on_right_axis(),
        ];
        out.files.push(plot::line_chart(
            &ctx.out(&format!("curves_h{h}.png")),
            &labels,
            &series,
        )?);
    }

    println!(
        "How often does each H solve XOR (100% accuracy) over {} seeds?",
        RECIPE.seeds
    );
    for h in RECIPE.hidden {
        let mut solved = 0;
        for s in 0..RECIPE.seeds {
            let run = train(h, &x, &y, ctx.seed + s, epochs, None)?;
            solved += usize::from(run.accuracy.last().is_some_and(|p| p.1 == 1.0));
        }
        println!("  H = {h}: {solved}/{}", RECIPE.seeds);
        out.metric(&format!("solved_of_10_h{h}"), solved as f64);
    }
    Ok(out)
}
