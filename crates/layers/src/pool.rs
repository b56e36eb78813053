//! Max pooling: keep the largest value of each window, shrinking the image.

use autograd::Var;
use tensor::{Padding, Window2d};

use crate::module::{Mode, Module};

/// 2-D max pooling: `a[n, c, oy, ox] = max` of `x[n, c]` over the window at `(oy, ox)`.
/// Only the winning input of each window receives that output's gradient. No parameters.
///
/// `MaxPool2d::new(Window2d::square(2, 2, 0))` is PyTorch's `nn.MaxPool2d(2)`;
/// `MaxPool2d::new(Window2d::same(2, 2))` is Keras' `MaxPooling2D(padding="same")`, which
/// keeps a last, partial window on odd sizes (7 → 4 where PyTorch gives 3).
///
/// # Shapes
/// `[N, C, H, W] → [N, C, oh, ow]`, with `oh`, `ow` as for [`crate::Conv2d`].
///
/// ```
/// use autograd::Var;
/// use layers::{MaxPool2d, Mode, Module};
/// use tensor::{Tensor, Window2d};
/// let x = Var::constant(Tensor::arange(0.0, 16.0, 1.0).reshape(&[1, 1, 4, 4]));
/// let a = MaxPool2d::new(Window2d::square(2, 2, 0)).forward(&x, Mode::Eval);
/// assert_eq!(a.value().data(), &[5.0, 7.0, 13.0, 15.0]);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct MaxPool2d {
    window: Window2d,
}

impl MaxPool2d {
    /// Max pooling over `window` (size, stride and padding).
    pub fn new(window: Window2d) -> MaxPool2d {
        MaxPool2d { window }
    }

    /// The window.
    pub fn window(&self) -> Window2d {
        self.window
    }
}

impl Module for MaxPool2d {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        let xs = x.shape();
        assert_eq!(
            xs.len(),
            4,
            "{}: input shape {xs:?} is not [N, C, H, W]",
            self.describe()
        );
        x.max_pool2d(self.window)
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        let w = self.window;
        let padding = match w.padding {
            Padding::Explicit(0, 0) => String::new(),
            Padding::Explicit(ph, pw) => format!(", padding ({ph}, {pw})"),
            Padding::Same => ", padding same".to_string(),
        };
        format!(
            "MaxPool2d({}×{}, stride {}{padding})",
            w.kernel.0, w.kernel.1, w.stride.0
        )
    }
}
