//! The kinds of values a recipe's fields hold, and what each accepts: a number in an
//! [`Interval`], a range, a whole number, a list, a [`Named`] choice, a switch. Each kind
//! shows itself for `--help`, says what it allows, parses the command line's text and
//! writes itself as JSON, in one place, so a new kind is one new arm in each `match`.

use std::fmt;

use layers::Activation;

/// The interval a real-valued hyper-parameter must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Interval {
    /// `(0, ∞)`: learning rates, noise levels.
    Positive,
    /// `[0, ∞)`: a rotation or a shift that may be left out.
    NonNegative,
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
            Interval::NonNegative => v >= 0.0 && v.is_finite(),
            Interval::UnitFromZero => (0.0..1.0).contains(&v),
            Interval::OpenUnit => v > 0.0 && v < 1.0,
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Interval::Positive => "a number > 0",
            Interval::NonNegative => "a number ≥ 0",
            Interval::UnitFromZero => "a number in [0, 1)",
            Interval::OpenUnit => "a number in (0, 1)",
        })
    }
}

/// A type whose few values have names: what a [`Value::Choice`] field holds (an activation,
/// an optimizer, an initialisation).
pub trait Named: Copy + 'static {
    /// Every value, in the order `--help` lists them.
    const ALL: &'static [Self];
    /// The value's name on the command line and in JSON.
    fn name(self) -> &'static str;
}

impl Named for Activation {
    const ALL: &'static [Activation] = &Activation::ALL;
    fn name(self) -> &'static str {
        Activation::name(self)
    }
}

/// A field chosen by name, as [`Value::Choice`] borrows it; every [`Named`] type is one.
pub trait Choose {
    /// The name of the value chosen now.
    fn chosen(&self) -> &'static str;
    /// Every name, in the order `--help` lists them.
    fn names(&self) -> Vec<&'static str>;
    /// Chooses the value called `name`; false (and nothing changed) if none is.
    fn choose(&mut self, name: &str) -> bool;
}

impl<T: Named> Choose for T {
    fn chosen(&self) -> &'static str {
        self.name()
    }

    fn names(&self) -> Vec<&'static str> {
        T::ALL.iter().map(|v| v.name()).collect()
    }

    fn choose(&mut self, name: &str) -> bool {
        let found = T::ALL.iter().find(|v| v.name() == name);
        found.map(|&v| *self = v).is_some()
    }
}

/// One field of a recipe, borrowed mutably, with the values it may take.
pub enum Value<'a> {
    /// An `f32` in an interval.
    F32(&'a mut f32, Interval),
    /// An `f64` in an interval.
    F64(&'a mut f64, Interval),
    /// Two `f32`s `lo ≤ hi`, both in an interval, written `0.85,1.15`: a range to draw from.
    Range(&'a mut (f32, f32), Interval),
    /// A whole number ≥ 1: epochs, a batch size, a layer's width.
    Count(&'a mut usize),
    /// A whole number from `lo` to `hi`: a stage that may be skipped (0 epochs), how many
    /// images of a data set to use.
    CountIn(&'a mut usize, usize, usize),
    /// Whole numbers ≥ 1, written `1,2,3`: the hidden sizes to compare.
    Counts(&'a mut Vec<usize>),
    /// One of a few names: an activation, an optimizer, an initialisation.
    Choice(&'a mut dyn Choose),
    /// `true` or `false`: a step of the recipe that may be left out.
    Bool(&'a mut bool),
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
    /// A field of any kind.
    fn new(name: &'static str, help: &'static str, value: Value<'a>) -> Self {
        Param { name, help, value }
    }

    /// An `f32` field that must lie in `interval`.
    pub fn f32(name: &'static str, help: &'static str, v: &'a mut f32, interval: Interval) -> Self {
        Param::new(name, help, Value::F32(v, interval))
    }

    /// An `f64` field that must lie in `interval`.
    pub fn f64(name: &'static str, help: &'static str, v: &'a mut f64, interval: Interval) -> Self {
        Param::new(name, help, Value::F64(v, interval))
    }

    /// A range `lo,hi` whose ends lie in `interval`.
    pub fn range(
        name: &'static str,
        help: &'static str,
        v: &'a mut (f32, f32),
        interval: Interval,
    ) -> Self {
        Param::new(name, help, Value::Range(v, interval))
    }

    /// A whole number ≥ 1.
    pub fn count(name: &'static str, help: &'static str, v: &'a mut usize) -> Self {
        Param::new(name, help, Value::Count(v))
    }

    /// A whole number from `lo` to `hi` (`usize::MAX`: no upper end).
    pub fn count_in(
        name: &'static str,
        help: &'static str,
        v: &'a mut usize,
        (lo, hi): (usize, usize),
    ) -> Self {
        Param::new(name, help, Value::CountIn(v, lo, hi))
    }

    /// A list of whole numbers ≥ 1.
    pub fn counts(name: &'static str, help: &'static str, v: &'a mut Vec<usize>) -> Self {
        Param::new(name, help, Value::Counts(v))
    }

    /// One of the named values of `T`: an activation, an optimizer.
    pub fn choice<T: Named>(name: &'static str, help: &'static str, v: &'a mut T) -> Self {
        Param::new(name, help, Value::Choice(v))
    }

    /// `true` or `false`.
    pub fn bool(name: &'static str, help: &'static str, v: &'a mut bool) -> Self {
        Param::new(name, help, Value::Bool(v))
    }
}

impl Value<'_> {
    /// The value as text, as `--help` and the summaries show it.
    pub fn show(&self) -> String {
        match self {
            Value::F32(v, _) => format!("{v}"),
            Value::F64(v, _) => format!("{v}"),
            Value::Range(v, _) => format!("{},{}", v.0, v.1),
            Value::Count(v) | Value::CountIn(v, _, _) => format!("{v}"),
            Value::Counts(v) => {
                let parts: Vec<String> = v.iter().map(|n| n.to_string()).collect();
                parts.join(",")
            }
            Value::Choice(c) => c.chosen().to_string(),
            Value::Bool(b) => format!("{b}"),
        }
    }

    /// What the field accepts, for error messages and `--help`.
    pub fn allowed(&self) -> String {
        match self {
            Value::F32(_, interval) | Value::F64(_, interval) => interval.to_string(),
            Value::Range(_, interval) => format!("two numbers lo,hi with lo ≤ hi, each {interval}"),
            Value::Count(_) => "a whole number ≥ 1".into(),
            Value::CountIn(_, lo, usize::MAX) => format!("a whole number ≥ {lo}"),
            Value::CountIn(_, lo, hi) => format!("a whole number from {lo} to {hi}"),
            Value::Counts(_) => "whole numbers ≥ 1 separated by commas, e.g. 1,2,3".into(),
            Value::Choice(c) => format!("one of {}", c.names().join(", ")),
            Value::Bool(_) => "true or false".into(),
        }
    }

    /// Parses `text` into the field; `Err(())` (and nothing changed) if it does not fit: the
    /// caller says why, with [`Value::allowed`].
    pub(super) fn parse(&mut self, text: &str) -> Result<(), ()> {
        let count = |t: &str| t.trim().parse::<usize>().ok().filter(|&n| n >= 1);
        let fits = |v: f64, interval: &Interval| interval.contains(v).then_some(v);
        let real = |t: &str, interval: &Interval| {
            let parsed = t.trim().parse::<f32>().ok();
            parsed.filter(|&x| fits(f64::from(x), interval).is_some())
        };
        match self {
            Value::F32(v, interval) => **v = real(text, interval).ok_or(())?,
            Value::F64(v, interval) => {
                **v = text
                    .parse::<f64>()
                    .ok()
                    .and_then(|x| fits(x, interval))
                    .ok_or(())?
            }
            Value::Range(v, interval) => {
                let ends: Option<Vec<f32>> = text.split(',').map(|t| real(t, interval)).collect();
                **v = match ends.as_deref() {
                    Some(&[lo, hi]) if lo <= hi => (lo, hi),
                    _ => return Err(()),
                }
            }
            Value::Count(v) => **v = count(text).ok_or(())?,
            Value::CountIn(v, lo, hi) => {
                let n = text.trim().parse::<usize>().ok();
                **v = n.filter(|n| (*lo..=*hi).contains(n)).ok_or(())?
            }
            Value::Counts(v) => {
                let parts: Option<Vec<usize>> = text.split(',').map(count).collect();
                **v = parts.filter(|p| !p.is_empty()).ok_or(())?
            }
            Value::Choice(c) => {
                if !c.choose(text.trim()) {
                    return Err(());
                }
            }
            Value::Bool(b) => {
                **b = match text.trim() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(()),
                }
            }
        }
        Ok(())
    }

    /// The value as JSON: numbers as numbers, lists and ranges as arrays, names as strings,
    /// `true`/`false` as booleans.
    pub fn to_json(&self) -> serde_json::Value {
        // The shortest decimal of an f32 (0.001, not 0.0010000000474974513).
        let short = |v: f32| serde_json::json!(v.to_string().parse::<f64>().unwrap_or(f64::NAN));
        match self {
            Value::F32(v, _) => short(**v),
            Value::F64(v, _) => serde_json::json!(**v),
            Value::Range(v, _) => serde_json::json!([short(v.0), short(v.1)]),
            Value::Count(v) | Value::CountIn(v, _, _) => serde_json::json!(**v),
            Value::Counts(v) => serde_json::json!(v.to_vec()),
            Value::Choice(c) => serde_json::json!(c.chosen()),
            Value::Bool(b) => serde_json::json!(**b),
        }
    }
}
