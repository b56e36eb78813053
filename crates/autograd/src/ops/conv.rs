//! 2-D convolution with stride and padding.
//!
//! Forward: `y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c]` (⋆: cross-correlation over windows;
//! see `tensor::conv` for the im2col formulation). Backward, with `cols_n = im2col(x_n)`:
//! - `∂L/∂w = Σ_n dY_n · cols_nᵀ`: each weight met every window it was multiplied with,
//! - `∂L/∂x_n = col2im(Wᵀ · dY_n)`: each input pixel receives from every window that saw it,
//! - `∂L/∂b[o] = Σ_{n, oy, ox} dY[n, o, oy, ox]`.

use tensor::Window2d;
use tensor::conv::{conv2d, conv2d_backward_parts};

use crate::var::Var;

impl Var {
    /// Convolves `self: [N, C, H, W]` with `w: [O, C, kh, kw]` and adds `b: [O]`.
    ///
    /// # Shapes
    /// `[N, C, H, W] → [N, O, oh, ow]` with `oh`, `ow` given by `window` (see [`Window2d`]).
    pub fn conv2d(&self, w: &Var, b: &Var, window: Window2d) -> Var {
        let y = conv2d(&self.value(), &w.value(), Some(&b.value()), &window);
        Var::from_op("conv2d", y, &[self, w, b], move |g, _y, inputs| {
            // The input of the first layer is data: no gradient wanted, none computed.
            let need_dx = inputs[0].requires_grad();
            let (x, w) = (inputs[0].value(), inputs[1].value());
            let (dx, dw, db) = conv2d_backward_parts(&x, &w, g, &window, need_dx);
            vec![dx, Some(dw), Some(db)]
        })
    }
}
