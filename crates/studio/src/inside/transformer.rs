//! The inside view of lesson 9's vision transformer: not feature maps (it has none after
//! the patches are embedded) but where its class token looks. For each block, the class
//! token's row of attention probabilities over the patches, one `g × g` map per head,
//!
//! `a[h, 0, j]` for the patches `j = 1 … g²`, row by row
//!
//! ([`models::attention::class_attention`]): how much of each patch's value goes into the
//! class token's update in that head (the rest, up to 1, is the class token's own); then
//! the attention rollout through all the blocks ([`models::attention::rollout`]), and the
//! logits. A map's pixel is a patch, not the output of a filter: there is nothing to
//! explain as a sum.

use autograd::Var;
use layers::{Mode, Module, VisionTransformer};
use models::attention::{class_attention, rollout};
use serde_json::Value;
use tensor::Tensor;

use super::{Inside, Panel, Pixel};
use crate::http::Problem;

/// A vision transformer seen through its attention.
pub(crate) struct Transformer<'m> {
    model: &'m VisionTransformer,
}

impl<'m> Transformer<'m> {
    /// The view of `model`.
    pub fn new(model: &'m VisionTransformer) -> Transformer<'m> {
        Transformer { model }
    }
}

/// The side `g` of a square grid of `patches` patches.
fn grid_side(patches: usize) -> usize {
    let g = (patches as f64).sqrt().round() as usize;
    assert_eq!(
        g * g,
        patches,
        "Transformer: {patches} patches are not a square"
    );
    g
}

impl Inside for Transformer<'_> {
    fn model(&self) -> &dyn Module {
        self.model
    }

    fn panels(&self, x: &Tensor) -> (Vec<Panel>, Tensor) {
        let (logits, attention) = self
            .model
            .forward_with_attention(&Var::constant(x.clone()), Mode::Eval);
        let attention: Vec<Tensor> = attention.iter().map(|a| a.value().clone()).collect();
        let (heads, patches) = (attention[0].shape()[1], attention[0].shape()[2] - 1);
        let g = grid_side(patches);
        let mut panels: Vec<Panel> = attention
            .iter()
            .enumerate()
            .map(|(b, a)| Panel {
                kind: "maps",
                title: format!("block {}: the class token's attention", b + 1),
                caption: format!(
                    "a[h, 0, patch] = softmax(q₀·kⱼ/√d)ⱼ: the share of each of the {g}×{g} \
                     patches in the class token's update, one map per head ({heads})"
                ),
                shape: vec![heads, g, g],
                values: (0..heads).flat_map(|h| class_attention(a, 0, h)).collect(),
                explain: false,
            })
            .collect();
        panels.push(Panel {
            kind: "maps",
            title: "attention rollout".into(),
            caption: "R = Â_L ⋯ Â_1 with Â = ½·mean over heads of A + ½·I: how much each \
                      patch reached the class token through all the blocks"
                .into(),
            shape: vec![1, g, g],
            values: rollout(&attention, 0),
            explain: false,
        });
        let logits = logits.value().clone();
        panels.push(Panel {
            kind: "classes",
            title: "logits".into(),
            caption: "z = W·LayerNorm(h₀) + b: the class token's output, one score per class"
                .into(),
            shape: vec![logits.numel()],
            values: logits.data().to_vec(),
            explain: false,
        });
        (panels, logits)
    }

    fn explain(&self, _x: &Tensor, at: Pixel) -> Result<Value, Problem> {
        Err(Problem::bad(format!(
            "panel {}: a vision transformer's maps are attention over the patches, not the \
             output of a convolution's filters: there is no sum to explain",
            at.panel
        )))
    }
}
