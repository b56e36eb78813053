//! The `Module` trait: what every layer and every network is.
//!
//! A module has two jobs:
//! 1. `forward`: compute its output from its input, recording the graph so that
//!    `loss.backward()` can reach its parameters;
//! 2. `visit_params`: show each of its parameters, with a name, to a visitor.
//!
//! Everything that needs "all the weights" — [`Module::parameters`] for an optimizer,
//! [`Module::num_params`], [`Module::zero_grad`], [`crate::save`] and [`crate::load`] — is
//! written once here or there on top of the visitor. A second visitor,
//! [`Module::visit_buffers`], shows the state a layer keeps that is not learned by gradient
//! (batch normalisation's running statistics): saved and loaded with the parameters, never
//! given to an optimizer. No derive macro generates it: a layer
//! with two parameters says so in two lines.
//!
//! Names follow PyTorch's `state_dict`: a layer calls its parameters `"weight"` and
//! `"bias"`; a [`crate::Sequential`] prefixes each child's names with the child's index
//! (`"0.weight"`, `"2.bias"`), so a file saved here has the keys PyTorch's `nn.Sequential`
//! would use.

use autograd::Var;

/// Whether a forward pass is for training or for evaluation.
///
/// Passed to every [`Module::forward`] so that the call site shows when dropout is active
/// (PyTorch hides this in `model.train()` / `model.eval()` state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Training: dropout drops.
    Train,
    /// Evaluation (validation, testing, prediction): dropout passes its input through.
    Eval,
}

/// A layer or a network of layers: a differentiable function with named parameters.
///
/// ```
/// use autograd::Var;
/// use layers::{Linear, Mode, Module};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
///
/// let layer = Linear::new(3, 2, &mut StdRng::seed_from_u64(0));
/// let names: Vec<String> = layer.named_parameters().into_iter().map(|(n, _)| n).collect();
/// assert_eq!(names, ["weight", "bias"]);
/// assert_eq!(layer.num_params(), 3 * 2 + 2);
/// let y = layer.forward(&Var::constant(Tensor::ones(&[4, 3])), Mode::Eval);
/// assert_eq!(y.shape(), vec![4, 2]);
/// ```
pub trait Module {
    /// The layer's output for input `x`. `mode` says whether this is a training pass.
    fn forward(&self, x: &Var, mode: Mode) -> Var;

    /// Calls `f(name, parameter)` for each parameter, in a fixed order.
    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var));

    /// A one-line description with the layer's sizes, e.g. `"Linear(784 → 256)"`.
    fn describe(&self) -> String;

    /// Calls `f(name, buffer)` for each buffer, in a fixed order: state that is saved and
    /// loaded with the parameters but not learned by gradient descent — batch
    /// normalisation's running mean and variance (PyTorch's `register_buffer`, Keras'
    /// non-trainable weights). A buffer is a [`Var::constant`] that the layer itself updates
    /// in place. Most layers have none.
    fn visit_buffers(&self, f: &mut dyn FnMut(&str, &Var)) {
        let _ = f;
    }

    /// Every buffer with its name, in visiting order.
    fn named_buffers(&self) -> Vec<(String, Var)> {
        let mut buffers = Vec::new();
        self.visit_buffers(&mut |name, b| buffers.push((name.to_string(), b.clone())));
        buffers
    }

    /// The number of numbers in the module's buffers (not learned, but saved).
    fn num_buffer_values(&self) -> usize {
        let mut n = 0;
        self.visit_buffers(&mut |_, b| n += b.value().numel());
        n
    }

    /// Every parameter, in visiting order: what an optimizer is built from. The handles
    /// share their nodes with the module, so an update through them changes the module.
    fn parameters(&self) -> Vec<Var> {
        let mut params = Vec::new();
        self.visit_params(&mut |_, p| params.push(p.clone()));
        params
    }

    /// Every parameter with its name (PyTorch's `named_parameters()`).
    fn named_parameters(&self) -> Vec<(String, Var)> {
        let mut params = Vec::new();
        self.visit_params(&mut |name, p| params.push((name.to_string(), p.clone())));
        params
    }

    /// The number of numbers the module learns: the sum of its parameters' sizes.
    fn num_params(&self) -> usize {
        let mut n = 0;
        self.visit_params(&mut |_, p| n += p.value().numel());
        n
    }

    /// Forgets every parameter's gradient (before the next `backward()`).
    fn zero_grad(&self) {
        self.visit_params(&mut |_, p| p.zero_grad());
    }
}
