//! Lesson 9 — attention: a small vision transformer, from scratch, on MNIST.
//!
//! The architecture behind today's models reads a sequence of tokens, each of which looks
//! at every other through attention, `softmax(Q·Kᵀ/√d)·V`. An image becomes such a sequence
//! when it is cut into patches: 28×28 digits into 4×4 patches give 49 tokens of 16 pixels,
//! each embedded as a vector of `width` numbers, plus a learned class token whose vector,
//! after the blocks, is what the network classifies ([`VisionTransformer`]). Nothing in it
//! knows that patch 8 lies below patch 1: the network learns that from the data, in its
//! position embeddings.
//!
//! The recipe: AdamW with PyTorch's defaults except the learning rate and weight decay, one
//! epoch of linear warm-up then a cosine decay ([`WarmupCosine`], lesson 8's schedule),
//! batches of 128, and light augmentation (the affine moves of lesson 7, smaller).

use std::cell::Cell;

use autograd::Var;
use data::augment::{AffineRange, random_affine};
use data::{DataLoader, Dataset, Split};
use layers::{Mode, Module, VisionTransformer, VitConfig, summary_of_layers};
use optim::{AdamW, AdamWConfig, Optimizer, WarmupCosine, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};

use crate::context::Context;
use crate::eval::{evaluate_logits, predict};
use crate::fit::fit;
use crate::metrics::count_right;
use crate::mnist::load_set;
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Param, Schedule};
use crate::report::{LessonError, Outcome, OutputError};

mod pictures;

/// The recipe of one schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// The side of the square patches (it must divide 28).
    pub patch: usize,
    /// The width `D` of every token.
    pub width: usize,
    /// Transformer blocks.
    pub depth: usize,
    /// Attention heads per block (they must divide the width).
    pub heads: usize,
    /// The hidden width of each block's MLP.
    pub mlp: usize,
    /// Epochs.
    pub epochs: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// AdamW's peak learning rate, reached at the end of the warm-up.
    pub lr: f32,
    /// AdamW's decoupled weight decay.
    pub weight_decay: f32,
    /// Epochs of linear warm-up before the cosine decay.
    pub warmup_epochs: f64,
    /// The largest random rotation of a training digit, either way, in degrees (see
    /// [`Recipe::augmentation`]).
    pub rotate: f32,
    /// The largest random shift of a training digit, in pixels.
    pub shift: f32,
    /// The largest random change of a training digit's size, as a fraction (0.1: ±10%).
    pub scale: f32,
    /// Training images used (the first of the 60,000).
    pub train_images: usize,
    /// Test images measured on (the first of the 10,000).
    pub test_images: usize,
}

impl Recipe {
    /// The random moves of a training digit: rotations, scalings and shifts, no stroke
    /// changes (lesson 7's [`AffineRange::WORLD`] is larger).
    pub fn augmentation(&self) -> AffineRange {
        AffineRange {
            max_rotation_deg: self.rotate,
            scale: (1.0 - self.scale, 1.0 + self.scale),
            max_shift: self.shift,
            thickness_chance: 0.0,
        }
    }

    /// The network's sizes.
    pub fn config(&self) -> VitConfig {
        VitConfig {
            image: [1, 28, 28],
            patch: self.patch,
            dim: self.width,
            depth: self.depth,
            heads: self.heads,
            mlp: self.mlp,
            classes: 10,
        }
    }
}

impl LessonRecipe for Recipe {
    /// 4×4 patches, width 64, 4 blocks of 4 heads, MLP 128; AdamW lr 10⁻³, weight decay
    /// 0.05, one epoch of warm-up then cosine to 0; batches of 128; rotations up to 10°,
    /// shifts up to 2 pixels, sizes ±10%. The test suite's shorter schedule: 1 epoch on
    /// 12,000 images.
    fn course(schedule: Schedule) -> Recipe {
        let (epochs, train_images) = match schedule {
            Schedule::Full => (15, 60_000),
            Schedule::Quick => (1, 12_000),
        };
        Recipe {
            patch: 4,
            width: 64,
            depth: 4,
            heads: 4,
            mlp: 128,
            epochs,
            batch_size: 128,
            lr: 1e-3,
            weight_decay: 0.05,
            warmup_epochs: 1.0,
            rotate: 10.0,
            shift: 2.0,
            scale: 0.1,
            train_images,
            test_images: 10_000,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        vec![
            Param::count(
                "patch",
                "side of the square patches (divides 28)",
                &mut self.patch,
            ),
            Param::count("width", "width of every token", &mut self.width),
            Param::count("depth", "transformer blocks", &mut self.depth),
            Param::count(
                "heads",
                "attention heads (divide the width)",
                &mut self.heads,
            ),
            Param::count("mlp", "hidden width of each block's MLP", &mut self.mlp),
            Param::count("epochs", "passes over the training set", &mut self.epochs),
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::f32(
                "lr",
                "AdamW's peak learning rate",
                &mut self.lr,
                Interval::Positive,
            ),
            Param::f32(
                "weight_decay",
                "AdamW's decoupled weight decay",
                &mut self.weight_decay,
                Interval::UnitFromZero,
            ),
            Param::f64(
                "warmup_epochs",
                "epochs of linear warm-up",
                &mut self.warmup_epochs,
                Interval::NonNegative,
            ),
            Param::f32(
                "rotate",
                "largest random rotation, degrees",
                &mut self.rotate,
                Interval::NonNegative,
            ),
            Param::f32(
                "shift",
                "largest random shift, pixels",
                &mut self.shift,
                Interval::NonNegative,
            ),
            Param::f32(
                "scale",
                "largest random change of size (0.1: ±10%)",
                &mut self.scale,
                Interval::UnitFromZero,
            ),
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

/// MNIST's pixels/255 have mean 0.1307 and standard deviation 0.3081 over the training
/// images (the values every PyTorch MNIST example normalises with); a loaded model file
/// standardises with the same numbers.
const MEAN_STD: (f32, f32) = crate::digit_model::MNIST_MEAN_STD;

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    let recipe: Recipe = ctx.recipe();
    let config = recipe.config();
    if !28_usize.is_multiple_of(recipe.patch) || !recipe.width.is_multiple_of(recipe.heads) {
        return Err(LessonError::Recipe(recipe::RecipeError {
            flag: "--patch / --heads".into(),
            message: format!(
                "patches of {} must tile 28×28 and {} heads must divide the width {}",
                recipe.patch, recipe.heads, recipe.width
            ),
        }));
    }
    let train_set = load_set(ctx, Dataset::Mnist, Split::Train)?;
    let test_set = load_set(ctx, Dataset::Mnist, Split::Test)?;
    let test_set =
        test_set.subset(&(0..recipe.test_images.min(test_set.len())).collect::<Vec<_>>());
    let n_train = recipe.train_images.min(train_set.len());
    let train_set = train_set.subset(&(0..n_train).collect::<Vec<_>>());
    let (mean, std) = MEAN_STD;
    // x = (pixel/255 − 0.1307)/0.3081, after the random moves (which bring in black).
    let normalize = |x: &tensor::Tensor| x.add_scalar(-mean).mul_scalar(1.0 / std);
    let (x_train, y_train) = (train_set.images(), train_set.labels_tensor());
    let (x_test, y_test) = (normalize(&test_set.images()), test_set.labels_tensor());

    let mut init_rng = StdRng::seed_from_u64(ctx.seed);
    let model = VisionTransformer::new(config, &mut init_rng);
    println!("{}", summary_of_layers(&model.layers(), &[1, 28, 28]));
    let adamw = AdamWConfig {
        lr: recipe.lr,
        weight_decay: recipe.weight_decay,
        ..AdamWConfig::default()
    };
    let mut opt = AdamW::new(model.parameters(), adamw);
    let loader = DataLoader::new(&x_train, &y_train, recipe.batch_size);
    let steps = loader.num_batches() * recipe.epochs;
    let warmup = ((recipe.warmup_epochs * loader.num_batches() as f64).round() as usize)
        .min(steps.saturating_sub(1));
    let schedule = WarmupCosine::new(recipe.lr, warmup, steps, 0.0);
    let moves = recipe.augmentation();
    let mut order_rng = StdRng::seed_from_u64(ctx.seed ^ 0x5EED_0FBA);
    let mut move_rng = StdRng::seed_from_u64(ctx.seed ^ 0xA771_4E50);
    let (t, correct, seen) = (Cell::new(0), Cell::new(0), Cell::new(0));

    let title = format!(
        "Vision transformer on MNIST, {}×{} patches",
        recipe.patch, recipe.patch
    );
    let mut progress = Progress::new(&title, recipe.epochs, loader.num_batches());
    let history = fit(
        recipe.epochs,
        |_| loader.shuffled(&mut order_rng),
        // ANCHOR: step
        |(x_b, y_b)| {
            let x = normalize(&random_affine(&x_b, &moves, &mut move_rng));
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
            let (test_loss, test_accuracy) = evaluate_logits(&model, &x_test, &y_test, 500);
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
    let mut out = Outcome {
        history,
        ..Outcome::default()
    };
    out.last_of_history(&["test_accuracy", "test_loss", "train_accuracy"]);
    out.metric("parameters", model.num_params() as f64);
    let seconds: f64 = out.history.epochs.iter().map(|e| e.seconds).sum();
    out.metric(
        "seconds_per_epoch",
        seconds / out.history.epochs.len().max(1) as f64,
    );

    let predicted = predict(&model, &x_test, 500).argmax_rows();
    out.files.extend(pictures::after_training(
        ctx,
        &model,
        (&test_set, &x_test),
        &predicted,
        &out.history,
    )?);
    let path = ctx.out(MODEL_FILE);
    let header = [
        ("gradschool.network", "vision_transformer".to_string()),
        ("gradschool.patch", recipe.patch.to_string()),
        ("gradschool.width", recipe.width.to_string()),
        ("gradschool.depth", recipe.depth.to_string()),
        ("gradschool.heads", recipe.heads.to_string()),
        ("gradschool.mlp", recipe.mlp.to_string()),
    ];
    let header: Vec<(&str, &str)> = header.iter().map(|(k, v)| (*k, v.as_str())).collect();
    layers::save_with_metadata(&model, &path, &header).map_err(OutputError::Model)?;
    println!("saved the model to {}", path.display());
    out.files.push(path);
    Ok(out)
}
