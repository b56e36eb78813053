//! Grading a backward rule: plug it into an op of its own, and check the gradient that
//! `backward()` gets from it against finite differences.
//!
//! The op is built with [`Var::from_op`], exactly as every op in `crates/autograd/src/ops`
//! is: the course computes the forward value, and the learner's rule is the backward
//! function. [`check_gradients`] then compares, for every element of every input, the
//! gradient of `L = Σ y ⊙ r` (a fixed random `r`) from one backward pass with the central
//! difference `(L(x + ε) − L(x − ε)) / 2ε`. [`check_rule`] runs that on random cases drawn
//! by proptest and, on a failure, reports the smallest failing case.

use std::fmt::Debug;

use autograd::Var;
use autograd::gradcheck::{EPS, Mismatch, check_gradients};
use proptest::strategy::Strategy;
use tensor::Tensor;

use crate::cases::{Counterexample, for_all};
use crate::show;
use crate::{Outcome, Step};

/// One case of a gradient check: the op's inputs and its settings (a window, or `()`).
pub type Case<P> = (Vec<Tensor>, P);

/// What the gradient check says about `op` at `inputs`, with a panic in the learner's rule
/// turned into its outcome.
fn check_case<P>(
    names: &[&str],
    case: &Case<P>,
    op: &impl Fn(&[Var], &P) -> Var,
) -> Result<(), Outcome> {
    let (inputs, settings) = case;
    let result = crate::guard::run("the gradient check ran your code", || {
        check_gradients(inputs, |v| op(v, settings))
    })?;
    result.map_err(|m| Outcome::Failing(mismatch_text(names, inputs, &m)))
}

/// The message for a gradient that disagrees with finite differences.
fn mismatch_text(names: &[&str], inputs: &[Tensor], m: &Mismatch) -> String {
    let name = names.get(m.input).copied().unwrap_or("?");
    let shape = inputs[m.input].shape();
    let at = show::element(name, m.element, shape);
    let hint = if m.analytic == 0.0 {
        "\n    (a gradient of exactly 0: did your rule return zeros, or did the gradient not \
         reach this input at all?)"
    } else {
        ""
    };
    let which = match shape {
        [] => format!("input `{name}` (input {}), a scalar", m.input),
        _ => format!(
            "input `{name}` (input {}), element {} = {at} of shape {shape:?}",
            m.input, m.element
        ),
    };
    format!(
        "the gradient check failed on {which}:\n\
         \x20   analytic (your backward rule):   ∂L/∂{at} = {}\n\
         \x20   numeric (finite differences):    ∂L/∂{at} = {}{hint}\n\
         here L = Σ y ⊙ r for a fixed random r, so your rule was handed g = ∂L/∂y = r, and the \
         numeric value is (L({name} + ε) − L({name} − ε)) / 2ε at that element, ε = {EPS}",
        m.analytic, m.numeric
    )
}

/// Checks an op built on the learner's backward rule with the course's gradient check, on
/// `cases` random cases drawn from `strategy`. `names` names the op's inputs in messages;
/// `what` says what was checked when it passes.
pub fn check_rule<S, P>(
    what: &str,
    names: &[&str],
    cases: u32,
    strategy: S,
    op: impl Fn(&[Var], &P) -> Var,
) -> Step
where
    S: Strategy<Value = Case<P>>,
    P: Debug,
{
    match for_all(cases, &strategy, |case| check_case(names, case, &op)) {
        Ok(()) => Ok(format!(
            "{what}: the gradient check passed on {cases} random shapes and values"
        )),
        Err(Counterexample {
            outcome: outcome @ Outcome::NotWritten(_),
            ..
        }) => Err(outcome),
        Err(Counterexample { case, outcome }) => {
            let settings = format!("{:?}", case.1);
            let settings = if settings == "()" {
                String::new()
            } else {
                format!("\n    settings: {settings}")
            };
            Err(Outcome::Failing(format!(
                "{}\n\nthe smallest failing case proptest found (shrunk from a random one):\n\
                 {}{settings}",
                outcome.text(),
                show::inputs(names, &case.0)
            )))
        }
    }
}

/// `L`'s gradients for the inputs `xs` of `op` given `g = ∂L/∂y`: one backward pass of the
/// op, with no finite differences. For comparing a rule with PyTorch's gradients.
pub fn gradients_with(
    g: &Tensor,
    xs: &[Tensor],
    op: impl Fn(&[Var]) -> Var,
) -> Result<Vec<Tensor>, Outcome> {
    crate::guard::run("your code ran on PyTorch's case", || {
        let vars: Vec<Var> = xs.iter().map(|x| Var::param(x.clone())).collect();
        op(&vars).backward_with(g.clone());
        vars.iter()
            .map(|v| {
                v.grad()
                    .map_or_else(|| Tensor::zeros(&v.shape()), |g| g.clone())
            })
            .collect()
    })
}
