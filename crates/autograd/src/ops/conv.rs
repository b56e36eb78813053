//! 2-D convolution with stride and padding.
//!
//! Forward: `y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c]` (⋆: cross-correlation over windows;
//! see `tensor::conv` for the im2col formulation). Backward, with `cols_n = im2col(x_n)`:
//! - `∂L/∂w = Σ_n dY_n · cols_nᵀ`: each weight met every window it was multiplied with,
//! - `∂L/∂x_n = col2im(Wᵀ · dY_n)`: each input pixel receives from every window that saw it,
//! - `∂L/∂b[o] = Σ_{n, oy, ox} dY[n, o, oy, ox]` (when there is a bias).

use tensor::Window2d;
use tensor::conv::{conv2d, conv2d_backward_parts};

use crate::var::Var;

impl Var {
    /// Convolves `self: [N, C, H, W]` with `w: [O, C, kh, kw]` and adds `b: [O]`, if given
    /// (a convolution followed by batch normalisation has none: the normalisation's shift
    /// takes its place).
    ///
    /// # Shapes
    /// `[N, C, H, W] → [N, O, oh, ow]` with `oh`, `ow` given by `window` (see [`Window2d`]).
    pub fn conv2d(&self, w: &Var, b: Option<&Var>, window: Window2d) -> Var {
        let y = conv2d(
            &self.value(),
            &w.value(),
            b.map(|b| b.value()).as_deref(),
            &window,
        );
        let mut inputs = vec![self, w];
        inputs.extend(b);
        Var::from_op("conv2d", y, &inputs, move |g, _y, inputs| {
            // The input of the first layer is data: no gradient wanted, none computed.
            let need_dx = inputs[0].requires_grad();
            let (x, w) = (inputs[0].value(), inputs[1].value());
            let (dx, dw, db) = conv2d_backward_parts(&x, &w, g, &window, need_dx);
            let mut grads = vec![dx, Some(dw)];
            if inputs.len() == 3 {
                grads.push(Some(db));
            }
            grads
        })
    }
}
