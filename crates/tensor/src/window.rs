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
fn resolve_axis(op: &str, input: usize, k: usize, s: usize, padding: Option<usize>) -> (usize, usize) {
    assert!(k > 0 && s > 0, "{op}: kernel {k} and stride {s} must be positive");
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
