//! 2-D convolution: the definition, then the same sum as a matrix product, forward and
//! backward.
//!
//! A convolution of `x: [N, C, H, W]` with `w: [O, C, kh, kw]` gives
//! `y[n, o, oy, ox] = b[o] + Σ_{c, ki, kj} w[o, c, ki, kj] · x[n, c, oy·sh − pt + ki, ox·sw − pl + kj]`
//! (reads in the padding are 0; like PyTorch this is a cross-correlation, the kernel is not
//! flipped). Copying, for each output position `l = oy·ow + ox`, the `C·kh·kw` input values it
//! sees into column `l` of a matrix `cols: [C·kh·kw, L]` (that is `im2col`) turns the sum into
//! one GEMM per image: `Y_n = W · cols_n` with `W` viewed as `[O, C·kh·kw]`.
//!
//! [`conv2d_naive`] is the direct nested loop to read first. [`conv2d`] and
//! [`conv2d_backward`] check the shapes and hand the work to
//! [`kernels::conv`], which builds `cols` with
//! [`im2col`](crate::im2col) for a chunk of images at a time; the tests check it against
//! the nested loops.

use crate::kernels;
use crate::tensor::Tensor;
use crate::window::{Geometry, Window2d};

/// Checks the shapes of a convolution and resolves its geometry: `(N, C, O, geometry)`.
fn conv_dims(x: &Tensor, w: &Tensor, window: &Window2d) -> (usize, usize, usize, Geometry) {
    let (xs, ws) = (x.shape(), w.shape());
    assert!(
        xs.len() == 4 && ws.len() == 4 && xs[1] == ws[1] && (ws[2], ws[3]) == window.kernel,
        "conv2d: input {xs:?} and weight {ws:?} do not fit (expected [N, C, H, W] and \
         [O, C, {}, {}])",
        window.kernel.0,
        window.kernel.1
    );
    (xs[0], xs[1], ws[0], window.geometry("conv2d", xs[2], xs[3]))
}

/// The direct definition of convolution as seven nested loops (batch, output channel, output row and column, input channel, kernel row and column), to read first and to test
/// the fast path against.
///
/// # Shapes
/// As [`conv2d`].
pub fn conv2d_naive(x: &Tensor, w: &Tensor, b: Option<&Tensor>, window: &Window2d) -> Tensor {
    let (n, c, o, g) = conv_dims(x, w, window);
    let mut y = Tensor::zeros(&[n, o, g.out_h, g.out_w]);
    for ni in 0..n {
        for oi in 0..o {
            for oy in 0..g.out_h {
                for ox in 0..g.out_w {
                    let mut sum = b.map_or(0.0, |b| b.data()[oi]);
                    for ci in 0..c {
                        for ki in 0..g.kh {
                            for kj in 0..g.kw {
                                if let (Some(iy), Some(ix)) =
                                    (g.input_row(oy, ki), g.input_col(ox, kj))
                                {
                                    sum += w.at(&[oi, ci, ki, kj]) * x.at(&[ni, ci, iy, ix]);
                                }
                            }
                        }
                    }
                    y.set(&[ni, oi, oy, ox], sum);
                }
            }
        }
    }
    y
}

/// `y = conv(x, w) + b`, the sum of [`conv2d_naive`], computed as `W · im2col(x_n)` for every
/// image by [`kernels::conv::forward`].
///
/// # Shapes
/// `x: [N, C, H, W]`, `w: [O, C, kh, kw]`, `b: [O] → y: [N, O, oh, ow]`.
pub fn conv2d(x: &Tensor, w: &Tensor, b: Option<&Tensor>, window: &Window2d) -> Tensor {
    let (n, c, o, g) = conv_dims(x, w, window);
    if let Some(b) = b {
        assert_eq!(
            b.shape(),
            &[o],
            "conv2d: bias {:?} does not fit {o} output channels",
            b.shape()
        );
    }
    let y = kernels::conv::forward(x.data(), w.data(), b.map(|b| b.data()), (n, c, o), &g);
    Tensor::from_parts("conv2d", y, &[n, o, g.out_h, g.out_w])
}

/// The gradients of `L` through `y = conv(x, w) + b`, given `dy = ∂L/∂y`:
/// - `∂L/∂w = Σ_n dY_n · cols_nᵀ` (as `[O, C·kh·kw]`),
/// - `∂L/∂x_n = col2im(Wᵀ · dY_n)`,
/// - `∂L/∂b[o] = Σ_{n, l} dY_n[o, l]`.
///
/// computed by [`kernels::conv::backward`].
///
/// # Shapes
/// `x: [N, C, H, W]`, `w: [O, C, kh, kw]`, `dy: [N, O, oh, ow] → (dx, dw, db)` shaped like
/// `x`, `w` and `[O]`.
pub fn conv2d_backward(
    x: &Tensor,
    w: &Tensor,
    dy: &Tensor,
    window: &Window2d,
) -> (Tensor, Tensor, Tensor) {
    let (dx, dw, db) = conv2d_backward_parts(x, w, dy, window, true);
    (dx.expect("dx was asked for"), dw, db)
}

/// [`conv2d_backward`], computing `∂L/∂x` only if `need_dx`: the first layer's input is the
/// data, which needs no gradient, and skipping it saves the `Wᵀ·dY` GEMM and `col2im`.
///
/// # Shapes
/// As [`conv2d_backward`]; `dx` is `None` when not asked for.
pub fn conv2d_backward_parts(
    x: &Tensor,
    w: &Tensor,
    dy: &Tensor,
    window: &Window2d,
    need_dx: bool,
) -> (Option<Tensor>, Tensor, Tensor) {
    let (n, c, o, g) = conv_dims(x, w, window);
    assert_eq!(
        dy.shape(),
        &[n, o, g.out_h, g.out_w],
        "conv2d_backward: gradient {:?} does not match the output of input {:?} and weight {:?}",
        dy.shape(),
        x.shape(),
        w.shape()
    );
    let (dx, dw, db) =
        kernels::conv::backward(x.data(), w.data(), dy.data(), (n, c, o), &g, need_dx);
    (
        dx.map(|dx| Tensor::from_parts("conv2d_backward", dx, x.shape())),
        Tensor::from_parts("conv2d_backward", dw, w.shape()),
        Tensor::from_parts("conv2d_backward", db, &[o]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::im2col::{col2im, im2col};

    fn t(v: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_vec(v.to_vec(), shape).unwrap()
    }

    /// The image `[[1, 2, 3], [4, 5, 6], [7, 8, 9]]` as `[1, 1, 3, 3]`.
    fn x33() -> Tensor {
        Tensor::arange(1.0, 10.0, 1.0).reshape(&[1, 1, 3, 3])
    }

    #[test]
    fn im2col_copies_each_window_into_a_column() {
        // 2×2 windows over 1..9, stride 1: row (ki, kj) lists x[oy + ki, ox + kj] for the four (oy, ox).
        let g = Window2d::square(2, 1, 0).geometry("t", 3, 3);
        let mut cols = vec![0.0; 4 * 4];
        im2col(x33().data(), 1, &g, &mut cols);
        #[rustfmt::skip]
        let expected = [
            1.0, 2.0, 4.0, 5.0, // (ki, kj) = (0, 0)
            2.0, 3.0, 5.0, 6.0, // (0, 1)
            4.0, 5.0, 7.0, 8.0, // (1, 0)
            5.0, 6.0, 8.0, 9.0, // (1, 1)
        ];
        assert_eq!(cols, expected);
    }

    #[test]
    fn im2col_reads_zeros_in_the_padding() {
        // [[1, 2], [3, 4]] with a 2×2 window and padding 1: 3×3 outputs; row (0, 0) reads
        // x[oy − 1, ox − 1], which is in the image only for oy, ox ≥ 1.
        let g = Window2d::square(2, 1, 1).geometry("t", 2, 2);
        let mut cols = vec![f32::NAN; 4 * 9];
        im2col(&[1.0, 2.0, 3.0, 4.0], 1, &g, &mut cols);
        assert_eq!(&cols[..9], &[0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 3.0, 4.0]);
        // Row (1, 1) reads x[oy, ox], in the image only for oy, ox ≤ 1.
        assert_eq!(&cols[27..], &[1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn col2im_counts_overlapping_windows() {
        // Adding 1 for every window that sees a pixel: 2×2 windows over 3×3 see the
        // corners once, the edges twice and the centre four times.
        let g = Window2d::square(2, 1, 0).geometry("t", 3, 3);
        let mut dx = vec![0.0; 9];
        col2im(&[1.0; 16], 1, &g, &mut dx);
        assert_eq!(dx, [1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]);
        // col2im adds into dx rather than overwriting it.
        col2im(&[1.0; 16], 1, &g, &mut dx);
        assert_eq!(dx[4], 8.0);
    }

    #[test]
    fn conv2d_valid_by_hand() {
        // w = [[1, 2], [3, 4]]: y[oy, ox] = x[oy, ox] + 2x[oy, ox + 1] + 3x[oy + 1, ox] + 4x[oy + 1, ox + 1].
        // y[0, 0] = 1 + 4 + 12 + 20 = 37, y[0, 1] = 2 + 6 + 15 + 24 = 47,
        // y[1, 0] = 4 + 10 + 21 + 32 = 67, y[1, 1] = 5 + 12 + 24 + 36 = 77; then + b = 0.5.
        let w = t(&[1.0, 2.0, 3.0, 4.0], &[1, 1, 2, 2]);
        let b = t(&[0.5], &[1]);
        let window = Window2d::square(2, 1, 0);
        let y = conv2d(&x33(), &w, Some(&b), &window);
        assert_eq!(y, t(&[37.5, 47.5, 67.5, 77.5], &[1, 1, 2, 2]));
        assert_eq!(conv2d_naive(&x33(), &w, Some(&b), &window), y);
    }

    #[test]
    fn conv2d_padded_by_hand() {
        // A 3×3 kernel of ones with padding 1 sums each pixel's neighbourhood:
        // corner 1 + 2 + 4 + 5 = 12, top edge 1 + … + 6 = 21, centre 1 + … + 9 = 45.
        let w = Tensor::ones(&[1, 1, 3, 3]);
        let y = conv2d(&x33(), &w, None, &Window2d::square(3, 1, 1));
        let sums = [12.0, 21.0, 16.0, 27.0, 45.0, 33.0, 24.0, 39.0, 28.0];
        assert_eq!(y, t(&sums, &[1, 1, 3, 3]));
        // Stride 2 keeps the outputs at (0, 0), (0, 2), (2, 0), (2, 2): out = ⌊(3 + 2 − 3)/2⌋ + 1 = 2.
        let y = conv2d(&x33(), &w, None, &Window2d::square(3, 2, 1));
        assert_eq!(y, t(&[12.0, 16.0, 24.0, 28.0], &[1, 1, 2, 2]));
        // "Same" with a 3×3 kernel pads 1 on each side: the same as padding 1.
        let same = conv2d(&x33(), &w, None, &Window2d::same(3, 1));
        assert_eq!(same, t(&sums, &[1, 1, 3, 3]));
    }

    #[test]
    fn conv2d_mixes_channels() {
        // A 1×1 convolution is a matrix product at every pixel: y[o] = Σ_c w[o, c]·x[c] + b[o].
        // x₀ = [1, 2, 3, 4], x₁ = [10, 20, 30, 40]; w = [[1, 1], [2, −1]], b = [0, 100]:
        // y₀ = x₀ + x₁ = [11, 22, 33, 44], y₁ = 2x₀ − x₁ + 100 = [92, 84, 76, 68].
        let x = t(&[1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 30.0, 40.0], &[1, 2, 2, 2]);
        let w = t(&[1.0, 1.0, 2.0, -1.0], &[2, 2, 1, 1]);
        let b = t(&[0.0, 100.0], &[2]);
        let y = conv2d(&x, &w, Some(&b), &Window2d::square(1, 1, 0));
        let expected = [11.0, 22.0, 33.0, 44.0, 92.0, 84.0, 76.0, 68.0];
        assert_eq!(y, t(&expected, &[1, 2, 2, 2]));
    }

    #[test]
    fn conv2d_backward_by_hand() {
        // y = conv(x, w) with w = [[1, 2], [3, 4]] on 1..9, and dy = 1 at each of the 4 outputs.
        let w = t(&[1.0, 2.0, 3.0, 4.0], &[1, 1, 2, 2]);
        let dy = Tensor::ones(&[1, 1, 2, 2]);
        let (dx, dw, db) = conv2d_backward(&x33(), &w, &dy, &Window2d::square(2, 1, 0));
        // ∂L/∂b = Σ dy = 4.
        assert_eq!(db, t(&[4.0], &[1]));
        // ∂L/∂w[ki, kj] = Σ_{oy, ox} x[oy + ki, ox + kj]: the 2×2 block at (ki, kj):
        // 1 + 2 + 4 + 5 = 12, 2 + 3 + 5 + 6 = 16, 4 + 5 + 7 + 8 = 24, 5 + 6 + 8 + 9 = 28.
        assert_eq!(dw, t(&[12.0, 16.0, 24.0, 28.0], &[1, 1, 2, 2]));
        // ∂L/∂x[i, j] = Σ of w[i − oy, j − ox] over the windows covering (i, j):
        // corners get one weight each, the centre 1 + 2 + 3 + 4 = 10, the top edge 1 + 2 = 3, …
        let expected = [1.0, 3.0, 2.0, 4.0, 10.0, 6.0, 3.0, 7.0, 4.0];
        assert_eq!(dx, t(&expected, &[1, 1, 3, 3]));
    }

    #[test]
    fn conv2d_backward_sums_over_a_batch_split_into_chunks() {
        // 19 images are split into chunks of ⌈19/8⌉ = 3; the batch gradients must equal the
        // sum over images of each image's own gradients, and dx the images' dx side by side.
        let n = 19;
        let x = Tensor::arange(0.0, (n * 2 * 5 * 4) as f32, 1.0)
            .map(|v| (v * 0.37).sin())
            .reshape(&[n, 2, 5, 4]);
        let w = Tensor::arange(0.0, 3.0 * 2.0 * 9.0, 1.0)
            .map(|v| (v * 0.11).cos())
            .reshape(&[3, 2, 3, 3]);
        let window = Window2d::square(3, 1, 1);
        let dy = conv2d(&x, &w, None, &window).map(|v| v.tanh());
        let (dx, dw, db) = conv2d_backward(&x, &w, &dy, &window);
        let mut dw_sum = Tensor::zeros(w.shape());
        let mut db_sum = Tensor::zeros(&[3]);
        for i in 0..n {
            let (dx_i, dw_i, db_i) =
                conv2d_backward(&x.select_rows(&[i]), &w, &dy.select_rows(&[i]), &window);
            assert_eq!(dx.select_rows(&[i]), dx_i);
            dw_sum.add_assign(&dw_i);
            db_sum.add_assign(&db_i);
        }
        assert!(dw.allclose(&dw_sum, 1e-5, 1e-5));
        assert!(db.allclose(&db_sum, 1e-5, 1e-5));
        // Reproducible: the same call gives bit-identical results.
        assert_eq!(conv2d_backward(&x, &w, &dy, &window), (dx, dw, db));
    }

    #[test]
    #[should_panic(expected = "conv2d: input [1, 2, 3, 3] and weight [1, 1, 2, 2] do not fit")]
    fn conv2d_with_mismatched_channels_panics() {
        conv2d(
            &Tensor::zeros(&[1, 2, 3, 3]),
            &Tensor::zeros(&[1, 1, 2, 2]),
            None,
            &Window2d::square(2, 1, 0),
        );
    }

    #[test]
    #[should_panic(
        expected = "conv2d: input [1, 1, 3, 3] and weight [1, 1, 2, 2] do not fit (expected [N, C, H, W] and [O, C, 3, 3])"
    )]
    fn conv2d_with_a_kernel_unlike_the_window_panics() {
        conv2d(
            &x33(),
            &Tensor::zeros(&[1, 1, 2, 2]),
            None,
            &Window2d::square(3, 1, 0),
        );
    }

    #[test]
    #[should_panic(expected = "conv2d: bias [2] does not fit 1 output channels")]
    fn conv2d_with_a_wrong_bias_panics() {
        conv2d(
            &x33(),
            &Tensor::zeros(&[1, 1, 2, 2]),
            Some(&Tensor::zeros(&[2])),
            &Window2d::square(2, 1, 0),
        );
    }

    #[test]
    #[should_panic(
        expected = "conv2d_backward: gradient [1, 1, 3, 3] does not match the output of input [1, 1, 3, 3] and weight [1, 1, 2, 2]"
    )]
    fn conv2d_backward_with_a_wrong_gradient_panics() {
        let w = Tensor::zeros(&[1, 1, 2, 2]);
        conv2d_backward(
            &x33(),
            &w,
            &Tensor::zeros(&[1, 1, 3, 3]),
            &Window2d::square(2, 1, 0),
        );
    }

    #[test]
    #[should_panic(expected = "conv2d: a window of 5 does not fit an input of 3 padded by 0")]
    fn conv2d_with_a_kernel_larger_than_the_input_panics() {
        conv2d(
            &x33(),
            &Tensor::zeros(&[1, 1, 5, 5]),
            None,
            &Window2d::square(5, 1, 0),
        );
    }
}
