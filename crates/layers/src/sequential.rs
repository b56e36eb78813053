//! `Sequential`: layers applied one after another, the shape of most networks in the course.

use autograd::Var;

use crate::module::{Mode, Module};

/// A chain of modules: `a⁽⁰⁾ = x`, `a⁽ˡ⁾ = layer_l(a⁽ˡ⁻¹⁾)`, output `a⁽ᴸ⁾`.
///
/// Parameter names are each child's names prefixed with its index — `"0.weight"`,
/// `"0.bias"`, `"2.weight"`, … — exactly the keys of PyTorch's `nn.Sequential` state_dict,
/// so the indices count parameter-free layers (activations, pooling) too.
///
/// # Shapes
/// The input shape of the first layer → the output shape of the last.
///
/// ```
/// use layers::{Linear, Module, ReLU, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut rng = StdRng::seed_from_u64(0);
/// let model = Sequential::new()
///     .push(Linear::new(4, 8, &mut rng))
///     .push(ReLU)
///     .push(Linear::new(8, 3, &mut rng));
/// let names: Vec<String> = model.named_parameters().into_iter().map(|(n, _)| n).collect();
/// assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);
/// ```
#[derive(Default)]
pub struct Sequential {
    layers: Vec<Box<dyn Module>>,
}

impl Sequential {
    /// An empty chain (the identity function).
    pub fn new() -> Sequential {
        Sequential { layers: Vec::new() }
    }

    /// The chain with `layer` appended at the end.
    pub fn push(mut self, layer: impl Module + 'static) -> Sequential {
        self.layers.push(Box::new(layer));
        self
    }

    /// The layers, in order.
    pub fn layers(&self) -> &[Box<dyn Module>] {
        &self.layers
    }

    /// The number of layers.
    pub fn len(&self) -> usize {
        self.layers.len()
    }

    /// True if there are no layers.
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }
}

impl Module for Sequential {
    /// Feeds `x` through every layer in turn, passing `mode` to each.
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        let mut a = x.clone();
        for layer in &self.layers {
            a = layer.forward(&a, mode);
        }
        a
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        for (i, layer) in self.layers.iter().enumerate() {
            layer.visit_params(&mut |name, p| f(&format!("{i}.{name}"), p));
        }
    }

    fn visit_buffers(&self, f: &mut dyn FnMut(&str, &Var)) {
        for (i, layer) in self.layers.iter().enumerate() {
            layer.visit_buffers(&mut |name, b| f(&format!("{i}.{name}"), b));
        }
    }

    fn describe(&self) -> String {
        let inner: Vec<String> = self.layers.iter().map(|l| l.describe()).collect();
        format!("Sequential({})", inner.join(", "))
    }
}
