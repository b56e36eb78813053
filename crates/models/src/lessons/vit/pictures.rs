//! Lesson 9's pictures: the curves, the confusion matrix, where the class token looks in
//! each block and head (and the attention rollout), and how alike the learned position
//! embeddings of the patches are.

use std::path::PathBuf;

use autograd::{Var, no_grad};
use data::Mnist;
use layers::{Mode, Module, VisionTransformer};
use tensor::Tensor;

use crate::attention::{class_attention, rollout};
use crate::context::Context;
use crate::history::History;
use crate::metrics::{confusion, print_confusion};
use crate::pictures::planes_as_images;
use crate::plot::{self, Labels, Series};
use crate::report::{LessonError, OutputError};

/// How many test digits the attention picture shows.
const DIGITS: usize = 8;

/// The pictures of a trained network, given its class for every test image.
pub fn after_training(
    ctx: &Context,
    model: &VisionTransformer,
    (test_set, x_test): (&Mnist, &Tensor),
    predicted: &[usize],
    history: &History,
) -> Result<Vec<PathBuf>, LessonError> {
    let truth: Vec<usize> = test_set.labels().iter().map(|&l| l as usize).collect();
    let names: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    let counts = confusion(predicted, &truth, 10);
    println!("test confusion matrix (rows: true digit, columns: predicted):");
    print_confusion(&counts, &names);
    let mut files = vec![plot::confusion_matrix(
        &ctx.out("confusion.png"),
        "Vision transformer: MNIST test set",
        &counts,
        &names,
    )?];
    files.push(curves(ctx, history)?);
    files.push(attention_maps(ctx, model, (test_set, x_test))?);
    files.push(position_similarity(ctx, model)?);
    Ok(files)
}

/// Training and test loss, and training and test accuracy, per epoch: `curves.png`.
fn curves(ctx: &Context, history: &History) -> Result<PathBuf, LessonError> {
    let labels = Labels {
        title: "Vision transformer on MNIST: loss and accuracy per epoch".into(),
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

/// Every `[g, g]` map of `maps` enlarged to the image's side (each map stretched to black
/// and white on its own), as images for a grid.
fn enlarged(maps: &[Vec<f32>], g: usize, side: usize) -> Tensor {
    let flat: Vec<f32> = maps.concat();
    let planes = Tensor::from_vec(flat, &[maps.len(), 1, g, g]).expect("g × g maps");
    planes_as_images(&planes, side / g)
}

/// For the first [`DIGITS`] test digits, one row each: the digit, the attention rollout, and
/// the class token's attention over the patches in every block and head: `attention.png`.
fn attention_maps(
    ctx: &Context,
    model: &VisionTransformer,
    (test_set, x_test): (&Mnist, &Tensor),
) -> Result<PathBuf, LessonError> {
    let digits = DIGITS.min(test_set.len());
    let x = x_test.narrow(0, 0, digits);
    let params = model.parameters();
    let attention: Vec<Tensor> = no_grad(&params, || {
        let (_, a) = model.forward_with_attention(&Var::constant(x), Mode::Eval);
        a.iter().map(|a| a.value().clone()).collect()
    });
    let (heads, t) = (attention[0].shape()[1], attention[0].shape()[2]);
    let g = ((t - 1) as f64).sqrt().round() as usize;
    let pictures = test_set.subset(&(0..digits).collect::<Vec<_>>()).images();
    let (mut images, mut captions) = (Vec::new(), Vec::new());
    for n in 0..digits {
        images.push(pictures.narrow(0, n, 1));
        captions.push(format!("digit {}", test_set.labels()[n]));
        let mut maps = vec![rollout(&attention, n)];
        captions.push("rollout".to_string());
        for (b, a) in attention.iter().enumerate() {
            for h in 0..heads {
                maps.push(class_attention(a, n, h));
                captions.push(format!("b{} h{}", b + 1, h + 1));
            }
        }
        images.push(enlarged(&maps, g, 28));
    }
    let refs: Vec<&Tensor> = images.iter().collect();
    let columns = 2 + attention.len() * heads;
    let path = ctx.out("attention.png");
    data::grid::save_grid(&path, &Tensor::concat(&refs, 0), &captions, columns)
        .map_err(OutputError::Grid)?;
    Ok(path)
}

/// The learned position embeddings' cosine similarity: for each patch (a cell, in the
/// patch's place), how alike its embedding is to every other patch's (black −1, white 1),
/// the ViT paper's figure: `positions.png`.
fn position_similarity(ctx: &Context, model: &VisionTransformer) -> Result<PathBuf, LessonError> {
    let pos = model
        .named_parameters()
        .into_iter()
        .find(|(name, _)| name == "pos_embed")
        .expect("a vision transformer has position embeddings")
        .1
        .value()
        .clone();
    let (t, d) = (pos.dim(1) - 1, pos.dim(2));
    let g = (t as f64).sqrt().round() as usize;
    let rows: Vec<&[f32]> = pos.data()[d..].chunks(d).collect();
    let norm = |v: &[f32]| v.iter().map(|&a| a * a).sum::<f32>().sqrt().max(1e-12);
    let mut maps = Vec::with_capacity(t * t);
    for a in &rows {
        for b in &rows {
            let dot: f32 = a.iter().zip(b.iter()).map(|(x, y)| x * y).sum();
            maps.push((dot / (norm(a) * norm(b)) + 1.0) / 2.0);
        }
    }
    // One shared scale (−1 to 1), so the cells compare: no stretching per map.
    let planes = Tensor::from_vec(maps, &[t, 1, g, g]).expect("t maps of g × g");
    let scale = (28 / g).max(1);
    let images = Tensor::from_vec(
        planes
            .data()
            .chunks(g * g)
            .flat_map(|m| {
                (0..g * scale)
                    .flat_map(move |y| (0..g * scale).map(move |x| m[(y / scale) * g + x / scale]))
            })
            .collect(),
        &[t, 1, g * scale, g * scale],
    )
    .expect("t enlarged maps");
    let captions: Vec<String> = (0..t)
        .map(|i| format!("{}-{}", i / g + 1, i % g + 1))
        .collect();
    let path = ctx.out("positions.png");
    data::grid::save_grid(&path, &images, &captions, g).map_err(OutputError::Grid)?;
    Ok(path)
}
