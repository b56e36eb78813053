//! What each layer of a chain of layers is, for a reader looking inside it: the studio's
//! inside view labels each layer's output with its kind and explains a convolution's value
//! from its window.

use tensor::Window2d;

use super::Network;

/// What one layer of a saved network's [`layers::Sequential`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerKind {
    /// A [`layers::Conv2d`] whose filters slide with this window (its kernel is the
    /// filters' size).
    Conv(Window2d),
    /// [`layers::BatchNorm2d`].
    BatchNorm,
    /// [`layers::ReLU`].
    ReLU,
    /// [`layers::MaxPool2d`] over this window.
    MaxPool(Window2d),
    /// A [`layers::BasicBlock`] (two convolutions, and a shortcut if residual): seen from
    /// outside, its output maps.
    Block,
    /// [`layers::GlobalAvgPool2d`]: each map's mean.
    GlobalAvgPool,
    /// [`layers::Flatten`].
    Flatten,
    /// [`layers::Linear`].
    Linear,
    /// [`layers::Dropout`]: the identity outside training.
    Dropout,
}

impl Network {
    /// The kind of each layer of the [`layers::Sequential`] that [`Network::build`] makes,
    /// in order — what the networks in [`crate::networks`] push, restated as data (a test
    /// checks that the two agree layer by layer); `None` for a network that is not one
    /// chain of layers (the vision transformer).
    pub fn layer_kinds(&self) -> Option<Vec<LayerKind>> {
        use LayerKind::{
            BatchNorm, Block, Conv, Dropout, Flatten, GlobalAvgPool, Linear, MaxPool, ReLU,
        };
        Some(match self {
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
            Network::FashionResnet {
                variant,
                widths,
                blocks,
                ..
            } => {
                let mut kinds = vec![Conv(Window2d::square(3, 1, 1))];
                if *variant != layers::BlockKind::Plain {
                    kinds.push(BatchNorm);
                }
                kinds.push(ReLU);
                kinds.extend(std::iter::repeat_n(Block, widths.len() * blocks));
                kinds.extend([GlobalAvgPool, Linear]);
                kinds
            }
            Network::VisionTransformer(_) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digit_model::Model;
    use layers::{
        BatchNorm2d, BlockKind, Conv2d, Flatten, GlobalAvgPool2d, Linear, MaxPool2d, Module, ReLU,
    };
    use rand::SeedableRng;

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
                // A bias-free convolution has one parameter; a zero bias stands in.
                let bias = params.get(1).cloned().unwrap_or_else(|| {
                    autograd::Var::param(tensor::Tensor::zeros(&[params[0].shape()[0]]))
                });
                let conv = Conv2d::from_params(params[0].clone(), bias, w.stride.0, w.padding);
                match params.len() {
                    1 => conv.without_bias().describe(),
                    _ => conv.describe(),
                }
            }
            LayerKind::BatchNorm => BatchNorm2d::new(params[0].value().numel()).describe(),
            LayerKind::ReLU => ReLU.describe(),
            LayerKind::MaxPool(w) => MaxPool2d::new(w).describe(),
            LayerKind::GlobalAvgPool => GlobalAvgPool2d.describe(),
            LayerKind::Flatten => Flatten.describe(),
            LayerKind::Linear => {
                Linear::from_params(params[0].clone(), params[1].clone()).describe()
            }
            // A block's sizes and a dropout's rate are not a kind's business: any block,
            // any dropout layer matches.
            LayerKind::Block if layer.describe().starts_with("BasicBlock[") => layer.describe(),
            LayerKind::Block => "a BasicBlock".to_string(),
            LayerKind::Dropout if layer.describe().starts_with("Dropout(") => layer.describe(),
            LayerKind::Dropout => "a Dropout".to_string(),
        }
    }

    #[test]
    fn layer_kinds_describe_the_built_networks() {
        let resnet = |variant| Network::FashionResnet {
            variant,
            widths: vec![4, 8],
            blocks: 2,
            mean: 0.3,
            std: 0.35,
        };
        let chains = [
            Network::FirstCnn,
            Network::DeepCnn,
            resnet(BlockKind::Plain),
            resnet(BlockKind::Normalized),
            resnet(BlockKind::Residual),
        ];
        for network in chains {
            let Model::Chain(model) = network.build(&mut rand::rngs::StdRng::seed_from_u64(0))
            else {
                panic!("{} is a chain", network.name())
            };
            let kinds = network.layer_kinds().expect("a chain's kinds");
            assert_eq!(kinds.len(), model.len(), "{network:?}");
            for (i, (kind, layer)) in kinds.into_iter().zip(model.layers()).enumerate() {
                assert_eq!(
                    expected(kind, layer.as_ref()),
                    layer.describe(),
                    "{network:?} layer {i}"
                );
            }
        }
    }
}
