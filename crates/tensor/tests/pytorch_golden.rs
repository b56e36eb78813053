//! PyTorch parity: `conv2d`, its backward pass and `max_pool2d` against values computed by
//! PyTorch (see `golden/README.md` at the workspace root).
//!
//! Each case stores the inputs and parameters, PyTorch's output `y`, and the gradients of
//! `L = Σ y · g` for a stored `g`; so `∂L/∂y = g` is the `dy` handed to our backward pass.
//! The files live in the repository's `golden/` folder, with the script that makes them.

use std::path::PathBuf;

use safetensors::{Dtype, SafeTensors};
use tensor::conv::{conv2d, conv2d_backward, conv2d_naive};
use tensor::pool::{max_pool2d, max_pool2d_backward};
use tensor::{Tensor, Window2d};

/// Agreement asked of every value: `|ours − torch| ≤ RTOL·|torch| + ATOL`, where `ATOL` is
/// `RTOL` times the tensor's largest magnitude (so a value that cancels to nearly 0 is held
/// to the precision of the numbers it was summed from). About 1e-5 relative, as the
/// README expects of single ops in f32.
const RTOL: f32 = 1e-5;

/// The folder of golden files: `golden/` at the workspace root.
fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../golden")
}

/// The bytes of one golden file; panics with where it was looked for if it is missing.
fn read_golden(file: &str) -> Vec<u8> {
    let path = golden_dir().join(file);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read PyTorch golden file {} ({e}); regenerate it with golden/generate.py \
             (see golden/README.md)",
            path.display()
        )
    })
}

/// Reads the f32 tensor `name` out of a safetensors file: little-endian bytes → `Tensor`.
fn load(st: &SafeTensors<'_>, name: &str) -> Tensor {
    let view = st
        .tensor(name)
        .unwrap_or_else(|e| panic!("golden tensor {name} is missing: {e}"));
    assert_eq!(view.dtype(), Dtype::F32, "golden tensor {name} is not f32");
    let data = view
        .data()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Tensor::from_vec(data, view.shape()).unwrap_or_else(|e| panic!("golden tensor {name}: {e}"))
}

/// A hyper-parameter stored as a one-element f32 tensor (stride, padding), as `usize`.
fn load_usize(st: &SafeTensors<'_>, name: &str) -> usize {
    let v = load(st, name).data()[0];
    assert!(
        v >= 0.0 && v.fract() == 0.0,
        "golden {name} = {v} is not a count"
    );
    v as usize
}

/// Asserts that `ours` matches PyTorch's `torch` to [`RTOL`], naming the worst element.
fn assert_matches_torch(what: &str, ours: &Tensor, torch: &Tensor) {
    assert_eq!(ours.shape(), torch.shape(), "{what}: shape");
    let atol = RTOL * torch.data().iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let (worst, excess) = ours
        .data()
        .iter()
        .zip(torch.data())
        .map(|(a, b)| (a - b).abs() - (RTOL * b.abs() + atol))
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |best, (i, e)| {
            if e > best.1 { (i, e) } else { best }
        });
    assert!(
        excess <= 0.0,
        "{what}: element {worst} is {} but PyTorch has {} (max |diff| {})",
        ours.data()[worst],
        torch.data()[worst],
        ours.max_abs_diff(torch)
    );
}

/// One conv2d case: forward with bias, then the three gradients for `dy = g`.
fn check_conv2d_case(case: &str) {
    let bytes = read_golden("conv2d.safetensors");
    let st =
        SafeTensors::deserialize(&bytes).expect("conv2d.safetensors is not a safetensors file");
    let get = |name: &str| load(&st, &format!("{case}.{name}"));
    let (x, w, b, g) = (get("x"), get("weight"), get("bias"), get("g"));
    let stride = load_usize(&st, &format!("{case}.stride"));
    let padding = load_usize(&st, &format!("{case}.padding"));
    let window = Window2d::square(w.dim(2), stride, padding);

    // y = conv(x, w) + b, by im2col + GEMM and by the naive loops.
    let y = conv2d(&x, &w, Some(&b), &window);
    assert_matches_torch(&format!("{case}: y"), &y, &get("y"));
    assert_matches_torch(
        &format!("{case}: naive y"),
        &conv2d_naive(&x, &w, Some(&b), &window),
        &get("y"),
    );

    // L = Σ y·g, so ∂L/∂y = g.
    let (dx, dw, db) = conv2d_backward(&x, &w, &g, &window);
    assert_matches_torch(&format!("{case}: grad_x"), &dx, &get("grad_x"));
    assert_matches_torch(&format!("{case}: grad_weight"), &dw, &get("grad_weight"));
    assert_matches_torch(&format!("{case}: grad_bias"), &db, &get("grad_bias"));
}

#[test]
fn conv2d_3x3_stride1_pad1() {
    check_conv2d_case("s1p1");
}

#[test]
fn conv2d_3x3_stride2_pad0() {
    check_conv2d_case("s2p0");
}

#[test]
fn conv2d_5x5_stride1_pad2() {
    check_conv2d_case("s1p2k5");
}

/// One max-pooling case: forward, then `dx` for `dy = g`.
fn check_max_pool_case(case: &str, window: Window2d) {
    let bytes = read_golden("max_pool2d.safetensors");
    let st =
        SafeTensors::deserialize(&bytes).expect("max_pool2d.safetensors is not a safetensors file");
    let get = |name: &str| load(&st, &format!("{case}.{name}"));
    let (x, g) = (get("x"), get("g"));
    let pool = max_pool2d(&x, &window);
    assert_matches_torch(&format!("{case}: y"), &pool.y, &get("y"));
    // L = Σ y·g: each g goes to its window's winner.
    let dx = max_pool2d_backward(&g, &pool.argmax, x.shape());
    assert_matches_torch(&format!("{case}: grad_x"), &dx, &get("grad_x"));
}

#[test]
fn max_pool_2x2_stride2_on_6x6() {
    check_max_pool_case("even", Window2d::square(2, 2, 0));
}

#[test]
fn max_pool_same_padding_equals_ceil_mode_on_7x7() {
    // Keras "same" on 7 with a 2×2 stride-2 window: ⌈7/2⌉ = 4 outputs, which PyTorch
    // gets with ceil_mode=True.
    check_max_pool_case("same_odd", Window2d::same(2, 2));
}

#[test]
#[should_panic(expected = "cannot read PyTorch golden file")]
fn a_missing_golden_file_is_named() {
    read_golden("no_such_file.safetensors");
}
