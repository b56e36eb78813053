//! Every layer's backward pass against finite differences (see `autograd::gradcheck`),
//! over random shapes and values. Each layer is built inside the checked function from
//! the `Var`s the checker passes in, so the gradients of its parameters are checked too.

use autograd::Var;
use autograd::gradcheck::check_gradients;
use layers::{
    BatchNorm2d, Conv2d, Dropout, GlobalAvgPool2d, Linear, MaxPool2d, Mode, Module, PReLU,
    Sequential, Tanh,
};
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{SeedableRng, rngs::StdRng};
use tensor::{Padding, Tensor, Window2d};

/// Uniform values in [−1, 1) from `seed`.
fn uniform(shape: &[usize], seed: u64) -> Tensor {
    Tensor::rand_uniform(shape, -1.0, 1.0, &mut StdRng::seed_from_u64(seed))
}

/// Values whose magnitude is at least 0.1, so a ±ε nudge never crosses a kink at 0.
fn away_from_zero(shape: &[usize], seed: u64) -> Tensor {
    uniform(shape, seed).map(|v| if v >= 0.0 { v + 0.1 } else { v - 0.1 })
}

/// Distinct values 0.1 apart in shuffled order, so max pooling has no ties and a ±ε nudge
/// never changes a window's winner.
fn distinct(shape: &[usize], seed: u64) -> Tensor {
    let n: usize = shape.iter().product();
    let mut values: Vec<f32> = (0..n).map(|i| i as f32 * 0.1 - 1.0).collect();
    values.shuffle(&mut StdRng::seed_from_u64(seed));
    Tensor::from_vec(values, shape).unwrap()
}

fn padding() -> impl Strategy<Value = Padding> {
    prop_oneof![
        Just(Padding::Explicit(0, 0)),
        Just(Padding::Explicit(1, 1)),
        Just(Padding::Same)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// z = x·Wᵀ + b: ∂L/∂x = G·W, ∂L/∂W = Gᵀ·x, ∂L/∂b = Σ_n G.
    #[test]
    fn linear(n in 1usize..5, d_in in 1usize..6, d_out in 1usize..5, seed in 0u64..1 << 32) {
        let inputs = [uniform(&[n, d_in], seed), uniform(&[d_out, d_in], seed + 1), uniform(&[d_out], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            Linear::from_params(v[1].clone(), v[2].clone()).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// PReLU with one learned slope: ∂a/∂x = 1 or α, ∂a/∂α = Σ min(x, 0).
    #[test]
    fn prelu(n in 1usize..5, d in 1usize..6, alpha in -0.5f32..0.5, seed in 0u64..1 << 32) {
        let inputs = [away_from_zero(&[n, d], seed), Tensor::full(&[1], alpha)];
        let result = check_gradients(&inputs, |v| {
            PReLU::from_param(v[1].clone()).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Max pooling over distinct values: the gradient goes to each window's winner.
    #[test]
    fn max_pool2d(
        n in 1usize..3, c in 1usize..3, h in 2usize..7, w in 2usize..7,
        k in 1usize..4, s in 1usize..3, same: bool, seed in 0u64..1 << 32,
    ) {
        prop_assume!(k <= h && k <= w);
        let window = if same { Window2d::same(k, s) } else { Window2d::square(k, s, 0) };
        let inputs = [distinct(&[n, c, h, w], seed)];
        let result = check_gradients(&inputs, |v| MaxPool2d::new(window).forward(&v[0], Mode::Train));
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Inverted dropout in training mode is x ⊙ m/(1 − p) for a fixed mask m, so
    /// ∂L/∂x = G ⊙ m/(1 − p). The layer is rebuilt with the same seed on every call, so
    /// every evaluation draws the same mask.
    #[test]
    fn dropout_in_train_mode(n in 1usize..5, d in 1usize..8, p in 0.0f32..0.9, seed in 0u64..1 << 32) {
        let inputs = [uniform(&[n, d], seed)];
        let result = check_gradients(&inputs, |v| {
            Dropout::new(p, seed).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// A small MLP, Linear → Tanh → Linear: the chain rule through a Sequential.
    #[test]
    fn sequential_mlp(n in 1usize..4, d_in in 1usize..5, hidden in 1usize..5, d_out in 1usize..4, seed in 0u64..1 << 32) {
        let inputs = [
            uniform(&[n, d_in], seed),
            uniform(&[hidden, d_in], seed + 1),
            uniform(&[hidden], seed + 2),
            uniform(&[d_out, hidden], seed + 3),
            uniform(&[d_out], seed + 4),
        ];
        let result = check_gradients(&inputs, |v| {
            Sequential::new()
                .push(Linear::from_params(v[1].clone(), v[2].clone()))
                .push(Tanh)
                .push(Linear::from_params(v[3].clone(), v[4].clone()))
                .forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// z = b + w ⋆ x: ∂L/∂x is the full correlation of G with the flipped filters,
    /// ∂L/∂w the correlation of x with G, ∂L/∂b the sum of G over batch and positions.
    #[test]
    fn conv2d(
        n in 1usize..3, c_in in 1usize..3, c_out in 1usize..3, h in 3usize..7, w in 3usize..7,
        k in 1usize..4, s in 1usize..3, padding in padding(), seed in 0u64..1 << 32,
    ) {
        let inputs = [
            uniform(&[n, c_in, h, w], seed),
            uniform(&[c_out, c_in, k, k], seed + 1),
            uniform(&[c_out], seed + 2),
        ];
        let result = check_gradients(&inputs, |v| {
            Conv2d::from_params(v[1].clone(), v[2].clone(), s, padding).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

// Batch normalisation, global average pooling and a residual connection.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Batch normalisation in training (the batch's statistics): ∂L/∂x, ∂L/∂γ, ∂L/∂β by the
    /// compact rule. The running statistics it updates on the way take no part in the loss.
    /// The inputs are distinct values 0.3 apart: a channel of nearly equal numbers has a tiny
    /// σ and an output that bends sharply within a ±ε nudge, where finite differences fail
    /// (the rule itself holds for any spread; the op's own check uses a larger ε instead).
    #[test]
    fn batch_norm2d_in_train_mode(
        n in 1usize..4, c in 1usize..4, h in 1usize..4, w in 2usize..4, seed in 0u64..1 << 32
    ) {
        let x = distinct(&[n, c, h, w], seed).mul_scalar(3.0);
        let inputs = [x, uniform(&[c], seed + 1), uniform(&[c], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            BatchNorm2d::from_params(v[1].clone(), v[2].clone()).forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Batch normalisation in evaluation, after a training pass moved its running
    /// statistics: an affine map of each channel, ∂L/∂x = γ·g/√(running var + ε).
    #[test]
    fn batch_norm2d_in_eval_mode(
        n in 1usize..4, c in 1usize..4, h in 1usize..4, w in 2usize..4, seed in 0u64..1 << 32
    ) {
        let warm_up = Var::constant(uniform(&[n, c, h, w], seed + 3).mul_scalar(3.0).add_scalar(1.0));
        let inputs = [uniform(&[n, c, h, w], seed), uniform(&[c], seed + 1), uniform(&[c], seed + 2)];
        let result = check_gradients(&inputs, |v| {
            let bn = BatchNorm2d::from_params(v[1].clone(), v[2].clone());
            bn.forward(&warm_up, Mode::Train);
            bn.forward(&v[0], Mode::Eval)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// Global average pooling: ∂L/∂x[n, c, i, j] = g[n, c]/(H·W).
    #[test]
    fn global_avg_pool2d(n in 1usize..4, c in 1usize..4, h in 1usize..5, w in 1usize..5, seed in 0u64..1 << 32) {
        let result = check_gradients(&[uniform(&[n, c, h, w], seed)], |v| {
            GlobalAvgPool2d.forward(&v[0], Mode::Train)
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// conv (no bias) → batch norm, plus the input (a residual connection), then tanh (a
    /// smooth stand-in for the block's ReLU, whose kink would trip the finite differences):
    /// the gradient of the sum reaches x along both paths. (Batch normalisation undoes the
    /// filters' scale, so ∂L/∂w shrinks and bends like 1/|w|, 1/|w|²: filters in [−3, 3]
    /// keep the finite differences' error well inside the tolerance.)
    #[test]
    fn residual_conv_batch_norm(n in 2usize..3, c in 1usize..3, seed in 0u64..1 << 32) {
        let inputs = [
            uniform(&[n, c, 3, 3], seed),
            uniform(&[c, c, 3, 3], seed + 1).mul_scalar(3.0),
            uniform(&[c], seed + 2).add_scalar(1.5),
            uniform(&[c], seed + 3),
        ];
        let result = check_gradients(&inputs, |v| {
            let conv = Conv2d::from_params(v[1].clone(), Var::constant(Tensor::zeros(&[c])), 1, Padding::Same)
                .without_bias();
            let bn = BatchNorm2d::from_params(v[2].clone(), v[3].clone());
            let body = bn.forward(&conv.forward(&v[0], Mode::Train), Mode::Train);
            body.add(&v[0]).tanh()
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

#[test]
fn activation_layers() {
    use layers::{LeakyReLU, ReLU, Sigmoid, Softmax};
    let x = [away_from_zero(&[3, 4], 7)];
    let layers: [Box<dyn Module>; 5] = [
        Box::new(Sigmoid),
        Box::new(Tanh),
        Box::new(ReLU),
        Box::new(LeakyReLU::new(0.1)),
        Box::new(Softmax),
    ];
    for layer in &layers {
        let result = check_gradients(&x, |v: &[Var]| layer.forward(&v[0], Mode::Train));
        assert!(
            result.is_ok(),
            "{}: {}",
            layer.describe(),
            result.unwrap_err()
        );
    }
}
