//! Every layer's backward pass against finite differences (see `autograd::gradcheck`),
//! over random shapes and values. Each layer is built inside the checked function from
//! the `Var`s the checker passes in, so the gradients of its parameters are checked too.

use autograd::Var;
use autograd::gradcheck::check_gradients;
use layers::{
    BatchNorm2d, ClassTokenPool, Conv2d, Dropout, GlobalAvgPool2d, LayerNorm, Linear, MaxPool2d,
    Mode, Module, MultiHeadAttention, PReLU, PatchEmbed, PosEmbed, Sequential, Tanh,
    TransformerBlock, VisionTransformer,
};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{SeedableRng, rngs::StdRng};
use tensor::{Padding, Tensor, Window2d};

/// Uniform values in [−1, 1) from `seed`.
fn uniform(shape: &[usize], seed: u64) -> Tensor {
    Tensor::rand_uniform(shape, -1.0, 1.0, &mut StdRng::seed_from_u64(seed))
}

/// Values whose magnitude is at least 0.1, so a ±ε nudge never crosses a kink at 0.
fn away_from_zero(shape: &[usize], seed: u64) -> Tensor {
    uniform(shape, seed).map(|v| if v >= 0.0 { v + 0.1 } else { v - 0.1 })
}

/// Distinct values 0.1 apart in shuffled order, so max pooling has no ties and a ±ε nudge
/// never changes a window's winner.
fn distinct(shape: &[usize], seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let mut values: Vec<f32> = (0..n).map(|i| i as f32 * 0.1 - 1.0).collect();
    values.shuffle(&mut StdRng::seed_from_u64(seed));
    Tensor::from_vec(values, shape).unwrap()
}

fn padding() -> impl Strategy<Value = Padding> {
    prop_oneof![
        Just(Padding::Explicit(0, 0)),
        Just(Padding::Explicit(1, 1)),
        Just(Padding::Same)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// z = x·Wᵀ + b: ∂L/∂x = G·W, ∂L/∂W = Gᵀ·x, ∂L/∂b = Σ_n G.
    #[test]
    fn linear(n in 1usize..5, d_in in 1usize..6, d_out in 1usize..5, seed in 0u64..1 << 32) {
        let inputs = [uniform(&[n, d_in], seed), uniform(&[d_out, d_in], seed + 1), uniform(&[d_out], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            Linear::from_params(v[1].clone(), v[2].clone()).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// PReLU with one learned slope: ∂a/∂x = 1 or α, ∂a/∂α = Σ min(x, 0).
    #[test]
    fn prelu(n in 1usize..5, d in 1usize..6, alpha in -0.5f32..0.5, seed in 0u64..1 << 32) {
        let inputs = [away_from_zero(&[n, d], seed), Tensor::full(&[1], alpha)];
        let result = check_gradients(&inputs, |v| {
            PReLU::from_param(v[1].clone()).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Max pooling over distinct values: the gradient goes to each window's winner.
    #[test]
    fn max_pool2d(
        n in 1usize..3, c in 1usize..3, h in 2usize..7, w in 2usize..7,
        k in 1usize..4, s in 1usize..3, same: bool, seed in 0u64..1 << 32,
    ) {
        prop_assume!(k <= h && k <= w);
        let window = if same { Window2d::same(k, s) } else { Window2d::square(k, s, 0) };
        let inputs = [distinct(&[n, c, h, w], seed)];
        let result = check_gradients(&inputs, |v| MaxPool2d::new(window).forward(&v[0], Mode::Train));
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Inverted dropout in training mode is x ⊙ m/(1 − p) for a fixed mask m, so
    /// ∂L/∂x = G ⊙ m/(1 − p). The layer is rebuilt with the same seed on every call, so
    /// every evaluation draws the same mask.
    #[test]
    fn dropout_in_train_mode(n in 1usize..5, d in 1usize..8, p in 0.0f32..0.9, seed in 0u64..1 << 32) {
        let inputs = [uniform(&[n, d], seed)];
        let result = check_gradients(&inputs, |v| {
            Dropout::new(p, seed).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// A small MLP, Linear → Tanh → Linear: the chain rule through a Sequential.
    #[test]
    fn sequential_mlp(n in 1usize..4, d_in in 1usize..5, hidden in 1usize..5, d_out in 1usize..4, seed in 0u64..1 << 32) {
        let inputs = [
            uniform(&[n, d_in], seed),
            uniform(&[hidden, d_in], seed + 1),
            uniform(&[hidden], seed + 2),
            uniform(&[d_out, hidden], seed + 3),
            uniform(&[d_out], seed + 4),
        ];
        let result = check_gradients(&inputs, |v| {
            Sequential::new()
                .push(Linear::from_params(v[1].clone(), v[2].clone()))
                .push(Tanh)
                .push(Linear::from_params(v[3].clone(), v[4].clone()))
                .forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// z = b + w ⋆ x: ∂L/∂x is the full correlation of G with the flipped filters,
    /// ∂L/∂w the correlation of x with G, ∂L/∂b the sum of G over batch and positions.
    #[test]
    fn conv2d(
        n in 1usize..3, c_in in 1usize..3, c_out in 1usize..3, h in 3usize..7, w in 3usize..7,
        k in 1usize..4, s in 1usize..3, padding in padding(), seed in 0u64..1 << 32,
    ) {
        let inputs = [
            uniform(&[n, c_in, h, w], seed),
            uniform(&[c_out, c_in, k, k], seed + 1),
            uniform(&[c_out], seed + 2),
        ];
        let result = check_gradients(&inputs, |v| {
            Conv2d::from_params(v[1].clone(), v[2].clone(), s, padding).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

// Batch normalisation, global average pooling and a residual connection.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Batch normalisation in training (the batch's statistics): ∂L/∂x, ∂L/∂γ, ∂L/∂β by the
    /// compact rule. The running statistics it updates on the way take no part in the loss.
    /// The inputs are distinct values 0.3 apart: a channel of nearly equal numbers has a tiny
    /// σ and an output that bends sharply within a ±ε nudge, where finite differences fail
    /// (the rule itself holds for any spread; the op's own check uses a larger ε instead).
    #[test]
    fn batch_norm2d_in_train_mode(
        n in 1usize..4, c in 1usize..4, h in 1usize..4, w in 2usize..4, seed in 0u64..1 << 32
    ) {
        let x = distinct(&[n, c, h, w], seed).mul_scalar(3.0);
        let inputs = [x, uniform(&[c], seed + 1), uniform(&[c], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            BatchNorm2d::from_params(v[1].clone(), v[2].clone()).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Batch normalisation in evaluation, after a training pass moved its running
    /// statistics: an affine map of each channel, ∂L/∂x = γ·g/√(running var + ε).
    #[test]
    fn batch_norm2d_in_eval_mode(
        n in 1usize..4, c in 1usize..4, h in 1usize..4, w in 2usize..4, seed in 0u64..1 << 32
    ) {
        let warm_up = Var::constant(uniform(&[n, c, h, w], seed + 3).mul_scalar(3.0).add_scalar(1.0));
        let inputs = [uniform(&[n, c, h, w], seed), uniform(&[c], seed + 1), uniform(&[c], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            let bn = BatchNorm2d::from_params(v[1].clone(), v[2].clone());
            bn.forward(&warm_up, Mode::Train);
            bn.forward(&v[0], Mode::Eval)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Global average pooling: ∂L/∂x[n, c, i, j] = g[n, c]/(H·W).
    #[test]
    fn global_avg_pool2d(n in 1usize..4, c in 1usize..4, h in 1usize..5, w in 1usize..5, seed in 0u64..1 << 32) {
        let result = check_gradients(&[uniform(&[n, c, h, w], seed)], |v| {
            GlobalAvgPool2d.forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// conv (no bias) → batch norm, plus the input (a residual connection), then tanh (a
    /// smooth stand-in for the block's ReLU, whose kink would trip the finite differences):
    /// the gradient of the sum reaches x along both paths. (Batch normalisation undoes the
    /// filters' scale, so ∂L/∂w shrinks and bends like 1/|w|, 1/|w|²: filters in [−3, 3]
    /// keep the finite differences' error well inside the tolerance.)
    #[test]
    fn residual_conv_batch_norm(n in 2usize..3, c in 1usize..3, seed in 0u64..1 << 32) {
        let inputs = [
            uniform(&[n, c, 3, 3], seed),
            uniform(&[c, c, 3, 3], seed + 1).mul_scalar(3.0),
            uniform(&[c], seed + 2).add_scalar(1.5),
            uniform(&[c], seed + 3),
        ];
        let result = check_gradients(&inputs, |v| {
            let conv = Conv2d::from_params(v[1].clone(), Var::constant(Tensor::zeros(&[c])), 1, Padding::Same)
                .without_bias();
            let bn = BatchNorm2d::from_params(v[2].clone(), v[3].clone());
            let body = bn.forward(&conv.forward(&v[0], Mode::Train), Mode::Train);
            body.add(&v[0]).tanh()
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

// The transformer's pieces.

/// Uniform values in [−1, 1)/√fan_in from `seed`: a weight matrix of the size a layer's
/// initialisation gives it. (Weights of a full ±1 make every layer multiply the curvature of
/// the next; through a block's eight products a ±0.01 nudge then meets a bend, and the
/// finite differences drift from the exact gradient by a few percent in about one case in
/// a hundred, converging to it as the nudge shrinks.)
fn weight(shape: &[usize], fan_in: usize, seed: u64) -> Tensor {
    uniform(shape, seed).mul_scalar(1.0 / (fan_in as f32).sqrt())
}

/// The parameters of a [`TransformerBlock`] of width `d = heads·dh` and MLP width `ff`, in
/// PyTorch's order: in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias,
/// linear1.weight, linear1.bias, linear2.weight, linear2.bias, norm1.weight, norm1.bias,
/// norm2.weight, norm2.bias. Weights as [`weight`], biases in [−1, 1), the norms' γ in
/// [0.5, 1.5).
fn block_params(d: usize, ff: usize, seed: u64) -> Vec<Tensor> {
    let gamma = |seed| uniform(&[d], seed).mul_scalar(0.5).add_scalar(1.0);
    vec![
        weight(&[3 * d, d], d, seed),
        uniform(&[3 * d], seed + 1),
        weight(&[d, d], d, seed + 2),
        uniform(&[d], seed + 3),
        weight(&[ff, d], d, seed + 4),
        uniform(&[ff], seed + 5),
        weight(&[d, ff], ff, seed + 6),
        uniform(&[d], seed + 7),
        gamma(seed + 8),
        uniform(&[d], seed + 9),
        gamma(seed + 10),
        uniform(&[d], seed + 11),
    ]
}

/// A block made of the given handles (the twelve of [`block_params`]), its norms with
/// `ε = eps`.
fn block_of(p: &[Var], heads: usize, eps: f32) -> TransformerBlock {
    let attn = MultiHeadAttention::from_params(
        p[0].clone(),
        p[1].clone(),
        (p[2].clone(), p[3].clone()),
        heads,
    );
    let linears = (
        Linear::from_params(p[4].clone(), p[5].clone()),
        Linear::from_params(p[6].clone(), p[7].clone()),
    );
    let norms = (
        LayerNorm::from_params(p[8].clone(), p[9].clone(), eps),
        LayerNorm::from_params(p[10].clone(), p[11].clone(), eps),
    );
    TransformerBlock::from_parts(attn, linears, norms)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Layer normalisation over the last axis, PyTorch's ε = 1e-5: ∂L/∂x by the compact rule
    /// per row, ∂L/∂γ = Σ g·x̂, ∂L/∂β = Σ g over the rows. The rows hold distinct values 0.3
    /// apart: a row of nearly equal numbers has a tiny σ and bends sharply within a ±ε nudge,
    /// where finite differences fail (as for batch normalisation above).
    #[test]
    fn layer_norm(n in 1usize..3, t in 1usize..4, d in 2usize..6, seed in 0u64..1 << 32) {
        let inputs = [distinct(&[n, t, d], seed).mul_scalar(3.0), uniform(&[d], seed + 1), uniform(&[d], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            LayerNorm::from_params(v[1].clone(), v[2].clone(), 1e-5).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// softmax(Q·Kᵀ/√d)·V with T queries, S keys and values, d ≠ e in general, and none to
    /// two leading axes: the gradients of Q, K and V.
    #[test]
    fn scaled_dot_product_attention(
        lead in prop::collection::vec(1usize..3, 0..=2), t in 1usize..4, s in 1usize..4,
        d in 1usize..4, e in 1usize..4, seed in 0u64..1 << 32
    ) {
        let shape = |rows, cols| [lead.clone(), vec![rows, cols]].concat();
        let inputs = [uniform(&shape(t, d), seed), uniform(&shape(s, d), seed + 1), uniform(&shape(s, e), seed + 2)];
        let result = check_gradients(&inputs, |v| layers::scaled_dot_product_attention(&v[0], &v[1], &v[2]));
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Multi-head self-attention, y = concat_h(softmax(Q_h·K_hᵀ/√d)·V_h)·W_oᵀ + b_o: the
    /// gradients of x and of the four parameters through the projections, the scores, the
    /// softmax and the weighted sums; and of the attention probabilities themselves.
    #[test]
    fn multi_head_attention(
        b in 1usize..3, t in 1usize..4, heads in 1usize..3, dh in 1usize..3, seed in 0u64..1 << 32
    ) {
        let d = heads * dh;
        let inputs = [
            uniform(&[b, t, d], seed),
            uniform(&[3 * d, d], seed + 1),
            uniform(&[3 * d], seed + 2),
            uniform(&[d, d], seed + 3),
            uniform(&[d], seed + 4),
        ];
        let attention = |v: &[Var]| {
            MultiHeadAttention::from_params(v[1].clone(), v[2].clone(), (v[3].clone(), v[4].clone()), heads)
                .forward_with_attention(&v[0], Mode::Train)
        };
        let result = check_gradients(&inputs, |v| attention(v).0);
        prop_assert!(result.is_ok(), "output: {}", result.unwrap_err());
        let result = check_gradients(&inputs, |v| attention(v).1);
        prop_assert!(result.is_ok(), "attention probabilities: {}", result.unwrap_err());
    }

    /// A pre-norm transformer block, x + attn(norm1(x)) then + mlp(norm2(·)): the gradients
    /// of x and all twelve parameters, without dropout and with dropout in training (its
    /// masks fixed by building the block from the same seed on every call). The norms use
    /// ε = 0.1: the input of norm2 is x plus the attention's output, whose rows this test
    /// cannot keep spread out, and ε bounds r = 1/√(σ² + ε) ≤ √10 (the rule is the same for
    /// any ε; `layer_norm` above checks PyTorch's on spread rows). The weights have their
    /// initial sizes (see [`weight`]).
    #[test]
    fn transformer_block(
        b in 1usize..3, t in 1usize..4, heads in 1usize..3, dh in 1usize..3, ff in 1usize..5,
        seed in 0u64..1 << 32
    ) {
        let d = heads * dh;
        let mut inputs = vec![uniform(&[b, t, d], seed)];
        inputs.extend(block_params(d, ff, seed + 1));
        let result = check_gradients(&inputs, |v| block_of(&v[1..], heads, 0.1).forward(&v[0], Mode::Train));
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        let result = check_gradients(&inputs, |v| {
            block_of(&v[1..], heads, 0.1).with_dropout(0.3, seed).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "with dropout: {}", result.unwrap_err());
    }

    /// Patch embedding, a convolution with kernel = stride = p, its [N, D, H/p, W/p] output
    /// laid out as [N, T, D]: ∂L/∂x, ∂L/∂w, ∂L/∂b of the convolution, moved back.
    #[test]
    fn patch_embed(
        n in 1usize..3, c in 1usize..3, p in 1usize..4, rows in 1usize..3, cols in 1usize..3,
        d in 1usize..4, seed in 0u64..1 << 32
    ) {
        let inputs = [uniform(&[n, c, rows * p, cols * p], seed), uniform(&[d, c, p, p], seed + 1), uniform(&[d], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            PatchEmbed::from_params(v[1].clone(), v[2].clone()).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// [cls; x] + pos, then the class token's row: ∂L/∂cls sums over the batch, ∂L/∂pos over
    /// the batch too, ∂L/∂x is g without its first token; and through the pooling only
    /// position 0 gets a gradient.
    #[test]
    fn pos_embed_and_class_token_pool(n in 1usize..4, t in 1usize..4, d in 1usize..4, seed in 0u64..1 << 32) {
        let inputs = [uniform(&[n, t, d], seed), uniform(&[1, 1, d], seed + 1), uniform(&[1, t + 1, d], seed + 2)];
        let embed = |v: &[Var]| PosEmbed::from_params(v[1].clone(), v[2].clone()).forward(&v[0], Mode::Train);
        let result = check_gradients(&inputs, embed);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        let result = check_gradients(&inputs, |v| ClassTokenPool.forward(&embed(v).tanh(), Mode::Train));
        prop_assert!(result.is_ok(), "pooled: {}", result.unwrap_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// A whole small vision transformer (4×4 images of 1–2 channels in 2×2 patches, width
    /// 4, two heads, one or two blocks, three classes): every parameter's gradient through
    /// the chain. The norms use ε = 0.1 and the weights their initial sizes, as in
    /// `transformer_block`.
    #[test]
    fn vision_transformer(n in 1usize..3, c in 1usize..3, depth in 1usize..3, seed in 0u64..1 << 32) {
        let (d, heads, ff, classes, t) = (4, 2, 4, 3, 4);
        let mut inputs = vec![
            uniform(&[n, c, 4, 4], seed),
            weight(&[d, c, 2, 2], c * 4, seed + 1),
            uniform(&[d], seed + 2),
            uniform(&[1, 1, d], seed + 3),
            uniform(&[1, t + 1, d], seed + 4),
            uniform(&[d], seed + 5).mul_scalar(0.5).add_scalar(1.0),
            uniform(&[d], seed + 6),
            weight(&[classes, d], d, seed + 7),
            uniform(&[classes], seed + 8),
        ];
        for i in 0..depth {
            inputs.extend(block_params(d, ff, seed + 10 + 20 * i as u64));
        }
        let result = check_gradients(&inputs, |v| {
            let blocks = v[9..].chunks(12).map(|p| block_of(p, heads, 0.1)).collect();
            VisionTransformer::from_parts(
                PatchEmbed::from_params(v[1].clone(), v[2].clone()),
                PosEmbed::from_params(v[3].clone(), v[4].clone()),
                blocks,
                LayerNorm::from_params(v[5].clone(), v[6].clone(), 0.1),
                Linear::from_params(v[7].clone(), v[8].clone()),
            )
            .forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

#[test]
fn activation_layers() {
    use layers::{GELU, LeakyReLU, ReLU, Sigmoid, Softmax};
    let x = [away_from_zero(&[3, 4], 7)];
    let layers: [Box<dyn Module>; 6] = [
        Box::new(GELU),
        Box::new(Sigmoid),
        Box::new(Tanh),
        Box::new(ReLU),
        Box::new(LeakyReLU::new(0.1)),
        Box::new(Softmax),
    ];
    for layer in &layers {
        let result = check_gradients(&x, |v: &[Var]| layer.forward(&v[0], Mode::Train));
        assert!(
            result.is_ok(),
            "{}: {}",
            layer.describe(),
            result.unwrap_err()
        );
    }
}
