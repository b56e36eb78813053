//! The 2-D convolution layer: a small filter slid over every position of an image.

use autograd::Var;
use rand::Rng;
use tensor::{Padding, Tensor, Window2d};

use crate::init::{self, Nonlinearity, gain};
use crate::module::{Mode, Module};

/// A 2-D convolution: `z[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c]`, where `⋆` slides the
/// `k×k` filter over the (padded) image in steps of `stride` and takes the dot product at
/// each position (cross-correlation, as every framework does).
///
/// Parameters: `"weight"` `[out_ch, in_ch, k, k]` and `"bias"` `[out_ch]` (none after
/// [`Conv2d::without_bias`]), PyTorch's layout.
///
/// # Shapes
/// `x: [N, in_ch, H, W] → z: [N, out_ch, oh, ow]` with, for `Padding::Explicit(p, p)`,
/// `oh = ⌊(H + 2p − k) / stride⌋ + 1` (PyTorch), and for `Padding::Same`,
/// `oh = ⌈H / stride⌉` (Keras); the same for `ow`.
///
/// # Init
/// [`Conv2d::new`]: PyTorch's default, with `fan_in = in_ch·k·k`.
/// [`Conv2d::glorot`]: Keras' default.
///
/// ```
/// use autograd::Var;
/// use layers::{Conv2d, Mode, Module};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::{Padding, Tensor};
/// let conv = Conv2d::new(1, 32, 3, 1, Padding::Explicit(1, 1), &mut StdRng::seed_from_u64(0));
/// let x = Var::constant(Tensor::zeros(&[4, 1, 28, 28]));
/// assert_eq!(conv.forward(&x, Mode::Eval).shape(), vec![4, 32, 28, 28]);
/// assert_eq!(conv.num_params(), 32 * 1 * 3 * 3 + 32);
/// ```
pub struct Conv2d {
    weight: Var,
    bias: Option<Var>,
    window: Window2d,
}

impl Conv2d {
    /// A convolution with PyTorch's default initialisation (`nn.Conv2d`):
    /// weight `~ U(±1/√fan_in)` (Kaiming uniform with `a = √5`, as [`crate::Linear::new`]) and
    /// bias `~ U(±1/√fan_in)`, with `fan_in = in_ch·k·k`.
    pub fn new(
        in_ch: usize,
        out_ch: usize,
        kernel: usize,
        stride: usize,
        padding: Padding,
        rng: &mut impl Rng,
    ) -> Conv2d {
        let fan_in = in_ch * kernel * kernel;
        assert!(
            fan_in > 0 && out_ch > 0 && stride > 0,
            "Conv2d::new: channels {in_ch} → {out_ch}, kernel {kernel} and stride {stride} must be positive"
        );
        let a = 5f32.sqrt();
        let shape = [out_ch, in_ch, kernel, kernel];
        let w = init::kaiming_uniform(&shape, fan_in, gain(Nonlinearity::LeakyReLU(a)), rng);
        let bound = 1.0 / (fan_in as f32).sqrt();
        let b = Tensor::rand_uniform(&[out_ch], -bound, bound, rng);
        Conv2d::from_params(Var::param(w), Var::param(b), stride, padding)
    }

    /// A convolution with Keras' default initialisation (`Conv2D`): Glorot-uniform weight
    /// with `fan_in = in_ch·k·k`, `fan_out = out_ch·k·k`, and zero bias.
    pub fn glorot(
        in_ch: usize,
        out_ch: usize,
        kernel: usize,
        stride: usize,
        padding: Padding,
        rng: &mut impl Rng,
    ) -> Conv2d {
        let (fan_in, fan_out) = (in_ch * kernel * kernel, out_ch * kernel * kernel);
        assert!(
            fan_in > 0 && fan_out > 0 && stride > 0,
            "Conv2d::glorot: channels {in_ch} → {out_ch}, kernel {kernel} and stride {stride} must be positive"
        );
        let w = init::glorot_uniform(&[out_ch, in_ch, kernel, kernel], fan_in, fan_out, rng);
        let b = init::zeros(&[out_ch]);
        Conv2d::from_params(Var::param(w), Var::param(b), stride, padding)
    }

    /// A convolution that uses existing handles as its weight `[out_ch, in_ch, k, k]` and
    /// bias `[out_ch]` (gradients land in them). Panics if the shapes do not fit together.
    pub fn from_params(weight: Var, bias: Var, stride: usize, padding: Padding) -> Conv2d {
        let (ws, bs) = (weight.shape(), bias.shape());
        assert!(
            ws.len() == 4 && bs.len() == 1 && bs[0] == ws[0],
            "Conv2d: weight {ws:?} must be [out, in, kh, kw] and bias {bs:?} must be [out]"
        );
        let window = Window2d {
            kernel: (ws[2], ws[3]),
            stride: (stride, stride),
            padding,
        };
        Conv2d {
            weight,
            bias: Some(bias),
            window,
        }
    }

    /// The same convolution without its bias: `z[n, o] = Σ_c w[o, c] ⋆ x[n, c]`, for a
    /// convolution followed by batch normalisation, whose shift `β` does the bias's job
    /// (PyTorch's `bias=False`). The weights are those the constructor drew.
    ///
    /// ```
    /// use layers::{Conv2d, Module};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// use tensor::Padding;
    /// let conv = Conv2d::new(16, 32, 3, 1, Padding::Explicit(1, 1), &mut StdRng::seed_from_u64(0))
    ///     .without_bias();
    /// assert_eq!(conv.num_params(), 32 * 16 * 3 * 3);
    /// ```
    pub fn without_bias(self) -> Conv2d {
        Conv2d { bias: None, ..self }
    }

    /// The filters `w`, `[out_ch, in_ch, k, k]`.
    pub fn weight(&self) -> &Var {
        &self.weight
    }

    /// The bias `b`, `[out_ch]`, if the convolution has one.
    pub fn bias(&self) -> Option<&Var> {
        self.bias.as_ref()
    }

    /// The window (kernel size, stride, padding) the filters slide with.
    pub fn window(&self) -> Window2d {
        self.window
    }
}

impl Module for Conv2d {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        let (xs, in_ch) = (x.shape(), self.weight.value().dim(1));
        assert!(
            xs.len() == 4 && xs[1] == in_ch,
            "{}: input shape {xs:?} does not match [N, {in_ch}, H, W]",
            self.describe()
        );
        x.conv2d(&self.weight, self.bias.as_ref(), self.window)
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("weight", &self.weight);
        if let Some(bias) = &self.bias {
            f("bias", bias);
        }
    }

    fn describe(&self) -> String {
        let ws = self.weight.shape();
        let padding = match self.window.padding {
            Padding::Explicit(ph, pw) if ph == pw => format!("padding {ph}"),
            Padding::Explicit(ph, pw) => format!("padding ({ph}, {pw})"),
            Padding::Same => "padding same".to_string(),
        };
        let bias = if self.bias.is_some() { "" } else { ", no bias" };
        format!(
            "Conv2d({} → {}, {}×{}, stride {}, {padding}{bias})",
            ws[1], ws[0], ws[2], ws[3], self.window.stride.0
        )
    }
}
