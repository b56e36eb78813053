//! The residual block of a ResNet (He et al., 2015), and the two blocks it grew from: the
//! same convolutions without normalisation, and with it but without the shortcut.
//!
//! A deep stack of convolutions learns slowly, if at all: each layer scales the signal (and,
//! going back, the gradient) by some factor, and thirteen such factors multiply. Two ideas
//! fixed that. **Batch normalisation** rescales every channel to mean 0 and variance 1 after
//! each convolution, whatever the weights did. **A residual connection** adds the block's
//! input back to its output, `a = relu(F(x) + x)`: the block only learns a correction `F` to
//! the identity, and the gradient reaches `x` through the `+ x` unchanged,
//! `∂L/∂x = ∂L/∂a ⊙ relu′ · (∂F/∂x + 1)`, however deep the stack.

use autograd::Var;
use rand::Rng;
use tensor::Padding;

use crate::batch_norm::BatchNorm2d;
use crate::conv2d::Conv2d;
use crate::module::{Mode, Module};

/// Which of the three blocks of lesson 8's story a [`BasicBlock`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `relu(conv2(relu(conv1(x))))`: two convolutions with biases, nothing else.
    Plain,
    /// `relu(bn2(conv2(relu(bn1(conv1(x))))))`: batch normalisation after each convolution
    /// (whose bias it makes redundant), no shortcut.
    Normalized,
    /// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`: the ResNet block.
    Residual,
}

impl BlockKind {
    /// Every kind, in the order of the story.
    pub const ALL: [BlockKind; 3] = [BlockKind::Plain, BlockKind::Normalized, BlockKind::Residual];

    /// The name the command line and the files use: `plain`, `bn`, `resnet`.
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Plain => "plain",
            BlockKind::Normalized => "bn",
            BlockKind::Residual => "resnet",
        }
    }

    /// The kind of this name, if any.
    pub fn from_name(name: &str) -> Option<BlockKind> {
        BlockKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Two 3×3 convolutions (the first with `stride`, both padded by 1) and, depending on the
/// [`BlockKind`], batch normalisation after each and a shortcut around both: the "basic
/// block" of ResNet-18/34 and of the CIFAR ResNets.
///
/// ```text
/// z₁ = bn1(conv1(x))          conv1: in → out, 3×3, stride s
/// a₁ = relu(z₁)
/// z₂ = bn2(conv2(a₁))         conv2: out → out, 3×3
/// a  = relu(z₂ + shortcut(x)) shortcut: x itself, or bn(conv 1×1, stride s) when the
///                             shape changes (PyTorch's ResNet "option B")
/// ```
///
/// Parameters and buffers, with PyTorch's names (a module with attributes `conv1`, `bn1`,
/// `conv2`, `bn2` and an `nn.Sequential` `shortcut`): `conv1.weight`, `bn1.{weight, bias,
/// running_mean, running_var}`, `conv2.weight`, `bn2.*`, and where the shape changes
/// `shortcut.0.weight`, `shortcut.1.*`. The plain block's convolutions keep their biases
/// (`conv1.bias`, `conv2.bias`) and it has no `bn`s. Convolutions start with PyTorch's
/// default initialisation ([`Conv2d::new`]).
///
/// # Shapes
/// `[N, in, H, W] → [N, out, ⌈H/s⌉, ⌈W/s⌉]`.
///
/// ```
/// use autograd::Var;
/// use layers::{BasicBlock, BlockKind, Mode, Module};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let block = BasicBlock::new(16, 32, 2, BlockKind::Residual, &mut StdRng::seed_from_u64(0));
/// let y = block.forward(&Var::constant(Tensor::ones(&[2, 16, 28, 28])), Mode::Train);
/// assert_eq!(y.shape(), vec![2, 32, 14, 14]);
/// // 3·3·16·32 + 3·3·32·32 (no biases), 2·32 + 2·32 (γ, β), 16·32 + 2·32 (shortcut).
/// assert_eq!(block.num_params(), 4608 + 9216 + 128 + 512 + 64);
/// ```
pub struct BasicBlock {
    kind: BlockKind,
    conv1: Conv2d,
    bn1: Option<BatchNorm2d>,
    conv2: Conv2d,
    bn2: Option<BatchNorm2d>,
    shortcut: Option<(Conv2d, BatchNorm2d)>,
}

impl BasicBlock {
    /// A block of `kind` from `in_ch` to `out_ch` channels whose first convolution moves in
    /// steps of `stride`. A residual block whose shape changes (`stride > 1` or
    /// `in_ch ≠ out_ch`) gets a 1×1 convolution and batch normalisation as its shortcut.
    pub fn new(
        in_ch: usize,
        out_ch: usize,
        stride: usize,
        kind: BlockKind,
        rng: &mut impl Rng,
    ) -> BasicBlock {
        let pad = Padding::Explicit(1, 1);
        let conv1 = Conv2d::new(in_ch, out_ch, 3, stride, pad, rng);
        let conv2 = Conv2d::new(out_ch, out_ch, 3, 1, pad, rng);
        if kind == BlockKind::Plain {
            return BasicBlock {
                kind,
                conv1,
                bn1: None,
                conv2,
                bn2: None,
                shortcut: None,
            };
        }
        let reshapes = stride != 1 || in_ch != out_ch;
        let shortcut = (kind == BlockKind::Residual && reshapes).then(|| {
            let conv = Conv2d::new(in_ch, out_ch, 1, stride, Padding::Explicit(0, 0), rng);
            (conv.without_bias(), BatchNorm2d::new(out_ch))
        });
        BasicBlock {
            kind,
            conv1: conv1.without_bias(),
            bn1: Some(BatchNorm2d::new(out_ch)),
            conv2: conv2.without_bias(),
            bn2: Some(BatchNorm2d::new(out_ch)),
            shortcut,
        }
    }

    /// Which block this is.
    pub fn kind(&self) -> BlockKind {
        self.kind
    }

    /// The first convolution (its filters are what lesson 8 draws of the first block).
    pub fn conv1(&self) -> &Conv2d {
        &self.conv1
    }
}

/// `bn(z)` where there is a normalisation, else `z`.
fn normalized(bn: &Option<BatchNorm2d>, z: Var, mode: Mode) -> Var {
    match bn {
        Some(bn) => bn.forward(&z, mode),
        None => z,
    }
}

impl Module for BasicBlock {
    // ANCHOR: forward
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        let a1 = normalized(&self.bn1, self.conv1.forward(x, mode), mode).relu();
        let z2 = normalized(&self.bn2, self.conv2.forward(&a1, mode), mode);
        if self.kind != BlockKind::Residual {
            return z2.relu();
        }
        let shortcut = match &self.shortcut {
            Some((conv, bn)) => bn.forward(&conv.forward(x, mode), mode),
            None => x.clone(),
        };
        z2.add(&shortcut).relu()
    }
    // ANCHOR_END: forward

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        let prefixed = |prefix: &'static str, m: &dyn Module, f: &mut dyn FnMut(&str, &Var)| {
            m.visit_params(&mut |name, p| f(&format!("{prefix}.{name}"), p));
        };
        prefixed("conv1", &self.conv1, f);
        if let Some(bn) = &self.bn1 {
            prefixed("bn1", bn, f);
        }
        prefixed("conv2", &self.conv2, f);
        if let Some(bn) = &self.bn2 {
            prefixed("bn2", bn, f);
        }
        if let Some((conv, bn)) = &self.shortcut {
            prefixed("shortcut.0", conv, f);
            prefixed("shortcut.1", bn, f);
        }
    }

    fn visit_buffers(&self, f: &mut dyn FnMut(&str, &Var)) {
        let bns = [
            ("bn1", self.bn1.as_ref()),
            ("bn2", self.bn2.as_ref()),
            ("shortcut.1", self.shortcut.as_ref().map(|(_, bn)| bn)),
        ];
        for (prefix, bn) in bns {
            if let Some(bn) = bn {
                bn.visit_buffers(&mut |name, b| f(&format!("{prefix}.{name}"), b));
            }
        }
    }

    fn describe(&self) -> String {
        let (w, stride) = (self.conv1.weight().shape(), self.conv1.window().stride.0);
        let shortcut = match (&self.shortcut, self.kind) {
            (Some(_), _) => ", 1×1 shortcut",
            (None, BlockKind::Residual) => ", identity shortcut",
            (None, _) => "",
        };
        format!(
            "BasicBlock[{}]({} → {}, stride {stride}{shortcut})",
            self.kind.name(),
            w[1],
            w[0]
        )
    }
}
