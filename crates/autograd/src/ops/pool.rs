//! 2-D max pooling: each output is the largest input in its window, and only that
//! input (the argmax, recorded in the forward pass) receives the output's gradient:
//! `∂y/∂x_i = 1` if `x_i` won, else 0.

use tensor::Window2d;
use tensor::pool::{max_pool2d, max_pool2d_backward};

use crate::var::Var;

impl Var {
    /// Max pooling of `self: [N, C, H, W]` over `window`.
    ///
    /// # Shapes
    /// `[N, C, H, W] → [N, C, oh, ow]`.
    pub fn max_pool2d(&self, window: Window2d) -> Var {
        let pooled = max_pool2d(&self.value(), &window);
        let argmax = pooled.argmax;
        Var::from_op("max_pool2d", pooled.y, &[self], move |g, _y, x| {
            vec![Some(max_pool2d_backward(g, &argmax, x[0].value().shape()))]
        })
    }
}
