//! The activation explorer's numbers: `a = f(w·x + b)` for `x` in `[−10, 10]`, and its
//! derivative `da/dx` from autograd's `backward`, for the course's sliders `w ∈ [−5, 5]` and
//! `b ∈ [−7, 7]`.
//!
//! The functions are `layers`' own modules, the ones the lessons' networks use. `x` is a
//! parameter, so after `a.sum().backward()` its gradient holds `∂(Σ aᵢ)/∂xᵢ = daᵢ/dxᵢ`
//! (each `aᵢ` depends only on its own `xᵢ`): by the chain rule, `w · f'(w·x + b)`.

use autograd::Var;
use layers::{Activation, LeakyReLU, Mode, Module, PReLU, ReLU, Sigmoid, Tanh};
use serde_json::{Value, json};
use tensor::Tensor;

use crate::http::{Problem, Reply, Target, json};

/// The sliders' ranges, as the course's `interact(b=(-7, 7, .01), w=(-5, 5, .01))`.
pub(crate) const W_RANGE: (f32, f32) = (-5.0, 5.0);
/// See [`W_RANGE`].
pub(crate) const B_RANGE: (f32, f32) = (-7.0, 7.0);
/// The negative-side slope of leaky ReLU and PReLU.
pub(crate) const SLOPE_RANGE: (f32, f32) = (0.0, 1.0);
/// Points drawn over `[−10, 10]`.
const POINTS: usize = 401;

/// A function the explorer offers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Choice {
    /// One of the lessons' fixed activations.
    Fixed(Activation),
    /// PReLU, whose slope `α` a network learns; here the slider sets it.
    PReLU,
}

impl Choice {
    /// Every choice, in the page's order.
    fn all() -> Vec<Choice> {
        let mut all: Vec<Choice> = Activation::ALL.iter().map(|&a| Choice::Fixed(a)).collect();
        all.push(Choice::PReLU);
        all
    }

    /// The name the API uses: `layers`' names, and `prelu`.
    fn name(self) -> &'static str {
        match self {
            Choice::Fixed(a) => a.name(),
            Choice::PReLU => "prelu",
        }
    }

    /// The slope a fresh layer starts with, where the function has one.
    fn default_slope(self) -> Option<f32> {
        match self {
            // PyTorch's nn.LeakyReLU default, as `layers::Activation::LeakyReLU`.
            Choice::Fixed(Activation::LeakyReLU) => Some(0.01),
            // nn.PReLU's initial α.
            Choice::PReLU => Some(0.25),
            Choice::Fixed(_) => None,
        }
    }

    /// The layer computing the function, with `slope` where it has one.
    fn layer(self, slope: f32) -> Box<dyn Module> {
        match self {
            Choice::Fixed(Activation::Sigmoid) => Box::new(Sigmoid),
            Choice::Fixed(Activation::Tanh) => Box::new(Tanh),
            Choice::Fixed(Activation::ReLU) => Box::new(ReLU),
            Choice::Fixed(Activation::LeakyReLU) => Box::new(LeakyReLU::new(slope)),
            Choice::PReLU => Box::new(PReLU::from_param(Var::param(Tensor::full(&[1], slope)))),
        }
    }
}

/// `GET /api/activations`: the functions and the sliders' ranges.
pub(crate) fn list() -> Result<Reply, Problem> {
    let functions: Vec<Value> = Choice::all()
        .into_iter()
        .map(|c| {
            json!({
                "name": c.name(),
                "layer": c.layer(c.default_slope().unwrap_or(0.0)).describe(),
                "slope": c.default_slope(),
            })
        })
        .collect();
    Ok(json(
        200,
        &json!({
            "functions": functions,
            "w": [W_RANGE.0, W_RANGE.1],
            "b": [B_RANGE.0, B_RANGE.1],
            "slope": [SLOPE_RANGE.0, SLOPE_RANGE.1],
        }),
    ))
}

/// `GET /api/activation?name=…&w=…&b=…[&slope=…]`: `x`, `y = f(w·x + b)` and `dy = dy/dx`.
pub(crate) fn curve(target: &Target) -> Result<Reply, Problem> {
    let name = target.get("name").unwrap_or("sigmoid");
    let Some(choice) = Choice::all().into_iter().find(|c| c.name() == name) else {
        let names: Vec<&str> = Choice::all().iter().map(|c| c.name()).collect();
        return Err(Problem::bad(format!(
            "unknown activation {name:?}; choose one of {}",
            names.join(", ")
        )));
    };
    let w = target.number("w", W_RANGE, 1.0)?;
    let b = target.number("b", B_RANGE, 0.0)?;
    let slope = target.number("slope", SLOPE_RANGE, choice.default_slope().unwrap_or(0.0))?;
    let layer = choice.layer(slope);

    let x = Var::param(Tensor::linspace(-10.0, 10.0, POINTS));
    let z = x.mul_scalar(w).add_scalar(b);
    let a = layer.forward(&z, Mode::Eval);
    a.sum().backward();
    let dy = x.grad().expect("x is a parameter").data().to_vec();
    let body = json!({
        "name": choice.name(),
        "layer": layer.describe(),
        "w": w,
        "b": b,
        "slope": choice.default_slope().map(|_| slope),
        "x": x.value().data(),
        "y": a.value().data(),
        "dy": dy,
    });
    Ok(json(200, &body))
}
