//! The engine's promises, one test each: gradients add up, `detach` and `no_grad` cut the
//! graph, misuse panics with a clear message, threads do not interfere, and very deep
//! graphs neither overflow the stack going backward nor when dropped.

use std::panic::{AssertUnwindSafe, catch_unwind};

use autograd::{Var, no_grad};
use tensor::Tensor;

fn vector(values: &[f32]) -> Tensor {
    Tensor::from_vec(values.to_vec(), &[values.len()]).unwrap()
}

#[test]
fn gradients_accumulate_across_backward_calls_until_zero_grad() {
    // L = 3x at x = 2: dL/dx = 3 per call.
    let x = Var::param(Tensor::scalar(2.0));
    let loss = x.mul_scalar(3.0);
    loss.backward();
    assert_eq!(x.grad().unwrap().item(), 3.0);
    // A second call adds to the first: 3 + 3.
    loss.backward();
    assert_eq!(x.grad().unwrap().item(), 6.0);
    // zero_grad forgets it; the next call starts again from 3.
    x.zero_grad();
    assert!(x.grad().is_none());
    loss.backward();
    assert_eq!(x.grad().unwrap().item(), 3.0);
}

#[test]
fn a_value_used_twice_receives_the_sum_of_both_uses() {
    // L = Σ x ⊙ x: both factors are x, each contributes x, so dL/dx = 2x.
    let x = Var::param(vector(&[1.0, -2.0, 3.0]));
    x.mul(&x).sum().backward();
    assert_eq!(x.grad().unwrap().data(), &[2.0, -4.0, 6.0]);

    // A diamond: a = 2x, b = 3x, L = a + b. dL/dx = 2 + 3 = 5.
    let x = Var::param(Tensor::scalar(1.5));
    let (a, b) = (x.mul_scalar(2.0), x.mul_scalar(3.0));
    a.add(&b).backward();
    assert_eq!(x.grad().unwrap().item(), 5.0);
}

#[test]
fn detach_stops_the_gradient() {
    // L = x · detach(x) at x = 3: only the first factor is differentiated, dL/dx = 3
    // (without detach it would be 2x = 6).
    let x = Var::param(Tensor::scalar(3.0));
    let frozen = x.detach();
    assert!(frozen.is_leaf() && !frozen.requires_grad());
    assert_eq!(frozen.item(), 3.0);
    x.mul(&frozen).backward();
    assert_eq!(x.grad().unwrap().item(), 3.0);
}

#[test]
fn no_grad_records_nothing_and_restores_the_flags() {
    let w = Var::param(vector(&[1.0, 2.0]));
    let frozen = Var::param(vector(&[5.0, 6.0]));
    frozen.set_requires_grad(false);
    let x = Var::constant(vector(&[3.0, 4.0]));

    let params = [w.clone(), frozen.clone()];
    let y = no_grad(&params, || x.mul(&w).add(&frozen).sum());
    // y = Σ (x ⊙ w + frozen) = 3 + 8 + 11 = 22, computed but not recorded.
    assert_eq!(y.item(), 22.0);
    assert!(
        y.is_leaf() && !y.requires_grad(),
        "no_grad built a graph: {y:?}"
    );
    // Each flag is back as it was: on for w, off for the frozen one.
    assert!(w.requires_grad());
    assert!(!frozen.requires_grad());
    // And outside no_grad the same expression records again.
    let y = x.mul(&w).sum();
    assert!(!y.is_leaf() && y.requires_grad());
}

#[test]
fn no_grad_restores_the_flags_when_the_closure_panics() {
    let w = Var::param(Tensor::scalar(1.0));
    let params = [w.clone()];
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        no_grad(&params, || {
            assert!(!w.requires_grad(), "inside no_grad the flag is off");
            panic!("a panic inside no_grad");
        })
    }));
    assert!(outcome.is_err());
    assert!(
        w.requires_grad(),
        "the flag must be restored during unwinding"
    );
}

#[test]
#[should_panic(
    expected = "no_grad: parameters must be leaves, got a value computed by `mul_scalar`"
)]
fn no_grad_refuses_a_computed_value_with_a_clear_panic() {
    // A computed value has no flag of its own; the panic must come before any flag is
    // touched (a panic while restoring flags during unwinding would abort the process).
    let w = Var::param(Tensor::scalar(1.0));
    let z = w.mul_scalar(2.0);
    no_grad(&[w, z], || ());
}

#[test]
#[should_panic(expected = "backward: the output must hold one number (a loss), it holds 3")]
fn backward_on_a_non_scalar_panics() {
    let x = Var::param(vector(&[1.0, 2.0, 3.0]));
    x.mul_scalar(2.0).backward();
}

#[test]
fn threads_build_and_differentiate_their_own_graphs() {
    // Thread k computes L = Σ (k·x)² with x = [1, 2, 3]: dL/dx = 2k²x.
    let per_thread = |k: f32| {
        let mut last = Vec::new();
        for _ in 0..2_000 {
            let x = Var::param(vector(&[1.0, 2.0, 3.0]));
            x.mul_scalar(k).square().sum().backward();
            last = x.grad().unwrap().data().to_vec();
        }
        last
    };
    let (g2, g3) = std::thread::scope(|s| {
        let two = s.spawn(|| per_thread(2.0));
        let three = s.spawn(|| per_thread(3.0));
        (two.join().unwrap(), three.join().unwrap())
    });
    assert_eq!(g2, [8.0, 16.0, 24.0]);
    assert_eq!(g3, [18.0, 36.0, 54.0]);
}

#[test]
fn a_deep_chain_is_built_backpropagated_and_dropped_without_overflow() {
    // y = x + 1 + 1 + … (100,000 times): dy/dx = 1. A recursive topological sort or a
    // recursive drop would need one stack frame per node and overflow the test thread's
    // stack long before the end.
    let x = Var::param(Tensor::scalar(0.5));
    let mut y = x.clone();
    for _ in 0..100_000 {
        y = y.add_scalar(1.0);
    }
    assert_eq!(y.item(), 100_000.5);
    y.backward();
    assert_eq!(x.grad().unwrap().item(), 1.0);
    drop(y);
    // Only x's own handles remain: the chain has been freed.
    assert!(x.is_leaf());
}
