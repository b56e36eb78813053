//! A lesson's recipe as data: every hyper-parameter a learner may change, with its name,
//! its meaning and the values it may take.
//!
//! Each lesson keeps its recipe as a plain struct (`lr: f32`, `epochs: usize`, …) that its
//! code reads directly. The [`Recipe`] trait lists the struct's fields as [`Param`]s, each
//! borrowing one field mutably, the way [`Module::parameters`](layers::Module::parameters)
//! lists a network's weights; so one piece of code prints any recipe, writes it to JSON,
//! sets a field from the command line (`--lr 0.01`) and says what a run changed from the
//! course's recipe.
//!
//! A value from the command line is checked where it enters: [`set`] returns a
//! [`RecipeError`] that names the flag and the values it allows.

use std::fmt;

mod value;

pub use value::{Choose, Interval, Named, Param, Value};

/// How long to train: the course's recipe, or the test suite's shorter one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// The course's full recipe (`cargo xtask lesson N`).
    Full,
    /// A shorter recipe for the test suite, with bars measured for that recipe; lessons
    /// that are fast enough use their full recipe here too.
    Quick,
}

/// A lesson's recipe: its fields, and the course's values for a schedule.
pub trait LessonRecipe: Recipe + Sized {
    /// The course's recipe (or the test suite's shorter one, for [`Schedule::Quick`]).
    fn course(schedule: Schedule) -> Self;
}

/// A recipe whose fields generic code can list, print and set.
pub trait Recipe {
    /// Every field, in the order `--help` lists them.
    fn params(&mut self) -> Vec<Param<'_>>;
}

/// The command-line flag of a field: `batch_size` → `--batch-size`.
pub fn flag(name: &str) -> String {
    format!("--{}", name.replace('_', "-"))
}

/// A value that does not fit its field, or a flag that names no field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecipeError {
    /// The flag as written.
    pub flag: String,
    /// What was wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for RecipeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.flag, self.message)
    }
}

impl std::error::Error for RecipeError {}

/// Sets the field named by `flag` (`--lr`, `--batch-size`) from the text `text`.
///
/// ```
/// use models::lessons::mnist_1v7;
/// use models::recipe::set;
/// let mut recipe = mnist_1v7::Recipe::default();
/// set(&mut recipe, "--lr", "0.01").unwrap();
/// assert_eq!(recipe.lr, 0.01);
/// let bad = set(&mut recipe, "--lr", "-1").unwrap_err();
/// assert_eq!(bad.to_string(), "--lr: expected a number > 0, got \"-1\"");
/// ```
pub fn set(recipe: &mut dyn Recipe, flag_text: &str, text: &str) -> Result<(), RecipeError> {
    let mut params = recipe.params();
    let known: Vec<String> = params.iter().map(|p| flag(p.name)).collect();
    let Some(param) = params.iter_mut().find(|p| flag(p.name) == flag_text) else {
        return Err(RecipeError {
            flag: flag_text.to_string(),
            message: format!(
                "unknown flag; this lesson's recipe has {}",
                known.join(", ")
            ),
        });
    };
    param.value.parse(text).map_err(|()| RecipeError {
        flag: flag_text.to_string(),
        message: format!("expected {}, got {text:?}", param.value.allowed()),
    })
}

/// Sets every `(flag, text)` pair in order; stops at the first that does not fit.
pub fn apply(recipe: &mut dyn Recipe, overrides: &[(String, String)]) -> Result<(), RecipeError> {
    overrides
        .iter()
        .try_for_each(|(flag, text)| set(recipe, flag, text))
}

/// `(name, value as text)` of every field.
pub fn entries(recipe: &mut dyn Recipe) -> Vec<(&'static str, String)> {
    recipe
        .params()
        .iter()
        .map(|p| (p.name, p.value.show()))
        .collect()
}

/// The recipe as a JSON object, field by field ([`Value::to_json`]).
pub fn to_json(recipe: &mut dyn Recipe) -> serde_json::Value {
    let fields = recipe
        .params()
        .into_iter()
        .map(|p| (p.name.to_string(), p.value.to_json()));
    serde_json::Value::Object(fields.collect())
}

/// The lines of `--help` for a recipe: flag, default and meaning, then what it accepts.
pub fn help(recipe: &mut dyn Recipe) -> String {
    let mut text = String::new();
    for p in recipe.params() {
        let flag = flag(p.name);
        text.push_str(&format!(
            "    {flag:<20} {:<12} {} ({})\n",
            p.value.show(),
            p.help,
            p.value.allowed()
        ));
    }
    text
}

/// The fields whose values differ between `course` and `run`: `(name, course's, run's)`.
pub fn changes(
    course: &mut dyn Recipe,
    run: &mut dyn Recipe,
) -> Vec<(&'static str, String, String)> {
    entries(course)
        .into_iter()
        .zip(entries(run))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((name, a), (_, b))| (name, a, b))
        .collect()
}

#[cfg(test)]
mod tests {
    use layers::Activation;

    use super::*;

    /// A recipe with one field of each kind.
    #[derive(Clone, Debug, PartialEq)]
    struct Toy {
        lr: f32,
        dropout: f64,
        scale: (f32, f32),
        batch_size: usize,
        extra_epochs: usize,
        hidden: Vec<usize>,
        activation: Activation,
        pool: bool,
    }

    impl Recipe for Toy {
        fn params(&mut self) -> Vec<Param<'_>> {
            vec![
                Param::f32("lr", "learning rate", &mut self.lr, Interval::Positive),
                Param::f64(
                    "dropout",
                    "dropout rate",
                    &mut self.dropout,
                    Interval::UnitFromZero,
                ),
                Param::range("scale", "scales", &mut self.scale, Interval::Positive),
                Param::count("batch_size", "batch size", &mut self.batch_size),
                Param::count_in("extra_epochs", "more", &mut self.extra_epochs, (0, 9)),
                Param::counts("hidden", "hidden sizes", &mut self.hidden),
                Param::choice("activation", "hidden activation", &mut self.activation),
                Param::bool("pool", "pooling", &mut self.pool),
            ]
        }
    }

    fn toy() -> Toy {
        Toy {
            lr: 0.1,
            dropout: 0.2,
            scale: (0.9, 1.1),
            batch_size: 32,
            extra_epochs: 1,
            hidden: vec![1, 2],
            activation: Activation::Sigmoid,
            pool: true,
        }
    }

    #[test]
    fn flags_set_their_fields() {
        let mut r = toy();
        set(&mut r, "--lr", "0.5").unwrap();
        set(&mut r, "--batch-size", "7").unwrap();
        set(&mut r, "--hidden", "3,4,5").unwrap();
        set(&mut r, "--activation", "relu").unwrap();
        set(&mut r, "--dropout", "0").unwrap();
        set(&mut r, "--scale", "0.7,1.3").unwrap();
        set(&mut r, "--extra-epochs", "0").unwrap();
        set(&mut r, "--pool", "false").unwrap();
        assert_eq!(
            r,
            Toy {
                lr: 0.5,
                dropout: 0.0,
                scale: (0.7, 1.3),
                batch_size: 7,
                extra_epochs: 0,
                hidden: vec![3, 4, 5],
                activation: Activation::ReLU,
                pool: false,
            }
        );
    }

    #[test]
    fn bad_values_name_the_flag_and_what_it_allows() {
        let mut r = toy();
        let err = |r: &mut Toy, f: &str, v: &str| set(r, f, v).unwrap_err().to_string();
        assert_eq!(
            err(&mut r, "--lr", "0"),
            "--lr: expected a number > 0, got \"0\""
        );
        assert_eq!(
            err(&mut r, "--lr", "abc"),
            "--lr: expected a number > 0, got \"abc\""
        );
        assert_eq!(
            err(&mut r, "--lr", "NaN"),
            "--lr: expected a number > 0, got \"NaN\""
        );
        assert_eq!(
            err(&mut r, "--batch-size", "0"),
            "--batch-size: expected a whole number ≥ 1, got \"0\""
        );
        assert_eq!(
            err(&mut r, "--dropout", "1"),
            "--dropout: expected a number in [0, 1), got \"1\""
        );
        assert_eq!(
            err(&mut r, "--activation", "swish"),
            "--activation: expected one of sigmoid, tanh, relu, leaky_relu, got \"swish\""
        );
        assert!(err(&mut r, "--hidden", "1,,2").contains("separated by commas"));
        // A range needs two ends in order, each in the interval.
        for bad in ["1.3,0.7", "0.7", "0.7,1.3,2", "0,1"] {
            assert_eq!(
                err(&mut r, "--scale", bad),
                format!(
                    "--scale: expected two numbers lo,hi with lo ≤ hi, each a number > 0, \
                     got {bad:?}"
                )
            );
        }
        assert_eq!(
            err(&mut r, "--extra-epochs", "10"),
            "--extra-epochs: expected a whole number from 0 to 9, got \"10\""
        );
        assert_eq!(
            err(&mut r, "--pool", "no"),
            "--pool: expected true or false, got \"no\""
        );
        assert_eq!(
            err(&mut r, "--momentum", "0.9"),
            "--momentum: unknown flag; this lesson's recipe has --lr, --dropout, --scale, \
             --batch-size, --extra-epochs, --hidden, --activation, --pool"
        );
        // Nothing was changed by the failed calls.
        assert_eq!(r, toy());
    }

    #[test]
    fn changes_list_what_differs_from_the_course() {
        let (mut course, mut run) = (toy(), toy());
        apply(&mut run, &[("--lr".into(), "0.01".into())]).unwrap();
        assert_eq!(
            changes(&mut course, &mut run),
            [("lr", "0.1".to_string(), "0.01".to_string())]
        );
        let json = to_json(&mut run);
        assert_eq!(json["hidden"], serde_json::json!([1, 2]));
        assert_eq!(json["activation"], "sigmoid");
        assert_eq!(json["scale"], serde_json::json!([0.9, 1.1]));
        assert_eq!(json["pool"], serde_json::json!(true));
        let help = help(&mut course);
        assert!(help.contains("--batch-size"), "{help}");
        assert!(
            help.contains("--pool               true         pooling (true or false)"),
            "{help}"
        );
    }
}
