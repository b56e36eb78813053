//! The named choices a lesson's recipe offers besides [`Activation`]: which optimizer
//! trains, how the `Linear` layers start, and lesson 2's hidden activation (which may be
//! the learned PReLU). Each is a [`Named`] enum, so `--optimizer sgd` on the command line,
//! the studio's select box and `summary.json` all use the same names.

use layers::{Activation, BlockKind, Linear, PReLU, Sequential};
use rand::Rng;

use crate::recipe::Named;

/// The optimizer a lesson trains with. Each lesson builds it with its course's settings and
/// the recipe's learning rate, in a few visible lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    /// Plain SGD, [`optim::Sgd`] without momentum: `w ← w − lr·g`.
    Sgd,
    /// [`optim::RmsProp`]: each weight's step divided by its running RMS gradient.
    RmsProp,
    /// [`optim::Adam`]: running mean and RMS of the gradient, bias-corrected.
    Adam,
}

impl Named for OptimizerKind {
    const ALL: &'static [OptimizerKind] = &[
        OptimizerKind::Sgd,
        OptimizerKind::RmsProp,
        OptimizerKind::Adam,
    ];

    fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::RmsProp => "rmsprop",
            OptimizerKind::Adam => "adam",
        }
    }
}

/// How a `Linear` layer's weights start: the framework a lesson comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// PyTorch's default, [`Linear::new`]: weights and biases uniform in `±1/√in`.
    PyTorch,
    /// Keras' default, [`Linear::glorot`]: weights uniform in `±√(6/(in + out))`, zero biases.
    Glorot,
}

impl Init {
    /// A `Linear(fan_in → fan_out)` started this way.
    pub fn linear(self, fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Linear {
        match self {
            Init::PyTorch => Linear::new(fan_in, fan_out, rng),
            Init::Glorot => Linear::glorot(fan_in, fan_out, rng),
        }
    }
}

impl Named for Init {
    const ALL: &'static [Init] = &[Init::PyTorch, Init::Glorot];

    fn name(self) -> &'static str {
        match self {
            Init::PyTorch => "pytorch",
            Init::Glorot => "glorot",
        }
    }
}

/// A hidden layer's activation that may also be the learned [`PReLU`] (lesson 2's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HiddenActivation {
    /// A PReLU with its own slope `α`, starting at 0.25.
    PReLU,
    /// One of the parameter-free activations.
    Fixed(Activation),
}

impl HiddenActivation {
    /// `model` with this activation appended as a layer.
    pub fn push_onto(self, model: Sequential) -> Sequential {
        match self {
            HiddenActivation::PReLU => model.push(PReLU::new()),
            HiddenActivation::Fixed(a) => a.push_onto(model),
        }
    }
}

impl Named for HiddenActivation {
    const ALL: &'static [HiddenActivation] = &[
        HiddenActivation::PReLU,
        HiddenActivation::Fixed(Activation::Sigmoid),
        HiddenActivation::Fixed(Activation::Tanh),
        HiddenActivation::Fixed(Activation::ReLU),
        HiddenActivation::Fixed(Activation::LeakyReLU),
    ];

    fn name(self) -> &'static str {
        match self {
            HiddenActivation::PReLU => "prelu",
            HiddenActivation::Fixed(a) => a.name(),
        }
    }
}

/// Lesson 8's three networks of one shape: plain, batch-normalised, residual.
impl Named for BlockKind {
    const ALL: &'static [BlockKind] = &BlockKind::ALL;

    fn name(self) -> &'static str {
        BlockKind::name(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recipe::Choose;

    /// Every name is chosen back to its own value, and the names are distinct.
    fn round_trips<T: Named + PartialEq + std::fmt::Debug>() {
        for &v in T::ALL {
            let mut other =
                T::ALL[(T::ALL.iter().position(|&w| w == v).unwrap() + 1) % T::ALL.len()];
            assert!(other.choose(v.name()));
            assert_eq!(other, v);
        }
        let mut names: Vec<&str> = T::ALL.iter().map(|v| v.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), T::ALL.len());
    }

    #[test]
    fn every_choice_is_found_by_its_name() {
        round_trips::<OptimizerKind>();
        round_trips::<Init>();
        round_trips::<HiddenActivation>();
        round_trips::<Activation>();
        let mut init = Init::Glorot;
        assert!(!init.choose("kaiming"));
        assert_eq!(init, Init::Glorot);
    }
}
