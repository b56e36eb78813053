//! # Exercise 1 — the broadcast shape of two shapes
//!
//! Lesson: [2 — The forward pass in matrices](../docs/lessons/02-regression.md), part 1.
//!
//! Adding a bias `b: [out]` to every row of `z: [N, out]` works because of *broadcasting*
//! (NumPy's and PyTorch's rule): align the two shapes at their last axis; each aligned pair
//! of lengths must be equal, or one of them 1, and the result takes the larger; an axis that
//! one shape lacks counts as length 1.
//!
//! ```text
//! [4, 1, 3] with    [5, 1] → [4, 5, 3]
//!    [2, 3] with       [3] → [2, 3]
//!    [2, 3] with       [2] → does not broadcast (3 against 2)
//!        [] with        [] → []   (two scalars)
//! ```
//!
//! Write `broadcast_shape(a, b)`: the broadcast shape, or `None` if the shapes do not
//! broadcast.
//!
//! # Shapes
//! `a` and `b` of any rank (0 is a scalar) → a shape of rank `max(a.len(), b.len())`.
//!
//! # Graded by
//! Comparison with the course's `broadcast_shape` in `crates/tensor/src/shape.rs` on the
//! examples above and on 256 random pairs of shapes.

/// The shape that `a` and `b` broadcast to, or `None`.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    // BEGIN SOLUTION
    let n = a.len().max(b.len());
    // Length `k` from the right, or 1 where the shape has no such axis.
    let from_right = |s: &[usize], k: usize| if k < s.len() { s[s.len() - 1 - k] } else { 1 };
    let mut out = vec![0; n];
    for k in 0..n {
        out[n - 1 - k] = match (from_right(a, k), from_right(b, k)) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(out)
    // END SOLUTION
}
