//! The geometry of a sliding 2-D window, shared by convolution and pooling.
//!
//! A `kh×kw` window slides over an `H×W` image in steps of `(sh, sw)`, after `pad_top` rows
//! and `pad_left` columns of padding were added before the image (and possibly some after).
//! Output position `(oy, ox)` sees input rows `oy·sh − pad_top + ki` for `ki < kh`, and the
//! same for columns.

/// How much padding a window adds around the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    /// `(rows, cols)` of padding on each side, as PyTorch's `padding=(ph, pw)`:
    /// `out = ⌊(in + 2p − k) / s⌋ + 1`.
    Explicit(usize, usize),
    /// Keras' `padding="same"`: `out = ⌈in / s⌉`, with the total padding
    /// `max((out − 1)·s + k − in, 0)` split so that the extra row or column (if the total is
    /// odd) goes after the image.
    Same,
}

/// A window's size, stride and padding, before it meets an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window2d {
    /// `(kh, kw)`: the window's height and width.
    pub kernel: (usize, usize),
    /// `(sh, sw)`: how far the window moves between outputs.
    pub stride: (usize, usize),
    /// The padding rule.
    pub padding: Padding,
}

/// A [`Window2d`] resolved against an input size: every number a kernel loop needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    /// Window height.
    pub kh: usize,
    /// Window width.
    pub kw: usize,
    /// Vertical stride.
    pub sh: usize,
    /// Horizontal stride.
    pub sw: usize,
    /// Rows of padding before the image.
    pub pad_top: usize,
    /// Columns of padding before the image.
    pub pad_left: usize,
    /// Input height.
    pub in_h: usize,
    /// Input width.
    pub in_w: usize,
    /// Output height.
    pub out_h: usize,
    /// Output width.
    pub out_w: usize,
}

/// `(out, pad_before)` along one axis.
fn resolve_axis(
    op: &str,
    input: usize,
    k: usize,
    s: usize,
    padding: Option<usize>,
) -> (usize, usize) {
    assert!(
        k > 0 && s > 0,
        "{op}: kernel {k} and stride {s} must be positive"
    );
    match padding {
        Some(p) => {
            assert!(
                input + 2 * p >= k,
                "{op}: a window of {k} does not fit an input of {input} padded by {p}"
            );
            ((input + 2 * p - k) / s + 1, p)
        }
        None => {
            let out = input.div_ceil(s);
            let total = ((out - 1) * s + k).saturating_sub(input);
            (out, total / 2)
        }
    }
}

impl Window2d {
    /// A square `k×k` window with stride `s` and `p` rows and columns of zero padding.
    pub fn square(k: usize, s: usize, p: usize) -> Window2d {
        Window2d {
            kernel: (k, k),
            stride: (s, s),
            padding: Padding::Explicit(p, p),
        }
    }

    /// A square `k×k` window with stride `s` and Keras' "same" padding.
    pub fn same(k: usize, s: usize) -> Window2d {
        Window2d {
            kernel: (k, k),
            stride: (s, s),
            padding: Padding::Same,
        }
    }

    /// The window resolved against an `in_h×in_w` input.
    pub fn geometry(&self, op: &str, in_h: usize, in_w: usize) -> Geometry {
        let (ph, pw) = match self.padding {
            Padding::Explicit(ph, pw) => (Some(ph), Some(pw)),
            Padding::Same => (None, None),
        };
        let (out_h, pad_top) = resolve_axis(op, in_h, self.kernel.0, self.stride.0, ph);
        let (out_w, pad_left) = resolve_axis(op, in_w, self.kernel.1, self.stride.1, pw);
        Geometry {
            kh: self.kernel.0,
            kw: self.kernel.1,
            sh: self.stride.0,
            sw: self.stride.1,
            pad_top,
            pad_left,
            in_h,
            in_w,
            out_h,
            out_w,
        }
    }
}

impl Geometry {
    /// The input row seen by output row `oy` at window row `ki`, or `None` in the padding.
    pub fn input_row(&self, oy: usize, ki: usize) -> Option<usize> {
        (oy * self.sh + ki)
            .checked_sub(self.pad_top)
            .filter(|&y| y < self.in_h)
    }

    /// The input column seen by output column `ox` at window column `kj`, or `None` in the padding.
    pub fn input_col(&self, ox: usize, kj: usize) -> Option<usize> {
        (ox * self.sw + kj)
            .checked_sub(self.pad_left)
            .filter(|&x| x < self.in_w)
    }

    /// The output rows `oy` whose window row `ki` lies inside the image: exactly those for
    /// which [`Geometry::input_row`] is `Some`. Fast kernels loop over this range instead of
    /// testing every position.
    pub fn valid_rows(&self, ki: usize) -> std::ops::Range<usize> {
        valid_range(ki, self.sh, self.pad_top, self.in_h, self.out_h)
    }

    /// The output columns `ox` whose window column `kj` lies inside the image (see
    /// [`Geometry::valid_rows`]).
    pub fn valid_cols(&self, kj: usize) -> std::ops::Range<usize> {
        valid_range(kj, self.sw, self.pad_left, self.in_w, self.out_w)
    }
}

/// The outputs `o < out` with `0 ≤ o·s + k − pad < input`: from `⌈(pad − k)/s⌉` up to and
/// including `⌊(input − 1 + pad − k)/s⌋`, empty when the window offset misses the image.
fn valid_range(k: usize, s: usize, pad: usize, input: usize, out: usize) -> std::ops::Range<usize> {
    let hi = if input + pad > k {
        ((input - 1 + pad - k) / s + 1).min(out)
    } else {
        0
    };
    let lo = pad.saturating_sub(k).div_ceil(s).min(hi);
    lo..hi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ranges_are_where_the_input_index_exists() {
        // For every geometry and offset, o is in the range exactly when input_row/col is Some.
        for (input, k, s, p) in [
            (5, 3, 1, 1),
            (7, 2, 2, 0),
            (4, 5, 1, 2),
            (6, 3, 2, 2),
            (1, 3, 1, 1),
        ] {
            let g = Window2d::square(k, s, p).geometry("t", input, input);
            for ki in 0..k {
                let (rows, cols) = (g.valid_rows(ki), g.valid_cols(ki));
                for o in 0..g.out_h {
                    assert_eq!(rows.contains(&o), g.input_row(o, ki).is_some());
                    assert_eq!(cols.contains(&o), g.input_col(o, ki).is_some());
                }
            }
        }
        let g = Window2d::same(2, 2).geometry("t", 7, 7);
        assert_eq!(g.valid_rows(1), 0..3);
    }

    #[test]
    fn explicit_padding_follows_pytorch() {
        // out = ⌊(28 + 2·1 − 3) / 1⌋ + 1 = 28
        let g = Window2d::square(3, 1, 1).geometry("t", 28, 28);
        assert_eq!((g.out_h, g.out_w, g.pad_top), (28, 28, 1));
        // out = ⌊(7 + 0 − 3) / 2⌋ + 1 = 3
        assert_eq!(Window2d::square(3, 2, 0).geometry("t", 7, 7).out_h, 3);
    }

    #[test]
    fn same_padding_follows_keras() {
        // 5×5 stride 1 "same": out = 28, total pad 4, 2 before.
        let g = Window2d::same(5, 1).geometry("t", 28, 28);
        assert_eq!((g.out_h, g.pad_top), (28, 2));
        // 2×2 stride 2 "same" on 7: out = ⌈7/2⌉ = 4, total pad 1, all of it after.
        let g = Window2d::same(2, 2).geometry("t", 7, 7);
        assert_eq!((g.out_h, g.pad_top), (4, 0));
        assert_eq!(g.input_row(3, 1), None);
    }

    #[test]
    fn same_padding_with_stride_one_and_an_even_kernel() {
        // 2×2 stride 1 "same" on 5: out = 5, total pad (5 − 1)·1 + 2 − 5 = 1, 0 before, 1 after.
        let g = Window2d::same(2, 1).geometry("t", 5, 5);
        assert_eq!((g.out_h, g.out_w, g.pad_top, g.pad_left), (5, 5, 0, 0));
        assert_eq!(g.input_row(4, 0), Some(4));
        assert_eq!(g.input_row(4, 1), None);
        // 3×3 stride 2 "same" on 8: out = ⌈8/2⌉ = 4, total pad 3·2 + 3 − 8 = 1, 0 before.
        let g = Window2d::same(3, 2).geometry("t", 8, 8);
        assert_eq!((g.out_h, g.pad_top), (4, 0));
        // 3×3 stride 2 "same" on 7: out = 4, total pad 3·2 + 3 − 7 = 2, 1 before and 1 after.
        let g = Window2d::same(3, 2).geometry("t", 7, 7);
        assert_eq!((g.out_h, g.pad_top), (4, 1));
    }

    #[test]
    fn rectangular_windows_resolve_each_axis() {
        // kernel (3, 1), stride (2, 1), padding (1, 0) on 6×4:
        // out_h = ⌊(6 + 2 − 3)/2⌋ + 1 = 3, out_w = ⌊(4 − 1)/1⌋ + 1 = 4.
        let window = Window2d {
            kernel: (3, 1),
            stride: (2, 1),
            padding: Padding::Explicit(1, 0),
        };
        let g = window.geometry("t", 6, 4);
        assert_eq!((g.out_h, g.out_w, g.pad_top, g.pad_left), (3, 4, 1, 0));
        // Output row 1 reads input rows 1·2 − 1 + ki = 1, 2, 3.
        let rows: Vec<_> = (0..3).map(|ki| g.input_row(1, ki)).collect();
        assert_eq!(rows, vec![Some(1), Some(2), Some(3)]);
        // Output row 0 starts in the padding.
        assert_eq!(g.input_row(0, 0), None);
        assert_eq!(g.input_col(3, 0), Some(3));
    }

    #[test]
    #[should_panic(expected = "pool: a window of 4 does not fit an input of 2 padded by 0")]
    fn window_larger_than_the_input_panics() {
        Window2d::square(4, 1, 0).geometry("pool", 2, 2);
    }

    #[test]
    #[should_panic(expected = "conv: kernel 3 and stride 0 must be positive")]
    fn zero_stride_panics() {
        Window2d::square(3, 0, 0).geometry("conv", 5, 5);
    }
}
