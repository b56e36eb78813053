//! The small data sets: iris (embedded CSV), XOR and the 1-D regression set.

use std::path::Path;

use data::DataError;
use data::iris::{self, parse_iris};
use data::regression::{self, regression_1d, trend};
use data::xor::{self, xor};
use rand::SeedableRng;
use rand::rngs::StdRng;

#[test]
fn iris_has_150_rows_50_per_species() {
    let iris = iris::iris();
    assert_eq!(iris.x.shape(), &[150, 4]);
    assert_eq!(iris.y.shape(), &[150]);
    for class in 0..3 {
        assert_eq!(iris.labels.iter().filter(|&&l| l == class).count(), 50);
    }
    // First CSV row: 5.1,3.5,1.4,0.2,setosa.
    assert_eq!(&iris.x.data()[..4], &[5.1, 3.5, 1.4, 0.2]);
    assert_eq!((iris.labels[0], iris.y.data()[0]), (0, 0.0));
    // Last row: 5.9,3.0,5.1,1.8,virginica.
    assert_eq!(&iris.x.data()[596..], &[5.9, 3.0, 5.1, 1.8]);
    assert_eq!(iris.class_names, ["setosa", "versicolor", "virginica"]);
    assert_eq!(iris.class_names[iris.labels[50]], "versicolor");
}

#[test]
fn iris_errors_name_the_line() {
    let header = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,species\n";
    let source = Path::new("flowers.csv");
    let cases = [
        (
            "5.1,3.5,1.4,0.2,setosa\n5.1,3.5,1.4,0.2,rose\n",
            3,
            "unknown species `rose`",
        ),
        ("5.1,3.5,1.4,setosa\n", 2, "expected 5 columns, found 4"),
        (
            "\n5.1,x,1.4,0.2,setosa\n",
            3,
            "column 2: `x` is not a number",
        ),
    ];
    for (body, line, problem) in cases {
        let error = parse_iris(&format!("{header}{body}"), source).unwrap_err();
        assert!(
            matches!(&error, DataError::Parse { line: l, .. } if *l == line),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("flowers.csv, line {line}: {problem}")
        );
    }
    let error = parse_iris("", source).unwrap_err();
    assert_eq!(
        error.to_string(),
        "flowers.csv, line 1: expected a header line with 5 columns"
    );
    // A well-formed two-row text parses.
    let two = parse_iris(
        &format!("{header}1,2,3,4,virginica\n5,6,7,8,setosa\n"),
        source,
    )
    .unwrap();
    assert_eq!(
        (two.x.shape(), two.labels.clone()),
        (&[2, 4][..], vec![2, 0])
    );
}

#[test]
fn xor_puts_a_quarter_of_the_points_at_each_corner_with_small_noise() {
    let n = 4000;
    let (x, y) = xor(n, &mut StdRng::seed_from_u64(7));
    assert_eq!((x.shape(), y.shape()), (&[n, 2][..], &[n, 1][..]));
    let mut counts = [0; 4];
    let mut sum_sq = 0.0f64;
    for i in 0..n {
        let (px, py) = (x.data()[2 * i], x.data()[2 * i + 1]);
        let corner = [px.round(), py.round()];
        let k = xor::CORNERS
            .iter()
            .position(|(c, _)| *c == corner)
            .expect("near a corner");
        counts[k] += 1;
        // XOR of the rounded coordinates is the label.
        assert_eq!(y.data()[i], xor::CORNERS[k].1);
        sum_sq += ((px - corner[0]) as f64).powi(2) + ((py - corner[1]) as f64).powi(2);
    }
    assert_eq!(counts, [1000; 4]);
    // The noise's sample std over 8000 coordinates is within 5% of 0.01.
    let std = (sum_sq / (2 * n) as f64).sqrt();
    assert!((std - 0.01).abs() < 0.0005, "noise std {std}");
}

#[test]
fn xor_is_determined_by_the_seed() {
    let a = xor(16, &mut StdRng::seed_from_u64(1));
    assert_eq!(a, xor(16, &mut StdRng::seed_from_u64(1)));
    assert_ne!(a.0, xor(16, &mut StdRng::seed_from_u64(2)).0);
}

#[test]
fn regression_trend_is_the_documented_hinge() {
    // trend(x) = 0.5·x + relu(x − 1) + relu(−x − 1): slopes −0.5, 0.5, 1.5.
    assert_eq!(trend(-3.0), 0.5); // −1.5 + 0 + 2
    assert_eq!(trend(-1.0), -0.5);
    assert_eq!(trend(0.0), 0.0);
    assert_eq!(trend(1.0), 0.5);
    assert_eq!(trend(3.0), 3.5); // 1.5 + 2 + 0
}

#[test]
fn regression_noise_has_the_stated_size() {
    let n = 5000;
    let set = regression_1d(n, 0.3, &mut StdRng::seed_from_u64(3));
    assert_eq!((set.x.shape(), set.y.shape()), (&[n, 1][..], &[n, 1][..]));
    assert!(set.x.min_all() >= regression::X_RANGE.0 && set.x.max_all() < regression::X_RANGE.1);
    let residual = set.y.sub(&regression::trend_tensor(&set.x));
    let mean = residual.mean_all().item();
    let std = residual.std_axis(0, false, false).item();
    assert!(mean.abs() < 0.02, "residual mean {mean}");
    assert!((std - 0.3).abs() < 0.015, "residual std {std}");
    assert!((set.noise_floor() - 0.09).abs() < 1e-6);
    // Noise-free data lies exactly on the trend; the seed fixes the draw.
    let clean = regression_1d(10, 0.0, &mut StdRng::seed_from_u64(3));
    assert_eq!(clean.y, regression::trend_tensor(&clean.x));
    assert_eq!(set, regression_1d(n, 0.3, &mut StdRng::seed_from_u64(3)));
}
