//! Agreement with PyTorch on the reference values in the repository's `golden/` (see its
//! README for the script that makes them): the losses and their gradients, three optimizer steps from given gradients, and
//! the lesson-6 CNN end to end (logits, loss and every parameter's gradient).

use std::collections::BTreeMap;
use std::path::PathBuf;

use autograd::Var;
use layers::{Conv2d, Flatten, Linear, MaxPool2d, Mode, Module, ReLU, Sequential, read_tensors};
use optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig, bce,
    bce_with_logits, cross_entropy, mse,
};
use rand::{SeedableRng, rngs::StdRng};
use tensor::{Padding, Tensor, Window2d};

/// The tensors of `golden/<file>.safetensors` at the workspace root, with a clear message
/// if missing.
fn golden(file: &str) -> BTreeMap<String, Tensor> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../golden");
    let path = dir.join(format!("{file}.safetensors"));
    assert!(
        path.exists(),
        "PyTorch reference file {} is missing: regenerate it with golden/generate.py (see \
         golden/README.md)",
        path.display()
    );
    read_tensors(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// `|a − b| ≤ atol + rtol·|b|` element-wise, with the worst element in the message.
fn assert_close(what: &str, got: &Tensor, want: &Tensor, rtol: f32, atol: f32) {
    assert_eq!(
        got.numel(),
        want.numel(),
        "{what}: {:?} vs {:?}",
        got.shape(),
        want.shape()
    );
    let got = got.reshape(want.shape());
    assert!(
        got.allclose(want, rtol, atol),
        "{what}: differs from PyTorch by up to {} (max |PyTorch| {})",
        got.max_abs_diff(want),
        want.abs().max_all()
    );
}

#[test]
fn losses_match_pytorch() {
    let g = golden("losses");
    type Loss = fn(&Var, &Tensor) -> Var;
    let cases: [(&str, &str, &str, Loss); 4] = [
        ("cross_entropy", "logits", "grad_logits", cross_entropy),
        ("bce", "p", "grad_p", bce),
        ("bce_logits", "z", "grad_z", bce_with_logits),
        ("mse", "y_hat", "grad_y_hat", mse),
    ];
    for (case, input, grad, loss) in cases {
        let x = Var::param(g[&format!("{case}.{input}")].clone());
        let l = loss(&x, &g[&format!("{case}.target")]);
        l.backward();
        let want_loss = g[&format!("{case}.loss")].item();
        assert!(
            (l.item() - want_loss).abs() <= 1e-5 * want_loss.abs(),
            "{case}: {} vs {want_loss}",
            l.item()
        );
        assert_close(
            &format!("{case} gradient"),
            &x.grad().unwrap(),
            &g[&format!("{case}.{grad}")],
            1e-5,
            1e-7,
        );
    }
}

/// The optimizer of each reference case, with the hyperparameters of the README.
fn optimizer(case: &str, p: Var) -> Box<dyn Optimizer> {
    let params = vec![p];
    match case {
        "sgd_momentum" => {
            let config = SgdConfig {
                lr: 0.1,
                momentum: 0.9,
                ..SgdConfig::default()
            };
            Box::new(Sgd::new(params, config))
        }
        "sgd_nesterov_wd" => {
            let config = SgdConfig {
                lr: 0.05,
                momentum: 0.9,
                nesterov: true,
                weight_decay: 0.01,
                ..SgdConfig::default()
            };
            Box::new(Sgd::new(params, config))
        }
        "rmsprop_keras" => Box::new(RmsProp::new(params, RmsPropConfig::keras())),
        "adam" => Box::new(Adam::new(
            params,
            AdamConfig {
                lr: 0.01,
                ..AdamConfig::default()
            },
        )),
        "adamw" => {
            let config = AdamWConfig {
                lr: 0.01,
                weight_decay: 0.1,
                ..AdamWConfig::default()
            };
            Box::new(AdamW::new(params, config))
        }
        _ => unreachable!("no case {case}"),
    }
}

#[test]
fn optimizers_match_pytorch_for_three_steps() {
    let g = golden("optimizers");
    for case in [
        "sgd_momentum",
        "sgd_nesterov_wd",
        "rmsprop_keras",
        "adam",
        "adamw",
    ] {
        let p = Var::param(g[&format!("{case}.p0")].clone());
        let mut opt = optimizer(case, p.clone());
        for i in 0..3 {
            opt.zero_grad();
            // Seeding backward at the leaf itself sets its gradient to exactly PyTorch's.
            p.backward_with(g[&format!("{case}.grad_{i}")].clone());
            opt.step();
            assert_close(
                &format!("{case} step {i}"),
                &p.value(),
                &g[&format!("{case}.p_after_{i}")],
                1e-5,
                1e-6,
            );
        }
    }
}

#[test]
fn lesson6_cnn_matches_pytorch() {
    let g = golden("cnn");
    // The reference keeps the file small with 14×14 inputs, so the first linear layer takes
    // 32·7·7 = 1568 features instead of lesson 6's 32·14·14 = 6272; every layer is the same.
    let flat = g["lesson6_cnn.param.4.weight"].dim(1);
    let mut rng = StdRng::seed_from_u64(0);
    let model = Sequential::new()
        .push(Conv2d::new(1, 32, 3, 1, Padding::Explicit(1, 1), &mut rng))
        .push(ReLU)
        .push(MaxPool2d::new(Window2d::square(2, 2, 0)))
        .push(Flatten)
        .push(Linear::new(flat, 128, &mut rng))
        .push(ReLU)
        .push(Linear::new(128, 10, &mut rng));
    // Our parameter names are PyTorch's: copy `param.NAME` into each.
    for (name, p) in model.named_parameters() {
        let value = &g[&format!("lesson6_cnn.param.{name}")];
        assert_eq!(value.shape(), p.value().shape(), "{name}");
        *p.value_mut() = value.clone();
    }

    let x = Var::constant(g["lesson6_cnn.x"].clone());
    let logits = model.forward(&x, Mode::Train);
    assert_close(
        "logits",
        &logits.value(),
        &g["lesson6_cnn.logits"],
        1e-4,
        1e-5,
    );
    let loss = cross_entropy(&logits, &g["lesson6_cnn.target"]);
    let want = g["lesson6_cnn.loss"].item();
    assert!(
        (loss.item() - want).abs() <= 1e-5 * want.abs(),
        "loss {} vs {want}",
        loss.item()
    );

    loss.backward();
    for (name, p) in model.named_parameters() {
        let want = &g[&format!("lesson6_cnn.grad.{name}")];
        // 1e-4 relative to the largest gradient of the tensor: a gradient summed over
        // thousands of products in another order differs in its last bits.
        let atol = 1e-4 * want.abs().max_all();
        assert_close(
            &format!("gradient of {name}"),
            &p.grad().unwrap(),
            want,
            1e-4,
            atol,
        );
    }
}
