//! Lesson 1 — neurons and XOR.
//!
//! XOR is the classic problem one neuron cannot solve: no single line separates
//! (0,0), (1,1) from (0,1), (1,0). A hidden layer of two sigmoid neurons draws two lines and
//! the output neuron combines them. The lesson trains `2 → H → 1` sigmoid networks for
//! H = 1, 2, 3 on 100 noisy XOR points with binary cross-entropy and plain SGD, one point
//! at a time, and shows where each one succeeds.

use autograd::Var;
use data::DataLoader;
use layers::{Activation, Mode, Module};
use optim::{Optimizer, Sgd, SgdConfig, bce};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::context::Context;
use crate::eval::{predict, threshold};
use crate::fit::{Observer, Regions, Unwatched, Watch, fit, following};
use crate::history::History;
use crate::metrics::{accuracy, classes};
use crate::networks::xor_net;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome};

/// The course's recipe.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// Points in the data set.
    pub points: usize,
    /// SGD learning rate.
    pub lr: f32,
    /// Passes over the data.
    pub epochs: usize,
    /// Hidden layer sizes to compare.
    pub hidden: Vec<usize>,
    /// The hidden layer's activation.
    pub activation: Activation,
    /// Seeds over which to count how often each size solves XOR.
    pub solved_seeds: usize,
}

impl LessonRecipe for Recipe {
    /// 100 points, SGD lr 0.1, batch size 1 in order, 500 epochs, H = 1, 2, 3 sigmoid
    /// units, 10 seeds.
    fn course(_schedule: Schedule) -> Recipe {
        Recipe {
            points: 100,
            lr: 0.1,
            epochs: 500,
            hidden: vec![1, 2, 3],
            activation: Activation::Sigmoid,
            solved_seeds: 10,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::count("points", "noisy XOR points", &mut self.points),
            Param::f32("lr", "SGD learning rate", &mut self.lr, Interval::Positive),
            Param::count("epochs", "passes over the points", &mut self.epochs),
            Param::counts("hidden", "hidden sizes to compare", &mut self.hidden),
            Param::choice("activation", "hidden activation", &mut self.activation),
            Param::count(
                "solved_seeds",
                "seeds for the solved count",
                &mut self.solved_seeds,
            ),
        ]
    }
}

/// The square of inputs the decision regions are drawn over, both axes.
const REGION_RANGE: (f64, f64) = (-0.5, 1.5);

/// Grid points along each axis of the regions a watcher is shown.
const REGION_STEPS: usize = 41;

/// Where a run's decision regions go as it learns: a watcher, the run's name, the grid of
/// inputs `[REGION_STEPS², 2]` and the data points.
struct Shown<'a> {
    watch: &'a dyn Watch,
    run: &'a str,
    grid: &'a Tensor,
    points: &'a [(f64, f64, usize)],
}

impl Shown<'_> {
    /// Tells the watcher `model`'s P(class 1) over the grid after `epoch`.
    fn regions(&self, epoch: usize, model: &layers::Sequential) {
        let outputs = predict(model, self.grid, 4096);
        self.watch.on_regions(
            self.run,
            &Regions {
                epoch,
                range: REGION_RANGE,
                steps: REGION_STEPS,
                outputs: outputs.data(),
                points: self.points,
            },
        );
    }
}

/// The grid of inputs `[steps², 2]` of [`Regions`], row by row.
fn region_grid() -> Tensor {
    let (lo, hi) = REGION_RANGE;
    let at = |i: usize| (lo + (hi - lo) * i as f64 / (REGION_STEPS - 1) as f64) as f32;
    let xy = (0..REGION_STEPS * REGION_STEPS)
        .flat_map(|k| [at(k % REGION_STEPS), at(k / REGION_STEPS)])
        .collect();
    Tensor::from_vec(xy, &[REGION_STEPS * REGION_STEPS, 2]).expect("two numbers per point")
}

/// One trained network and its history.
struct Run {
    model: layers::Sequential,
    history: History,
}

/// Trains `2 → hidden → 1` from the initialisation drawn with `seed`, showing its
/// decision regions to `shown`'s watcher when it asks.
fn train(
    recipe: &Recipe,
    hidden: usize,
    (x, y): (&Tensor, &Tensor),
    seed: u64,
    observers: &mut [&mut dyn Observer],
    shown: Option<&Shown<'_>>,
) -> Result<Run, LessonError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let model = xor_net(hidden, recipe.activation, &mut rng);
    let config = SgdConfig {
        lr: recipe.lr,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let loader = DataLoader::new(x, y, 1);
    let truth = classes(y);
    let history = fit(
        recipe.epochs,
        |_| loader.in_order(),
        // ANCHOR: step
        |(x_b, y_b)| {
            let y_hat = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = bce(&y_hat, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            loss.item()
        },
        // ANCHOR_END: step
        |epoch| {
            let predicted = threshold(&predict(&model, x, 1024));
            if let Some(shown) = shown.filter(|s| s.watch.wants_regions(epoch)) {
                shown.regions(epoch, &model);
            }
            vec![("train_accuracy", accuracy(&predicted, &truth))]
        },
        observers,
    )?;
    Ok(Run { model, history })
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    run_watched(ctx, &Unwatched)
}

/// Runs the lesson for `watch`: each network's epochs and decision regions as it learns;
/// when the watcher asks to stop, returns what was measured so far.
pub fn run_watched(ctx: &Context, watch: &dyn Watch) -> Result<Outcome, LessonError> {
    let recipe: Recipe = ctx.recipe();
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let (x, y) = data::xor::xor(recipe.points, &mut rng);
    let truth = classes(&y);
    let points: Vec<(f64, f64, usize)> = (0..x.dim(0))
        .map(|i| (x.at(&[i, 0]) as f64, x.at(&[i, 1]) as f64, truth[i]))
        .collect();
    let grid = region_grid();
    let mut out = Outcome::default();
    let by_class = |c: usize| {
        points
            .iter()
            .filter(|p| p.2 == c)
            .map(|p| (p.0, p.1))
            .collect()
    };
    let data_labels = Labels {
        title: format!("XOR: {} noisy points", recipe.points),
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

    for &h in &recipe.hidden {
        let title = format!("2 → {h} → 1, seed {}", ctx.seed);
        let mut progress = Progress::new(&title, recipe.epochs, recipe.points).every(50);
        let name = format!("H = {h}");
        let shown = Shown {
            watch,
            run: &name,
            grid: &grid,
            points: &points,
        };
        let mut follow = following(watch, Some(&name));
        let observers: &mut [&mut dyn Observer] = &mut [&mut progress, &mut follow];
        let run = train(&recipe, h, (&x, &y), ctx.seed, observers, Some(&shown))?;
        progress.finish();
        if watch.stop_requested() {
            return Ok(out);
        }
        let final_acc = run.history.last("train_accuracy").unwrap_or(0.0);
        out.metric(&format!("accuracy_h{h}"), final_acc);
        let model = &run.model;
        let p = |a: f64, b: f64| {
            let xy = Tensor::from_vec(vec![a as f32, b as f32], &[1, 2]).expect("two numbers");
            predict(model, &xy, 1).item() as f64
        };
        out.files.push(plot::decision_regions(
            &ctx.out(&format!("regions_h{h}.png")),
            &format!("H = {h}: P(class 1), accuracy {:.0}%", final_acc * 100.0),
            REGION_RANGE,
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
            Series::line("loss", run.history.curve("train_loss")),
            Series::line("accuracy", run.history.curve("train_accuracy")).on_right_axis(),
        ];
        out.files.push(plot::line_chart(
            &ctx.out(&format!("curves_h{h}.png")),
            &labels,
            &series,
        )?);
        let history = std::mem::take(&mut out.history);
        out.history = history.merge(run.history.suffixed(&format!("_h{h}")));
    }

    println!(
        "How often does each H solve XOR (100% accuracy) over {} seeds?",
        recipe.solved_seeds
    );
    for &h in &recipe.hidden {
        let mut solved = 0;
        for s in 0..recipe.solved_seeds as u64 {
            let mut stop = following(watch, None);
            let run = train(&recipe, h, (&x, &y), ctx.seed + s, &mut [&mut stop], None)?;
            if watch.stop_requested() {
                return Ok(out);
            }
            solved += usize::from(run.history.last("train_accuracy") == Some(1.0));
        }
        println!("  H = {h}: {solved}/{}", recipe.solved_seeds);
        out.metric(&format!("solved_h{h}"), solved as f64);
    }
    out.metric("seeds", recipe.solved_seeds as f64);
    Ok(out)
}
