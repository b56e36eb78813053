//! `cargo xtask predict FILE...`: classify image files with the model lesson 7 saved.

use std::path::PathBuf;
use std::process::ExitCode;

use models::lessons::deep_cnn::MODEL_FILE;

use crate::args;

/// Loads the lesson-7 model (or `--model FILE`) and prints the top two digits for each file.
pub fn run(raw: &[String]) -> ExitCode {
    let args = match args::parse(raw) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.positional.is_empty() {
        eprintln!("usage: cargo xtask predict FILE... [--model model.safetensors]");
        return ExitCode::FAILURE;
    }
    let lesson = models::lesson(7).expect("lesson 7 is registered");
    let model_path = args.model.unwrap_or_else(|| {
        args::workspace_root()
            .join("target/lessons")
            .join(lesson.slug)
            .join(MODEL_FILE)
    });
    let model = match models::digit_model::load(&model_path) {
        Ok((_, model)) => model,
        Err(e) => {
            eprintln!(
                "error: {e}\n(train the model first with `cargo xtask lesson 7`, or pass --model FILE)"
            );
            return ExitCode::FAILURE;
        }
    };
    let paths: Vec<PathBuf> = args.positional.iter().map(PathBuf::from).collect();
    match models::own_images::classify_files(&model, &paths, data::image_io::Preprocess::Mnist) {
        Ok((predictions, _)) => {
            for p in predictions {
                println!("{p}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
