//! PyTorch's reference values (the repository's `golden/`), and comparing the learner's
//! numbers with a reference.
//!
//! `golden/README.md` says how each file was made and what each case holds; the tensors are
//! named `CASE.NAME`, e.g. `sigmoid.grad_x`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tensor::Tensor;

use crate::Outcome;
use crate::show;

/// The tensors of `golden/<file>.safetensors`.
pub fn load(file: &str) -> Result<BTreeMap<String, Tensor>, Outcome> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../golden")
        .join(format!("{file}.safetensors"));
    layers::read_tensors(&path).map_err(|e| {
        Outcome::Failing(format!(
            "the PyTorch reference file {} could not be read ({e}); golden/README.md says how \
             to make it again",
            path.display()
        ))
    })
}

/// The tensor `case.name` of a loaded golden file.
pub fn get<'a>(file: &'a BTreeMap<String, Tensor>, case: &str, name: &str) -> &'a Tensor {
    let key = format!("{case}.{name}");
    file.get(&key)
        .unwrap_or_else(|| panic!("golden file has no tensor `{key}` (see golden/README.md)"))
}

/// `Ok` if `got` has `want`'s shape and every element is within `atol + rtol·|want|`;
/// otherwise a failure that names `what`, the worst element, both values and the shapes.
/// `reference` says where `want` comes from ("PyTorch", "the course's `Tensor::sum_to`").
pub fn close(
    what: &str,
    reference: &str,
    got: &Tensor,
    want: &Tensor,
    rtol: f32,
    atol: f32,
) -> Result<(), Outcome> {
    if got.shape() != want.shape() {
        return Err(Outcome::Failing(format!(
            "{what} has shape {:?}; {reference} gives shape {:?}",
            got.shape(),
            want.shape()
        )));
    }
    let Some((i, g, w)) = show::worst_difference(got.data(), want.data(), rtol, atol) else {
        return Ok(());
    };
    let at = match want.shape() {
        [] => String::new(),
        shape => format!(" at {}", show::element("element ", i, shape)),
    };
    Err(Outcome::Failing(format!(
        "{what} differs from {reference}{at}: yours {g}, {reference} {w} (shape {:?}, allowed \
         difference {:.1e})",
        want.shape(),
        atol + rtol * w.abs()
    )))
}
