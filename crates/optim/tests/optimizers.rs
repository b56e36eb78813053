//! Each optimizer against updates worked out by hand for three steps, on one-weight
//! problems whose gradient is simple: `L = ½w²` (so `∇ = w`) or `L = c·w` (so `∇ = c`).
//! Then: parameters without gradients are skipped, and invalid hyperparameters are refused
//! (by `validate`, and by the constructors with a panic).

use autograd::Var;
use optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, OptimError, Optimizer, RmsProp, RmsPropConfig, Sgd,
    SgdConfig,
};
use tensor::Tensor;

/// Runs three steps of `opt` on `L = loss(w)` from `w = w0`, returning `w` after each.
fn three_steps(w: &Var, opt: &mut dyn Optimizer, loss: impl Fn(&Var) -> Var) -> [f32; 3] {
    let mut after = [0.0; 3];
    for a in &mut after {
        let l = loss(w);
        opt.zero_grad();
        l.backward();
        opt.step();
        *a = w.value().item();
    }
    after
}

/// `L = ½w²`, `∇ = w`.
fn half_square(w: &Var) -> Var {
    w.square().mul_scalar(0.5)
}

/// Within 2·10⁻⁶ of the values computed by hand (in exact decimals). The slack is for Adam:
/// `β₂ = 0.999` is stored in `f32` as 0.99900001, an error that `1 − β₂ᵗ ≈ 0.002` magnifies
/// to about 10⁻⁵ relative, about 10⁻⁶ in `w` after three steps.
fn assert_close(got: [f32; 3], want: [f32; 3]) {
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 2e-6, "got {got:?}, want {want:?}");
    }
}

fn scalar_param(v: f32) -> Var {
    Var::param(Tensor::scalar(v))
}

#[test]
fn sgd_plain() {
    // w ← w − η∇ = w − 0.1w = 0.9w: 0.9, 0.81, 0.729.
    let w = scalar_param(1.0);
    let mut opt = Sgd::new(
        vec![w.clone()],
        SgdConfig {
            lr: 0.1,
            ..SgdConfig::default()
        },
    );
    assert_close(three_steps(&w, &mut opt, half_square), [0.9, 0.81, 0.729]);
}

#[test]
fn sgd_momentum() {
    // μ = 0.9, η = 0.1, ∇ = w. First step b = g (PyTorch starts the buffer at the gradient).
    // 1: g = 1,    b = 1,                   w = 1 − 0.1·1 = 0.9
    // 2: g = 0.9,  b = 0.9·1 + 0.9 = 1.8,   w = 0.9 − 0.18 = 0.72
    // 3: g = 0.72, b = 0.9·1.8 + 0.72 = 2.34, w = 0.72 − 0.234 = 0.486
    let w = scalar_param(1.0);
    let config = SgdConfig {
        lr: 0.1,
        momentum: 0.9,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(vec![w.clone()], config);
    assert_close(three_steps(&w, &mut opt, half_square), [0.9, 0.72, 0.486]);
}

#[test]
fn sgd_dampening_skips_the_first_step() {
    // μ = 0.5, τ = 0.5, η = 1, L = w so ∇ = 1 always.
    // 1: b = g = 1 (no dampening on the first step),      w = 0 − 1 = −1
    // 2: b = 0.5·1 + (1 − 0.5)·1 = 1,                      w = −2
    // 3: b = 1,                                            w = −3
    let w = scalar_param(0.0);
    let config = SgdConfig {
        lr: 1.0,
        momentum: 0.5,
        dampening: 0.5,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(vec![w.clone()], config);
    assert_close(three_steps(&w, &mut opt, |w| w.clone()), [-1.0, -2.0, -3.0]);
}

#[test]
fn sgd_nesterov_with_weight_decay() {
    // μ = 0.9, η = 0.1, λ = 0.1, ∇ = w, so g = ∇ + λw = 1.1w; step along d = g + μb.
    // 1: g = 1.1,       b = 1.1,                        d = 1.1 + 0.99 = 2.09,    w = 0.791
    // 2: g = 0.8701,    b = 0.99 + 0.8701 = 1.8601,     d = 0.8701 + 1.67409 = 2.54419, w = 0.536581
    // 3: g = 0.5902391, b = 1.67409 + 0.5902391 = 2.2643291, d = 2.62813529,   w = 0.273767471
    let w = scalar_param(1.0);
    let config = SgdConfig {
        lr: 0.1,
        momentum: 0.9,
        nesterov: true,
        weight_decay: 0.1,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(vec![w.clone()], config);
    assert_close(
        three_steps(&w, &mut opt, half_square),
        [0.791, 0.536_581, 0.273_767_47],
    );
}

#[test]
fn rmsprop() {
    // α = 0.9, η = 0.1, ε = 0, L = 2w so g = 2 and g² = 4.
    // 1: v = 0.1·4 = 0.4,            w = 1 − 0.1·2/√0.4 = 0.683772234
    // 2: v = 0.9·0.4 + 0.4 = 0.76,   w = 0.683772234 − 0.2/√0.76 = 0.454356500
    // 3: v = 0.9·0.76 + 0.4 = 1.084, w = 0.454356500 − 0.2/√1.084 = 0.262261813
    let w = scalar_param(1.0);
    let config = RmsPropConfig {
        lr: 0.1,
        alpha: 0.9,
        eps: 0.0,
        weight_decay: 0.0,
    };
    let mut opt = RmsProp::new(vec![w.clone()], config);
    assert_close(
        three_steps(&w, &mut opt, |w| w.mul_scalar(2.0)),
        [0.683_772_2, 0.454_356_5, 0.262_261_8],
    );
}

#[test]
fn adam() {
    // β = (0.9, 0.999), η = 0.1, ∇ = w.
    // 1: g = 1: m = 0.1, v = 0.001; m̂ = 0.1/0.1 = 1, v̂ = 0.001/0.001 = 1; w = 1 − 0.1 = 0.9
    // 2: g = 0.9: m = 0.09 + 0.09 = 0.18, v = 0.000999 + 0.00081 = 0.001809;
    //    m̂ = 0.18/0.19 = 0.947368, v̂ = 0.001809/0.001999 = 0.904952; w = 0.9 − 0.1·m̂/√v̂ = 0.800412
    // 3: g = 0.800412: m = 0.242041, v = 0.002448; m̂ = 0.893141, v̂ = 0.816767; w = 0.701586
    let w = scalar_param(1.0);
    let mut opt = Adam::new(
        vec![w.clone()],
        AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        },
    );
    assert_close(
        three_steps(&w, &mut opt, half_square),
        [0.9, 0.800_412_2, 0.701_586_3],
    );
}

#[test]
fn adamw() {
    // As `adam` with λ = 0.1, the decay applied to w first: w ← w·(1 − ηλ) = 0.99w, and the
    // gradient (taken before the decay) unchanged.
    // 1: w = 0.99 − 0.1·1 = 0.89
    // 2: g = 0.89: m = 0.179, v = 0.0017911; m̂ = 0.942105, v̂ = 0.895998;
    //    w = 0.89·0.99 − 0.1·m̂/√v̂ = 0.781572
    // 3: g = 0.781572: m̂ = 0.882868, v̂ = 0.800855; w = 0.675101
    let w = scalar_param(1.0);
    let config = AdamWConfig {
        lr: 0.1,
        weight_decay: 0.1,
        ..AdamWConfig::default()
    };
    let mut opt = AdamW::new(vec![w.clone()], config);
    assert_close(
        three_steps(&w, &mut opt, half_square),
        [0.89, 0.781_571_9, 0.675_101_2],
    );
}

#[test]
fn parameters_without_a_gradient_are_skipped() {
    // Step 1 involves only `a`; `b` must not move, and its Adam step count must not
    // advance: its first real step is then a first step (m̂ = g, v̂ = g², a move of η).
    let (a, b) = (scalar_param(1.0), scalar_param(1.0));
    let mut opt = Adam::new(
        vec![a.clone(), b.clone()],
        AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        },
    );
    opt.zero_grad();
    a.mul_scalar(3.0).backward();
    opt.step();
    assert_eq!(b.value().item(), 1.0);
    opt.zero_grad();
    a.add(&b).mul_scalar(3.0).backward();
    opt.step();
    assert!((b.value().item() - 0.9).abs() < 1e-6);

    let mut optimizers: Vec<Box<dyn Optimizer>> = vec![
        Box::new(Sgd::new(
            vec![b.clone()],
            SgdConfig {
                momentum: 0.9,
                ..SgdConfig::default()
            },
        )),
        Box::new(RmsProp::new(vec![b.clone()], RmsPropConfig::default())),
        Box::new(AdamW::new(vec![b.clone()], AdamWConfig::default())),
    ];
    for opt in &mut optimizers {
        opt.zero_grad();
        let before = b.value().item();
        opt.step();
        assert_eq!(
            b.value().item(),
            before,
            "no gradient, no step (not even weight decay)"
        );
    }
}

#[test]
fn defaults_are_pytorch_and_keras() {
    assert_eq!(SgdConfig::default().lr, 1e-3);
    let pytorch = RmsPropConfig::default();
    assert_eq!((pytorch.lr, pytorch.alpha, pytorch.eps), (1e-2, 0.99, 1e-8));
    let keras = RmsPropConfig::keras();
    assert_eq!((keras.lr, keras.alpha, keras.eps), (1e-3, 0.9, 1e-7));
    let adam = AdamConfig::default();
    assert_eq!(
        (adam.lr, adam.betas, adam.eps, adam.weight_decay),
        (1e-3, (0.9, 0.999), 1e-8, 0.0)
    );
    assert_eq!(AdamWConfig::default().weight_decay, 0.01);
}

/// The hyperparameter an error names.
fn named(err: OptimError) -> &'static str {
    let OptimError::InvalidHyperparameter { name, .. } = err;
    name
}

#[test]
fn invalid_hyperparameters_are_refused() {
    let sgd = |c: SgdConfig| c.validate().err().map(named);
    let d = SgdConfig::default();
    assert_eq!(sgd(SgdConfig { lr: -0.1, ..d }), Some("lr"));
    assert_eq!(sgd(SgdConfig { lr: f32::NAN, ..d }), Some("lr"));
    assert_eq!(sgd(SgdConfig { momentum: 1.0, ..d }), Some("momentum"));
    assert_eq!(
        sgd(SgdConfig {
            momentum: -0.5,
            ..d
        }),
        Some("momentum")
    );
    assert_eq!(
        sgd(SgdConfig {
            dampening: 1.5,
            ..d
        }),
        Some("dampening")
    );
    assert_eq!(
        sgd(SgdConfig {
            weight_decay: -1e-4,
            ..d
        }),
        Some("weight_decay")
    );
    assert_eq!(
        sgd(SgdConfig {
            nesterov: true,
            ..d
        }),
        Some("momentum")
    );
    assert_eq!(
        sgd(SgdConfig {
            nesterov: true,
            momentum: 0.9,
            dampening: 0.1,
            ..d
        }),
        Some("dampening")
    );
    assert_eq!(
        sgd(SgdConfig {
            nesterov: true,
            momentum: 0.9,
            ..d
        }),
        None
    );

    let rms = |c: RmsPropConfig| c.validate().err().map(named);
    let d = RmsPropConfig::default();
    assert_eq!(rms(RmsPropConfig { lr: -1.0, ..d }), Some("lr"));
    assert_eq!(rms(RmsPropConfig { alpha: 1.0, ..d }), Some("alpha"));
    assert_eq!(rms(RmsPropConfig { eps: -1e-8, ..d }), Some("eps"));

    let adam = |c: AdamConfig| c.validate().err().map(named);
    let d = AdamConfig::default();
    assert_eq!(
        adam(AdamConfig {
            lr: f32::INFINITY,
            ..d
        }),
        Some("lr")
    );
    assert_eq!(
        adam(AdamConfig {
            betas: (1.0, 0.999),
            ..d
        }),
        Some("beta1")
    );
    assert_eq!(
        adam(AdamConfig {
            betas: (0.9, -0.1),
            ..d
        }),
        Some("beta2")
    );
    assert_eq!(adam(AdamConfig { eps: -1.0, ..d }), Some("eps"));
    assert_eq!(
        adam(AdamConfig {
            weight_decay: -0.1,
            ..d
        }),
        Some("weight_decay")
    );

    let adamw = |c: AdamWConfig| c.validate().err().map(named);
    let d = AdamWConfig::default();
    assert_eq!(
        adamw(AdamWConfig {
            betas: (0.9, 1.0),
            ..d
        }),
        Some("beta2")
    );
    assert_eq!(
        adamw(AdamWConfig {
            weight_decay: -0.01,
            ..d
        }),
        Some("weight_decay")
    );

    let err = AdamConfig {
        lr: -0.5,
        ..AdamConfig::default()
    }
    .validate()
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Adam: lr = -0.5 is invalid, it must be finite and ≥ 0"
    );
}

#[test]
#[should_panic(expected = "SGD: lr = -0.1 is invalid, it must be finite and ≥ 0")]
fn a_constructor_panics_naming_the_setting_and_its_range() {
    // A setting in code is the programmer's: the constructor panics with the error that
    // `validate` would return for a setting typed by a user.
    let config = SgdConfig {
        lr: -0.1,
        ..SgdConfig::default()
    };
    Sgd::new(vec![scalar_param(0.0)], config);
}
