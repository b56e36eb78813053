//! # Exercise 13 — PyTorch's default initialisation bound
//!
//! Lesson: [1 — Neurons and XOR](../docs/lessons/01-xor.md), "The network".
//!
//! PyTorch starts an `nn.Linear(in, out)` weight with *Kaiming-uniform* initialisation:
//! `w ~ U(−bound, bound)` with
//!
//! ```text
//! bound = gain · √(3 / fan_in),     gain = √(2 / (1 + a²))
//! ```
//!
//! where `fan_in = in` is the number of inputs each unit sums, and `gain` is the gain of a
//! leaky ReLU of negative slope `a`. A uniform `U(−c, c)` has variance `c²/3`, so this gives
//! `Var(w) = gain² / fan_in`: the variance that keeps activations from growing or shrinking
//! layer after layer. For `nn.Linear`, PyTorch passes `a = √5`: then `gain = √(1/3)` and the
//! bound is exactly `1/√fan_in`, the "uniform in ±1/√in" of lesson 1.
//!
//! Write `kaiming_uniform_bound(fan_in, a)`.
//!
//! # Shapes
//! Numbers in, a number out.
//!
//! # Graded by
//! Comparison with `layers::init::gain` and `kaiming_uniform` (`crates/layers/src/init.rs`)
//! on 256 random `fan_in` and slopes; with `a = √5` it must be `1/√fan_in`, and it must be
//! the bound that `Linear::new(784, 256)` (`crates/layers/src/linear.rs`) draws its weights
//! within.

/// The bound of Kaiming-uniform initialisation for `fan_in` inputs and a leaky ReLU of slope
/// `negative_slope`: `gain·√(3/fan_in)` with `gain = √(2/(1 + a²))`.
pub fn kaiming_uniform_bound(fan_in: usize, negative_slope: f32) -> f32 {
    todo!()
}
