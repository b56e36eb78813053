//! Saving and loading parameters: round trips, wrong files, and atomic replacement.

use std::path::Path;

use autograd::Var;
use layers::{
    LayerError, Linear, Mode, Module, ReLU, Sequential, load, read_tensors, save, write_tensors,
};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

fn mlp(seed: u64, hidden: usize) -> Sequential {
    let mut rng = StdRng::seed_from_u64(seed);
    Sequential::new()
        .push(Linear::new(4, hidden, &mut rng))
        .push(ReLU)
        .push(Linear::new(hidden, 3, &mut rng))
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_round_trip_gives_bit_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mlp.safetensors");
    let a = mlp(1, 8);
    save(&a, &path).unwrap();

    let b = mlp(2, 8);
    let x = Var::constant(Tensor::rand_uniform(
        &[5, 4],
        -1.0,
        1.0,
        &mut StdRng::seed_from_u64(9),
    ));
    assert_ne!(
        *a.forward(&x, Mode::Eval).value(),
        *b.forward(&x, Mode::Eval).value()
    );
    let handle = b.parameters()[0].clone();
    load(&b, &path).unwrap();
    assert_eq!(
        *a.forward(&x, Mode::Eval).value(),
        *b.forward(&x, Mode::Eval).value()
    );
    // Loading copied in place: handles taken before (an optimizer's) see the new values.
    assert_eq!(*handle.value(), *a.parameters()[0].value());

    // The file holds PyTorch's Sequential keys, and only the final file remains.
    let names: Vec<String> = read_tensors(&path).unwrap().into_keys().collect();
    assert_eq!(names, ["0.bias", "0.weight", "2.bias", "2.weight"]);
    assert_eq!(listing(dir.path()), ["mlp.safetensors"]);
}

#[test]
fn saving_again_replaces_the_file_and_leaves_no_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    save(&mlp(1, 8), &path).unwrap();
    let second = mlp(2, 8);
    save(&second, &path).unwrap();
    assert_eq!(listing(dir.path()), ["model.safetensors"]);
    let saved = read_tensors(&path).unwrap();
    assert_eq!(saved["2.weight"], *second.parameters()[2].value());
}

#[test]
fn loading_into_another_shape_names_the_tensor_and_both_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mlp.safetensors");
    save(&mlp(1, 8), &path).unwrap();
    let other = mlp(2, 5);
    let before = other.parameters()[0].value().clone();

    let err = load(&other, &path).unwrap_err();
    let LayerError::ShapeMismatch {
        name,
        expected,
        found,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(
        (name.as_str(), expected.as_slice(), found.as_slice()),
        ("0.weight", &[5, 4][..], &[8, 4][..])
    );
    let text = err.to_string();
    assert!(
        text.contains("mlp.safetensors")
            && text.contains("0.weight")
            && text.contains("[8, 4]")
            && text.contains("[5, 4]"),
        "{text}"
    );
    // Nothing was copied.
    assert_eq!(*other.parameters()[0].value(), before);
}

#[test]
fn missing_and_unexpected_tensors_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one_layer.safetensors");
    let mut rng = StdRng::seed_from_u64(0);
    save(&Sequential::new().push(Linear::new(4, 8, &mut rng)), &path).unwrap();

    let err = load(&mlp(1, 8), &path).unwrap_err();
    assert!(
        matches!(&err, LayerError::MissingTensor { name, .. } if name == "2.weight"),
        "{err}"
    );
    assert!(err.to_string().contains("one_layer.safetensors"), "{err}");

    let small = Linear::new(4, 8, &mut rng);
    let err = load(&small, &path).unwrap_err();
    assert!(
        matches!(&err, LayerError::MissingTensor { name, .. } if name == "weight"),
        "{err}"
    );

    let t = Tensor::zeros(&[8]);
    write_tensors(
        &path,
        [
            ("weight", &Tensor::zeros(&[8, 4])),
            ("bias", &t),
            ("extra", &t),
        ],
    )
    .unwrap();
    let err = load(&small, &path).unwrap_err();
    assert!(
        matches!(&err, LayerError::UnexpectedTensor { name, .. } if name == "extra"),
        "{err}"
    );
}

#[test]
fn a_corrupt_or_missing_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = mlp(1, 8);

    let path = dir.path().join("corrupt.safetensors");
    std::fs::write(&path, b"this is not a safetensors file").unwrap();
    let err = load(&model, &path).unwrap_err();
    assert!(
        matches!(err, LayerError::Format { .. }) && err.to_string().contains("corrupt.safetensors"),
        "{err}"
    );

    // A truncated file: the header promises more bytes than there are.
    let path = dir.path().join("truncated.safetensors");
    save(&model, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
    let err = load(&model, &path).unwrap_err();
    assert!(
        matches!(err, LayerError::Format { .. })
            && err.to_string().contains("truncated.safetensors"),
        "{err}"
    );

    let path = dir.path().join("absent.safetensors");
    let err = load(&model, &path).unwrap_err();
    assert!(
        matches!(err, LayerError::Io { .. }) && err.to_string().contains("absent.safetensors"),
        "{err}"
    );
}

#[test]
fn a_failed_save_leaves_nothing_behind() {
    // The directory does not exist: the save fails, naming the file, and creates nothing.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_such_dir").join("model.safetensors");
    let err = save(&mlp(1, 8), &path).unwrap_err();
    assert!(
        matches!(err, LayerError::Io { .. }) && err.to_string().contains("model.safetensors"),
        "{err}"
    );
    assert!(listing(dir.path()).is_empty());

    // The destination is a directory: the final rename fails after the temporary file was
    // written; the temporary file is removed again and the directory is untouched.
    // (The unit test `an_interrupted_write_leaves_the_old_file_and_no_temporary` of the
    // `atomic_file` crate, which writes every checkpoint, shows an existing file surviving
    // a write that fails halfway.)
    let target = dir.path().join("occupied.safetensors");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), b"x").unwrap();
    assert!(save(&mlp(1, 8), &target).is_err());
    assert_eq!(listing(dir.path()), ["occupied.safetensors"]);
    assert_eq!(listing(&target), ["keep"]);
}

/// A small convolutional net with batch normalisation, whose running statistics are
/// buffers: `0` Conv2d(1→3, no bias), `1` BatchNorm2d(3), `2` ReLU, `3` GlobalAvgPool2d.
fn bn_net(seed: u64) -> Sequential {
    use layers::{BatchNorm2d, Conv2d, GlobalAvgPool2d};
    let mut rng = StdRng::seed_from_u64(seed);
    Sequential::new()
        .push(Conv2d::new(1, 3, 3, 1, tensor::Padding::Same, &mut rng).without_bias())
        .push(BatchNorm2d::new(3))
        .push(ReLU)
        .push(GlobalAvgPool2d)
}

#[test]
fn buffers_are_saved_and_loaded_with_the_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bn.safetensors");
    let x = Var::constant(Tensor::rand_uniform(
        &[6, 1, 5, 5],
        0.0,
        2.0,
        &mut StdRng::seed_from_u64(3),
    ));
    // Training passes move the running statistics away from 0 and 1.
    let a = bn_net(1);
    for _ in 0..3 {
        a.forward(&x, Mode::Train);
    }
    save(&a, &path).unwrap();
    let names: Vec<String> = read_tensors(&path).unwrap().into_keys().collect();
    assert_eq!(
        names,
        [
            "0.weight",
            "1.bias",
            "1.running_mean",
            "1.running_var",
            "1.weight"
        ]
    );

    // Another net's evaluation differs until it loads the file, statistics included.
    let b = bn_net(2);
    assert_ne!(
        *a.forward(&x, Mode::Eval).value(),
        *b.forward(&x, Mode::Eval).value()
    );
    load(&b, &path).unwrap();
    assert_eq!(
        *a.forward(&x, Mode::Eval).value(),
        *b.forward(&x, Mode::Eval).value()
    );

    // A file without the buffers (parameters only) is refused by name, as PyTorch's
    // strict loading does, and changes nothing.
    let partial = dir.path().join("params_only.safetensors");
    let params: Vec<(String, Tensor)> = a
        .named_parameters()
        .into_iter()
        .map(|(n, p)| (n, p.value().clone()))
        .collect();
    write_tensors(&partial, params.iter().map(|(n, t)| (n.as_str(), t))).unwrap();
    let fresh = bn_net(3);
    let before = fresh.forward(&x, Mode::Eval).value().clone();
    let error = load(&fresh, &partial).unwrap_err();
    assert!(
        matches!(&error, LayerError::MissingTensor { name, .. } if name == "1.running_mean"),
        "{error}"
    );
    assert_eq!(*fresh.forward(&x, Mode::Eval).value(), before);

    // The summary counts the buffers apart from the learned parameters.
    let s = layers::summary(&a, &[1, 5, 5]);
    assert_eq!((s.total_params, s.buffer_values), (27 + 6, 6));
    assert!(
        s.to_string().contains("Buffers (saved, not trained): 6"),
        "{s}"
    );
}

#[test]
fn a_vision_transformer_round_trip_gives_bit_identical_outputs() {
    use layers::{VisionTransformer, VitConfig};
    let config = VitConfig {
        image: [1, 8, 8],
        patch: 4,
        dim: 8,
        depth: 2,
        heads: 2,
        mlp: 16,
        classes: 3,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vit.safetensors");
    let a = VisionTransformer::new(config, &mut StdRng::seed_from_u64(1));
    save(&a, &path).unwrap();
    let b = VisionTransformer::new(config, &mut StdRng::seed_from_u64(2));
    let x = Var::constant(Tensor::rand_uniform(
        &[3, 1, 8, 8],
        -1.0,
        1.0,
        &mut StdRng::seed_from_u64(9),
    ));
    assert_ne!(
        *a.forward(&x, Mode::Eval).value(),
        *b.forward(&x, Mode::Eval).value()
    );
    load(&b, &path).unwrap();
    assert_eq!(
        *a.forward(&x, Mode::Eval).value(),
        *b.forward(&x, Mode::Eval).value()
    );
    // Every parameter is in the file under its name, and nothing else.
    let saved: Vec<String> = read_tensors(&path).unwrap().into_keys().collect();
    let mut names: Vec<String> = a.named_parameters().into_iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(saved, names);
}
