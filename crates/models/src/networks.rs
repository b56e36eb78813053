//! The networks of the course, one function each, written as the course draws them.
//!
//! Initialisation follows the framework each lesson comes from: PyTorch's defaults
//! ([`Linear::new`], [`Conv2d::new`]) for the PyTorch lessons, Keras' Glorot-uniform with zero
//! biases ([`Linear::glorot`], [`Conv2d::glorot`]) for the Keras ones.
//!
//! The `// ANCHOR:` comments mark what the lesson pages show of this file.

use layers::{
    Activation, BasicBlock, BatchNorm2d, BlockKind, Conv2d, Dropout, Flatten, GlobalAvgPool2d,
    Linear, MaxPool2d, ReLU, Sequential, Sigmoid, Softmax,
};
use rand::Rng;
use tensor::{Padding, Window2d};

use crate::choices::{HiddenActivation, Init};

// ANCHOR: xor_net
/// Lesson 1: `2 → H → 1`, the course's sigmoid (or `activation`) after the hidden layer and a
/// sigmoid output (PyTorch init).
pub fn xor_net(hidden: usize, activation: Activation, rng: &mut impl Rng) -> Sequential {
    let model = Sequential::new().push(Linear::new(2, hidden, rng));
    activation
        .push_onto(model)
        .push(Linear::new(hidden, 1, rng))
        .push(Sigmoid)
}
// ANCHOR_END: xor_net

/// Lesson 2: the `3 → 2 → 3 → 2` network with a sigmoid after every layer.
pub fn forward_pass_net(rng: &mut impl Rng) -> Sequential {
    Sequential::new()
        .push(Linear::new(3, 2, rng))
        .push(Sigmoid)
        .push(Linear::new(2, 3, rng))
        .push(Sigmoid)
        .push(Linear::new(3, 2, rng))
        .push(Sigmoid)
}

// ANCHOR: regression_net
/// Lesson 2: the `1 → 3 → 2 → 1` regression network with the course's PReLU (or
/// `activation`) after each hidden layer. `Linear::new` is PyTorch's Kaiming-uniform
/// initialisation.
pub fn regression_net(activation: HiddenActivation, rng: &mut impl Rng) -> Sequential {
    let model = Sequential::new().push(Linear::new(1, 3, rng));
    let model = activation.push_onto(model).push(Linear::new(3, 2, rng));
    activation.push_onto(model).push(Linear::new(2, 1, rng))
}
// ANCHOR_END: regression_net

// ANCHOR: mnist_1v7_net
/// Lesson 3: `784 → H → 1`, the course's 256 tanh units then a sigmoid, with the course's
/// Keras initialisation (or `init`).
pub fn mnist_1v7_net(
    hidden: usize,
    activation: Activation,
    init: Init,
    rng: &mut impl Rng,
) -> Sequential {
    let model = Sequential::new().push(init.linear(784, hidden, rng));
    activation
        .push_onto(model)
        .push(init.linear(hidden, 1, rng))
        .push(Sigmoid)
}
// ANCHOR_END: mnist_1v7_net

// ANCHOR: iris_net
/// Lesson 4: `4 → H` (the course's 10 ReLU units), dropout, `→ 3` softmax, Keras
/// initialisation. The dropout mask is drawn from its own generator seeded with
/// `dropout_seed`.
pub fn iris_net(
    hidden: usize,
    activation: Activation,
    dropout: f32,
    rng: &mut impl Rng,
    dropout_seed: u64,
) -> Sequential {
    let model = Sequential::new().push(Linear::glorot(4, hidden, rng));
    activation
        .push_onto(model)
        .push(Dropout::new(dropout, dropout_seed))
        .push(Linear::glorot(hidden, 3, rng))
        .push(Softmax)
}
// ANCHOR_END: iris_net

// ANCHOR: mnist_mlp
/// Lesson 5: `784 → H` (the course's one layer of 128 ReLU units; `hidden` lists the widths
/// of as many as wanted) `→ 10` logits (PyTorch init).
pub fn mnist_mlp(hidden: &[usize], activation: Activation, rng: &mut impl Rng) -> Sequential {
    let mut model = Sequential::new().push(Flatten);
    let mut fan_in = 784;
    for &h in hidden {
        model = activation.push_onto(model.push(Linear::new(fan_in, h, rng)));
        fan_in = h;
    }
    model.push(Linear::new(fan_in, 10, rng))
}
// ANCHOR_END: mnist_mlp

// ANCHOR: first_cnn
/// Lesson 6: the first CNN, as PyTorch's `nn.Sequential` names its layers:
/// `0` Conv2d(1→32, 3×3, pad 1), `1` ReLU, `2` MaxPool(2), `3` Flatten,
/// `4` Linear(6272→128), `5` ReLU, `6` Linear(128→10) giving logits. `filters` (the
/// course's 32) and `pool` change the first layers; layer 4's inputs follow.
pub fn first_cnn(filters: usize, pool: bool, rng: &mut impl Rng) -> Sequential {
    let mut model = Sequential::new()
        .push(Conv2d::new(1, filters, 3, 1, Padding::Explicit(1, 1), rng))
        .push(ReLU);
    let mut side = 28;
    if pool {
        model = model.push(MaxPool2d::new(Window2d::square(2, 2, 0)));
        side = 14;
    }
    model
        .push(Flatten)
        .push(Linear::new(filters * side * side, 128, rng))
        .push(ReLU)
        .push(Linear::new(128, 10, rng))
}
// ANCHOR_END: first_cnn

// ANCHOR: deep_cnn
/// Lesson 7: four blocks of Conv2d(5×5, same) + ReLU + MaxPool(2×2, stride 2, same) with
/// 16, 32, 64 and 128 filters (28 → 14 → 7 → 4 → 2), then `512 → 128` ReLU, dropout (the
/// course's 0.4), `128 → 10` logits. Keras initialisation. (The course ends in a softmax layer; this
/// network returns logits and the lesson applies the softmax inside the loss, which is
/// the same function computed stably.)
pub fn deep_cnn(dropout: f32, rng: &mut impl Rng, dropout_seed: u64) -> Sequential {
    let mut model = Sequential::new();
    let mut in_ch = 1;
    for out_ch in [16, 32, 64, 128] {
        model = model
            .push(Conv2d::glorot(in_ch, out_ch, 5, 1, Padding::Same, rng))
            .push(ReLU)
            .push(MaxPool2d::new(Window2d::same(2, 2)));
        in_ch = out_ch;
    }
    model
        .push(Flatten)
        .push(Linear::glorot(128 * 2 * 2, 128, rng))
        .push(ReLU)
        .push(Dropout::new(dropout, dropout_seed))
        .push(Linear::glorot(128, 10, rng))
}
// ANCHOR_END: deep_cnn

// ANCHOR: fashion_resnet
/// Lesson 8: a small ResNet for 28×28 images, or the same stack of convolutions without
/// shortcuts (`kind` [`BlockKind::Normalized`]) or without normalisation either
/// ([`BlockKind::Plain`]).
///
/// A stem (Conv2d(1 → `widths[0]`, 3×3, pad 1), batch normalisation unless plain, ReLU),
/// then one stage per width of `blocks` [`BasicBlock`]s each, the first block of every stage
/// after the first halving the image with stride 2 (28 → 14 → 7 for three stages), then
/// global average pooling and `Linear(widths.last() → 10)` logits. PyTorch's default
/// initialisation throughout, and PyTorch's `nn.Sequential` names: `0` the stem's
/// convolution, `1` its normalisation (absent when plain, which shifts the indices down by
/// one), then the ReLU, the blocks, the pooling and the classifier.
///
/// # Shapes
/// `[N, 1, 28, 28] → [N, 10]`.
pub fn fashion_resnet(
    kind: BlockKind,
    widths: &[usize],
    blocks: usize,
    rng: &mut impl Rng,
) -> Sequential {
    assert!(
        !widths.is_empty() && blocks > 0,
        "fashion_resnet: needs at least one stage ({widths:?}) of at least one block ({blocks})"
    );
    let stem = Conv2d::new(1, widths[0], 3, 1, Padding::Explicit(1, 1), rng);
    let mut model = match kind {
        BlockKind::Plain => Sequential::new().push(stem),
        _ => Sequential::new()
            .push(stem.without_bias())
            .push(BatchNorm2d::new(widths[0])),
    }
    .push(ReLU);
    let mut in_ch = widths[0];
    for (stage, &out_ch) in widths.iter().enumerate() {
        for block in 0..blocks {
            let stride = if stage > 0 && block == 0 { 2 } else { 1 };
            model = model.push(BasicBlock::new(in_ch, out_ch, stride, kind, rng));
            in_ch = out_ch;
        }
    }
    model
        .push(GlobalAvgPool2d)
        .push(Linear::new(in_ch, 10, rng))
}
// ANCHOR_END: fashion_resnet
