//! Lesson 4 — iris, softmax and dropout.
//!
//! Three species of iris, four measurements each. The network ends in a softmax, so it
//! outputs a probability for each species, and learns by sparse categorical cross-entropy
//! (the negative log-probability of the true species). Dropout switches off a random 20% of
//! the hidden units at each training step, so that no unit can rely on another; it is off
//! when the network is evaluated. The recipe is the Keras course's: RMSprop, the training
//! set repeated 20 times per epoch, batches of 32, 10 epochs, and the last fifth of the
//! training flowers held out for validation (Keras' `validation_split`).

use autograd::Var;
use data::split::train_test;
use data::{DataLoader, Standardizer, iris::iris};
use layers::{Activation, Mode, Module, summary};
use optim::{
    Adam, AdamConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig,
    sparse_categorical_cross_entropy,
};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::choices::OptimizerKind;
use crate::context::Context;
use crate::eval::{evaluate_probabilities, predict};
use crate::fit::{Observer, Unwatched, Watch, fit, following};
use crate::history::History;
use crate::metrics::{accuracy, classes};
use crate::networks::iris_net;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome};

/// The course's recipe.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// Fraction of the 150 flowers held out for testing.
    pub test_fraction: f64,
    /// Fraction of the training flowers held out for validation: the last ones, before
    /// shuffling, as Keras' `validation_split` takes them.
    pub val_fraction: f64,
    /// How many times the training set is repeated within one epoch.
    pub repeat: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
    /// Hidden units.
    pub hidden: usize,
    /// The hidden layer's activation.
    pub activation: Activation,
    /// The dropout rate after the hidden layer.
    pub dropout: f32,
    /// The optimizer.
    pub optimizer: OptimizerKind,
    /// Its learning rate.
    pub lr: f32,
    /// Whether the four measurements are standardised with the training flowers' statistics.
    pub standardize: bool,
    /// Seeds over which the median test accuracy is taken.
    pub median_seeds: usize,
}

impl LessonRecipe for Recipe {
    /// 80/20 split, the last 20% of the training flowers for validation, training set ×20
    /// per epoch, batches of 32, 10 epochs, 10 ReLU units, dropout 0.2, RMSprop lr 0.001,
    /// the measurements as they are, 10 seeds.
    fn course(_schedule: Schedule) -> Recipe {
        Recipe {
            test_fraction: 0.2,
            val_fraction: 0.2,
            repeat: 20,
            batch_size: 32,
            epochs: 10,
            hidden: 10,
            activation: Activation::ReLU,
            dropout: 0.2,
            optimizer: OptimizerKind::RmsProp,
            lr: 1e-3,
            standardize: false,
            median_seeds: 10,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        let (fraction, rate) = (Interval::OpenUnit, Interval::UnitFromZero);
        vec![
            Param::f64(
                "test_fraction",
                "flowers held out for testing",
                &mut self.test_fraction,
                fraction,
            ),
            Param::f64(
                "val_fraction",
                "training flowers held out for validation",
                &mut self.val_fraction,
                fraction,
            ),
            Param::count(
                "repeat",
                "copies of the training set per epoch",
                &mut self.repeat,
            ),
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::count("epochs", "epochs", &mut self.epochs),
            Param::count("hidden", "hidden units", &mut self.hidden),
            Param::choice("activation", "hidden activation", &mut self.activation),
            Param::f32(
                "dropout",
                "dropout rate after the hidden layer",
                &mut self.dropout,
                rate,
            ),
            Param::choice(
                "optimizer",
                "the optimizer (Keras' RMSprop settings)",
                &mut self.optimizer,
            ),
            Param::f32(
                "lr",
                "the optimizer's learning rate",
                &mut self.lr,
                Interval::Positive,
            ),
            Param::bool(
                "standardize",
                "standardise the measurements (training flowers' statistics)",
                &mut self.standardize,
            ),
            Param::count(
                "median_seeds",
                "seeds for the median",
                &mut self.median_seeds,
            ),
        ]
    }
}

/// The flowers of one part of the split: measurements `[n, 4]` and species `[n]`.
struct Part {
    x: Tensor,
    y: Tensor,
}

/// A trained network and its per-epoch history.
struct Run {
    model: layers::Sequential,
    history: History,
}

/// The recipe's optimizer over `params` at the recipe's learning rate: RMSprop with Keras'
/// settings (the course's), plain SGD, or Adam with PyTorch's settings.
fn optimizer(recipe: &Recipe, params: Vec<Var>) -> Box<dyn Optimizer> {
    let lr = recipe.lr;
    match recipe.optimizer {
        OptimizerKind::RmsProp => Box::new(RmsProp::new(
            params,
            RmsPropConfig {
                lr,
                ..RmsPropConfig::keras()
            },
        )),
        OptimizerKind::Sgd => Box::new(Sgd::new(
            params,
            SgdConfig {
                lr,
                ..SgdConfig::default()
            },
        )),
        OptimizerKind::Adam => Box::new(Adam::new(
            params,
            AdamConfig {
                lr,
                ..AdamConfig::default()
            },
        )),
    }
}

/// Trains from the initialisation, dropout masks and shuffles drawn with `seed`.
fn train(
    recipe: &Recipe,
    (fit_part, val, test): (&Part, &Part, &Part),
    seed: u64,
    observers: &mut [&mut dyn Observer],
) -> Result<Run, LessonError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let model = iris_net(
        recipe.hidden,
        recipe.activation,
        recipe.dropout,
        &mut rng,
        seed,
    );
    let mut opt = optimizer(recipe, model.parameters());
    // "The training set repeated 20 times": one epoch sees every flower 20 times.
    let (x_rep, y_rep) = (
        Tensor::concat(&vec![&fit_part.x; recipe.repeat], 0),
        Tensor::concat(&vec![&fit_part.y; recipe.repeat], 0),
    );
    let loader = DataLoader::new(&x_rep, &y_rep, recipe.batch_size);
    let truth_train = classes(&fit_part.y);
    let history = fit(
        recipe.epochs,
        |_| loader.shuffled(&mut rng),
        // ANCHOR: step
        |(x_b, y_b)| {
            let y_hat = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = sparse_categorical_cross_entropy(&y_hat, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            loss.item()
        },
        // ANCHOR_END: step
        |_| {
            let train_acc = accuracy(
                &predict(&model, &fit_part.x, 256).argmax_rows(),
                &truth_train,
            );
            let (val_loss, val_acc) = evaluate_probabilities(&model, &val.x, &val.y, 256);
            let (test_loss, test_acc) = evaluate_probabilities(&model, &test.x, &test.y, 256);
            vec![
                ("train_accuracy", train_acc),
                ("val_loss", val_loss),
                ("val_accuracy", val_acc),
                ("test_loss", test_loss),
                ("test_accuracy", test_acc),
            ]
        },
        observers,
    )?;
    Ok(Run { model, history })
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    run_watched(ctx, &Unwatched)
}

/// Runs the lesson for `watch`: the main run's epochs as it learns; when the watcher asks
/// to stop, returns what was measured so far.
pub fn run_watched(ctx: &Context, watch: &dyn Watch) -> Result<Outcome, LessonError> {
    let recipe: Recipe = ctx.recipe();
    let set = iris();
    let mut split_rng = StdRng::seed_from_u64(ctx.seed);
    let (train_rows, test_rows) = train_test(set.x.dim(0), recipe.test_fraction, &mut split_rng);
    // Keras' validation_split: the last fraction of the training rows, before shuffling.
    let n_val = (train_rows.len() as f64 * recipe.val_fraction).round() as usize;
    let (fit_rows, val_rows) = train_rows.split_at(train_rows.len() - n_val);
    // Standardised, if asked, with the statistics of the flowers the network trains on.
    let scaler = recipe
        .standardize
        .then(|| Standardizer::fit(&set.x.select_rows(fit_rows)));
    let part_of = |rows: &[usize]| {
        let x = set.x.select_rows(rows);
        Part {
            x: match &scaler {
                Some(scaler) => scaler.apply(&x),
                None => x,
            },
            y: set.y.select_rows(rows),
        }
    };
    let parts = (part_of(fit_rows), part_of(val_rows), part_of(&test_rows));
    let (_, val, test) = &parts;
    println!(
        "iris: {} training, {} validation and {} test flowers",
        fit_rows.len(),
        val_rows.len(),
        test_rows.len()
    );
    let (x_test, y_test) = (&test.x, &test.y);
    let title = format!(
        "4 → {} {} → dropout {} → 3 softmax",
        recipe.hidden, recipe.activation, recipe.dropout
    );
    let mut progress = Progress::new(
        &title,
        recipe.epochs,
        (fit_rows.len() * recipe.repeat).div_ceil(recipe.batch_size),
    );
    let shape = iris_net(
        recipe.hidden,
        recipe.activation,
        recipe.dropout,
        &mut split_rng,
        0,
    );
    println!("{}", summary(&shape, &[4]));
    let name = format!("seed {}", ctx.seed);
    let mut follow = following(watch, Some(&name));
    let run = train(
        &recipe,
        (&parts.0, val, test),
        ctx.seed,
        &mut [&mut progress, &mut follow],
    )?;
    progress.finish();
    let mut out = Outcome::default();
    if watch.stop_requested() {
        out.history = run.history;
        return Ok(out);
    }
    out.metric(
        "test_accuracy",
        run.history.last("test_accuracy").unwrap_or(0.0),
    );
    out.metric(
        "test_loss",
        run.history.last("test_loss").unwrap_or(f64::NAN),
    );
    out.metric(
        "val_accuracy",
        run.history.last("val_accuracy").unwrap_or(0.0),
    );

    // One test flower of each species: the predicted species, its probability, right or not.
    let probs = predict(&run.model, x_test, 256);
    let truth = classes(y_test);
    for (species, name) in set.class_names.iter().enumerate() {
        let Some(i) = truth.iter().position(|&t| t == species) else {
            continue;
        };
        let row = probs.narrow(0, i, 1);
        let predicted = row.argmax_rows()[0];
        let mark = if predicted == species { "✓" } else { "✗" };
        println!(
            "  a {name:<10} → {:<10} p = {:.3}  {mark}",
            set.class_names[predicted],
            row.at(&[0, predicted])
        );
    }

    let labels = Labels {
        title: format!("Iris, seed {}: loss and accuracy per epoch", ctx.seed),
        x: "epoch".into(),
        y: "loss".into(),
        y_right: "accuracy".into(),
    };
    let h = &run.history;
    let curves = [
        Series::line("training loss", h.curve("train_loss")),
        Series::line("validation loss", h.curve("val_loss")),
        Series::line("train accuracy", h.curve("train_accuracy")).on_right_axis(),
        Series::line("validation accuracy", h.curve("val_accuracy")).on_right_axis(),
        Series::line("test accuracy", h.curve("test_accuracy")).on_right_axis(),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("curves.png"), &labels, &curves)?);
    out.history = run.history;

    let mut accuracies = Vec::new();
    for s in 0..recipe.median_seeds as u64 {
        let mut stop = following(watch, None);
        let run = train(
            &recipe,
            (&parts.0, val, test),
            ctx.seed + s,
            &mut [&mut stop],
        )?;
        if watch.stop_requested() {
            return Ok(out);
        }
        accuracies.push(run.history.last("test_accuracy").unwrap_or(0.0));
    }
    let text: Vec<String> = accuracies
        .iter()
        .map(|a| format!("{:.1}%", a * 100.0))
        .collect();
    println!(
        "test accuracy over {} seeds: {}",
        recipe.median_seeds,
        text.join(", ")
    );
    out.metric("test_accuracy_median_of_seeds", median(&mut accuracies));
    Ok(out)
}

/// The median (the mean of the middle two for an even count).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}
