//! Checks of the backward-rule exercises: sigmoid, tanh, mul, div, matmul, log-softmax,
//! max pooling and the input gradient of a convolution.
//!
//! Each plugs the learner's rule into an op built with [`Var::from_op`] whose forward value
//! the course computes, runs the gradient check on random cases ([`check_rule`]), and,
//! where `golden/` has the op, compares the rule's gradient with PyTorch's.

use autograd::Var;
use proptest::prelude::*;
use tensor::{Padding, Tensor, Window2d};

use crate::cases::{broadcast_shapes, magnitudes, tensor_of, values};
use crate::golden::{self, close};
use crate::gradient::{Case, check_rule, gradients_with};
use crate::{Outcome, Step, steps};

/// A rule for an op of one input: `(g, y) ↦ ∂L/∂x`, from `g = ∂L/∂y` and the output `y`.
pub type UnaryRule = fn(&Tensor, &Tensor) -> Tensor;

/// A rule for an op of two inputs: `(g, a, b) ↦ (∂L/∂a, ∂L/∂b)`.
pub type BinaryRule = fn(&Tensor, &Tensor, &Tensor) -> (Tensor, Tensor);

/// An op with value `y` computed from `x`, whose backward is the learner's `rule(g, y)`.
fn unary_op(name: &'static str, x: &Var, y: Tensor, rule: UnaryRule) -> Var {
    Var::from_op(name, y, &[x], move |g, y, _x| vec![Some(rule(g, y))])
}

/// An op with value `y` computed from `a` and `b`, whose backward is the learner's
/// `rule(g, a, b)`.
fn binary_op(name: &'static str, a: &Var, b: &Var, y: Tensor, rule: BinaryRule) -> Var {
    Var::from_op(name, y, &[a, b], move |g, _y, x| {
        let (da, db) = rule(g, &x[0].value(), &x[1].value());
        vec![Some(da), Some(db)]
    })
}

/// The learner's rule on PyTorch's case `case` of `golden/activations.safetensors`: the
/// gradient for PyTorch's `x` and `g` must be PyTorch's `grad_x`.
fn against_pytorch(case: &str, op: impl Fn(&Var) -> Var) -> Step {
    let file = golden::load("activations")?;
    let (x, g) = (golden::get(&file, case, "x"), golden::get(&file, case, "g"));
    let grads = gradients_with(g, std::slice::from_ref(x), |v| op(&v[0]))?;
    let want = golden::get(&file, case, "grad_x");
    close(
        &format!("∂L/∂x of {case}"),
        "PyTorch",
        &grads[0],
        want,
        1e-5,
        1e-6,
    )?;
    Ok(format!(
        "the gradient equals PyTorch's (golden/activations.safetensors, {case})"
    ))
}

/// A shape of rank 1 to 3 (axes 1 to 4 long) with values in `[−3, 3)`, as a one-input case.
/// (A scalar is no different for an element-wise op, and a failure that shrinks to `[1]`
/// still names its element.)
fn one_input() -> impl Strategy<Value = Case<()>> {
    prop::collection::vec(1usize..=4, 1..=3)
        .prop_flat_map(|s| values(s, -3.0, 3.0).prop_map(|x| (vec![x], ())))
}

/// An element-wise op: its name in messages, its case in `golden/activations.safetensors`,
/// and its forward function.
type ElementWise = (&'static str, &'static str, fn(&Tensor) -> Tensor);

/// The gradient check of an element-wise op with the learner's `rule` (`what` says what
/// passed), then PyTorch's gradient for the op's golden case.
fn element_wise(what: &str, (name, case, forward): ElementWise, rule: UnaryRule) -> Outcome {
    let op = move |x: &Var| unary_op(name, x, forward(&x.value()), rule);
    steps(|| {
        Ok(vec![
            check_rule(what, &["x"], 64, one_input(), |v, _| op(&v[0]))?,
            against_pytorch(case, op)?,
        ])
    })
}

/// Exercise 4: the sigmoid's rule `∂L/∂x = g·y(1 − y)`.
pub fn sigmoid_backward(rule: UnaryRule) -> Outcome {
    element_wise(
        "y = σ(x)",
        ("sigmoid (yours)", "sigmoid", Tensor::sigmoid),
        rule,
    )
}

/// Exercise 5: the tanh's rule `∂L/∂x = g·(1 − y²)`.
pub fn tanh_backward(rule: UnaryRule) -> Outcome {
    element_wise("y = tanh x", ("tanh (yours)", "tanh", Tensor::tanh), rule)
}

/// Exercise 6: the product rule with broadcasting, `∂L/∂a = sum_to(g·b)`, `∂L/∂b = sum_to(g·a)`.
pub fn mul_backward(rule: BinaryRule) -> Outcome {
    let strategy = broadcast_shapes().prop_flat_map(|(a, b)| {
        (values(a, -2.0, 2.0), values(b, -2.0, 2.0)).prop_map(|(a, b)| (vec![a, b], ()))
    });
    steps(|| {
        Ok(vec![check_rule(
            "y = a ⊙ b",
            &["a", "b"],
            128,
            strategy,
            |v, _| {
                binary_op(
                    "mul (yours)",
                    &v[0],
                    &v[1],
                    v[0].value().mul(&v[1].value()),
                    rule,
                )
            },
        )?])
    })
}

/// Exercise 7: the quotient rule with broadcasting, `∂L/∂a = sum_to(g/b)`,
/// `∂L/∂b = sum_to(−g·a/b²)`. The denominators keep `1 ≤ |b| < 2`, where `a/b` is smooth
/// enough for finite differences.
pub fn div_backward(rule: BinaryRule) -> Outcome {
    let strategy = broadcast_shapes().prop_flat_map(|(a, b)| {
        (values(a, -2.0, 2.0), magnitudes(b, 1.0, 2.0)).prop_map(|(a, b)| (vec![a, b], ()))
    });
    steps(|| {
        Ok(vec![check_rule(
            "y = a / b",
            &["a", "b"],
            128,
            strategy,
            |v, _| {
                binary_op(
                    "div (yours)",
                    &v[0],
                    &v[1],
                    v[0].value().div(&v[1].value()),
                    rule,
                )
            },
        )?])
    })
}

/// Exercise 8: `Y = A·B`, `dA = dY·Bᵀ`, `dB = Aᵀ·dY`, for 2-D `A: [m, k]`, `B: [k, n]` with
/// sides 1 to 4, so most cases are not square and a missing transpose cannot hide.
pub fn matmul_backward(rule: BinaryRule) -> Outcome {
    let strategy = (1usize..=4, 1usize..=4, 1usize..=4).prop_flat_map(|(m, k, n)| {
        (values(vec![m, k], -2.0, 2.0), values(vec![k, n], -2.0, 2.0))
            .prop_map(|(a, b)| (vec![a, b], ()))
    });
    steps(|| {
        Ok(vec![check_rule(
            "Y = A·B",
            &["A", "B"],
            128,
            strategy,
            |v, _| {
                binary_op(
                    "matmul (yours)",
                    &v[0],
                    &v[1],
                    v[0].value().matmul(&v[1].value()),
                    rule,
                )
            },
        )?])
    })
}

/// Exercise 9: log-softmax along axis 1 of `[N, C]`,
/// `∂L/∂x_i = g_i − softmax(x)_i Σ_j g_j` with `softmax(x) = e^y`.
pub fn log_softmax_backward(rule: UnaryRule) -> Outcome {
    let op = move |x: &Var| {
        let y = x.value().sub(&x.value().logsumexp_axis(1, true));
        unary_op("log_softmax (yours)", x, y, rule)
    };
    let strategy = (1usize..=4, 1usize..=5)
        .prop_flat_map(|(n, c)| values(vec![n, c], -3.0, 3.0).prop_map(|x| (vec![x], ())));
    steps(|| {
        Ok(vec![
            check_rule(
                "y = log_softmax(x, axis 1)",
                &["x"],
                128,
                strategy,
                |v, _| op(&v[0]),
            )?,
            against_pytorch("log_softmax", op)?,
        ])
    })
}

/// A max-pooling rule: `(g, x, window) ↦ ∂L/∂x`.
pub type PoolRule = fn(&Tensor, &Tensor, Window2d) -> Tensor;

/// Max pooling whose backward is the learner's rule.
fn pool_op(x: &Var, window: Window2d, rule: PoolRule) -> Var {
    let y = tensor::pool::max_pool2d(&x.value(), &window).y;
    Var::from_op("max_pool2d (yours)", y, &[x], move |g, _y, x| {
        vec![Some(rule(g, &x[0].value(), window))]
    })
}

/// Distinct values `0.1` apart in shuffled order, in `[N, C, H, W]` (N 1–2, C 1–2, H, W
/// 2–6): no two tie, and a nudge of `ε = 0.01` cannot change which one wins a window.
/// Windows: 2×2 stride 2 (the lessons'), 3×3 stride 1 padded 1, 2×2 stride 1, 3×3 stride 2,
/// and 2×2 stride 2 with "same" padding.
fn pool_cases() -> impl Strategy<Value = Case<Window2d>> {
    let windows = [
        Window2d::square(2, 2, 0),
        Window2d::square(3, 1, 1),
        Window2d::square(2, 1, 0),
        Window2d::square(3, 2, 1),
        Window2d::same(2, 2),
    ];
    (
        1usize..=2,
        1usize..=2,
        2usize..=6,
        2usize..=6,
        prop::sample::select(windows.to_vec()),
    )
        .prop_filter("the window must fit the image", |&(_, _, h, w, win)| {
            let pad = match win.padding {
                Padding::Explicit(p, _) => p,
                Padding::Same => 0,
            };
            h + 2 * pad >= win.kernel.0 && w + 2 * pad >= win.kernel.1
        })
        .prop_flat_map(|(n, c, h, w, window)| {
            let len = n * c * h * w;
            let spaced: Vec<f32> = (0..len)
                .map(|i| 0.1 * i as f32 - 0.05 * len as f32)
                .collect();
            Just(spaced)
                .prop_shuffle()
                .prop_map(move |v| (vec![tensor_of(v, &[n, c, h, w])], window))
        })
}

/// Exercise 10: max pooling sends each output's gradient to the input that won its window.
pub fn max_pool_backward(rule: PoolRule) -> Outcome {
    steps(|| {
        let passed = check_rule(
            "y = max_pool2d(x)",
            &["x"],
            64,
            pool_cases(),
            |v, window| pool_op(&v[0], *window, rule),
        )?;
        let file = golden::load("max_pool2d")?;
        for (case, window) in [
            ("even", Window2d::square(2, 2, 0)),
            ("same_odd", Window2d::same(2, 2)),
        ] {
            let (x, g) = (golden::get(&file, case, "x"), golden::get(&file, case, "g"));
            let grads =
                gradients_with(g, std::slice::from_ref(x), |v| pool_op(&v[0], window, rule))?;
            let what = format!("∂L/∂x of max pooling ({case})");
            close(
                &what,
                "PyTorch",
                &grads[0],
                golden::get(&file, case, "grad_x"),
                1e-6,
                1e-7,
            )?;
        }
        Ok(vec![
            passed,
            "the gradient equals PyTorch's (golden/max_pool2d.safetensors, even and same_odd)"
                .to_string(),
        ])
    })
}

/// A convolution's input-gradient rule: `(g, w, x_shape, window) ↦ ∂L/∂x`.
pub type ConvInputRule = fn(&Tensor, &Tensor, &[usize], Window2d) -> Tensor;

/// A convolution whose `∂L/∂x` is the learner's rule; `∂L/∂w` and `∂L/∂b` are the course's.
fn conv_op(x: &Var, w: &Var, b: &Var, window: Window2d, rule: ConvInputRule) -> Var {
    let y = tensor::conv::conv2d(&x.value(), &w.value(), Some(&b.value()), &window);
    Var::from_op("conv2d (yours)", y, &[x, w, b], move |g, _y, inputs| {
        let (x, w) = (inputs[0].value(), inputs[1].value());
        let (_dx, dw, db) = tensor::conv::conv2d_backward(&x, &w, g, &window);
        vec![Some(rule(g, &w, x.shape(), window)), Some(dw), Some(db)]
    })
}

/// `x: [N, C, H, W]`, `w: [O, C, k, k]`, `b: [O]` with N 1–2, C 1–2, O 1–2, H, W 3–6, and a
/// window of kernel 1–3, stride 1–2, padding 0–1.
fn conv_cases() -> impl Strategy<Value = Case<Window2d>> {
    let sizes = (1usize..=2, 1usize..=2, 1usize..=2, 3usize..=6, 3usize..=6);
    let window =
        (1usize..=3, 1usize..=2, 0usize..=1).prop_map(|(k, s, p)| Window2d::square(k, s, p));
    (sizes, window).prop_flat_map(|((n, c, o, h, w), window)| {
        let k = window.kernel.0;
        (
            values(vec![n, c, h, w], -2.0, 2.0),
            values(vec![o, c, k, k], -2.0, 2.0),
            values(vec![o], -2.0, 2.0),
        )
            .prop_map(move |(x, w, b)| (vec![x, w, b], window))
    })
}

/// Exercise 11: every input pixel receives the gradient of every output whose window saw it,
/// times the weight that saw it.
pub fn conv2d_input_grad(rule: ConvInputRule) -> Outcome {
    steps(|| {
        let passed = check_rule(
            "y = conv2d(x, w) + b",
            &["x", "w", "b"],
            64,
            conv_cases(),
            |v, window| conv_op(&v[0], &v[1], &v[2], *window, rule),
        )?;
        let file = golden::load("conv2d")?;
        for case in ["s1p1", "s2p0", "s1p2k5"] {
            let tensor = |name| golden::get(&file, case, name);
            let k = tensor("weight").dim(2);
            let (s, p) = (
                tensor("stride").item() as usize,
                tensor("padding").item() as usize,
            );
            let window = Window2d::square(k, s, p);
            let dx = crate::guard::run("your code ran on PyTorch's case", || {
                rule(tensor("g"), tensor("weight"), tensor("x").shape(), window)
            })?;
            close(
                &format!("∂L/∂x ({case})"),
                "PyTorch",
                &dx,
                tensor("grad_x"),
                1e-4,
                1e-5,
            )?;
        }
        Ok(vec![
            passed,
            "∂L/∂x equals PyTorch's (golden/conv2d.safetensors, s1p1, s2p0, s1p2k5)".to_string(),
        ])
    })
}
