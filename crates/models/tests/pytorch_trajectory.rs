//! Trajectory parity with PyTorch: lesson 3 (full-batch gradient descent, no shuffling, no
//! dropout, so nothing random after the initialisation) trained for 100 epochs by our
//! crates follows the loss curve that PyTorch traces from the same initial weights.
//!
//! The reference `golden/lesson3_trajectory.safetensors` was made by
//! `golden/lesson3_trajectory.py` from the weights that
//! `cargo run --release -p models --example export_lesson3_init -- 42` writes (see
//! `golden/README.md`). It holds `loss` and `train_accuracy`, one value per epoch, each
//! measured on the forward pass whose gradient makes that epoch's step.
//!
//! Tolerance: the two programs add the same products in different orders (our GEMM against
//! PyTorch's), so each loss differs in its last bits, and gradient descent with a small
//! learning rate carries such differences along without amplifying them. We ask
//! `|ours − torch| ≤ 1e-4·|torch|` at every epoch: a wrong rule, learning rate or
//! initialisation misses that by orders of magnitude (a learning rate 1% off moves the
//! 100th loss by about 1e-3 relative).

use std::path::Path;

use models::{Context, Schedule};

/// The seed the reference trajectory was made with.
const SEED: u64 = 42;
/// The epochs of the reference.
const EPOCHS: usize = 100;
/// Relative agreement asked at every epoch.
const RTOL: f64 = 1e-4;

#[test]
fn lesson_3_follows_pytorchs_loss_curve_from_the_same_start() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../golden/lesson3_trajectory.safetensors");
    let golden = layers::read_tensors(&path).unwrap_or_else(|e| {
        panic!("{e} (regenerate it with golden/lesson3_trajectory.py, see golden/README.md)")
    });
    let want: Vec<f64> = golden["loss"].data().iter().map(|&v| v as f64).collect();
    let want_acc: Vec<f64> = golden["train_accuracy"]
        .data()
        .iter()
        .map(|&v| v as f64)
        .collect();
    assert_eq!(want.len(), EPOCHS, "{}: `loss` length", path.display());

    let lesson = models::lesson(3).expect("lesson 3 is registered");
    let ctx = Context {
        seed: SEED,
        data_root: data::data_root(None),
        out_dir: Path::new(env!("CARGO_TARGET_TMPDIR")).join("trajectory/03"),
        schedule: Schedule::Quick,
        overrides: vec![("--epochs".to_string(), EPOCHS.to_string())],
    };
    let summary = models::run_lesson(lesson, &ctx).unwrap_or_else(|e| panic!("lesson 3: {e}"));
    let ours = summary.outcome.history.values("train_loss");
    let ours_acc = summary.outcome.history.values("train_accuracy");
    assert_eq!(ours.len(), EPOCHS);

    let worst = (0..EPOCHS)
        .map(|e| ((ours[e] - want[e]).abs() / want[e].abs(), e))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .expect("100 epochs");
    println!(
        "loss: epoch 1 ours {:.7} PyTorch {:.7}; epoch {EPOCHS} ours {:.7} PyTorch {:.7}; \
         worst relative difference {:.2e} at epoch {}",
        ours[0],
        want[0],
        ours[EPOCHS - 1],
        want[EPOCHS - 1],
        worst.0,
        worst.1 + 1
    );
    assert!(
        worst.0 <= RTOL,
        "lesson 3's loss leaves PyTorch's trajectory: at epoch {} ours is {} and PyTorch's {} \
         (relative difference {:.2e} > {RTOL:e})",
        worst.1 + 1,
        ours[worst.1],
        want[worst.1],
        worst.0
    );
    // Accuracy is a count of thresholded predictions: a probability within rounding of 0.5
    // may flip, so allow a few of the 13,007 images per epoch.
    for e in 0..EPOCHS {
        assert!(
            (ours_acc[e] - want_acc[e]).abs() <= 5.0 / 13_007.0,
            "epoch {}: training accuracy {} vs PyTorch's {}",
            e + 1,
            ours_acc[e],
            want_acc[e]
        );
    }
}
