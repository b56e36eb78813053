//! Lesson 3 — MNIST, 1 versus 7.
//!
//! A first real data set: 28×28 images of handwritten 1s and 7s, flattened to 784 numbers.
//! One hidden layer of 256 tanh units and one sigmoid output give the probability that an
//! image is a 1. The recipe is the Keras course's: Glorot-uniform weights, binary
//! cross-entropy, plain gradient descent with learning rate 0.001 on the whole training set
//! at once (one step per epoch), 500 epochs.

use autograd::Var;
use data::Split;
use layers::{Mode, Module, summary};
use optim::{Optimizer, Sgd, SgdConfig, bce};
use rand::{SeedableRng, rngs::StdRng};

use crate::context::Context;
use crate::eval::{predict, threshold};
use crate::metrics::{accuracy, classes, confusion, print_confusion};
use crate::mnist::{flat_images, load};
use crate::networks::mnist_1v7_net;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::report::{LessonError, Outcome, check_finite};

/// The course's recipe.
pub struct Recipe {
    /// SGD learning rate.
    pub lr: f32,
    /// Full-batch steps.
    pub epochs: usize,
}

/// Plain SGD with lr 0.001 on the full training set, 500 epochs.
pub const RECIPE: Recipe = Recipe {
    lr: 0.001,
    epochs: 500,
};

/// The network as training starts from `seed`: Glorot-uniform weights and zero biases,
/// drawn from a generator seeded with `seed`. The PyTorch trajectory script starts from the
/// same numbers (`cargo run -p models --example export_lesson3_init` writes them).
pub fn initial_model(seed: u64) -> layers::Sequential {
    mnist_1v7_net(&mut StdRng::seed_from_u64(seed))
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
    data::grid::save_grid(&grid_path, &samples, &captions, 4)
        .map_err(|e| LessonError::Output(e.to_string()))?;
    out.files.push(grid_path);

    let model = initial_model(ctx.seed);
    println!("{}", summary(&model, &[784]));
    let mut opt = Sgd::new(
        model.parameters(),
        SgdConfig {
            lr: RECIPE.lr,
            ..SgdConfig::default()
        },
    )
    .expect("valid SGD settings");
    let epochs = ctx.epochs.unwrap_or(RECIPE.epochs);
    let x = Var::constant(x_train.clone());
    let truth_train = classes(&y_train);
    let mut progress = Progress::new("784 → 256 tanh → 1 sigmoid, full-batch SGD", epochs, 1);
    let (mut loss_curve, mut acc_curve) = (Vec::new(), Vec::new());
    for epoch in 1..=epochs {
        let y_hat = model.forward(&x, Mode::Train);
        let loss = bce(&y_hat, &y_train);
        opt.zero_grad();
        loss.backward();
        opt.step();
        check_finite(loss.item(), epoch, 1)?;
        // Like Keras, report the accuracy of the predictions this step was computed from.
        let acc = accuracy(&threshold(&y_hat.value()), &truth_train);
        loss_curve.push((epoch as f64, loss.item() as f64));
        acc_curve.push((epoch as f64, acc));
        progress.step(loss.item());
        if epoch % 50 == 0 || epoch == epochs {
            progress.epoch(epoch, &[("loss", loss.item() as f64), ("accuracy", acc)]);
        }
    }
    progress.finish();

    let train_pred = threshold(&predict(&model, &x_train, 4096));
    let test_pred = threshold(&predict(&model, &x_test, 4096));
    let truth_test = classes(&y_test);
    out.metric("train_accuracy", accuracy(&train_pred, &truth_train));
    out.metric("test_accuracy", accuracy(&test_pred, &truth_test));
    out.metric("train_loss", loss_curve.last().map_or(f64::NAN, |p| p.1));
    out.curve("train_loss", &loss_curve);
    out.curve("train_accuracy", &acc_curve);

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
        Series::line("loss", loss_curve),
        Series::line("accuracy", acc_curve).on_right_axis(),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("curves.png"), &labels, &series)?);
    Ok(out)
}
