//! `backward()`: the chain rule applied over the recorded graph.
//!
//! 1. Order the nodes so that every node comes after all of its parents (a topological
//!    sort, by depth-first search from the loss).
//! 2. Seed `∂L/∂L = 1`.
//! 3. Walk the order backwards. Each node's gradient is complete by the time it is reached,
//!    because every node that used it came later in the order and has already passed its
//!    share back. Call the node's backward rule and *add* each result into the parent's
//!    gradient: a value used twice receives the sum of both uses (the multivariate chain
//!    rule).
//!
//! Intermediate gradients live in a map for the duration of the call; only leaves that
//! require a gradient keep theirs (in [`Var::grad`]), accumulating across calls as in
//! PyTorch.

use std::collections::HashMap;
use std::rc::Rc;

use tensor::Tensor;

use crate::var::{Node, Var};

/// A node's identity during one backward pass: the address of its shared allocation.
fn key(v: &Var) -> *const Node {
    Rc::as_ptr(&v.0)
}

/// The nodes that lead to `root` and require a gradient, parents before children.
fn topological_order(root: &Var) -> Vec<Var> {
    let mut order = Vec::new();
    let mut visited = std::collections::HashSet::new();
    // An explicit stack instead of recursion: (node, whether its parents are done).
    let mut stack = vec![(root.clone(), false)];
    while let Some((v, parents_done)) = stack.pop() {
        if parents_done {
            order.push(v);
            continue;
        }
        if !visited.insert(key(&v)) {
            continue;
        }
        stack.push((v.clone(), true));
        for p in &v.0.parents {
            if p.requires_grad() && !visited.contains(&key(p)) {
                stack.push((p.clone(), false));
            }
        }
    }
    order
}

impl Var {
    /// Computes `∂self/∂leaf` for every leaf behind `self` that requires a gradient and adds
    /// it to that leaf's [`Var::grad`]. `self` must hold a single number (a loss).
    ///
    /// ```
    /// use autograd::Var;
    /// use tensor::Tensor;
    /// // L = x·x + x at x = 3: dL/dx = 2x + 1 = 7 (x is used twice; the uses add up).
    /// let x = Var::param(Tensor::scalar(3.0));
    /// let loss = x.mul(&x).add(&x);
    /// loss.backward();
    /// assert_eq!(x.grad().unwrap().item(), 7.0);
    /// ```
    pub fn backward(&self) {
        let n = self.value().numel();
        assert_eq!(
            n, 1,
            "backward: the output must hold one number (a loss), it holds {n}"
        );
        let seed = Tensor::ones(self.value().shape());
        self.backward_with(seed);
    }

    /// Back-propagates a given `∂L/∂self` (of `self`'s shape) instead of 1: the gradient of
    /// `L = Σ self ⊙ seed`.
    pub fn backward_with(&self, seed: Tensor) {
        assert_eq!(
            seed.shape(),
            self.value().shape(),
            "backward_with: seed shape {:?} differs from the output's {:?}",
            seed.shape(),
            self.value().shape()
        );
        if !self.requires_grad() {
            return;
        }
        let mut grads: HashMap<*const Node, Tensor> = HashMap::new();
        grads.insert(key(self), seed);
        for v in topological_order(self).iter().rev() {
            let Some(g) = grads.remove(&key(v)) else {
                continue;
            };
            let Some(rule) = &v.0.backward else {
                v.accumulate_grad(g);
                continue;
            };
            let parent_grads = rule(&g, &v.value(), &v.0.parents);
            debug_assert_eq!(
                parent_grads.len(),
                v.0.parents.len(),
                "{}: one gradient per input",
                v.op()
            );
            for (p, pg) in v.0.parents.iter().zip(parent_grads) {
                let Some(pg) = pg else { continue };
                if !p.requires_grad() {
                    continue;
                }
                assert_eq!(
                    pg.shape(),
                    p.value().shape(),
                    "backward of `{}`: gradient shape {:?} differs from its input's {:?}",
                    v.op(),
                    pg.shape(),
                    p.value().shape()
                );
                match grads.get_mut(&key(p)) {
                    Some(acc) => acc.add_assign(&pg),
                    None => {
                        grads.insert(key(p), pg);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topological_order_puts_every_node_after_its_parents() {
        // x → a = 2x, b = x², c = a + b, m = c·a, L = m + k: `a` is used twice, and the
        // constant `k` needs no gradient, so the order holds x, a, b, c, m, L and not k.
        let x = Var::param(Tensor::scalar(1.0));
        let k = Var::constant(Tensor::scalar(4.0));
        let a = x.mul_scalar(2.0);
        let b = x.square();
        let c = a.add(&b);
        let m = c.mul(&a);
        let loss = m.add(&k);

        let order = topological_order(&loss);
        let position = |v: &Var| order.iter().position(|o| o.same_node(v));
        assert_eq!(order.len(), 6);
        assert_eq!(position(&k), None);
        for v in &order {
            for p in v.0.parents.iter().filter(|p| p.requires_grad()) {
                assert!(
                    position(p) < position(v),
                    "`{}` comes before its parent `{}`",
                    v.op(),
                    p.op()
                );
            }
        }
        // L = (2x + x²)·2x + 4, dL/dx = (2 + 2x)·2x + (2x + x²)·2 = 8 + 6 = 14 at x = 1.
        loss.backward();
        assert_eq!(x.grad().unwrap().item(), 14.0);
    }
}
