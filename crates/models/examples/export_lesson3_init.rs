//! Writes lesson 3's initial weights for a seed as a safetensors file, so that the PyTorch
//! script `golden/lesson3_trajectory.py` can train from exactly the numbers we start from.
//!
//! `cargo run --release -p models --example export_lesson3_init -- SEED OUT.safetensors`
//! (defaults: the lesson's seed and `target/golden/lesson3_init.safetensors`). The tensors
//! are named as PyTorch's `nn.Sequential` would name them: `0.weight [256, 784]`,
//! `0.bias [256]`, `2.weight [1, 256]`, `2.bias [1]`.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let seed = match args.next() {
        Some(s) => s.parse().unwrap_or_else(|e| panic!("SEED {s:?}: {e}")),
        None => models::lesson(3).expect("lesson 3 is registered").seed,
    };
    let out = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/golden/lesson3_init.safetensors")
    });
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    let recipe = <models::lessons::mnist_1v7::Recipe as models::recipe::LessonRecipe>::course(
        models::Schedule::Full,
    );
    let model = models::lessons::mnist_1v7::initial_model(&recipe, seed);
    layers::save(&model, &out).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "lesson 3's initial weights for seed {seed}: {}",
        out.display()
    );
}
