//! Checks of the layer exercises: `Linear::forward`, PyTorch's initialisation bound, and
//! inverted dropout with its train/eval switch.

use autograd::Var;
use layers::init::{Nonlinearity, gain};
use layers::{Linear, Mode, Module};
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

use crate::cases::{self, any_shape, tensor_of, values};
use crate::golden::close;
use crate::gradient::check_rule;
use crate::guard::run;
use crate::{Outcome, show, steps};

/// Exercise 12's function: `z = x·Wᵀ + b` from `x: [N, in]`, `W: [out, in]`, `b: [out]`.
pub type LinearForward = fn(&Var, &Var, &Var) -> Var;

/// `x: [N, in]`, `W: [out, in]`, `b: [out]` with sides 1 to 4.
fn linear_cases() -> impl Strategy<Value = (Vec<Tensor>, ())> {
    (1usize..=4, 1usize..=4, 1usize..=4).prop_flat_map(|(n, i, o)| {
        (
            values(vec![n, i], -2.0, 2.0),
            values(vec![o, i], -2.0, 2.0),
            values(vec![o], -2.0, 2.0),
        )
            .prop_map(|(x, w, b)| (vec![x, w, b], ()))
    })
}

/// Exercise 12: the layer's output against `layers::Linear`'s on the doc's example and on
/// random sizes, then the gradient check (the output must be built from `Var` ops, so that
/// the gradient reaches `x`, `W` and `b`).
pub fn linear_forward(f: LinearForward) -> Outcome {
    let property = |(xs, ()): &(Vec<Tensor>, ())| {
        let [x, w, b] = [0, 1, 2].map(|i| Var::param(xs[i].clone()));
        let z = run("calling your linear_forward", || f(&x, &w, &b))?;
        let want = Linear::from_params(w, b).forward(&x, Mode::Eval);
        close("z", "layers::Linear", &z.value(), &want.value(), 1e-5, 1e-5).map_err(|o| {
            Outcome::Failing(format!(
                "{}\n{}",
                o.text(),
                show::inputs(&["x", "W", "b"], xs)
            ))
        })
    };
    steps(|| {
        // Linear's doc: W = [[1, 2]], b = [0.5], x = [[3, 4]]: z = 1·3 + 2·4 + 0.5 = 11.5.
        let example = vec![
            tensor_of(vec![3.0, 4.0], &[1, 2]),
            tensor_of(vec![1.0, 2.0], &[1, 2]),
            tensor_of(vec![0.5], &[1]),
        ];
        property(&(example, ()))?;
        Ok(vec![
            "x = [[3, 4]], W = [[1, 2]], b = [0.5] gives z = [[11.5]]".to_string(),
            cases::check("z = x·Wᵀ + b", 128, &linear_cases(), property)?,
            check_rule(
                "the gradients of z",
                &["x", "W", "b"],
                64,
                linear_cases(),
                |v, _| f(&v[0], &v[1], &v[2]),
            )?,
        ])
    })
}

/// Exercise 13's function: the Kaiming-uniform bound for `fan_in` inputs and a leaky ReLU
/// of slope `negative_slope`.
pub type InitBound = fn(usize, f32) -> f32;

/// Exercise 13: the bound `gain·√(3/fan_in)` with `gain = √(2/(1 + a²))`, against
/// `layers::init`; with `a = √5` it must be PyTorch's `1/√fan_in`, and it must be the bound
/// `Linear::new` draws within.
pub fn init_bound(f: InitBound) -> Outcome {
    let property = |&(fan_in, a): &(usize, f32)| {
        let got = run("calling your kaiming_uniform_bound", || f(fan_in, a))?;
        let want = gain(Nonlinearity::LeakyReLU(a)) * (3.0 / fan_in as f32).sqrt();
        if (got - want).abs() <= 1e-5 * want {
            return Ok(());
        }
        Err(Outcome::Failing(format!(
            "kaiming_uniform_bound({fan_in}, {a}) = {got}, but gain·√(3/fan_in) = \
             {:.6}·√(3/{fan_in}) = {want}",
            gain(Nonlinearity::LeakyReLU(a))
        )))
    };
    let sqrt5 = 5f32.sqrt();
    steps(|| {
        let random = cases::check("the bound", 256, &(1usize..5000, 0.0f32..3.0), property)?;
        for fan_in in [1, 2, 100, 784] {
            let got = run("calling your kaiming_uniform_bound", || f(fan_in, sqrt5))?;
            let want = 1.0 / (fan_in as f32).sqrt();
            if (got - want).abs() > 1e-5 * want {
                return Err(Outcome::Failing(format!(
                    "with a = √5 (PyTorch's nn.Linear) the bound for fan_in = {fan_in} must be \
                     1/√{fan_in} = {want}; yours is {got}"
                )));
            }
        }
        let layer = Linear::new(784, 256, &mut StdRng::seed_from_u64(0));
        let bound = run("calling your kaiming_uniform_bound", || f(784, sqrt5))?;
        let largest = layer.weight().value().abs().max_all();
        if largest > bound || largest < 0.99 * bound {
            return Err(Outcome::Failing(format!(
                "Linear::new(784, 256) draws weights up to |w| = {largest}, so its bound is \
                 about that; yours is {bound}"
            )));
        }
        Ok(vec![
            random,
            "a = √5 gives 1/√fan_in, PyTorch's nn.Linear default".to_string(),
            format!("Linear::new(784, 256)'s weights fill ±{bound:.5}"),
        ])
    })
}

/// Exercise 14's function: inverted dropout of `x` with drop probability `p` in `mode`,
/// the mask drawn from `rng`.
pub type DropoutFn = fn(&Var, f32, Mode, &mut StdRng) -> Var;

/// The values of `dropout(ones([1, n]), p, Train)` and the fraction of them that are 0.
fn drop_ones(f: DropoutFn, n: usize, p: f32, rng: &mut StdRng) -> Result<(Vec<f32>, f32), Outcome> {
    let x = Var::param(Tensor::ones(&[1, n]));
    let a = run("calling your dropout in Mode::Train", || {
        f(&x, p, Mode::Train, rng)
    })?;
    let a = a.value().data().to_vec();
    let zeros = a.iter().filter(|&&v| v == 0.0).count() as f32 / n as f32;
    Ok((a, zeros))
}

/// Exercise 14: identity in evaluation; in training every element is 0 or `x/(1 − p)`,
/// about a fraction `p` are 0, each call draws a new mask, and the gradient is the mask.
pub fn dropout(f: DropoutFn) -> Outcome {
    let eval_property = |x: &Tensor| {
        let v = Var::param(x.clone());
        let a = run("calling your dropout in Mode::Eval", || {
            f(&v, 0.5, Mode::Eval, &mut StdRng::seed_from_u64(0))
        })?;
        close(
            "dropout in Mode::Eval",
            "its input",
            &a.value(),
            x,
            0.0,
            0.0,
        )
        .map_err(|o| Outcome::Failing(format!("{} (evaluation must not drop)", o.text())))
    };
    let train_cases = (any_shape(), 0.1f32..0.9, any::<u64>())
        .prop_flat_map(|(s, p, seed)| values(s, -2.0, 2.0).prop_map(move |x| (vec![x], (p, seed))));
    steps(|| {
        let eval = cases::check(
            "Mode::Eval passes x through",
            64,
            &any_shape().prop_flat_map(|s| values(s, -2.0, 2.0)),
            eval_property,
        )?;
        let mut rng = StdRng::seed_from_u64(7);
        for p in [0.2f32, 0.5, 0.8] {
            let (a, zeros) = drop_ones(f, 20_000, p, &mut rng)?;
            let scale = 1.0 / (1.0 - p);
            if let Some(v) = a
                .iter()
                .find(|&&v| v != 0.0 && (v - scale).abs() > 1e-5 * scale)
            {
                return Err(Outcome::Failing(format!(
                    "with p = {p} every survivor of x = 1 must be 1/(1 − p) = {scale}; one is {v}"
                )));
            }
            if (zeros - p).abs() > 0.02 {
                return Err(Outcome::Failing(format!(
                    "with p = {p}, {:.1}% of 20000 elements were dropped; about {:.0}% should be",
                    100.0 * zeros,
                    100.0 * p
                )));
            }
        }
        let (first, _) = drop_ones(f, 1000, 0.5, &mut rng)?;
        let (second, _) = drop_ones(f, 1000, 0.5, &mut rng)?;
        if first == second {
            return Err(Outcome::Failing(
                "two training calls with the same generator dropped the same elements: draw a \
                 new mask from `rng` on every call"
                    .to_string(),
            ));
        }
        let gradient = check_rule(
            "the gradient in Mode::Train",
            &["x"],
            64,
            train_cases,
            |v, &(p, seed)| f(&v[0], p, Mode::Train, &mut StdRng::seed_from_u64(seed)),
        )?;
        Ok(vec![
            eval,
            "Mode::Train keeps each element with probability 1 − p, scaled by 1/(1 − p), \
             for p = 0.2, 0.5, 0.8"
                .to_string(),
            "each training call draws a new mask".to_string(),
            gradient,
        ])
    })
}
