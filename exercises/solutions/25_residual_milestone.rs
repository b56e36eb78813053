//! # Milestone 25 — your own residual block trains a small ResNet on Fashion-MNIST
//!
//! Lesson: [8 — Normalisation and residual connections](../docs/lessons/08-resnet.md), "Residual connections".
//!
//! Write lesson 8's residual block, and the grader builds a small ResNet of the lesson's
//! shape out of it, trains it and checks its accuracy on Fashion-MNIST.
//!
//! ```text
//! z₁ = bn1(conv1(x))           conv1: in_ch → out_ch, 3×3, stride `stride`, padding 1
//! z₂ = bn2(conv2(relu(z₁)))    conv2: out_ch → out_ch, 3×3, stride 1, padding 1
//! a  = relu(z₂ + shortcut(x))
//! ```
//!
//! `shortcut(x)` is `x` itself when the block keeps the shape (`stride = 1` and
//! `in_ch = out_ch`), and otherwise a 1×1 convolution with the block's stride followed by
//! batch normalisation, `bn(conv1×1(x))`, which brings `x` to the new shape. The
//! convolutions need no bias: the batch normalisation after each subtracts any constant
//! (`Conv2d::without_bias`). The pieces are `layers::Conv2d` and `layers::BatchNorm2d`, and
//! the course's own block is `layers::BasicBlock` (`crates/layers/src/residual.rs`): read
//! it after yours.
//!
//! - `ResidualBlock::new(in_ch, out_ch, stride, rng)` draws the convolutions' weights from
//!   `rng` (`Conv2d::new`'s PyTorch default) and makes fresh normalisations.
//! - `forward(x, mode)` computes `a`, handing `mode` to every layer: batch normalisation
//!   uses the batch's statistics in `Mode::Train` and its running ones in `Mode::Eval`.
//! - `visit_params(f)` calls `f(name, p)` for every learned tensor, the normalisations'
//!   `γ` and `β` included, so that the optimizer trains them (a `Module`'s own
//!   `visit_params` does that for its parameters; prefix their names, e.g. `conv1.weight`).
//!   (Saving a model would also need `visit_buffers` for the running statistics; the
//!   milestone does not save.)
//!
//! # Shapes
//! `x: [N, in_ch, H, W]` → `[N, out_ch, ⌈H/stride⌉, ⌈W/stride⌉]`.
//!
//! # Graded by
//! First the block on its own: its output shapes for `ResidualBlock::new(8, 8, 1, …)` and
//! `new(8, 16, 2, …)`; with every parameter set to 0 (so that the branch gives 0) the
//! same-shape block must give `relu(x)`, which only the shortcut and the ReLU after the
//! addition can; every parameter must receive a gradient. Then the network: a stem
//! (`Conv2d(1 → 8)`, `BatchNorm2d`, `ReLU`), your blocks `8 → 8`, `8 → 16` and `16 → 32`
//! (the last two with stride 2: 28 → 14 → 7), global average pooling and `Linear(32 → 10)`,
//! its weights drawn from a generator seeded 1, trained by the grader with lesson 8's recipe
//! (SGD with Nesterov momentum and weight decay, a warm-up then a cosine) for one epoch over
//! the first 16,000 training images in batches of 64 (about 10 s on two cores), then
//! `Mode::Eval` on the 10,000 test images: test accuracy ≥ 76% (so short a run stays far
//! from the lesson's 93.5%; the course's block reaches 79 to 81%)
//! (`models::registry::Bar`). Fashion-MNIST comes from the data folder, as in the lessons
//! (`GRADSCHOOL_DATA`, else the per-user cache; downloaded if missing).

use autograd::Var;
use layers::{BatchNorm2d, Conv2d, Mode, Module};
use rand::rngs::StdRng;
use tensor::Padding;

/// Lesson 8's residual block: two 3×3 convolutions with batch normalisation, and a shortcut.
pub struct ResidualBlock {
    /// `in_ch → out_ch`, 3×3, with the block's stride.
    conv1: Conv2d,
    bn1: BatchNorm2d,
    /// `out_ch → out_ch`, 3×3.
    conv2: Conv2d,
    bn2: BatchNorm2d,
    /// `None` for the identity; else the 1×1 convolution and its normalisation.
    shortcut: Option<(Conv2d, BatchNorm2d)>,
}

impl ResidualBlock {
    /// A block from `in_ch` to `out_ch` channels whose first convolution moves in steps of
    /// `stride`, its weights drawn from `rng`.
    pub fn new(in_ch: usize, out_ch: usize, stride: usize, rng: &mut StdRng) -> ResidualBlock {
        // BEGIN SOLUTION
        let pad = Padding::Explicit(1, 1);
        let conv1 = Conv2d::new(in_ch, out_ch, 3, stride, pad, rng).without_bias();
        let conv2 = Conv2d::new(out_ch, out_ch, 3, 1, pad, rng).without_bias();
        let shortcut = (stride != 1 || in_ch != out_ch).then(|| {
            let conv = Conv2d::new(in_ch, out_ch, 1, stride, Padding::Explicit(0, 0), rng);
            (conv.without_bias(), BatchNorm2d::new(out_ch))
        });
        ResidualBlock {
            conv1,
            bn1: BatchNorm2d::new(out_ch),
            conv2,
            bn2: BatchNorm2d::new(out_ch),
            shortcut,
        }
        // END SOLUTION
    }
}

impl Module for ResidualBlock {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        // BEGIN SOLUTION
        let a1 = self.bn1.forward(&self.conv1.forward(x, mode), mode).relu();
        let z2 = self.bn2.forward(&self.conv2.forward(&a1, mode), mode);
        let shortcut = match &self.shortcut {
            Some((conv, bn)) => bn.forward(&conv.forward(x, mode), mode),
            None => x.clone(),
        };
        z2.add(&shortcut).relu()
        // END SOLUTION
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        // BEGIN SOLUTION
        let mut parts: Vec<(&str, &dyn Module)> = vec![
            ("conv1", &self.conv1),
            ("bn1", &self.bn1),
            ("conv2", &self.conv2),
            ("bn2", &self.bn2),
        ];
        if let Some((conv, bn)) = &self.shortcut {
            parts.extend([("shortcut.0", conv as &dyn Module), ("shortcut.1", bn)]);
        }
        for (prefix, part) in parts {
            part.visit_params(&mut |name, p| f(&format!("{prefix}.{name}"), p));
        }
        // END SOLUTION
    }

    fn describe(&self) -> String {
        "ResidualBlock (yours)".to_string()
    }
}
