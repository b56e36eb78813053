//! How a vision transformer turns an image into tokens and back into one vector: cut into
//! patches, each patch a token; a class token in front; a learned position for each; at the
//! end, the class token's vector alone.

use autograd::Var;
use rand::Rng;
use tensor::{Padding, Tensor};

use crate::conv2d::Conv2d;
use crate::init;
use crate::module::{Mode, Module};

/// Cuts an image into `p×p` patches and maps each to a token of `D` numbers by one shared
/// linear map: `token = W·vec(patch) + b`. Written as a convolution with kernel = stride =
/// `p`, as ViT's reference code and timm do: the windows then tile the image without
/// overlap, and each output position is that linear map of one patch. The `D` maps of the
/// positions are then laid out as a sequence, row by row: `[N, D, H/p, W/p] → [N, T, D]`.
///
/// Parameters: `"proj.weight"` `[D, C, p, p]` and `"proj.bias"` `[D]` (timm's `PatchEmbed`
/// names).
///
/// # Shapes
/// `[N, C, H, W] → [N, T, D]`, `T = (H/p)·(W/p)`; `p` must divide `H` and `W`. A 28×28
/// digit cut into 4×4 patches gives 49 tokens, into 7×7 patches 16.
///
/// # Init
/// PyTorch's `Conv2d` default, `U(±1/√(C·p·p))` for weight and bias (timm leaves it so).
///
/// ```
/// use autograd::Var;
/// use layers::{Mode, Module, PatchEmbed};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let embed = PatchEmbed::new(1, 4, 64, &mut StdRng::seed_from_u64(0));
/// let x = Var::constant(Tensor::zeros(&[8, 1, 28, 28]));
/// assert_eq!(embed.forward(&x, Mode::Eval).shape(), vec![8, 49, 64]);
/// assert_eq!(embed.num_params(), 64 * 16 + 64);
/// ```
pub struct PatchEmbed {
    proj: Conv2d,
}

impl PatchEmbed {
    /// Patches of `patch × patch` pixels of `in_ch` channels, each mapped to `dim` numbers,
    /// with PyTorch's default initialisation.
    pub fn new(in_ch: usize, patch: usize, dim: usize, rng: &mut impl Rng) -> PatchEmbed {
        let proj = Conv2d::new(in_ch, dim, patch, patch, Padding::Explicit(0, 0), rng);
        PatchEmbed { proj }
    }

    /// Patch embedding with existing handles: weight `[D, C, p, p]` (square), bias `[D]`.
    pub fn from_params(weight: Var, bias: Var) -> PatchEmbed {
        let ws = weight.shape();
        assert!(
            ws.len() == 4 && ws[2] == ws[3],
            "PatchEmbed: weight {ws:?} must be [D, C, p, p]"
        );
        let p = ws[2];
        PatchEmbed {
            proj: Conv2d::from_params(weight, bias, p, Padding::Explicit(0, 0)),
        }
    }

    /// The patch side `p`.
    pub fn patch(&self) -> usize {
        self.proj.window().kernel.0
    }

    /// The token width `D`.
    pub fn dim(&self) -> usize {
        self.proj.weight().value().dim(0)
    }
}

impl Module for PatchEmbed {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        let (xs, p) = (x.shape(), self.patch());
        assert!(
            xs.len() == 4 && xs[2] % p == 0 && xs[3] % p == 0,
            "{}: input shape {xs:?} is not [N, C, H, W] with H and W multiples of {p}",
            self.describe()
        );
        // [N, D, H/p, W/p] → [N, D, T] → [N, T, D].
        let z = self.proj.forward(x, mode);
        let (n, d, t) = (xs[0], self.dim(), xs[2] / p * (xs[3] / p));
        z.reshape(&[n, d, t]).transpose(1, 2)
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        self.proj
            .visit_params(&mut |name, p| f(&format!("proj.{name}"), p));
    }

    fn describe(&self) -> String {
        let p = self.patch();
        let c = self.proj.weight().value().dim(1);
        format!("PatchEmbed({c} → {}, {p}×{p} patches)", self.dim())
    }
}

/// The class token and the position embeddings (timm's `_pos_embed`): a learned token is put
/// in front of every sequence, then a learned vector per position is added to each token.
/// Attention alone does not know where a token came from; the position vector tells it.
/// The class token belongs to no patch; after the blocks its vector, which has attended to
/// all the patches, is what the classifier reads ([`ClassTokenPool`]).
///
/// `y[n, 0] = cls + pos[0]`, `y[n, 1 + i] = x[n, i] + pos[1 + i]`. The class token is
/// copied for every image, so its gradient is the sum over the batch (and `pos`'s too).
///
/// Parameters: `"cls_token"` `[1, 1, D]` and `"pos_embed"` `[1, T + 1, D]` (timm's names).
///
/// # Shapes
/// `[N, T, D] → [N, T + 1, D]`.
///
/// # Init
/// timm's: `pos_embed` from a normal of std 0.02 ([`init::trunc_normal`] with timm's bounds
/// ±2, which never cut at that std), `cls_token` from a normal of std 10⁻⁶.
///
/// ```
/// use autograd::Var;
/// use layers::{Mode, Module, PosEmbed};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let pos = PosEmbed::new(49, 64, &mut StdRng::seed_from_u64(0));
/// let x = Var::constant(Tensor::zeros(&[8, 49, 64]));
/// assert_eq!(pos.forward(&x, Mode::Eval).shape(), vec![8, 50, 64]);
/// assert_eq!(pos.num_params(), 64 + 50 * 64);
/// ```
pub struct PosEmbed {
    cls_token: Var,
    pos_embed: Var,
}

impl PosEmbed {
    /// A class token and `tokens + 1` positions of width `dim`, initialised as timm does.
    pub fn new(tokens: usize, dim: usize, rng: &mut impl Rng) -> PosEmbed {
        let pos = init::trunc_normal(&[1, tokens + 1, dim], 0.02, (-2.0, 2.0), rng);
        let cls = Tensor::rand_normal(&[1, 1, dim], 0.0, 1e-6, rng);
        PosEmbed::from_params(Var::param(cls), Var::param(pos))
    }

    /// With existing handles: `cls_token` `[1, 1, D]`, `pos_embed` `[1, T + 1, D]`.
    pub fn from_params(cls_token: Var, pos_embed: Var) -> PosEmbed {
        let (cs, ps) = (cls_token.shape(), pos_embed.shape());
        assert!(
            cs.len() == 3 && cs[..2] == [1, 1] && ps.len() == 3 && ps[0] == 1 && ps[2] == cs[2],
            "PosEmbed: cls_token {cs:?} must be [1, 1, D] and pos_embed {ps:?} [1, T + 1, D]"
        );
        PosEmbed {
            cls_token,
            pos_embed,
        }
    }

    /// The number of patch tokens `T` it expects (the class token not counted).
    pub fn tokens(&self) -> usize {
        self.pos_embed.value().dim(1) - 1
    }
}

impl Module for PosEmbed {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        let xs = x.shape();
        let (t, d) = (self.tokens(), self.cls_token.value().dim(2));
        assert!(
            xs.len() == 3 && xs[1..] == [t, d],
            "{}: input shape {xs:?} does not match [N, {t}, {d}]",
            self.describe()
        );
        // [1, 1, D] → [N, 1, D] (one copy per image), in front: [N, T + 1, D].
        let cls = self.cls_token.broadcast_to(&[xs[0], 1, d]);
        Var::concat(&[&cls, x], 1).add(&self.pos_embed)
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("cls_token", &self.cls_token);
        f("pos_embed", &self.pos_embed);
    }

    fn describe(&self) -> String {
        let d = self.cls_token.value().dim(2);
        format!(
            "PosEmbed(class token + {} positions × {d})",
            self.tokens() + 1
        )
    }
}

/// The class token's vector of each sequence, what a vision transformer's classifier reads
/// (timm's `global_pool="token"`): `y[n] = x[n, 0]`. No parameters; the gradient goes to
/// position 0 alone.
///
/// # Shapes
/// `[N, T, D] → [N, D]`.
///
/// ```
/// use autograd::Var;
/// use layers::{ClassTokenPool, Mode, Module};
/// use tensor::Tensor;
/// let x = Var::constant(Tensor::arange(0.0, 12.0, 1.0).reshape(&[2, 3, 2]));
/// assert_eq!(ClassTokenPool.forward(&x, Mode::Eval).value().data(), &[0.0, 1.0, 6.0, 7.0]);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ClassTokenPool;

impl Module for ClassTokenPool {
    fn forward(&self, x: &Var, _mode: Mode) -> Var {
        let xs = x.shape();
        assert!(
            xs.len() == 3 && xs[1] > 0,
            "ClassTokenPool: expected [N, T, D], got shape {xs:?}"
        );
        x.narrow(1, 0, 1).reshape(&[xs[0], xs[2]])
    }

    fn visit_params(&self, _f: &mut dyn FnMut(&str, &Var)) {}

    fn describe(&self) -> String {
        "ClassTokenPool".to_string()
    }
}
