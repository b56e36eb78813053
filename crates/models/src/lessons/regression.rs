//! Lesson 2 — the forward pass in matrices, activation functions, and regression.
//!
//! 1. A layer computes `σ(XW + J·b)`: the batch `X` times the weights, plus the bias
//!    broadcast to every row (`J` is a column of ones), through an activation. The lesson
//!    runs the `3 → 2 → 3 → 2` sigmoid network on a `20 × 3` batch of ones with the layer
//!    code and again with nalgebra matrices written out by hand, and checks they agree.
//! 2. A picture of the activation functions.
//! 3. Regression: fit a 1-D curve with a `1 → 3 → 2 → 1` PReLU network, standardising the
//!    data, splitting it 70/15/15 into train/validation/test, and judging the test error
//!    against the noise floor that the known noise implies.

use autograd::Var;
use data::regression::{DEFAULT_NOISE_STD, regression_1d, trend};
use data::split::train_valid_test;
use data::{DataLoader, Standardizer};
use layers::{Mode, Module, Sequential, summary};
use nalgebra::DMatrix;
use optim::{Optimizer, Sgd, SgdConfig, mse};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::choices::HiddenActivation;
use crate::context::Context;
use crate::eval::predict;
use crate::fit::{Unwatched, Watch, fit, following};
use crate::networks::{forward_pass_net, regression_net};
use crate::plot::{self, Labels, Series};
use crate::progress::Progress;
use crate::recipe::{self, Interval, LessonRecipe, Named, Param, Schedule};
use crate::report::{LessonError, Outcome};

/// The regression recipe.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// Points drawn.
    pub points: usize,
    /// Standard deviation of the noise added to the trend.
    pub noise_std: f32,
    /// Fraction of the points held out for validation.
    pub valid_fraction: f64,
    /// Fraction of the points held out for the test.
    pub test_fraction: f64,
    /// SGD learning rate.
    pub lr: f32,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Passes over the training set.
    pub epochs: usize,
    /// The activation after each hidden layer.
    pub activation: HiddenActivation,
    /// Whether `x` and `y` are standardised with the training set's statistics.
    pub standardize: bool,
}

impl LessonRecipe for Recipe {
    /// 1,000 points, noise std 0.2, a 70/15/15 split, SGD lr 0.05, shuffled batches of
    /// 100, 1,000 epochs, PReLU, standardised data.
    fn course(_schedule: Schedule) -> Recipe {
        Recipe {
            points: 1000,
            noise_std: DEFAULT_NOISE_STD,
            valid_fraction: 0.15,
            test_fraction: 0.15,
            lr: 0.05,
            batch_size: 100,
            epochs: 1000,
            activation: HiddenActivation::PReLU,
            standardize: true,
        }
    }
}

impl recipe::Recipe for Recipe {
    fn params(&mut self) -> Vec<Param<'_>> {
        let positive = Interval::Positive;
        vec![
            Param::count("points", "points drawn", &mut self.points),
            Param::f32(
                "noise_std",
                "noise added to the trend",
                &mut self.noise_std,
                positive,
            ),
            Param::f64(
                "valid_fraction",
                "fraction held out for validation",
                &mut self.valid_fraction,
                Interval::OpenUnit,
            ),
            Param::f64(
                "test_fraction",
                "fraction held out for the test",
                &mut self.test_fraction,
                Interval::OpenUnit,
            ),
            Param::f32("lr", "SGD learning rate", &mut self.lr, positive),
            Param::count("batch_size", "mini-batch size", &mut self.batch_size),
            Param::count("epochs", "passes over the training set", &mut self.epochs),
            Param::choice("activation", "hidden activation", &mut self.activation),
            Param::bool(
                "standardize",
                "standardise x and y (the training set's statistics)",
                &mut self.standardize,
            ),
        ]
    }
}

// ANCHOR: forward_with_nalgebra
/// `σ(XW + J·b)` layer by layer with nalgebra, reading the weights out of `model`'s
/// `Linear` layers. PyTorch stores `W` as `[out, in]`, so the matrix in `XW` is its transpose.
fn forward_with_nalgebra(model: &Sequential, x: &DMatrix<f32>) -> DMatrix<f32> {
    let mut a = x.clone();
    for (name, w) in model
        .named_parameters()
        .iter()
        .filter(|(n, _)| n.ends_with("weight"))
    {
        let bias_name = name.replace("weight", "bias");
        let (_, b) = model
            .named_parameters()
            .into_iter()
            .find(|(n, _)| *n == bias_name)
            .expect("each Linear has a bias");
        let w = DMatrix::from(&*w.value()).transpose();
        let b = DMatrix::from(&b.value().reshape(&[1, w.ncols()]));
        let j = DMatrix::from_element(a.nrows(), 1, 1.0f32);
        let z = &a * &w + &j * &b;
        a = z.map(tensor::sigmoid);
    }
    a
}
// ANCHOR_END: forward_with_nalgebra

/// Part 1: the layer code and nalgebra agree. Returns the largest difference.
fn forward_pass(seed: u64) -> f64 {
    let model = forward_pass_net(&mut StdRng::seed_from_u64(seed));
    let x = Tensor::ones(&[20, 3]);
    let y_layers = predict(&model, &x, 20);
    let y_nalgebra = Tensor::from(forward_with_nalgebra(&model, &DMatrix::from(&x)));
    println!(
        "3 → 2 → 3 → 2 on a 20×3 batch of ones: output {:?}",
        y_layers.shape()
    );
    let diff = y_layers.max_abs_diff(&y_nalgebra) as f64;
    println!("  largest difference, layer code vs σ(XW + J·b) in nalgebra: {diff:.2e}");
    diff
}

/// Part 2: sigmoid, tanh, ReLU, LeakyReLU(0.1) and PReLU (slope 0.25) over [−10, 10].
fn activations_picture(ctx: &Context) -> Result<std::path::PathBuf, LessonError> {
    let x = Var::constant(Tensor::linspace(-10.0, 10.0, 401));
    let slope = Var::constant(Tensor::full(&[1], 0.25));
    let curves = [
        ("sigmoid", x.sigmoid()),
        ("tanh", x.tanh()),
        ("ReLU", x.relu()),
        ("LeakyReLU(0.1)", x.leaky_relu(0.1)),
        ("PReLU(a = 0.25)", x.prelu(&slope)),
    ];
    let series: Vec<Series> = curves
        .iter()
        .map(|(name, y)| {
            let points = x
                .value()
                .data()
                .iter()
                .zip(y.value().data())
                .map(|(&a, &b)| (a as f64, b as f64))
                .collect();
            Series::line(name, points)
        })
        .collect();
    let labels = Labels {
        title: "Activation functions".into(),
        x: "x".into(),
        y: "f(x)".into(),
        ..Labels::default()
    };
    Ok(plot::line_chart(
        &ctx.out("activations.png"),
        &labels,
        &series,
    )?)
}

/// Runs the lesson.
pub fn run(ctx: &Context) -> Result<Outcome, LessonError> {
    run_watched(ctx, &Unwatched)
}

/// Runs the lesson for `watch`: the regression's epochs as it learns; when the watcher asks
/// to stop, returns what was measured so far.
pub fn run_watched(ctx: &Context, watch: &dyn Watch) -> Result<Outcome, LessonError> {
    let mut out = Outcome::default();
    out.metric("max_abs_diff_vs_nalgebra", forward_pass(ctx.seed));
    out.files.push(activations_picture(ctx)?);

    // Part 3: regression. Draw, split, then standardise with the training set's statistics
    // (or keep the data as drawn, if the recipe says so).
    let recipe: Recipe = ctx.recipe();
    let mut rng = StdRng::seed_from_u64(ctx.seed);
    let set = regression_1d(recipe.points, recipe.noise_std, &mut rng);
    let split = train_valid_test(
        recipe.points,
        recipe.valid_fraction,
        recipe.test_fraction,
        &mut rng,
    );
    let (x_scaler, y_scaler) = if recipe.standardize {
        (
            Standardizer::fit(&set.x.select_rows(&split.train)),
            Standardizer::fit(&set.y.select_rows(&split.train)),
        )
    } else {
        (unchanged(), unchanged())
    };
    let part = |rows: &[usize]| {
        (
            x_scaler.apply(&set.x.select_rows(rows)),
            y_scaler.apply(&set.y.select_rows(rows)),
        )
    };
    let ((x_train, y_train), (x_valid, y_valid), (x_test, y_test)) =
        (part(&split.train), part(&split.valid), part(&split.test));
    // In standardised units the noise variance is noise_std² / σ_y²: no model can beat it.
    let sigma_y = y_scaler.std.item() as f64;
    let noise_floor = set.noise_floor() as f64 / (sigma_y * sigma_y);
    let units = if recipe.standardize {
        "standardised units"
    } else {
        "original units"
    };

    let model = regression_net(recipe.activation, &mut rng);
    println!("{}", summary(&model, &[1]));
    let config = SgdConfig {
        lr: recipe.lr,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let loader = DataLoader::new(&x_train, &y_train, recipe.batch_size);
    let title = format!("1 → 3 → 2 → 1 {} regression", recipe.activation.name());
    let mut progress = Progress::new(&title, recipe.epochs, loader.num_batches()).every(100);
    let mut follow = following(watch, Some("regression"));
    out.history = fit(
        recipe.epochs,
        |_| loader.shuffled(&mut rng),
        // ANCHOR: step
        |(x_b, y_b)| {
            let y_hat = model.forward(&Var::constant(x_b), Mode::Train);
            let loss = mse(&y_hat, &y_b);
            opt.zero_grad();
            loss.backward();
            opt.step();
            loss.item()
        },
        // ANCHOR_END: step
        |_| vec![("val_loss", mse_of(&model, &x_valid, &y_valid))],
        &mut [&mut progress, &mut follow],
    )?;
    progress.finish();
    if watch.stop_requested() {
        return Ok(out);
    }

    let test_mse = mse_of(&model, &x_test, &y_test);
    println!("test MSE {test_mse:.4} vs noise floor {noise_floor:.4} ({units})");
    out.metric("test_mse", test_mse);
    out.metric("noise_floor_mse", noise_floor);
    out.metric("test_mse_over_noise_floor", test_mse / noise_floor);

    let labels = Labels {
        title: format!("Regression: mean squared error per epoch ({units})"),
        x: "epoch".into(),
        y: "MSE".into(),
        ..Labels::default()
    };
    let floor = vec![(1.0, noise_floor), (recipe.epochs as f64, noise_floor)];
    let curves = [
        Series::line("train", out.history.curve("train_loss")),
        Series::line("validation", out.history.curve("val_loss")),
        Series::line("noise floor", floor),
    ];
    out.files
        .push(plot::line_chart(&ctx.out("loss.png"), &labels, &curves)?);
    out.files.push(fit_picture(
        ctx, &model, &set.x, &set.y, &x_scaler, &y_scaler,
    )?);
    Ok(out)
}

/// A standardiser that changes nothing (`μ = 0`, `σ = 1`): the data as drawn.
fn unchanged() -> Standardizer {
    Standardizer {
        mean: Tensor::zeros(&[1, 1]),
        std: Tensor::ones(&[1, 1]),
    }
}

/// The mean squared error of `model` on `(x, y)`.
fn mse_of(model: &Sequential, x: &Tensor, y: &Tensor) -> f64 {
    predict(model, x, 1024).sub(y).square().mean_all().item() as f64
}

/// The data, the true trend and the network's prediction, in the original units.
fn fit_picture(
    ctx: &Context,
    model: &Sequential,
    x: &Tensor,
    y: &Tensor,
    x_scaler: &Standardizer,
    y_scaler: &Standardizer,
) -> Result<std::path::PathBuf, LessonError> {
    let points = x
        .data()
        .iter()
        .zip(y.data())
        .map(|(&a, &b)| (a as f64, b as f64))
        .collect();
    let grid = Tensor::linspace(-3.0, 3.0, 200).reshape(&[200, 1]);
    let y_hat = y_scaler.unstandardize(&predict(model, &x_scaler.apply(&grid), 1024));
    let along = |values: &Tensor| {
        grid.data()
            .iter()
            .zip(values.data())
            .map(|(&a, &b)| (a as f64, b as f64))
            .collect()
    };
    let labels = Labels {
        title: "Regression: data, true trend and the network's fit".into(),
        x: "x".into(),
        y: "y".into(),
        ..Labels::default()
    };
    let series = [
        Series::dots("data", points),
        Series::line("true trend", along(&grid.map(trend))),
        Series::line("network", along(&y_hat)),
    ];
    Ok(plot::line_chart(&ctx.out("fit.png"), &labels, &series)?)
}
