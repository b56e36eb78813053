//! Fisher's iris data: 150 flowers, 4 measurements in cm, 3 species (50 of each).
//!
//! The CSV ships inside the crate (`crates/data/iris.csv`), so this data set needs no
//! download. Columns: `sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm,
//! species`; species become labels setosa 0, versicolor 1, virginica 2.
//!
//! ```
//! let iris = data::iris::iris();
//! assert_eq!(iris.x.shape(), &[150, 4]);
//! assert_eq!(iris.y.shape(), &[150]);
//! assert_eq!(iris.class_names[iris.labels[149]], "virginica");
//! ```

use std::path::{Path, PathBuf};

use tensor::Tensor;

use crate::error::DataError;

/// The embedded CSV text.
pub const IRIS_CSV: &str = include_str!("../iris.csv");

/// The species, indexed by label.
pub const CLASS_NAMES: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// The four feature columns, in order.
pub const FEATURE_NAMES: [&str; 4] = [
    "sepal_length_cm",
    "sepal_width_cm",
    "petal_length_cm",
    "petal_width_cm",
];

/// The iris table as tensors.
#[derive(Clone, Debug, PartialEq)]
pub struct Iris {
    /// The measurements, one row per flower: `[N, 4]`.
    pub x: Tensor,
    /// The labels as class indices (the target of cross-entropy): `[N]`.
    pub y: Tensor,
    /// The same labels as integers.
    pub labels: Vec<usize>,
    /// [`CLASS_NAMES`]: `class_names[label]` is the species.
    pub class_names: [&'static str; 3],
}

/// The embedded 150-row data set.
///
/// # Shapes
/// `x: [150, 4]`, `y: [150]`.
pub fn iris() -> Iris {
    parse_iris(IRIS_CSV, Path::new("iris.csv (embedded)"))
        .unwrap_or_else(|e| panic!("the embedded iris.csv is broken: {e}"))
}

/// Parses iris CSV text: a header line, then `f,f,f,f,species` per line (blank lines are
/// skipped). `source` names the text in errors, which give the 1-based line number.
///
/// ```
/// use std::path::Path;
/// let text = "a,b,c,d,species\n5.1,3.5,1.4,0.2,setosa\n5.9,3.0,5.1,oops,virginica\n";
/// let err = data::iris::parse_iris(text, Path::new("mine.csv")).unwrap_err();
/// assert_eq!(err.to_string(), "mine.csv, line 3: column 4: `oops` is not a number");
/// ```
pub fn parse_iris(text: &str, source: &Path) -> Result<Iris, DataError> {
    let error = |line: usize, problem: String| DataError::Parse {
        path: PathBuf::from(source),
        line,
        problem,
    };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    match lines.next() {
        Some((_, header)) if header.split(',').count() == 5 => {}
        _ => {
            return Err(error(
                1,
                "expected a header line with 5 columns".to_string(),
            ));
        }
    }
    let mut features = Vec::new();
    let mut labels = Vec::new();
    for (number, line) in lines.filter(|(_, l)| !l.is_empty()) {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 5 {
            return Err(error(
                number,
                format!("expected 5 columns, found {}", fields.len()),
            ));
        }
        for (column, field) in fields[..4].iter().enumerate() {
            let value: f32 = field.parse().map_err(|_| {
                error(
                    number,
                    format!("column {}: `{field}` is not a number", column + 1),
                )
            })?;
            features.push(value);
        }
        let label = CLASS_NAMES
            .iter()
            .position(|&name| name == fields[4])
            .ok_or_else(|| error(number, format!("unknown species `{}`", fields[4])))?;
        labels.push(label);
    }
    let n = labels.len();
    let y = labels.iter().map(|&l| l as f32).collect();
    Ok(Iris {
        x: Tensor::from_parts("parse_iris", features, &[n, 4]),
        y: Tensor::from_parts("parse_iris", y, &[n]),
        labels,
        class_names: CLASS_NAMES,
    })
}
