//! Lesson 3 — MNIST, 1 versus 7.
//!
//! A first real data set: 28×28 images of handwritten 1s and 7s, flattened to 784 numbers.
//! One hidden layer of 256 tanh units and one sigmoid output give the probability that an
//! image is a 1. The recipe is the Keras course's: Glorot-uniform weights, binary
//! cross-entropy, plain gradient descent with learning rate 0.001 on the whole training set
//! at once (one step per epoch), 500 epochs.

use std::cell::Cell;

use autograd::Var;
use data::Split;
use layers::{Activation, Mode, Module, summary};
use optim::{Optimizer, Sgd, SgdConfig, bce};
use rand::{SeedableRng, rngs::StdRng};

use crate::choices::Init;
use crate::context::Context;
use crate::eval::{predict, threshold};
use crate::fit::fit;
use crate::metrics::{accuracy, classes, confusion, print_confusion};
use crate::mnist::{flat_images, load};
use crate::networks::mnist_1v7_net;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome, OutputError};

/// The course's recipe.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// SGD learning rate.
    pub lr: f32,
    /// Full-batch steps.
    pub epochs: usize,
    /// Hidden units.
    pub hidden: usize,
    /// The hidden layer's activation.
    pub activation: Activation,
    /// How the weights start.
    pub init: Init,
}

impl LessonRecipe for Recipe {
    /// Plain SGD with lr 0.001 on the full training set, 500 epochs, 256 tanh units,
    /// Keras' Glorot initialisation. The test suite's shorter schedule: 200 epochs.
    fn course(schedule: Schedule) -> Recipe {
        Recipe {
            lr: 0.001,
            epochs: match schedule {
                Schedule::Full => 500,
                Schedule::Quick => 200,
            },
            hidden: 256,
            activation: Activation::Tanh,
            init: Init::Glorot,
        }
    }
}

impl Default for Recipe {
    /// The course's recipe.
    fn default() -> Recipe {
        Recipe::course(Schedule::Full)
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::f32("lr", "SGD learning rate", &mut self.lr, Interval::Positive),
            Param::count("epochs", "full-batch steps", &mut self.epochs),
            Param::count("hidden", "hidden units", &mut self.hidden),
            Param::choice("activation", "hidden activation", &mut self.activation),
            Param::choice("init", "how the weights start", &mut self.init),
        ]
    }
}

/// The network of `recipe` as training starts from `seed`: the course's Glorot-uniform
/// weights and zero biases (or `recipe.init`'s), drawn from a generator seeded with `seed`.
/// The PyTorch trajectory script starts from the same numbers (`cargo run -p models
/// --example export_lesson3_init` writes them).
pub fn initial_model(recipe: &Recipe, seed: u64) -> layers::Sequential {
    mnist_1v7_net(
        recipe.hidden,
        recipe.activation,
        recipe.init,
        &mut StdRng::seed_from_u64(seed),
    )
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    // Keep the 1s and 7s; a 1 is the positive class (target 1), a 7 the negative (0).
    let train_set = load(ctx, Split::Train)?.filter_labels(&[1, 7]);
    let test_set = load(ctx, Split::Test)?.filter_labels(&[1, 7]);
    println!(
        "1s and 7s: {} training and {} test images",
        train_set.len(),
        test_set.len()
    );
    let (x_train, y_train) = (flat_images(&train_set), train_set.binary_targets(1));
    let (x_test, y_test) = (flat_images(&test_set), test_set.binary_targets(1));
    let mut out = Outcome::default();

    let samples = train_set.images().narrow(0, 0, 16);
    let captions: Vec<String> = train_set.labels()[..16]
        .iter()
        .map(|l| l.to_string())
        .collect();
    let grid_path = ctx.out("samples.png");
    data::grid::save_grid(&grid_path, &samples, &captions, 4).map_err(OutputError::Grid)?;
    out.files.push(grid_path);

    let recipe: Recipe = ctx.recipe();
    let model = initial_model(&recipe, ctx.seed);
    println!("{}", summary(&model, &[784]));
    let config = SgdConfig {
        lr: recipe.lr,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let x = Var::constant(x_train.clone());
    let truth_train = classes(&y_train);
    let title = format!(
        "784 → {} {} → 1 sigmoid, full-batch SGD",
        recipe.hidden, recipe.activation
    );
    let mut progress = Progress::new(&title, recipe.epochs, 1).every(50);
    // Full batch: one step per epoch on the whole training set. Like Keras, the accuracy
    // reported is that of the predictions this step was computed from.
    let step_accuracy = Cell::new(0.0);
    out.history = fit(
        recipe.epochs,
        |_| std::iter::once(()),
        // ANCHOR: step
        |()| {
            let y_hat = model.forward(&x, Mode::Train);
            let loss = bce(&y_hat, &y_train);
            opt.zero_grad();
            loss.backward();
            opt.step();
            step_accuracy.set(accuracy(&threshold(&y_hat.value()), &truth_train));
            loss.item()
        },
        // ANCHOR_END: step
        |_| vec![("train_accuracy", step_accuracy.get())],
        &mut [&mut progress],
    )?;
    progress.finish();

    let train_pred = threshold(&predict(&model, &x_train, 4096));
    let test_pred = threshold(&predict(&model, &x_test, 4096));
    let truth_test = classes(&y_test);
    out.metric("train_accuracy", accuracy(&train_pred, &truth_train));
    out.metric("test_accuracy", accuracy(&test_pred, &truth_test));
    out.last_of_history(&["train_loss"]);

    let names = vec!["7".to_string(), "1".to_string()];
    let counts = confusion(&test_pred, &truth_test, 2);
    println!("test confusion matrix (class 0 = digit 7, class 1 = digit 1):");
    print_confusion(&counts, &names);
    out.files.push(plot::confusion_matrix(
        &ctx.out("confusion.png"),
        "1 vs 7: test set",
        &counts,
        &names,
    )?);
    let labels = Labels {
        title: "1 vs 7: training loss and accuracy".into(),
        x: "epoch".into(),
        y: "binary cross-entropy".into(),
        y_right: "training accuracy".into(),
    };
    let series = [
        Series::line("loss", out.history.curve("train_loss")),
        Series::line("accuracy", out.history.curve("train_accuracy")).on_right_axis(),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("curves.png"), &labels, &series)?);
    Ok(out)
}
