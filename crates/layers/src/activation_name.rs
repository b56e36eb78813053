//! Choosing an activation by name, as Keras' `activation='relu'` does: the hidden layers'
//! nonlinearity of a recipe, set from the command line.

use std::fmt;
use std::str::FromStr;

use crate::activation::{LeakyReLU, ReLU, Sigmoid, Tanh};
use crate::sequential::Sequential;

/// A parameter-free hidden-layer activation, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// [`Sigmoid`]: `σ(z) = 1 / (1 + e^(−z))`.
    Sigmoid,
    /// [`Tanh`]: `tanh z`.
    Tanh,
    /// [`ReLU`]: `max(0, z)`.
    ReLU,
    /// [`LeakyReLU`] with PyTorch's default slope 0.01.
    LeakyReLU,
}

impl Activation {
    /// Every choice, in the order help texts list them.
    pub const ALL: [Activation; 4] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::ReLU,
        Activation::LeakyReLU,
    ];

    /// The name Keras and the command line use: `sigmoid`, `tanh`, `relu`, `leaky_relu`.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::ReLU => "relu",
            Activation::LeakyReLU => "leaky_relu",
        }
    }

    /// `model` with this activation appended as a layer.
    pub fn push_onto(self, model: Sequential) -> Sequential {
        match self {
            Activation::Sigmoid => model.push(Sigmoid),
            Activation::Tanh => model.push(Tanh),
            Activation::ReLU => model.push(ReLU),
            Activation::LeakyReLU => model.push(LeakyReLU::new(0.01)),
        }
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name is not one of [`Activation::ALL`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownActivation(pub String);

impl fmt::Display for UnknownActivation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Activation::ALL.iter().map(|a| a.name()).collect();
        write!(
            f,
            "unknown activation {:?}; choose one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownActivation {}

impl FromStr for Activation {
    type Err = UnknownActivation;

    fn from_str(s: &str) -> Result<Activation, UnknownActivation> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| UnknownActivation(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::module::Module;

    #[test]
    fn names_round_trip_and_unknown_ones_are_refused() {
        for a in Activation::ALL {
            assert_eq!(a.name().parse::<Activation>(), Ok(a));
        }
        let err = "swish".parse::<Activation>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown activation \"swish\"; choose one of sigmoid, tanh, relu, leaky_relu"
        );
    }

    #[test]
    fn push_onto_appends_the_named_layer() {
        let model = Activation::Tanh.push_onto(Sequential::new());
        assert_eq!(model.describe(), Sequential::new().push(Tanh).describe());
    }
}
