//! Ops that only move numbers: reshape, flatten, transpose, concatenation, slicing.
//! Their gradients move the numbers back the same way.

use tensor::Tensor;

use crate::var::Var;

impl Var {
    /// The same numbers with another shape. `∂L/∂x` is `∂L/∂y` reshaped back.
    pub fn reshape(&self, shape: &[usize]) -> Var {
        let y = self.value().reshape(shape);
        Var::from_op("reshape", y, &[self], |g, _y, x| {
            vec![Some(g.reshape(x[0].value().shape()))]
        })
    }

    /// Merges every axis after the first: `[N, d1, ..., dk] → [N, d1·…·dk]`, as a layer
    /// between convolutions and a `Linear` does.
    pub fn flatten(&self) -> Var {
        let n = self.value().dim(0);
        let rest = self.value().numel() / n.max(1);
        self.reshape(&[n, rest])
    }

    /// Swaps axes `a` and `b`. The gradient swaps them back.
    pub fn transpose(&self, a: usize, b: usize) -> Var {
        let y = self.value().transpose(a, b);
        Var::from_op("transpose", y, &[self], move |g, _y, _x| {
            vec![Some(g.transpose(a, b))]
        })
    }

    /// Joins values along `axis`. The gradient is cut back into the inputs' pieces.
    pub fn concat(vars: &[&Var], axis: usize) -> Var {
        let values: Vec<_> = vars.iter().map(|v| v.value()).collect();
        let y = Tensor::concat(&values.iter().map(|v| &**v).collect::<Vec<_>>(), axis);
        let lengths: Vec<usize> = values.iter().map(|v| v.dim(axis)).collect();
        drop(values);
        Var::from_op("concat", y, vars, move |g, _y, _x| {
            let mut start = 0;
            lengths
                .iter()
                .map(|&len| {
                    let piece = g.narrow(axis, start, len);
                    start += len;
                    Some(piece)
                })
                .collect()
        })
    }

    /// The entries `start .. start + len` along `axis`. The gradient is zero outside them.
    pub fn narrow(&self, axis: usize, start: usize, len: usize) -> Var {
        let y = self.value().narrow(axis, start, len);
        Var::from_op("narrow", y, &[self], move |g, _y, x| {
            let d = x[0].value().dim(axis);
            let mut parts = Vec::new();
            let mut shape = g.shape().to_vec();
            let before = (start > 0).then(|| {
                shape[axis] = start;
                Tensor::zeros(&shape)
            });
            let after = (start + len < d).then(|| {
                shape[axis] = d - start - len;
                Tensor::zeros(&shape)
            });
            parts.extend(before.as_ref());
            parts.push(g);
            parts.extend(after.as_ref());
            vec![Some(Tensor::concat(&parts, axis))]
        })
    }
}
