//! `cargo xtask predict FILE...`: classify image files with a saved digit model (lesson 7's
//! by default, lesson 6's if only that one exists, or `--model FILE`).
//!
//! Each file is read as the lessons read the learner's own pictures: decoded (PNG or JPEG,
//! any depth, gray, colour, palette or transparent) and prepared as MNIST was made
//! (`data::image_io::mnist_style`), or with the plain stretch to 28×28 under `--raw`. A
//! file that cannot be read gets one line on standard error naming it, and the others are
//! still classified.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use data::image_io::Preprocess;
use models::own_images::{Prediction, classify_bytes};

use crate::args::workspace_root;

/// The text of `cargo xtask predict --help`.
const HELP: &str = "\
cargo xtask predict FILE... [--model FILE] [--raw] [--json]

Classifies each image file (PNG or JPEG) as a digit and prints the three most probable
digits with their probabilities.

OPTIONS:
    --model FILE   a model saved by lesson 6 or 7 (default: lesson 7's, else lesson 6's,
                   under target/lessons/)
    --raw          only stretch the picture to 28x28, instead of preparing it as MNIST
                   was made (crop, 20-pixel box, centre of mass, white ink on black)
    --json         print one JSON object per line: file, digit, top three, probabilities
                   (or file and error)
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
    how: Preprocess,
    json: bool,
}

/// Parses the command line; `Ok(None)` for `--help`.
fn parse(raw: &[String]) -> Result<Option<Request>, String> {
    let mut request = Request {
        files: Vec::new(),
        model: None,
        how: Preprocess::Mnist,
        json: false,
    };
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--raw" => request.how = Preprocess::Raw,
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

/// The model to use when none is given: lesson 7's, else lesson 6's (lesson 7's path when
/// neither exists, so the error names it).
fn default_model() -> PathBuf {
    let saved = models::registry::saved_digit_models(&workspace_root().join("target/lessons"));
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
    let model = match models::digit_model::load(&model_path) {
        Ok((_, model)) => model,
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
    let mut all_read = true;
    for file in &request.files {
        let name = file.display().to_string();
        let result = std::fs::read(file)
            .map_err(|e| format!("{name}: {e}"))
            .and_then(|bytes| {
                classify_bytes(&model, &name, &bytes, request.how).map_err(|e| e.to_string())
            });
        match result {
            Ok((prediction, _)) if request.json => println!("{}", json_line(&prediction)),
            Ok((prediction, _)) => println!("{}", text_line(file, &prediction)),
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

/// `name: 7 (99.1%), 1 (0.6%), 2 (0.1%)`.
fn text_line(file: &Path, prediction: &Prediction) -> String {
    let top: Vec<String> = prediction
        .top(3)
        .iter()
        .map(|(digit, p)| format!("{digit} ({:.1}%)", p * 100.0))
        .collect();
    format!("{}: {}", file.display(), top.join(", "))
}

/// `{"file": …, "digit": 7, "top": [{"digit": 7, "probability": 0.991}, …], "probabilities": […]}`.
fn json_line(prediction: &Prediction) -> serde_json::Value {
    let top: Vec<serde_json::Value> = prediction
        .top(3)
        .iter()
        .map(|(digit, p)| serde_json::json!({ "digit": digit, "probability": p }))
        .collect();
    serde_json::json!({
        "file": prediction.path.display().to_string(),
        "digit": prediction.digit(),
        "top": top,
        "probabilities": prediction.probabilities,
    })
}
