//! The work each bench section times. Every section runs in a process of its own, so that
//! its peak RSS is its own.
//!
//! Each lesson section times the lesson's own network with the learning rate, momentum and
//! batch size of the course's recipe (`Recipe::course(Schedule::Full)` of each lesson): no
//! hyperparameter is restated here. What is the bench's own is how much work one timed
//! run does (steps, repetitions) and its random stand-in data.

use autograd::Var;
use layers::{Mode, Module, Sequential};
use models::Schedule;
use models::lessons::{deep_cnn, first_cnn, mnist_1v7, xor};
use models::recipe::LessonRecipe;
use optim::{Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig, bce, cross_entropy};
use rand::{Rng, SeedableRng, rngs::StdRng};
use tensor::Tensor;
use tensor::kernels::gemm::gemm_threads;
use tensor::matmul::Transpose;

use super::measure::{Figure, Plan, time_runs};

/// The sections, in the order the table lists them.
pub const SECTIONS: [&str; 5] = ["gemm", "xor", "lesson3", "lesson6", "lesson7"];

/// Runs section `name` (one of [`SECTIONS`]); `quick` times fewer runs.
pub fn run(name: &str, quick: bool) -> Vec<Figure> {
    let plan = |warmup, runs, quick_runs| Plan {
        warmup,
        runs: if quick { quick_runs } else { runs },
    };
    match name {
        "gemm" => gemm(plan(2, 15, 3)),
        "xor" => xor(plan(2, 21, 5)),
        "lesson3" => lesson3(plan(2, 15, 3)),
        "lesson6" => cnn("lesson6", 10, plan(2, 15, 3)),
        "lesson7" => cnn("lesson7", 3, plan(2, 15, 3)),
        other => panic!("bench: unknown section `{other}`"),
    }
}

/// GFLOP/s of `C = A·B` for square `n × n` matrices on 1 and 2 threads: `2n³` flops per
/// product, each timed run repeating the product for at least ~30 ms.
fn gemm(plan: Plan) -> Vec<Figure> {
    let mut rng = StdRng::seed_from_u64(0);
    let mut figures = Vec::new();
    for n in [256, 512, 1024] {
        let a = Tensor::rand_uniform(&[n, n], -1.0, 1.0, &mut rng);
        let b = Tensor::rand_uniform(&[n, n], -1.0, 1.0, &mut rng);
        let mut c = vec![0.0; n * n];
        let flops = 2.0 * (n * n * n) as f64;
        let reps = (3_000_000_000.0 / flops).ceil() as usize;
        for threads in [1, 2] {
            let runs = time_runs(plan, || {
                for _ in 0..reps {
                    let (ta, tb) = (Transpose::No, Transpose::No);
                    gemm_threads(a.data(), ta, b.data(), tb, &mut c, (n, n, n), 0.0, threads);
                }
            });
            let gflops = runs.iter().map(|s| flops * reps as f64 / s / 1e9).collect();
            let name = format!("gemm_{n}_t{threads}_gflops");
            figures.push(Figure::from_runs(&name, "GFLOP/s", gflops));
        }
    }
    figures
}

/// One training step as the lessons write it: forward, loss, zero grads, backward, step.
fn step(model: &Sequential, opt: &mut dyn Optimizer, x: &Var, loss: impl Fn(&Var) -> Var) {
    let y_hat = model.forward(x, Mode::Train);
    let loss = loss(&y_hat);
    opt.zero_grad();
    loss.backward();
    opt.step();
    assert!(loss.item().is_finite(), "bench: the loss is not finite");
}

/// Lesson 1: the 2-2-1 network of the lesson's recipe (its second hidden size, sigmoid,
/// SGD, batch 1) over its XOR points. Each timed run is 1,000 steps; the figure is µs per
/// step.
fn xor(plan: Plan) -> Vec<Figure> {
    let recipe = xor::Recipe::course(Schedule::Full);
    let mut rng = StdRng::seed_from_u64(1);
    let model = models::networks::xor_net(recipe.hidden[1], recipe.activation, &mut rng);
    let config = SgdConfig {
        lr: recipe.lr,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let (x, y) = data::xor::xor(recipe.points, &mut rng);
    let points: Vec<(Tensor, Tensor)> = (0..recipe.points)
        .map(|i| (x.select_rows(&[i]), y.select_rows(&[i])))
        .collect();
    let steps = 1000;
    let runs = time_runs(plan, || {
        for (x_b, y_b) in points.iter().cycle().take(steps) {
            // Like the lesson's loader, each step wraps a fresh copy of its batch.
            let x_b = Var::constant(x_b.clone());
            step(&model, &mut opt, &x_b, |y_hat| bce(y_hat, y_b));
        }
    });
    let us = runs.iter().map(|s| s / steps as f64 * 1e6).collect();
    vec![Figure::from_runs("xor_step_us", "us", us)]
}

/// Lesson 3: one full-batch step of the lesson's recipe (784-256-1, tanh, sigmoid, BCE,
/// SGD) on 13,007 random images in [0, 1] with random 0/1 labels; ms per epoch (= per step).
fn lesson3(plan: Plan) -> Vec<Figure> {
    let recipe = mnist_1v7::Recipe::course(Schedule::Full);
    let model = mnist_1v7::initial_model(&recipe, 3);
    let mut rng = StdRng::seed_from_u64(3);
    let config = SgdConfig {
        lr: recipe.lr,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let n = 13_007;
    let x = Tensor::rand_uniform(&[n, 784], 0.0, 1.0, &mut rng);
    let labels = (0..n).map(|_| f32::from(u8::from(rng.random_bool(0.5))));
    let y = Tensor::from_vec(labels.collect(), &[n, 1]).expect("n labels");
    // Like the lesson, the full batch is wrapped once and reused every epoch.
    let x = Var::constant(x);
    let runs = time_runs(plan, || step(&model, &mut opt, &x, |y_hat| bce(y_hat, &y)));
    let ms = runs.iter().map(|s| s * 1e3).collect();
    vec![Figure::from_runs("lesson3_epoch_ms", "ms", ms)]
}

/// Lessons 6 and 7: training throughput of the CNN (forward, cross-entropy, backward and the
/// optimizer step), with the batch size and optimizer of the lesson's recipe: lesson 6's SGD
/// with momentum, lesson 7's Keras RMSprop (dropout active). Every step draws a new random
/// `[batch, 1, 28, 28]` batch of images in [−1, 1] and random classes inside the timed run,
/// so the drawing is part of the work: a batch reused every step is fitted within a few
/// hundred steps, its gradients underflow to denormals and the CPU slows down several
/// times. Each timed run is `steps` steps; the figure is images per second.
fn cnn(lesson: &str, steps: usize, plan: Plan) -> Vec<Figure> {
    let mut rng = StdRng::seed_from_u64(6);
    let (model, mut opt, batch): (Sequential, Box<dyn Optimizer>, usize) = match lesson {
        "lesson6" => {
            let recipe = first_cnn::Recipe::course(Schedule::Full);
            let model = models::networks::first_cnn(&mut rng);
            let config = SgdConfig {
                lr: recipe.lr,
                momentum: recipe.momentum,
                ..SgdConfig::default()
            };
            let opt = Sgd::new(model.parameters(), config);
            (model, Box::new(opt), recipe.batch_size)
        }
        _ => {
            let recipe = deep_cnn::Recipe::course(Schedule::Full);
            let model = models::networks::deep_cnn(recipe.dropout, &mut rng, 7);
            let config = RmsPropConfig {
                lr: recipe.lr,
                ..RmsPropConfig::keras()
            };
            let opt = RmsProp::new(model.parameters(), config);
            (model, Box::new(opt), recipe.batch_size)
        }
    };
    let runs = time_runs(plan, || {
        for _ in 0..steps {
            let x = Tensor::rand_uniform(&[batch, 1, 28, 28], -1.0, 1.0, &mut rng);
            let classes = (0..batch).map(|_| rng.random_range(0..10) as f32).collect();
            let y = Tensor::from_vec(classes, &[batch]).expect("one class per image");
            let x = Var::constant(x);
            step(&model, opt.as_mut(), &x, |logits| cross_entropy(logits, &y));
        }
    });
    let images = (batch * steps) as f64;
    let per_s = runs.iter().map(|s| images / s).collect();
    let name = format!("{lesson}_train_images_per_s");
    vec![Figure::from_runs(&name, "images/s", per_s)]
}
