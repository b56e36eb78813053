//! 2-D max pooling, with the argmax indices its backward pass needs.
//!
//! `y[n, c, oy, ox] = max_{ki, kj} x[n, c, oy·sh − pt + ki, ox·sw − pl + kj]` over the window
//! positions inside the image (padding never wins, as in PyTorch and Keras). The gradient
//! flows only to the element that won: `∂L/∂x[i] = Σ_{outputs whose argmax is i} ∂L/∂y`.
//!
//! [`max_pool2d_naive`] is the definition, to read first; [`max_pool2d`] computes the same
//! maxima and indices with [`kernels::pool`].

use crate::kernels;
use crate::shape::numel;
use crate::tensor::Tensor;
use crate::window::{Geometry, Padding, Window2d};

/// The result of [`max_pool2d`]: the pooled values and, for each, the flat index into the
/// input's data of the element that was largest (the first one on ties).
#[derive(Clone, Debug, PartialEq)]
pub struct MaxPool {
    /// `[N, C, oh, ow]`: the maxima.
    pub y: Tensor,
    /// One flat input offset per element of `y`.
    pub argmax: Vec<usize>,
}

/// Checks the shapes and the padding of a pooling: `(planes N·C, plane size H·W, geometry)`.
fn pool_dims(x: &Tensor, window: &Window2d) -> (usize, usize, Geometry) {
    let s = x.shape();
    assert_eq!(s.len(), 4, "max_pool2d: expected [N, C, H, W], got {s:?}");
    if let Padding::Explicit(ph, pw) = window.padding {
        // Otherwise a window could lie wholly in the padding and have no element to pick.
        assert!(
            2 * ph <= window.kernel.0 && 2 * pw <= window.kernel.1,
            "max_pool2d: padding ({ph}, {pw}) must be at most half the kernel {:?}",
            window.kernel
        );
    }
    (
        s[0] * s[1],
        s[2] * s[3],
        window.geometry("max_pool2d", s[2], s[3]),
    )
}

/// Max pooling by the definition: [`pool_plane_naive`] on every `[H, W]` plane in turn.
///
/// # Shapes
/// `[N, C, H, W] → [N, C, oh, ow]`. As in PyTorch, explicit padding may be at most half
/// the kernel, so that every window holds at least one element of the image.
pub fn max_pool2d_naive(x: &Tensor, window: &Window2d) -> MaxPool {
    let (planes, hw, g) = pool_dims(x, window);
    let l = g.out_h * g.out_w;
    let (mut y, mut argmax) = (vec![0.0; planes * l], vec![0; planes * l]);
    for p in 0..planes {
        let (y_p, arg_p) = (&mut y[p * l..(p + 1) * l], &mut argmax[p * l..(p + 1) * l]);
        pool_plane_naive(&x.data()[p * hw..(p + 1) * hw], &g, y_p, arg_p);
        // Indices within the plane become indices into the whole input.
        arg_p.iter_mut().for_each(|i| *i += p * hw);
    }
    pooled(x, &g, y, argmax)
}

/// One plane by the definition: every window position, asking the geometry whether it lies
/// in the image. The first of equal maxima wins.
pub fn pool_plane_naive(plane: &[f32], g: &Geometry, y_p: &mut [f32], arg_p: &mut [usize]) {
    for oy in 0..g.out_h {
        for ox in 0..g.out_w {
            let mut best = (usize::MAX, f32::NEG_INFINITY);
            for ki in 0..g.kh {
                let Some(iy) = g.input_row(oy, ki) else {
                    continue;
                };
                for kj in 0..g.kw {
                    let Some(ix) = g.input_col(ox, kj) else {
                        continue;
                    };
                    let v = plane[iy * g.in_w + ix];
                    if v > best.1 || best.0 == usize::MAX {
                        best = (iy * g.in_w + ix, v);
                    }
                }
            }
            y_p[oy * g.out_w + ox] = best.1;
            arg_p[oy * g.out_w + ox] = best.0;
        }
    }
}

/// Max pooling of `x: [N, C, H, W]` with `window`: the maxima and argmax indices of
/// [`max_pool2d_naive`], computed by [`kernels::pool::max_pool2d`] (planes in parallel,
/// windows clipped once, branch-free).
///
/// # Shapes
/// As [`max_pool2d_naive`].
pub fn max_pool2d(x: &Tensor, window: &Window2d) -> MaxPool {
    let (planes, hw, g) = pool_dims(x, window);
    let (y, argmax) = kernels::pool::max_pool2d(x.data(), planes, hw, &g);
    pooled(x, &g, y, argmax)
}

/// The [`MaxPool`] of the maxima `y` of `x`'s planes, shaped `[N, C, oh, ow]`.
fn pooled(x: &Tensor, g: &Geometry, y: Vec<f32>, argmax: Vec<usize>) -> MaxPool {
    let s = x.shape();
    MaxPool {
        y: Tensor::from_parts("max_pool2d", y, &[s[0], s[1], g.out_h, g.out_w]),
        argmax,
    }
}

/// Routes `dy` back to the winners: `dx[argmax[i]] += dy[i]`, zero elsewhere.
///
/// # Shapes
/// `dy: [N, C, oh, ow]`, `argmax` one per element of `dy` → `dx` of `input_shape`.
pub fn max_pool2d_backward(dy: &Tensor, argmax: &[usize], input_shape: &[usize]) -> Tensor {
    assert_eq!(
        dy.numel(),
        argmax.len(),
        "max_pool2d_backward: {} gradients for {} pooled positions",
        dy.numel(),
        argmax.len()
    );
    let dx = if let [n, c, h, w] = *input_shape {
        // Each plane's winners lie in that plane: the planes can be routed in parallel.
        kernels::pool::route_back(dy.data(), argmax, n * c, h * w)
    } else {
        let mut d = vec![0.0; numel(input_shape)];
        for (&i, &g) in argmax.iter().zip(dy.data()) {
            d[i] += g;
        }
        d
    };
    Tensor::from_parts("max_pool2d_backward", dx, input_shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[f32], shape: &[usize]) -> Tensor {
        Tensor::from_vec(v.to_vec(), shape).unwrap()
    }

    #[test]
    fn fast_and_naive_pooling_agree() {
        // Values with many ties (i·7 mod 5) so the first-maximum rule is exercised, over
        // explicit and "same" padding, overlapping and strided windows.
        let x = Tensor::arange(0.0, 2.0 * 3.0 * 7.0 * 6.0, 1.0)
            .map(|v| (v * 7.0) % 5.0 - 2.0)
            .reshape(&[2, 3, 7, 6]);
        let mut windows = vec![
            Window2d::same(2, 2),
            Window2d::same(3, 1),
            Window2d::same(3, 2),
        ];
        for (k, s, p) in [(2, 2, 0), (3, 1, 1), (3, 2, 1), (2, 1, 1), (4, 3, 2)] {
            windows.push(Window2d::square(k, s, p));
        }
        for window in windows {
            assert_eq!(
                max_pool2d(&x, &window),
                max_pool2d_naive(&x, &window),
                "{window:?}"
            );
        }
    }

    #[test]
    fn max_pool_2x2_by_hand() {
        // x = [[1, 3, 2, 0],
        //      [4, 2, 1, 5],
        //      [0, 1, 9, 8],
        //      [6, 7, 3, 2]]: 2×2 windows, stride 2.
        #[rustfmt::skip]
        let x = t(&[1.0, 3.0, 2.0, 0.0, 4.0, 2.0, 1.0, 5.0, 0.0, 1.0, 9.0, 8.0, 6.0, 7.0, 3.0, 2.0], &[1, 1, 4, 4]);
        let pool = max_pool2d(&x, &Window2d::square(2, 2, 0));
        // max{1, 3, 4, 2} = 4 at (1, 0), max{2, 0, 1, 5} = 5 at (1, 3),
        // max{0, 1, 6, 7} = 7 at (3, 1), max{9, 8, 3, 2} = 9 at (2, 2).
        assert_eq!(pool.y, t(&[4.0, 5.0, 7.0, 9.0], &[1, 1, 2, 2]));
        // Flat offsets 4·row + col: 4, 7, 13, 10.
        assert_eq!(pool.argmax, vec![4, 7, 13, 10]);
        // ∂L/∂x is dy at each winner and 0 elsewhere.
        let dy = t(&[1.0, 2.0, 3.0, 4.0], &[1, 1, 2, 2]);
        let dx = max_pool2d_backward(&dy, &pool.argmax, x.shape());
        let mut expected = vec![0.0; 16];
        (expected[4], expected[7], expected[13], expected[10]) = (1.0, 2.0, 3.0, 4.0);
        assert_eq!(dx, t(&expected, &[1, 1, 4, 4]));
    }

    #[test]
    fn overlapping_windows_add_their_gradients() {
        // x = [[1, 2, 1], [2, 9, 2], [1, 2, 1]]: all four 2×2 stride-1 windows pick the centre 9.
        let x = t(
            &[1.0, 2.0, 1.0, 2.0, 9.0, 2.0, 1.0, 2.0, 1.0],
            &[1, 1, 3, 3],
        );
        let pool = max_pool2d(&x, &Window2d::square(2, 1, 0));
        assert_eq!(pool.y, Tensor::full(&[1, 1, 2, 2], 9.0));
        assert_eq!(pool.argmax, vec![4; 4]);
        // ∂L/∂x[centre] = 1 + 2 + 3 + 4 = 10.
        let dx = max_pool2d_backward(
            &t(&[1.0, 2.0, 3.0, 4.0], &[1, 1, 2, 2]),
            &pool.argmax,
            x.shape(),
        );
        assert_eq!(dx.at(&[0, 0, 1, 1]), 10.0);
        assert_eq!(dx.sum_all().item(), 10.0);
    }

    #[test]
    fn argmax_offsets_count_every_plane() {
        // [1, 2, 2, 2]: plane 0 = [1, 2, 3, 4] peaks at offset 3; plane 1 = [8, 7, 6, 5] at 4 + 0.
        let x = t(&[1.0, 2.0, 3.0, 4.0, 8.0, 7.0, 6.0, 5.0], &[1, 2, 2, 2]);
        let pool = max_pool2d(&x, &Window2d::square(2, 2, 0));
        assert_eq!(pool.y, t(&[4.0, 8.0], &[1, 2, 1, 1]));
        assert_eq!(pool.argmax, vec![3, 4]);
    }

    #[test]
    fn ties_go_to_the_first_element() {
        // A constant window: the top-left element (offset 0) wins.
        let pool = max_pool2d(&Tensor::ones(&[1, 1, 2, 2]), &Window2d::square(2, 2, 0));
        assert_eq!(pool.argmax, vec![0]);
    }

    #[test]
    fn same_padding_never_picks_the_padding() {
        // 3×3 with 2×2 stride 2 "same": out = ⌈3/2⌉ = 2, one padded row and column after.
        // x = −(1..9): the windows are {−1, −2, −4, −5}, {−3, −6}, {−7, −8}, {−9}, and the
        // padding (which would be 0 if it could win) never does.
        let x = Tensor::arange(1.0, 10.0, 1.0).neg().reshape(&[1, 1, 3, 3]);
        let pool = max_pool2d(&x, &Window2d::same(2, 2));
        assert_eq!(pool.y, t(&[-1.0, -3.0, -7.0, -9.0], &[1, 1, 2, 2]));
        assert_eq!(pool.argmax, vec![0, 2, 6, 8]);
    }

    #[test]
    fn explicit_padding_never_picks_the_padding() {
        // 2×2 stride 2 padding 1 on a 2×2 image: every window holds one pixel, so y = x.
        let x = t(&[-1.0, -2.0, -3.0, -4.0], &[1, 1, 2, 2]);
        let pool = max_pool2d(&x, &Window2d::square(2, 2, 1));
        assert_eq!(pool.y, x);
        assert_eq!(pool.argmax, vec![0, 1, 2, 3]);
    }

    #[test]
    #[should_panic(expected = "max_pool2d: padding (2, 2) must be at most half the kernel (2, 2)")]
    fn padding_larger_than_half_the_kernel_panics() {
        // A 2×2 window after 2 rows of padding would hold nothing but padding.
        max_pool2d(&Tensor::zeros(&[1, 1, 2, 2]), &Window2d::square(2, 2, 2));
    }

    #[test]
    #[should_panic(expected = "max_pool2d: expected [N, C, H, W], got [4, 4]")]
    fn max_pool_needs_4d_input() {
        max_pool2d(&Tensor::zeros(&[4, 4]), &Window2d::square(2, 2, 0));
    }

    #[test]
    #[should_panic(expected = "max_pool2d_backward: 3 gradients for 4 pooled positions")]
    fn backward_needs_one_gradient_per_output() {
        max_pool2d_backward(&Tensor::zeros(&[3]), &[0, 1, 2, 3], &[1, 1, 4, 4]);
    }
}
