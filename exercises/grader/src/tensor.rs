//! Checks of the tensor exercises: the broadcast shape, a naive matmul, `sum_to`.
//!
//! Each is compared with the course's own code in `crates/tensor` on random cases.

use proptest::prelude::*;
use tensor::Tensor;

use crate::cases::{self, any_shape, broadcast_shapes, values};
use crate::golden::close;
use crate::guard::run;
use crate::{Outcome, show, steps};

/// Exercise 1's function: the broadcast shape of two shapes, or `None`.
pub type BroadcastShape = fn(&[usize], &[usize]) -> Option<Vec<usize>>;

/// Two shapes that often broadcast ([`broadcast_shapes`]), or two unrelated shapes, which
/// mostly do not.
fn shape_pairs() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    let unrelated = (
        prop::collection::vec(1usize..=3, 0..=3),
        prop::collection::vec(1usize..=3, 0..=3),
    );
    prop_oneof![3 => broadcast_shapes(), 1 => unrelated]
}

/// Exercise 1: `broadcast_shape(a, b)` against `tensor::shape::broadcast_shape`, on the
/// lesson's example and on random pairs of shapes.
pub fn broadcast_shape(f: BroadcastShape) -> Outcome {
    let property = |(a, b): &(Vec<usize>, Vec<usize>)| {
        let got = run("calling your broadcast_shape", || f(a, b))?;
        let want = tensor::shape::broadcast_shape(a, b);
        if got == want {
            return Ok(());
        }
        let why = match &want {
            Some(_) => "",
            None => " (some aligned pair of lengths differs and neither is 1)",
        };
        Err(Outcome::Failing(format!(
            "broadcast_shape({a:?}, {b:?}) returned {got:?}, but it should be {want:?}{why}"
        )))
    };
    steps(|| {
        for example in [
            (vec![4, 1, 3], vec![5, 1]),
            (vec![2, 3], vec![2]),
            (vec![], vec![]),
        ] {
            property(&example)?;
        }
        let lesson = "the lesson's examples: [4, 1, 3] with [5, 1] is [4, 5, 3], [2, 3] with [2] \
                      does not broadcast, [] with [] is []";
        Ok(vec![
            lesson.to_string(),
            cases::check("broadcast_shape", 256, &shape_pairs(), property)?,
        ])
    })
}

/// Exercise 2's function: `C = A·B` for row-major `a: [m, k]`, `b: [k, n]`.
pub type Matmul = fn(&[f32], &[f32], usize, usize, usize) -> Vec<f32>;

/// Exercise 2: the triple loop against `tensor::matmul::matmul_naive`, on random sizes
/// (mostly not square) and values.
pub fn matmul(f: Matmul) -> Outcome {
    let strategy = (1usize..=5, 1usize..=5, 1usize..=5)
        .prop_flat_map(|(m, k, n)| (values(vec![m, k], -2.0, 2.0), values(vec![k, n], -2.0, 2.0)));
    let property = |(a, b): &(Tensor, Tensor)| {
        let (m, k, n) = (a.dim(0), a.dim(1), b.dim(1));
        let got = run("calling your matmul", || f(a.data(), b.data(), m, k, n))?;
        let case = format!("\n{}\n{}", show::named("A", a), show::named("B", b));
        if got.len() != m * n {
            return Err(Outcome::Failing(format!(
                "for A: [{m}, {k}] and B: [{k}, {n}] your matmul returned {} numbers; C is \
                 [{m}, {n}], so it should return {}{case}",
                got.len(),
                m * n
            )));
        }
        let want = tensor::matmul::matmul_naive(a.data(), b.data(), m, k, n);
        let (got, want) = (
            cases::tensor_of(got, &[m, n]),
            cases::tensor_of(want, &[m, n]),
        );
        close(
            "C = A·B",
            "the course's matmul_naive",
            &got,
            &want,
            1e-5,
            1e-5,
        )
        .map_err(|o| Outcome::Failing(format!("{}{case}", o.text())))
    };
    steps(|| Ok(vec![cases::check("C = A·B", 128, &strategy, property)?]))
}

/// Exercise 3's function: `g` summed down to `shape`, undoing a broadcast.
pub type SumTo = fn(&Tensor, &[usize]) -> Tensor;

/// Exercise 3: `sum_to(g, shape)` against `Tensor::sum_to`, for `g` of every broadcast shape
/// that `shape` can stretch to.
pub fn sum_to(f: SumTo) -> Outcome {
    let strategy = broadcast_shapes().prop_flat_map(|(a, b)| {
        let big = tensor::shape::broadcast_shape(&a, &b).expect("the pairs broadcast");
        (Just(a), values(big, -2.0, 2.0))
    });
    let strategy = prop_oneof![
        strategy,
        any_shape().prop_flat_map(|s| (Just(s.clone()), values(s, -2.0, 2.0)))
    ];
    let property = |(shape, g): &(Vec<usize>, Tensor)| {
        let got = run("calling your sum_to", || f(g, shape))?;
        let want = g.sum_to(shape);
        close(
            &format!("sum_to(g, {shape:?})"),
            "the course's Tensor::sum_to",
            &got,
            &want,
            1e-5,
            1e-5,
        )
        .map_err(|o| Outcome::Failing(format!("{}\n{}", o.text(), show::named("g", g))))
    };
    steps(|| Ok(vec![cases::check("sum_to", 256, &strategy, property)?]))
}
