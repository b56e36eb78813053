//! Lesson 6 — a first convolutional network on MNIST.
//!
//! A convolution slides 32 small 3×3 filters over the image, so the same few weights look
//! for the same stroke everywhere; max pooling keeps the strongest response in each 2×2
//! patch and halves the size. Two fully connected layers then classify. The recipe is the
//! PyTorch course's: pixels normalised to `(x/255 − 0.5)/0.5`, PyTorch's default
//! initialisation, cross-entropy, SGD with lr 0.0008 and momentum 0.9, shuffled batches
//! of 32, 10 epochs.

use autograd::Var;
use data::{DataLoader, Split};
use layers::{Mode, Module, summary};
use optim::{Optimizer, Sgd, SgdConfig, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::context::Context;
use crate::digit_model::{self, Network};
use crate::eval::{evaluate_logits, predict};
use crate::fit::fit;
use crate::metrics::{classes, confusion, print_confusion};
use crate::mnist::{TEST_IMAGES, TRAIN_IMAGES, first, load};
use crate::networks::first_cnn;
use crate::pictures::planes_as_images;
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome, OutputError};

/// The course's recipe.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// SGD learning rate.
    pub lr: f32,
    /// SGD momentum.
    pub momentum: f32,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
    /// The convolution's filters.
    pub filters: usize,
    /// Whether max pooling follows the convolution.
    pub pool: bool,
    /// Training images used: the first this many of 60,000.
    pub train_images: usize,
    /// Test images measured: the first this many of 10,000.
    pub test_images: usize,
}

impl LessonRecipe for Recipe {
    /// SGD lr 0.0008, momentum 0.9, batches of 32, 10 epochs, 32 filters and max pooling,
    /// all of MNIST. The test suite's shorter schedule: 3 epochs.
    fn course(schedule: Schedule) -> Recipe {
        Recipe {
            lr: 0.0008,
            momentum: 0.9,
            batch_size: 32,
            epochs: match schedule {
                Schedule::Full => 10,
                Schedule::Quick => 3,
            },
            filters: 32,
            pool: true,
            train_images: TRAIN_IMAGES,
            test_images: TEST_IMAGES,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::f32("lr", "SGD learning rate", &mut self.lr, Interval::Positive),
            Param::f32(
                "momentum",
                "SGD momentum",
                &mut self.momentum,
                Interval::UnitFromZero,
            ),
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::count("epochs", "passes over the training set", &mut self.epochs),
            Param::count("filters", "the convolution's filters", &mut self.filters),
            Param::bool("pool", "max pooling after the convolution", &mut self.pool),
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

/// The file the trained model is saved to, inside the lesson's output folder.
pub const MODEL_FILE: &str = "model.safetensors";

/// The mean training loss per epoch that the PyTorch course printed, for comparison.
pub const COURSE_LOSSES: [f64; 10] = [
    0.507, 0.195, 0.135, 0.103, 0.086, 0.074, 0.065, 0.058, 0.053, 0.049,
];

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let recipe: Recipe = ctx.recipe();
    let train_set = first(load(ctx, Split::Train)?, recipe.train_images);
    let test_set = first(load(ctx, Split::Test)?, recipe.test_images);
    // (x/255 − 0.5)/0.5 maps pixels to [−1, 1].
    let (x_train, y_train) = (
        data::standardize::center_unit(&train_set.images()),
        train_set.labels_tensor(),
    );
    let (x_test, y_test) = (
        data::standardize::center_unit(&test_set.images()),
        test_set.labels_tensor(),
    );
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let model = first_cnn(recipe.filters, recipe.pool, &mut rng);
    println!("{}", summary(&model, &[1, 28, 28]));
    let config = SgdConfig {
        lr: recipe.lr,
        momentum: recipe.momentum,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let loader = DataLoader::new(&x_train, &y_train, recipe.batch_size);
    let title = format!(
        "Conv(1→{}, 3×3) → ReLU{} → 128 → 10, SGD momentum",
        recipe.filters,
        if recipe.pool { " → MaxPool" } else { "" }
    );
    let mut progress = Progress::new(&title, recipe.epochs, loader.num_batches());
    let history = fit(
        recipe.epochs,
        |_| loader.shuffled(&mut rng),
        // ANCHOR: step
        |(x_b, y_b)| {
            let logits = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = cross_entropy(&logits, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            loss.item()
        },
        // ANCHOR_END: step
        |epoch| {
            let (test_loss, test_accuracy) = evaluate_logits(&model, &x_test, &y_test, 500);
            let course = COURSE_LOSSES.get(epoch - 1).copied().unwrap_or(f64::NAN);
            vec![
                ("course_train_loss", course),
                ("test_loss", test_loss),
                ("test_accuracy", test_accuracy),
            ]
        },
        &mut [&mut progress],
    )?;
    progress.finish();
    let mut out = Outcome {
        history,
        ..Outcome::default()
    };

    let predicted = predict(&model, &x_test, 500).argmax_rows();
    let truth_test = classes(&y_test);
    out.last_of_history(&["test_accuracy", "test_loss"]);
    let final_loss = out.history.last("train_loss").unwrap_or(f64::NAN);
    out.metric("final_train_loss", final_loss);
    // `cargo xtask predict` and the studio rebuild the course's network to load the
    // weights into, so only that shape is saved.
    let course = Recipe::course(ctx.schedule);
    if (recipe.filters, recipe.pool) == (course.filters, course.pool) {
        let model_path = ctx.out(MODEL_FILE);
        digit_model::save(&model, Network::FirstCnn, &model_path)?;
        println!("saved the model to {}", model_path.display());
        out.files.push(model_path);
    } else {
        println!("not saving the model: only the course's network shape can be loaded again");
    }

    let names: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    let counts = confusion(&predicted, &truth_test, 10);
    println!("test confusion matrix:");
    print_confusion(&counts, &names);
    out.files.push(plot::confusion_matrix(
        &ctx.out("confusion.png"),
        "First CNN: test set",
        &counts,
        &names,
    )?);
    let labels = Labels {
        title: "First CNN: mean training loss per epoch".into(),
        x: "epoch".into(),
        y: "cross-entropy".into(),
        y_right: "test accuracy".into(),
    };
    let course: Vec<(f64, f64)> = COURSE_LOSSES
        .iter()
        .enumerate()
        .map(|(i, &l)| ((i + 1) as f64, l))
        .collect();
    let series = [
        Series::line("loss", out.history.curve("train_loss")),
        Series::line("the course's loss", course),
        Series::line("test loss", out.history.curve("test_loss")),
        Series::line("test accuracy", out.history.curve("test_accuracy")).on_right_axis(),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("loss.png"), &labels, &series)?);
    out.files.extend(filter_pictures(
        ctx,
        &model,
        &x_test,
        &test_set.labels()[0].to_string(),
    )?);
    Ok(out)
}

/// The 32 learned 3×3 filters, and the 32 feature maps they make of the first test digit.
fn filter_pictures(
    ctx: &Context,
    model: &layers::Sequential,
    x_test: &Tensor,
    label: &str,
) -> Result<Vec<std::path::PathBuf>, LessonError> {
    let conv = &model.layers()[0];
    let mut weight = None;
    conv.visit_params(&mut |name, p| {
        if name == "weight" {
            weight = Some(p.value().clone());
        }
    });
    let weight = weight.expect("the first layer is a convolution with a weight");
    let captions: Vec<String> = (0..weight.dim(0)).map(|i| format!("{i}")).collect();
    let filters_path = ctx.out("filters.png");
    data::grid::save_grid(&filters_path, &planes_as_images(&weight, 8), &captions, 8)
        .map_err(OutputError::Grid)?;

    // The first test digit after the convolution (before ReLU), one map per filter.
    let digit = x_test.narrow(0, 0, 1);
    let maps = predict(conv.as_ref(), &digit, 1);
    let maps_path = ctx.out("feature_maps.png");
    let captions: Vec<String> = (0..maps.dim(1)).map(|i| format!("{label}:{i}")).collect();
    data::grid::save_grid(&maps_path, &planes_as_images(&maps, 1), &captions, 8)
        .map_err(OutputError::Grid)?;
    Ok(vec![filters_path, maps_path])
}
