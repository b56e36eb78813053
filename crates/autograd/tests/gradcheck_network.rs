//! A whole network checked end to end: a two-layer classifier and its cross-entropy loss.
//!
//! Each op is checked alone in `gradcheck_ops.rs`; here they are chained as a lesson chains
//! them, so the chain rule across ops (and the sharing of `ŷ` by both halves of the loss)
//! is checked too:
//!
//! ```text
//! a₁ = tanh(x·W₁ᵀ + b₁)          x: [4, 3], W₁: [5, 3], b₁: [5]
//! ŷ  = σ(a₁·W₂ᵀ + b₂)            W₂: [1, 5], b₂: [1]
//! L  = −mean(t·ln ŷ + (1 − t)·ln(1 − ŷ))   t ∈ {0, 1}: [4, 1]
//! ```

use autograd::Var;
use autograd::gradcheck::check_gradients;
use rand::{Rng, SeedableRng, rngs::StdRng};
use tensor::Tensor;

/// The loss above; `v = [x, W₁, b₁, W₂, b₂]`.
fn bce_of_two_layer_net(v: &[Var], t: &Var) -> Var {
    let (x, w1, b1, w2, b2) = (&v[0], &v[1], &v[2], &v[3], &v[4]);
    let a1 = x.matmul_bt(w1).add(b1).tanh();
    let y_hat = a1.matmul_bt(w2).add(b2).sigmoid();
    let log_likelihood = t
        .mul(&y_hat.ln())
        .add(&t.rsub_scalar(1.0).mul(&y_hat.rsub_scalar(1.0).ln()));
    log_likelihood.mean().neg()
}

#[test]
fn a_two_layer_network_has_the_gradients_of_finite_differences() {
    for seed in 0..8 {
        let mut rng = StdRng::seed_from_u64(seed);
        // Weights small enough that ŷ stays well inside (0, 1), where ln(1 − ŷ) is
        // computed without losing f32 digits.
        let inputs = [
            Tensor::rand_uniform(&[4, 3], -2.0, 2.0, &mut rng),
            Tensor::rand_uniform(&[5, 3], -0.5, 0.5, &mut rng),
            Tensor::rand_uniform(&[5], -0.5, 0.5, &mut rng),
            Tensor::rand_uniform(&[1, 5], -0.5, 0.5, &mut rng),
            Tensor::rand_uniform(&[1], -0.5, 0.5, &mut rng),
        ];
        let labels = (0..4).map(|_| f32::from(u8::from(rng.random::<bool>())));
        let t = Var::constant(Tensor::from_vec(labels.collect(), &[4, 1]).unwrap());

        let result = check_gradients(&inputs, |v| bce_of_two_layer_net(v, &t));
        assert_eq!(result, Ok(()), "seed {seed}");
    }
}
