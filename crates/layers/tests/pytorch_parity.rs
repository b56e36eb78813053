//! Batch normalisation computes what PyTorch's `nn.BatchNorm2d` computes: the training
//! pass's output and gradients, the running statistics after one and two passes, and the
//! evaluation pass with them, compared with `golden/batch_norm.safetensors` at the
//! workspace root (written by `golden/generate.py`, whose docstring states each case).
//!
//! The transformer's pieces compute what PyTorch's do (`golden/attention.safetensors`):
//! `nn.LayerNorm`, `F.gelu`, `nn.MultiheadAttention` (its output, its per-head attention
//! weights and every gradient), a whole `nn.TransformerEncoderLayer` (pre-norm, GELU), whose
//! `state_dict` loads strictly into a [`TransformerBlock`], and a small vision transformer.

use std::collections::BTreeMap;
use std::path::Path;

use autograd::Var;
use layers::{
    BatchNorm2d, LayerNorm, Mode, Module, MultiHeadAttention, TransformerBlock, VisionTransformer,
    VitConfig, load, read_tensors, write_tensors,
};
use rand::{SeedableRng, rngs::StdRng};
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
    println!(
        "{what}: max |ours − torch| = {:.2e}",
        ours.max_abs_diff(torch)
    );
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

/// The tensors of one case of `golden/attention.safetensors`, without the case's prefix.
fn attention_case(case: &str) -> BTreeMap<String, Tensor> {
    let prefix = format!("{case}.");
    golden("attention.safetensors")
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|k| (k.to_string(), v)))
        .collect()
}

/// Loads the case's `param.NAME` tensors into `module` through a safetensors file, with
/// [`load`]'s strict check: every parameter of ours must be in PyTorch's `state_dict` with
/// its shape, and every tensor of PyTorch's must be one of ours.
fn load_torch_state(module: &dyn Module, t: &BTreeMap<String, Tensor>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state_dict.safetensors");
    let params = t
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("param.").map(|name| (name, v)));
    write_tensors(&path, params).unwrap();
    load(module, &path).unwrap_or_else(|e| panic!("PyTorch's state_dict does not load: {e}"));
}

/// Compares `∂L/∂p` of every parameter with PyTorch's `grad.NAME`.
fn assert_grads_match_torch(case: &str, module: &dyn Module, t: &BTreeMap<String, Tensor>) {
    for (name, p) in module.named_parameters() {
        let grad = p
            .grad()
            .unwrap_or_else(|| panic!("{case}: no gradient for {name}"));
        assert_matches_torch(
            &format!("{case}: ∂L/∂{name}"),
            &grad,
            &t[&format!("grad.{name}")],
        );
    }
}

#[test]
fn layer_norm_and_gelu_match_pytorch() {
    // nn.LayerNorm(8) with a given γ and β; L = Σ y ⊙ g.
    let t = attention_case("layer_norm");
    let norm = LayerNorm::from_params(
        Var::param(t["weight"].clone()),
        Var::param(t["bias"].clone()),
        1e-5,
    );
    let x = Var::param(t["x"].clone());
    let y = norm.forward(&x, Mode::Train);
    assert_matches_torch("layer_norm: y", &y.value(), &t["y"]);
    y.backward_with(t["g"].clone());
    assert_matches_torch("layer_norm: ∂L/∂x", &x.grad().unwrap(), &t["grad_x"]);
    assert_matches_torch(
        "layer_norm: ∂L/∂γ",
        &norm.weight().grad().unwrap(),
        &t["grad_weight"],
    );
    assert_matches_torch(
        "layer_norm: ∂L/∂β",
        &norm.bias().grad().unwrap(),
        &t["grad_bias"],
    );

    // F.gelu, the exact form, on x in [−6, 6].
    let t = attention_case("gelu");
    let x = Var::param(t["x"].clone());
    let y = x.gelu();
    assert_matches_torch("gelu: y", &y.value(), &t["y"]);
    y.backward_with(t["g"].clone());
    assert_matches_torch("gelu: ∂L/∂x", &x.grad().unwrap(), &t["grad_x"]);
}

#[test]
fn multi_head_attention_matches_pytorch() {
    let t = attention_case("mha");
    let heads = t["heads"].item() as usize;
    let attn = MultiHeadAttention::from_params(
        Var::param(t["in_proj_weight"].clone()),
        Var::param(t["in_proj_bias"].clone()),
        (
            Var::param(t["out_proj.weight"].clone()),
            Var::param(t["out_proj.bias"].clone()),
        ),
        heads,
    );
    let x = Var::param(t["x"].clone());
    let (y, a) = attn.forward_with_attention(&x, Mode::Train);
    assert_matches_torch("mha: y", &y.value(), &t["y"]);
    // need_weights=True, average_attn_weights=False: PyTorch's [B, H, T, T] per head.
    assert_matches_torch("mha: attention weights", &a.value(), &t["attn"]);
    y.backward_with(t["g"].clone());
    assert_matches_torch("mha: ∂L/∂x", &x.grad().unwrap(), &t["grad_x"]);
    for (name, p) in attn.named_parameters() {
        assert_matches_torch(
            &format!("mha: ∂L/∂{name}"),
            &p.grad().unwrap(),
            &t[&format!("grad_{name}")],
        );
    }
}

#[test]
fn a_transformer_block_is_pytorchs_pre_norm_encoder_layer_and_loads_its_state_dict() {
    let t = attention_case("encoder_layer");
    let (d, heads, ff) = (8, t["heads"].item() as usize, 16);
    let block = TransformerBlock::new(d, heads, ff, &mut StdRng::seed_from_u64(0));
    load_torch_state(&block, &t);
    let x = Var::param(t["x"].clone());
    let y = block.forward(&x, Mode::Train);
    assert_matches_torch("encoder_layer: y", &y.value(), &t["y"]);
    y.backward_with(t["g"].clone());
    assert_matches_torch("encoder_layer: ∂L/∂x", &x.grad().unwrap(), &t["grad_x"]);
    assert_grads_match_torch("encoder_layer", &block, &t);
}

#[test]
fn a_vision_transformer_matches_its_pytorch_twin() {
    // 8×8 images in 4×4 patches (4 tokens and the class token), width 8, two blocks of two
    // heads and MLP 16, three classes; the twin is `TinyViT` in golden/generate.py.
    let t = attention_case("vit");
    let config = VitConfig {
        image: [1, 8, 8],
        patch: t["patch"].item() as usize,
        dim: 8,
        depth: 2,
        heads: t["heads"].item() as usize,
        mlp: 16,
        classes: 3,
    };
    let vit = VisionTransformer::new(config, &mut StdRng::seed_from_u64(0));
    load_torch_state(&vit, &t);
    let x = Var::param(t["x"].clone());
    let logits = vit.forward(&x, Mode::Train);
    assert_matches_torch("vit: logits", &logits.value(), &t["logits"]);
    logits.backward_with(t["g"].clone());
    assert_matches_torch("vit: ∂L/∂x", &x.grad().unwrap(), &t["grad_x"]);
    assert_grads_match_torch("vit", &vit, &t);
}
