//! The transformer encoder block: attention, then a small MLP applied to each token, each
//! wrapped in a residual connection with a layer normalisation in front.

use autograd::Var;
use rand::{Rng, SeedableRng, rngs::StdRng};

use crate::attention::MultiHeadAttention;
use crate::dropout::Dropout;
use crate::layer_norm::LayerNorm;
use crate::linear::Linear;
use crate::module::{Mode, Module};

/// A pre-norm transformer encoder block, PyTorch's
/// `nn.TransformerEncoderLayer(D, H, F, dropout, activation="gelu", batch_first=True,
/// norm_first=True)`:
///
/// ```text
/// x ← x + dropout1(self_attn(norm1(x)))                          tokens talk to each other
/// x ← x + dropout2(linear2(dropout(gelu(linear1(norm2(x))))))     each token on its own
/// ```
///
/// The residual additions let the gradient reach early blocks unchanged (`∂(x + f(x))/∂x =
/// 1 + f'(x)`); normalising *before* each branch ("pre-norm", as ViT does) leaves that path
/// from the output to the input free of any normalisation, which keeps deep stacks stable
/// in training (Xiong et al., 2020). The MLP widens each token to `F` features (`F = 2D` or
/// `4D`) and back.
///
/// Parameters, PyTorch's names: `self_attn.in_proj_weight`, `self_attn.in_proj_bias`,
/// `self_attn.out_proj.weight`, `self_attn.out_proj.bias` ([`MultiHeadAttention`]),
/// `linear1.weight` `[F, D]`, `linear1.bias`, `linear2.weight` `[D, F]`, `linear2.bias`,
/// `norm1.weight`, `norm1.bias`, `norm2.weight`, `norm2.bias` ([`LayerNorm`]); so a file
/// saved from this block loads into the PyTorch layer with `load_state_dict(strict=True)`.
///
/// Dropout (all four places PyTorch puts it: the attention probabilities, after attention,
/// after GELU, after `linear2`) is off unless [`TransformerBlock::with_dropout`] sets a rate;
/// it acts only in [`Mode::Train`].
///
/// # Shapes
/// `[B, T, D] → [B, T, D]`.
///
/// # Init
/// PyTorch's: the attention's (see [`MultiHeadAttention`]), `Linear`'s default for
/// `linear1` and `linear2`, `γ = 1` and `β = 0` for the norms.
///
/// ```
/// use autograd::Var;
/// use layers::{Mode, Module, TransformerBlock};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// // Width 64, 4 heads, MLP ×2: attention 16,640 + MLP 16,576 + norms 256 parameters.
/// let block = TransformerBlock::new(64, 4, 128, &mut StdRng::seed_from_u64(0));
/// assert_eq!(block.num_params(), 33_472);
/// let x = Var::constant(Tensor::zeros(&[2, 17, 64]));
/// assert_eq!(block.forward(&x, Mode::Eval).shape(), vec![2, 17, 64]);
/// ```
pub struct TransformerBlock {
    self_attn: MultiHeadAttention,
    linear1: Linear,
    linear2: Linear,
    norm1: LayerNorm,
    norm2: LayerNorm,
    /// After GELU, after attention, after `linear2` (PyTorch's `dropout`, `dropout1`,
    /// `dropout2`).
    dropout: Dropout,
    dropout1: Dropout,
    dropout2: Dropout,
}

impl TransformerBlock {
    /// A block of width `d` with `heads` attention heads and an MLP of `d_ff` hidden
    /// features, with PyTorch's initialisation, `ε = 1e-5` in the norms and no dropout.
    pub fn new(d: usize, heads: usize, d_ff: usize, rng: &mut impl Rng) -> TransformerBlock {
        let self_attn = MultiHeadAttention::new(d, heads, rng);
        let linear1 = Linear::new(d, d_ff, rng);
        let linear2 = Linear::new(d_ff, d, rng);
        TransformerBlock::from_parts(
            self_attn,
            (linear1, linear2),
            (LayerNorm::new(d), LayerNorm::new(d)),
        )
    }

    /// A block built from its parts (gradient checks build one from given handles).
    /// Panics if their widths do not fit together.
    pub fn from_parts(
        self_attn: MultiHeadAttention,
        (linear1, linear2): (Linear, Linear),
        (norm1, norm2): (LayerNorm, LayerNorm),
    ) -> TransformerBlock {
        let d = self_attn.dim();
        assert!(
            linear1.in_features() == d
                && linear2.out_features() == d
                && linear2.in_features() == linear1.out_features()
                && norm1.dim() == d
                && norm2.dim() == d,
            "TransformerBlock: {}, {}, {}, {} and {} do not fit width {d}",
            self_attn.describe(),
            linear1.describe(),
            linear2.describe(),
            norm1.describe(),
            norm2.describe()
        );
        TransformerBlock {
            self_attn,
            linear1,
            linear2,
            norm1,
            norm2,
            dropout: Dropout::new(0.0, 0),
            dropout1: Dropout::new(0.0, 0),
            dropout2: Dropout::new(0.0, 0),
        }
    }

    /// The same block with dropout of probability `p` in its four places (PyTorch's
    /// `dropout=p`), active in [`Mode::Train`] only. Each place owns a generator, as a
    /// [`Dropout`] layer does; their seeds are drawn from one seeded with `seed`.
    pub fn with_dropout(self, p: f32, seed: u64) -> TransformerBlock {
        let mut seeds = StdRng::seed_from_u64(seed);
        TransformerBlock {
            self_attn: self.self_attn.with_dropout(p, seeds.random()),
            dropout: Dropout::new(p, seeds.random()),
            dropout1: Dropout::new(p, seeds.random()),
            dropout2: Dropout::new(p, seeds.random()),
            ..self
        }
    }

    /// The attention sub-layer.
    pub fn self_attn(&self) -> &MultiHeadAttention {
        &self.self_attn
    }

    /// The output and the attention probabilities `[B, H, T, T]` of the block's attention
    /// (see [`MultiHeadAttention::forward_with_attention`]), computed once.
    pub fn forward_with_attention(&self, x: &Var, mode: Mode) -> (Var, Var) {
        let xs = x.shape();
        let d = self.self_attn.dim();
        assert!(
            xs.len() == 3 && xs[2] == d,
            "{}: input shape {xs:?} does not match [B, T, {d}]",
            self.describe()
        );
        // ANCHOR: block
        // Attention, in a residual: x + dropout1(self_attn(norm1(x))).
        let (a, attention) = self
            .self_attn
            .forward_with_attention(&self.norm1.forward(x, mode), mode);
        let x = x.add(&self.dropout1.forward(&a, mode));
        // The MLP, token by token ([B, T, D] as [B·T, D] rows), in a residual.
        let h = self.norm2.forward(&x, mode).reshape(&[xs[0] * xs[1], d]);
        let h = self.linear1.forward(&h, mode).gelu();
        let h = self.linear2.forward(&self.dropout.forward(&h, mode), mode);
        let h = self.dropout2.forward(&h.reshape(&xs), mode);
        (x.add(&h), attention)
        // ANCHOR_END: block
    }
}

impl Module for TransformerBlock {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        self.forward_with_attention(x, mode).0
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        let children: [(&str, &dyn Module); 5] = [
            ("self_attn", &self.self_attn),
            ("linear1", &self.linear1),
            ("linear2", &self.linear2),
            ("norm1", &self.norm1),
            ("norm2", &self.norm2),
        ];
        for (prefix, child) in children {
            child.visit_params(&mut |name, p| f(&format!("{prefix}.{name}"), p));
        }
    }

    fn describe(&self) -> String {
        let p = self.dropout.p();
        let dropout = if p > 0.0 {
            format!(", dropout {p}")
        } else {
            String::new()
        };
        format!(
            "TransformerBlock({}, {} heads, MLP {}, pre-norm{dropout})",
            self.self_attn.dim(),
            self.self_attn.heads(),
            self.linear1.out_features()
        )
    }
}
