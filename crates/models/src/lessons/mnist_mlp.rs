//! Lesson 5 — all ten MNIST digits with a multilayer perceptron.
//!
//! The course's quiz: ten classes instead of two. The network ends in ten numbers, the
//! logits, one per digit; cross-entropy turns them into probabilities with a softmax and
//! scores the log-probability of the true digit. Adam adapts each weight's step size. The
//! recipe: `784 → 128` ReLU `→ 10`, Adam lr 0.001, batches of 64, 10 epochs.

use autograd::Var;
use data::{DataLoader, Split};
use layers::{Mode, Module};
use optim::{Adam, AdamConfig, Optimizer, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};

use crate::context::Context;
use crate::eval::predict;
use crate::metrics::{accuracy, classes, confusion, print_confusion};
use crate::mnist::load;
use crate::networks::mnist_mlp;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::report::{LessonError, Outcome, check_finite};

/// The course's recipe.
pub struct Recipe {
    /// Adam's learning rate.
    pub lr: f32,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
}

/// Adam lr 0.001, batches of 64, 10 epochs.
pub const RECIPE: Recipe = Recipe {
    lr: 1e-3,
    batch_size: 64,
    epochs: 10,
};

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let (train_set, test_set) = (load(ctx, Split::Train)?, load(ctx, Split::Test)?);
    let (x_train, y_train) = (train_set.images(), train_set.labels_tensor());
    let (x_test, y_test) = (test_set.images(), test_set.labels_tensor());
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let model = mnist_mlp(&mut rng);
    let mut opt = Adam::new(
        model.parameters(),
        AdamConfig {
            lr: RECIPE.lr,
            ..AdamConfig::default()
        },
    )
    .expect("valid Adam settings");
    let loader = DataLoader::new(&x_train, &y_train, RECIPE.batch_size);
    let epochs = ctx.epochs.unwrap_or(RECIPE.epochs);
    let truth_test = classes(&y_test);
    let mut progress = Progress::new("784 → 128 ReLU → 10, Adam", epochs, loader.num_batches());
    let (mut loss_curve, mut acc_curve, mut test_curve) = (Vec::new(), Vec::new(), Vec::new());
    for epoch in 1..=epochs {
        let (mut total, mut right) = (0.0, 0);
        for (step, (x_b, y_b)) in loader.shuffled(&mut rng).enumerate() {
            let logits = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = cross_entropy(&logits, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            check_finite(loss.item(), epoch, step + 1)?;
            total += loss.item() as f64;
            right += logits
                .value()
                .argmax_rows()
                .iter()
                .zip(classes(&y_b))
                .filter(|(p, t)| **p == *t)
                .count();
            progress.step(loss.item());
        }
        let loss = total / loader.num_batches() as f64;
        let train_acc = right as f64 / loader.len() as f64;
        let test_acc = accuracy(&predict(&model, &x_test, 1000).argmax_rows(), &truth_test);
        loss_curve.push((epoch as f64, loss));
        acc_curve.push((epoch as f64, train_acc));
        test_curve.push((epoch as f64, test_acc));
        progress.epoch(
            epoch,
            &[
                ("loss", loss),
                ("accuracy", train_acc),
                ("test accuracy", test_acc),
            ],
        );
    }
    progress.finish();

    let predicted = predict(&model, &x_test, 1000).argmax_rows();
    let mut out = Outcome::default();
    out.metric("test_accuracy", accuracy(&predicted, &truth_test));
    out.curve("train_loss", &loss_curve);

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
        Series::line("loss", loss_curve),
        Series::line("train accuracy", acc_curve).on_right_axis(),
        Series::line("test accuracy", test_curve).on_right_axis(),
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
        .map_err(|e| LessonError::Output(e.to_string()))?;
    out.files.push(path);
    Ok(out)
}
