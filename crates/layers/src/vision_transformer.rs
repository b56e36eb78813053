//! A small vision transformer (ViT): an image cut into patches, the patches read as a
//! sequence of tokens by transformer blocks, the class token's vector classified.

use autograd::Var;
use rand::{Rng, SeedableRng, rngs::StdRng};

use crate::layer_norm::LayerNorm;
use crate::linear::Linear;
use crate::module::{Mode, Module};
use crate::patch_embed::{ClassTokenPool, PatchEmbed, PosEmbed};
use crate::transformer::TransformerBlock;

/// The sizes of a [`VisionTransformer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VitConfig {
    /// One image, `[C, H, W]` (`[1, 28, 28]` for MNIST).
    pub image: [usize; 3],
    /// The side `p` of the square patches; it must divide `H` and `W`.
    pub patch: usize,
    /// The token width `D`.
    pub dim: usize,
    /// The number of transformer blocks `L`.
    pub depth: usize,
    /// The attention heads `H` of each block; they must divide `D`.
    pub heads: usize,
    /// The hidden width `F` of each block's MLP (`2D` or `4D`).
    pub mlp: usize,
    /// The number of classes.
    pub classes: usize,
}

impl VitConfig {
    /// The number of patch tokens `T = (H/p)·(W/p)`.
    pub fn tokens(&self) -> usize {
        (self.image[1] / self.patch) * (self.image[2] / self.patch)
    }
}

/// A vision transformer, as timm's `VisionTransformer` with `global_pool="token"` and
/// PyTorch's `nn.TransformerEncoderLayer` (pre-norm, GELU) as its blocks:
///
/// ```text
/// x = patch_embed(image)                        [N, C, H, W] → [N, T, D]
/// x = [cls; x] + pos_embed                      → [N, T + 1, D]
/// x = blocks[L − 1](… blocks[0](x))             → [N, T + 1, D]
/// z = head(norm(x)[:, 0])                       → [N, classes]  (logits)
/// ```
///
/// Parameters: `patch_embed.proj.*`, `cls_token`, `pos_embed`, `blocks.{i}.*` (each a
/// [`TransformerBlock`]'s names), `norm.*`, `head.*`. Each piece starts as its PyTorch twin's
/// default (the embeddings as timm's), see [`PatchEmbed`], [`PosEmbed`], [`TransformerBlock`],
/// [`LayerNorm`] and [`Linear::new`]. (timm's own blocks name their layers otherwise, and
/// timm redraws every `Linear` from a truncated normal of std 0.02.)
///
/// # Shapes
/// `[N, C, H, W] → [N, classes]`.
///
/// ```
/// use autograd::Var;
/// use layers::{Mode, Module, VisionTransformer, VitConfig};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let config = VitConfig { image: [1, 28, 28], patch: 7, dim: 64, depth: 2, heads: 4, mlp: 128, classes: 10 };
/// let vit = VisionTransformer::new(config, &mut StdRng::seed_from_u64(0));
/// let x = Var::constant(Tensor::zeros(&[4, 1, 28, 28]));
/// let (logits, attention) = vit.forward_with_attention(&x, Mode::Eval);
/// assert_eq!(logits.shape(), vec![4, 10]);
/// assert_eq!(attention[1].shape(), vec![4, 4, 17, 17]); // 16 patches and the class token
/// ```
pub struct VisionTransformer {
    patch_embed: PatchEmbed,
    pos_embed: PosEmbed,
    blocks: Vec<TransformerBlock>,
    norm: LayerNorm,
    head: Linear,
}

impl VisionTransformer {
    /// A vision transformer of the given sizes, initialised as described above, without
    /// dropout.
    pub fn new(config: VitConfig, rng: &mut impl Rng) -> VisionTransformer {
        let VitConfig {
            image,
            patch,
            dim,
            depth,
            heads,
            mlp,
            classes,
        } = config;
        assert!(
            patch > 0 && image[1] % patch == 0 && image[2] % patch == 0,
            "VisionTransformer::new: patches of {patch} do not tile images {image:?}"
        );
        let patch_embed = PatchEmbed::new(image[0], patch, dim, rng);
        let pos_embed = PosEmbed::new(config.tokens(), dim, rng);
        let blocks = (0..depth)
            .map(|_| TransformerBlock::new(dim, heads, mlp, rng))
            .collect();
        let head = Linear::new(dim, classes, rng);
        VisionTransformer::from_parts(patch_embed, pos_embed, blocks, LayerNorm::new(dim), head)
    }

    /// A vision transformer built from its parts (gradient checks build one from given
    /// handles).
    pub fn from_parts(
        patch_embed: PatchEmbed,
        pos_embed: PosEmbed,
        blocks: Vec<TransformerBlock>,
        norm: LayerNorm,
        head: Linear,
    ) -> VisionTransformer {
        let d = patch_embed.dim();
        assert!(
            norm.dim() == d
                && head.in_features() == d
                && blocks.iter().all(|b| b.self_attn().dim() == d),
            "VisionTransformer: the parts do not share the width {d}"
        );
        VisionTransformer {
            patch_embed,
            pos_embed,
            blocks,
            norm,
            head,
        }
    }

    /// The same network with dropout of probability `p` in every block (see
    /// [`TransformerBlock::with_dropout`]), the blocks' seeds drawn from one seeded with
    /// `seed`. (timm also drops after the position embedding; this does not.)
    pub fn with_dropout(self, p: f32, seed: u64) -> VisionTransformer {
        let mut seeds = StdRng::seed_from_u64(seed);
        let blocks = self
            .blocks
            .into_iter()
            .map(|b| b.with_dropout(p, seeds.random()))
            .collect();
        VisionTransformer { blocks, ..self }
    }

    /// The logits and every block's attention probabilities (`[N, H, T + 1, T + 1]` each,
    /// in block order), computed in one pass.
    // ANCHOR: vit
    pub fn forward_with_attention(&self, x: &Var, mode: Mode) -> (Var, Vec<Var>) {
        let mut h = self.patch_embed.forward(x, mode);
        h = self.pos_embed.forward(&h, mode);
        let mut attention = Vec::with_capacity(self.blocks.len());
        for block in &self.blocks {
            let (out, a) = block.forward_with_attention(&h, mode);
            h = out;
            attention.push(a);
        }
        let h = ClassTokenPool.forward(&self.norm.forward(&h, mode), mode);
        (self.head.forward(&h, mode), attention)
    }
    // ANCHOR_END: vit

    /// The layers in the order the input meets them (the embeddings, each block, the norm,
    /// the class token's selection, the head): what [`crate::summary_of_layers`] lists.
    pub fn layers(&self) -> Vec<&dyn Module> {
        let mut layers: Vec<&dyn Module> = vec![&self.patch_embed, &self.pos_embed];
        layers.extend(self.blocks.iter().map(|b| b as &dyn Module));
        layers.extend([&self.norm as &dyn Module, &ClassTokenPool, &self.head]);
        layers
    }
}

impl Module for VisionTransformer {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        self.forward_with_attention(x, mode).0
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        self.patch_embed
            .visit_params(&mut |name, p| f(&format!("patch_embed.{name}"), p));
        self.pos_embed.visit_params(f);
        for (i, block) in self.blocks.iter().enumerate() {
            block.visit_params(&mut |name, p| f(&format!("blocks.{i}.{name}"), p));
        }
        self.norm
            .visit_params(&mut |name, p| f(&format!("norm.{name}"), p));
        self.head
            .visit_params(&mut |name, p| f(&format!("head.{name}"), p));
    }

    fn describe(&self) -> String {
        format!(
            "VisionTransformer({}×{} patches, width {}, {} blocks, {} classes)",
            self.patch_embed.patch(),
            self.patch_embed.patch(),
            self.patch_embed.dim(),
            self.blocks.len(),
            self.head.out_features()
        )
    }
}
