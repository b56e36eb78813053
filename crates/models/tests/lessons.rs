//! Every lesson as an integration test: the same code and the same bars as
//! `cargo xtask lesson N`, on the test schedule (the full schedule for every lesson that
//! has no shorter one). MNIST comes from `GRADSCHOOL_DATA` (CI points it at the shared
//! data folder).

use models::{Context, Schedule};

/// Runs lesson `n` with its default seed and asserts every bar.
fn run(n: u32) {
    // As `cargo xtask` starts: glibc keeps freed memory for the next step (speed only).
    alloc_tuning::keep_freed_memory();
    let lesson = models::lesson(n).expect("the lesson is registered");
    let ctx = Context {
        seed: lesson.seed,
        data_root: data::data_root(None),
        out_dir: std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("lessons")
            .join(lesson.slug),
        schedule: Schedule::Quick,
        overrides: Vec::new(),
    };
    let summary =
        models::run_lesson(lesson, &ctx).unwrap_or_else(|e| panic!("lesson {n} stopped: {e}"));
    println!("{summary}");
    for b in &summary.bars {
        assert!(
            b.passed,
            "lesson {n}: {} = {} misses its bar {:?} {}",
            b.bar.metric, b.value, b.bar.goal, b.bar.threshold
        );
    }
}

#[test]
fn lesson_01_xor() {
    run(1);
}

#[test]
fn lesson_02_regression() {
    run(2);
}

#[test]
fn lesson_03_mnist_1_vs_7() {
    run(3);
}

#[test]
fn lesson_04_iris() {
    run(4);
}

#[test]
fn lesson_05_mnist_mlp() {
    run(5);
}

#[test]
fn lesson_06_first_cnn() {
    run(6);
}

#[test]
fn lesson_07_deep_cnn() {
    run(7);
}

#[test]
fn lesson_08_resnet() {
    run(8);
}

#[test]
fn lesson_09_vit() {
    run(9);
}

/// Every registered lesson has a test in this file (so a new lesson cannot be forgotten here).
#[test]
fn every_lesson_has_a_test() {
    let source = include_str!("lessons.rs");
    for lesson in models::lessons() {
        let name = format!("fn lesson_{:02}_", lesson.number);
        assert!(
            source.contains(&name),
            "lesson {} has no integration test",
            lesson.number
        );
    }
}
