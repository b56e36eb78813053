//! Saved digit models: each network round-trips through its file with its name in the
//! header, and a file that does not name one of ours is refused with a message naming it.

use layers::Module;
use models::digit_model::{ModelFileError, NETWORK_KEY, Network, load, network_of, save};
use rand::{SeedableRng, rngs::StdRng};
use tensor::Tensor;

#[test]
fn each_network_comes_back_as_itself_with_its_weights() {
    let dir = tempfile::tempdir().unwrap();
    for network in Network::ALL {
        let path = dir.path().join(format!("{}.safetensors", network.name()));
        let model = network.build(&mut StdRng::seed_from_u64(3));
        save(&model, network, &path).unwrap();
        assert_eq!(
            layers::read_metadata(&path).unwrap()[NETWORK_KEY],
            network.name()
        );
        let (found, loaded) = load(&path).unwrap();
        assert_eq!(found, network);
        let (a, b) = (model.named_parameters(), loaded.named_parameters());
        assert_eq!(a.len(), b.len());
        for ((name, p), (_, q)) in a.iter().zip(&b) {
            assert_eq!(*p.value(), *q.value(), "{name}");
        }
    }
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
        ModelFileError::NotADigitModel { found: None, .. }
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
        message.contains("`resnet50`") && message.contains("first_cnn"),
        "{message}"
    );

    // The right name with the wrong weights: the layer loader's error, naming the tensor.
    let wrong = dir.path().join("wrong.safetensors");
    layers::save_with_metadata(&linear, &wrong, &[(NETWORK_KEY, "deep_cnn")]).unwrap();
    assert!(matches!(network_of(&wrong), Ok(Network::DeepCnn)));
    assert!(matches!(load(&wrong).err(), Some(ModelFileError::Layer(_))));
}
