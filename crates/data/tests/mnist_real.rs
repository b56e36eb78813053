//! The real MNIST files from the data root (`GRADSCHOOL_DATA`, else the per-user cache,
//! downloading what is missing), plus the loader's behaviour on small stand-in files
//! (Fashion-MNIST layout, wrong shapes, missing files).

use std::path::{Path, PathBuf};

use data::DataError;
use data::idx::{self, IdxArray};
use data::mnist::{self, Dataset, Mnist, Split};

/// The data root as a user's run finds it (`GRADSCHOOL_DATA`, else the per-user cache),
/// with any missing MNIST file downloaded first and checked against its SHA-256, as on a
/// learner's first run. Fails, loudly, when the files are neither there nor downloadable:
/// a test that silently passes without its data proves nothing.
fn data_dir() -> PathBuf {
    let root = data::data_root(None);
    for dataset in [Dataset::Mnist, Dataset::FashionMnist] {
        let dir = root.join(dataset.dir_name());
        mnist::download_set(dataset, &dir, dataset.mirrors()).unwrap_or_else(|e| {
            panic!(
                "{} is not in {} and could not be downloaded ({e}): set GRADSCHOOL_DATA to \
                 a folder holding {}/, or run `cargo xtask data` once with a network",
                dataset.title(),
                root.display(),
                dataset.dir_name()
            )
        });
    }
    root
}

fn pixel_sum(image: &[u8]) -> u64 {
    image.iter().map(|&p| p as u64).sum()
}

#[test]
fn real_mnist_train_split() {
    let train = Mnist::load(&data_dir(), Dataset::Mnist, Split::Train).unwrap();
    assert_eq!(train.len(), 60_000);
    assert_eq!(train.image_size(), (28, 28));
    assert_eq!(&train.labels()[..5], &[5, 0, 4, 1, 9]);
    // Computed once from the file: the first image (a 5) has 166 ink pixels summing to 27,525.
    assert_eq!(pixel_sum(train.image(0)), 27_525);
    let x = train.images();
    assert_eq!(x.shape(), &[60_000, 1, 28, 28]);
    let first: f32 = x.data()[..784].iter().sum();
    assert!((first - 27_525.0 / 255.0).abs() < 1e-3, "{first}");
    assert!(x.max_all() <= 1.0 && x.min_all() >= 0.0);
    assert_eq!(
        train.images_u8().data()[..784].iter().sum::<f32>(),
        27_525.0
    );
    let y = train.labels_tensor();
    assert_eq!(
        (y.shape(), &y.data()[..5]),
        (&[60_000][..], &[5.0, 0.0, 4.0, 1.0, 9.0][..])
    );
    // Every digit occurs; the classes are roughly balanced (5,421 to 6,742 each).
    for digit in 0..10u8 {
        let count = train.labels().iter().filter(|&&l| l == digit).count();
        assert!((5_000..7_000).contains(&count), "digit {digit}: {count}");
    }
    // The 1-vs-7 lesson's training set.
    let ones_and_sevens = train.filter_labels(&[1, 7]);
    assert_eq!(ones_and_sevens.len(), 13_007);
    assert!(ones_and_sevens.labels().iter().all(|&l| l == 1 || l == 7));
    let targets = ones_and_sevens.binary_targets(7);
    assert_eq!(targets.shape(), &[13_007, 1]);
    assert_eq!(targets.data().iter().sum::<f32>(), 6_265.0); // the 7s
}

#[test]
fn real_mnist_test_split() {
    let test = Mnist::load(&data_dir(), Dataset::Mnist, Split::Test).unwrap();
    assert_eq!(test.len(), 10_000);
    assert_eq!(&test.labels()[..5], &[7, 2, 1, 0, 4]);
    // The first test image (a 7): 116 ink pixels summing to 18,454.
    assert_eq!(pixel_sum(test.image(0)), 18_454);
    assert_eq!(test.filter_labels(&[1, 7]).len(), 2_163);
}

#[test]
fn real_mnist_matches_its_raw_hashes() {
    // The local train-images .gz was recompressed; its raw bytes still match.
    let checked = mnist::verify_set(Dataset::Mnist, &data_dir().join("mnist")).unwrap();
    assert_eq!(checked.len(), 4);
}

#[test]
fn real_fashion_mnist_matches_its_raw_hashes_and_loads() {
    // Debian's copy was recompressed; the bytes inside are the dataset's.
    let root = data_dir();
    let dir = root.join("fashion-mnist");
    assert_eq!(
        mnist::verify_set(Dataset::FashionMnist, &dir)
            .unwrap()
            .len(),
        4
    );
    let test = Mnist::load(&root, Dataset::FashionMnist, Split::Test).unwrap();
    assert_eq!(test.len(), 10_000);
    // Balanced: 1,000 test images of each of the ten classes.
    for class in 0..10u8 {
        assert_eq!(test.filter_labels(&[class]).len(), 1_000);
    }
    let train = Mnist::load(&root, Dataset::FashionMnist, Split::Train).unwrap();
    assert_eq!(train.len(), 60_000);
}

/// Writes a tiny four-file set (`n_train` and `n_test` images of 2×2) into `dir`.
fn write_tiny_set(dir: &Path, gzip: bool) {
    let suffix = if gzip { ".gz" } else { "" };
    for (split, n) in [(Split::Train, 3usize), (Split::Test, 2)] {
        let (images, labels) = split.file_stems();
        let pixels: Vec<u8> = (0..n * 4).map(|i| (i * 20) as u8).collect();
        let set = Mnist::from_parts(pixels, (0..n as u8).collect(), 2, 2);
        set.write_idx(
            &dir.join(format!("{images}{suffix}")),
            &dir.join(format!("{labels}{suffix}")),
            gzip,
        )
        .unwrap();
    }
}

#[test]
fn fashion_mnist_loads_through_the_same_loader() {
    let root = tempfile::tempdir().unwrap();
    write_tiny_set(&root.path().join("fashion-mnist"), false);
    let train = Mnist::load(root.path(), Dataset::FashionMnist, Split::Train).unwrap();
    assert_eq!(train.labels(), &[0, 1, 2]);
    assert_eq!(train.image(1), &[80, 100, 120, 140]);
    let test = Mnist::load(root.path(), Dataset::FashionMnist, Split::Test).unwrap();
    assert_eq!(test.images().shape(), &[2, 1, 2, 2]);
    assert_eq!(Dataset::FashionMnist.class_names()[9], "Ankle boot");
    // The digits directory is separate and absent here.
    let error = Mnist::load(root.path(), Dataset::Mnist, Split::Train).unwrap_err();
    assert!(matches!(error, DataError::Missing { .. }));
}

#[test]
fn a_missing_file_says_where_and_what_to_do() {
    let root = tempfile::tempdir().unwrap();
    let error = Mnist::load(root.path(), Dataset::Mnist, Split::Test).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("t10k-images-idx3-ubyte.gz"), "{message}");
    assert!(
        message.contains("GRADSCHOOL_DATA") && message.contains("cargo xtask data"),
        "{message}"
    );
    let error = Mnist::load(root.path(), Dataset::FashionMnist, Split::Test).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("fashion-mnist") && message.contains("download Fashion-MNIST"),
        "{message}"
    );
}

#[test]
fn files_of_the_wrong_shape_or_labels_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    write_tiny_set(dir.path(), true);
    let (_, labels) = Split::Train.file_stems();
    let labels_path = dir.path().join(format!("{labels}.gz"));
    // Four labels for three images.
    idx::write(
        &labels_path,
        &IdxArray::from_u8(&[4], vec![0, 1, 2, 3]),
        true,
    )
    .unwrap();
    let error = Mnist::load_dir(dir.path(), Dataset::Mnist, Split::Train).unwrap_err();
    assert!(
        error.to_string().contains("4 labels for 3 images"),
        "{error}"
    );
    // A label of 12.
    idx::write(&labels_path, &IdxArray::from_u8(&[3], vec![0, 12, 2]), true).unwrap();
    let error = Mnist::load_dir(dir.path(), Dataset::Mnist, Split::Train).unwrap_err();
    assert!(error.to_string().contains("label 12 at index 1"), "{error}");
    // Labels with two dimensions.
    idx::write(
        &labels_path,
        &IdxArray::from_u8(&[3, 1], vec![0, 1, 2]),
        true,
    )
    .unwrap();
    let error = Mnist::load_dir(dir.path(), Dataset::Mnist, Split::Train).unwrap_err();
    assert!(
        matches!(&error, DataError::Format { path, .. } if path == &labels_path),
        "{error}"
    );
}

#[test]
fn subsets_and_filters_keep_images_with_their_labels() {
    let set = Mnist::from_parts((0..12).collect(), vec![1, 7, 3], 2, 2);
    let sevens = set.filter_labels(&[7]);
    assert_eq!(
        (sevens.labels(), sevens.pixels()),
        (&[7][..], &[4, 5, 6, 7][..])
    );
    let reordered = set.subset(&[2, 0]);
    assert_eq!(reordered.pixels(), &[8, 9, 10, 11, 0, 1, 2, 3]);
    assert_eq!(set.binary_targets(7).data(), &[0.0, 1.0, 0.0]);
}

#[test]
fn real_digits_make_a_readable_grid_and_png_files() {
    let test = Mnist::load(&data_dir(), Dataset::Mnist, Split::Test).unwrap();
    let first = test.subset(&(0..16).collect::<Vec<_>>());
    let labels = first.labels();
    // Half plain labels, half "label → guess" captions as a confusion grid shows them.
    let captions: Vec<String> = (0..16)
        .map(|i| {
            if i < 8 {
                labels[i].to_string()
            } else {
                format!("{} → {}", labels[i], (labels[i] + 1) % 10)
            }
        })
        .collect();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("data-tests");
    let grid_path = out.join("mnist-test-grid.png");
    data::grid::save_grid(&grid_path, &first.images(), &captions, 4).unwrap();
    let grid = image::open(&grid_path).unwrap().to_luma8();
    assert_eq!((grid.width(), grid.height()), (4 + 4 * 88, 4 + 4 * 106));
    // One digit as its own PNG reloads to the same tensor.
    let digit = first.images().select_rows(&[0]).reshape(&[1, 28, 28]);
    let digit_path = out.join("first-test-digit.png");
    data::image_io::save_png(&digit_path, &digit).unwrap();
    assert_eq!(
        data::image_io::load_digit(&digit_path, data::image_io::Preprocess::Raw).unwrap(),
        digit
    );
}
