//! Every op's backward rule, checked against finite differences on random inputs.
//!
//! Each test below is one op: proptest draws a shape (broadcasting pairs, scalars `[]`,
//! batches of one, non-square matrices) and values, and [`check_gradients`] compares the
//! gradient that `backward()` gives with the central difference
//! `(L(x + ε) − L(x − ε)) / 2ε` for every element of every input. Inputs are built to stay
//! away from the points where an op has a kink (`|x| ≥ 0.1` for `relu`, distinct values for
//! `max_pool2d`, ...), since there the derivative does not exist and the difference
//! quotient straddles two slopes.
//!
//! The last test is a tidy check: every `pub fn` of an `impl Var` block in `src/ops/` must
//! have a test of the same name here, so a new op cannot arrive without a gradient check.

use autograd::Var;
use autograd::gradcheck::check_gradients;
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};
use tensor::{Padding, Tensor, Window2d};

// ---------------------------------------------------------------------------------------
// Strategies: shapes and values.
// ---------------------------------------------------------------------------------------

/// A tensor of `shape` built from `values` (one per element).
fn tensor_of(values: Vec<f32>, shape: &[usize]) -> Tensor {
    Tensor::from_vec(values, shape).expect("the strategy makes one value per element")
}

/// Any shape of rank 0 to 3 (rank 0 is a scalar `[]`), each axis 1 to 4 long.
fn any_shape() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=4, 0..=3)
}

/// A shape of rank 1 to 3 and one of its axes.
fn shape_and_axis() -> impl Strategy<Value = (Vec<usize>, usize)> {
    prop::collection::vec(1usize..=4, 1..=3)
        .prop_flat_map(|shape| (0..shape.len()).prop_map(move |axis| (shape.clone(), axis)))
}

/// Values in `[−2, 2)`: where every smooth op is checked.
fn values(shape: Vec<usize>) -> impl Strategy<Value = Tensor> {
    let n: usize = shape.iter().product();
    prop::collection::vec(-2.0f32..2.0, n).prop_map(move |v| tensor_of(v, &shape))
}

/// Values with `0.1 ≤ |x| < 2`, either sign: away from the kink of relu-like ops at 0.
fn away_from_zero(shape: Vec<usize>) -> impl Strategy<Value = Tensor> {
    let n: usize = shape.iter().product();
    prop::collection::vec((0.1f32..2.0, any::<bool>()), n).prop_map(move |v| {
        let v = v.into_iter().map(|(m, neg)| if neg { -m } else { m });
        tensor_of(v.collect(), &shape)
    })
}

/// Values in `[0.5, 2)`: inside the domain of `ln`, `√` and `xᵖ`, away from its edge.
fn positive(shape: Vec<usize>) -> impl Strategy<Value = Tensor> {
    let n: usize = shape.iter().product();
    prop::collection::vec(0.5f32..2.0, n).prop_map(move |v| tensor_of(v, &shape))
}

/// Distinct values `0.1` apart in shuffled order: no two tie, and a nudge of `ε = 0.01`
/// cannot change which one is largest.
fn distinct(shape: Vec<usize>) -> impl Strategy<Value = Tensor> {
    let n: usize = shape.iter().product();
    let spaced: Vec<f32> = (0..n).map(|i| 0.1 * i as f32 - 0.05 * n as f32).collect();
    Just(spaced)
        .prop_shuffle()
        .prop_map(move |v| tensor_of(v, &shape))
}

/// Two shapes that broadcast together: equal, a row `[m]` against `[n, m]`, a column
/// `[n, 1]`, a `[1]`, a scalar `[]`, both stretched (`[1, m]` with `[n, 1]`), and 3-D.
fn broadcast_shapes() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    (1usize..=4, 1usize..=4, 1usize..=3, 0usize..9).prop_map(|(n, m, b, case)| match case {
        0 => (vec![n, m], vec![n, m]),
        1 => (vec![n, m], vec![m]),
        2 => (vec![n, m], vec![n, 1]),
        3 => (vec![n, m], vec![1]),
        4 => (vec![n, m], vec![]),
        5 => (vec![m], vec![n, m]),
        6 => (vec![1, m], vec![n, 1]),
        7 => (vec![], vec![]),
        _ => (vec![b, 1, m], vec![n, 1]),
    })
}

/// Two tensors of broadcasting shapes with values in `[−2, 2)`.
fn broadcast_pair() -> impl Strategy<Value = (Tensor, Tensor)> {
    broadcast_shapes().prop_flat_map(|(a, b)| (values(a), values(b)))
}

/// A numerator in `[−2, 2)` and a denominator with `1 ≤ |b| < 2`, broadcasting: the
/// quotient's third derivative `−6a/b⁴` stays small enough for `ε = 0.01`.
fn quotient_pair() -> impl Strategy<Value = (Tensor, Tensor)> {
    broadcast_shapes().prop_flat_map(|(a, b)| {
        let n: usize = b.iter().product();
        let b = prop::collection::vec((1.0f32..2.0, any::<bool>()), n).prop_map(move |v| {
            let v = v.into_iter().map(|(m, neg)| if neg { -m } else { m });
            tensor_of(v.collect(), &b)
        });
        (values(a), b)
    })
}

/// The leading (batch) axes of a matrix product: none, one (`[b]`) or two (`[b, h]`, as
/// attention's images and heads), each 1 to 3 long.
fn batch_axes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=3, 0..=2)
}

/// `[.., m, k]` and `[.., k, n]` with the same leading axes `..` (none, one or two); sides
/// 1 to 4, so most cases are not square.
fn matmul_pair() -> impl Strategy<Value = (Tensor, Tensor)> {
    (batch_axes(), 1usize..=4, 1usize..=4, 1usize..=4).prop_flat_map(|(batch, m, k, n)| {
        let a = [batch.clone(), vec![m, k]].concat();
        let b = [batch, vec![k, n]].concat();
        (values(a), values(b))
    })
}

/// A shape of rank 1 to 4 (rank 4 as attention's `[B, H, T, T]` scores) and one of its axes.
fn shape_and_axis_up_to_4d() -> impl Strategy<Value = (Vec<usize>, usize)> {
    prop::collection::vec(1usize..=3, 1..=4)
        .prop_flat_map(|shape| (0..shape.len()).prop_map(move |axis| (shape.clone(), axis)))
}

/// `x` moved at least `0.1` away from each of `points` (which must lie `≥ 0.5` apart, so a
/// move away from one cannot land near another).
fn away_from_points(x: Tensor, points: &[f32]) -> Tensor {
    x.map(|mut v| {
        for &p in points {
            if (v - p).abs() < 0.1 {
                v = if v >= p { p + 0.1 } else { p - 0.1 };
            }
        }
        v
    })
}

/// A convolution case: `x: [N, C, H, W]`, `w: [O, C, kh, kw]`, `b: [O]` and a window with
/// N 1–2, C 1–3, O 1–3, H, W 3–7, kernel sides 1–3, strides 1–2, padding 0–2 or "same".
fn conv_case() -> impl Strategy<Value = (Tensor, Tensor, Tensor, Window2d)> {
    let padding = prop_oneof![
        (0usize..=2, 0usize..=2).prop_map(|(ph, pw)| Padding::Explicit(ph, pw)),
        Just(Padding::Same),
    ];
    (
        (1usize..=2, 1usize..=3, 1usize..=3),
        (3usize..=7, 3usize..=7),
        (1usize..=3, 1usize..=3),
        (1usize..=2, 1usize..=2),
        padding,
    )
        .prop_flat_map(|((n, c, o), (h, w), kernel, stride, padding)| {
            let window = Window2d {
                kernel,
                stride,
                padding,
            };
            (
                values(vec![n, c, h, w]),
                values(vec![o, c, kernel.0, kernel.1]),
                values(vec![o]),
                Just(window),
            )
        })
}

/// A pooling case: distinct values in `[N, C, H, W]` (N 1–2, C 1–3, H, W 3–7) and a window
/// with sides 1–3, strides 1–3, and padding at most half the window (as PyTorch requires,
/// so every window holds a real pixel) or "same".
fn pool_case() -> impl Strategy<Value = (Tensor, Window2d)> {
    (
        (1usize..=2, 1usize..=3, 3usize..=7, 3usize..=7),
        (1usize..=3, 1usize..=3),
        (1usize..=3, 1usize..=3),
        any::<bool>(),
    )
        .prop_flat_map(|((n, c, h, w), kernel, stride, same)| {
            let padding = if same {
                Just(Padding::Same).boxed()
            } else {
                (0..=kernel.0 / 2, 0..=kernel.1 / 2)
                    .prop_map(|(ph, pw)| Padding::Explicit(ph, pw))
                    .boxed()
            };
            let window = padding.prop_map(move |padding| Window2d {
                kernel,
                stride,
                padding,
            });
            (distinct(vec![n, c, h, w]), window)
        })
}

// ---------------------------------------------------------------------------------------
// Arithmetic (src/ops/arith.rs). Broadcast inputs get the gradient summed over their copies.
// ---------------------------------------------------------------------------------------

proptest! {
    /// `y = a + b`: `∂y/∂a = 1`, `∂y/∂b = 1`.
    #[test]
    fn add((a, b) in broadcast_pair()) {
        prop_assert_eq!(check_gradients(&[a, b], |v| v[0].add(&v[1])), Ok(()));
    }

    /// `y = a − b`: `∂y/∂a = 1`, `∂y/∂b = −1`.
    #[test]
    fn sub((a, b) in broadcast_pair()) {
        prop_assert_eq!(check_gradients(&[a, b], |v| v[0].sub(&v[1])), Ok(()));
    }

    /// `y = a ⊙ b`: `∂y/∂a = b`, `∂y/∂b = a`.
    #[test]
    fn mul((a, b) in broadcast_pair()) {
        prop_assert_eq!(check_gradients(&[a, b], |v| v[0].mul(&v[1])), Ok(()));
    }

    /// `y = a / b`: `∂y/∂a = 1/b`, `∂y/∂b = −a/b²`.
    #[test]
    fn div((a, b) in quotient_pair()) {
        prop_assert_eq!(check_gradients(&[a, b], |v| v[0].div(&v[1])), Ok(()));
    }

    /// `y = −a`: `∂y/∂a = −1`.
    #[test]
    fn neg(a in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[a], |v| v[0].neg()), Ok(()));
    }

    /// `y = a + s`: `∂y/∂a = 1`.
    #[test]
    fn add_scalar(a in any_shape().prop_flat_map(values), s in -2.0f32..2.0) {
        prop_assert_eq!(check_gradients(&[a], |v| v[0].add_scalar(s)), Ok(()));
    }

    /// `y = a · s`: `∂y/∂a = s`.
    #[test]
    fn mul_scalar(a in any_shape().prop_flat_map(values), s in -2.0f32..2.0) {
        prop_assert_eq!(check_gradients(&[a], |v| v[0].mul_scalar(s)), Ok(()));
    }

    /// `y = s − a`: `∂y/∂a = −1`.
    #[test]
    fn rsub_scalar(a in any_shape().prop_flat_map(values), s in -2.0f32..2.0) {
        prop_assert_eq!(check_gradients(&[a], |v| v[0].rsub_scalar(s)), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Matrix products (src/ops/matmul.rs).
// ---------------------------------------------------------------------------------------

proptest! {
    /// `Y = A·B`: `dA = dY·Bᵀ`, `dB = Aᵀ·dY` per matrix (2-D, and batched over one or two
    /// leading axes).
    #[test]
    fn matmul((a, b) in matmul_pair()) {
        prop_assert_eq!(check_gradients(&[a, b], |v| v[0].matmul(&v[1])), Ok(()));
    }

    /// `Y = A·Bᵀ` with `A: [.., m, k]`, `B: [.., n, k]`: `dA = dY·B`, `dB = dYᵀ·A` per matrix
    /// (attention's `Q·Kᵀ` with two leading axes).
    #[test]
    fn matmul_bt(
        (a, b) in (batch_axes(), 1usize..=4, 1usize..=4, 1usize..=4)
            .prop_flat_map(|(batch, m, k, n)| {
                let a = [batch.clone(), vec![m, k]].concat();
                let b = [batch, vec![n, k]].concat();
                (values(a), values(b))
            })
    ) {
        prop_assert_eq!(check_gradients(&[a, b], |v| v[0].matmul_bt(&v[1])), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Element-wise functions (src/ops/unary.rs).
// ---------------------------------------------------------------------------------------

proptest! {
    /// `y = eˣ`: `f'(x) = eˣ`.
    #[test]
    fn exp(x in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].exp()), Ok(()));
    }

    /// `y = ln x` for `x ≥ 0.5`: `f'(x) = 1/x`.
    #[test]
    fn ln(x in any_shape().prop_flat_map(positive)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].ln()), Ok(()));
    }

    /// `y = xᵖ` for `x ≥ 0.5`, `p ∈ [−2, 3)`: `f'(x) = p·xᵖ⁻¹`.
    #[test]
    fn powf(x in any_shape().prop_flat_map(positive), p in -2.0f32..3.0) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].powf(p)), Ok(()));
    }

    /// `y = x²`: `f'(x) = 2x`.
    #[test]
    fn square(x in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].square()), Ok(()));
    }

    /// `y = √x` for `x ≥ 0.5`: `f'(x) = 1/(2√x)`.
    #[test]
    fn sqrt(x in any_shape().prop_flat_map(positive)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].sqrt()), Ok(()));
    }

    /// `y = |x|` for `|x| ≥ 0.1`: `f'(x) = sign(x)`.
    #[test]
    fn abs(x in any_shape().prop_flat_map(away_from_zero)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].abs()), Ok(()));
    }

    /// `y = clamp(x, lo, hi)` for `x` at least 0.1 from `lo` and `hi`: `f'(x) = 1` between
    /// them, 0 outside.
    #[test]
    fn clamp(
        x in any_shape().prop_flat_map(values),
        lo in -1.0f32..0.0,
        width in 0.5f32..1.5,
    ) {
        let hi = lo + width;
        let x = away_from_points(x, &[lo, hi]);
        prop_assert_eq!(check_gradients(&[x], |v| v[0].clamp(lo, hi)), Ok(()));
    }

    /// `y = ln(1 + eˣ)`: `f'(x) = σ(x)`.
    #[test]
    fn softplus(x in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].softplus()), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Activations (src/ops/activation.rs).
// ---------------------------------------------------------------------------------------

proptest! {
    /// `y = σ(x)`: `f'(x) = y(1 − y)`.
    #[test]
    fn sigmoid(x in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].sigmoid()), Ok(()));
    }

    /// `y = tanh x`: `f'(x) = 1 − y²`.
    #[test]
    fn tanh(x in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].tanh()), Ok(()));
    }

    /// `y = max(0, x)` for `|x| ≥ 0.1`: `f'(x) = 1` for `x > 0`, else 0.
    #[test]
    fn relu(x in any_shape().prop_flat_map(away_from_zero)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].relu()), Ok(()));
    }

    /// `y = x` or `slope·x` for `|x| ≥ 0.1`: `f'(x) = 1` or `slope`.
    #[test]
    fn leaky_relu(x in any_shape().prop_flat_map(away_from_zero), slope in 0.0f32..0.5) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].leaky_relu(slope)), Ok(()));
    }

    /// `y = x` or `a·x` for `|x| ≥ 0.1`, with one slope `[1]`, a scalar `[]`, or one slope
    /// per feature `[m]`: `∂y/∂x = 1` or `a`, `∂y/∂a = min(x, 0)` summed over shared uses.
    #[test]
    fn prelu(
        (x, a) in (1usize..=4, 1usize..=4, 0usize..3).prop_flat_map(|(n, m, case)| {
            let slope_shape = match case {
                0 => vec![1],
                1 => vec![],
                _ => vec![m],
            };
            (away_from_zero(vec![n, m]), values(slope_shape))
        })
    ) {
        prop_assert_eq!(check_gradients(&[x, a], |v| v[0].prelu(&v[1])), Ok(()));
    }

    /// `y_i = e^(x_i) / Σ_j e^(x_j)` along `axis`, up to 4-D: `∂L/∂x_i = y_i (g_i − Σ_j g_j y_j)`.
    #[test]
    fn softmax(
        (x, axis) in shape_and_axis_up_to_4d().prop_flat_map(|(s, axis)| (values(s), Just(axis)))
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].softmax(axis)), Ok(()));
    }

    /// `y = x·Φ(x)` on `[−4, 4)`, both tails and the dip: `f'(x) = Φ(x) + x·φ(x)`.
    #[test]
    fn gelu(
        x in any_shape().prop_flat_map(|shape| {
            let n: usize = shape.iter().product();
            prop::collection::vec(-4.0f32..4.0, n).prop_map(move |v| tensor_of(v, &shape))
        })
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].gelu()), Ok(()));
    }

    /// `y_i = x_i − log Σ_j e^(x_j)` along `axis`: `∂L/∂x_i = g_i − softmax(x)_i Σ_j g_j`.
    #[test]
    fn log_softmax(
        (x, axis) in shape_and_axis().prop_flat_map(|(s, axis)| (values(s), Just(axis)))
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].log_softmax(axis)), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Reductions (src/ops/reduce.rs).
// ---------------------------------------------------------------------------------------

proptest! {
    /// `y = Σ_i x_i`: `∂y/∂x_i = 1`.
    #[test]
    fn sum(x in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].sum()), Ok(()));
    }

    /// `y = (1/n) Σ_i x_i`: `∂y/∂x_i = 1/n`.
    #[test]
    fn mean(x in any_shape().prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].mean()), Ok(()));
    }

    /// `y = Σ_k x[.., k, ..]`, the axis kept or removed: `∂y/∂x[.., k, ..] = 1`.
    #[test]
    fn sum_axis(
        (x, axis) in shape_and_axis().prop_flat_map(|(s, axis)| (values(s), Just(axis))),
        keepdim in any::<bool>(),
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].sum_axis(axis, keepdim)), Ok(()));
    }

    /// `y = (1/d) Σ_k x[.., k, ..]`, the axis kept or removed: `∂y/∂x[.., k, ..] = 1/d`.
    #[test]
    fn mean_axis(
        (x, axis) in shape_and_axis().prop_flat_map(|(s, axis)| (values(s), Just(axis))),
        keepdim in any::<bool>(),
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].mean_axis(axis, keepdim)), Ok(()));
    }

    /// `y[n] = x[n, index[n]]`: `∂y[n]/∂x[n, index[n]] = 1`, 0 elsewhere.
    #[test]
    fn pick(
        (x, index) in (1usize..=4, 1usize..=5).prop_flat_map(|(n, c)| {
            (values(vec![n, c]), prop::collection::vec(0..c, n))
        })
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].pick(&index)), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Shape ops (src/ops/shape.rs): the numbers move, and their gradients move back.
// ---------------------------------------------------------------------------------------

proptest! {
    /// `[a, b, c]` reshaped to `[a·b, c]`, `[a, b·c]`, `[c, b, a]` or `[a·b·c]`: `∂L/∂x` is
    /// `∂L/∂y` reshaped back.
    #[test]
    fn reshape(
        (x, target) in (1usize..=4, 1usize..=4, 1usize..=4, 0usize..4).prop_flat_map(
            |(a, b, c, case)| {
                let target = match case {
                    0 => vec![a * b, c],
                    1 => vec![a, b * c],
                    2 => vec![c, b, a],
                    _ => vec![a * b * c],
                };
                (values(vec![a, b, c]), Just(target))
            }
        )
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].reshape(&target)), Ok(()));
    }

    /// `[N, d1, …, dk] → [N, d1·…·dk]`: a reshape, so the gradient is reshaped back.
    #[test]
    fn flatten(x in prop::collection::vec(1usize..=3, 1..=4).prop_flat_map(values)) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].flatten()), Ok(()));
    }

    /// Axes `a` and `b` swapped (rank 2 to 4): the gradient swaps them back.
    #[test]
    fn transpose(
        (x, a, b) in prop::collection::vec(1usize..=3, 2..=4).prop_flat_map(|s| {
            let rank = s.len();
            (values(s), 0..rank, 0..rank)
        })
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].transpose(a, b)), Ok(()));
    }

    /// Axes reordered by any permutation (rank 1 to 5, as `[B, T, 3, H, d] → [3, B, H, T, d]`
    /// does for attention's packed projection): the gradient goes through the inverse one.
    #[test]
    fn permute(
        (x, axes) in prop::collection::vec(1usize..=3, 1..=5).prop_flat_map(|s| {
            let order: Vec<usize> = (0..s.len()).collect();
            (values(s), Just(order).prop_shuffle())
        })
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].permute(&axes)), Ok(()));
    }

    /// A tensor repeated to a larger shape (new leading axes, and its length-1 axes
    /// stretched): each element's gradient is the sum over its copies.
    #[test]
    fn broadcast_to(
        (x, target) in (prop::collection::vec((1usize..=3, any::<bool>()), 1..=3), 0usize..=2)
            .prop_flat_map(|(axes, new_axes)| {
                // Each axis of the target has length n; x keeps it or has 1 in its place.
                let target: Vec<usize> = std::iter::repeat_n(2, new_axes)
                    .chain(axes.iter().map(|&(n, _)| n))
                    .collect();
                let shape: Vec<usize> =
                    axes.iter().map(|&(n, kept)| if kept { n } else { 1 }).collect();
                (values(shape), Just(target))
            })
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].broadcast_to(&target)), Ok(()));
    }

    /// Two or three tensors joined along `axis`: each gets its own slice of the gradient.
    #[test]
    fn concat(
        (xs, axis) in (shape_and_axis(), prop::collection::vec(1usize..=3, 2..=3))
            .prop_flat_map(|((shape, axis), lengths)| {
                let pieces: Vec<_> = lengths
                    .into_iter()
                    .map(|len| {
                        let mut s = shape.clone();
                        s[axis] = len;
                        values(s)
                    })
                    .collect();
                (pieces, Just(axis))
            })
    ) {
        let joined = |v: &[Var]| Var::concat(&v.iter().collect::<Vec<_>>(), axis);
        prop_assert_eq!(check_gradients(&xs, joined), Ok(()));
    }

    /// Entries `start .. start + len` along `axis`: gradient 1 inside, 0 outside.
    #[test]
    fn narrow(
        (x, axis, start, len) in shape_and_axis()
            .prop_flat_map(|(s, axis)| {
                let d = s[axis];
                (Just(s), Just(axis), 0..d)
            })
            .prop_flat_map(|(s, axis, start)| {
                let d = s[axis];
                (values(s), Just(axis), Just(start), 1..=d - start)
            })
    ) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].narrow(axis, start, len)), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Convolution and pooling (src/ops/conv.rs, pool.rs): slower, so fewer cases.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `y[n, o] = b[o] + Σ_c w[o, c] ⋆ x[n, c]`: `∂L/∂w = Σ_n dY_n·cols_nᵀ`,
    /// `∂L/∂x_n = col2im(Wᵀ·dY_n)`, `∂L/∂b[o] = Σ dY[·, o, ·, ·]`.
    #[test]
    fn conv2d((x, w, b, window) in conv_case()) {
        prop_assert_eq!(
            check_gradients(&[x.clone(), w.clone(), b], |v| v[0].conv2d(&v[1], Some(&v[2]), window)),
            Ok(())
        );
        // Without a bias: the same rule for `x` and `w`.
        prop_assert_eq!(
            check_gradients(&[x, w], |v| v[0].conv2d(&v[1], None, window)),
            Ok(())
        );
    }

    /// `y = max` over each window, with no ties: `∂y/∂x_i = 1` for the winner, else 0.
    #[test]
    fn max_pool2d((x, window) in pool_case()) {
        prop_assert_eq!(check_gradients(&[x], |v| v[0].max_pool2d(window)), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Batch normalisation (src/ops/batch_norm.rs).
// ---------------------------------------------------------------------------------------

/// A batch `[N, C, ...]` (`N·S ≥ 2` numbers per channel, rank 2 to 4), its `γ` and `β`, and
/// fixed statistics `(μ, σ²)` for evaluation.
#[allow(clippy::type_complexity)]
fn batch_norm_case() -> impl Strategy<Value = (Tensor, Tensor, Tensor, (Vec<f32>, Vec<f32>))> {
    (
        1usize..=3,
        1usize..=3,
        prop::collection::vec(1usize..=3, 0..=2),
    )
        .prop_filter("two numbers per channel", |(n, _, rest)| {
            n * rest.iter().product::<usize>() >= 2
        })
        .prop_flat_map(|(n, c, rest)| {
            let mut shape = vec![n, c];
            shape.extend(rest);
            let stats = (
                prop::collection::vec(-1.0f32..1.0, c),
                prop::collection::vec(0.5f32..2.0, c),
            );
            (values(shape), values(vec![c]), values(vec![c]), stats)
        })
}

proptest! {
    /// `y = γ·(x − μ)/√(σ² + ε) + β` with the batch's `μ`, `σ²`:
    /// `∂L/∂x = (γ·r/m)·(m·g − Σg − x̂·Σg·x̂)`, `∂L/∂γ = Σ g·x̂`, `∂L/∂β = Σ g`. (A channel
    /// whose numbers are nearly equal has a tiny `σ²` and a steep `x̂`; `ε = 0.1` keeps the
    /// finite differences meaningful there, the rule is the same for any `ε`.)
    #[test]
    fn batch_norm((x, gamma, beta, _) in batch_norm_case()) {
        prop_assert_eq!(
            check_gradients(&[x, gamma, beta], |v| v[0].batch_norm(&v[1], &v[2], 0.1).0),
            Ok(())
        );
    }

    /// `y = γ·(x − μ)·r + β` with fixed `μ`, `r = 1/√(σ² + ε)`: `∂L/∂x = γ·r·g`,
    /// `∂L/∂γ = Σ g·x̂`, `∂L/∂β = Σ g`.
    #[test]
    fn batch_norm_eval((x, gamma, beta, (mean, var)) in batch_norm_case()) {
        let f = |v: &[Var]| v[0].batch_norm_eval(&v[1], &v[2], (&mean, &var), 1e-5);
        prop_assert_eq!(check_gradients(&[x, gamma, beta], f), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Layer normalisation (src/ops/layer_norm.rs).
// ---------------------------------------------------------------------------------------

/// A shape `[..., D]` of rank 1 to 3 (D 1 to 5), its `γ` and `β` (`[D]`), with values in
/// `[−2, 2)`; and the same shape filled with distinct values 0.3 apart.
fn layer_norm_case() -> impl Strategy<Value = (Tensor, Tensor, Tensor, Tensor)> {
    (prop::collection::vec(1usize..=3, 0..=2), 1usize..=5).prop_flat_map(|(rows, d)| {
        let shape = [rows, vec![d]].concat();
        let spread = distinct(shape.clone()).prop_map(|x| x.mul_scalar(3.0));
        (values(shape), spread, values(vec![d]), values(vec![d]))
    })
}

proptest! {
    /// `y = γ·(x − μ)/√(σ² + ε) + β` per row: `∂L/∂x = (r/D)·(D·ĝ − Σĝ − x̂·Σĝ·x̂)` with
    /// `ĝ = γ·g`, `∂L/∂γ = Σ_rows g·x̂`, `∂L/∂β = Σ_rows g`. A row of nearly equal numbers has
    /// a tiny σ², and x̂ bends sharply within a ±0.01 nudge, where finite differences mean
    /// nothing; so any values are checked with ε = 0.1 (r ≤ √10), and PyTorch's ε = 1e-5 on
    /// rows of distinct values 0.3 apart. The rule is the same for any ε.
    #[test]
    fn layer_norm((x, spread, gamma, beta) in layer_norm_case()) {
        let any_values = [x, gamma.clone(), beta.clone()];
        let wide_eps = |v: &[Var]| v[0].layer_norm(&v[1], &v[2], 0.1);
        prop_assert_eq!(check_gradients(&any_values, wide_eps), Ok(()));
        let spread_out = [spread, gamma, beta];
        let torch_eps = |v: &[Var]| v[0].layer_norm(&v[1], &v[2], 1e-5);
        prop_assert_eq!(check_gradients(&spread_out, torch_eps), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Dropout (src/ops/dropout.rs).
// ---------------------------------------------------------------------------------------

proptest! {
    /// `y = x ⊙ m` with a fixed mask (the generator is seeded inside `f`, so every call
    /// draws the same one): `∂y/∂x = m`. In evaluation `y = x`, `∂y/∂x = 1`.
    #[test]
    fn dropout(x in any_shape().prop_flat_map(values), p in 0.1f32..0.9, seed in any::<u64>()) {
        let x = [x];
        let train = |v: &[Var]| v[0].dropout(p, true, &mut StdRng::seed_from_u64(seed));
        prop_assert_eq!(check_gradients(&x, train), Ok(()));
        let eval = |v: &[Var]| v[0].dropout(p, false, &mut StdRng::seed_from_u64(seed));
        prop_assert_eq!(check_gradients(&x, eval), Ok(()));
    }
}

// ---------------------------------------------------------------------------------------
// Tidy: every op has a test above.
// ---------------------------------------------------------------------------------------

/// The names of the `pub fn`s inside the `impl Var { … }` blocks of a rustfmt'd file.
fn ops_defined_in(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in source.lines() {
        if line.starts_with("impl Var {") {
            inside = true;
        } else if line == "}" {
            inside = false;
        } else if let Some(rest) = line.trim_start().strip_prefix("pub fn ")
            && inside
        {
            names.push(
                rest.split(['(', '<'])
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
    }
    names
}

/// The names of the test functions inside this file's `proptest! { … }` blocks.
fn proptests_in(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut inside = false;
    for line in source.lines() {
        if line.starts_with("proptest! {") {
            inside = true;
        } else if line == "}" {
            inside = false;
        } else if let Some(rest) = line.trim_start().strip_prefix("fn ")
            && inside
        {
            names.push(rest.split('(').next().unwrap_or_default().to_string());
        }
    }
    names
}

#[test]
fn every_op_has_a_gradient_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let tests = std::fs::read_to_string(root.join("tests/gradcheck_ops.rs"))
        .expect("read tests/gradcheck_ops.rs");
    let checked = proptests_in(&tests);

    let mut ops = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("src/ops"))
        .expect("read src/ops")
        .map(|entry| entry.expect("list src/ops").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for path in files {
        let source = std::fs::read_to_string(&path).expect("read an op file");
        for name in ops_defined_in(&source) {
            ops.push((
                name,
                path.file_name().unwrap().to_string_lossy().into_owned(),
            ));
        }
    }
    // A parse that finds nothing would pass vacuously; the ops above number 38.
    assert!(
        ops.len() >= 38,
        "found only {} ops in src/ops: {ops:?}",
        ops.len()
    );
    let unchecked: Vec<_> = ops
        .iter()
        .filter(|(name, _)| !checked.contains(name))
        .collect();
    assert!(
        unchecked.is_empty(),
        "ops without a `proptest!` gradient check in tests/gradcheck_ops.rs \
         (add a test fn named after the op): {unchecked:?}"
    );
}
