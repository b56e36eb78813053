//! The work each bench section times. Every section runs in a process of its own, so that
//! its peak RSS is its own.
//!
//! Each lesson section times the lesson's own network with the learning rate, momentum and
//! batch size of the course's recipe (`Recipe::course(Schedule::Full)` of each lesson): no
//! hyperparameter is restated here. What is the bench's own is how much work one timed
//! run does ([`plan`], the steps per run) and its random stand-in data.
//!
//! `bench/pytorch/` holds one script per section doing the same work in PyTorch: the same
//! plan and steps per run (a test in `pytorch.rs` reads them from the scripts), the same
//! network (both sides print [`network`]'s line and the bench compares them), the same
//! optimizer and loss.

use autograd::Var;
use layers::{Mode, Module, Sequential, VisionTransformer, summary, summary_of_layers};
use models::Schedule;
use models::lessons::{deep_cnn, first_cnn, mnist_1v7, resnet, vit, xor};
use models::recipe::LessonRecipe;
use optim::{
    AdamW, AdamWConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig, bce, cross_entropy,
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use tensor::Tensor;
use tensor::kernels::gemm::gemm_threads;
use tensor::matmul::Transpose;

use super::measure::{Figure, Plan, time_runs};

/// The sections, in the order the table lists them.
pub const SECTIONS: [&str; 7] = [
    "gemm", "xor", "lesson3", "lesson6", "lesson7", "lesson8", "lesson9",
];

/// Each timed run of `gemm` repeats a product until it has done at least this many flops.
pub const GEMM_FLOPS_PER_RUN: f64 = 3e9;

/// Training steps in one timed run of `xor`, `lesson6`, `lesson7` and `lesson8`.
pub const XOR_STEPS: usize = 1000;
/// See [`XOR_STEPS`].
pub const LESSON6_STEPS: usize = 10;
/// See [`XOR_STEPS`].
pub const LESSON7_STEPS: usize = 3;
/// See [`XOR_STEPS`].
pub const LESSON8_STEPS: usize = 2;
/// See [`XOR_STEPS`].
pub const LESSON9_STEPS: usize = 3;

/// What one section measured: its figures, and for a lesson its network's [`network`] line.
pub struct Measured {
    /// The figures, in the order the table lists them.
    pub figures: Vec<Figure>,
    /// The network the section trained, as [`network`] describes it.
    pub network: Option<String>,
}

/// How many runs section `name` times: 2 untimed, then 15 timed (21 for `xor`, whose runs
/// are short); `quick` times 3 (5 for `xor`).
pub fn plan(name: &str, quick: bool) -> Plan {
    let (warmup, runs, quick_runs) = match name {
        "xor" => (2, 21, 5),
        _ => (2, 15, 3),
    };
    Plan {
        warmup,
        runs: if quick { quick_runs } else { runs },
    }
}

/// Runs section `name` (one of [`SECTIONS`]); `quick` times fewer runs.
pub fn run(name: &str, quick: bool) -> Measured {
    let plan = plan(name, quick);
    match name {
        "gemm" => Measured {
            figures: gemm(plan),
            network: None,
        },
        "xor" => xor(plan),
        "lesson3" => lesson3(plan),
        "lesson6" => cnn("lesson6", LESSON6_STEPS, plan),
        "lesson7" => cnn("lesson7", LESSON7_STEPS, plan),
        "lesson8" => cnn("lesson8", LESSON8_STEPS, plan),
        "lesson9" => vit(plan),
        other => panic!("bench: unknown section `{other}`"),
    }
}

/// `parameters<TAB>shapes`: the number of parameters of `model` and each layer's output
/// shape for one input of `input_shape`, joined as `1x16x28x28,1x16x28x28,...` (from
/// [`summary`]); the PyTorch scripts print the same for theirs.
pub fn network(model: &Sequential, input_shape: &[usize]) -> String {
    network_of(summary(model, input_shape))
}

/// [`network`]'s line from a summary.
fn network_of(s: layers::Summary) -> String {
    let shapes: Vec<String> = s
        .rows
        .iter()
        .map(|r| {
            let dims: Vec<String> = r.output_shape.iter().map(usize::to_string).collect();
            dims.join("x")
        })
        .collect();
    format!("{}\t{}", s.total_params, shapes.join(","))
}

/// GFLOP/s of `C = A·B` for square `n × n` matrices in [−1, 1] on 1 and 2 threads: `2n³`
/// flops per product, each timed run repeating the product to at least
/// [`GEMM_FLOPS_PER_RUN`].
fn gemm(plan: Plan) -> Vec<Figure> {
    let mut rng = StdRng::seed_from_u64(0);
    let mut figures = Vec::new();
    for n in [256, 512, 1024] {
        let a = Tensor::rand_uniform(&[n, n], -1.0, 1.0, &mut rng);
        let b = Tensor::rand_uniform(&[n, n], -1.0, 1.0, &mut rng);
        let mut c = vec![0.0; n * n];
        let flops = 2.0 * (n * n * n) as f64;
        let reps = (GEMM_FLOPS_PER_RUN / flops).ceil() as usize;
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
/// SGD, batch 1) over its 100 fixed XOR points, as the lesson trains on them. Each timed run
/// is [`XOR_STEPS`] steps; the figure is µs per step.
fn xor(plan: Plan) -> Measured {
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
    let runs = time_runs(plan, || {
        for (x_b, y_b) in points.iter().cycle().take(XOR_STEPS) {
            // Like the lesson's loader, each step wraps a fresh copy of its batch.
            let x_b = Var::constant(x_b.clone());
            step(&model, &mut opt, &x_b, |y_hat| bce(y_hat, y_b));
        }
    });
    let us = runs.iter().map(|s| s / XOR_STEPS as f64 * 1e6).collect();
    Measured {
        figures: vec![Figure::from_runs("xor_step_us", "us", us)],
        network: Some(network(&model, &[2])),
    }
}

/// Lesson 3: one full-batch step of the lesson's recipe (784-256-1, tanh, sigmoid, BCE,
/// SGD) on 13,007 random images in [0, 1] with random 0/1 labels; ms per epoch (= per step).
/// Like the lesson, the one batch is made and wrapped once and reused every epoch.
fn lesson3(plan: Plan) -> Measured {
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
    let x = Var::constant(x);
    let runs = time_runs(plan, || step(&model, &mut opt, &x, |y_hat| bce(y_hat, &y)));
    let ms = runs.iter().map(|s| s * 1e3).collect();
    Measured {
        figures: vec![Figure::from_runs("lesson3_epoch_ms", "ms", ms)],
        network: Some(network(&model, &[784])),
    }
}

/// Lessons 6, 7 and 8: training throughput of the CNN (forward, cross-entropy, backward and
/// the optimizer step), with the batch size and optimizer of the lesson's recipe: lesson 6's
/// SGD with momentum, lesson 7's Keras RMSprop (dropout active), lesson 8's ResNet (batch
/// normalisation in training mode) with SGD, Nesterov momentum and weight decay at the peak
/// learning rate (the bench does not follow the schedule; the rate changes no work). Every step draws a new random
/// `[batch, 1, 28, 28]` batch of images in [−1, 1] and random classes inside the timed run,
/// so the drawing is part of the work (the PyTorch scripts draw theirs with `Tensor.uniform_`
/// and `torch.randint` in the same place): a batch reused every step is fitted within a few
/// hundred steps, its gradients underflow to denormals and the CPU slows down several
/// times. Each timed run is `steps` steps; the figure is images per second.
fn cnn(lesson: &str, steps: usize, plan: Plan) -> Measured {
    let mut rng = StdRng::seed_from_u64(6);
    let (model, mut opt, batch): (Sequential, Box<dyn Optimizer>, usize) = match lesson {
        "lesson6" => {
            let recipe = first_cnn::Recipe::course(Schedule::Full);
            let model = models::networks::first_cnn(recipe.filters, recipe.pool, &mut rng);
            let config = SgdConfig {
                lr: recipe.lr,
                momentum: recipe.momentum,
                ..SgdConfig::default()
            };
            let opt = Sgd::new(model.parameters(), config);
            (model, Box::new(opt), recipe.batch_size)
        }
        "lesson8" => {
            let recipe = resnet::Recipe::course(Schedule::Full);
            let model = models::networks::fashion_resnet(
                recipe.variant,
                &recipe.widths,
                recipe.blocks,
                &mut rng,
            );
            let config = SgdConfig {
                lr: recipe.lr,
                momentum: recipe.momentum,
                nesterov: true,
                weight_decay: recipe.weight_decay,
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
    Measured {
        figures: vec![Figure::from_runs(&name, "images/s", per_s)],
        network: Some(network(&model, &[1, 28, 28])),
    }
}

/// Lesson 9: training throughput of the vision transformer of the lesson's recipe (its
/// patches, width, depth, heads and MLP), cross-entropy and AdamW with its learning rate and
/// weight decay, on batches of random images as [`cnn`] draws them (no augmentation, as
/// there). Each timed run is [`LESSON9_STEPS`] steps; the figure is images per second.
fn vit(plan: Plan) -> Measured {
    let recipe = vit::Recipe::course(Schedule::Full);
    let mut rng = StdRng::seed_from_u64(9);
    let model = VisionTransformer::new(recipe.config(), &mut rng);
    let config = AdamWConfig {
        lr: recipe.lr,
        weight_decay: recipe.weight_decay,
        ..AdamWConfig::default()
    };
    let mut opt = AdamW::new(model.parameters(), config);
    let batch = recipe.batch_size;
    let runs = time_runs(plan, || {
        for _ in 0..LESSON9_STEPS {
            let x = Tensor::rand_uniform(&[batch, 1, 28, 28], -1.0, 1.0, &mut rng);
            let classes = (0..batch).map(|_| rng.random_range(0..10) as f32).collect();
            let y = Tensor::from_vec(classes, &[batch]).expect("one class per image");
            let logits = model.forward(&Var::constant(x), Mode::Train);
            let loss = cross_entropy(&logits, &y);
            opt.zero_grad();
            loss.backward();
            opt.step();
            assert!(loss.item().is_finite(), "bench: the loss is not finite");
        }
    });
    let images = (batch * LESSON9_STEPS) as f64;
    let per_s = runs.iter().map(|s| images / s).collect();
    Measured {
        figures: vec![Figure::from_runs(
            "lesson9_train_images_per_s",
            "images/s",
            per_s,
        )],
        network: Some(network_of(summary_of_layers(&model.layers(), &[1, 28, 28]))),
    }
}
