//! Checks of lesson 9's exercises, the transformer's pieces: softmax's backward rule,
//! scaled dot-product attention, and layer normalisation's backward rule.
//!
//! The two rules are plugged into ops of their own with [`Var::from_op`], whose forward value
//! the course computes, and run through the gradient check ([`check_rule`]) and PyTorch's
//! gradients. The attention is compared with the course's
//! [`layers::scaled_dot_product_attention`], and its gradients are checked too.

use autograd::Var;
use proptest::prelude::*;
use tensor::Tensor;

use crate::cases::{self, tensor_of, values};
use crate::golden::{self, close};
use crate::gradient::{Case, check_rule, gradients_with};
use crate::guard::run;
use crate::{Outcome, show, steps};

/// Exercise 26's rule: `(g, y) ↦ ∂L/∂x` for `y = softmax(x)` along the last axis.
pub type SoftmaxRule = fn(&Tensor, &Tensor) -> Tensor;

/// A softmax along the last axis whose backward is the learner's rule.
fn softmax_op(x: &Var, rule: SoftmaxRule) -> Var {
    let y = x.value().softmax(x.value().ndim() - 1);
    Var::from_op("softmax (yours)", y, &[x], move |g, y, _x| {
        vec![Some(rule(g, y))]
    })
}

/// Exercise 26: softmax along the last axis, `∂L/∂x_j = y_j (g_j − Σ_i g_i y_i)`, on shapes
/// of rank 1 to 4 (attention's scores are `[B, H, T, T]`), then PyTorch's gradient.
pub fn softmax_backward(rule: SoftmaxRule) -> Outcome {
    let strategy = prop::collection::vec(1usize..=4, 1..=4)
        .prop_flat_map(|s| values(s, -3.0, 3.0).prop_map(|x| (vec![x], ())));
    steps(|| {
        let passed = check_rule(
            "y = softmax(x) along the last axis",
            &["x"],
            128,
            strategy,
            |v, _| softmax_op(&v[0], rule),
        )?;
        let file = golden::load("activations")?;
        let (x, g) = (
            golden::get(&file, "softmax", "x"),
            golden::get(&file, "softmax", "g"),
        );
        let grads = gradients_with(g, std::slice::from_ref(x), |v| softmax_op(&v[0], rule))?;
        let want = golden::get(&file, "softmax", "grad_x");
        close("∂L/∂x of softmax", "PyTorch", &grads[0], want, 1e-5, 1e-6)?;
        Ok(vec![
            passed,
            "the gradient equals PyTorch's (golden/activations.safetensors, softmax along dim 1 \
             of [4, 5])"
                .to_string(),
        ])
    })
}

/// Exercise 27's function: `softmax(Q·Kᵀ/√d)·V`.
pub type AttentionFn = fn(&Var, &Var, &Var) -> Var;

/// `q: [.., T, d]`, `k: [.., S, d]`, `v: [.., S, e]` with none to two leading axes (1 to 3
/// long), `T`, `S` 1 to 5 and `d`, `e` 1 to 4, values in `[−2, 2)`.
fn attention_cases() -> impl Strategy<Value = Case<()>> {
    let sizes = (1usize..=5, 1usize..=5, 1usize..=4, 1usize..=4);
    (prop::collection::vec(1usize..=3, 0..=2), sizes).prop_flat_map(|(lead, (t, s, d, e))| {
        let shape = move |rows, cols| [lead.clone(), vec![rows, cols]].concat();
        (
            values(shape(t, d), -2.0, 2.0),
            values(shape(s, d), -2.0, 2.0),
            values(shape(s, e), -2.0, 2.0),
        )
            .prop_map(|(q, k, v)| (vec![q, k, v], ()))
    })
}

/// What a typical slip would have given on `q`, `k`, `v`, if the learner's output matches it:
/// the scores not divided by `√d`, or the softmax taken along the keys' axis instead of along
/// each query's row.
fn typical_slip(got: &Tensor, q: &Var, k: &Var, v: &Var) -> Option<&'static str> {
    let rank = q.shape().len();
    let unscaled = q.matmul_bt(k).softmax(rank - 1).matmul(v);
    let d = *q.shape().last().expect("rank ≥ 2");
    let wrong_axis = q
        .mul_scalar(1.0 / (d as f32).sqrt())
        .matmul_bt(k)
        .softmax(rank - 2)
        .matmul(v);
    let matches =
        |slip: &Var| slip.value().shape() == got.shape() && got.allclose(&slip.value(), 1e-5, 1e-5);
    if matches(&unscaled) {
        Some("it equals softmax(Q·Kᵀ)·V: the scores are not divided by √d")
    } else if matches(&wrong_axis) {
        Some(
            "it equals the softmax taken along the queries' axis: each query's row of scores \
             (the last axis of Q·Kᵀ) must sum to 1",
        )
    } else {
        None
    }
}

/// Exercise 27: the learner's attention against `layers::scaled_dot_product_attention` on the
/// doc's example and on random shapes (naming a missing `1/√d` or a softmax along the wrong
/// axis), then the gradient check (the output must be built from `Var` ops).
pub fn attention(f: AttentionFn) -> Outcome {
    let property = |(xs, ()): &Case<()>| {
        let [q, k, v] = [0, 1, 2].map(|i| Var::param(xs[i].clone()));
        let got = run("calling your attention", || f(&q, &k, &v))?;
        let want = layers::scaled_dot_product_attention(&q, &k, &v);
        let got = got.value().clone();
        close(
            "the attention's output",
            "the course's",
            &got,
            &want.value(),
            1e-5,
            1e-5,
        )
        .map_err(|o| {
            let slip = typical_slip(&got, &q, &k, &v)
                .map(|s| format!("\nlook: {s}"))
                .unwrap_or_default();
            Outcome::Failing(format!(
                "{}{slip}\n{}",
                o.text(),
                show::inputs(&["q", "k", "v"], xs)
            ))
        })
    };
    steps(|| {
        // The doc's example: scores [0, ln 3], probabilities [1/4, 3/4], output [1, 6].
        let example = vec![
            tensor_of(vec![2.0, 0.0, 0.0, 0.0], &[1, 4]),
            tensor_of(vec![0.0, 0.0, 0.0, 0.0, 3f32.ln(), 0.0, 0.0, 0.0], &[2, 4]),
            tensor_of(vec![4.0, 0.0, 0.0, 8.0], &[2, 2]),
        ];
        property(&(example, ()))?;
        Ok(vec![
            "q = [[2, 0, 0, 0]] against keys [0, 0, 0, 0] and [ln 3, 0, 0, 0] gives [[1, 6]]"
                .to_string(),
            cases::check("softmax(Q·Kᵀ/√d)·V", 128, &attention_cases(), property)?,
            check_rule(
                "the gradients of the attention",
                &["q", "k", "v"],
                64,
                attention_cases(),
                |v, _| f(&v[0], &v[1], &v[2]),
            )?,
        ])
    })
}

/// Exercise 28's rule: `(g, x, γ, ε) ↦ (∂L/∂x, ∂L/∂γ, ∂L/∂β)`.
pub type LayerNormRule = fn(&Tensor, &Tensor, &Tensor, f32) -> (Tensor, Tensor, Tensor);

/// PyTorch's `ε` for `nn.LayerNorm`.
const EPS: f32 = 1e-5;

/// Layer normalisation over the last axis (the course's forward pass) whose backward is the
/// learner's rule.
fn layer_norm_op(x: &Var, gamma: &Var, beta: &Var, rule: LayerNormRule) -> Var {
    use tensor::layer_norm::{normalize, row_stats};
    let (mean, inv_std) = row_stats(&x.value(), EPS);
    let y = normalize(
        &x.value(),
        &mean,
        &inv_std,
        gamma.value().data(),
        beta.value().data(),
    );
    Var::from_op(
        "layer_norm (yours)",
        y,
        &[x, gamma, beta],
        move |g, _y, inputs| {
            let (dx, dgamma, dbeta) = rule(g, &inputs[0].value(), &inputs[1].value(), EPS);
            vec![Some(dx), Some(dgamma), Some(dbeta)]
        },
    )
}

/// `x: [.., D]` of rank 1 to 3 (axes 1 to 3 long, `D` 1 to 5) with distinct values 0.3
/// apart in shuffled order, `γ` and `β` in `[−2, 2)`. (A row of nearly equal numbers has a
/// tiny σ, and `x̂` bends sharply within the check's ±0.01 nudge, where finite differences
/// mean nothing; spread rows keep the check sound.)
fn layer_norm_cases() -> impl Strategy<Value = Case<()>> {
    (prop::collection::vec(1usize..=3, 0..=2), 1usize..=5).prop_flat_map(|(rows, d)| {
        let shape = [rows, vec![d]].concat();
        let n: usize = shape.iter().product();
        let spread: Vec<f32> = (0..n).map(|i| 0.3 * i as f32 - 0.15 * n as f32).collect();
        (
            Just(spread).prop_shuffle(),
            values(vec![d], -2.0, 2.0),
            values(vec![d], -2.0, 2.0),
        )
            .prop_map(move |(x, gamma, beta)| (vec![tensor_of(x, &shape), gamma, beta], ()))
    })
}

/// Exercise 28: layer normalisation's three gradients, by the gradient check on spread rows
/// with PyTorch's `ε`, then PyTorch's gradients (`golden/attention.safetensors`).
pub fn layer_norm_backward(rule: LayerNormRule) -> Outcome {
    steps(|| {
        let passed = check_rule(
            "y = γ·(x − μ)/√(σ² + ε) + β per row",
            &["x", "gamma", "beta"],
            128,
            layer_norm_cases(),
            |v, _| layer_norm_op(&v[0], &v[1], &v[2], rule),
        )?;
        let file = golden::load("attention")?;
        let get = |name: &str| golden::get(&file, "layer_norm", name);
        let inputs = [get("x").clone(), get("weight").clone(), get("bias").clone()];
        let grads = gradients_with(get("g"), &inputs, |v| {
            layer_norm_op(&v[0], &v[1], &v[2], rule)
        })?;
        for (i, name) in ["x", "weight", "bias"].into_iter().enumerate() {
            let want = get(&format!("grad_{name}"));
            let what = format!("∂L/∂{name} of nn.LayerNorm(8)");
            close(&what, "PyTorch", &grads[i], want, 1e-5, 1e-5)?;
        }
        Ok(vec![
            passed,
            "the gradients equal PyTorch's (golden/attention.safetensors, layer_norm)".to_string(),
        ])
    })
}
