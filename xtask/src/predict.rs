//! `cargo xtask predict FILE...`: classify image files with a saved model (lesson 7's by
//! default, else the first of lessons 6's, 9's and 8's that exists, or `--model FILE`: any
//! of lessons 6 to 9's, which the file's header names).
//!
//! Each file is read as the lessons read the learner's own pictures: decoded (PNG or JPEG,
//! any depth, gray, colour, palette or transparent) and prepared as the model's data set
//! was made — MNIST's digits (`data::image_io::mnist_style`) or Fashion-MNIST's clothing
//! (`data::image_io::fashion_style`) — or with the plain stretch to 28×28 under `--raw`;
//! then standardised as the model's lesson trained it
//! ([`Input`]). A file that cannot be read gets one line on
//! standard error naming it, and the others are still classified.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use data::image_io::Preprocess;
use models::digit_model::{Input, Network};
use models::own_images::{Prediction, classify_bytes};

use crate::args::workspace_root;

/// The text of `cargo xtask predict --help`.
const HELP: &str = "\
cargo xtask predict FILE... [--model FILE] [--raw] [--json]

Classifies each image file (PNG or JPEG) and prints the three most probable classes with
their probabilities: digits for the models of lessons 6, 7 and 9, pieces of clothing
(Fashion-MNIST's classes) for lesson 8's.

OPTIONS:
    --model FILE   a model saved by lesson 6, 7, 8 or 9 (default: the first that exists
                   of lesson 7's, 6's, 9's and 8's, under target/lessons/)
    --raw          only stretch the picture to 28x28, instead of preparing it as the
                   model's data set was made (digits: crop, 20-pixel box, centre of mass,
                   white ink on black; clothing: light on black, cropped, longer side 28)
    --json         print one JSON object per line: file, class, label, top three,
                   logits, probabilities, and digit for a digit model (or file and
                   error)
    --help         print this text

EXIT CODES:
    0   every file was classified
    1   some file could not be read or decoded (each named on standard error)
    2   the command line is wrong (unknown flag, no files)
    3   the model could not be loaded
";

/// What `predict` was asked.
struct Request {
    files: Vec<PathBuf>,
    model: Option<PathBuf>,
    raw: bool,
    json: bool,
}

/// Parses the command line; `Ok(None)` for `--help`.
fn parse(raw: &[String]) -> Result<Option<Request>, String> {
    let mut request = Request {
        files: Vec::new(),
        model: None,
        raw: false,
        json: false,
    };
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--raw" => request.raw = true,
            "--json" => request.json = true,
            "--model" => {
                let file = it.next().ok_or("--model needs a file")?;
                request.model = Some(PathBuf::from(file));
            }
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
            file => request.files.push(PathBuf::from(file)),
        }
    }
    if request.files.is_empty() {
        return Err("no image files given".into());
    }
    Ok(Some(request))
}

/// The model to use when none is given: lesson 7's, else the first of lessons 6's, 9's and
/// 8's that exists (lesson 7's path when none does, so the error names it).
fn default_model() -> PathBuf {
    let saved = models::registry::saved_models(&workspace_root().join("target/lessons"));
    saved
        .iter()
        .find(|p| p.exists())
        .unwrap_or(&saved[0])
        .clone()
}

/// Runs `predict` and returns its exit code (see [`HELP`]).
pub fn run(raw: &[String]) -> ExitCode {
    let request = match parse(raw) {
        Ok(Some(request)) => request,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message} (see `cargo xtask predict --help`)");
            return ExitCode::from(2);
        }
    };
    let model_path = request.model.clone().unwrap_or_else(default_model);
    let (network, model) = match models::digit_model::load(&model_path) {
        Ok(loaded) => loaded,
        Err(e) => {
            let hint = if request.model.is_none() {
                " (train it with `cargo xtask lesson 7`, or pass --model FILE)"
            } else {
                ""
            };
            eprintln!("error: {e}{hint}");
            return ExitCode::from(3);
        }
    };
    // As the lesson trained it, or only stretched under --raw (still standardised).
    let mut input: Input = network.input();
    if request.raw {
        input.how = Preprocess::Raw;
    }
    let mut all_read = true;
    for file in &request.files {
        let name = file.display().to_string();
        let result = std::fs::read(file)
            .map_err(|e| format!("{name}: {e}"))
            .and_then(|bytes| {
                classify_bytes(&model, input, &name, &bytes).map_err(|e| e.to_string())
            });
        match result {
            Ok((prediction, _)) if request.json => {
                println!("{}", json_line(&network, &prediction))
            }
            Ok((prediction, _)) => println!("{}", text_line(&network, file, &prediction)),
            Err(message) => {
                all_read = false;
                let message = message
                    .strip_prefix("data: ")
                    .unwrap_or(&message)
                    .to_string();
                if request.json {
                    println!("{}", serde_json::json!({ "file": name, "error": message }));
                }
                eprintln!("error: {}", message.lines().next().unwrap_or(""));
            }
        }
    }
    if all_read {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `name: 7 (99.1%), 1 (0.6%), 2 (0.1%)`, the classes by their names (`Sneaker (80.2%), …`).
fn text_line(network: &Network, file: &Path, prediction: &Prediction) -> String {
    let names = network.classes();
    let top: Vec<String> = prediction
        .top(3)
        .iter()
        .map(|&(class, p)| format!("{} ({:.1}%)", names[class], p * 100.0))
        .collect();
    format!("{}: {}", file.display(), top.join(", "))
}

/// `{"file": …, "class": 7, "label": "7", "digit": 7, "top": [{"class": 7, "label": "7",
/// "probability": 0.991}, …], "logits": […], "probabilities": […]}` (`digit` only for a
/// digit model).
fn json_line(network: &Network, prediction: &Prediction) -> serde_json::Value {
    let names = network.classes();
    let top: Vec<serde_json::Value> = prediction
        .top(3)
        .iter()
        .map(|&(class, p)| {
            serde_json::json!({ "class": class, "label": names[class], "probability": p })
        })
        .collect();
    let class = prediction.digit();
    let mut line = serde_json::json!({
        "file": prediction.path.display().to_string(),
        "class": class,
        "label": names[class],
        "top": top,
        "logits": prediction.logits,
        "probabilities": prediction.probabilities,
    });
    if network.dataset() == data::Dataset::Mnist {
        line["digit"] = serde_json::json!(class);
    }
    line
}
