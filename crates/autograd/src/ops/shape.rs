//! Ops that only move numbers: reshape, flatten, transpose, permutation, broadcasting,
//! concatenation, slicing. Their gradients move the numbers back the same way (and where a
//! number was copied, the copies' gradients are summed back onto it).

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

    /// Reorders the axes: axis `k` of `y` is axis `axes[k]` of `x` (like `torch.permute`).
    /// The gradient goes through the inverse permutation: axis `axes[k]` of `∂L/∂x` is axis
    /// `k` of `∂L/∂y`.
    ///
    /// # Shapes
    /// `[d_0, ..., d_n] → [d_axes[0], ..., d_axes[n]]`; splitting attention heads is
    /// `[B, T, H, d] → [B, H, T, d]` with `axes = [0, 2, 1, 3]`.
    pub fn permute(&self, axes: &[usize]) -> Var {
        let y = self.value().permute(axes);
        let mut inverse = vec![0; axes.len()];
        for (k, &a) in axes.iter().enumerate() {
            inverse[a] = k;
        }
        Var::from_op("permute", y, &[self], move |g, _y, _x| {
            vec![Some(g.permute(&inverse))]
        })
    }

    /// The value repeated along the axes where `shape` is longer (PyTorch's `expand`, as a
    /// copy). Each element of `x` appears in several places of `y`, so its gradient is the
    /// sum of theirs: `∂L/∂x = sum_to(∂L/∂y, x's shape)`, as for any broadcast.
    ///
    /// # Shapes
    /// `S → shape`, where `S` broadcasts to `shape`: a class token `[1, 1, D] → [N, 1, D]`.
    pub fn broadcast_to(&self, shape: &[usize]) -> Var {
        let y = self.value().broadcast_to(shape);
        Var::from_op("broadcast_to", y, &[self], |g, _y, x| {
            vec![Some(g.sum_to(x[0].value().shape()))]
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
