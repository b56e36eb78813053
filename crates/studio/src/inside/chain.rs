//! The inside view of a network that is one chain of layers — lessons 6, 7 and 8: each
//! convolution's maps, after its batch normalisation, its ReLU and its pooling, the maps
//! each of a ResNet's blocks puts out (a stage's last block gives the stage's), the global average
//! pool's means, the dense layers' outputs and the logits; and for one pixel of a
//! convolution's map, the filter, the window of its input and the sum
//!
//! `z[o, i, j] = b[o] + Σ_c Σ_u Σ_v w[o, c, u, v] · x[c, i·s + u − p, j·s + v − p]`
//!
//! term by term (`s` the stride, `p` the padding before; a position in the padding
//! counts 0), beside the value the layer computed.

use autograd::Var;
use layers::{Mode, Module, Sequential};
use models::digit_model::LayerKind;
use serde_json::{Value, json};
use tensor::Tensor;

use super::{Inside, Panel, Pixel};
use crate::http::Problem;

/// A [`Sequential`] and the kind of each of its layers.
pub(crate) struct Chain<'m> {
    model: &'m Sequential,
    kinds: Vec<LayerKind>,
}

impl<'m> Chain<'m> {
    /// The view of `model`, whose layers are `kinds`, in order.
    pub fn new(model: &'m Sequential, kinds: Vec<LayerKind>) -> Chain<'m> {
        assert_eq!(
            model.len(),
            kinds.len(),
            "Chain: {} layers but {} kinds",
            model.len(),
            kinds.len()
        );
        Chain { model, kinds }
    }

    /// Every layer's output for `x`, in order (no graph is recorded by the caller's
    /// `no_grad`, or it is and goes unused).
    fn outputs(&self, x: &Tensor) -> Vec<Tensor> {
        let mut a = Var::constant(x.clone());
        self.model
            .layers()
            .iter()
            .map(|layer| {
                a = layer.forward(&a, Mode::Eval);
                a.value().clone()
            })
            .collect()
    }

    /// The layers that give a panel, in the order of the panels.
    fn panel_layers(&self) -> Vec<usize> {
        (0..self.kinds.len())
            .filter(|&i| !matches!(self.kinds[i], LayerKind::Flatten | LayerKind::Dropout))
            .collect()
    }

    /// The convolution whose channels layer `i`'s maps are: `i` itself, or the
    /// convolution just before a ReLU.
    fn conv_of(&self, i: usize) -> Option<usize> {
        match (self.kinds[i], i.checked_sub(1).map(|p| self.kinds[p])) {
            (LayerKind::Conv(_), _) => Some(i),
            (LayerKind::ReLU, Some(LayerKind::Conv(_))) => Some(i - 1),
            _ => None,
        }
    }

    /// Layer `i`'s output `a` as a panel.
    fn panel(&self, i: usize, a: &Tensor) -> Panel {
        let describe = self.model.layers()[i].describe();
        let last = i + 1 == self.kinds.len();
        let shape = a.shape()[1..].to_vec();
        let (kind, title, caption) = match self.kinds[i] {
            LayerKind::Conv(_) => (
                "maps",
                describe,
                format!(
                    "z = b + Σ w ⋆ x: {} maps of {}×{}, one per filter",
                    shape[0], shape[1], shape[2]
                ),
            ),
            LayerKind::ReLU if shape.len() == 3 => (
                "maps",
                "after ReLU".to_string(),
                "a = max(0, z): the negative values are gone".to_string(),
            ),
            LayerKind::BatchNorm => (
                "maps",
                describe,
                "y = γ·(z − μ)/√(σ² + ε) + β, with the mean and variance measured in training"
                    .to_string(),
            ),
            LayerKind::Block => (
                "maps",
                describe,
                format!(
                    "a block: two 3×3 convolutions (plus its shortcut, if residual), then ReLU: \
                     {} maps of {}×{}",
                    shape[0], shape[1], shape[2]
                ),
            ),
            LayerKind::GlobalAvgPool => (
                "strip",
                describe,
                format!("the mean of each map: {} numbers", shape[0]),
            ),
            LayerKind::MaxPool(w) => (
                "maps",
                describe,
                format!(
                    "the largest value of each {}×{} window: {} maps of {}×{}",
                    w.kernel.0, w.kernel.1, shape[0], shape[1], shape[2]
                ),
            ),
            LayerKind::Linear if last => (
                "classes",
                describe,
                "z = W a + b: the logits, one score per class".to_string(),
            ),
            LayerKind::Linear => (
                "strip",
                describe,
                format!("z = W a + b: {} numbers", shape[0]),
            ),
            LayerKind::ReLU => (
                "strip",
                "after ReLU".to_string(),
                "a = max(0, z)".to_string(),
            ),
            LayerKind::Flatten | LayerKind::Dropout => {
                unreachable!("no panel for layer {i}")
            }
        };
        Panel {
            kind,
            title,
            caption,
            shape,
            values: a.data().to_vec(),
            explain: self.conv_of(i).is_some(),
        }
    }
}

impl Inside for Chain<'_> {
    fn model(&self) -> &dyn Module {
        self.model
    }

    fn panels(&self, x: &Tensor) -> (Vec<Panel>, Tensor) {
        let outputs = self.outputs(x);
        let panels = self
            .panel_layers()
            .into_iter()
            .map(|i| self.panel(i, &outputs[i]))
            .collect();
        let logits = outputs.last().expect("a layer").clone();
        (panels, logits)
    }

    fn explain(&self, x: &Tensor, at: Pixel) -> Result<Value, Problem> {
        let panels = self.panel_layers();
        let Some(&layer) = panels.get(at.panel) else {
            return Err(Problem::bad(format!(
                "panel must be from 0 to {}, got {}",
                panels.len() - 1,
                at.panel
            )));
        };
        let Some(conv) = self.conv_of(layer) else {
            return Err(Problem::bad(format!(
                "panel {} ({}) is not made by a convolution's filters: choose a \
                 convolution's maps or those after its ReLU",
                at.panel,
                self.model.layers()[layer].describe()
            )));
        };
        let LayerKind::Conv(window) = self.kinds[conv] else {
            unreachable!("conv_of gives a convolution")
        };
        let outputs = self.outputs(x);
        let z = &outputs[conv];
        let (channels, height, width) = (z.dim(1), z.dim(2), z.dim(3));
        if at.channel >= channels || at.y >= height || at.x >= width {
            return Err(Problem::bad(format!(
                "the maps of panel {} are {channels} of {height}×{width}: there is no map {} \
                 pixel ({}, {})",
                at.panel, at.channel, at.y, at.x
            )));
        }
        let input = if conv == 0 { x } else { &outputs[conv - 1] };
        let (in_ch, in_h, in_w) = (input.dim(1), input.dim(2), input.dim(3));
        let params = self.model.layers()[conv].parameters();
        let weight = params[0].value();
        let bias = params.get(1).map_or(0.0, |b| b.value().data()[at.channel]);
        let g = window.geometry("explain", in_h, in_w);
        let (mut patch, mut products, mut terms) = (Vec::new(), Vec::new(), Vec::new());
        let mut filter = Vec::new();
        for c in 0..in_ch {
            let mut term = 0.0f64;
            for u in 0..g.kh {
                for v in 0..g.kw {
                    let w = weight.at(&[at.channel, c, u, v]);
                    let seen = g
                        .input_row(at.y, u)
                        .zip(g.input_col(at.x, v))
                        .map(|(r, col)| input.at(&[0, c, r, col]));
                    let product = f64::from(w) * f64::from(seen.unwrap_or(0.0));
                    term += product;
                    filter.push(w);
                    patch.push(seen);
                    products.push(product);
                }
            }
            terms.push(term);
        }
        let sum = f64::from(bias) + terms.iter().sum::<f64>();
        let value = z.at(&[0, at.channel, at.y, at.x]);
        let after_relu = matches!(self.kinds.get(conv + 1), Some(LayerKind::ReLU))
            .then(|| outputs[conv + 1].at(&[0, at.channel, at.y, at.x]));
        let input_panel = conv
            .checked_sub(1)
            .and_then(|p| panels.iter().position(|&l| l == p));
        let (lo, hi) = crate::numbers::range(&filter);
        Ok(json!({
            "panel": at.panel, "layer": conv, "title": self.model.layers()[conv].describe(),
            "channel": at.channel, "y": at.y, "x": at.x,
            "input": {
                "panel": input_panel,
                "title": input_panel.map_or("the image".to_string(), |_| self.model.layers()[conv - 1].describe()),
                "shape": [in_ch, in_h, in_w],
            },
            "window": {
                "top": (at.y * g.sh) as i64 - g.pad_top as i64,
                "left": (at.x * g.sw) as i64 - g.pad_left as i64,
                "height": g.kh, "width": g.kw,
            },
            "filter": {"shape": [in_ch, g.kh, g.kw], "values": filter, "range": [lo, hi]},
            "patch": patch,
            "products": products,
            "terms": terms,
            "bias": bias,
            "sum": sum,
            "value": value,
            "after_relu": after_relu,
        }))
    }
}
