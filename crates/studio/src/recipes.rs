//! The lessons the studio trains — 1, 2 and 4, which learn in seconds on two cores — and
//! their recipes as forms: each field's name, meaning, kind and course value for the page,
//! and the page's values checked back into recipe overrides.
//!
//! The checking is the command line's own ([`models::recipe::apply`]: the flag and the
//! values it allows); the studio adds one limit of its own, [`MAX_COUNT`], so that a typed
//! `1e9` points cannot exhaust the server's memory.

use models::fit::Watch;
use models::recipe::{self, Recipe, Value as Field};
use models::{Context, Lesson, LessonError, Outcome, Schedule};
use serde_json::{Value, json};

use crate::http::Problem;

/// How a lesson runs for a watcher.
type RunWatched = fn(&Context, &dyn Watch) -> Result<Outcome, LessonError>;

/// The lessons the studio trains, each with its watched entry point.
const TRAINABLE: [(u32, RunWatched); 3] = [
    (1, models::lessons::xor::run_watched),
    (2, models::lessons::regression::run_watched),
    (4, models::lessons::iris::run_watched),
];

/// The largest whole number the studio accepts in a recipe (points, epochs, widths, seeds).
pub(crate) const MAX_COUNT: usize = 10_000;

/// A run the page asked for, checked.
pub(crate) struct Order {
    /// The lesson.
    pub lesson: &'static Lesson,
    /// Its watched entry point.
    pub run: RunWatched,
    /// The seed (the lesson's unless the page gave one).
    pub seed: u64,
    /// `(flag, value)`, as the command line would give them.
    pub overrides: Vec<(String, String)>,
    /// The recipe the run will use, as JSON.
    pub recipe: Value,
}

/// A field for the page's form: its kind (how the page draws it), its course value and what
/// it accepts; a choice also lists its names (a select box), a bool is a checkbox.
fn describe(field: &Field<'_>) -> Value {
    let whole = |n: usize| format!("a whole number from {n} to {MAX_COUNT}");
    let (kind, value, allowed) = match field {
        Field::F32(v, interval) => (
            "number",
            json!(recipe_number(f64::from(**v))),
            interval.to_string(),
        ),
        Field::F64(v, interval) => ("number", json!(**v), interval.to_string()),
        Field::Range(v, interval) => (
            "range",
            json!(format!("{},{}", v.0, v.1)),
            format!("two numbers lo,hi with lo ≤ hi, each {interval}"),
        ),
        Field::Count(v) => ("count", json!(**v), whole(1)),
        Field::CountIn(v, lo, hi) => (
            "count",
            json!(**v),
            format!("a whole number from {lo} to {}", (*hi).min(MAX_COUNT)),
        ),
        Field::Counts(v) => (
            "counts",
            json!(
                v.iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            format!("whole numbers from 1 to {MAX_COUNT}, separated by commas"),
        ),
        Field::Choice(c) => {
            let names = c.names();
            return json!({
                "kind": "choice",
                "value": c.chosen(),
                "allowed": format!("one of {}", names.join(", ")),
                "choices": names,
            });
        }
        Field::Bool(b) => ("bool", json!(**b), "true or false".into()),
    };
    json!({"kind": kind, "value": value, "allowed": allowed})
}

/// An `f32` field's value as its shortest decimal (0.1, not 0.10000000149011612).
fn recipe_number(v: f64) -> f64 {
    (v as f32).to_string().parse().unwrap_or(v)
}

/// `GET /api/lessons`: each trainable lesson, its seed, and its recipe's fields.
pub(crate) fn list() -> Value {
    let lessons: Vec<Value> = TRAINABLE
        .iter()
        .map(|&(n, _)| {
            let lesson = models::lesson(n).expect("a registered lesson");
            let mut course = (lesson.recipe)(Schedule::Full);
            let fields: Vec<Value> = course
                .params()
                .iter()
                .map(|p| {
                    let mut field = describe(&p.value);
                    field["name"] = json!(p.name);
                    field["help"] = json!(p.help);
                    field
                })
                .collect();
            json!({
                "number": n,
                "slug": lesson.slug,
                "title": lesson.title,
                "seed": lesson.seed,
                "fields": fields,
            })
        })
        .collect();
    json!({ "lessons": lessons, "max_count": MAX_COUNT })
}

/// The text the command line would give for a JSON value: `0.01`, `20`, `"relu"`, `[1, 2]`,
/// `true`.
fn as_text(name: &str, value: &Value) -> Result<String, Problem> {
    match value {
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Array(items) => items
            .iter()
            .map(|v| as_text(name, v))
            .collect::<Result<Vec<_>, _>>()
            .map(|parts| parts.join(",")),
        other => Err(Problem::bad(format!(
            "{name}: expected a number, text or true/false, got {other}"
        ))),
    }
}

/// Checks `POST /api/train`'s body, `{"lesson": 1, "recipe": {"epochs": 20, …}, "seed": 7}`.
pub(crate) fn order(body: &Value) -> Result<Order, Problem> {
    let numbers: Vec<String> = TRAINABLE.iter().map(|(n, _)| n.to_string()).collect();
    let wanted = body.get("lesson").and_then(Value::as_u64);
    let Some(&(number, run)) = TRAINABLE
        .iter()
        .find(|(n, _)| Some(u64::from(*n)) == wanted)
    else {
        return Err(Problem::bad(format!(
            "lesson must be one of {} (the lessons that train in seconds), got {}",
            numbers.join(", "),
            body.get("lesson")
                .map_or("nothing".into(), Value::to_string)
        )));
    };
    let lesson = models::lesson(number).expect("a registered lesson");
    let seed = match body.get("seed") {
        None | Some(Value::Null) => lesson.seed,
        Some(v) => v
            .as_u64()
            .ok_or_else(|| Problem::bad(format!("seed must be a whole number ≥ 0, got {v}")))?,
    };
    let fields = match body.get("recipe") {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(other) => {
            return Err(Problem::bad(format!(
                "recipe must be an object, got {other}"
            )));
        }
    };
    let overrides = fields
        .iter()
        .map(|(name, v)| Ok((recipe::flag(name), as_text(name, v)?)))
        .collect::<Result<Vec<_>, Problem>>()?;
    let mut run_recipe = (lesson.recipe)(Schedule::Full);
    recipe::apply(&mut *run_recipe, &overrides).map_err(|e| Problem::bad(e.to_string()))?;
    check_counts(&mut *run_recipe)?;
    Ok(Order {
        lesson,
        run,
        seed,
        overrides,
        recipe: recipe::to_json(&mut *run_recipe),
    })
}

/// Refuses a whole number above [`MAX_COUNT`].
fn check_counts(run_recipe: &mut dyn Recipe) -> Result<(), Problem> {
    for p in run_recipe.params() {
        let largest = match &p.value {
            Field::Count(v) | Field::CountIn(v, _, _) => **v,
            Field::Counts(v) => v.iter().copied().max().unwrap_or(0),
            _ => 0,
        };
        if largest > MAX_COUNT {
            return Err(Problem::bad(format!(
                "{}: the studio takes whole numbers up to {MAX_COUNT}, got {largest}",
                recipe::flag(p.name)
            )));
        }
    }
    Ok(())
}
