//! Inside the digit models, over HTTP: every layer's maps for lessons 6 and 7, a map's
//! pixel explained as a sum, the saliency against finite differences, the model chosen by
//! the page, and every bad request refused with a message.

mod common;

use autograd::{Var, no_grad};
use common::{Answer, send, shipped_images, studio_with};
use data::image_io::Preprocess;
use layers::{Mode, Module, Sequential};
use models::digit_model::{self, Model, Network};
use serde_json::Value;
use tensor::Tensor;

/// `POST path` with the image's bytes, as the page sends a drawing.
fn ask(addr: &str, path: &str, bytes: &[u8]) -> Answer {
    common::send_raw(addr, "POST", path, &["Content-Type: image/png"], bytes)
}

/// The image the model sees, `[1, 1, 28, 28]`, prepared as MNIST was made (pixels `p` in
/// `[0, 1]`, before the standardisation).
fn seen(bytes: &[u8]) -> Tensor {
    seen_as(bytes, Preprocess::Mnist)
}

/// The image prepared as `how` says, `[1, 1, 28, 28]`.
fn seen_as(bytes: &[u8], how: Preprocess) -> Tensor {
    data::image_io::digit_from_bytes(bytes, "test".as_ref(), how)
        .unwrap()
        .reshape(&[1, 1, 28, 28])
}

/// The chain of layers of a loaded model of lessons 6 to 8.
fn chain(model: &Model) -> &Sequential {
    match model {
        Model::Chain(chain) => chain,
        Model::Transformer(_) => panic!("not a chain of layers"),
    }
}

/// A JSON list of numbers as `f32`s.
fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

/// `(kind, shape)` of every panel.
fn layout(answer: &Value) -> Vec<(String, Vec<usize>)> {
    answer["panels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let shape = p["shape"].as_array().unwrap();
            (
                p["kind"].as_str().unwrap().to_string(),
                shape.iter().map(|d| d.as_u64().unwrap() as usize).collect(),
            )
        })
        .collect()
}

#[test]
fn every_layer_of_lessons_6_and_7_is_shown() {
    let f = studio_with(&[Network::FirstCnn, Network::DeepCnn], 2);
    let info = send(&f.addr, "GET", "/api/digits/model", b"").json();
    let networks: Vec<&str> = info["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["network"].as_str().unwrap())
        .collect();
    assert_eq!(networks, ["first_cnn", "deep_cnn"]);
    let (_, bytes) = &shipped_images()[0];

    // Lesson 6: 32 maps of 28×28 from the convolution and after its ReLU, 14×14 after the
    // pooling, 128 dense outputs before and after their ReLU, the logits, the softmax.
    let a = ask(&f.addr, "/api/digits/inside?model=0", bytes);
    assert_eq!(a.status, 200, "{}", a.text());
    let six = a.json();
    let maps = |c, s| ("maps".to_string(), vec![c, s, s]);
    let strip = |n| ("strip".to_string(), vec![n]);
    let classes = ("classes".to_string(), vec![10]);
    assert_eq!(
        layout(&six),
        [
            maps(32, 28),
            maps(32, 28),
            maps(32, 14),
            strip(128),
            strip(128),
            classes.clone(),
            classes.clone()
        ]
    );
    // The probabilities are those of the prediction endpoint, bit for bit.
    let (network, model) = digit_model::load(&f.models[0]).unwrap();
    let (prediction, _) =
        models::own_images::classify_bytes(&model, network.input(), "test", bytes).unwrap();
    assert_eq!(floats(&six["probabilities"]), prediction.probabilities);
    assert_eq!(six["digit"], prediction.digit());
    let names: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    assert_eq!(
        six["classes"],
        serde_json::json!(names),
        "the digits name themselves"
    );
    // The first panel is the convolution's output: its range is exact, its values within
    // a ten-thousandth of its largest magnitude; the ReLU's is max(0, z). Its input is
    // the picture standardised as lesson 6 trained: x = (p − 0.5)/0.5.
    let x = network.input().standardize(&seen(bytes));
    let z = no_grad(&model.parameters(), || {
        chain(&model).layers()[0]
            .forward(&Var::constant(x), Mode::Eval)
            .value()
            .clone()
    });
    let (lo, hi) = z
        .data()
        .iter()
        .fold((f32::MAX, f32::MIN), |(l, h), &v| (l.min(v), h.max(v)));
    assert_eq!(floats(&six["panels"][0]["range"]), [lo, hi]);
    let largest = lo.abs().max(hi.abs());
    let (conv, relu) = (
        floats(&six["panels"][0]["values"]),
        floats(&six["panels"][1]["values"]),
    );
    for (i, &want) in z.data().iter().enumerate() {
        assert!((conv[i] - want).abs() <= largest * 1e-3, "z[{i}]");
        assert!((relu[i] - want.max(0.0)).abs() <= largest * 1e-3, "a[{i}]");
    }
    assert_eq!(six["panels"][0]["explain"], true);
    assert_eq!(six["panels"][2]["explain"], false);
    assert_eq!(floats(&six["saliency"]["gradient"]).len(), 784);
    assert_eq!(floats(&six["seen"]).len(), 784);

    // Lesson 7: four blocks of 16, 32, 64 and 128 filters, 28 → 14 → 7 → 4 → 2.
    let seven = ask(&f.addr, "/api/digits/inside?model=1", bytes).json();
    let mut want = Vec::new();
    for (c, s) in [(16, 28), (32, 14), (64, 7), (128, 4)] {
        want.extend([maps(c, s), maps(c, s), maps(c, s.div_ceil(2))]);
    }
    want.extend([strip(128), strip(128), classes.clone(), classes]);
    assert_eq!(layout(&seven), want);
    assert_eq!(seven["network"], "deep_cnn");
    // Without `model`, the first that loads answers.
    let default = ask(&f.addr, "/api/digits/inside", bytes).json();
    assert_eq!(default["model"], 0);
}

#[test]
fn a_pixel_of_a_map_is_the_sum_of_its_window() {
    let f = studio_with(&[Network::FirstCnn, Network::DeepCnn], 2);
    let (_, bytes) = &shipped_images()[1];
    let explain = |model: usize, q: &str| {
        ask(
            &f.addr,
            &format!("/api/digits/explain?model={model}&{q}"),
            bytes,
        )
    };
    // Lesson 6's first convolution (3×3, padding 1) at the top-left corner: its window
    // starts one row and one column outside the image, where the padding counts 0.
    let a = explain(0, "panel=0&channel=5&y=0&x=0");
    assert_eq!(a.status, 200, "{}", a.text());
    let e = a.json();
    assert_eq!(
        (e["window"]["top"].as_i64(), e["window"]["left"].as_i64()),
        (Some(-1), Some(-1))
    );
    assert_eq!(
        e["input"]["panel"],
        Value::Null,
        "the first layer sees the image"
    );
    let patch = e["patch"].as_array().unwrap();
    assert_eq!(patch.len(), 9);
    assert!(patch[..3].iter().all(Value::is_null) && patch[3].is_null() && patch[6].is_null());
    let x = Network::FirstCnn.input().standardize(&seen(bytes));
    assert_eq!(patch[4].as_f64().unwrap() as f32, x.at(&[0, 0, 0, 0]));
    // z = b + Σ_c Σ_uv w·x: the sum of the terms is the value the layer computed.
    let check = |e: &Value| {
        let (sum, value) = (e["sum"].as_f64().unwrap(), e["value"].as_f64().unwrap());
        assert!(
            (sum - value).abs() < 1e-4 * (1.0 + value.abs()),
            "{sum} vs {value}"
        );
        let terms: f64 = e["terms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .sum();
        assert!((e["bias"].as_f64().unwrap() + terms - sum).abs() < 1e-9);
        let products: f64 = e["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .sum();
        assert!((products - terms).abs() < 1e-9);
        assert_eq!(e["after_relu"].as_f64().unwrap(), value.max(0.0));
    };
    check(&e);
    // The map after the ReLU is the same channel: the same filter and sum.
    let after = explain(0, "panel=1&channel=5&y=0&x=0").json();
    assert_eq!(
        (after["filter"].clone(), after["sum"].clone()),
        (e["filter"].clone(), e["sum"].clone())
    );

    // Lesson 7's second convolution (5×5, same) sees the 16 pooled maps of panel 2.
    let e = explain(1, "panel=3&channel=30&y=7&x=9").json();
    assert_eq!(e["input"]["panel"], 2);
    assert_eq!(e["filter"]["shape"], serde_json::json!([16, 5, 5]));
    assert_eq!(e["terms"].as_array().unwrap().len(), 16);
    assert_eq!(
        (e["window"]["top"].as_i64(), e["window"]["left"].as_i64()),
        (Some(5), Some(7))
    );
    check(&e);

    for (q, status, says) in [
        (
            "panel=2&channel=0&y=0&x=0",
            400,
            "not made by a convolution",
        ),
        ("panel=0&channel=32&y=0&x=0", 400, "no map 32"),
        ("panel=0&channel=0&y=28&x=0", 400, "32 of 28×28"),
        (
            "panel=99&channel=0&y=0&x=0",
            400,
            "panel must be from 0 to 5",
        ),
        ("panel=0&channel=0&y=0", 400, "x is missing"),
        (
            "panel=0&channel=-1&y=0&x=0",
            400,
            "channel must be a whole number",
        ),
    ] {
        let a = explain(0, q);
        assert_eq!(a.status, status, "{q}: {}", a.text());
        assert!(a.error().contains(says), "{q}: {}", a.error());
    }
}

#[test]
fn saliency_is_the_gradient_of_a_logit_by_backward() {
    let f = studio_with(&[Network::FirstCnn], 1);
    let (_, bytes) = &shipped_images()[2];
    let (network, model) = digit_model::load(&f.model).unwrap();
    // The pixels p; the network sees x = (p − 0.5)/0.5, so ∂z/∂p = 2·∂z/∂x.
    let (x, input) = (seen(bytes), network.input());
    let logit = |p: &Tensor, k: usize| {
        no_grad(&model.parameters(), || {
            model
                .forward(&Var::constant(input.standardize(p)), Mode::Eval)
                .value()
                .data()[k]
        })
    };
    // ∂z_k/∂p by backward(), as the server computes it.
    let gradient = |p: &Tensor, k: usize| {
        let x = Var::param(p.clone());
        no_grad(&model.parameters(), || {
            model
                .forward(&input.standardize_var(&x), Mode::Eval)
                .pick(&[k])
                .sum()
                .backward()
        });
        x.grad().unwrap().data().to_vec()
    };
    for class in [3usize, 8] {
        let a = ask(
            &f.addr,
            &format!("/api/digits/saliency?class={class}"),
            bytes,
        );
        assert_eq!(a.status, 200, "{}", a.text());
        let s = a.json();
        assert_eq!(s["class"], class);
        let g = floats(&s["gradient"]);
        let largest = floats(&s["range"]).iter().fold(0f32, |m, v| m.max(v.abs()));
        // The same gradient as backward() run here on the saved model.
        let here = gradient(&x, class);
        for (a, b) in g.iter().zip(&here) {
            assert!((a - b).abs() <= largest * 1e-3);
        }
        // And the slope it claims: the network is piecewise linear, so where backward's
        // gradient is the same at x − h·e_i, x and x + h·e_i, z_k is one straight line
        // across that stretch, and (z_k(x + h·e_i) − z_k(x − h·e_i)) / 2h must be g_i.
        // (Elsewhere a ReLU at 0 or a tie in a max-pooling window — common on the flat
        // background — puts a kink in the line.) Checked at the smooth pixels among
        // those that matter most.
        let mut order: Vec<usize> = (0..784).collect();
        order.sort_by(|&i, &j| g[j].abs().total_cmp(&g[i].abs()));
        let h = 1e-3;
        let mut checked = 0;
        for &i in &order[..100] {
            let (mut up, mut down) = (x.clone(), x.clone());
            up.data_mut()[i] += h;
            down.data_mut()[i] -= h;
            if gradient(&up, class) != here || gradient(&down, class) != here {
                continue;
            }
            let slope = (logit(&up, class) - logit(&down, class)) / (2.0 * h);
            assert!(
                (slope - here[i]).abs() < 1e-2 * largest,
                "class {class}, pixel {i}: backward {} vs the slope {slope}",
                here[i]
            );
            checked += 1;
        }
        println!("class {class}: {checked} smooth pixels of the 100 largest checked");
        assert!(
            checked >= 10,
            "only {checked} smooth pixels among the 100 largest"
        );
        assert!((s["logit"].as_f64().unwrap() as f32 - logit(&x, class)).abs() < 1e-5);
    }
    // Without a class: the winner's.
    let s = ask(&f.addr, "/api/digits/saliency", bytes).json();
    assert_eq!(s["class"], s["winner"]);
    for (q, says) in [
        ("class=10", "class must be from 0 to 9"),
        ("class=seven", "class must be a whole number"),
        ("model=3", "model must be from 0 to 0"),
    ] {
        let a = ask(&f.addr, &format!("/api/digits/saliency?{q}"), bytes);
        assert_eq!(a.status, 400, "{q}");
        assert!(a.error().contains(says), "{q}: {}", a.error());
    }
}

#[test]
fn bad_requests_for_the_inside_view_are_refused() {
    let f = studio_with(&[Network::FirstCnn], 2);
    let (_, bytes) = &shipped_images()[0];
    // Model 1's file does not exist.
    let a = ask(&f.addr, "/api/digits/inside?model=1", bytes);
    assert_eq!(a.status, 503);
    assert!(a.error().contains("does not exist"), "{}", a.error());
    let a = ask(&f.addr, "/api/digits/inside", b"not a picture");
    assert_eq!(a.status, 400);
    assert!(a.error().contains("PNG or JPEG"), "{}", a.error());
    assert_eq!(ask(&f.addr, "/api/digits/inside", b"").status, 400);
    let a = send(&f.addr, "GET", "/api/digits/inside", b"");
    assert_eq!(a.status, 405);
    let a = common::send_raw(
        &f.addr,
        "POST",
        "/api/digits/explain?panel=0&channel=0&y=0&x=0",
        &["Content-Type: text/plain"],
        bytes,
    );
    assert_eq!(a.status, 415);
    assert_eq!(send(&f.addr, "GET", "/", b"").status, 200, "still serving");
}
