//! Arithmetic with broadcasting: `+`, `−`, `×`, `÷`, negation and scalar versions.
//!
//! Broadcasting copies an input along axes it lacks or has as length 1. Its gradient does
//! the opposite: the gradient of every copy is summed back onto the one original
//! ([`Tensor::sum_to`]). That single rule handles every broadcast in this file: `add` and
//! `sub` pass the incoming gradient to it through `unbroadcast`; `mul` and `div` first form
//! the gradient as if nothing were broadcast (`g ⊙ b`, `g / b`, ...) and sum that back with
//! `sum_to` themselves, so that the product is computed only for an input that needs it.

use tensor::Tensor;

use crate::var::Var;

/// Sums `g` back to the shape of `input` (undoing a broadcast) if `input` needs a gradient.
fn unbroadcast(g: &Tensor, input: &Var) -> Option<Tensor> {
    if !input.requires_grad() {
        return None;
    }
    let shape = input.value().shape().to_vec();
    // Not broadcast: the gradient passes through unchanged (one copy, as the rule must
    // return its own tensor); broadcast: summed straight from `g`, with no copy first.
    Some(if g.shape() == shape {
        g.clone()
    } else {
        g.sum_to(&shape)
    })
}

impl Var {
    /// `y = a + b`, broadcast. `∂y/∂a = 1`, `∂y/∂b = 1`.
    pub fn add(&self, b: &Var) -> Var {
        let y = self.value().add(&b.value());
        Var::from_op("add", y, &[self, b], |g, _y, x| {
            vec![unbroadcast(g, &x[0]), unbroadcast(g, &x[1])]
        })
    }

    /// `y = a − b`, broadcast. `∂y/∂a = 1`, `∂y/∂b = −1`.
    pub fn sub(&self, b: &Var) -> Var {
        let y = self.value().sub(&b.value());
        Var::from_op("sub", y, &[self, b], |g, _y, x| {
            vec![unbroadcast(g, &x[0]), unbroadcast(&g.neg(), &x[1])]
        })
    }

    /// `y = a ⊙ b` (element-wise), broadcast. `∂y/∂a = b`, `∂y/∂b = a`.
    pub fn mul(&self, b: &Var) -> Var {
        let y = self.value().mul(&b.value());
        Var::from_op("mul", y, &[self, b], |g, _y, x| {
            let (a, b) = (x[0].value(), x[1].value());
            vec![
                x[0].requires_grad().then(|| g.mul(&b).sum_to(a.shape())),
                x[1].requires_grad().then(|| g.mul(&a).sum_to(b.shape())),
            ]
        })
    }

    /// `y = a / b`, broadcast. `∂y/∂a = 1/b`, `∂y/∂b = −a/b²`.
    pub fn div(&self, b: &Var) -> Var {
        let y = self.value().div(&b.value());
        Var::from_op("div", y, &[self, b], |g, y, x| {
            let (a, b) = (x[0].value(), x[1].value());
            vec![
                x[0].requires_grad().then(|| g.div(&b).sum_to(a.shape())),
                // −a/b² = −y/b
                x[1].requires_grad()
                    .then(|| g.mul(y).div(&b).neg().sum_to(b.shape())),
            ]
        })
    }

    /// `y = −a`. `∂y/∂a = −1`.
    pub fn neg(&self) -> Var {
        let y = self.value().neg();
        Var::from_op("neg", y, &[self], |g, _y, _x| vec![Some(g.neg())])
    }

    /// `y = a + s` for a number `s`. `∂y/∂a = 1`.
    pub fn add_scalar(&self, s: f32) -> Var {
        let y = self.value().add_scalar(s);
        Var::from_op("add_scalar", y, &[self], |g, _y, _x| vec![Some(g.clone())])
    }

    /// `y = a · s` for a number `s`. `∂y/∂a = s`.
    pub fn mul_scalar(&self, s: f32) -> Var {
        let y = self.value().mul_scalar(s);
        Var::from_op("mul_scalar", y, &[self], move |g, _y, _x| {
            vec![Some(g.mul_scalar(s))]
        })
    }

    /// `y = s − a` for a number `s` (as in `1 − p`). `∂y/∂a = −1`.
    pub fn rsub_scalar(&self, s: f32) -> Var {
        let y = self.value().map(|a| s - a);
        Var::from_op("rsub_scalar", y, &[self], |g, _y, _x| vec![Some(g.neg())])
    }
}
