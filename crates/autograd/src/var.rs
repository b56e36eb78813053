//! `Var`: a tensor that remembers how it was computed.
//!
//! A `Var` is a shared handle to a node of the computation graph. A node holds
//! - its value (a [`Tensor`]),
//! - whether it wants a gradient (`requires_grad`),
//! - for a leaf that wants one, the gradient accumulated by [`Var::backward`] so far,
//! - for a computed node, its parents and its backward rule: a function from `∂L/∂self`
//!   to `∂L/∂parent` for each parent (the chain rule for one op).
//!
//! Handles are reference counted (`Rc`): the graph lives exactly as long as the last `Var`
//! that can reach it, so dropping a loss frees the whole graph of that step. `Rc` is not
//! `Send`, so each thread builds its own graphs and no two can interfere.

use std::cell::{Cell, Ref, RefCell, RefMut};
use std::fmt;
use std::rc::Rc;

use tensor::Tensor;

/// The backward rule of one op: given `g = ∂L/∂y`, the op's output value `y` and its input
/// handles, return `∂L/∂input` for each input (`None` for an input that needs none).
pub type BackwardFn = Box<dyn Fn(&Tensor, &Tensor, &[Var]) -> Vec<Option<Tensor>>>;

/// One node of the graph. See the module docs.
pub(crate) struct Node {
    pub(crate) op: &'static str,
    pub(crate) value: RefCell<Tensor>,
    pub(crate) requires_grad: Cell<bool>,
    pub(crate) grad: RefCell<Option<Tensor>>,
    pub(crate) parents: Vec<Var>,
    pub(crate) backward: Option<BackwardFn>,
}

/// A differentiable value: a tensor plus the record of the ops that produced it.
///
/// Cloning a `Var` clones the handle, not the tensor: both handles name the same node, as
/// two Python names bound to one `torch.Tensor` do.
#[derive(Clone)]
pub struct Var(pub(crate) Rc<Node>);

impl Var {
    /// A leaf that wants a gradient: a parameter (a weight or a bias).
    pub fn param(value: Tensor) -> Var {
        Var::leaf(value, true)
    }

    /// A leaf that wants no gradient: an input or a target.
    pub fn constant(value: Tensor) -> Var {
        Var::leaf(value, false)
    }

    fn leaf(value: Tensor, requires_grad: bool) -> Var {
        Var(Rc::new(Node {
            op: "leaf",
            value: RefCell::new(value),
            requires_grad: Cell::new(requires_grad),
            grad: RefCell::new(None),
            parents: Vec::new(),
            backward: None,
        }))
    }

    /// The result of an op with output `value`, computed from `parents`, whose gradient
    /// is given by `backward` (see [`BackwardFn`]). If no parent requires a gradient the
    /// result is a plain constant and nothing is recorded: evaluation under
    /// [`crate::no_grad`] builds no graph.
    pub fn from_op(
        op: &'static str,
        value: Tensor,
        parents: &[&Var],
        backward: impl Fn(&Tensor, &Tensor, &[Var]) -> Vec<Option<Tensor>> + 'static,
    ) -> Var {
        if !parents.iter().any(|p| p.requires_grad()) {
            return Var::constant(value);
        }
        Var(Rc::new(Node {
            op,
            value: RefCell::new(value),
            requires_grad: Cell::new(true),
            grad: RefCell::new(None),
            parents: parents.iter().map(|&p| p.clone()).collect(),
            backward: Some(Box::new(backward)),
        }))
    }

    /// The value, borrowed. (Do not hold it across an optimizer step on the same `Var`.)
    pub fn value(&self) -> Ref<'_, Tensor> {
        self.0.value.borrow()
    }

    /// The value, mutably borrowed: how an optimizer updates a parameter in place.
    pub fn value_mut(&self) -> RefMut<'_, Tensor> {
        self.0.value.borrow_mut()
    }

    /// The shape of the value.
    pub fn shape(&self) -> Vec<usize> {
        self.value().shape().to_vec()
    }

    /// The value of a one-element `Var` (e.g. a loss) as a number.
    pub fn item(&self) -> f32 {
        self.value().item()
    }

    /// The gradient accumulated by [`Var::backward`] calls since the last
    /// [`Var::zero_grad`], or `None` if none has reached this leaf.
    pub fn grad(&self) -> Option<Ref<'_, Tensor>> {
        Ref::filter_map(self.0.grad.borrow(), Option::as_ref).ok()
    }

    /// Forgets the accumulated gradient (PyTorch's `zero_grad(set_to_none=True)`).
    pub fn zero_grad(&self) {
        *self.0.grad.borrow_mut() = None;
    }

    /// Adds `g` into this leaf's gradient.
    pub(crate) fn accumulate_grad(&self, g: Tensor) {
        let mut slot = self.0.grad.borrow_mut();
        match slot.as_mut() {
            Some(acc) => acc.add_assign(&g),
            None => *slot = Some(g),
        }
    }

    /// Whether gradients flow to or through this value.
    pub fn requires_grad(&self) -> bool {
        self.0.requires_grad.get()
    }

    /// Switches a leaf's wish for a gradient on or off (PyTorch's `requires_grad_`).
    /// Panics on a computed value, whose flag follows from its inputs.
    pub fn set_requires_grad(&self, on: bool) {
        assert!(
            self.is_leaf(),
            "set_requires_grad: only leaves have their own flag; this value comes from `{}`",
            self.0.op
        );
        self.0.requires_grad.set(on);
    }

    /// True for parameters and constants, false for values computed by an op.
    pub fn is_leaf(&self) -> bool {
        self.0.backward.is_none()
    }

    /// The name of the op that made this value (`"leaf"` for leaves).
    pub fn op(&self) -> &'static str {
        self.0.op
    }

    /// A constant with a copy of this value, cut off from the graph: no gradient flows
    /// back through it (PyTorch's `detach`).
    pub fn detach(&self) -> Var {
        Var::constant(self.value().clone())
    }

    /// True if both handles name the same node.
    pub fn same_node(&self, other: &Var) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Var(op={}, requires_grad={}, value={})",
            self.0.op,
            self.requires_grad(),
            self.value()
        )
    }
}

impl Drop for Node {
    /// Frees a long chain of nodes without recursing once per node (which could overflow
    /// the stack on a very deep graph): parents whose last handle is ours are taken apart
    /// here in a loop.
    fn drop(&mut self) {
        let mut stack: Vec<Var> = std::mem::take(&mut self.parents);
        while let Some(var) = stack.pop() {
            if let Ok(mut node) = Rc::try_unwrap(var.0) {
                stack.append(&mut node.parents);
            }
        }
    }
}
