//! Lesson 4 — iris, softmax and dropout.
//!
//! Three species of iris, four measurements each. The network ends in a softmax, so it
//! outputs a probability for each species, and learns by sparse categorical cross-entropy
//! (the negative log-probability of the true species). Dropout switches off a random 20% of
//! the hidden units at each training step, so that no unit can rely on another; it is off
//! when the network is evaluated. The recipe is the Keras course's: RMSprop, the training
//! set repeated 20 times per epoch, batches of 32, 10 epochs.

use autograd::Var;
use data::split::train_test;
use data::{DataLoader, iris::iris};
use layers::{Mode, Module};
use optim::{Optimizer, RmsProp, RmsPropConfig, sparse_categorical_cross_entropy};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::context::Context;
use crate::eval::predict;
use crate::metrics::{accuracy, classes};
use crate::networks::iris_net;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::report::{LessonError, Outcome, check_finite};

/// The course's recipe.
pub struct Recipe {
    /// Fraction of the 150 flowers held out for testing.
    pub test_fraction: f64,
    /// How many times the training set is repeated within one epoch.
    pub repeat: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
    /// Seeds over which the median test accuracy is taken.
    pub seeds: u64,
}

/// 80/20 split, training set ×20 per epoch, batches of 32, 10 epochs, 10 seeds.
pub const RECIPE: Recipe = Recipe {
    test_fraction: 0.2,
    repeat: 20,
    batch_size: 32,
    epochs: 10,
    seeds: 10,
};

/// A trained network and its per-epoch curves.
struct Run {
    model: layers::Sequential,
    test_accuracy: f64,
    curves: Vec<Series>,
}

/// Trains from the initialisation, dropout masks and shuffles drawn with `seed`.
fn train(
    x_train: &Tensor,
    y_train: &Tensor,
    x_test: &Tensor,
    y_test: &Tensor,
    seed: u64,
    epochs: usize,
    verbose: bool,
) -> Result<Run, LessonError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let model = iris_net(&mut rng, seed);
    let mut opt = RmsProp::new(model.parameters(), RmsPropConfig::keras())
        .expect("Keras' RMSprop settings are valid");
    // "The training set repeated 20 times": one epoch sees every flower 20 times.
    let copies_x: Vec<&Tensor> = vec![x_train; RECIPE.repeat];
    let copies_y: Vec<&Tensor> = vec![y_train; RECIPE.repeat];
    let (x_rep, y_rep) = (Tensor::concat(&copies_x, 0), Tensor::concat(&copies_y, 0));
    let loader = DataLoader::new(&x_rep, &y_rep, RECIPE.batch_size);
    let mut progress = verbose.then(|| {
        Progress::new(
            "4 → 10 ReLU → dropout 0.2 → 3 softmax",
            epochs,
            loader.num_batches(),
        )
    });
    let (mut loss_curve, mut acc_curve, mut val_curve) = (Vec::new(), Vec::new(), Vec::new());
    let (truth_train, truth_test) = (classes(y_train), classes(y_test));
    for epoch in 1..=epochs {
        let mut total = 0.0;
        for (step, (x_b, y_b)) in loader.shuffled(&mut rng).enumerate() {
            let y_hat = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = sparse_categorical_cross_entropy(&y_hat, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            check_finite(loss.item(), epoch, step + 1)?;
            total += loss.item() as f64;
            if let Some(p) = &progress {
                p.step(loss.item());
            }
        }
        let loss = total / loader.num_batches() as f64;
        let train_acc = accuracy(&predict(&model, x_train, 256).argmax_rows(), &truth_train);
        let test_acc = accuracy(&predict(&model, x_test, 256).argmax_rows(), &truth_test);
        loss_curve.push((epoch as f64, loss));
        acc_curve.push((epoch as f64, train_acc));
        val_curve.push((epoch as f64, test_acc));
        if let Some(p) = progress.as_mut() {
            p.epoch(
                epoch,
                &[
                    ("loss", loss),
                    ("accuracy", train_acc),
                    ("val_accuracy", test_acc),
                ],
            );
        }
    }
    if let Some(p) = progress {
        p.finish();
    }
    Ok(Run {
        model,
        test_accuracy: val_curve.last().map_or(0.0, |p| p.1),
        curves: vec![
            Series::line("loss", loss_curve),
            Series::line("train accuracy", acc_curve).on_right_axis(),
            Series::line("test accuracy", val_curve).on_right_axis(),
        ],
    })
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let set = iris();
    let mut split_rng = StdRng::seed_from_u64(ctx.seed);
    let (train_rows, test_rows) = train_test(set.x.dim(0), RECIPE.test_fraction, &mut split_rng);
    let (x_train, y_train) = (
        set.x.select_rows(&train_rows),
        set.y.select_rows(&train_rows),
    );
    let (x_test, y_test) = (set.x.select_rows(&test_rows), set.y.select_rows(&test_rows));
    println!(
        "iris: {} training and {} test flowers",
        train_rows.len(),
        test_rows.len()
    );
    let epochs = ctx.epochs.unwrap_or(RECIPE.epochs);

    let run = train(&x_train, &y_train, &x_test, &y_test, ctx.seed, epochs, true)?;
    let mut out = Outcome::default();
    out.metric("test_accuracy", run.test_accuracy);
    out.curve("train_loss", &run.curves[0].points);

    // One test flower of each species: the predicted species, its probability, right or not.
    let probs = predict(&run.model, &x_test, 256);
    let truth = classes(&y_test);
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
    out.files.push(plot::line_chart(
        &ctx.out("curves.png"),
        &labels,
        &run.curves,
    )?);

    let mut accuracies = Vec::new();
    for s in 0..RECIPE.seeds {
        accuracies.push(
            train(
                &x_train,
                &y_train,
                &x_test,
                &y_test,
                ctx.seed + s,
                epochs,
                false,
            )?
            .test_accuracy,
        );
    }
    let text: Vec<String> = accuracies
        .iter()
        .map(|a| format!("{:.1}%", a * 100.0))
        .collect();
    println!(
        "test accuracy over {} seeds: {}",
        RECIPE.seeds,
        text.join(", ")
    );
    out.metric("test_accuracy_median_10_seeds", median(&mut accuracies));
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
