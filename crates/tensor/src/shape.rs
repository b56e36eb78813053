//! Shape arithmetic: element counts, row-major strides, NumPy broadcasting, and whether a
//! matrix is read as stored or transposed.
//!
//! Broadcasting (NumPy, PyTorch): align two shapes at their last axis; each pair of lengths
//! must be equal or one of them 1, and the result takes the larger. `[4, 1, 3]` with `[5, 1]`
//! gives `[4, 5, 3]`.

/// Whether an operand of a matrix product is read as stored or transposed: the same
/// row-major data, with the roles of its row and column strides swapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transpose {
    /// Use the matrix as stored.
    No,
    /// Use its transpose.
    Yes,
}

/// The number of elements of a tensor of `shape`: `Π shape` (1 for the scalar shape `[]`).
pub fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Row-major strides: `stride[k] = Π shape[k+1..]`, so the last axis has stride 1.
pub fn strides(shape: &[usize]) -> Vec<usize> {
    let mut strides = vec![1; shape.len()];
    for k in (0..shape.len().saturating_sub(1)).rev() {
        strides[k] = strides[k + 1] * shape[k + 1];
    }
    strides
}

/// The broadcast shape of `a` and `b`, or `None` if some aligned pair of lengths differ
/// and neither is 1.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for k in 0..n {
        // Lengths aligned from the right; a missing axis counts as length 1.
        let da = if k + a.len() >= n {
            a[k + a.len() - n]
        } else {
            1
        };
        let db = if k + b.len() >= n {
            b[k + b.len() - n]
        } else {
            1
        };
        out[k] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(out)
}

/// The strides with which to read a tensor of shape `from` as if it had the (broadcast)
/// shape `to`: axes that are missing or of length 1 in `from` get stride 0, so the same
/// element is read again along them.
pub fn broadcast_strides(from: &[usize], to: &[usize]) -> Vec<usize> {
    let own = strides(from);
    let pad = to.len() - from.len();
    (0..to.len())
        .map(|k| {
            if k < pad || from[k - pad] == 1 {
                0
            } else {
                own[k - pad]
            }
        })
        .collect()
}

/// Normalises an axis given as `isize` (negative counts from the end, like PyTorch's `dim=-1`).
pub fn normalize_axis(op: &str, axis: isize, ndim: usize) -> usize {
    let a = if axis < 0 { axis + ndim as isize } else { axis };
    assert!(
        a >= 0 && (a as usize) < ndim,
        "{op}: axis {axis} is out of range for a tensor with {ndim} axes"
    );
    a as usize
}

/// Splits `shape` around `axis` into `(outer, len, inner)`: the product of the lengths
/// before the axis, the axis' own length, and the product after it. Many axis-wise ops
/// treat a tensor as an `[outer, len, inner]` block of numbers.
pub fn split_at_axis(shape: &[usize], axis: usize) -> (usize, usize, usize) {
    (
        numel(&shape[..axis]),
        shape[axis],
        numel(&shape[axis + 1..]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_are_row_major() {
        assert_eq!(strides(&[2, 3, 4]), vec![12, 4, 1]);
        assert_eq!(strides(&[]), Vec::<usize>::new());
    }

    #[test]
    fn broadcasting_follows_numpy() {
        assert_eq!(broadcast_shape(&[4, 1, 3], &[5, 1]), Some(vec![4, 5, 3]));
        assert_eq!(broadcast_shape(&[], &[2, 2]), Some(vec![2, 2]));
        assert_eq!(broadcast_shape(&[2, 3], &[4]), None);
        assert_eq!(broadcast_strides(&[5, 1], &[4, 5, 3]), vec![0, 1, 0]);
    }
}
