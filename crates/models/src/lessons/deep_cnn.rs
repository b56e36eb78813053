//! Lesson 7 — a deeper CNN, your own images, and inverted-image augmentation.
//!
//! Four blocks of 5×5 convolution, ReLU and 2×2 max pooling (28 → 14 → 7 → 4 → 2) with
//! 16, 32, 64 and 128 filters, then a dense layer with dropout: the Keras course's network,
//! trained with RMSprop on batches of 128.
//!
//! Then the course's lesson about data: a photo of handwriting is dark ink on light paper,
//! the opposite of MNIST's white ink on black. The model has never seen such an image, so
//! it misreads the pictures the project ships (and scores badly on the inverted test set).
//! Adding an inverted copy of every training image (120,000 images) and training 5 more
//! epochs teaches it both. A picture that is not a digit still gets a digit: the softmax
//! must spread 100% over the ten classes.

use autograd::Var;
use data::augment::{concat_sets, invert};
use data::{DataLoader, Split};
use layers::{Mode, Module, Sequential, summary};
use optim::{Optimizer, RmsProp, RmsPropConfig, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::context::{Context, Schedule};
use crate::eval::predict;
use crate::metrics::{accuracy, classes};
use crate::mnist::load;
use crate::networks::deep_cnn;
use crate::own_images::{self, Prediction, classify_files};
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::report::{LessonError, Outcome, check_finite};

/// The recipe of one schedule.
pub struct Recipe {
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs on MNIST as it is.
    pub epochs: usize,
    /// Further epochs on MNIST plus its inverted copy.
    pub augmented_epochs: usize,
}

/// The Keras course: batches of 128, 20 epochs, then 5 epochs with inverted copies.
pub const FULL: Recipe = Recipe {
    batch_size: 128,
    epochs: 20,
    augmented_epochs: 5,
};

/// The test suite's shorter schedule: 2 epochs, then 1 with inverted copies.
pub const QUICK: Recipe = Recipe {
    batch_size: 128,
    epochs: 2,
    augmented_epochs: 1,
};

/// The file the trained model is saved to, inside the lesson's output folder; `cargo xtask
/// predict` loads it from there.
pub const MODEL_FILE: &str = "model.safetensors";

/// The per-epoch record of a training stage.
#[derive(Default)]
struct Curves {
    loss: Vec<(f64, f64)>,
    test: Vec<(f64, f64)>,
    inverted: Vec<(f64, f64)>,
}

/// What `train_stage` evaluates after each epoch.
struct TestSets<'a> {
    x: &'a Tensor,
    x_inverted: &'a Tensor,
    truth: &'a [usize],
}

impl TestSets<'_> {
    fn accuracies(&self, model: &Sequential) -> (f64, f64) {
        (
            accuracy(&predict(model, self.x, 500).argmax_rows(), self.truth),
            accuracy(
                &predict(model, self.x_inverted, 500).argmax_rows(),
                self.truth,
            ),
        )
    }
}

/// Trains `model` for `epochs` more epochs on `(x, y)`, numbering epochs after `first`.
#[allow(clippy::too_many_arguments)]
fn train_stage(
    title: &str,
    model: &Sequential,
    opt: &mut RmsProp,
    (x, y): (&Tensor, &Tensor),
    batch_size: usize,
    (first, epochs): (usize, usize),
    test: &TestSets,
    curves: &mut Curves,
    rng: &mut StdRng,
) -> Result<(), LessonError> {
    let loader = DataLoader::new(x, y, batch_size);
    let mut progress = Progress::new(title, epochs, loader.num_batches());
    for e in 1..=epochs {
        let epoch = first + e;
        let mut total = 0.0;
        for (step, (x_b, y_b)) in loader.shuffled(rng).enumerate() {
            let logits = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = cross_entropy(&logits, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            check_finite(loss.item(), epoch, step + 1)?;
            total += loss.item() as f64;
            progress.step(loss.item());
        }
        let loss = total / loader.num_batches() as f64;
        let (acc, inv) = test.accuracies(model);
        curves.loss.push((epoch as f64, loss));
        curves.test.push((epoch as f64, acc));
        curves.inverted.push((epoch as f64, inv));
        progress.epoch(
            e,
            &[
                ("loss", loss),
                ("test accuracy", acc),
                ("inverted test accuracy", inv),
            ],
        );
    }
    progress.finish();
    Ok(())
}

/// The shipped pictures as the model saw them, their true labels, and its predictions.
struct Shown {
    predictions: Vec<Prediction>,
    images: Tensor,
    labels: Vec<Option<usize>>,
}

/// Prints each shipped picture's prediction and returns what was shown.
fn show_predictions(model: &Sequential, when: &str) -> Result<Shown, LessonError> {
    let files = own_images::shipped()?;
    let (paths, labels): (Vec<_>, Vec<_>) = files.into_iter().unzip();
    let (predictions, images) = classify_files(model, &paths)?;
    println!("the shipped pictures, {when}:");
    for (p, label) in predictions.iter().zip(&labels) {
        let verdict = match label {
            Some(t) if *t == p.top_two()[0].0 => "✓".to_string(),
            Some(t) => format!("✗ (it is a {t})"),
            None => {
                let probs: Vec<String> =
                    p.probabilities.iter().map(|q| format!("{q:.2}")).collect();
                format!("(not a digit; probabilities {})", probs.join(" "))
            }
        };
        println!("  {p}  {verdict}");
    }
    Ok(Shown {
        predictions,
        images,
        labels,
    })
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let recipe = match ctx.schedule {
        Schedule::Full => &FULL,
        Schedule::Quick => &QUICK,
    };
    let (train_set, test_set) = (load(ctx, Split::Train)?, load(ctx, Split::Test)?);
    let (x_train, y_train) = (train_set.images(), train_set.labels_tensor());
    let x_test = test_set.images();
    let x_test_inverted = invert(&x_test);
    let truth = classes(&test_set.labels_tensor());
    let test = TestSets {
        x: &x_test,
        x_inverted: &x_test_inverted,
        truth: &truth,
    };

    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let model = deep_cnn(&mut rng, ctx.seed);
    println!("{}", summary(&model, &[1, 28, 28]));
    let mut opt = RmsProp::new(model.parameters(), RmsPropConfig::keras())
        .expect("Keras' RMSprop settings are valid");
    let mut curves = Curves::default();
    let epochs = ctx.epochs.unwrap_or(recipe.epochs);
    train_stage(
        "Deep CNN on MNIST",
        &model,
        &mut opt,
        (&x_train, &y_train),
        recipe.batch_size,
        (0, epochs),
        &test,
        &mut curves,
        &mut rng,
    )?;

    let mut out = Outcome::default();
    let (acc, inv) = test.accuracies(&model);
    out.metric("test_accuracy", acc);
    out.metric("inverted_test_accuracy_before", inv);
    println!(
        "before augmentation: test accuracy {:.2}%, inverted test accuracy {:.2}%",
        acc * 100.0,
        inv * 100.0
    );
    let before = show_predictions(&model, "before augmentation")?;

    // Augmentation: every training image again, inverted (120,000 images).
    let x_train_inverted = invert(&x_train);
    let (x_aug, y_aug) = concat_sets(&[(&x_train, &y_train), (&x_train_inverted, &y_train)]);
    drop(x_train_inverted);
    println!("augmented training set: {} images", x_aug.dim(0));
    let title = "Deep CNN on MNIST + inverted copies";
    train_stage(
        title,
        &model,
        &mut opt,
        (&x_aug, &y_aug),
        recipe.batch_size,
        (epochs, recipe.augmented_epochs),
        &test,
        &mut curves,
        &mut rng,
    )?;
    let (acc, inv) = test.accuracies(&model);
    out.metric("inverted_test_accuracy", inv);
    out.metric("test_accuracy_after_augmentation", acc);
    out.curve("train_loss", &curves.loss);
    out.metric(
        "combined_test_accuracy_after_augmentation",
        (acc + inv) / 2.0,
    );
    println!(
        "after augmentation: test accuracy {:.2}%, inverted {:.2}%, both (20,000 images) {:.2}%",
        acc * 100.0,
        inv * 100.0,
        (acc + inv) * 50.0
    );
    let after = show_predictions(&model, "after augmentation")?;

    let model_path = ctx.out(MODEL_FILE);
    layers::save(&model, &model_path).map_err(|e| LessonError::Output(e.to_string()))?;
    println!(
        "saved the model to {} (try `cargo xtask predict FILE...`)",
        model_path.display()
    );
    out.files.push(model_path);

    let captions: Vec<String> = before
        .labels
        .iter()
        .zip(before.predictions.iter().zip(&after.predictions))
        .map(|(label, (b, a))| {
            let truth = label.map_or("?".to_string(), |t| t.to_string());
            format!("{truth}:{}→{}", b.top_two()[0].0, a.top_two()[0].0)
        })
        .collect();
    let grid = ctx.out("own_images.png");
    data::grid::save_grid(&grid, &before.images, &captions, captions.len())
        .map_err(|e| LessonError::Output(e.to_string()))?;
    out.files.push(grid);

    let labels = Labels {
        title: format!("Deep CNN: epochs 1–{epochs} on MNIST, then with inverted copies"),
        x: "epoch".into(),
        y: "cross-entropy".into(),
        y_right: "accuracy".into(),
    };
    let series = [
        Series::line("training loss", curves.loss),
        Series::line("test accuracy", curves.test).on_right_axis(),
        Series::line("inverted test accuracy", curves.inverted).on_right_axis(),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("curves.png"), &labels, &series)?);
    Ok(out)
}
