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
use data::image_io::Preprocess;
use data::{DataLoader, Split};
use layers::{Mode, Module, Sequential, summary};
use optim::{Optimizer, RmsProp, RmsPropConfig, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::context::Context;
use crate::digit_model::{self, Network};
use crate::eval::{evaluate_logits, predict};
use crate::fit::fit;
use crate::history::History;
use crate::metrics::accuracy;
use crate::mnist::load;
use crate::networks::deep_cnn;
use crate::own_images::{self, Prediction, classify_files};
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome, OutputError};

/// The recipe of one schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs on MNIST as it is.
    pub epochs: usize,
    /// Further epochs on MNIST plus its inverted copy.
    pub augmented_epochs: usize,
    /// RMSprop's learning rate.
    pub lr: f32,
    /// The dropout rate before the last layer.
    pub dropout: f32,
}

impl LessonRecipe for Recipe {
    /// The Keras course: batches of 128, 20 epochs, then 5 epochs with inverted copies,
    /// RMSprop lr 0.001, dropout 0.4. The test suite's shorter schedule: 2 epochs, then 1.
    fn course(schedule: Schedule) -> Recipe {
        let (epochs, augmented_epochs) = match schedule {
            Schedule::Full => (20, 5),
            Schedule::Quick => (2, 1),
        };
        Recipe {
            batch_size: 128,
            epochs,
            augmented_epochs,
            lr: 1e-3,
            dropout: 0.4,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::count("epochs", "epochs on MNIST as it is", &mut self.epochs),
            Param::count(
                "augmented_epochs",
                "further epochs with inverted copies",
                &mut self.augmented_epochs,
            ),
            Param::f32(
                "lr",
                "RMSprop's learning rate",
                &mut self.lr,
                Interval::Positive,
            ),
            Param::f32(
                "dropout",
                "dropout before the last layer",
                &mut self.dropout,
                Interval::UnitFromZero,
            ),
        ]
    }
}

/// The file the trained model is saved to, inside the lesson's output folder; `cargo xtask
/// predict` loads it from there.
pub const MODEL_FILE: &str = "model.safetensors";

/// What each epoch is measured on: the test set as it is and inverted.
struct TestSets<'a> {
    x: &'a Tensor,
    y: &'a Tensor,
    x_inverted: &'a Tensor,
    truth: &'a [usize],
}

impl TestSets<'_> {
    /// Test loss and accuracy, and the accuracy on the inverted test images.
    fn measure(&self, model: &Sequential) -> Vec<(&'static str, f64)> {
        let (loss, acc) = evaluate_logits(model, self.x, self.y, 500);
        let inverted = accuracy(
            &predict(model, self.x_inverted, 500).argmax_rows(),
            self.truth,
        );
        vec![
            ("test_loss", loss),
            ("test_accuracy", acc),
            ("inverted_test_accuracy", inverted),
        ]
    }
}

/// Trains `model` for `epochs` epochs on `(x, y)`.
fn train_stage(
    title: &str,
    (model, opt): (&Sequential, &mut RmsProp),
    (x, y): (&Tensor, &Tensor),
    (batch_size, epochs): (usize, usize),
    test: &TestSets,
    rng: &mut StdRng,
) -> Result<History, LessonError> {
    let loader = DataLoader::new(x, y, batch_size);
    let mut progress = Progress::new(title, epochs, loader.num_batches());
    let history = fit(
        epochs,
        |_| loader.shuffled(rng),
        |(x_b, y_b)| {
            let logits = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = cross_entropy(&logits, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            loss.item()
        },
        |_| test.measure(model),
        &mut [&mut progress],
    )?;
    progress.finish();
    Ok(history)
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
    let (predictions, images) = classify_files(model, &paths, Preprocess::Mnist)?;
    println!("the shipped pictures, {when}:");
    for (p, label) in predictions.iter().zip(&labels) {
        let verdict = match label {
            Some(t) if *t == p.digit() => "✓".to_string(),
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
    let recipe: Recipe = ctx.recipe();
    let (train_set, test_set) = (load(ctx, Split::Train)?, load(ctx, Split::Test)?);
    let (x_train, y_train) = (train_set.images(), train_set.labels_tensor());
    let (x_test, y_test) = (test_set.images(), test_set.labels_tensor());
    let x_test_inverted = invert(&x_test);
    let truth = crate::metrics::classes(&y_test);
    let test = TestSets {
        x: &x_test,
        y: &y_test,
        x_inverted: &x_test_inverted,
        truth: &truth,
    };

    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let model = deep_cnn(recipe.dropout, &mut rng, ctx.seed);
    println!("{}", summary(&model, &[1, 28, 28]));
    let config = RmsPropConfig {
        lr: recipe.lr,
        ..RmsPropConfig::keras()
    };
    let mut opt = RmsProp::new(model.parameters(), config);
    let plain = train_stage(
        "Deep CNN on MNIST",
        (&model, &mut opt),
        (&x_train, &y_train),
        (recipe.batch_size, recipe.epochs),
        &test,
        &mut rng,
    )?;

    let mut out = Outcome::default();
    let (acc, inv) = (
        plain.last("test_accuracy").unwrap_or(0.0),
        plain.last("inverted_test_accuracy").unwrap_or(0.0),
    );
    out.metric("test_accuracy", acc);
    out.metric("test_loss", plain.last("test_loss").unwrap_or(f64::NAN));
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
    let augmented = train_stage(
        "Deep CNN on MNIST + inverted copies",
        (&model, &mut opt),
        (&x_aug, &y_aug),
        (recipe.batch_size, recipe.augmented_epochs),
        &test,
        &mut rng,
    )?;
    let (acc, inv) = (
        augmented.last("test_accuracy").unwrap_or(acc),
        augmented.last("inverted_test_accuracy").unwrap_or(inv),
    );
    out.history = plain.then(augmented);
    out.metric("inverted_test_accuracy", inv);
    out.metric("test_accuracy_after_augmentation", acc);
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
    digit_model::save(&model, Network::DeepCnn, &model_path)?;
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
            format!("{truth}:{}→{}", b.digit(), a.digit())
        })
        .collect();
    let grid = ctx.out("own_images.png");
    data::grid::save_grid(&grid, &before.images, &captions, captions.len())
        .map_err(OutputError::Grid)?;
    out.files.push(grid);

    let labels = Labels {
        title: format!(
            "Deep CNN: epochs 1–{} on MNIST, then with inverted copies",
            recipe.epochs
        ),
        x: "epoch".into(),
        y: "cross-entropy".into(),
        y_right: "accuracy".into(),
    };
    let series = [
        Series::line("training loss", out.history.curve("train_loss")),
        Series::line("test loss", out.history.curve("test_loss")),
        Series::line("test accuracy", out.history.curve("test_accuracy")).on_right_axis(),
        Series::line(
            "inverted test accuracy",
            out.history.curve("inverted_test_accuracy"),
        )
        .on_right_axis(),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("curves.png"), &labels, &series)?);
    Ok(out)
}
