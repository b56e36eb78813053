//! Inside the models of lessons 8 and 9, over HTTP, each freshly initialised from a seed:
//! the vision transformer shows its class token's attention over the patch grid (one map
//! per head, block by block, and the rollout) instead of feature maps; the ResNet shows
//! each stage's maps and names Fashion-MNIST's classes. Both prepare and standardise the
//! picture as their lessons trained, and a request they cannot answer is refused with a
//! message.

mod common;

use autograd::{Var, no_grad};
use common::{Answer, send, shipped_images, studio_with};
use layers::{BlockKind, Mode, Module, VitConfig};
use models::attention::{class_attention, rollout};
use models::digit_model::{self, Model, Network};
use serde_json::Value;
use tensor::Tensor;

/// `POST path` with the image's bytes, as the page sends a drawing.
fn ask(addr: &str, path: &str, bytes: &[u8]) -> Answer {
    common::send_raw(addr, "POST", path, &["Content-Type: image/png"], bytes)
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
    let panels = answer["panels"].as_array().unwrap();
    panels
        .iter()
        .map(|p| {
            let shape = floats(&p["shape"]).iter().map(|&d| d as usize).collect();
            (p["kind"].as_str().unwrap().to_string(), shape)
        })
        .collect()
}

/// Each value of `got` within a thousandth of the largest magnitude of `want` (the page's
/// values are rounded for the browser).
fn close(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    let largest = want.iter().fold(0f32, |m, v| m.max(v.abs()));
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!((a - b).abs() <= largest * 1e-3, "{what}[{i}]: {a} vs {b}");
    }
}

/// Lesson 9's network, small: 7×7 patches (a 4×4 grid), two blocks of two heads.
fn vit() -> Network {
    Network::VisionTransformer(VitConfig {
        image: [1, 28, 28],
        patch: 7,
        dim: 16,
        depth: 2,
        heads: 2,
        mlp: 32,
        classes: 10,
    })
}

/// Lesson 8's network, small: two stages of one block, 4 and 8 channels.
fn resnet() -> Network {
    Network::FashionResnet {
        variant: BlockKind::Normalized,
        widths: vec![4, 8],
        blocks: 1,
        mean: 0.286,
        std: 0.353,
    }
}

/// The picture as `network`'s lesson prepared its images, `[1, 1, 28, 28]` in `[0, 1]`.
fn seen(network: &Network, bytes: &[u8]) -> Tensor {
    data::image_io::digit_from_bytes(bytes, "test".as_ref(), network.input().how)
        .unwrap()
        .reshape(&[1, 1, 28, 28])
}

#[test]
fn the_transformer_shows_where_its_class_token_looks() {
    let f = studio_with(&[vit(), resnet()], 2);
    let info = send(&f.addr, "GET", "/api/digits/model", b"").json();
    let networks: Vec<&str> = info["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["network"].as_str().unwrap())
        .collect();
    assert_eq!(networks, ["vision_transformer", "fashion_resnet"]);
    let (_, bytes) = &shipped_images()[0];
    let a = ask(&f.addr, "/api/digits/inside?model=0", bytes);
    assert_eq!(a.status, 200, "{}", a.text());
    let answer = a.json();
    // Per block, the class token's row over the 4×4 patches for each of the 2 heads; the
    // rollout; the logits; the softmax.
    let maps = |c| ("maps".to_string(), vec![c, 4, 4]);
    let classes = ("classes".to_string(), vec![10]);
    assert_eq!(
        layout(&answer),
        [maps(2), maps(2), maps(1), classes.clone(), classes]
    );

    // The same numbers in memory, with x = (p − 0.1307)/0.3081.
    let (network, model) = digit_model::load(&f.models[0]).unwrap();
    let Model::Transformer(transformer) = &model else {
        panic!("a transformer")
    };
    let p = seen(&network, bytes);
    let x = network.input().standardize(&p);
    let (logits, attention) = no_grad(&model.parameters(), || {
        let (z, a) = transformer.forward_with_attention(&Var::constant(x), Mode::Eval);
        let a: Vec<Tensor> = a.iter().map(|a| a.value().clone()).collect();
        (z.value().clone(), a)
    });
    for (b, a) in attention.iter().enumerate() {
        let want: Vec<f32> = (0..2).flat_map(|h| class_attention(a, 0, h)).collect();
        let got = floats(&answer["panels"][b]["values"]);
        close(&got, &want, &format!("block {b}"));
        // Probabilities of a softmax row without the class token's own: in [0, 1], each
        // head's 16 summing to at most 1.
        for head in got.chunks(16) {
            let total: f32 = head.iter().sum();
            assert!(
                head.iter().all(|&v| v >= 0.0) && total <= 1.0 + 1e-3,
                "{total}"
            );
        }
    }
    close(
        &floats(&answer["panels"][2]["values"]),
        &rollout(&attention, 0),
        "rollout",
    );
    close(&floats(&answer["panels"][3]["values"]), logits.data(), "z");
    let probabilities = digit_model::probabilities(&network, &model, &p);
    assert_eq!(floats(&answer["probabilities"]), probabilities.data());
    let digit = answer["digit"].as_u64().unwrap() as usize;
    assert_eq!(answer["label"], digit.to_string(), "digits name themselves");
    assert!(
        answer["panels"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["explain"] == false)
    );
    assert_eq!(floats(&answer["saliency"]["gradient"]).len(), 784);

    // The saliency: ∂z_3/∂p through the standardisation, by backward() here too.
    let s = ask(&f.addr, "/api/digits/saliency?model=0&class=3", bytes).json();
    let input = network.input();
    let pixels = Var::param(p.clone());
    no_grad(&model.parameters(), || {
        let z = model.forward(&input.standardize_var(&pixels), Mode::Eval);
        z.pick(&[3]).sum().backward();
    });
    close(
        &floats(&s["gradient"]),
        pixels.grad().unwrap().data(),
        "saliency",
    );

    // A map of attention is no convolution's: nothing to explain.
    let a = ask(
        &f.addr,
        "/api/digits/explain?model=0&panel=0&channel=0&y=0&x=0",
        bytes,
    );
    assert_eq!(a.status, 400, "{}", a.text());
    assert!(a.error().contains("attention"), "{}", a.error());
}

#[test]
fn the_resnet_shows_each_stage_and_names_the_clothes() {
    let f = studio_with(&[resnet(), vit()], 2);
    let (_, bytes) = &shipped_images()[1];
    let a = ask(&f.addr, "/api/digits/inside?model=0", bytes);
    assert_eq!(a.status, 200, "{}", a.text());
    let answer = a.json();
    // The stem (a convolution, batch normalisation, ReLU) at 28×28 with 4 channels, stage
    // 1's block at 28×28, stage 2's at 14×14 with 8, the 8 means, the logits, the softmax.
    let maps = |c, s| ("maps".to_string(), vec![c, s, s]);
    let classes = ("classes".to_string(), vec![10]);
    assert_eq!(
        layout(&answer),
        [
            maps(4, 28),
            maps(4, 28),
            maps(4, 28),
            maps(4, 28),
            maps(8, 14),
            ("strip".to_string(), vec![8]),
            classes.clone(),
            classes,
        ]
    );
    assert_eq!(answer["classes"][1], "Trouser");
    let digit = answer["digit"].as_u64().unwrap() as usize;
    assert_eq!(answer["label"], answer["classes"][digit]);

    // Prepared as Fashion-MNIST was made, standardised with the file's mean and std: the
    // probabilities are classify_bytes's, bit for bit.
    let (network, model) = digit_model::load(&f.models[0]).unwrap();
    let (prediction, picture) =
        models::own_images::classify_bytes(&model, network.input(), "test", bytes).unwrap();
    assert_eq!(floats(&answer["probabilities"]), prediction.probabilities);
    assert_eq!(floats(&answer["seen"]), picture.data());
    let p = seen(&network, bytes);
    let Model::Chain(chain) = &model else {
        panic!("a chain")
    };
    let x = Var::constant(network.input().standardize(&p));
    let after_stage_2 = no_grad(&model.parameters(), || {
        let mut a = x;
        for layer in &chain.layers()[..5] {
            a = layer.forward(&a, Mode::Eval);
        }
        a.value().clone()
    });
    close(
        &floats(&answer["panels"][4]["values"]),
        after_stage_2.data(),
        "stage 2",
    );
    // /api/digits/predict names the class too.
    let predicted = send(&f.addr, "POST", "/api/digits/predict", bytes).json();
    assert_eq!(predicted["label"], answer["label"]);

    // The stem's convolution (bias-free) explains a pixel; a block's maps cannot.
    let e = ask(
        &f.addr,
        "/api/digits/explain?model=0&panel=0&channel=1&y=5&x=6",
        bytes,
    );
    assert_eq!(e.status, 200, "{}", e.text());
    let e = e.json();
    assert_eq!(
        (e["bias"].as_f64(), e["filter"]["shape"].clone()),
        (Some(0.0), serde_json::json!([1, 3, 3]))
    );
    let (sum, value) = (e["sum"].as_f64().unwrap(), e["value"].as_f64().unwrap());
    assert!(
        (sum - value).abs() < 1e-4 * (1.0 + value.abs()),
        "{sum} vs {value}"
    );
    for (q, says) in [
        (
            "model=0&panel=3&channel=0&y=0&x=0",
            "not made by a convolution",
        ),
        (
            "model=0&panel=8&channel=0&y=0&x=0",
            "panel must be from 0 to 6",
        ),
        (
            "model=2&panel=4&channel=0&y=0&x=0",
            "model must be from 0 to 1",
        ),
    ] {
        let a = ask(&f.addr, &format!("/api/digits/explain?{q}"), bytes);
        assert_eq!(a.status, 400, "{q}: {}", a.text());
        assert!(a.error().contains(says), "{q}: {}", a.error());
    }
    let a = ask(&f.addr, "/api/digits/saliency?model=0&class=10", bytes);
    assert_eq!(a.status, 400);
    assert!(
        a.error().contains("class must be from 0 to 9"),
        "{}",
        a.error()
    );
}
