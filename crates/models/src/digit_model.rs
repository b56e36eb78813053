//! Saved models: the weights of a lesson's network with the network's name and sizes in
//! the file's header, so that `cargo xtask predict`, the studio or a learner's own program
//! can load one without being told which lesson wrote it. (The name is from when lessons 6
//! and 7's digit networks were the only ones; lesson 8's ResNet classifies clothing.)
//!
//! | lesson | [`Network`] | header (besides [`NETWORK_KEY`]) | classes | input |
//! | --- | --- | --- | --- | --- |
//! | 6 | `first_cnn` | — | digits | MNIST-style, `(p − 0.5)/0.5` |
//! | 7 | `deep_cnn` | — | digits | MNIST-style, `p` |
//! | 8 | `fashion_resnet` | `variant`, `widths`, `blocks`, `mean`, `std` | Fashion-MNIST's | Fashion-style, `(p − mean)/std` |
//! | 9 | `vision_transformer` | `patch`, `width`, `depth`, `heads`, `mlp` | digits | MNIST-style, `(p − 0.1307)/0.3081` |
//!
//! (`p` is a pixel / 255; the header's keys all start with `gradschool.`.) A safetensors
//! file holds named tensors and a header of string pairs; [`save`] writes the network's
//! name and sizes there, and [`load`] reads them back ([`network_of`]), builds that network
//! and copies the weights in (every tensor must fit, as PyTorch's `strict=True`). A header
//! that lacks a size or garbles one is refused with an error naming the file and the key.
//!
//! ```
//! use models::digit_model::{Network, load, save};
//! use rand::{SeedableRng, rngs::StdRng};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("model.safetensors");
//! let model = Network::FirstCnn.build(&mut StdRng::seed_from_u64(1));
//! save(&model, Network::FirstCnn, &path).unwrap();
//! let (network, _loaded) = load(&path).unwrap();
//! assert_eq!(network, Network::FirstCnn);
//! assert_eq!(network.classes()[7], "7");
//! ```

use std::path::Path;

use autograd::Var;
use data::Dataset;
use data::image_io::Preprocess;
use layers::{BlockKind, LayerError, Mode, Module, Sequential, VisionTransformer, VitConfig};
use rand::{Rng, SeedableRng};
use tensor::Tensor;

use crate::eval::predict;
use crate::networks::{deep_cnn, fashion_resnet, first_cnn};

mod header;
mod layer_kinds;

pub use header::{ModelFileError, NETWORK_KEY};
pub use layer_kinds::LayerKind;

/// A network a model file can hold, with the sizes its header gives: all that is needed to
/// build it again.
#[derive(Clone, Debug, PartialEq)]
pub enum Network {
    /// Lesson 6's [`first_cnn`].
    FirstCnn,
    /// Lesson 7's [`deep_cnn`].
    DeepCnn,
    /// Lesson 8's [`fashion_resnet`], with the pixels' statistics it was trained with.
    FashionResnet {
        /// Plain, with batch normalisation, or residual.
        variant: BlockKind,
        /// Channels of each stage.
        widths: Vec<usize>,
        /// Blocks per stage.
        blocks: usize,
        /// The training images' mean pixel / 255.
        mean: f32,
        /// Their standard deviation.
        std: f32,
    },
    /// Lesson 9's [`VisionTransformer`] on 28×28 digits.
    VisionTransformer(VitConfig),
}

impl Network {
    /// The names written in files, in lesson order.
    pub const NAMES: [&'static str; 4] = [
        "first_cnn",
        "deep_cnn",
        "fashion_resnet",
        "vision_transformer",
    ];

    /// The name written in the file.
    pub fn name(&self) -> &'static str {
        match self {
            Network::FirstCnn => Network::NAMES[0],
            Network::DeepCnn => Network::NAMES[1],
            Network::FashionResnet { .. } => Network::NAMES[2],
            Network::VisionTransformer(_) => Network::NAMES[3],
        }
    }

    /// The data set it classifies: MNIST's digits, or Fashion-MNIST's clothing.
    pub fn dataset(&self) -> Dataset {
        match self {
            Network::FashionResnet { .. } => Dataset::FashionMnist,
            _ => Dataset::Mnist,
        }
    }

    /// Its classes' names, in the logits' order: `"0"` to `"9"`, or `"T-shirt"` to
    /// `"Ankle boot"`.
    pub fn classes(&self) -> Vec<String> {
        self.dataset()
            .class_names()
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    /// How a picture becomes its input: the preparation its data set's images had, then the
    /// standardisation its lesson trained with.
    pub fn input(&self) -> Input {
        let (how, mean, std) = match self {
            // (x/255 − 0.5)/0.5, lesson 6's `center_unit`.
            Network::FirstCnn => (Preprocess::Mnist, 0.5, 0.5),
            Network::DeepCnn => (Preprocess::Mnist, 0.0, 1.0),
            Network::FashionResnet { mean, std, .. } => (Preprocess::Fashion, *mean, *std),
            Network::VisionTransformer(_) => {
                (Preprocess::Mnist, MNIST_MEAN_STD.0, MNIST_MEAN_STD.1)
            }
        };
        Input { how, mean, std }
    }

    /// A freshly initialised network of this kind and these sizes (the weights are replaced
    /// by [`load`]; dropout rates do not matter outside training).
    pub fn build(&self, rng: &mut impl Rng) -> Model {
        match self {
            Network::FirstCnn => Model::Chain(first_cnn(32, true, rng)),
            Network::DeepCnn => Model::Chain(deep_cnn(0.4, rng, 0)),
            Network::FashionResnet {
                variant,
                widths,
                blocks,
                ..
            } => Model::Chain(fashion_resnet(*variant, widths, *blocks, rng)),
            Network::VisionTransformer(config) => {
                Model::Transformer(VisionTransformer::new(*config, rng))
            }
        }
    }
}

/// MNIST's pixels / 255 have mean 0.1307 and standard deviation 0.3081 over the training
/// images: lesson 9 standardises with them, as every PyTorch MNIST example does.
pub const MNIST_MEAN_STD: (f32, f32) = (0.1307, 0.3081);

/// How a picture becomes a network's input: prepared as `how` says (pixels in `[0, 1]`,
/// the picture "the model sees"), then standardised, `x = (p − mean) / std`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Input {
    /// The preparation of a picture file.
    pub how: Preprocess,
    /// Subtracted from every pixel.
    pub mean: f32,
    /// What the difference is divided by.
    pub std: f32,
}

impl Input {
    /// `x = (p − mean) / std` for prepared pixels `p`.
    ///
    /// # Shapes
    /// Any shape, kept.
    pub fn standardize(&self, seen: &Tensor) -> Tensor {
        seen.add_scalar(-self.mean).mul_scalar(1.0 / self.std)
    }

    /// [`Input::standardize`] on a graph, so that a gradient reaches the pixels.
    pub fn standardize_var(&self, seen: &Var) -> Var {
        seen.add_scalar(-self.mean).mul_scalar(1.0 / self.std)
    }
}

/// A built network: a chain of layers (lessons 6, 7 and 8), or a vision transformer,
/// whose attention can be read as well as its logits.
pub enum Model {
    /// A [`Sequential`].
    Chain(Sequential),
    /// A [`VisionTransformer`].
    Transformer(VisionTransformer),
}

impl Model {
    /// The network as a module.
    fn inner(&self) -> &dyn Module {
        match self {
            Model::Chain(s) => s,
            Model::Transformer(v) => v,
        }
    }
}

/// The network's own [`Module`], buffers included.
impl Module for Model {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        self.inner().forward(x, mode)
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        self.inner().visit_params(f);
    }

    fn visit_buffers(&self, f: &mut dyn FnMut(&str, &Var)) {
        self.inner().visit_buffers(f);
    }

    fn describe(&self) -> String {
        self.inner().describe()
    }
}

/// Saves `model`'s weights to `path` (atomically) with `network`'s name and sizes in the
/// header.
pub fn save(model: &dyn Module, network: Network, path: &Path) -> Result<(), LayerError> {
    let header = network.header();
    let pairs: Vec<(&str, &str)> = header.iter().map(|(k, v)| (*k, v.as_str())).collect();
    layers::save_with_metadata(model, path, &pairs)
}

/// Which network the file at `path` holds, with its sizes, from its header.
pub fn network_of(path: &Path) -> Result<Network, ModelFileError> {
    let header = layers::read_metadata(path).map_err(ModelFileError::Layer)?;
    Network::from_header(path, &header)
}

/// Builds the network the file names, in the sizes it gives, and loads its weights.
pub fn load(path: &Path) -> Result<(Network, Model), ModelFileError> {
    let network = network_of(path)?;
    let model = network.build(&mut rand::rngs::StdRng::seed_from_u64(0));
    layers::load(&model, path).map_err(ModelFileError::Layer)?;
    Ok((network, model))
}

/// The class probabilities `softmax(model(standardize(p)))` of prepared pictures `seen`.
///
/// # Shapes
/// `seen: [N, 1, 28, 28]` in `[0, 1]` → `[N, 10]`.
pub fn probabilities(network: &Network, model: &dyn Module, seen: &Tensor) -> Tensor {
    let x = network.input().standardize(seen);
    autograd::ops::softmax(&predict(model, &x, 64), 1)
}
