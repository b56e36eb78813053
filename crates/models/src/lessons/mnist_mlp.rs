//! Lesson 5 — all ten MNIST digits with a multilayer perceptron.
//!
//! The course's quiz: ten classes instead of two. The network ends in ten numbers, the
//! logits, one per digit; cross-entropy turns them into probabilities with a softmax and
//! scores the log-probability of the true digit. Adam adapts each weight's step size. The
//! recipe: `784 → 128` ReLU `→ 10`, Adam lr 0.001, batches of 64, 10 epochs.

use std::cell::Cell;

use autograd::Var;
use data::{DataLoader, Split};
use layers::{Activation, Mode, Module, summary};
use optim::{Adam, AdamConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};

use crate::choices::OptimizerKind;
use crate::context::Context;
use crate::eval::{evaluate_logits, predict};
use crate::fit::fit;
use crate::metrics::{classes, confusion, print_confusion};
use crate::mnist::{TEST_IMAGES, TRAIN_IMAGES, first, load};
use crate::networks::mnist_mlp;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Named, Param, Schedule};
use crate::report::{LessonError, Outcome, OutputError};

/// The course's recipe.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// The optimizer.
    pub optimizer: OptimizerKind,
    /// Its learning rate.
    pub lr: f32,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
    /// The width of each hidden layer.
    pub hidden: Vec<usize>,
    /// The hidden layers' activation.
    pub activation: Activation,
    /// Training images used: the first this many of 60,000.
    pub train_images: usize,
    /// Test images measured: the first this many of 10,000.
    pub test_images: usize,
}

impl LessonRecipe for Recipe {
    /// Adam lr 0.001, batches of 64, 10 epochs, one hidden layer of 128 ReLU units, all of
    /// MNIST.
    fn course(_schedule: Schedule) -> Recipe {
        Recipe {
            optimizer: OptimizerKind::Adam,
            lr: 1e-3,
            batch_size: 64,
            epochs: 10,
            hidden: vec![128],
            activation: Activation::ReLU,
            train_images: TRAIN_IMAGES,
            test_images: TEST_IMAGES,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::choice(
                "optimizer",
                "the optimizer (PyTorch's settings)",
                &mut self.optimizer,
            ),
            Param::f32(
                "lr",
                "the optimizer's learning rate",
                &mut self.lr,
                Interval::Positive,
            ),
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::count("epochs", "passes over the training set", &mut self.epochs),
            Param::counts("hidden", "hidden layers' widths", &mut self.hidden),
            Param::choice("activation", "hidden activation", &mut self.activation),
            Param::count_in(
                "train_images",
                "training images used, the first N",
                &mut self.train_images,
                (1, TRAIN_IMAGES),
            ),
            Param::count_in(
                "test_images",
                "test images measured, the first N",
                &mut self.test_images,
                (1, TEST_IMAGES),
            ),
        ]
    }
}

/// The recipe's optimizer over `params` at the recipe's learning rate, each with PyTorch's
/// settings: Adam (the course's), plain SGD, or RMSprop.
fn optimizer(recipe: &Recipe, params: Vec<Var>) -> Box<dyn Optimizer> {
    let lr = recipe.lr;
    match recipe.optimizer {
        OptimizerKind::Adam => Box::new(Adam::new(
            params,
            AdamConfig {
                lr,
                ..AdamConfig::default()
            },
        )),
        OptimizerKind::Sgd => Box::new(Sgd::new(
            params,
            SgdConfig {
                lr,
                ..SgdConfig::default()
            },
        )),
        OptimizerKind::RmsProp => Box::new(RmsProp::new(
            params,
            RmsPropConfig {
                lr,
                ..RmsPropConfig::default()
            },
        )),
    }
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let recipe: Recipe = ctx.recipe();
    let train_set = first(load(ctx, Split::Train)?, recipe.train_images);
    let test_set = first(load(ctx, Split::Test)?, recipe.test_images);
    let (x_train, y_train) = (train_set.images(), train_set.labels_tensor());
    let (x_test, y_test) = (test_set.images(), test_set.labels_tensor());
    let mut out = Outcome::default();
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let model = mnist_mlp(&recipe.hidden, recipe.activation, &mut rng);
    println!("{}", summary(&model, &[1, 28, 28]));
    let mut opt = optimizer(&recipe, model.parameters());
    let loader = DataLoader::new(&x_train, &y_train, recipe.batch_size);
    let truth_test = classes(&y_test);
    let widths: Vec<String> = recipe.hidden.iter().map(|h| h.to_string()).collect();
    let title = format!(
        "784 → {} {} → 10, {}",
        widths.join(" → "),
        recipe.activation,
        recipe.optimizer.name()
    );
    let mut progress = Progress::new(&title, recipe.epochs, loader.num_batches());
    // Like Keras, the training accuracy is counted on the batches as they are trained.
    let right = Cell::new(0);
    out.history = fit(
        recipe.epochs,
        |_| {
            right.set(0);
            loader.shuffled(&mut rng)
        },
        // ANCHOR: step
        |(x_b, y_b)| {
            let logits = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = cross_entropy(&logits, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            let predicted = logits.value().argmax_rows();
            let hits = predicted
                .iter()
                .zip(classes(&y_b))
                .filter(|(p, t)| **p == *t);
            right.set(right.get() + hits.count());
            loss.item()
        },
        // ANCHOR_END: step
        |_| {
            let (test_loss, test_accuracy) = evaluate_logits(&model, &x_test, &y_test, 1000);
            vec![
                ("train_accuracy", right.get() as f64 / loader.len() as f64),
                ("test_loss", test_loss),
                ("test_accuracy", test_accuracy),
            ]
        },
        &mut [&mut progress],
    )?;
    progress.finish();

    let predicted = predict(&model, &x_test, 1000).argmax_rows();
    out.last_of_history(&["test_accuracy", "test_loss"]);

    let names: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    let counts = confusion(&predicted, &truth_test, 10);
    println!("test confusion matrix:");
    print_confusion(&counts, &names);
    out.files.push(plot::confusion_matrix(
        &ctx.out("confusion.png"),
        "MLP: test set",
        &counts,
        &names,
    )?);
    let labels = Labels {
        title: "MLP on MNIST: loss and accuracy".into(),
        x: "epoch".into(),
        y: "cross-entropy".into(),
        y_right: "accuracy".into(),
    };
    let series = [
        Series::line("training loss", out.history.curve("train_loss")),
        Series::line("test loss", out.history.curve("test_loss")),
        Series::line("train accuracy", out.history.curve("train_accuracy")).on_right_axis(),
        Series::line("test accuracy", out.history.curve("test_accuracy")).on_right_axis(),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("curves.png"), &labels, &series)?);

    // The test digits it gets wrong, captioned "true → predicted".
    let wrong: Vec<usize> = (0..predicted.len())
        .filter(|&i| predicted[i] != truth_test[i])
        .take(36)
        .collect();
    let captions: Vec<String> = wrong
        .iter()
        .map(|&i| format!("{}→{}", truth_test[i], predicted[i]))
        .collect();
    let path = ctx.out("mistakes.png");
    data::grid::save_grid(&path, &x_test.select_rows(&wrong), &captions, 6)
        .map_err(OutputError::Grid)?;
    out.files.push(path);
    Ok(out)
}
