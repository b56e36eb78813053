//! A wrong answer gets a message that teaches: typical slips, each caught by the grader with
//! the input, the element, analytic against numeric, and the smallest failing case.

use grader::Outcome;
use grader::autograd::{matmul_backward, sigmoid_backward};
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
