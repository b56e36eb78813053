//! Each loss against values worked out by hand, at extreme inputs (no NaN, no infinity),
//! and against finite differences.

use autograd::Var;
use autograd::gradcheck::check_gradients;
use optim::{
    bce, bce_with_logits, categorical_cross_entropy, cross_entropy, mse,
    sparse_categorical_cross_entropy,
};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

fn t(data: &[f32], shape: &[usize]) -> Tensor {
    Tensor::from_vec(data.to_vec(), shape).unwrap()
}

/// The loss value and `∂loss/∂input` for a fresh parameter `input`.
fn value_and_grad(input: Tensor, loss: impl Fn(&Var) -> Var) -> (f32, Tensor) {
    let x = Var::param(input);
    let l = loss(&x);
    l.backward();
    let g = x.grad().unwrap().clone();
    (l.item(), g)
}

fn assert_all_close(got: &Tensor, want: &[f32], tol: f32) {
    assert!(
        got.data().len() == want.len()
            && got
                .data()
                .iter()
                .zip(want)
                .all(|(g, w)| (g - w).abs() <= tol),
        "got {:?}, want {want:?}",
        got.data()
    );
}

fn all_finite(x: &Tensor) -> bool {
    x.data().iter().all(|v| v.is_finite())
}

#[test]
fn mse_by_hand() {
    // ŷ = [1, 2, 3], y = [0, 2, 5]: L = (1 + 0 + 4)/3 = 5/3; ∂L/∂ŷ = 2(ŷ − y)/3 = [2/3, 0, −4/3].
    let y = t(&[0.0, 2.0, 5.0], &[3, 1]);
    let (l, g) = value_and_grad(t(&[1.0, 2.0, 3.0], &[3, 1]), |y_hat| mse(y_hat, &y));
    assert!((l - 5.0 / 3.0).abs() < 1e-6);
    assert_all_close(&g, &[2.0 / 3.0, 0.0, -4.0 / 3.0], 1e-6);
}

#[test]
#[should_panic(expected = "mse: prediction shape [3, 1] differs from target shape [3]")]
fn mse_refuses_to_broadcast_a_column_against_a_vector() {
    mse(&Var::param(Tensor::zeros(&[3, 1])), &Tensor::zeros(&[3]));
}

#[test]
fn bce_by_hand() {
    // p = 0.5, y = 1: L = −ln 0.5 = ln 2; ∂L/∂p = (p − y)/(p(1 − p)) = −0.5/0.25 = −2.
    let (l, g) = value_and_grad(t(&[0.5], &[1, 1]), |p| bce(p, &t(&[1.0], &[1, 1])));
    assert!((l - 2f32.ln()).abs() < 1e-7);
    assert_all_close(&g, &[-2.0], 1e-6);
    // p = [0.8, 0.4], y = [1, 0]: L = −(ln 0.8 + ln 0.6)/2 = 0.366985;
    // ∂L/∂p = [(0.8 − 1)/(0.16), (0.4 − 0)/(0.24)]/2 = [−0.625, 0.833333].
    let (l, g) = value_and_grad(t(&[0.8, 0.4], &[2, 1]), |p| {
        bce(p, &t(&[1.0, 0.0], &[2, 1]))
    });
    assert!((l - 0.366_985).abs() < 1e-6);
    assert_all_close(&g, &[-0.625, 0.833_333], 1e-5);
}

#[test]
fn bce_at_certain_predictions_is_clamped_not_infinite() {
    // p = 0 for a 1 and p = 1 for a 0: each log is clamped at −100, so L = 100; the
    // gradient (p − y)/max(p(1 − p), 10⁻¹²) is huge but finite. Right and certain: L = 0.
    let (l, g) = value_and_grad(t(&[0.0, 1.0], &[2, 1]), |p| {
        bce(p, &t(&[1.0, 0.0], &[2, 1]))
    });
    assert_eq!(l, 100.0);
    assert!(all_finite(&g) && g.data()[0] < 0.0 && g.data()[1] > 0.0);
    let (l, g) = value_and_grad(t(&[1.0, 0.0], &[2, 1]), |p| {
        bce(p, &t(&[1.0, 0.0], &[2, 1]))
    });
    assert_eq!(l, 0.0);
    assert_all_close(&g, &[0.0, 0.0], 0.0);
}

#[test]
fn bce_with_logits_by_hand_and_at_extremes() {
    // z = 0 is p = ½: L = ln 2 for either target; ∂L/∂z = (σ(0) − y)/n = (0.5 − y)/2.
    let (l, g) = value_and_grad(t(&[0.0, 0.0], &[2, 1]), |z| {
        bce_with_logits(z, &t(&[1.0, 0.0], &[2, 1]))
    });
    assert!((l - 2f32.ln()).abs() < 1e-7);
    assert_all_close(&g, &[-0.25, 0.25], 1e-7);
    // z = ±100: right answers cost softplus(−100) ≈ 0, wrong ones softplus(100) ≈ 100.
    // L = (0 + 0 + 100 + 100)/4 = 50; ∂L/∂z = (σ(z) − y)/4 = [0, 0, 0.25, −0.25].
    let z = t(&[100.0, -100.0, 100.0, -100.0], &[4, 1]);
    let y = t(&[1.0, 0.0, 0.0, 1.0], &[4, 1]);
    let (l, g) = value_and_grad(z, |z| bce_with_logits(z, &y));
    assert!((l - 50.0).abs() < 1e-5, "{l}");
    assert_all_close(&g, &[0.0, 0.0, 0.25, -0.25], 1e-7);
}

#[test]
fn cross_entropy_of_1_2_3_with_target_2_is_pytorchs() {
    // L = ln(e¹ + e² + e³) − 3 = 0.40760597 (torch.nn.CrossEntropyLoss gives the same);
    // ∂L/∂z = softmax(z) − onehot(2) = [0.09003057, 0.24472847, 0.66524096 − 1].
    let (l, g) = value_and_grad(t(&[1.0, 2.0, 3.0], &[1, 3]), |z| {
        cross_entropy(z, &t(&[2.0], &[1]))
    });
    assert!((l - 0.407_605_97).abs() < 1e-6);
    assert_all_close(&g, &[0.090_030_57, 0.244_728_47, -0.334_759_04], 1e-6);
}

#[test]
fn cross_entropy_at_extreme_logits() {
    // Row 1: the truth (class 1) scores −100 against 100: L₁ ≈ 100 − (−100) = 200.
    // Row 2: the truth scores 100 against −100 and 0: L₂ ≈ 0. Mean: 100.
    let z = t(&[100.0, -100.0, 0.0, -100.0, 100.0, 0.0], &[2, 3]);
    let (l, g) = value_and_grad(z, |z| cross_entropy(z, &t(&[1.0, 1.0], &[2])));
    assert!((l - 100.0).abs() < 1e-4, "{l}");
    // ∂L/∂z = (softmax − onehot)/2: row 1 ≈ [0.5, −0.5, 0], row 2 ≈ 0.
    assert_all_close(&g, &[0.5, -0.5, 0.0, 0.0, 0.0, 0.0], 1e-6);
}

#[test]
fn categorical_cross_entropies_by_hand_and_clipped() {
    // Rows p = [0.7, 0.2, 0.1] (truth 0) and [0.1, 0.3, 0.6] (truth 2):
    // L = −(ln 0.7 + ln 0.6)/2 = 0.433750; ∂L/∂p_true = −1/(2p): −1/1.4 and −1/1.2.
    let p = t(&[0.7, 0.2, 0.1, 0.1, 0.3, 0.6], &[2, 3]);
    let one_hot = t(&[1.0, 0.0, 0.0, 0.0, 0.0, 1.0], &[2, 3]);
    let want_grad = [-1.0 / 1.4, 0.0, 0.0, 0.0, 0.0, -1.0 / 1.2];
    let (l, g) = value_and_grad(p.clone(), |p| categorical_cross_entropy(p, &one_hot));
    assert!((l - 0.433_750).abs() < 1e-6);
    assert_all_close(&g, &want_grad, 1e-6);
    let (l, g) = value_and_grad(p, |p| {
        sparse_categorical_cross_entropy(p, &t(&[0.0, 2.0], &[2]))
    });
    assert!((l - 0.433_750).abs() < 1e-6);
    assert_all_close(&g, &want_grad, 1e-6);

    // A softmax of logits ±100 puts exactly 0 on the truth: clipped to 10⁻⁷, the loss is
    // −ln 10⁻⁷ = 16.118095, and the gradient flows through neither clip nor log: finite.
    let z = Var::param(t(&[100.0, -100.0], &[1, 2]));
    let l = categorical_cross_entropy(&z.softmax(1), &t(&[0.0, 1.0], &[1, 2]));
    l.backward();
    assert!((l.item() - 16.118_095).abs() < 1e-4, "{}", l.item());
    assert!(all_finite(&z.grad().unwrap()));
    let z = Var::param(t(&[100.0, -100.0], &[1, 2]));
    let l = sparse_categorical_cross_entropy(&z.softmax(1), &t(&[1.0], &[1]));
    l.backward();
    assert!((l.item() - 16.118_095).abs() < 1e-4);
    assert!(all_finite(&z.grad().unwrap()));
}

#[test]
#[should_panic(expected = "class 3 is not an integer in 0..3")]
fn a_class_index_out_of_range_names_the_loss() {
    cross_entropy(&Var::param(Tensor::zeros(&[1, 3])), &t(&[3.0], &[1]));
}

#[test]
fn every_loss_passes_the_gradient_check() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut uniform = |shape: &[usize], lo, hi| Tensor::rand_uniform(shape, lo, hi, &mut rng);
    let targets01 = uniform(&[5, 1], 0.0, 1.0);
    let values = uniform(&[5, 1], -2.0, 2.0);
    let probs = uniform(&[5, 1], 0.1, 0.9);
    let logits = uniform(&[4, 3], -3.0, 3.0);
    let classes = t(&[0.0, 2.0, 1.0, 2.0], &[4]);
    let one_hot = t(
        &[1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0],
        &[4, 3],
    );
    type Loss<'a> = Box<dyn Fn(&Var) -> Var + 'a>;
    let cases: [(&str, Tensor, Loss); 6] = [
        ("mse", values.clone(), Box::new(|x| mse(x, &targets01))),
        ("bce", probs, Box::new(|x| bce(x, &targets01))),
        (
            "bce_with_logits",
            values,
            Box::new(|x| bce_with_logits(x, &targets01)),
        ),
        (
            "cross_entropy",
            logits.clone(),
            Box::new(|x| cross_entropy(x, &classes)),
        ),
        (
            "categorical_cross_entropy",
            logits.clone(),
            Box::new(|x| categorical_cross_entropy(&x.softmax(1), &one_hot)),
        ),
        (
            "sparse_categorical_cross_entropy",
            logits,
            Box::new(|x| sparse_categorical_cross_entropy(&x.softmax(1), &classes)),
        ),
    ];
    for (name, input, loss) in &cases {
        let result = check_gradients(std::slice::from_ref(input), |v| loss(&v[0]));
        assert!(result.is_ok(), "{name}: {}", result.unwrap_err());
    }
}
