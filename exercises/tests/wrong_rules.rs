//! A wrong answer gets a message that teaches: typical slips, each caught by the grader with
//! the input, the element, analytic against numeric, and the smallest failing case.

use autograd::Var;
use grader::Outcome;
use grader::autograd::{matmul_backward, sigmoid_backward};
use grader::residual::residual_milestone;
use grader::resnet::{batch_norm_backward, warmup_cosine};
use grader::transformer::{attention, layer_norm_backward, softmax_backward};
use grader::vit::attention_milestone;
use layers::{BasicBlock, BlockKind, Linear, Mode, Module};
use rand::rngs::StdRng;
use tensor::Tensor;

/// The text of a failing outcome; panics on any other verdict.
fn failure(outcome: Outcome) -> String {
    match outcome {
        Outcome::Failing(text) => {
            println!("{text}");
            text
        }
        other => panic!("a wrong rule must fail its check, got {other:?}"),
    }
}

/// `∂L/∂x = g·y`: the sigmoid's rule with its `(1 − y)` factor forgotten.
fn sigmoid_without_one_minus_y(g: &Tensor, y: &Tensor) -> Tensor {
    g.mul(y)
}

#[test]
fn a_sigmoid_rule_missing_its_one_minus_y_factor_is_caught() {
    let text = failure(sigmoid_backward(sigmoid_without_one_minus_y));
    for part in [
        "input `x` (input 0), element",
        "analytic (your backward rule):",
        "numeric (finite differences):",
        "of shape [",
        "the smallest failing case proptest found",
        "x = tensor(",
    ] {
        assert!(text.contains(part), "the message lacks {part:?}:\n{text}");
    }
}

/// `dA = G·B`: the transpose of `B` forgotten. The shapes fit only when `B` is square;
/// proptest shrinks to the smallest case where they do not, and the message shows it.
fn matmul_missing_a_transpose(g: &Tensor, a: &Tensor, b: &Tensor) -> (Tensor, Tensor) {
    (g.matmul(b), a.t().matmul(g))
}

#[test]
fn a_matmul_rule_missing_a_transpose_is_caught() {
    let text = failure(matmul_backward(matmul_missing_a_transpose));
    assert!(
        text.contains("the smallest failing case proptest found"),
        "{text}"
    );
    assert!(
        text.contains("A = tensor(") && text.contains("B = tensor("),
        "{text}"
    );
}

/// A rule whose result has the wrong shape (here flattened to one axis) panics inside
/// `backward()`; the grader reports the panic's message and the case, not a trace.
fn sigmoid_flattened(g: &Tensor, y: &Tensor) -> Tensor {
    let dx = g.zip_map(y, "sigmoid", |g, y| g * y * (1.0 - y));
    dx.reshape(&[dx.numel()])
}

#[test]
fn a_rule_with_the_wrong_shape_is_reported_not_a_panic_trace() {
    let text = failure(sigmoid_backward(sigmoid_flattened));
    assert!(text.contains("your code panicked"), "{text}");
    assert!(text.contains("gradient shape"), "{text}");
}

/// Softmax's rule written as log-softmax's, `g − y·Σg`: right only where `y` is one-hot.
fn softmax_as_log_softmax(g: &Tensor, y: &Tensor) -> Tensor {
    let last = y.ndim() - 1;
    g.sub(&y.mul(&g.sum_axis(last, true)))
}

#[test]
fn a_softmax_rule_borrowed_from_log_softmax_is_caught() {
    let text = failure(softmax_backward(softmax_as_log_softmax));
    assert!(
        text.contains("the gradient check failed on input `x`"),
        "{text}"
    );
}

/// Attention without the `1/√d`.
fn attention_unscaled(q: &Var, k: &Var, v: &Var) -> Var {
    q.matmul_bt(k).softmax(q.shape().len() - 1).matmul(v)
}

/// Attention whose softmax runs down the columns (over the queries) instead of along each
/// query's row.
fn attention_along_the_wrong_axis(q: &Var, k: &Var, v: &Var) -> Var {
    let d = *q.shape().last().unwrap() as f32;
    let rank = q.shape().len();
    q.matmul_bt(k)
        .mul_scalar(1.0 / d.sqrt())
        .softmax(rank - 2)
        .matmul(v)
}

#[test]
fn attention_without_its_scale_or_along_the_wrong_axis_is_named() {
    let text = failure(attention(attention_unscaled));
    assert!(text.contains("the scores are not divided by √d"), "{text}");
    let text = failure(attention(attention_along_the_wrong_axis));
    assert!(text.contains("along the queries' axis"), "{text}");
}

/// Layer normalisation's rule with `σ` taken as a constant: the `x̂·Σ ĝ·x̂` term forgotten.
fn layer_norm_without_the_variance_path(
    g: &Tensor,
    x: &Tensor,
    gamma: &Tensor,
    eps: f32,
) -> (Tensor, Tensor, Tensor) {
    let last = x.ndim() - 1;
    let d = x.dim(last) as f32;
    let centered = x.sub(&x.mean_axis(last, true));
    let r = centered
        .square()
        .mean_axis(last, true)
        .map(|var| 1.0 / (var + eps).sqrt());
    let x_hat = centered.mul(&r);
    let g_hat = g.mul(gamma);
    let dx = g_hat
        .mul_scalar(d)
        .sub(&g_hat.sum_axis(last, true))
        .mul(&r)
        .div_scalar(d);
    (
        dx,
        g.mul(&x_hat).sum_to(gamma.shape()),
        g.sum_to(gamma.shape()),
    )
}

#[test]
fn a_layer_norm_rule_that_treats_sigma_as_a_constant_is_caught() {
    let text = failure(layer_norm_backward(layer_norm_without_the_variance_path));
    assert!(
        text.contains("the gradient check failed on input `x`"),
        "{text}"
    );
    assert!(
        text.contains("the smallest failing case proptest found"),
        "{text}"
    );
}

/// Batch normalisation's rule with `σ` taken as a constant: the `x̂·Σ g·x̂` term forgotten.
fn batch_norm_without_the_variance_path(
    g: &Tensor,
    x: &Tensor,
    gamma: &Tensor,
    eps: f32,
) -> (Tensor, Tensor, Tensor) {
    let c = x.dim(1);
    let per_channel = [1, c, 1, 1];
    let m = (x.numel() / c) as f32;
    let centered = x.sub(&x.sum_to(&per_channel).div_scalar(m));
    let r = centered
        .square()
        .sum_to(&per_channel)
        .div_scalar(m)
        .map(|var| 1.0 / (var + eps).sqrt());
    let x_hat = centered.mul(&r);
    let dbeta = g.sum_to(&per_channel);
    let dx = g
        .mul_scalar(m)
        .sub(&dbeta)
        .mul(&gamma.reshape(&per_channel).mul(&r))
        .div_scalar(m);
    let dgamma = g.mul(&x_hat).sum_to(&per_channel);
    (dx, dgamma.reshape(&[c]), dbeta.reshape(&[c]))
}

#[test]
fn a_batch_norm_rule_that_treats_sigma_as_a_constant_is_caught_and_named() {
    let text = failure(batch_norm_backward(batch_norm_without_the_variance_path));
    for part in [
        "the gradient check failed on input `x`",
        "the smallest failing case proptest found",
        "look: ∂L/∂x lacks the −x̂·Σ g·x̂ term",
    ] {
        assert!(text.contains(part), "the message lacks {part:?}:\n{text}");
    }
}

/// A warm-up of `peak·t/warmup`: its first step has rate 0 and it never reaches the peak.
fn warmup_without_plus_one(t: usize, peak: f32, warmup: usize, total: usize, floor: f32) -> f32 {
    if t < warmup {
        return peak * t as f32 / warmup as f32;
    }
    let p = ((t - warmup) as f32 / (total - warmup) as f32).min(1.0);
    floor + (peak - floor) * (1.0 + (std::f32::consts::PI * p).cos()) / 2.0
}

/// A cosine that falls over all `total` steps, and climbs again past the end.
fn cosine_over_all_steps(t: usize, peak: f32, warmup: usize, total: usize, floor: f32) -> f32 {
    if t < warmup {
        return peak * (t + 1) as f32 / warmup as f32;
    }
    let p = (t - warmup) as f32 / total as f32;
    floor + (peak - floor) * (1.0 + (std::f32::consts::PI * p).cos()) / 2.0
}

#[test]
fn a_schedule_with_a_typical_slip_is_caught_and_named() {
    let text = failure(warmup_cosine(warmup_without_plus_one));
    assert!(text.contains("at step t = 0 of peak = 0.1"), "{text}");
    assert!(
        text.contains("look: the warm-up gives peak·t/warmup"),
        "{text}"
    );
    let text = failure(warmup_cosine(cosine_over_all_steps));
    assert!(
        text.contains("look: the cosine runs over all `total` steps"),
        "{text}"
    );
}

/// Lesson 8's block without its shortcut: `relu(bn2(conv2(relu(bn1(conv1(x))))))`.
fn block_without_shortcut(i: usize, o: usize, s: usize, rng: &mut StdRng) -> BasicBlock {
    BasicBlock::new(i, o, s, BlockKind::Normalized, rng)
}

#[test]
fn a_block_without_its_shortcut_is_named_before_any_training() {
    let text = failure(residual_milestone(block_without_shortcut));
    assert!(
        text.contains("the block must give relu(x); it gives 0: x is not added back"),
        "{text}"
    );
}

/// Multi-head attention that cuts into heads by a reshape alone, `[B·T, D]` straight to
/// `[B, H, T, d]`: it runs, and mixes tokens and heads up.
struct HeadsByReshape {
    qkv: [Linear; 3],
    out: Linear,
    heads: usize,
}

fn heads_by_reshape(dim: usize, heads: usize, rng: &mut StdRng) -> HeadsByReshape {
    let mut linear = || Linear::new(dim, dim, rng);
    HeadsByReshape {
        qkv: [linear(), linear(), linear()],
        out: linear(),
        heads,
    }
}

impl Module for HeadsByReshape {
    fn forward(&self, x: &Var, mode: Mode) -> Var {
        let s = x.shape();
        let (b, t, d, h) = (s[0], s[1], s[2], self.heads);
        let rows = x.reshape(&[b * t, d]);
        let split = |i: usize| self.qkv[i].forward(&rows, mode).reshape(&[b, h, t, d / h]);
        let (q, k, v) = (split(0), split(1), split(2));
        let heads = layers::scaled_dot_product_attention(&q, &k, &v);
        let merged = heads.reshape(&[b * t, d]);
        self.out.forward(&merged, mode).reshape(&[b, t, d])
    }

    fn visit_params(&self, f: &mut dyn FnMut(&str, &Var)) {
        for (i, part) in self.qkv.iter().chain([&self.out]).enumerate() {
            part.visit_params(&mut |name, p| f(&format!("{i}.{name}"), p));
        }
    }

    fn describe(&self) -> String {
        "HeadsByReshape".to_string()
    }
}

#[test]
fn attention_that_mixes_tokens_and_heads_up_is_named_before_any_training() {
    let text = failure(attention_milestone(heads_by_reshape));
    assert!(
        text.contains("the tokens in reverse order do not give the outputs in reverse order"),
        "{text}"
    );
}
