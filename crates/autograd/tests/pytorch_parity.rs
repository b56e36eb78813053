//! The activations compute what PyTorch computes: forward values and gradients compared
//! with `golden/activations.safetensors` at the workspace root (PyTorch, CPU, f32; see that
//! folder's README for the script that makes it).
//!
//! Each case holds an input `x`, PyTorch's output `y`, a seed `g` and PyTorch's
//! `grad_x = ∂(Σ y ⊙ g)/∂x`. We run the same op on `x`, call `backward_with(g)` (which
//! back-propagates exactly `L = Σ y ⊙ g`) and compare.

use std::path::{Path, PathBuf};

use autograd::Var;
use safetensors::{Dtype, SafeTensors};
use tensor::Tensor;

/// How far from PyTorch a value may be: `|ours − torch| ≤ TOL·(1 + |torch|)`.
const TOL: f32 = 1e-5;

/// `golden/` at the workspace root.
fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../golden")
}

/// The bytes of one golden file, or a panic that says where it was expected.
fn golden_file(name: &str) -> (PathBuf, Vec<u8>) {
    let path = golden_dir().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "PyTorch reference file {} is missing ({e}); regenerate it with \
             golden/generate.py (see golden/README.md)",
            path.display()
        )
    });
    (path, bytes)
}

/// The f32 tensor `name` of a safetensors file (little-endian, row-major).
fn read_tensor(path: &Path, bytes: &[u8], name: &str) -> Tensor {
    let file = SafeTensors::deserialize(bytes)
        .unwrap_or_else(|e| panic!("{}: not a safetensors file: {e}", path.display()));
    let view = file
        .tensor(name)
        .unwrap_or_else(|e| panic!("{}: no tensor `{name}`: {e}", path.display()));
    assert_eq!(
        view.dtype(),
        Dtype::F32,
        "{}: `{name}` is not f32",
        path.display()
    );
    let values = view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Tensor::from_vec(values, view.shape())
        .unwrap_or_else(|e| panic!("{}: `{name}`: {e}", path.display()))
}

/// The activation cases of the golden file.
struct Activations {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Activations {
    fn load() -> Activations {
        let (path, bytes) = golden_file("activations.safetensors");
        Activations { path, bytes }
    }

    /// Tensor `NAME` of `case` (stored as `case.NAME`).
    fn get(&self, case: &str, name: &str) -> Tensor {
        read_tensor(&self.path, &self.bytes, &format!("{case}.{name}"))
    }
}

/// Asserts `ours` matches PyTorch's `torch` element by element to within [`TOL`].
fn assert_matches_torch(what: &str, ours: &Tensor, torch: &Tensor) {
    assert_eq!(ours.shape(), torch.shape(), "{what}: shapes differ");
    for (i, (&a, &b)) in ours.data().iter().zip(torch.data()).enumerate() {
        assert!(
            (a - b).abs() <= TOL * (1.0 + b.abs()),
            "{what}[{i}]: gradschool {a}, PyTorch {b}"
        );
    }
}

/// Runs `op` on the case's `x`, back-propagates its `g`, and compares `y` and `grad_x`.
fn check_against_torch(case: &str, op: impl Fn(&Var) -> Var) {
    let golden = Activations::load();
    let x = Var::param(golden.get(case, "x"));
    let y = op(&x);
    assert_matches_torch(&format!("{case}.y"), &y.value(), &golden.get(case, "y"));
    y.backward_with(golden.get(case, "g"));
    let grad_x = x.grad().expect("x requires a gradient").clone();
    assert_matches_torch(
        &format!("{case}.grad_x"),
        &grad_x,
        &golden.get(case, "grad_x"),
    );
}

#[test]
fn sigmoid_matches_pytorch() {
    check_against_torch("sigmoid", Var::sigmoid);
}

#[test]
fn tanh_matches_pytorch() {
    check_against_torch("tanh", Var::tanh);
}

#[test]
fn relu_matches_pytorch() {
    check_against_torch("relu", Var::relu);
}

#[test]
fn leaky_relu_matches_pytorch() {
    check_against_torch("leaky_relu_0.1", |x| x.leaky_relu(0.1));
}

#[test]
fn softmax_matches_pytorch() {
    check_against_torch("softmax", |x| x.softmax(1));
}

#[test]
fn log_softmax_matches_pytorch() {
    check_against_torch("log_softmax", |x| x.log_softmax(1));
}

#[test]
fn prelu_matches_pytorch() {
    let golden = Activations::load();
    let slope = Var::param(golden.get("prelu", "slope"));
    // The slope is the stored 0.25, one for every feature (shape [1]).
    assert_eq!(slope.value().data(), &[0.25]);
    check_against_torch("prelu", |x| x.prelu(&slope));
    // ∂L/∂a = Σ g ⊙ min(x, 0) over every position, as PyTorch's one-slope PReLU.
    let grad_slope = slope.grad().expect("the slope requires a gradient").clone();
    assert_matches_torch(
        "prelu.grad_slope",
        &grad_slope,
        &golden.get("prelu", "grad_slope"),
    );
}
