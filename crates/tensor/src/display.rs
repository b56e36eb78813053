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
