//! Batch normalisation computes what PyTorch's `nn.BatchNorm2d` computes: the training
//! pass's output and gradients, the running statistics after one and two passes, and the
//! evaluation pass with them, compared with `golden/batch_norm.safetensors` at the
//! workspace root (written by `golden/generate.py`, whose docstring states each case).

use std::collections::BTreeMap;
use std::path::Path;

use autograd::Var;
use layers::{BatchNorm2d, Mode, Module, read_tensors};
use tensor::Tensor;

/// How far from PyTorch a value may be: `|ours − torch| ≤ TOL·(1 + |torch|)`.
const TOL: f32 = 1e-5;

fn golden(name: &str) -> BTreeMap<String, Tensor> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../golden")
        .join(name);
    read_tensors(&path).unwrap_or_else(|e| {
        panic!("PyTorch reference file missing or unreadable ({e}); regenerate it with golden/generate.py")
    })
}

fn assert_matches_torch(what: &str, ours: &Tensor, torch: &Tensor) {
    assert_eq!(ours.shape(), torch.shape(), "{what}: shapes differ");
    for (i, (&a, &b)) in ours.data().iter().zip(torch.data()).enumerate() {
        assert!(
            (a - b).abs() <= TOL * (1.0 + b.abs()),
            "{what}: element {i} is {a}, PyTorch gives {b}"
        );
    }
}

#[test]
fn batch_norm2d_matches_pytorch_in_training_and_evaluation() {
    let file = golden("batch_norm.safetensors");
    for case in ["images", "small"] {
        let t = |name: &str| file[&format!("{case}.{name}")].clone();
        let bn = BatchNorm2d::from_params(Var::param(t("weight")), Var::param(t("bias")));

        // Training: the batch's own statistics; L = Σ y ⊙ g.
        let x = Var::param(t("x"));
        let y = bn.forward(&x, Mode::Train);
        assert_matches_torch(&format!("{case}: y"), &y.value(), &t("y"));
        y.backward_with(t("g"));
        assert_matches_torch(&format!("{case}: ∂L/∂x"), &x.grad().unwrap(), &t("grad_x"));
        assert_matches_torch(
            &format!("{case}: ∂L/∂γ"),
            &bn.weight().grad().unwrap(),
            &t("grad_weight"),
        );
        assert_matches_torch(
            &format!("{case}: ∂L/∂β"),
            &bn.bias().grad().unwrap(),
            &t("grad_bias"),
        );

        // The running statistics after one pass, then after a second (the unbiased variance).
        let (mean, var) = bn.running_stats();
        assert_matches_torch(
            &format!("{case}: running mean 1"),
            &mean,
            &t("running_mean_1"),
        );
        assert_matches_torch(&format!("{case}: running var 1"), &var, &t("running_var_1"));
        bn.forward(&Var::constant(t("x2")), Mode::Train);
        let (mean, var) = bn.running_stats();
        assert_matches_torch(
            &format!("{case}: running mean 2"),
            &mean,
            &t("running_mean_2"),
        );
        assert_matches_torch(&format!("{case}: running var 2"), &var, &t("running_var_2"));
        assert_eq!(bn.batches_tracked(), 2);

        // Evaluation: the running statistics; L = Σ y ⊙ g_eval.
        bn.zero_grad();
        let x = Var::param(t("x_eval"));
        let y = bn.forward(&x, Mode::Eval);
        assert_matches_torch(&format!("{case}: y (eval)"), &y.value(), &t("y_eval"));
        y.backward_with(t("g_eval"));
        assert_matches_torch(
            &format!("{case}: ∂L/∂x (eval)"),
            &x.grad().unwrap(),
            &t("grad_x_eval"),
        );
        assert_matches_torch(
            &format!("{case}: ∂L/∂γ (eval)"),
            &bn.weight().grad().unwrap(),
            &t("grad_weight_eval"),
        );
        assert_matches_torch(
            &format!("{case}: ∂L/∂β (eval)"),
            &bn.bias().grad().unwrap(),
            &t("grad_bias_eval"),
        );
        // Evaluation leaves the running statistics alone.
        assert_eq!(bn.running_stats().0, mean);
    }
}
