//! Printing a tensor the way PyTorch does: nested brackets, four decimals, and `...` in
//! place of the middle of any axis longer than six.
//!
//! ```
//! use tensor::Tensor;
//! let x = Tensor::from_vec(vec![1.0, 2.5, -3.0, 4.0], &[2, 2]).unwrap();
//! assert_eq!(x.to_string(), "tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]], shape=[2, 2])");
//! ```

use std::fmt;

use crate::tensor::Tensor;

/// Axes longer than this show their first and last three entries only.
const EDGE: usize = 3;

/// Writes the entries of the sub-tensor starting at `offset` whose axes are `shape`,
/// with `depth` levels of brackets already open.
fn write_block(
    f: &mut fmt::Formatter<'_>,
    t: &Tensor,
    shape: &[usize],
    offset: usize,
    depth: usize,
    width: usize,
) -> fmt::Result {
    let Some((&len, rest)) = shape.split_first() else {
        return write!(f, "{:>width$.4}", t.data()[offset]);
    };
    let block: usize = rest.iter().product();
    let shown: Vec<Option<usize>> = if len > 2 * EDGE {
        (0..EDGE)
            .map(Some)
            .chain(std::iter::once(None))
            .chain((len - EDGE..len).map(Some))
            .collect()
    } else {
        (0..len).map(Some).collect()
    };
    write!(f, "[")?;
    for (k, entry) in shown.iter().enumerate() {
        if k > 0 {
            if rest.is_empty() {
                write!(f, ", ")?;
            } else {
                write!(f, ",{}", "\n".repeat(rest.len()))?;
                write!(f, "{}", " ".repeat(depth + 8))?;
            }
        }
        match entry {
            Some(i) => write_block(f, t, rest, offset + i * block, depth + 1, width)?,
            None => write!(f, "...")?,
        }
    }
    write!(f, "]")
}

impl fmt::Display for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .data()
            .iter()
            .map(|v| format!("{v:.4}").len())
            .max()
            .unwrap_or(0);
        write!(f, "tensor(")?;
        write_block(f, self, self.shape(), 0, 0, width)?;
        write!(f, ", shape={:?})", self.shape())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar() {
        // Shape [] has no brackets; four decimals as PyTorch prints.
        assert_eq!(Tensor::scalar(3.5).to_string(), "tensor(3.5000, shape=[])");
        assert_eq!(
            Tensor::scalar(-0.125).to_string(),
            "tensor(-0.1250, shape=[])"
        );
    }

    #[test]
    fn vector() {
        // Every entry right-aligned to the widest, "-2.5000" (7 characters).
        let x = Tensor::from_vec(vec![1.0, -2.5, 3.0], &[3]).unwrap();
        assert_eq!(
            x.to_string(),
            "tensor([ 1.0000, -2.5000,  3.0000], shape=[3])"
        );
    }

    #[test]
    fn matrix() {
        // Rows on their own lines, aligned under the first "[[".
        let x = Tensor::from_vec(vec![1.0, 2.5, -3.0, 4.0, 10.0, 0.0], &[2, 3]).unwrap();
        assert_eq!(
            x.to_string(),
            "tensor([[ 1.0000,  2.5000, -3.0000],\n        [ 4.0000, 10.0000,  0.0000]], shape=[2, 3])"
        );
    }

    #[test]
    fn three_axes_leave_a_blank_line_between_matrices() {
        let x = Tensor::arange(0.0, 8.0, 1.0).reshape(&[2, 2, 2]);
        assert_eq!(
            x.to_string(),
            "tensor([[[0.0000, 1.0000],\n         [2.0000, 3.0000]],\n\n        \
             [[4.0000, 5.0000],\n         [6.0000, 7.0000]]], shape=[2, 2, 2])"
        );
    }

    #[test]
    fn long_vector_is_elided() {
        // 10 > 2·3 entries: the first three, "...", the last three.
        let x = Tensor::arange(0.0, 10.0, 1.0);
        assert_eq!(
            x.to_string(),
            "tensor([0.0000, 1.0000, 2.0000, ..., 7.0000, 8.0000, 9.0000], shape=[10])"
        );
        // Six entries are shown whole.
        assert!(!Tensor::zeros(&[6]).to_string().contains("..."));
        assert!(Tensor::zeros(&[7]).to_string().contains("..."));
    }

    #[test]
    fn large_matrix_is_elided_along_both_axes() {
        // arange(64) as [8, 8]: rows 0–2 and 5–7, and in each row columns 0–2 and 5–7.
        let x = Tensor::arange(0.0, 64.0, 1.0).reshape(&[8, 8]);
        let expected = "\
tensor([[ 0.0000,  1.0000,  2.0000, ...,  5.0000,  6.0000,  7.0000],
        [ 8.0000,  9.0000, 10.0000, ..., 13.0000, 14.0000, 15.0000],
        [16.0000, 17.0000, 18.0000, ..., 21.0000, 22.0000, 23.0000],
        ...,
        [40.0000, 41.0000, 42.0000, ..., 45.0000, 46.0000, 47.0000],
        [48.0000, 49.0000, 50.0000, ..., 53.0000, 54.0000, 55.0000],
        [56.0000, 57.0000, 58.0000, ..., 61.0000, 62.0000, 63.0000]], shape=[8, 8])";
        assert_eq!(x.to_string(), expected);
    }

    #[test]
    fn large_tensor_prints_only_its_edges() {
        // A [100, 100, 100] tensor prints 6·6·6 numbers, not a million.
        let x = Tensor::arange(0.0, 1e6, 1.0).reshape(&[100, 100, 100]);
        let s = x.to_string();
        // One "..." between the matrices, and in each of the 6 shown: one between rows and
        // one in each of the 6 rows: 1 + 6·(1 + 6) = 43.
        assert_eq!(s.matches("...").count(), 43);
        assert!(s.lines().count() < 60);
        assert!(s.ends_with("999999.0000]]], shape=[100, 100, 100])"));
    }

    #[test]
    fn empty_tensor() {
        assert_eq!(Tensor::zeros(&[0]).to_string(), "tensor([], shape=[0])");
    }
}
