//! `cargo xtask predict --model FILE` with the models of lessons 8 and 9: a small ResNet and
//! a small vision transformer, freshly initialised from a seed (no training: only the
//! loading and the arithmetic are under test), saved here. `predict` must build the network
//! the header names, prepare the picture as that network's data set was made, standardise
//! it as its lesson did, and give the very logits the network in memory gives.

use std::path::Path;
use std::process::Command;

use autograd::Var;
use image::{DynamicImage, GrayImage, Luma};
use layers::{BlockKind, Mode, Module, VitConfig};
use models::digit_model::{self, Network};
use rand::{SeedableRng, rngs::StdRng};
use serde_json::Value;

/// `cargo xtask predict --json --model MODEL FILE` (the built binary): its one JSON line.
fn predict_json(model: &Path, file: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["predict", "--json", "--model"])
        .arg(model)
        .arg(file)
        .output()
        .expect("the xtask binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// A JSON list of numbers as `f32`s (each was written from an `f32`, so it comes back
/// exactly).
fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

/// A dark boot-like shape (a tall shaft and a wide foot) on a light gray table.
fn picture(dir: &Path) -> std::path::PathBuf {
    let mut photo = GrayImage::from_pixel(90, 70, Luma([230]));
    for y in 10..60 {
        for x in 20..40 {
            photo.put_pixel(x, y, Luma([40]));
        }
    }
    for y in 45..60 {
        for x in 40..75 {
            photo.put_pixel(x, y, Luma([60]));
        }
    }
    let path = dir.join("boot.png");
    DynamicImage::ImageLuma8(photo).save(&path).unwrap();
    path
}

#[test]
fn predict_gives_the_in_memory_logits_of_lessons_8_and_9s_networks() {
    let dir = tempfile::tempdir().unwrap();
    let file = picture(dir.path());
    let bytes = std::fs::read(&file).unwrap();
    let resnet = Network::FashionResnet {
        variant: BlockKind::Residual,
        widths: vec![4, 8],
        blocks: 1,
        mean: 0.286,
        std: 0.353,
    };
    let vit = Network::VisionTransformer(VitConfig {
        image: [1, 28, 28],
        patch: 7,
        dim: 16,
        depth: 2,
        heads: 2,
        mlp: 32,
        classes: 10,
    });
    for (seed, network) in [(8, resnet), (9, vit)] {
        let model = network.build(&mut StdRng::seed_from_u64(seed));
        let path = dir.path().join(format!("{}.safetensors", network.name()));
        digit_model::save(&model, network.clone(), &path).unwrap();

        // In memory: the picture prepared as the network's data set was made, then
        // x = (p − mean)/std, then the forward pass.
        let input = network.input();
        let seen = data::image_io::digit_from_bytes(&bytes, &file, input.how)
            .unwrap()
            .reshape(&[1, 1, 28, 28]);
        let x = Var::constant(input.standardize(&seen));
        let logits = model.forward(&x, Mode::Eval).value().clone();

        let line = predict_json(&path, &file);
        assert_eq!(floats(&line["logits"]), logits.data(), "{}", network.name());
        let p = digit_model::probabilities(&network, &model, &seen);
        assert_eq!(
            floats(&line["probabilities"]),
            p.data(),
            "{}",
            network.name()
        );
        let class = line["class"].as_u64().unwrap() as usize;
        assert_eq!(line["label"], network.classes()[class]);
        // A clothing model names no digit; a digit model does.
        assert_eq!(
            line.get("digit").is_some(),
            network.dataset() == data::Dataset::Mnist,
            "{line}"
        );
    }
}
