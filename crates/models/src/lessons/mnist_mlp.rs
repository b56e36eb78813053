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
use optim::{Adam, AdamConfig, Optimizer, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};

use crate::context::Context;
use crate::eval::{evaluate_logits, predict};
use crate::fit::fit;
use crate::metrics::{classes, confusion, print_confusion};
use crate::mnist::load;
use crate::networks::mnist_mlp;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome, OutputError};

/// The course's recipe.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// Adam's learning rate.
    pub lr: f32,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
    /// Hidden units.
    pub hidden: usize,
    /// The hidden layer's activation.
    pub activation: Activation,
}

impl LessonRecipe for Recipe {
    /// Adam lr 0.001, batches of 64, 10 epochs, 128 ReLU units.
    fn course(_schedule: Schedule) -> Recipe {
        Recipe {
            lr: 1e-3,
            batch_size: 64,
            epochs: 10,
            hidden: 128,
            activation: Activation::ReLU,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::f32(
                "lr",
                "Adam's learning rate",
                &mut self.lr,
                Interval::Positive,
            ),
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::count("epochs", "passes over the training set", &mut self.epochs),
            Param::count("hidden", "hidden units", &mut self.hidden),
            Param::activation("activation", "hidden activation", &mut self.activation),
        ]
    }
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let (train_set, test_set) = (load(ctx, Split::Train)?, load(ctx, Split::Test)?);
    let (x_train, y_train) = (train_set.images(), train_set.labels_tensor());
    let (x_test, y_test) = (test_set.images(), test_set.labels_tensor());
    let mut out = Outcome::default();
    let recipe: Recipe = ctx.recipe();
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let model = mnist_mlp(recipe.hidden, recipe.activation, &mut rng);
    println!("{}", summary(&model, &[1, 28, 28]));
    let config = AdamConfig {
        lr: recipe.lr,
        ..AdamConfig::default()
    };
    let mut opt = Adam::new(model.parameters(), config);
    let loader = DataLoader::new(&x_train, &y_train, recipe.batch_size);
    let truth_test = classes(&y_test);
    let title = format!("784 → {} {} → 10, Adam", recipe.hidden, recipe.activation);
    let mut progress = Progress::new(&title, recipe.epochs, loader.num_batches());
    // Like Keras, the training accuracy is counted on the batches as they are trained.
    let right = Cell::new(0);
    out.history = fit(
        recipe.epochs,
        |_| {
            right.set(0);
            loader.shuffled(&mut rng)
        },
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
