//! Writing tensors, indices and cases into messages.

use tensor::Tensor;

/// The multi-index of the element at `flat` (row-major) in a tensor of `shape`.
///
/// ```
/// assert_eq!(grader::show::index_of(5, &[2, 3]), vec![1, 2]);
/// assert_eq!(grader::show::index_of(0, &[]), Vec::<usize>::new());
/// ```
pub fn index_of(flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    let mut rest = flat;
    for (axis, &len) in shape.iter().enumerate().rev() {
        index[axis] = rest % len;
        rest /= len;
    }
    index
}

/// `name[i, j]` for the element at `flat` of a tensor of `shape` (`name` for a scalar).
pub fn element(name: &str, flat: usize, shape: &[usize]) -> String {
    if shape.is_empty() {
        return name.to_string();
    }
    let index: Vec<String> = index_of(flat, shape)
        .iter()
        .map(|i| i.to_string())
        .collect();
    format!("{name}[{}]", index.join(", "))
}

/// `name = tensor(...)`, indented under a message line.
pub fn named(name: &str, t: &Tensor) -> String {
    let text = t.to_string().replace('\n', "\n    ");
    format!("    {name} = {text}")
}

/// Every input of a case, one `name = tensor(...)` per line.
pub fn inputs(names: &[&str], tensors: &[Tensor]) -> String {
    names
        .iter()
        .zip(tensors)
        .map(|(n, t)| named(n, t))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The element where `got` and `want` differ most, as `(flat index, got, want)`, or `None`
/// if every element is within `|got − want| ≤ atol + rtol·|want|`. Non-finite values count
/// as differing.
pub fn worst_difference(
    got: &[f32],
    want: &[f32],
    rtol: f32,
    atol: f32,
) -> Option<(usize, f32, f32)> {
    let mut worst: Option<(usize, f32, f32, f32)> = None;
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let excess = if g.is_finite() && w.is_finite() {
            (g - w).abs() - (atol + rtol * w.abs())
        } else if g.to_bits() == w.to_bits() {
            continue;
        } else {
            f32::INFINITY
        };
        if excess > 0.0 && worst.is_none_or(|(_, _, _, e)| excess > e) {
            worst = Some((i, g, w, excess));
        }
    }
    worst.map(|(i, g, w, _)| (i, g, w))
}
