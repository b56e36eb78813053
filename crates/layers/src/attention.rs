//! Multi-head self-attention: every token of a sequence looks at every token (itself too)
//! and takes a weighted average of what it finds, the weights computed from the tokens.

use autograd::Var;
use rand::Rng;

use crate::dropout::Dropout;
use crate::init;
use crate::linear::Linear;
use crate::module::{Mode, Module};

/// The attention probabilities `A = softmax(Q·Kᵀ/√d)`, the softmax along the last axis:
/// `A[.., i, j]` is how much query `i` attends to key `j`, and each row sums to 1. The
/// `1/√d` keeps the scores' variance near 1 when the entries of `Q` and `K` have variance 1
/// (a dot product of `d` such terms has variance `d`), so the softmax does not saturate.
///
/// `Q` is scaled before the product, as PyTorch does: the same numbers as scaling the
/// scores, up to rounding, with `T·d` multiplications instead of `T·S`.
///
/// # Shapes
/// `q: [..., T, d]`, `k: [..., S, d]` (the same leading axes) → `[..., T, S]`.
// ANCHOR: attention
pub fn attention_probabilities(q: &Var, k: &Var) -> Var {
    let (qs, ks) = (q.shape(), k.shape());
    assert!(
        qs.len() >= 2
            && qs.len() == ks.len()
            && qs[..qs.len() - 2] == ks[..ks.len() - 2]
            && qs.last() == ks.last(),
        "attention: queries {qs:?} and keys {ks:?} must be [..., T, d] and [..., S, d]"
    );
    let d = qs[qs.len() - 1];
    q.mul_scalar(1.0 / (d as f32).sqrt())
        .matmul_bt(k)
        .softmax(qs.len() - 1)
}
// ANCHOR_END: attention

/// Scaled dot-product attention, `softmax(Q·Kᵀ/√d)·V`: each query's output is the average
/// of the values, weighted by its [`attention_probabilities`] (PyTorch's
/// `F.scaled_dot_product_attention` without a mask or dropout).
///
/// # Shapes
/// `q: [..., T, d]`, `k: [..., S, d]`, `v: [..., S, e]` → `[..., T, e]`; attention's heads
/// are `[B, H, T, d]` each.
///
/// ```
/// use autograd::Var;
/// use layers::scaled_dot_product_attention;
/// use tensor::Tensor;
/// // One query q = [2, 0, 0, 0] (d = 4, √d = 2) and two keys, [0, 0, 0, 0] and
/// // [ln 3, 0, 0, 0]: scores [0, ln 3], probabilities [1/4, 3/4], so the output is
/// // 1/4 of the first value [4, 0] plus 3/4 of the second [0, 8]: [1, 6].
/// let t = |v: Vec<f32>, s: &[usize]| Var::constant(Tensor::from_vec(v, s).unwrap());
/// let q = t(vec![2.0, 0.0, 0.0, 0.0], &[1, 4]);
/// let k = t(vec![0.0, 0.0, 0.0, 0.0, 3f32.ln(), 0.0, 0.0, 0.0], &[2, 4]);
/// let v = t(vec![4.0, 0.0, 0.0, 8.0], &[2, 2]);
/// let out = scaled_dot_product_attention(&q, &k, &v);
/// assert!((out.value().data()[0] - 1.0).abs() < 1e-6 && (out.value().data()[1] - 6.0).abs() < 1e-5);
/// ```
pub fn scaled_dot_product_attention(q: &Var, k: &Var, v: &Var) -> Var {
    attention_probabilities(q, k).matmul(v)
}

/// Multi-head self-attention, PyTorch's `nn.MultiheadAttention(D, H, batch_first=True)`
/// called as `attn(x, x, x)`: queries, keys and values all come from the same tokens.
///
/// For each head `h` of `H`, with `d = D/H` features per head and the head's slices
/// `W_q`, `W_k`, `W_v` (`[d, D]` each) of one packed input projection:
///
/// ```text
/// Q = x·W_qᵀ + b_q,  K = x·W_kᵀ + b_k,  V = x·W_vᵀ + b_v          (each [T, d])
/// A = softmax(Q·Kᵀ/√d)     along each row: A[i, j] = how much token i attends to token j
/// head_h = A·V                                                    ([T, d])
/// y = concat(head_1, …, head_H)·W_oᵀ + b_o                        ([T, D])
/// ```
///
/// ([`attention_probabilities`] says why `1/√d`.)
///
/// Parameters, PyTorch's names and layouts: `"in_proj_weight"` `[3D, D]` (the rows of
/// `W_q`, then `W_k`, then `W_v`; head `h` owns rows `h·d .. (h + 1)·d` of each),
/// `"in_proj_bias"` `[3D]`, `"out_proj.weight"` `[D, D]` and `"out_proj.bias"` `[D]`.
///
/// # Shapes
/// `x: [B, T, D] → y: [B, T, D]`; the attention probabilities `A` of
/// [`MultiHeadAttention::forward_with_attention`] are `[B, H, T, T]`.
///
/// # Init
/// PyTorch's: `in_proj_weight` Xavier-uniform over the whole `[3D, D]` matrix
/// (`U(±√(6/(D + 3D)))`), `in_proj_bias` zeros, `out_proj.weight` a `Linear`'s default
/// `U(±1/√D)`, `out_proj.bias` zeros.
///
/// ```
/// use autograd::Var;
/// use layers::{Mode, Module, MultiHeadAttention};
/// use rand::{SeedableRng, rngs::StdRng};
/// use tensor::Tensor;
/// let attn = MultiHeadAttention::new(64, 4, &mut StdRng::seed_from_u64(0));
/// let x = Var::constant(Tensor::zeros(&[2, 50, 64])); // 2 images, 50 tokens of 64 numbers
/// let (y, a) = attn.forward_with_attention(&x, Mode::Eval);
/// assert_eq!((y.shape(), a.shape()), (vec![2, 50, 64], vec![2, 4, 50, 50]));
/// assert_eq!(attn.num_params(), 3 * 64 * 64 + 3 * 64 + 64 * 64 + 64);
/// ```
pub struct MultiHeadAttention {
    in_proj_weight: Var,
    in_proj_bias: Var,
    out_proj: Linear,
    heads: usize,
    /// Dropout on the attention probabilities (PyTorch's `dropout=`); `p = 0` by default.
    dropout: Dropout,
}

impl MultiHeadAttention {
    /// Self-attention over tokens of `d` features with `heads` heads, with PyTorch's
    /// initialisation (see the type's doc) and no dropout. Panics unless `heads` divides `d`.
    pub fn new(d: usize, heads: usize, rng: &mut impl Rng) -> MultiHeadAttention {
        assert!(
            d > 0 && heads > 0 && d.is_multiple_of(heads),
            "MultiHeadAttention::new: {heads} heads must divide the width {d}"
        );
        let in_proj_weight = init::glorot_uniform(&[3 * d, d], d, 3 * d, rng);
        // nn.MultiheadAttention's out_proj is a Linear (default init), whose bias it zeroes.
        let out_proj = Linear::new(d, d, rng);
        MultiHeadAttention::from_params(
            Var::param(in_proj_weight),
            Var::param(init::zeros(&[3 * d])),
            (out_proj.weight().clone(), Var::param(init::zeros(&[d]))),
            heads,
        )
    }

    /// Self-attention with existing handles as its parameters (gradients land in them):
    /// `in_proj_weight` `[3D, D]`, `in_proj_bias` `[3D]`, and the output projection's weight
    /// `[D, D]` and bias `[D]`. Panics if the shapes do not fit or `heads` does not divide `D`.
    pub fn from_params(
        in_proj_weight: Var,
        in_proj_bias: Var,
        (out_weight, out_bias): (Var, Var),
        heads: usize,
    ) -> MultiHeadAttention {
        let (ws, bs) = (in_proj_weight.shape(), in_proj_bias.shape());
        let d = ws.get(1).copied().unwrap_or(0);
        assert!(
            ws == [3 * d, d] && bs == [3 * d] && d > 0,
            "MultiHeadAttention: in_proj_weight {ws:?} must be [3D, D] and in_proj_bias {bs:?} [3D]"
        );
        assert!(
            heads > 0 && d.is_multiple_of(heads),
            "MultiHeadAttention: {heads} heads must divide the width {d}"
        );
        let out_proj = Linear::from_params(out_weight, out_bias);
        assert!(
            out_proj.in_features() == d && out_proj.out_features() == d,
            "MultiHeadAttention: out_proj must be [{d}, {d}], got {}",
            out_proj.describe()
        );
        MultiHeadAttention {
            in_proj_weight,
            in_proj_bias,
            out_proj,
            heads,
            dropout: Dropout::new(0.0, 0),
        }
    }

    /// The same layer with dropout of probability `p` on the attention probabilities in
    /// [`Mode::Train`] (PyTorch's `dropout=p`), its masks drawn from a generator seeded with
    /// `seed`, as [`Dropout::new`]'s.
    pub fn with_dropout(self, p: f32, seed: u64) -> MultiHeadAttention {
        MultiHeadAttention {
            dropout: Dropout::new(p, seed),
            ..self
        }
    }

    /// The width `D`.
    pub fn dim(&self) -> usize {
        self.in_proj_weight.value().dim(1)
    }

    /// The number of heads `H`.
    pub fn heads(&self) -> usize {
        self.heads
    }

    /// The output and the attention probabilities `A = softmax(Q·Kᵀ/√d)` of every head,
    /// computed once: `(y: [B, T, D], A: [B, H, T, T])`, `A[b, h, i, j]` being how much
    /// token `i` of image `b` attends to token `j` in head `h` (each row sums to 1). `A` is
    /// part of the graph, so a loss on it could be back-propagated too. (With dropout in
    /// training, these are the probabilities before dropout; PyTorch returns them after.)
    pub fn forward_with_attention(&self, x: &Var, mode: Mode) -> (Var, Var) {
        let xs = x.shape();
        let (d, heads) = (self.dim(), self.heads);
        assert!(
            xs.len() == 3 && xs[2] == d,
            "{}: input shape {xs:?} does not match [B, T, {d}]",
            self.describe()
        );
        let (b, t, dh) = (xs[0], xs[1], d / heads);

        // ANCHOR: heads
        // The packed projection, one GEMM for Q, K and V: [B·T, D]·[3D, D]ᵀ → [B·T, 3D].
        let qkv = x
            .reshape(&[b * t, d])
            .matmul_bt(&self.in_proj_weight)
            .add(&self.in_proj_bias);
        // [B·T, 3D] → [B, T, 3, H, d] (which of Q, K, V; which head; its d features) →
        // [3, B, H, T, d]: each head's tokens as a matrix of their own.
        let qkv = qkv.reshape(&[b, t, 3, heads, dh]).permute(&[2, 0, 3, 1, 4]);
        let part = |i| qkv.narrow(0, i, 1).reshape(&[b, heads, t, dh]);
        let (q, k, v) = (part(0), part(1), part(2));

        // softmax(Q·Kᵀ/√d) along each row: [B, H, T, d]·[B, H, T, d]ᵀ → [B, H, T, T].
        let attention = attention_probabilities(&q, &k);
        // Each token's new value, a weighted average of the values:
        // [B, H, T, T]·[B, H, T, d] → [B, H, T, d].
        let heads_out = self.dropout.forward(&attention, mode).matmul(&v);
        // The heads side by side again: [B, H, T, d] → [B, T, H, d] → [B·T, D], then the
        // output projection → [B·T, D] → [B, T, D].
        let merged = heads_out.permute(&[0, 2, 1, 3]).reshape(&[b * t, d]);
        let y = self.out_proj.forward(&merged, mode).reshape(&[b, t, d]);
        // ANCHOR_END: heads
        (y, attention)
    }
}

impl Module for MultiHeadAttention {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        self.forward_with_attention(x, mode).0
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        f("in_proj_weight", &self.in_proj_weight);
        f("in_proj_bias", &self.in_proj_bias);
        self.out_proj
            .visit_params(&mut |name, p| f(&format!("out_proj.{name}"), p));
    }

    fn describe(&self) -> String {
        let p = self.dropout.p();
        let dropout = if p > 0.0 {
            format!(", dropout {p}")
        } else {
            String::new()
        };
        format!(
            "MultiHeadAttention({}, {} heads{dropout})",
            self.dim(),
            self.heads
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};
    use tensor::Tensor;

    #[test]
    fn one_head_of_width_one_is_the_formula_by_hand() {
        // D = 1, H = 1, d = 1: W_q = 1, W_k = 2, W_v = 3, no biases, W_o = 1. Tokens x = [0, 1]:
        // q = x, k = 2x, v = 3x; scores q_i·k_j = 2·x_i·x_j.
        // Token 0 (x = 0): scores [0, 0], A = [1/2, 1/2], y = (0 + 3)/2 = 1.5.
        // Token 1 (x = 1): scores [0, 2], A = [1, e²]/(1 + e²), y = 3e²/(1 + e²).
        let w = Tensor::from_vec(vec![1.0, 2.0, 3.0], &[3, 1]).unwrap();
        let attn = MultiHeadAttention::from_params(
            Var::param(w),
            Var::param(Tensor::zeros(&[3])),
            (
                Var::param(Tensor::ones(&[1, 1])),
                Var::param(Tensor::zeros(&[1])),
            ),
            1,
        );
        let x = Var::constant(Tensor::from_vec(vec![0.0, 1.0], &[1, 2, 1]).unwrap());
        let (y, a) = attn.forward_with_attention(&x, Mode::Eval);
        let e2 = 2f32.exp();
        let y_expected = [1.5, 3.0 * e2 / (1.0 + e2)];
        let a_expected = [0.5, 0.5, 1.0 / (1.0 + e2), e2 / (1.0 + e2)];
        for (got, want) in y.value().data().iter().zip(y_expected) {
            assert!((got - want).abs() < 1e-6, "y: {got} vs {want}");
        }
        for (got, want) in a.value().data().iter().zip(a_expected) {
            assert!((got - want).abs() < 1e-6, "A: {got} vs {want}");
        }
    }

    #[test]
    fn init_follows_pytorch() {
        // D = 64: in_proj_weight within √(6/256) = 0.153, out_proj.weight within 1/8.
        let attn = MultiHeadAttention::new(64, 4, &mut StdRng::seed_from_u64(1));
        let params = attn.named_parameters();
        let names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
        let expected = [
            "in_proj_weight",
            "in_proj_bias",
            "out_proj.weight",
            "out_proj.bias",
        ];
        assert_eq!(names, expected);
        let bound = |i: usize| {
            params[i]
                .1
                .value()
                .data()
                .iter()
                .fold(0f32, |m, v| m.max(v.abs()))
        };
        assert!(bound(0) <= (6.0f32 / 256.0).sqrt() && bound(0) > 0.14);
        assert!(bound(2) <= 0.125 && bound(2) > 0.11);
        assert_eq!((bound(1), bound(3)), (0.0, 0.0));
    }

    #[test]
    #[should_panic(expected = "MultiHeadAttention::new: 3 heads must divide the width 64")]
    fn heads_must_divide_the_width() {
        MultiHeadAttention::new(64, 3, &mut StdRng::seed_from_u64(0));
    }

    #[test]
    #[should_panic(
        expected = "MultiHeadAttention(8, 2 heads): input shape [2, 8] does not match [B, T, 8]"
    )]
    fn a_flat_input_names_the_layer_and_both_shapes() {
        let attn = MultiHeadAttention::new(8, 2, &mut StdRng::seed_from_u64(0));
        attn.forward(&Var::constant(Tensor::zeros(&[2, 8])), Mode::Eval);
    }
}
