//! Saved digit models: the weights of lesson 6's or lesson 7's network with the name of the
//! network in the file's header, so that `cargo xtask predict`, the studio or a learner's
//! own program can load either without being told which lesson wrote it.
//!
//! A safetensors file holds named tensors and a header of string pairs; [`save`] writes the
//! network's name under [`NETWORK_KEY`], and [`load`] reads it, builds that network and
//! copies the weights in (every tensor must fit, as PyTorch's `strict=True`).
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
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use layers::{LayerError, Sequential};
use rand::{Rng, SeedableRng};
use tensor::Window2d;

use crate::networks::{deep_cnn, first_cnn};

/// The header key that names the network.
pub const NETWORK_KEY: &str = "gradschool.network";

/// The digit networks a model file can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// Lesson 6's [`first_cnn`].
    FirstCnn,
    /// Lesson 7's [`deep_cnn`].
    DeepCnn,
}

impl Network {
    /// Every network, in lesson order.
    pub const ALL: [Network; 2] = [Network::FirstCnn, Network::DeepCnn];

    /// The name written in the file.
    pub fn name(self) -> &'static str {
        match self {
            Network::FirstCnn => "first_cnn",
            Network::DeepCnn => "deep_cnn",
        }
    }

    /// The network of this name.
    pub fn from_name(name: &str) -> Option<Network> {
        Network::ALL.into_iter().find(|n| n.name() == name)
    }

    /// A freshly initialised network of this kind, in the course's shape (the weights are
    /// replaced by [`load`]; the dropout rate does not matter outside training).
    pub fn build(self, rng: &mut impl Rng) -> Sequential {
        match self {
            Network::FirstCnn => first_cnn(32, true, rng),
            Network::DeepCnn => deep_cnn(0.4, rng, 0),
        }
    }
}

/// What one layer of a digit network is, for a reader looking inside it — the studio's
/// inside view labels each layer's output with it and explains a convolution's value from
/// its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerKind {
    /// A [`layers::Conv2d`] whose filters slide with this window (its kernel is the
    /// filters' size).
    Conv(Window2d),
    /// [`layers::ReLU`].
    ReLU,
    /// [`layers::MaxPool2d`] over this window.
    MaxPool(Window2d),
    /// [`layers::Flatten`].
    Flatten,
    /// [`layers::Linear`].
    Linear,
    /// [`layers::Dropout`]: the identity outside training.
    Dropout,
}

impl Network {
    /// The kind of each layer of the [`Sequential`] that [`Network::build`] returns, in
    /// order: what the networks in [`crate::networks`] push, restated as data (a test checks
    /// that the two agree layer by layer).
    pub fn layer_kinds(self) -> Vec<LayerKind> {
        use LayerKind::{Conv, Dropout, Flatten, Linear, MaxPool, ReLU};
        match self {
            Network::FirstCnn => vec![
                Conv(Window2d::square(3, 1, 1)),
                ReLU,
                MaxPool(Window2d::square(2, 2, 0)),
                Flatten,
                Linear,
                ReLU,
                Linear,
            ],
            Network::DeepCnn => {
                let block = [
                    Conv(Window2d::same(5, 1)),
                    ReLU,
                    MaxPool(Window2d::same(2, 2)),
                ];
                let mut kinds = block.repeat(4);
                kinds.extend([Flatten, Linear, ReLU, Dropout, Linear]);
                kinds
            }
        }
    }
}

/// Why a model file could not be loaded.
#[derive(Debug)]
pub enum ModelFileError {
    /// The file could not be read, is not safetensors, or its tensors do not fit the
    /// network it names.
    Layer(LayerError),
    /// The file is safetensors but does not say it holds one of our digit networks.
    NotADigitModel {
        /// The file.
        path: PathBuf,
        /// What its header says instead (`None`: nothing).
        found: Option<String>,
    },
}

impl fmt::Display for ModelFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelFileError::Layer(e) => write!(f, "{e}"),
            ModelFileError::NotADigitModel { path, found } => {
                let names: Vec<&str> = Network::ALL.iter().map(|n| n.name()).collect();
                write!(
                    f,
                    "{}: not a digit model saved by lesson 6 or 7 (its header's `{NETWORK_KEY}` is {}; expected one of {})",
                    path.display(),
                    found
                        .as_deref()
                        .map_or("missing".to_string(), |s| format!("`{s}`")),
                    names.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for ModelFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModelFileError::Layer(e) => Some(e),
            ModelFileError::NotADigitModel { .. } => None,
        }
    }
}

/// Saves `model`'s weights to `path` (atomically) with `network`'s name in the header.
pub fn save(model: &Sequential, network: Network, path: &Path) -> Result<(), LayerError> {
    layers::save_with_metadata(model, path, &[(NETWORK_KEY, network.name())])
}

/// Which network the file at `path` holds, from its header.
pub fn network_of(path: &Path) -> Result<Network, ModelFileError> {
    let header = layers::read_metadata(path).map_err(ModelFileError::Layer)?;
    let found = header.get(NETWORK_KEY).cloned();
    found
        .as_deref()
        .and_then(Network::from_name)
        .ok_or_else(|| ModelFileError::NotADigitModel {
            path: path.to_path_buf(),
            found,
        })
}

/// Builds the network the file names and loads its weights.
pub fn load(path: &Path) -> Result<(Network, Sequential), ModelFileError> {
    let network = network_of(path)?;
    let model = network.build(&mut rand::rngs::StdRng::seed_from_u64(0));
    layers::load(&model, path).map_err(ModelFileError::Layer)?;
    Ok((network, model))
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers::{Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU};

    /// The description a layer of `kind` with `layer`'s parameters gives.
    fn expected(kind: LayerKind, layer: &dyn Module) -> String {
        let params: Vec<autograd::Var> = layer.parameters();
        match kind {
            LayerKind::Conv(w) => {
                assert_eq!(
                    (params[0].shape()[2], params[0].shape()[3]),
                    w.kernel,
                    "{}",
                    layer.describe()
                );
                let conv = Conv2d::from_params(
                    params[0].clone(),
                    params[1].clone(),
                    w.stride.0,
                    w.padding,
                );
                conv.describe()
            }
            LayerKind::ReLU => ReLU.describe(),
            LayerKind::MaxPool(w) => MaxPool2d::new(w).describe(),
            LayerKind::Flatten => Flatten.describe(),
            LayerKind::Linear => {
                Linear::from_params(params[0].clone(), params[1].clone()).describe()
            }
            // Its rate is not a kind's business: any dropout layer matches.
            LayerKind::Dropout if layer.describe().starts_with("Dropout(") => layer.describe(),
            LayerKind::Dropout => "a Dropout".to_string(),
        }
    }

    #[test]
    fn layer_kinds_describe_the_built_networks() {
        for network in Network::ALL {
            let model = network.build(&mut rand::rngs::StdRng::seed_from_u64(0));
            let kinds = network.layer_kinds();
            assert_eq!(kinds.len(), model.len(), "{}", network.name());
            for (i, (kind, layer)) in kinds.into_iter().zip(model.layers()).enumerate() {
                assert_eq!(
                    expected(kind, layer.as_ref()),
                    layer.describe(),
                    "{} layer {i}",
                    network.name()
                );
            }
        }
    }
}
