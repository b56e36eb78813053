//! Simple data augmentation the lessons use: inverted images and joined data sets.
//!
//! ```
//! use tensor::Tensor;
//! let x = Tensor::from_vec(vec![0.0, 0.25, 1.0], &[1, 1, 1, 3]).unwrap();
//! assert_eq!(data::augment::invert(&x).data(), &[1.0, 0.75, 0.0]);
//! ```

use tensor::Tensor;

/// Black-on-white from white-on-black: `1 − x` for pixels in `[0, 1]`.
///
/// # Shapes
/// Any shape → the same shape.
pub fn invert(x: &Tensor) -> Tensor {
    x.map(|v| 1.0 - v)
}

/// Stacks data sets one after another along the rows: images with images, labels with
/// labels (e.g. MNIST followed by its inverted copy). Panics if a pair has different `N`
/// or the sets' other dimensions differ.
///
/// # Shapes
/// `[(x_k: [N_k, ...], y_k: [N_k, ...])]` → `(x: [Σ N_k, ...], y: [Σ N_k, ...])`.
pub fn concat_sets(sets: &[(&Tensor, &Tensor)]) -> (Tensor, Tensor) {
    assert!(!sets.is_empty(), "concat_sets: no data sets given");
    for (x, y) in sets {
        assert_eq!(
            x.dim(0),
            y.dim(0),
            "concat_sets: inputs {:?} and targets {:?} differ in rows",
            x.shape(),
            y.shape()
        );
    }
    let xs: Vec<&Tensor> = sets.iter().map(|(x, _)| *x).collect();
    let ys: Vec<&Tensor> = sets.iter().map(|(_, y)| *y).collect();
    (Tensor::concat(&xs, 0), Tensor::concat(&ys, 0))
}
