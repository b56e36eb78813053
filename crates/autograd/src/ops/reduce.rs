//! Sums and means. Their gradients copy `∂L/∂y` back to every element that was summed:
//! `y = Σ_i x_i ⇒ ∂y/∂x_i = 1`, and a mean divides that by the count.

use tensor::Tensor;

use crate::var::Var;

/// Broadcasts `g` (the gradient of a reduction, shaped with the reduced axis kept or
/// removed) back to `shape`.
fn expand(g: &Tensor, shape: &[usize], axis: Option<usize>) -> Tensor {
    let g = match axis {
        // Re-insert the reduced axis as length 1 so broadcasting lines it up.
        Some(a) if g.ndim() < shape.len() => {
            let mut keep = g.shape().to_vec();
            keep.insert(a, 1);
            g.reshape(&keep)
        }
        _ => g.clone(),
    };
    Tensor::zeros(shape).add(&g)
}

impl Var {
    /// `y = Σ_i x_i` over every element, a scalar. `∂y/∂x_i = 1`.
    pub fn sum(&self) -> Var {
        let y = self.value().sum_all();
        Var::from_op("sum", y, &[self], |g, _y, x| {
            vec![Some(expand(g, x[0].value().shape(), None))]
        })
    }

    /// `y = (1/n) Σ_i x_i` over every element, a scalar. `∂y/∂x_i = 1/n`.
    pub fn mean(&self) -> Var {
        let y = self.value().mean_all();
        Var::from_op("mean", y, &[self], |g, _y, x| {
            let x = x[0].value();
            vec![Some(
                expand(g, x.shape(), None).div_scalar(x.numel() as f32),
            )]
        })
    }

    /// `y = Σ_k x[.., k, ..]` along `axis`. `∂y/∂x[.., k, ..] = 1`.
    pub fn sum_axis(&self, axis: usize, keepdim: bool) -> Var {
        let y = self.value().sum_axis(axis, keepdim);
        Var::from_op("sum_axis", y, &[self], move |g, _y, x| {
            vec![Some(expand(g, x[0].value().shape(), Some(axis)))]
        })
    }

    /// `y = (1/d) Σ_k x[.., k, ..]` along `axis` of length `d`. `∂y/∂x[.., k, ..] = 1/d`.
    pub fn mean_axis(&self, axis: usize, keepdim: bool) -> Var {
        let y = self.value().mean_axis(axis, keepdim);
        Var::from_op("mean_axis", y, &[self], move |g, _y, x| {
            let x = x[0].value();
            let d = x.dim(axis) as f32;
            vec![Some(expand(g, x.shape(), Some(axis)).div_scalar(d))]
        })
    }

    /// Picks one entry per row: `y[n] = x[n, index[n]]`, e.g. the log-probability of each
    /// example's true class. `∂y[n]/∂x[n, index[n]] = 1`, 0 elsewhere.
    ///
    /// # Shapes
    /// `x: [N, C]`, `index: N values < C → [N]`.
    pub fn pick(&self, index: &[usize]) -> Var {
        let x = self.value();
        assert!(
            x.ndim() == 2 && index.len() == x.dim(0),
            "pick: {} indices for a tensor of shape {:?} (expected [N, C] with N = {})",
            index.len(),
            x.shape(),
            index.len()
        );
        let c = x.dim(1);
        let values = index
            .iter()
            .enumerate()
            .map(|(n, &k)| {
                assert!(k < c, "pick: index {k} out of range for {c} columns");
                x.data()[n * c + k]
            })
            .collect();
        let y = Tensor::from_parts("pick", values, &[index.len()]);
        drop(x);
        let index = index.to_vec();
        Var::from_op("pick", y, &[self], move |g, _y, x| {
            let mut dx = Tensor::zeros(x[0].value().shape());
            let c = dx.dim(1);
            for (n, &k) in index.iter().enumerate() {
                dx.data_mut()[n * c + k] = g.data()[n];
            }
            vec![Some(dx)]
        })
    }
}
