//! A table of a model's layers, their output shapes and parameter counts, like Keras'
//! `model.summary()`.

use std::fmt;

use autograd::{Var, no_grad};
use tensor::Tensor;

use crate::module::{Mode, Module};
use crate::sequential::Sequential;

/// One line of a [`Summary`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    /// The layer's [`Module::describe`] text.
    pub layer: String,
    /// The layer's output shape for a batch of one (the leading 1 is the batch axis).
    pub output_shape: Vec<usize>,
    /// The layer's number of parameters.
    pub params: usize,
}

/// Each layer of a [`Sequential`] with its output shape and parameter count, and the total.
/// Its `Display` prints the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// One row per layer, in order.
    pub rows: Vec<SummaryRow>,
    /// The sum of the rows' parameter counts (the numbers gradient descent learns).
    pub total_params: usize,
    /// The numbers held in buffers (batch normalisation's running statistics): saved with
    /// the model, not learned by gradient. Keras calls them non-trainable parameters.
    pub buffer_values: usize,
}

/// Summarises `model` for inputs of `input_shape` (one example, without the batch axis) by
/// running a batch of one all-zero example through it, in [`Mode::Eval`] and without
/// recording a graph.
///
/// # Shapes
/// `input_shape`: e.g. `[784]` for a flat image, `[1, 28, 28]` for a one-channel image.
///
/// ```
/// use layers::{Linear, Sequential, Sigmoid, Tanh, summary};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut rng = StdRng::seed_from_u64(0);
/// let model = Sequential::new()
///     .push(Linear::new(784, 256, &mut rng))
///     .push(Tanh)
///     .push(Linear::new(256, 1, &mut rng))
///     .push(Sigmoid);
/// let s = summary(&model, &[784]);
/// assert_eq!(s.rows[0].output_shape, [1, 256]);
/// assert_eq!(s.total_params, 201_217);
/// println!("{s}");
/// ```
pub fn summary(model: &Sequential, input_shape: &[usize]) -> Summary {
    let layers: Vec<&dyn Module> = model.layers().iter().map(|l| &**l).collect();
    summary_of_layers(&layers, input_shape)
}

/// [`summary`] for a chain of layers that is not a [`Sequential`]: each layer is fed the
/// previous one's output, as a network whose `forward` is such a chain does (e.g.
/// [`crate::VisionTransformer::layers`]).
///
/// # Shapes
/// As [`summary`].
///
/// ```
/// use layers::{VisionTransformer, VitConfig, summary_of_layers};
/// use rand::{SeedableRng, rngs::StdRng};
/// let config = VitConfig { image: [1, 28, 28], patch: 4, dim: 64, depth: 1, heads: 4, mlp: 128, classes: 10 };
/// let vit = VisionTransformer::new(config, &mut StdRng::seed_from_u64(0));
/// let s = summary_of_layers(&vit.layers(), &[1, 28, 28]);
/// assert_eq!(s.rows[1].output_shape, [1, 50, 64]); // 49 patches and the class token
/// assert_eq!(s.rows[2].params, 33_472); // one block of width 64, 4 heads, MLP ×2
/// println!("{s}");
/// ```
pub fn summary_of_layers(layers: &[&dyn Module], input_shape: &[usize]) -> Summary {
    let mut shape = vec![1];
    shape.extend_from_slice(input_shape);
    let mut a = Var::constant(Tensor::zeros(&shape));
    let mut params = Vec::new();
    for layer in layers {
        params.extend(layer.parameters());
    }
    let rows = no_grad(&params, || {
        layers
            .iter()
            .map(|layer| {
                a = layer.forward(&a, Mode::Eval);
                SummaryRow {
                    layer: layer.describe(),
                    output_shape: a.shape(),
                    params: layer.num_params(),
                }
            })
            .collect::<Vec<_>>()
    });
    let total_params = rows.iter().map(|r| r.params).sum();
    Summary {
        rows,
        total_params,
        buffer_values: layers.iter().map(|l| l.num_buffer_values()).sum(),
    }
}

/// `201217` as `"201,217"`.
fn with_commas(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `[1, 256]` as `"(None, 256)"`: the batch axis can be any size, as Keras prints it.
fn shape_text(shape: &[usize]) -> String {
    let mut parts = vec!["None".to_string()];
    parts.extend(shape.iter().skip(1).map(usize::to_string));
    format!("({})", parts.join(", "))
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let layer_w = self
            .rows
            .iter()
            .map(|r| r.layer.chars().count())
            .max()
            .unwrap_or(0)
            .max(5);
        let shape_w = self
            .rows
            .iter()
            .map(|r| shape_text(&r.output_shape).len())
            .max()
            .unwrap_or(0)
            .max(12);
        let params_w = with_commas(self.total_params).len().max(7);
        let rule = "─".repeat(layer_w + shape_w + params_w + 4);
        writeln!(
            f,
            "{:<layer_w$}  {:<shape_w$}  {:>params_w$}",
            "Layer", "Output shape", "Params"
        )?;
        writeln!(f, "{rule}")?;
        for r in &self.rows {
            let shape = shape_text(&r.output_shape);
            let params = with_commas(r.params);
            writeln!(
                f,
                "{:<layer_w$}  {shape:<shape_w$}  {params:>params_w$}",
                r.layer
            )?;
        }
        writeln!(f, "{rule}")?;
        write!(f, "Total params: {}", with_commas(self.total_params))?;
        if self.buffer_values > 0 {
            write!(
                f,
                "\nBuffers (saved, not trained): {}",
                with_commas(self.buffer_values)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(with_commas(0), "0");
        assert_eq!(with_commas(999), "999");
        assert_eq!(with_commas(1000), "1,000");
        assert_eq!(with_commas(201_217), "201,217");
        assert_eq!(with_commas(1_234_567), "1,234,567");
    }

    #[test]
    fn batch_axis_prints_as_none() {
        assert_eq!(shape_text(&[1, 32, 14, 14]), "(None, 32, 14, 14)");
    }
}
