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

use layers::Activation;

/// The interval a real-valued hyper-parameter must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Interval {
    /// `(0, ∞)`: learning rates, noise levels.
    Positive,
    /// `[0, 1)`: a dropout rate, a momentum.
    UnitFromZero,
    /// `(0, 1)`: the fraction of a data set held out.
    OpenUnit,
}

impl Interval {
    /// Whether `v` lies in the interval (NaN never does).
    pub fn contains(self, v: f64) -> bool {
        match self {
            Interval::Positive => v > 0.0 && v.is_finite(),
            Interval::UnitFromZero => (0.0..1.0).contains(&v),
            Interval::OpenUnit => v > 0.0 && v < 1.0,
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Interval::Positive => "a number > 0",
            Interval::UnitFromZero => "a number in [0, 1)",
            Interval::OpenUnit => "a number in (0, 1)",
        })
    }
}

/// One field of a recipe, borrowed mutably, with the values it may take.
pub enum Value<'a> {
    /// An `f32` in an interval.
    F32(&'a mut f32, Interval),
    /// An `f64` in an interval.
    F64(&'a mut f64, Interval),
    /// A whole number ≥ 1: epochs, a batch size, a layer's width.
    Count(&'a mut usize),
    /// Whole numbers ≥ 1, written `1,2,3`: the hidden sizes to compare.
    Counts(&'a mut Vec<usize>),
    /// An activation function by name.
    Activation(&'a mut Activation),
}

/// A named hyper-parameter: the flag is `--` followed by the name with `_` as `-`.
pub struct Param<'a> {
    /// The field's name, as in the struct and in JSON (`batch_size`).
    pub name: &'static str,
    /// One line saying what it does.
    pub help: &'static str,
    /// The field itself.
    pub value: Value<'a>,
}

impl<'a> Param<'a> {
    /// An `f32` field that must lie in `interval`.
    pub fn f32(name: &'static str, help: &'static str, v: &'a mut f32, interval: Interval) -> Self {
        Param {
            name,
            help,
            value: Value::F32(v, interval),
        }
    }

    /// An `f64` field that must lie in `interval`.
    pub fn f64(name: &'static str, help: &'static str, v: &'a mut f64, interval: Interval) -> Self {
        Param {
            name,
            help,
            value: Value::F64(v, interval),
        }
    }

    /// A whole number ≥ 1.
    pub fn count(name: &'static str, help: &'static str, v: &'a mut usize) -> Self {
        Param {
            name,
            help,
            value: Value::Count(v),
        }
    }

    /// A list of whole numbers ≥ 1.
    pub fn counts(name: &'static str, help: &'static str, v: &'a mut Vec<usize>) -> Self {
        Param {
            name,
            help,
            value: Value::Counts(v),
        }
    }

    /// An activation, by name.
    pub fn activation(name: &'static str, help: &'static str, v: &'a mut Activation) -> Self {
        Param {
            name,
            help,
            value: Value::Activation(v),
        }
    }
}

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

/// The text of a value, as `--help` and the summaries show it.
fn show(value: &Value<'_>) -> String {
    match value {
        Value::F32(v, _) => format!("{v}"),
        Value::F64(v, _) => format!("{v}"),
        Value::Count(v) => format!("{v}"),
        Value::Counts(v) => {
            let parts: Vec<String> = v.iter().map(|n| n.to_string()).collect();
            parts.join(",")
        }
        Value::Activation(a) => a.name().to_string(),
    }
}

/// What a field accepts, for error messages and `--help`.
fn allowed(value: &Value<'_>) -> String {
    match value {
        Value::F32(_, interval) | Value::F64(_, interval) => interval.to_string(),
        Value::Count(_) => "a whole number ≥ 1".into(),
        Value::Counts(_) => "whole numbers ≥ 1 separated by commas, e.g. 1,2,3".into(),
        Value::Activation(_) => {
            let names: Vec<&str> = Activation::ALL.iter().map(|a| a.name()).collect();
            format!("one of {}", names.join(", "))
        }
    }
}

/// Parses `text` into the field; `Err(())` if it does not fit (the caller says why).
fn parse_into(value: &mut Value<'_>, text: &str) -> Result<(), ()> {
    let count = |t: &str| t.trim().parse::<usize>().ok().filter(|&n| n >= 1);
    let fits = |v: f64, interval: &Interval| interval.contains(v).then_some(v);
    match value {
        Value::F32(v, interval) => {
            let parsed = text.parse::<f32>().ok();
            **v = parsed
                .filter(|&x| fits(f64::from(x), interval).is_some())
                .ok_or(())?
        }
        Value::F64(v, interval) => {
            **v = text
                .parse::<f64>()
                .ok()
                .and_then(|x| fits(x, interval))
                .ok_or(())?
        }
        Value::Count(v) => **v = count(text).ok_or(())?,
        Value::Counts(v) => {
            let parts: Option<Vec<usize>> = text.split(',').map(count).collect();
            **v = parts.filter(|p| !p.is_empty()).ok_or(())?
        }
        Value::Activation(a) => **a = text.parse().map_err(|_| ())?,
    }
    Ok(())
}

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
    parse_into(&mut param.value, text).map_err(|()| RecipeError {
        flag: flag_text.to_string(),
        message: format!("expected {}, got {text:?}", allowed(&param.value)),
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
        .map(|p| (p.name, show(&p.value)))
        .collect()
}

/// The recipe as a JSON object: numbers as numbers, lists as arrays, names as strings.
pub fn to_json(recipe: &mut dyn Recipe) -> serde_json::Value {
    let fields = recipe.params().into_iter().map(|p| {
        let value = match p.value {
            // The shortest decimal of the f32 (0.001, not 0.0010000000474974513).
            Value::F32(v, _) => serde_json::json!(v.to_string().parse::<f64>().unwrap_or(f64::NAN)),
            Value::F64(v, _) => serde_json::json!(*v),
            Value::Count(v) => serde_json::json!(*v),
            Value::Counts(v) => serde_json::json!(v.clone()),
            Value::Activation(a) => serde_json::json!(a.name()),
        };
        (p.name.to_string(), value)
    });
    serde_json::Value::Object(fields.collect())
}

/// The lines of `--help` for a recipe: flag, default and meaning, then what it accepts.
pub fn help(recipe: &mut dyn Recipe) -> String {
    let mut text = String::new();
    for p in recipe.params() {
        let flag = flag(p.name);
        text.push_str(&format!(
            "    {flag:<20} {:<12} {} ({})\n",
            show(&p.value),
            p.help,
            allowed(&p.value)
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
    use super::*;

    /// A recipe with one field of each kind.
    #[derive(Clone, Debug, PartialEq)]
    struct Toy {
        lr: f32,
        dropout: f64,
        batch_size: usize,
        hidden: Vec<usize>,
        activation: Activation,
    }

    impl Recipe for Toy {
        fn params(&mut self) -> Vec<Param<'_>> {
            vec![
                Param {
                    name: "lr",
                    help: "learning rate",
                    value: Value::F32(&mut self.lr, Interval::Positive),
                },
                Param {
                    name: "dropout",
                    help: "dropout rate",
                    value: Value::F64(&mut self.dropout, Interval::UnitFromZero),
                },
                Param {
                    name: "batch_size",
                    help: "batch size",
                    value: Value::Count(&mut self.batch_size),
                },
                Param {
                    name: "hidden",
                    help: "hidden sizes",
                    value: Value::Counts(&mut self.hidden),
                },
                Param {
                    name: "activation",
                    help: "hidden activation",
                    value: Value::Activation(&mut self.activation),
                },
            ]
        }
    }

    fn toy() -> Toy {
        Toy {
            lr: 0.1,
            dropout: 0.2,
            batch_size: 32,
            hidden: vec![1, 2],
            activation: Activation::Sigmoid,
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
        assert_eq!(
            r,
            Toy {
                lr: 0.5,
                dropout: 0.0,
                batch_size: 7,
                hidden: vec![3, 4, 5],
                activation: Activation::ReLU,
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
        assert!(err(&mut r, "--activation", "swish").contains("one of sigmoid, tanh, relu"));
        assert!(err(&mut r, "--hidden", "1,,2").contains("separated by commas"));
        assert_eq!(
            err(&mut r, "--momentum", "0.9"),
            "--momentum: unknown flag; this lesson's recipe has --lr, --dropout, --batch-size, \
             --hidden, --activation"
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
        assert!(help(&mut course).contains("--batch-size"));
    }
}
