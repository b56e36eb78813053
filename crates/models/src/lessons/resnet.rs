//! Lesson 8 — normalisation and residual connections: a small ResNet on Fashion-MNIST.
//!
//! Clothing instead of digits: Fashion-MNIST has MNIST's format (28×28 grey images, ten
//! classes, 60,000 + 10,000) but is harder — a shirt, a T-shirt and a pullover look alike
//! at 28×28. Deeper networks help, but a plain stack of thirteen convolutions learns slowly,
//! if at all. The lesson trains three networks of the same shape ([`fashion_resnet`]) with
//! the same schedule and seed: plain, with batch normalisation, and with batch normalisation
//! and residual connections (`--variant plain|bn|resnet`), and shows the table of all three.
//!
//! The recipe of the ResNet papers' CIFAR runs: SGD with Nesterov momentum 0.9 and weight
//! decay, a learning rate that warms up linearly then falls along a cosine
//! ([`WarmupCosine`]), batches of 128, random crops of the image padded by 2 pixels and
//! random left–right flips ([`random_crop_flip`]).

use std::cell::Cell;

use autograd::Var;
use data::augment::random_crop_flip;
use data::{DataLoader, Dataset, Split};
use layers::{BlockKind, Mode, Module, summary};
use optim::{Optimizer, Sgd, SgdConfig, WarmupCosine, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::context::Context;
use crate::eval::{evaluate_logits, predict};
use crate::fit::fit;
use crate::metrics::count_right;
use crate::mnist::load_set;
use crate::networks::fashion_resnet;
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome, OutputError};

mod pictures;
mod variants;

/// The recipe of one schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// Which network: plain convolutions, with batch normalisation, or a ResNet.
    pub variant: BlockKind,
    /// Channels of each stage; each stage after the first halves the image.
    pub widths: Vec<usize>,
    /// Residual (or plain) blocks per stage.
    pub blocks: usize,
    /// Epochs.
    pub epochs: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// The peak learning rate, reached at the end of the warm-up.
    pub lr: f32,
    /// Epochs of linear warm-up before the cosine decay.
    pub warmup_epochs: f64,
    /// SGD's (Nesterov) momentum.
    pub momentum: f32,
    /// SGD's weight decay (PyTorch's: added to the gradient).
    pub weight_decay: f32,
    /// Pixels of zero padding around each image before the random crop (0: no crops).
    pub crop_padding: usize,
    /// Whether each training image is mirrored left–right with chance ½.
    pub flip: bool,
    /// Training images used (the first of the 60,000).
    pub train_images: usize,
    /// Test images measured on (the first of the 10,000).
    pub test_images: usize,
}

impl LessonRecipe for Recipe {
    /// A ResNet of three stages of 16, 32 and 64 channels, two blocks each; SGD with
    /// Nesterov momentum 0.9, weight decay 5·10⁻⁴, peak lr 0.1 after one epoch of warm-up,
    /// cosine decay to 0; batches of 128; crops padded by 2 and flips. The test suite's
    /// shorter schedule: 1 epoch on 12,000 images.
    fn course(schedule: Schedule) -> Recipe {
        let (epochs, train_images) = match schedule {
            Schedule::Full => (12, 60_000),
            Schedule::Quick => (1, 12_000),
        };
        Recipe {
            variant: BlockKind::Residual,
            widths: vec![16, 32, 64],
            blocks: 2,
            epochs,
            batch_size: 128,
            lr: 0.1,
            warmup_epochs: 1.0,
            momentum: 0.9,
            weight_decay: 5e-4,
            crop_padding: 2,
            flip: true,
            train_images,
            test_images: 10_000,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::choice(
                "variant",
                "plain convolutions, with batch normalisation, or with shortcuts too",
                &mut self.variant,
            ),
            Param::counts("widths", "channels of each stage", &mut self.widths),
            Param::count("blocks", "blocks per stage", &mut self.blocks),
            Param::count("epochs", "passes over the training set", &mut self.epochs),
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::f32("lr", "peak learning rate", &mut self.lr, Interval::Positive),
            Param::f64(
                "warmup_epochs",
                "epochs of linear warm-up",
                &mut self.warmup_epochs,
                Interval::NonNegative,
            ),
            Param::f32(
                "momentum",
                "SGD's Nesterov momentum",
                &mut self.momentum,
                Interval::UnitFromZero,
            ),
            Param::f32(
                "weight_decay",
                "SGD's weight decay",
                &mut self.weight_decay,
                Interval::UnitFromZero,
            ),
            Param::count_in(
                "crop_padding",
                "pixels of padding for the random crops (0: none)",
                &mut self.crop_padding,
                (0, 14),
            ),
            Param::bool("flip", "mirror training images at random", &mut self.flip),
            Param::count(
                "train_images",
                "training images used (at most 60000)",
                &mut self.train_images,
            ),
            Param::count(
                "test_images",
                "test images measured on (at most 10000)",
                &mut self.test_images,
            ),
        ]
    }
}

/// The file the trained model is saved to, inside the lesson's output folder.
pub const MODEL_FILE: &str = "model.safetensors";

/// The mean and standard deviation of all the numbers of `x` (summed in `f64`): for
/// Fashion-MNIST's 60,000 training images as pixel/255, 0.2860 and 0.3530 (the lesson
/// measures and prints them at its start).
fn pixel_stats(x: &Tensor) -> (f32, f32) {
    let n = x.numel() as f64;
    let mean = x.data().iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let var = x
        .data()
        .iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean as f32, var.sqrt() as f32)
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let recipe: Recipe = ctx.recipe();
    let train_set = load_set(ctx, Dataset::FashionMnist, Split::Train)?;
    let test_set = load_set(ctx, Dataset::FashionMnist, Split::Test)?;
    let test_set =
        test_set.subset(&(0..recipe.test_images.min(test_set.len())).collect::<Vec<_>>());
    let names = Dataset::FashionMnist.class_names();
    let mut out = Outcome::default();
    out.files
        .push(pictures::sample_grid(ctx, &test_set, &names)?);

    let n_train = recipe.train_images.min(train_set.len());
    let train_set = train_set.subset(&(0..n_train).collect::<Vec<_>>());
    let (x_train, y_train) = (train_set.images(), train_set.labels_tensor());
    let (mean, std) = pixel_stats(&x_train);
    println!("{n_train} training images; pixels/255: mean {mean:.4}, standard deviation {std:.4}");
    // x = (pixel/255 − mean)/std, after the crop (which pads with black, pixel 0).
    let normalize = |x: &Tensor| x.add_scalar(-mean).mul_scalar(1.0 / std);
    let (x_test, y_test) = (normalize(&test_set.images()), test_set.labels_tensor());

    let mut init_rng = StdRng::seed_from_u64(ctx.seed);
    let model = fashion_resnet(recipe.variant, &recipe.widths, recipe.blocks, &mut init_rng);
    println!("{}", summary(&model, &[1, 28, 28]));
    let config = SgdConfig {
        lr: recipe.lr,
        momentum: recipe.momentum,
        nesterov: true,
        weight_decay: recipe.weight_decay,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let loader = DataLoader::new(&x_train, &y_train, recipe.batch_size);
    let steps = loader.num_batches() * recipe.epochs;
    let warmup = ((recipe.warmup_epochs * loader.num_batches() as f64).round() as usize)
        .min(steps.saturating_sub(1));
    let schedule = WarmupCosine::new(recipe.lr, warmup, steps, 0.0);
    let mut order_rng = StdRng::seed_from_u64(ctx.seed ^ 0x5EED_0FBA);
    let mut crop_rng = StdRng::seed_from_u64(ctx.seed ^ 0xC40B_F11B);
    let (t, correct, seen) = (Cell::new(0), Cell::new(0), Cell::new(0));

    let title = format!("Fashion-MNIST, {} network", recipe.variant.name());
    let mut progress = Progress::new(&title, recipe.epochs, loader.num_batches());
    let history = fit(
        recipe.epochs,
        |_| loader.shuffled(&mut order_rng),
        // ANCHOR: step
        |(x_b, y_b)| {
            let x = normalize(&random_crop_flip(
                &x_b,
                recipe.crop_padding,
                recipe.flip,
                &mut crop_rng,
            ));
            let logits = model.forward(&Var::constant(x), Mode::Train);
            let loss = cross_entropy(&logits, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.set_lr(schedule.lr(t.get()));
            opt.step();
            t.set(t.get() + 1);
            count_right(&logits.value(), &y_b, (&correct, &seen));
            loss.item()
        },
        // ANCHOR_END: step
        |_| {
            let (test_loss, test_accuracy) = evaluate_logits(&model, &x_test, &y_test, 1000);
            let train_accuracy = correct.take() as f64 / seen.take().max(1) as f64;
            vec![
                ("train_accuracy", train_accuracy),
                ("test_loss", test_loss),
                ("test_accuracy", test_accuracy),
                // The rate of the epoch's last step.
                ("lr", f64::from(schedule.lr(t.get().saturating_sub(1)))),
            ]
        },
        &mut [&mut progress],
    )?;
    progress.finish();
    out.history = history;
    out.last_of_history(&["test_accuracy", "test_loss", "train_accuracy"]);

    let predicted = predict(&model, &x_test, 1000).argmax_rows();
    out.files.extend(pictures::after_training(
        ctx,
        &model,
        (&test_set, &names),
        &predicted,
        &out.history,
    )?);
    let mut kept = recipe.clone();
    out.files.extend(variants::record(
        ctx,
        recipe.variant,
        &out.history,
        recipe::to_json(&mut kept),
    )?);
    let path = ctx.out(MODEL_FILE);
    let widths: Vec<String> = recipe.widths.iter().map(|w| w.to_string()).collect();
    // The pixels' statistics too: a loader standardises a new picture with them.
    let header = [
        ("gradschool.network", "fashion_resnet"),
        ("gradschool.variant", recipe.variant.name()),
        ("gradschool.widths", &widths.join(",")),
        ("gradschool.blocks", &recipe.blocks.to_string()),
        ("gradschool.mean", &mean.to_string()),
        ("gradschool.std", &std.to_string()),
    ];
    layers::save_with_metadata(&model, &path, &header).map_err(OutputError::Model)?;
    println!("saved the model to {}", path.display());
    out.files.push(path);
    Ok(out)
}
