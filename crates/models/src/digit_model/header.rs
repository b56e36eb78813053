//! A model file's header: the network's name and sizes as text, written by
//! [`Network::header`] and read back, checked, by [`Network::from_header`]; and why a file
//! is refused ([`ModelFileError`]).
//!
//! A size is checked where the file hands it in: a missing key, a value that is not a
//! number, or one no lesson could have written (a patch that does not tile 28×28, a width
//! the heads do not divide, a network far larger than the course's) is an error naming the
//! file, the key and what was expected — never a panic further down, in a layer's
//! constructor.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use layers::{BlockKind, LayerError, VitConfig};

use super::Network;

/// The header key that names the network.
pub const NETWORK_KEY: &str = "gradschool.network";

/// The largest sizes a header may ask for: far above the course's, low enough that a
/// garbled file cannot make the loader allocate gigabytes.
const MAX_CHANNELS: usize = 512;
const MAX_STAGES: usize = 6;
const MAX_BLOCKS: usize = 16;
const MAX_WIDTH: usize = 1024;
const MAX_DEPTH: usize = 32;
const MAX_MLP: usize = 4096;

/// Why a model file could not be loaded.
#[derive(Debug)]
pub enum ModelFileError {
    /// The file could not be read, is not safetensors, or its tensors do not fit the
    /// network it names.
    Layer(LayerError),
    /// The file is safetensors but does not say it holds one of the lessons' networks.
    UnknownNetwork {
        /// The file.
        path: PathBuf,
        /// What its header says instead (`None`: nothing).
        found: Option<String>,
    },
    /// The header names a network but one of its sizes is missing or wrong.
    BadHeader {
        /// The file.
        path: PathBuf,
        /// The network its header names.
        network: &'static str,
        /// The key, `gradschool.widths` say.
        key: &'static str,
        /// Its value (`None`: missing).
        found: Option<String>,
        /// What it should be.
        expected: String,
    },
}

/// `` `value` `` or `missing`.
fn shown(found: &Option<String>) -> String {
    found
        .as_deref()
        .map_or("missing".to_string(), |s| format!("`{s}`"))
}

impl fmt::Display for ModelFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelFileError::Layer(e) => write!(f, "{e}"),
            ModelFileError::UnknownNetwork { path, found } => write!(
                f,
                "{}: not a model saved by lessons 6 to 9 (its header's `{NETWORK_KEY}` is {}; \
                 expected one of {})",
                path.display(),
                shown(found),
                Network::NAMES.join(", ")
            ),
            ModelFileError::BadHeader {
                path,
                network,
                key,
                found,
                expected,
            } => write!(
                f,
                "{}: its header's `{key}` is {}, expected {expected} (the file says it holds a \
                 {network})",
                path.display(),
                shown(found)
            ),
        }
    }
}

impl std::error::Error for ModelFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModelFileError::Layer(e) => Some(e),
            _ => None,
        }
    }
}

/// A header being read: the file, its pairs, and the network it names, for the errors.
struct Reader<'h> {
    path: &'h Path,
    header: &'h BTreeMap<String, String>,
    network: &'static str,
}

impl Reader<'_> {
    /// `key`'s value parsed by `parse`, or the error saying it should be `expected`.
    fn get<T>(
        &self,
        key: &'static str,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, ModelFileError> {
        let found = self.header.get(key);
        found
            .and_then(|v| parse(v.trim()))
            .ok_or_else(|| ModelFileError::BadHeader {
                path: self.path.to_path_buf(),
                network: self.network,
                key,
                found: found.cloned(),
                expected: expected.to_string(),
            })
    }

    /// A whole number from 1 to `max` for which `also.1` holds (`also.0` says so in words).
    fn size(
        &self,
        key: &'static str,
        max: usize,
        also: (&str, &dyn Fn(usize) -> bool),
    ) -> Result<usize, ModelFileError> {
        let expected = format!("a whole number from 1 to {max}{}", also.0);
        self.get(key, &expected, |v| {
            v.parse()
                .ok()
                .filter(|&n| (1..=max).contains(&n) && also.1(n))
        })
    }

    /// A finite number for which `range` holds (`what` says so in words).
    fn number(
        &self,
        key: &'static str,
        what: &str,
        range: impl Fn(f32) -> bool,
    ) -> Result<f32, ModelFileError> {
        self.get(key, what, |v| {
            v.parse::<f32>().ok().filter(|x| x.is_finite() && range(*x))
        })
    }
}

/// No condition beyond the range.
const ANY: (&str, &dyn Fn(usize) -> bool) = ("", &|_| true);

impl Network {
    /// The header [`super::save`] writes: the name, then the sizes as text.
    pub fn header(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![(NETWORK_KEY, self.name().to_string())];
        match self {
            Network::FirstCnn | Network::DeepCnn => {}
            Network::FashionResnet {
                variant,
                widths,
                blocks,
                mean,
                std,
            } => {
                let widths: Vec<String> = widths.iter().map(|w| w.to_string()).collect();
                pairs.extend([
                    ("gradschool.variant", variant.name().to_string()),
                    ("gradschool.widths", widths.join(",")),
                    ("gradschool.blocks", blocks.to_string()),
                    ("gradschool.mean", mean.to_string()),
                    ("gradschool.std", std.to_string()),
                ]);
            }
            Network::VisionTransformer(c) => pairs.extend([
                ("gradschool.patch", c.patch.to_string()),
                ("gradschool.width", c.dim.to_string()),
                ("gradschool.depth", c.depth.to_string()),
                ("gradschool.heads", c.heads.to_string()),
                ("gradschool.mlp", c.mlp.to_string()),
            ]),
        }
        pairs
    }

    /// The network the header of the file at `path` names, with its sizes, each checked.
    pub fn from_header(
        path: &Path,
        header: &BTreeMap<String, String>,
    ) -> Result<Network, ModelFileError> {
        let found = header.get(NETWORK_KEY);
        let Some(&name) = Network::NAMES
            .iter()
            .find(|n| Some(**n) == found.map(|s| s.as_str()))
        else {
            return Err(ModelFileError::UnknownNetwork {
                path: path.to_path_buf(),
                found: found.cloned(),
            });
        };
        let r = Reader {
            path,
            header,
            network: name,
        };
        Ok(match name {
            "first_cnn" => Network::FirstCnn,
            "deep_cnn" => Network::DeepCnn,
            "fashion_resnet" => resnet(&r)?,
            "vision_transformer" => Network::VisionTransformer(vit(&r)?),
            _ => unreachable!("{name} is one of Network::NAMES"),
        })
    }
}

/// Lesson 8's sizes and its pixels' statistics.
fn resnet(r: &Reader) -> Result<Network, ModelFileError> {
    let kinds: Vec<&str> = BlockKind::ALL.iter().map(|k| k.name()).collect();
    let widths = |v: &str| {
        let w: Vec<usize> = v
            .split(',')
            .map(|w| w.trim().parse().ok())
            .collect::<Option<_>>()?;
        let fits =
            (1..=MAX_STAGES).contains(&w.len()) && w.iter().all(|c| (1..=MAX_CHANNELS).contains(c));
        fits.then_some(w)
    };
    Ok(Network::FashionResnet {
        variant: r.get(
            "gradschool.variant",
            &format!("one of {}", kinds.join(", ")),
            BlockKind::from_name,
        )?,
        widths: r.get(
            "gradschool.widths",
            &format!(
                "1 to {MAX_STAGES} whole numbers from 1 to {MAX_CHANNELS}, separated by commas"
            ),
            widths,
        )?,
        blocks: r.size("gradschool.blocks", MAX_BLOCKS, ANY)?,
        mean: r.number("gradschool.mean", "a number from 0 to 1", |m| {
            (0.0..=1.0).contains(&m)
        })?,
        std: r.number("gradschool.std", "a number above 0, at most 1", |s| {
            s > 0.0 && s <= 1.0
        })?,
    })
}

/// Lesson 9's sizes, for 28×28 images and ten classes.
fn vit(r: &Reader) -> Result<VitConfig, ModelFileError> {
    let patch = r.size(
        "gradschool.patch",
        28,
        (" that divides 28", &|p| 28 % p == 0),
    )?;
    let dim = r.size("gradschool.width", MAX_WIDTH, ANY)?;
    let heads = r.size(
        "gradschool.heads",
        dim,
        (" that divides the width", &|h| dim % h == 0),
    )?;
    Ok(VitConfig {
        image: [1, 28, 28],
        patch,
        dim,
        depth: r.size("gradschool.depth", MAX_DEPTH, ANY)?,
        heads,
        mlp: r.size("gradschool.mlp", MAX_MLP, ANY)?,
        classes: 10,
    })
}
