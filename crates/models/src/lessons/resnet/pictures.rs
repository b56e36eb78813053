//! Lesson 8's pictures: a sample of the data with its class names, the curves of the run,
//! the confusion matrix, the test images the network gets wrong, and the stem's filters.

use std::path::PathBuf;

use data::Mnist;
use layers::Sequential;
use tensor::Tensor;

use crate::context::Context;
use crate::history::History;
use crate::metrics::{confusion, print_confusion};
use crate::pictures::planes_as_images;
use crate::plot::{self, Labels, Series};
use crate::report::{LessonError, OutputError};

/// The first 16 test images, 4 × 4, each captioned with its class name: `samples.png`.
pub fn sample_grid(ctx: &Context, set: &Mnist, names: &[&str]) -> Result<PathBuf, LessonError> {
    let first = set.subset(&(0..16.min(set.len())).collect::<Vec<_>>());
    let captions: Vec<String> = first
        .labels()
        .iter()
        .map(|&l| names[l as usize].to_string())
        .collect();
    let path = ctx.out("samples.png");
    data::grid::save_grid(&path, &first.images(), &captions, 4).map_err(OutputError::Grid)?;
    Ok(path)
}

/// The pictures of a trained network, given its class for every test image.
pub fn after_training(
    ctx: &Context,
    model: &Sequential,
    (test_set, names): (&Mnist, &[&str]),
    predicted: &[usize],
    history: &History,
) -> Result<Vec<PathBuf>, LessonError> {
    let truth: Vec<usize> = test_set.labels().iter().map(|&l| l as usize).collect();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let counts = confusion(predicted, &truth, names.len());
    println!("test confusion matrix (rows: true class, columns: predicted):");
    print_confusion(&counts, &names);
    let mut files = vec![plot::confusion_matrix(
        &ctx.out("confusion.png"),
        "Fashion-MNIST: test set",
        &counts,
        &names,
    )?];
    files.extend(mistakes(ctx, test_set, predicted, &names)?);
    files.push(stem_filters(ctx, model)?);
    files.push(curves(ctx, history)?);
    Ok(files)
}

/// The first 24 test images the network gets wrong, captioned `guess (truth)`:
/// `mistakes.png` (none if it gets every one right).
fn mistakes(
    ctx: &Context,
    test_set: &Mnist,
    predicted: &[usize],
    names: &[String],
) -> Result<Option<PathBuf>, LessonError> {
    let wrong: Vec<usize> = (0..test_set.len())
        .filter(|&i| predicted[i] != test_set.labels()[i] as usize)
        .take(24)
        .collect();
    if wrong.is_empty() {
        return Ok(None);
    }
    let captions: Vec<String> = wrong
        .iter()
        .map(|&i| {
            let truth = &names[test_set.labels()[i] as usize];
            format!("{} ({truth})", names[predicted[i]])
        })
        .collect();
    let path = ctx.out("mistakes.png");
    let images = test_set.subset(&wrong).images();
    data::grid::save_grid(&path, &images, &captions, 6).map_err(OutputError::Grid)?;
    Ok(Some(path))
}

/// The stem's 3×3 filters, each stretched to black–white and enlarged: `filters.png`.
fn stem_filters(ctx: &Context, model: &Sequential) -> Result<PathBuf, LessonError> {
    let mut weight: Option<Tensor> = None;
    model.layers()[0].visit_params(&mut |name, p| {
        if name == "weight" {
            weight = Some(p.value().clone());
        }
    });
    let weight = weight.expect("the stem is a convolution with a weight");
    let captions: Vec<String> = (0..weight.dim(0)).map(|i| i.to_string()).collect();
    let path = ctx.out("filters.png");
    data::grid::save_grid(&path, &planes_as_images(&weight, 8), &captions, 8)
        .map_err(OutputError::Grid)?;
    Ok(path)
}

/// Training and test loss, and training and test accuracy, per epoch: `curves.png`.
fn curves(ctx: &Context, history: &History) -> Result<PathBuf, LessonError> {
    let labels = Labels {
        title: "Fashion-MNIST: loss and accuracy per epoch".into(),
        x: "epoch".into(),
        y: "cross-entropy".into(),
        y_right: "accuracy".into(),
    };
    let series = [
        Series::line("training loss", history.curve("train_loss")),
        Series::line("test loss", history.curve("test_loss")),
        Series::line("training accuracy", history.curve("train_accuracy")).on_right_axis(),
        Series::line("test accuracy", history.curve("test_accuracy")).on_right_axis(),
    ];
    Ok(plot::line_chart(&ctx.out("curves.png"), &labels, &series)?)
}
