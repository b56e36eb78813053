//! Standardisation, splits, batching, augmentation and the data-root rule.

use std::collections::HashSet;
use std::path::Path;

use data::augment::{concat_sets, invert};
use data::split::{take, train_test, train_valid_test};
use data::standardize::{center_unit, scale_pixels};
use data::{DataLoader, Standardizer, resolve_data_root, standardize};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

#[test]
fn standardize_gives_zero_mean_unit_population_std_and_round_trips() {
    let mut rng = StdRng::seed_from_u64(0);
    let x = Tensor::rand_normal(&[200, 3], 5.0, 2.0, &mut rng);
    let (z, scaler) = standardize(&x);
    for j in 0..3 {
        let column: Vec<f32> = (0..200).map(|i| z.at(&[i, j])).collect();
        let mean = column.iter().sum::<f32>() / 200.0;
        // Population variance: divide by N, not N − 1.
        let var = column.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / 200.0;
        assert!(
            mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4,
            "column {j}: {mean} {var}"
        );
    }
    assert!(scaler.unstandardize(&z).allclose(&x, 1e-5, 1e-5));
    // Other data is scaled with the training statistics, not its own.
    let other = Tensor::from_vec(vec![5.0, 5.0, 5.0], &[1, 3]).unwrap();
    let expected = other.sub(&scaler.mean).div(&scaler.std);
    assert_eq!(scaler.apply(&other), expected);
}

#[test]
fn standardize_hand_example_and_constant_column() {
    // Column 0: 1, 3 → μ = 2, σ = 1 (population). Column 1 is constant → maps to 0.
    let x = Tensor::from_vec(vec![1.0, 4.0, 3.0, 4.0], &[2, 2]).unwrap();
    let scaler = Standardizer::fit(&x);
    assert_eq!(scaler.mean.data(), &[2.0, 4.0]);
    assert_eq!(scaler.std.data(), &[1.0, 1.0]);
    assert_eq!(scaler.apply(&x).data(), &[-1.0, 0.0, 1.0, 0.0]);
}

#[test]
fn pixel_normalisations() {
    let x = Tensor::from_vec(vec![0.0, 51.0, 255.0], &[3]).unwrap();
    let unit = scale_pixels(&x);
    assert_eq!(unit.data(), &[0.0, 0.2, 1.0]);
    assert_eq!(center_unit(&unit).data(), &[-1.0, -0.6, 1.0]);
}

fn assert_partition(parts: &[&Vec<usize>], n: usize) {
    let all: Vec<usize> = parts.iter().flat_map(|p| p.iter().copied()).collect();
    assert_eq!(all.len(), n, "sizes add up");
    let unique: HashSet<usize> = all.iter().copied().collect();
    assert_eq!(unique.len(), n, "disjoint");
    assert!(all.iter().all(|&i| i < n), "in range, so covering");
}

#[test]
fn splits_have_the_right_sizes_are_disjoint_cover_and_follow_the_seed() {
    let split = train_valid_test(1000, 0.15, 0.15, &mut StdRng::seed_from_u64(5));
    assert_eq!(
        (split.train.len(), split.valid.len(), split.test.len()),
        (700, 150, 150)
    );
    assert_partition(&[&split.train, &split.valid, &split.test], 1000);
    assert_eq!(
        split,
        train_valid_test(1000, 0.15, 0.15, &mut StdRng::seed_from_u64(5))
    );
    assert_ne!(
        split,
        train_valid_test(1000, 0.15, 0.15, &mut StdRng::seed_from_u64(6))
    );
    // Shuffled, not the identity.
    assert_ne!(split.train, (0..700).collect::<Vec<_>>());

    let (train, test) = train_test(150, 0.2, &mut StdRng::seed_from_u64(5));
    assert_eq!((train.len(), test.len()), (120, 30));
    assert_partition(&[&train, &test], 150);
    assert_eq!(
        (train.clone(), test.clone()),
        train_test(150, 0.2, &mut StdRng::seed_from_u64(5))
    );

    let x = Tensor::arange(0.0, 150.0, 1.0).reshape(&[150, 1]);
    let (xt, yt) = take(&x, &x.reshape(&[150]), &test);
    let rows: Vec<usize> = xt.data().iter().map(|&v| v as usize).collect();
    assert_eq!((rows, yt.shape()), (test, &[30][..]));
}

/// Row `i` of x is `[i, −i]`; y is `[i]` (class-index style) so batches can be checked.
fn indexed(n: usize) -> (Tensor, Tensor) {
    let x: Vec<f32> = (0..n).flat_map(|i| [i as f32, -(i as f32)]).collect();
    let y: Vec<f32> = (0..n).map(|i| i as f32).collect();
    (
        Tensor::from_vec(x, &[n, 2]).unwrap(),
        Tensor::from_vec(y, &[n]).unwrap(),
    )
}

#[test]
fn every_example_is_seen_exactly_once_per_epoch() {
    let (x, y) = indexed(103);
    let loader = DataLoader::new(&x, &y, 10);
    assert_eq!(loader.num_batches(), 11);
    let mut rng = StdRng::seed_from_u64(0);
    let mut orders = Vec::new();
    for _epoch in 0..3 {
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        for (xb, yb) in loader.shuffled(&mut rng) {
            assert_eq!(xb.shape(), &[yb.dim(0), 2]);
            for r in 0..yb.dim(0) {
                // Inputs and targets stay paired.
                assert_eq!(
                    (xb.at(&[r, 0]), xb.at(&[r, 1])),
                    (yb.at(&[r]), -yb.at(&[r]))
                );
                seen.push(yb.at(&[r]) as usize);
            }
            sizes.push(yb.dim(0));
        }
        assert_eq!(sizes, [vec![10; 10], vec![3]].concat());
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(sorted, (0..103).collect::<Vec<_>>());
        orders.push(seen);
    }
    assert_ne!(orders[0], orders[1], "a fresh shuffle each epoch");
    assert_ne!(orders[0], (0..103).collect::<Vec<_>>());
}

#[test]
fn batching_is_determined_by_the_seed() {
    let (x, y) = indexed(50);
    let loader = DataLoader::new(&x, &y, 8);
    let epoch = |seed| -> Vec<(Tensor, Tensor)> {
        loader.shuffled(&mut StdRng::seed_from_u64(seed)).collect()
    };
    assert_eq!(epoch(3), epoch(3));
    assert_ne!(epoch(3), epoch(4));
}

#[test]
fn drop_last_skips_the_partial_batch_and_in_order_keeps_order() {
    let (x, y) = indexed(23);
    let targets = y.reshape(&[23, 1]); // binary-style [N, 1] targets batch the same way
    let loader = DataLoader::new(&x, &targets, 5).drop_last(true);
    assert_eq!(loader.num_batches(), 4);
    let batches: Vec<_> = loader.shuffled(&mut StdRng::seed_from_u64(1)).collect();
    assert_eq!(batches.len(), 4);
    assert!(
        batches
            .iter()
            .all(|(xb, yb)| xb.dim(0) == 5 && yb.shape() == [5, 1])
    );

    let in_order: Vec<f32> = DataLoader::new(&x, &y, 5)
        .in_order()
        .flat_map(|(_, yb)| yb.into_vec())
        .collect();
    assert_eq!(in_order, (0..23).map(|i| i as f32).collect::<Vec<_>>());
    // A batch size above N gives one batch, or none with drop_last.
    assert_eq!(DataLoader::new(&x, &y, 100).in_order().count(), 1);
    assert_eq!(
        DataLoader::new(&x, &y, 100)
            .drop_last(true)
            .in_order()
            .count(),
        0
    );
}

#[test]
fn inverting_and_concatenating_data_sets() {
    let x = Tensor::from_vec(vec![0.0, 0.2, 1.0, 0.5], &[2, 1, 1, 2]).unwrap();
    let y = Tensor::from_vec(vec![3.0, 8.0], &[2]).unwrap();
    let inverted = invert(&x);
    assert!(inverted.allclose(
        &Tensor::from_vec(vec![1.0, 0.8, 0.0, 0.5], &[2, 1, 1, 2]).unwrap(),
        0.0,
        1e-7
    ));
    let (xs, ys) = concat_sets(&[(&x, &y), (&inverted, &y)]);
    assert_eq!(xs.shape(), &[4, 1, 1, 2]);
    assert_eq!(xs.select_rows(&[2]), inverted.select_rows(&[0]));
    assert_eq!(ys.data(), &[3.0, 8.0, 3.0, 8.0]);
}

#[test]
fn data_root_precedence_is_flag_then_env_then_cache() {
    let flag = Path::new("/flag");
    let some = |s: &str| Some(s.into());
    assert_eq!(
        resolve_data_root(Some(flag), some("/env"), some("/xdg"), some("/home/a")),
        flag
    );
    assert_eq!(
        resolve_data_root(None, some("/env"), some("/xdg"), some("/home/a")),
        Path::new("/env")
    );
    assert_eq!(
        resolve_data_root(None, some(""), some("/xdg"), None),
        Path::new("/xdg/gradschool")
    );
    assert_eq!(
        resolve_data_root(None, None, None, some("/home/a")),
        Path::new("/home/a/.cache/gradschool")
    );
    let args: Vec<String> = ["lesson", "3", "--data-dir=/d"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(data::data_dir_flag(&args), Some("/d".into()));
    assert_eq!(data::data_dir_flag(&args[..2]), None);
}

/// A 28 × 28 image with one lit pixel at `(x, y)`.
fn dot(x: usize, y: usize) -> Tensor {
    let mut v = vec![0.0; 784];
    v[y * 28 + x] = 1.0;
    Tensor::from_vec(v, &[1, 1, 28, 28]).unwrap()
}

#[test]
fn random_affine_with_no_range_changes_nothing_and_a_shift_moves_the_ink() {
    use data::augment::{AffineRange, random_affine, random_invert};
    let mut rng = StdRng::seed_from_u64(3);
    let still = AffineRange {
        max_rotation_deg: 0.0,
        scale: (1.0, 1.0),
        max_shift: 0.0,
        thickness_chance: 0.0,
    };
    let x = dot(10, 12);
    assert_eq!(random_affine(&x, &still, &mut rng), x);
    // Rotation and scale about the centre, shifts of at most 2 pixels: the centre of mass
    // of a dot half a pixel from the centre moves at most 2 pixels (and the half pixel
    // turned and scaled) along each axis.
    let centre = dot(14, 14);
    for _ in 0..20 {
        let moved = random_affine(&centre, &AffineRange::WORLD, &mut rng);
        let total: f32 = moved.data().iter().sum();
        let cx: f32 = moved
            .data()
            .iter()
            .enumerate()
            .map(|(i, v)| v * (i % 28) as f32)
            .sum::<f32>()
            / total;
        let cy: f32 = moved
            .data()
            .iter()
            .enumerate()
            .map(|(i, v)| v * (i / 28) as f32)
            .sum::<f32>()
            / total;
        assert!(
            (cx - 14.0).abs() <= 2.5 && (cy - 14.0).abs() <= 2.5,
            "({cx}, {cy})"
        );
    }
    // The same seed, the same changes.
    let batch = Tensor::stack(
        &[
            &dot(5, 5).reshape(&[1, 28, 28]),
            &dot(20, 9).reshape(&[1, 28, 28]),
        ],
        0,
    );
    let a = random_affine(&batch, &AffineRange::WORLD, &mut StdRng::seed_from_u64(4));
    let b = random_affine(&batch, &AffineRange::WORLD, &mut StdRng::seed_from_u64(4));
    assert_eq!(a, b);
    assert_eq!(a.shape(), batch.shape());
    // Inversion by chance: never at 0, always at 1.
    assert_eq!(random_invert(&batch, 0.0, &mut rng), batch);
    assert_eq!(random_invert(&batch, 1.0, &mut rng), invert(&batch));
}
