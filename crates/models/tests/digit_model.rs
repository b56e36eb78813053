//! Saved models: each network round-trips through its file with its name and sizes in the
//! header, the files lessons 8 and 9 write load as what they are, and a file that does not
//! name one of ours, or garbles a size, is refused with a message naming the file and the
//! key.

use layers::{BlockKind, Module, VitConfig};
use models::digit_model::{
    Model, ModelFileError, NETWORK_KEY, Network, load, network_of, probabilities, save,
};
use models::{Context, Schedule};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

/// A small ResNet and a small vision transformer (the course's are larger; the sizes only
/// need to come back).
fn examples() -> Vec<Network> {
    vec![
        Network::FirstCnn,
        Network::DeepCnn,
        Network::FashionResnet {
            variant: BlockKind::Residual,
            widths: vec![4, 8],
            blocks: 2,
            mean: 0.286_040_6,
            std: 0.353_024,
        },
        Network::FashionResnet {
            variant: BlockKind::Plain,
            widths: vec![3],
            blocks: 1,
            mean: 0.5,
            std: 0.25,
        },
        Network::VisionTransformer(VitConfig {
            image: [1, 28, 28],
            patch: 7,
            dim: 16,
            depth: 2,
            heads: 4,
            mlp: 32,
            classes: 10,
        }),
    ]
}

/// Every parameter and buffer of `a` and `b` is the same, name by name, bit for bit.
fn same_state(a: &dyn Module, b: &dyn Module, what: &str) {
    let state = |m: &dyn Module| {
        let mut s = m.named_parameters();
        s.extend(m.named_buffers());
        s
    };
    let (a, b) = (state(a), state(b));
    assert_eq!(a.len(), b.len(), "{what}");
    for ((name, p), (other, q)) in a.iter().zip(&b) {
        assert_eq!(name, other, "{what}");
        assert_eq!(*p.value(), *q.value(), "{what}: {name}");
    }
}

#[test]
fn each_network_comes_back_as_itself_with_its_weights() {
    let dir = tempfile::tempdir().unwrap();
    for (i, network) in examples().into_iter().enumerate() {
        let path = dir
            .path()
            .join(format!("{i}-{}.safetensors", network.name()));
        let model = network.build(&mut StdRng::seed_from_u64(3));
        if let Model::Chain(chain) = &model {
            // Batch normalisation's running statistics are saved too: make them not the
            // initial ones, so that a loader that forgot them would be caught.
            let x = autograd::Var::constant(Tensor::rand_uniform(
                &[4, 1, 28, 28],
                0.0,
                1.0,
                &mut StdRng::seed_from_u64(i as u64),
            ));
            chain.forward(&x, layers::Mode::Train);
        }
        save(&model, network.clone(), &path).unwrap();
        assert_eq!(
            layers::read_metadata(&path).unwrap()[NETWORK_KEY],
            network.name()
        );
        let (found, loaded) = load(&path).unwrap();
        assert_eq!(found, network);
        same_state(&model, &loaded, network.name());
        // The same weights give the same probabilities, which sum to 1.
        let seen = Tensor::rand_uniform(&[2, 1, 28, 28], 0.0, 1.0, &mut StdRng::seed_from_u64(9));
        let p = probabilities(&found, &loaded, &seen);
        assert_eq!(p, probabilities(&network, &model, &seen), "{network:?}");
        assert_eq!(p.shape(), &[2, 10]);
    }
}

#[test]
fn each_network_knows_its_classes_and_its_input() {
    let e = examples();
    let (resnet, vit) = (e[2].clone(), e[4].clone());
    assert_eq!(resnet.classes()[1], "Trouser");
    assert_eq!(vit.classes()[9], "9");
    let input = resnet.input();
    assert_eq!(input.how, data::image_io::Preprocess::Fashion);
    // x = (p − mean)/std: the mean pixel becomes 0, one standard deviation above it 1.
    let p = Tensor::from_vec(vec![0.286_040_6, 0.286_040_6 + 0.353_024], &[2]).unwrap();
    let x = input.standardize(&p);
    assert!(x.data()[0].abs() < 1e-7 && (x.data()[1] - 1.0).abs() < 1e-6);
    assert_eq!(vit.input().how, data::image_io::Preprocess::Mnist);
    assert_eq!(
        (vit.input().mean, vit.input().std),
        models::digit_model::MNIST_MEAN_STD
    );
    // Lesson 6 trained on (p − 0.5)/0.5, lesson 7 on the pixels themselves.
    let p = Tensor::from_vec(vec![0.0, 0.5, 1.0], &[3]).unwrap();
    assert_eq!(
        Network::FirstCnn.input().standardize(&p).data(),
        [-1.0, 0.0, 1.0]
    );
    assert_eq!(Network::DeepCnn.input().standardize(&p), p);
}

/// Runs lesson `n` for a moment (one epoch on a few images, with `overrides`) into `dir`
/// and returns what its model file says it holds.
fn lesson_file(n: u32, dir: &std::path::Path, overrides: &[(&str, &str)]) -> Network {
    let lesson = models::lesson(n).unwrap();
    let mut all = vec![
        ("--epochs", "1"),
        ("--train-images", "256"),
        ("--test-images", "64"),
    ];
    all.extend_from_slice(overrides);
    let ctx = Context {
        seed: lesson.seed,
        data_root: data::data_root(None),
        out_dir: dir.join(lesson.slug),
        schedule: Schedule::Quick,
        overrides: all
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    };
    models::run_lesson(lesson, &ctx).unwrap_or_else(|e| panic!("lesson {n}: {e}"));
    let (network, _) = load(&ctx.out("model.safetensors")).expect("the lesson's file loads");
    network
}

#[test]
fn the_files_lessons_8_and_9_write_load_as_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let resnet = lesson_file(
        8,
        dir.path(),
        &[("--widths", "4,8"), ("--blocks", "1"), ("--variant", "bn")],
    );
    let Network::FashionResnet {
        variant,
        widths,
        blocks,
        mean,
        std,
    } = resnet
    else {
        panic!("lesson 8 saved {resnet:?}")
    };
    assert_eq!(
        (variant, widths, blocks),
        (BlockKind::Normalized, vec![4, 8], 1)
    );
    // The first 256 training images' statistics, near the whole set's 0.2860 and 0.3530.
    assert!(
        (mean - 0.286).abs() < 0.03 && (std - 0.353).abs() < 0.03,
        "{mean} {std}"
    );

    let vit = lesson_file(
        9,
        dir.path(),
        &[
            ("--patch", "7"),
            ("--width", "16"),
            ("--depth", "1"),
            ("--heads", "2"),
            ("--mlp", "32"),
        ],
    );
    let Network::VisionTransformer(c) = vit else {
        panic!("lesson 9 saved {vit:?}")
    };
    assert_eq!((c.patch, c.dim, c.depth, c.heads, c.mlp), (7, 16, 1, 2, 32));
}

#[test]
fn a_file_from_elsewhere_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    // Plain weights without our header, and a header naming a network we do not have.
    let plain = dir.path().join("plain.safetensors");
    layers::write_tensors(&plain, [("w", &Tensor::zeros(&[2]))]).unwrap();
    let error = network_of(&plain).unwrap_err();
    assert!(matches!(
        error,
        ModelFileError::UnknownNetwork { found: None, .. }
    ));
    let message = error.to_string();
    assert!(
        message.contains("plain.safetensors") && message.contains("missing"),
        "{message}"
    );

    let other = dir.path().join("resnet.safetensors");
    let linear = layers::Linear::new(2, 2, &mut StdRng::seed_from_u64(0));
    layers::save_with_metadata(&linear, &other, &[(NETWORK_KEY, "resnet50")]).unwrap();
    let message = load(&other).err().expect("refused").to_string();
    assert!(
        message.contains("`resnet50`") && message.contains("vision_transformer"),
        "{message}"
    );

    // The right name with the wrong weights: the layer loader's error, naming the tensor.
    let wrong = dir.path().join("wrong.safetensors");
    layers::save_with_metadata(&linear, &wrong, &[(NETWORK_KEY, "deep_cnn")]).unwrap();
    assert!(matches!(network_of(&wrong), Ok(Network::DeepCnn)));
    assert!(matches!(load(&wrong).err(), Some(ModelFileError::Layer(_))));
}

#[test]
fn a_missing_or_garbled_size_is_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let e = examples();
    let (resnet, vit) = (e[2].clone(), e[4].clone());
    let linear = layers::Linear::new(2, 2, &mut StdRng::seed_from_u64(0));
    // The header a network writes, with `key` set to `value` (removed if `None`).
    let with = |network: &Network, key: &str, value: Option<&str>| {
        let mut header: Vec<(&str, String)> = network.header();
        header.retain(|(k, _)| *k != key);
        if let Some(v) = value {
            header.push((key, v.to_string()));
        }
        let path = dir
            .path()
            .join(format!("{}.safetensors", key.replace('.', "-")));
        let pairs: Vec<(&str, &str)> = header.iter().map(|(k, v)| (*k, v.as_str())).collect();
        layers::save_with_metadata(&linear, &path, &pairs).unwrap();
        path
    };
    for (network, key, value, says) in [
        (&resnet, "gradschool.widths", None, "is missing"),
        (&resnet, "gradschool.widths", Some("16,x,64"), "`16,x,64`"),
        (
            &resnet,
            "gradschool.widths",
            Some("100000"),
            "from 1 to 512",
        ),
        (
            &resnet,
            "gradschool.variant",
            Some("dense"),
            "one of plain, bn, resnet",
        ),
        (&resnet, "gradschool.blocks", Some("0"), "from 1 to 16"),
        (&resnet, "gradschool.mean", None, "is missing"),
        (&resnet, "gradschool.std", Some("0"), "above 0"),
        (&resnet, "gradschool.std", Some("NaN"), "above 0"),
        (&vit, "gradschool.patch", Some("5"), "divides 28"),
        (&vit, "gradschool.heads", Some("3"), "divides the width"),
        (&vit, "gradschool.depth", Some("-1"), "`-1`"),
        (&vit, "gradschool.mlp", None, "is missing"),
    ] {
        let path = with(network, key, value);
        let error = load(&path).err().expect("refused");
        let message = error.to_string();
        assert!(
            matches!(&error, ModelFileError::BadHeader { key: k, .. } if *k == key),
            "{key} = {value:?}: {message}"
        );
        assert!(
            message.contains(&path.display().to_string())
                && message.contains(&format!("`{key}`"))
                && message.contains(says)
                && message.contains(network.name()),
            "{key} = {value:?}: {message}"
        );
    }
}
