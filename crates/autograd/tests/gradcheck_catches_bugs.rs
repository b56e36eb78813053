//! Proof that [`check_gradients`] catches a wrong backward rule.
//!
//! A gradient check that passes everything would prove nothing. Here each op is written
//! twice with [`Var::from_op`], once with the textbook's backward rule and once with a
//! typical slip (a forgotten factor, a missing transpose, a lost sign); the check must
//! accept the first and reject the second.

use autograd::Var;
use autograd::gradcheck::check_gradients;
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;
use tensor::Transpose::{No, Yes};

fn random(shape: &[usize], seed: u64) -> Tensor {
    Tensor::rand_uniform(shape, -2.0, 2.0, &mut StdRng::seed_from_u64(seed))
}

/// `y = σ(x)` with the right rule: `∂L/∂x = g·y(1 − y)`.
fn sigmoid_right(x: &Var) -> Var {
    let y = x.value().sigmoid();
    Var::from_op("sigmoid_right", y, &[x], |g, y, _x| {
        vec![Some(g.mul(&y.map(|s| s * (1.0 - s))))]
    })
}

/// `y = σ(x)` with a bug: `∂L/∂x = g·y`, the factor `(1 − y)` forgotten.
fn sigmoid_wrong(x: &Var) -> Var {
    let y = x.value().sigmoid();
    Var::from_op("sigmoid_wrong", y, &[x], |g, y, _x| vec![Some(g.mul(y))])
}

/// `Y = A·B` with the right rules: `dA = dY·Bᵀ`, `dB = Aᵀ·dY`.
fn matmul_right(a: &Var, b: &Var) -> Var {
    let y = a.value().matmul(&b.value());
    Var::from_op("matmul_right", y, &[a, b], |g, _y, x| {
        let (a, b) = (x[0].value(), x[1].value());
        vec![Some(g.matmul_t(No, &b, Yes)), Some(a.matmul_t(Yes, g, No))]
    })
}

/// `Y = A·B` with a bug: `dA = dY·B`, the transpose forgotten. The shapes still fit when
/// `B` is square, so only the numbers can give it away.
fn matmul_wrong(a: &Var, b: &Var) -> Var {
    let y = a.value().matmul(&b.value());
    Var::from_op("matmul_wrong", y, &[a, b], |g, _y, x| {
        let (a, b) = (x[0].value(), x[1].value());
        vec![Some(g.matmul(&b)), Some(a.matmul_t(Yes, g, No))]
    })
}

/// `y = a − b` with a bug: `∂y/∂b = +1` instead of `−1`.
fn sub_wrong(a: &Var, b: &Var) -> Var {
    let y = a.value().sub(&b.value());
    Var::from_op("sub_wrong", y, &[a, b], |g, _y, _x| {
        vec![Some(g.clone()), Some(g.clone())]
    })
}

/// Layer normalisation of `x: [rows, D]` without `γ` and `β` (`y = x̂`), whose rule treats
/// the row's `σ` as a constant: `∂L/∂x = (r/D)·(D·g − Σg)` — the `x̂·Σ g·x̂` term, the path
/// through `σ²`, forgotten. (With it, the rule is `Var::layer_norm`'s.)
fn layer_norm_without_the_variance_path(x: &Var) -> Var {
    use tensor::layer_norm::{normalize, row_stats};
    let d = x.value().dim(1);
    let (mean, inv_std) = row_stats(&x.value(), 1e-5);
    let y = normalize(&x.value(), &mean, &inv_std, &vec![1.0; d], &vec![0.0; d]);
    Var::from_op("layer_norm_wrong", y, &[x], move |g, _y, _x| {
        let row_sums = g.sum_axis(1, true);
        let r = Tensor::from_vec(inv_std.clone(), &[inv_std.len(), 1]).unwrap();
        vec![Some(
            g.mul_scalar(d as f32)
                .sub(&row_sums)
                .mul(&r)
                .div_scalar(d as f32),
        )]
    })
}

#[test]
fn a_sigmoid_missing_its_one_minus_y_factor_is_caught() {
    let x = [random(&[3, 4], 1)];
    assert_eq!(check_gradients(&x, |v| sigmoid_right(&v[0])), Ok(()));

    let mismatch =
        check_gradients(&x, |v| sigmoid_wrong(&v[0])).expect_err("the check must reject ∂σ/∂x = y");
    println!("caught: {mismatch}");
    // The wrong rule gives g·y where the right one gives g·y(1 − y): their ratio at the
    // reported element is 1/(1 − y).
    let y = tensor::sigmoid(x[0].data()[mismatch.element]);
    let ratio = mismatch.analytic / mismatch.numeric;
    assert!(
        (ratio - 1.0 / (1.0 - y)).abs() < 1e-2,
        "ratio {ratio}, expected 1/(1 − {y})"
    );
}

#[test]
fn a_matmul_missing_a_transpose_is_caught() {
    // A: [2, 3], B: [3, 3] (square, so dY·B has the shape of A; B is not symmetric).
    let ab = [random(&[2, 3], 2), random(&[3, 3], 3)];
    assert_eq!(check_gradients(&ab, |v| matmul_right(&v[0], &v[1])), Ok(()));

    let mismatch = check_gradients(&ab, |v| matmul_wrong(&v[0], &v[1]))
        .expect_err("the check must reject dA = dY·B");
    println!("caught: {mismatch}");
    assert_eq!(
        mismatch.input, 0,
        "the bug is in A's gradient, B's is right"
    );
}

#[test]
fn a_layer_norm_that_forgets_the_variance_depends_on_x_is_caught() {
    // Rows of 4 spread-out values, so the finite differences are trustworthy; the right rule
    // passes on them.
    let x = [random(&[3, 4], 6).mul_scalar(2.0)];
    let ones = Var::constant(Tensor::ones(&[4]));
    let zeros = Var::constant(Tensor::zeros(&[4]));
    let right = |v: &[Var]| v[0].layer_norm(&ones, &zeros, 1e-5);
    assert_eq!(check_gradients(&x, right), Ok(()));

    let mismatch = check_gradients(&x, |v| layer_norm_without_the_variance_path(&v[0]))
        .expect_err("the check must reject a layer norm rule without the x̂·Σ g·x̂ term");
    println!("caught: {mismatch}");
}

#[test]
fn a_sub_with_the_wrong_sign_is_caught() {
    let (a, b) = (random(&[2, 2], 4), random(&[2, 2], 5));
    let mismatch = check_gradients(&[a, b], |v| sub_wrong(&v[0], &v[1]))
        .expect_err("the check must reject ∂(a − b)/∂b = +1");
    println!("caught: {mismatch}");
    // ∂L/∂b should be −r; the bug gives +r: same size, opposite sign.
    assert_eq!(mismatch.input, 1);
    assert!((mismatch.analytic + mismatch.numeric).abs() < 1e-3);
}

#[test]
fn a_nan_fails_the_check() {
    // ln x for x < 0 is NaN, so the finite difference is NaN while backward's 1/x is a
    // finite number. A NaN compares as "not greater" than any tolerance; the check must
    // still refuse it rather than report agreement.
    let x = [Tensor::from_vec(vec![-1.0, -2.0], &[2]).unwrap()];
    let mismatch = check_gradients(&x, |v| v[0].ln()).expect_err("the check must not pass a NaN");
    println!("caught: {mismatch}");
    assert!(mismatch.numeric.is_nan());
}
