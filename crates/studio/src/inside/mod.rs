//! Inside a saved model, for one image: every layer's output from the first to the logits
//! and the softmax (or, for a vision transformer, where its class token looks), what made
//! one value of a feature map, and which pixels push a class up.
//!
//! Each kind of network shows itself through [`Inside`], the hook a new model implements:
//! its layers' outputs as [`Panel`]s, and what stands behind one pixel of a map
//! ([`Inside::explain`]). [`for_network`] picks the implementation for a saved model —
//! [`chain::Chain`] for lessons 6, 7 and 8, whose networks are one chain of layers (the
//! ResNet's blocks each shown by their output maps), [`transformer::Transformer`] for
//! lesson 9's, whose panels are the class token's attention over the patches, block by
//! block and head by head. What is the same for every network is written once here: the
//! probabilities (the softmax of the logits), the classes' names, and the saliency, the
//! gradient of one class's logit with respect to the input pixels by `backward()`
//! ([`saliency`]), through the standardisation the network's lesson trained with.
//!
//! The page draws a panel by its `kind`, whatever network made it:
//!
//! | kind | shape | drawn as |
//! | --- | --- | --- |
//! | `maps` | `[C, H, W]` | `C` small pictures on one colour scale, with its legend (a transformer's: one per head, over the patch grid) |
//! | `strip` | `[n]` | `n` bars (a dense layer's outputs) |
//! | `classes` | `[10]` | ten labelled bars (logits, probabilities) |
//!
//! A network with something else to show adds a kind here and one drawing function to the
//! page's table of panels.

mod chain;
mod transformer;

use autograd::{Var, no_grad};
use layers::{Mode, Module};
use models::digit_model::{Input, Model, Network};
use serde_json::{Value, json};
use tensor::Tensor;

use crate::http::Problem;
use crate::numbers::{argmax, range, rounded};

/// One layer's output as the page draws it.
pub(crate) struct Panel {
    /// How the page draws it: `maps`, `strip` or `classes`.
    pub kind: &'static str,
    /// The layer, as [`Module::describe`] gives it, or what the values are.
    pub title: String,
    /// One line on what the values are, with the formula.
    pub caption: String,
    /// `[C, H, W]` for maps, `[n]` otherwise.
    pub shape: Vec<usize>,
    /// The values, row by row (map by map).
    pub values: Vec<f32>,
    /// Whether a click on one of its maps can be explained ([`Inside::explain`]).
    pub explain: bool,
}

impl Panel {
    /// The panel as JSON, `id` its place in the list, its values rounded for the browser
    /// ([`rounded`]) and its range exact.
    pub fn to_json(&self, id: usize) -> Value {
        let (lo, hi) = range(&self.values);
        json!({
            "id": id, "kind": self.kind, "title": self.title, "caption": self.caption,
            "shape": self.shape, "range": [lo, hi], "explain": self.explain,
            "values": rounded(&self.values, lo.abs().max(hi.abs())),
        })
    }
}

/// A pixel of one map: map `channel` of panel `panel`, row `y`, column `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pixel {
    /// The panel's place in the list [`Inside::panels`] returns.
    pub panel: usize,
    /// The map (output channel).
    pub channel: usize,
    /// The row.
    pub y: usize,
    /// The column.
    pub x: usize,
}

/// What a network shows of itself: the studio's hook for each kind of model.
pub(crate) trait Inside {
    /// The network, whose forward pass gives the logits `[1, 10]`.
    fn model(&self) -> &dyn Module;

    /// The panels for the standardised image `x` (`[1, 1, 28, 28]`), from the first layer
    /// to the logits, and the logits.
    fn panels(&self, x: &Tensor) -> (Vec<Panel>, Tensor);

    /// What made the value at `at` for the standardised image `x`: for a convolution's
    /// map, the filter, the window of the input it saw and the sum that gave the value.
    /// 400 for a pixel that is not there or a panel that cannot say.
    fn explain(&self, x: &Tensor, at: Pixel) -> Result<Value, Problem>;
}

/// The inside view of a loaded model of `network`'s kind.
pub(crate) fn for_network<'m>(network: &Network, model: &'m Model) -> Box<dyn Inside + 'm> {
    match model {
        Model::Chain(chain) => {
            let kinds = network
                .layer_kinds()
                .expect("a chain's network has layer kinds");
            Box::new(chain::Chain::new(chain, kinds))
        }
        Model::Transformer(vit) => Box::new(transformer::Transformer::new(vit)),
    }
}

/// Every panel for the standardised image `x` and the probabilities of the classes named
/// `classes`, as the page's JSON.
pub(crate) fn view(inside: &dyn Inside, x: &Tensor, classes: Vec<String>) -> Value {
    let (mut panels, logits) = no_grad(&inside.model().parameters(), || inside.panels(x));
    let probabilities = autograd::ops::softmax(&logits, 1);
    panels.push(Panel {
        kind: "classes",
        title: "softmax".into(),
        caption: "p = softmax(z): the probability of each class".into(),
        shape: vec![probabilities.numel()],
        values: probabilities.data().to_vec(),
        explain: false,
    });
    let digit = argmax(probabilities.data());
    let panels: Vec<Value> = panels
        .iter()
        .enumerate()
        .map(|(i, p)| p.to_json(i))
        .collect();
    json!({
        "digit": digit,
        "probabilities": probabilities.data(),
        "label": classes[digit],
        "classes": classes,
        "panels": panels,
    })
}

/// The gradient of logit `class` (the winning one if `None`) with respect to every pixel
/// `p` of the prepared image `seen` (`[1, 1, 28, 28]`, in `[0, 1]`), through the
/// standardisation `x = (p − mean)/std` that `input` gives, `∂z_class / ∂p`, by
/// `backward()`: where ink would raise that class's score (positive) or lower it
/// (negative). The model's weights take no gradient.
pub(crate) fn saliency(
    inside: &dyn Inside,
    seen: &Tensor,
    input: Input,
    class: Option<usize>,
) -> Result<Value, Problem> {
    let params = inside.model().parameters();
    let x = Var::param(seen.clone());
    let (logits, class) = no_grad(&params, || {
        let z = inside
            .model()
            .forward(&input.standardize_var(&x), Mode::Eval);
        let classes = z.shape()[1];
        let class = class.unwrap_or_else(|| argmax(z.value().data()));
        if class >= classes {
            return Err(Problem::bad(format!(
                "class must be from 0 to {}, got {class}",
                classes - 1
            )));
        }
        z.pick(&[class]).sum().backward();
        Ok((z.value().clone(), class))
    })?;
    let gradient = x.grad().expect("x is a parameter").data().to_vec();
    let (lo, hi) = range(&gradient);
    Ok(json!({
        "class": class,
        "winner": argmax(logits.data()),
        "logit": logits.data()[class],
        "side": x.shape()[3],
        "range": [lo, hi],
        "gradient": rounded(&gradient, lo.abs().max(hi.abs())),
    }))
}
