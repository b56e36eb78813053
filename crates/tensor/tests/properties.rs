//! Properties of the tensor ops and their kernels over random shapes and values (proptest).
//!
//! Each fast kernel of `tensor::kernels` is checked against the plain code it stands in
//! for: the parallel maps and the row broadcast against `broadcast_zip_naive` (bit for bit),
//! the polynomial `tanh` against `f32::tanh` (3 ulp), the GEMM against the triple loop,
//! the line-wise `im2col`/`col2im` against the entry-wise ones (bit for bit), `im2col` +
//! GEMM convolution against seven nested loops, the fast pooling against the naive one,
//! and the backward passes against the adjoint identity `⟨A x, y⟩ = ⟨x, Aᵀ y⟩` or a naive
//! backward loop written here. Broadcasting itself is checked against index arithmetic.

use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::{SeedableRng, rngs::StdRng};
use tensor::conv::{conv2d, conv2d_backward, conv2d_naive};
use tensor::im2col::{col2im_naive, im2col_naive};
use tensor::kernels::im2col::{col2im, im2col};
use tensor::kernels::{conv, conv_direct, conv_rows};
use tensor::matmul::matmul_naive;
use tensor::pool::{max_pool2d, max_pool2d_backward};
use tensor::shape::{numel, strides};
use tensor::{Geometry, Padding, Tensor, Transpose, Window2d, broadcast_zip, broadcast_zip_naive};

/// The tolerance of every approximate comparison in this file: `|a − b| ≤ TOL·(1 + |b|)`.
/// Sums of at most a few hundred products of numbers in `[−1, 1]` round to far less.
const TOL: f32 = 1e-4;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(256)
}

/// Asserts `|a − b| ≤ TOL·(1 + |b|)` element by element, and equal shapes.
fn assert_close(what: &str, a: &Tensor, b: &Tensor) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.shape(), b.shape(), "{}: shapes differ", what);
    for (i, (&x, &y)) in a.data().iter().zip(b.data()).enumerate() {
        prop_assert!(
            (x - y).abs() <= TOL * (1.0 + y.abs()),
            "{}: element {} is {} but should be {}",
            what,
            i,
            x,
            y
        );
    }
    Ok(())
}

/// `⟨a, b⟩ = Σ a_i b_i`, summed in f64.
fn dot(a: &Tensor, b: &Tensor) -> f64 {
    assert_eq!(a.shape(), b.shape());
    a.data()
        .iter()
        .zip(b.data())
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum()
}

/// Asserts two inner products agree to `TOL`, relative to the size of their terms.
fn assert_same_dot(what: &str, lhs: f64, rhs: f64, scale: f64) -> Result<(), TestCaseError> {
    prop_assert!(
        (lhs - rhs).abs() <= f64::from(TOL) * (1.0 + scale),
        "{}: ⟨Ax, y⟩ = {} but ⟨x, Aᵀy⟩ = {}",
        what,
        lhs,
        rhs
    );
    Ok(())
}

/// A tensor of `shape` with values uniform in `[−1, 1)` drawn from `rng`.
fn random(shape: &[usize], rng: &mut StdRng) -> Tensor {
    Tensor::rand_uniform(shape, -1.0, 1.0, rng)
}

/// The multi-index of row-major offset `flat` in `shape`.
fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for k in (0..shape.len()).rev() {
        index[k] = flat % shape[k];
        flat /= shape[k];
    }
    index
}

// ---------------------------------------------------------------------------------------
// Broadcasting and sum_to
// ---------------------------------------------------------------------------------------

/// A shape that broadcasts to `out`: a suffix of `out` with some lengths replaced by 1.
fn operand_shape(out: Vec<usize>) -> impl Strategy<Value = Vec<usize>> {
    let r = out.len();
    (0..=r, prop::collection::vec(any::<bool>(), r)).prop_map(move |(drop, ones)| {
        out.iter()
            .zip(&ones)
            .skip(drop)
            .map(|(&d, &one)| if one { 1 } else { d })
            .collect()
    })
}

/// Two shapes that broadcast together (both cut from one random shape of rank ≤ 4), and
/// a seed for their values.
fn broadcast_pair() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, u64)> {
    prop::collection::vec(1usize..5, 0..5)
        .prop_flat_map(|out| (operand_shape(out.clone()), operand_shape(out), any::<u64>()))
}

/// The broadcast shape, worked out here independently of the crate: align at the right;
/// a missing axis counts as 1; the pair is `(d, d)`, `(1, d)` or `(d, 1)`, giving `d`.
fn expected_shape(a: &[usize], b: &[usize]) -> Vec<usize> {
    let r = a.len().max(b.len());
    let aligned = |s: &[usize], k: usize| {
        if k + s.len() >= r {
            s[k + s.len() - r]
        } else {
            1
        }
    };
    (0..r).map(|k| aligned(a, k).max(aligned(b, k))).collect()
}

/// `x` copied out to `shape` by index arithmetic: `y[i] = x[j]` with `j_k = i_k` where `x`
/// has the axis at full length and `j_k = 0` where its length is 1 (missing leading axes
/// are dropped).
fn expand(x: &Tensor, shape: &[usize]) -> Tensor {
    let lead = shape.len() - x.ndim();
    let xs = strides(x.shape());
    let data = (0..numel(shape))
        .map(|flat| {
            let index = unravel(flat, shape);
            let offset: usize = (0..x.ndim())
                .map(|k| {
                    if x.shape()[k] == 1 {
                        0
                    } else {
                        index[lead + k] * xs[k]
                    }
                })
                .sum();
            x.data()[offset]
        })
        .collect();
    Tensor::from_vec(data, shape).unwrap()
}

proptest! {
    #![proptest_config(config())]

    /// `a ⊙ b` with broadcasting equals `expand(a) ⊙ expand(b)` element by element, bit for
    /// bit (the same f32 operation on the same two numbers).
    #[test]
    fn broadcasting_agrees_with_explicit_expansion((sa, sb, seed) in broadcast_pair()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let (a, b) = (random(&sa, &mut rng), random(&sb, &mut rng));
        let shape = expected_shape(&sa, &sb);
        let (ea, eb) = (expand(&a, &shape), expand(&b, &shape));
        prop_assert_eq!(a.add(&b), ea.zip_map(&eb, "add", |x, y| x + y));
        prop_assert_eq!(a.sub(&b), ea.zip_map(&eb, "sub", |x, y| x - y));
        prop_assert_eq!(a.mul(&b), ea.zip_map(&eb, "mul", |x, y| x * y));
        prop_assert_eq!(a.div(&b), ea.zip_map(&eb, "div", |x, y| x / y));
        prop_assert_eq!(a.maximum(&b), ea.zip_map(&eb, "max", f32::max));
        prop_assert_eq!(a.gt(&b), ea.zip_map(&eb, "gt", |x, y| f32::from(u8::from(x > y))));
    }

    /// `sum_to` is the adjoint of broadcasting: `⟨expand(x), y⟩ = ⟨x, sum_to(y, shape x)⟩`
    /// for every `y` of the broadcast shape. (This is why it is the gradient of a broadcast.)
    #[test]
    fn sum_to_is_the_adjoint_of_broadcasting((sx, sy, seed) in broadcast_pair()) {
        let shape = expected_shape(&sx, &sy);
        let mut rng = StdRng::seed_from_u64(seed);
        let (x, y) = (random(&sx, &mut rng), random(&shape, &mut rng));
        let back = y.sum_to(&sx);
        prop_assert_eq!(back.shape(), &sx[..]);
        let scale = y.numel() as f64;
        assert_same_dot("sum_to", dot(&expand(&x, &shape), &y), dot(&x, &back), scale)?;
        // sum_to(broadcast(x) · 1) counts how many copies of each x were made.
        let copies = (numel(&shape) / numel(&sx).max(1)) as f32;
        let ones = Tensor::ones(&shape);
        assert_close("sum_to of ones", &ones.sum_to(&sx), &Tensor::full(&sx, copies))?;
    }

    /// `permute(axes)` then `permute(inverse)` gives back `x`, and `y[i] = x[j]` with
    /// `j[axes[k]] = i[k]`.
    #[test]
    fn permute_then_inverse_is_identity(
        (shape, axes, seed) in prop::collection::vec(1usize..5, 0..6).prop_flat_map(|shape| {
            let n = shape.len();
            (Just(shape), Just((0..n).collect::<Vec<_>>()).prop_shuffle(), any::<u64>())
        })
    ) {
        let x = random(&shape, &mut StdRng::seed_from_u64(seed));
        let y = x.permute(&axes);
        let mut inverse = vec![0; axes.len()];
        for (k, &a) in axes.iter().enumerate() {
            inverse[a] = k;
        }
        prop_assert_eq!(y.permute(&inverse), x.clone());
        for flat in 0..y.numel() {
            let i = unravel(flat, y.shape());
            let mut j = vec![0; i.len()];
            for (k, &a) in axes.iter().enumerate() {
                j[a] = i[k];
            }
            prop_assert_eq!(y.data()[flat], x.at(&j));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Matrix products
// ---------------------------------------------------------------------------------------

/// `(batch, m, k, n, ta, tb, seed)`: an optional batch length, the product's sizes, and
/// whether each operand is stored transposed.
type MatmulCase = (Option<usize>, usize, usize, usize, bool, bool, u64);

fn matmul_case() -> impl Strategy<Value = MatmulCase> {
    (
        prop::option::of(1usize..4),
        1usize..40,
        0usize..40,
        1usize..40,
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    )
}

/// The stored shape of an operand that is `op(X) = [r, c]`: `[c, r]` if transposed.
fn stored(batch: Option<usize>, r: usize, c: usize, transposed: bool) -> Vec<usize> {
    let mut s: Vec<usize> = batch.into_iter().collect();
    s.extend(if transposed { [c, r] } else { [r, c] });
    s
}

fn flag(t: bool) -> Transpose {
    if t { Transpose::Yes } else { Transpose::No }
}

proptest! {
    #![proptest_config(config())]

    /// `matmul_t(op(A), op(B))` for all four transpose combinations, 2-D and batched,
    /// equals `matmul_naive` on explicitly transposed copies, batch by batch.
    #[test]
    fn matmul_agrees_with_the_triple_loop((batch, m, k, n, ta, tb, seed) in matmul_case()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let a = random(&stored(batch, m, k, ta), &mut rng);
        let b = random(&stored(batch, k, n, tb), &mut rng);
        let c = a.matmul_t(flag(ta), &b, flag(tb));
        // The plain matrices op(A) [m, k] and op(B) [k, n] of batch i.
        let plain = |x: &Tensor, i: usize, r: usize, cols: usize, t: bool| {
            let xi = match batch {
                Some(_) => x.select_rows(&[i]).reshape(&x.shape()[1..]),
                None => x.clone(),
            };
            if t { xi.t() } else { xi.reshape(&[r, cols]) }
        };
        let mut expected = Vec::new();
        for i in 0..batch.unwrap_or(1) {
            let (ai, bi) = (plain(&a, i, m, k, ta), plain(&b, i, k, n, tb));
            expected.extend(matmul_naive(ai.data(), bi.data(), m, k, n));
        }
        let mut shape: Vec<usize> = batch.into_iter().collect();
        shape.extend([m, n]);
        assert_close("matmul", &c, &Tensor::from_vec(expected, &shape).unwrap())?;
    }
}

// ---------------------------------------------------------------------------------------
// Convolution
// ---------------------------------------------------------------------------------------

/// A random convolution: `(x shape [N, C, H, W], O, window, seed)`, with explicit padding
/// 0–2 per axis or "same", stride 1–2 and a kernel of 1–4 per axis that fits the padded input.
fn conv_case() -> impl Strategy<Value = ([usize; 4], usize, Window2d, u64)> {
    (
        (1usize..4, 1usize..4, 1usize..4, 1usize..10, 1usize..10),
        (1usize..5, 1usize..5, 1usize..3, 1usize..3),
        prop::option::of((0usize..3, 0usize..3)),
        any::<u64>(),
    )
        .prop_map(|((n, c, o, h, w), (kh, kw, sh, sw), pad, seed)| {
            let (kernel, padding) = match pad {
                Some((ph, pw)) => (
                    (kh.min(h + 2 * ph), kw.min(w + 2 * pw)),
                    Padding::Explicit(ph, pw),
                ),
                None => ((kh, kw), Padding::Same),
            };
            let window = Window2d {
                kernel,
                stride: (sh, sw),
                padding,
            };
            ([n, c, h, w], o, window, seed)
        })
}

/// The backward pass of a convolution written straight from the forward sum
/// `y[n, o, oy, ox] = b[o] + Σ w[o, c, ki, kj]·x[n, c, iy, ix]`: each term sends
/// `dy·x` to `dw`, `dy·w` to `dx`, and each output sends `dy` to `db`.
fn conv2d_backward_naive(
    x: &Tensor,
    w: &Tensor,
    dy: &Tensor,
    window: &Window2d,
) -> (Tensor, Tensor, Tensor) {
    let [n, c, h, wd] = x.shape().try_into().unwrap();
    let (o, kh, kw) = (w.dim(0), w.dim(2), w.dim(3));
    let g = window.geometry("naive", h, wd);
    let (mut dx, mut dw, mut db) = (
        Tensor::zeros(x.shape()),
        Tensor::zeros(w.shape()),
        Tensor::zeros(&[o]),
    );
    for ni in 0..n {
        for oi in 0..o {
            for oy in 0..g.out_h {
                for ox in 0..g.out_w {
                    let d = dy.at(&[ni, oi, oy, ox]);
                    db.data_mut()[oi] += d;
                    for ci in 0..c {
                        for ki in 0..kh {
                            for kj in 0..kw {
                                let (Some(iy), Some(ix)) =
                                    (g.input_row(oy, ki), g.input_col(ox, kj))
                                else {
                                    continue;
                                };
                                let (xi, wi) = ([ni, ci, iy, ix], [oi, ci, ki, kj]);
                                dw.set(&wi, dw.at(&wi) + d * x.at(&xi));
                                dx.set(&xi, dx.at(&xi) + d * w.at(&wi));
                            }
                        }
                    }
                }
            }
        }
    }
    (dx, dw, db)
}

proptest! {
    #![proptest_config(config())]

    /// `im2col` + GEMM convolution equals the six nested loops of `conv2d_naive`.
    #[test]
    fn conv2d_agrees_with_naive((xs, o, window, seed) in conv_case(), with_bias in any::<bool>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let x = random(&xs, &mut rng);
        let w = random(&[o, xs[1], window.kernel.0, window.kernel.1], &mut rng);
        let b = random(&[o], &mut rng);
        let b = with_bias.then_some(&b);
        let y = conv2d(&x, &w, b, &window);
        let g = window.geometry("conv2d", xs[2], xs[3]);
        prop_assert_eq!(y.shape(), &[xs[0], o, g.out_h, g.out_w][..]);
        assert_close("conv2d", &y, &conv2d_naive(&x, &w, b, &window))?;
    }

    /// The line-wise `im2col` and `col2im` kernels write exactly what the entry-wise
    /// definitions write (each sum of `col2im` adds the same terms in the same order).
    #[test]
    fn im2col_kernels_equal_the_naive_ones((xs, _o, window, seed) in conv_case()) {
        let [_, c, h, w] = xs;
        let g = window.geometry("im2col", h, w);
        let n = c * g.kh * g.kw * g.out_h * g.out_w;
        let mut rng = StdRng::seed_from_u64(seed);
        let x = random(&[c, h, w], &mut rng);
        let (mut fast, mut naive) = (vec![f32::NAN; n], vec![f32::NAN; n]);
        im2col(x.data(), c, &g, &mut fast);
        im2col_naive(x.data(), c, &g, &mut naive);
        prop_assert_eq!(&fast, &naive);
        let (mut dx_fast, mut dx_naive) = (x.data().to_vec(), x.data().to_vec());
        col2im(&fast, c, &g, &mut dx_fast);
        col2im_naive(&fast, c, &g, &mut dx_naive);
        prop_assert_eq!(dx_fast, dx_naive);
    }

    /// `col2im` is the adjoint of `im2col`: `⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩` for all `x`, `y`.
    #[test]
    fn col2im_is_the_adjoint_of_im2col((xs, _o, window, seed) in conv_case()) {
        let [_, c, h, w] = xs;
        let g = window.geometry("im2col", h, w);
        let rows = c * g.kh * g.kw;
        let l = g.out_h * g.out_w;
        let mut rng = StdRng::seed_from_u64(seed);
        let x = random(&[c, h, w], &mut rng);
        let y = random(&[rows, l], &mut rng);
        let mut cols = vec![0.0; rows * l];
        im2col(x.data(), c, &g, &mut cols);
        let mut back = vec![0.0; c * h * w];
        col2im(y.data(), c, &g, &mut back);
        let cols = Tensor::from_vec(cols, &[rows, l]).unwrap();
        let back = Tensor::from_vec(back, &[c, h, w]).unwrap();
        assert_same_dot("im2col", dot(&cols, &y), dot(&x, &back), (rows * l) as f64)?;
    }

    /// `conv2d_backward` equals the naive backward loop above.
    #[test]
    fn conv2d_backward_agrees_with_naive((xs, o, window, seed) in conv_case()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let x = random(&xs, &mut rng);
        let w = random(&[o, xs[1], window.kernel.0, window.kernel.1], &mut rng);
        let g = window.geometry("conv2d", xs[2], xs[3]);
        let dy = random(&[xs[0], o, g.out_h, g.out_w], &mut rng);
        let (dx, dw, db) = conv2d_backward(&x, &w, &dy, &window);
        let (dx_naive, dw_naive, db_naive) = conv2d_backward_naive(&x, &w, &dy, &window);
        assert_close("dx", &dx, &dx_naive)?;
        assert_close("dw", &dw, &dw_naive)?;
        assert_close("db", &db, &db_naive)?;
    }
}

/// A random convolution of the kind the channels-last kernels take (`conv_rows::applies`):
/// stride 1, up to 20 channels in and 36 out (more than one panel of 16, and not a multiple
/// of it), kernels of 1–5 with padding below the kernel or "same", and up to 20 images (more
/// than one chunk).
fn fast_conv_case() -> impl Strategy<Value = ([usize; 4], usize, Window2d, u64)> {
    (
        (1usize..21, 1usize..21, 1usize..37, 1usize..9, 1usize..9),
        (1usize..6, 1usize..6),
        prop::option::of((0usize..5, 0usize..5)),
        any::<u64>(),
    )
        .prop_map(|((n, c, o, h, w), (kh, kw), pad, seed)| {
            let (kh, kw) = (kh.min(h + 4), kw.min(w + 4));
            let padding = match pad {
                // Explicit padding below the kernel, and enough for the window to fit.
                Some((ph, pw)) => Padding::Explicit(
                    (ph % kh).max(kh.saturating_sub(h).div_ceil(2)).min(kh - 1),
                    (pw % kw).max(kw.saturating_sub(w).div_ceil(2)).min(kw - 1),
                ),
                None => Padding::Same,
            };
            let window = Window2d {
                kernel: (kh, kw),
                stride: (1, 1),
                padding,
            };
            ([n, c, h, w], o, window, seed)
        })
        .prop_filter("the window fits the padded input", |(xs, _, window, _)| {
            let Padding::Explicit(ph, pw) = window.padding else {
                return true;
            };
            xs[2] + 2 * ph >= window.kernel.0 && xs[3] + 2 * pw >= window.kernel.1
        })
}

type ConvForward = fn(&[f32], &[f32], Option<&[f32]>, (usize, usize, usize), &Geometry) -> Vec<f32>;
type ConvBackward = fn(
    &[f32],
    &[f32],
    &[f32],
    (usize, usize, usize),
    &Geometry,
    bool,
) -> (Option<Vec<f32>>, Vec<f32>, Vec<f32>);

/// Every convolution kernel this CPU can run, by name: the direct AVX2 kernel where the CPU
/// has AVX2 and FMA, the channels-last rows with the `gemm` crate, and `im2col`.
fn conv_paths() -> Vec<(&'static str, ConvForward, ConvBackward)> {
    let mut paths: Vec<(&'static str, ConvForward, ConvBackward)> = vec![
        ("rows", conv_rows::forward, conv_rows::backward),
        ("im2col", conv::im2col_forward, conv::im2col_backward),
    ];
    if conv_direct::available() {
        paths.push(("direct", conv_direct::forward, conv_direct::backward));
    }
    paths
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Each convolution kernel this CPU can run equals the nested loops, forward and
    /// backward, with and without the input gradient.
    #[test]
    fn every_conv_kernel_agrees_with_naive((xs, o, window, seed) in fast_conv_case()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let [n, c, h, wd] = xs;
        let x = random(&xs, &mut rng);
        let w = random(&[o, c, window.kernel.0, window.kernel.1], &mut rng);
        let b = random(&[o], &mut rng);
        let g = window.geometry("conv2d", h, wd);
        prop_assert!(conv_rows::applies(c, &g) || c * g.kw < 8);
        let dy = random(&[n, o, g.out_h, g.out_w], &mut rng);
        let y_naive = conv2d_naive(&x, &w, Some(&b), &window);
        let (dx_naive, dw_naive, db_naive) = conv2d_backward_naive(&x, &w, &dy, &window);
        for (name, forward, backward) in conv_paths() {
            if name != "im2col" && !conv_rows::applies(c, &g) {
                continue;
            }
            let t = |v: Vec<f32>, shape: &[usize]| Tensor::from_vec(v, shape).unwrap();
            let y = forward(x.data(), w.data(), Some(b.data()), (n, c, o), &g);
            assert_close(&format!("{name} forward"), &t(y, y_naive.shape()), &y_naive)?;
            let (dx, dw, db) = backward(x.data(), w.data(), dy.data(), (n, c, o), &g, true);
            assert_close(&format!("{name} dx"), &t(dx.unwrap(), &xs), &dx_naive)?;
            assert_close(&format!("{name} dw"), &t(dw, w.shape()), &dw_naive)?;
            assert_close(&format!("{name} db"), &t(db, &[o]), &db_naive)?;
            let (none, dw2, _) = backward(x.data(), w.data(), dy.data(), (n, c, o), &g, false);
            prop_assert!(none.is_none());
            assert_close(&format!("{name} dw without dx"), &t(dw2, w.shape()), &dw_naive)?;
        }
    }
}

/// Each convolution kernel gives the same bits on one thread as on two: the chunks are fixed
/// by the shapes and their partial sums added in order.
#[test]
fn every_conv_kernel_gives_the_same_bits_on_one_and_two_threads() {
    let mut rng = StdRng::seed_from_u64(7);
    let (n, c, o) = (37, 16, 32);
    let x = random(&[n, c, 9, 9], &mut rng);
    let w = random(&[o, c, 5, 5], &mut rng);
    let b = random(&[o], &mut rng);
    let g = Window2d::same(5, 1).geometry("conv2d", 9, 9);
    let dy = random(&[n, o, 9, 9], &mut rng);
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    };
    for (name, forward, backward) in conv_paths() {
        let run = || {
            let y = forward(x.data(), w.data(), Some(b.data()), (n, c, o), &g);
            (
                y,
                backward(x.data(), w.data(), dy.data(), (n, c, o), &g, true),
            )
        };
        let one = pool(1).install(run);
        let two = pool(2).install(run);
        assert!(one == two, "{name}: 1 and 2 threads give different bits");
    }
}

// ---------------------------------------------------------------------------------------
// Max pooling
// ---------------------------------------------------------------------------------------

/// A random pooling: `(x shape, window, seed)` with a kernel of 1–3, stride 1–3 and
/// explicit padding of at most half the kernel, or "same".
fn pool_case() -> impl Strategy<Value = ([usize; 4], Window2d, u64)> {
    (
        (1usize..3, 1usize..4, 1usize..9, 1usize..9),
        (1usize..4, 1usize..4, 1usize..4, 1usize..4),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|((n, c, h, w), (kh, kw, sh, sw), same, seed)| {
            let (kh, kw) = (kh.min(h), kw.min(w));
            let padding = if same {
                Padding::Same
            } else {
                Padding::Explicit(kh / 2, kw / 2)
            };
            let window = Window2d {
                kernel: (kh, kw),
                stride: (sh, sw),
                padding,
            };
            ([n, c, h, w], window, seed)
        })
}

proptest! {
    #![proptest_config(config())]

    /// `max_pool2d` equals a naive loop over each window's pixels inside the image, its
    /// argmax names that pixel, and the backward pass sends each `dy` to it. The values
    /// are a shuffled `0, 1, 2, …` so no window has a tie.
    #[test]
    fn max_pool_agrees_with_naive_and_routes_gradient_to_argmax((xs, window, seed) in pool_case()) {
        let [n, c, h, w] = xs;
        let mut rng = StdRng::seed_from_u64(seed);
        let mut values: Vec<f32> = (0..n * c * h * w).map(|v| v as f32 - 50.0).collect();
        values.shuffle(&mut rng);
        let x = Tensor::from_vec(values, &xs).unwrap();
        let pool = max_pool2d(&x, &window);
        let g = window.geometry("pool", h, w);
        prop_assert_eq!(pool.y.shape(), &[n, c, g.out_h, g.out_w][..]);
        let dy = random(pool.y.shape(), &mut rng);
        let mut dx = Tensor::zeros(&xs);
        for (flat, &d) in dy.data().iter().enumerate() {
            let [ni, ci, oy, ox] = unravel(flat, pool.y.shape()).try_into().unwrap();
            let mut best: Option<([usize; 4], f32)> = None;
            for ki in 0..g.kh {
                for kj in 0..g.kw {
                    if let (Some(iy), Some(ix)) = (g.input_row(oy, ki), g.input_col(ox, kj)) {
                        let v = x.at(&[ni, ci, iy, ix]);
                        if best.is_none_or(|(_, m)| v > m) {
                            best = Some(([ni, ci, iy, ix], v));
                        }
                    }
                }
            }
            let (at, max) = best.expect("every window holds a pixel");
            prop_assert_eq!(pool.y.data()[flat], max);
            let offset: usize = at.iter().zip(strides(&xs)).map(|(i, s)| i * s).sum();
            prop_assert_eq!(pool.argmax[flat], offset);
            dx.set(&at, dx.at(&at) + d);
        }
        let back = max_pool2d_backward(&dy, &pool.argmax, &xs);
        assert_close("max_pool2d_backward", &back, &dx)?;
    }
}

// ---------------------------------------------------------------------------------------
// Element-wise kernels
// ---------------------------------------------------------------------------------------

/// A batch large enough for the parallel kernels (`rows · cols ≥ 2^15`), with a row
/// broadcast over it or an equal shape, and a seed.
fn large_broadcast() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, u64)> {
    (64usize..300, 128usize..300, 0usize..3, any::<u64>()).prop_map(|(rows, cols, kind, seed)| {
        let long = vec![rows, cols];
        let short = match kind {
            0 => vec![cols],
            1 => vec![1, cols],
            _ => long.clone(),
        };
        (long, short, seed)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The parallel paths of `broadcast_zip` (equal shapes through `zip_map`, a row over a
    /// batch through `rows_zip`, both operand orders) give the bits of the index loop; so
    /// do `map` and the naive loop over a large tensor.
    #[test]
    fn parallel_kernels_equal_the_plain_loops((long, short, seed) in large_broadcast()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let (a, b) = (random(&long, &mut rng), random(&short, &mut rng));
        let f = |x: f32, y: f32| x * 0.5 - y / 3.0;
        prop_assert_eq!(broadcast_zip(&a, &b, "f", f), broadcast_zip_naive(&a, &b, "f", f));
        prop_assert_eq!(broadcast_zip(&b, &a, "f", f), broadcast_zip_naive(&b, &a, "f", f));
        let plain: Vec<f32> = a.data().iter().map(|&x| x.exp() - x).collect();
        let mapped = a.map(|x| x.exp() - x);
        prop_assert_eq!(mapped.data(), &plain[..]);
    }

    /// The polynomial `tanh` kernel is within 3 ulp of the C library's on any finite input,
    /// one number at a time and over a whole tensor (the same bits either way).
    #[test]
    fn tanh_kernel_is_within_three_ulp(x in -20f32..20f32, len in 1usize..70_000) {
        let ulps = |a: f32, b: f32| (a.to_bits() as i64 - b.to_bits() as i64).abs();
        prop_assert!(ulps(tensor::kernels::tanh::tanh(x), x.tanh()) <= 3, "tanh({})", x);
        let t = Tensor::from_vec((0..len).map(|i| x + i as f32 * 1e-4).collect(), &[len]).unwrap();
        let one_by_one: Vec<f32> = t.data().iter().map(|&v| tensor::kernels::tanh::tanh(v)).collect();
        let whole = t.tanh();
        prop_assert_eq!(whole.data(), &one_by_one[..]);
    }
}

// ---------------------------------------------------------------------------------------
// Batch normalisation
// ---------------------------------------------------------------------------------------

/// A batch `[N, C, H, W]` large enough, at times, for the kernels to use both cores
/// (`N·C·H·W` above 2¹⁵), with its per-channel `γ`, `β` and a seed.
fn batch_norm_case() -> impl Strategy<Value = ([usize; 4], u64)> {
    (
        1usize..=40,
        1usize..=9,
        1usize..=13,
        1usize..=13,
        any::<u64>(),
    )
        .prop_map(|(n, c, h, w, seed)| ([n, c, h, w], seed))
}

proptest! {
    #![proptest_config(config())]

    /// Batch normalisation's kernels equal the plain loops: the element-wise passes bit for
    /// bit, the channel sums (taken in vector lanes there, in one `f64` running sum here) to
    /// rounding.
    #[test]
    fn batch_norm_kernels_equal_the_plain_loops((shape, seed) in batch_norm_case()) {
        use tensor::batch_norm as bn;
        let mut rng = StdRng::seed_from_u64(seed);
        let c = shape[1];
        let x = random(&shape, &mut rng).add_scalar(0.3);
        let g = random(&shape, &mut rng);
        let gamma = random(&[c], &mut rng);
        let beta = random(&[c], &mut rng);
        let vector = |v: Vec<f32>| Tensor::from_vec(v, &[c]).unwrap();

        let (mean, var) = bn::channel_stats(&x);
        let (mean_naive, var_naive) = bn::channel_stats_naive(&x);
        assert_close("mean", &vector(mean.clone()), &vector(mean_naive))?;
        assert_close("variance", &vector(var.clone()), &vector(var_naive))?;

        let inv_std = bn::inverse_std(&var, 1e-5);
        let (gm, bt) = (gamma.data(), beta.data());
        let y = bn::normalize(&x, &mean, &inv_std, gm, bt);
        prop_assert!(y == bn::normalize_naive(&x, &mean, &inv_std, gm, bt), "normalize");

        let (dbeta, dgamma) = bn::affine_grads(&g, &x, &mean, &inv_std);
        let (dbeta_naive, dgamma_naive) = bn::affine_grads_naive(&g, &x, &mean, &inv_std);
        assert_close("Σ g", &vector(dbeta.clone()), &vector(dbeta_naive))?;
        assert_close("Σ g·x̂", &vector(dgamma.clone()), &vector(dgamma_naive))?;

        let sums = (&dbeta[..], &dgamma[..]);
        let dx = bn::input_grad(&g, &x, &mean, &inv_std, gm, sums);
        prop_assert!(dx == bn::input_grad_naive(&g, &x, &mean, &inv_std, gm, sums), "input_grad");
    }
}

/// Batch normalisation's kernels give the same bits on one thread as on two.
#[test]
fn batch_norm_kernels_give_the_same_bits_on_one_and_two_threads() {
    use tensor::batch_norm as bn;
    let mut rng = StdRng::seed_from_u64(11);
    let x = random(&[64, 16, 14, 14], &mut rng);
    let g = random(&[64, 16, 14, 14], &mut rng);
    let gamma = random(&[16], &mut rng);
    let beta = random(&[16], &mut rng);
    let run = || {
        let (mean, var) = bn::channel_stats(&x);
        let inv_std = bn::inverse_std(&var, 1e-5);
        let y = bn::normalize(&x, &mean, &inv_std, gamma.data(), beta.data());
        let (dbeta, dgamma) = bn::affine_grads(&g, &x, &mean, &inv_std);
        let dx = bn::input_grad(&g, &x, &mean, &inv_std, gamma.data(), (&dbeta, &dgamma));
        (mean, var, y, dbeta, dgamma, dx)
    };
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    };
    assert!(
        pool(1).install(run) == pool(2).install(run),
        "batch norm: 1 and 2 threads give different bits"
    );
}

// ---------------------------------------------------------------------------------------
// Permutations and GELU (the vision transformer's kernels)
// ---------------------------------------------------------------------------------------

/// A shape of rank 1 to 5 (sometimes large enough for both cores), a permutation of its
/// axes, and a seed.
fn permute_case() -> impl Strategy<Value = (Vec<usize>, Vec<usize>, u64)> {
    prop::collection::vec(1usize..=9, 1..=5)
        .prop_flat_map(|shape| {
            let axes: Vec<usize> = (0..shape.len()).collect();
            (Just(shape), Just(axes).prop_shuffle(), any::<u64>())
        })
        .prop_map(|(mut shape, axes, seed)| {
            // Now and then a long last axis, so that runs are long and the copy is split.
            if seed % 4 == 0 {
                let last = shape.len() - 1;
                shape[last] *= 120;
            }
            (shape, axes, seed)
        })
}

proptest! {
    #![proptest_config(config())]

    /// The permutation by runs is the naive permutation, bit for bit (only copies).
    #[test]
    fn permute_kernel_equals_the_naive_copy((shape, axes, seed) in permute_case()) {
        let x = random(&shape, &mut StdRng::seed_from_u64(seed));
        prop_assert!(x.permute(&axes) == x.permute_naive(&axes), "{:?} by {:?}", shape, axes);
    }

    /// GELU's kernel and its slope follow the `f64` formulas within a few ulp of the larger
    /// of the result and the input, on numbers from −12 to 12.
    #[test]
    fn gelu_kernel_follows_the_f64_formula(len in 1usize..70_000, seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);
        let x = Tensor::rand_uniform(&[len], -12.0, 12.0, &mut rng);
        let g = random(&[len], &mut rng);
        let (y, dx) = (x.gelu(), x.gelu_backward(&g));
        for i in 0..len {
            let v = f64::from(x.data()[i]);
            let (cdf, pdf) = (tensor::erf::normal_cdf(v), tensor::erf::normal_pdf(v));
            let bound = 4e-7 * (1.0 + v.abs());
            prop_assert!((f64::from(y.data()[i]) - v * cdf).abs() <= bound, "gelu({})", v);
            let slope = f64::from(g.data()[i]) * (cdf + v * pdf);
            prop_assert!((f64::from(dx.data()[i]) - slope).abs() <= bound, "gelu'({})", v);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The softmax kernel (the last axis) follows the plain loops: the forward pass to the
    /// fast exponential's rounding, the backward pass bit for bit.
    #[test]
    fn softmax_kernel_follows_the_plain_loops(
        shape in prop::collection::vec(1usize..=12, 1..=4),
        wide in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mut shape = shape;
        if wide {
            shape.insert(0, 900); // large enough for both cores
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let x = random(&shape, &mut rng).mul_scalar(8.0);
        let g = random(&shape, &mut rng);
        let last = shape.len() - 1;
        let (y, y_naive) = (x.softmax(last), x.softmax_naive(last));
        assert_close("softmax", &y, &y_naive)?;
        prop_assert!(
            tensor::softmax::softmax_backward(&g, &y, last)
                == tensor::softmax::softmax_backward_naive(&g, &y, last),
            "softmax backward"
        );
    }
}
