//! Every "Try" item of the lesson pages runs. Each bullet under the `## Try` heading of a
//! registered lesson's page (`docs/lessons/<slug>.md`) names at least one command in inline
//! code, `cargo xtask lesson N …` or `cargo xtask predict …`, and this test runs each one as
//! a learner types it (the built binary), shrunk to seconds: every field of [`SHRINK`] the
//! lesson's recipe has and the command does not set is added (one epoch, a few hundred
//! images). A flag that does not fit the lesson's recipe exits with code 2 and fails here,
//! so a page cannot drift from the recipes. A `predict` command runs on a picture the
//! project ships, with the model its page's lesson has just saved.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use models::Schedule;
use models::recipe;

/// Recipe fields that make a run short, and the values the test gives them.
const SHRINK: [(&str, &str); 8] = [
    ("epochs", "1"),
    ("augmented_epochs", "1"),
    ("world_epochs", "1"),
    ("train_images", "500"),
    ("test_images", "200"),
    ("world_images", "50"),
    ("solved_seeds", "2"),
    ("median_seeds", "2"),
];

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The bullets under a page's `## Try` heading, each as one line: a line `- …` and the
/// indented lines under it (`None`: no such heading).
fn try_bullets(text: &str) -> Option<Vec<String>> {
    let mut lines = text.lines().skip_while(|l| l.trim() != "## Try");
    lines.next()?;
    let mut bullets: Vec<String> = Vec::new();
    let mut in_bullet = false;
    for line in lines.take_while(|l| !l.starts_with("## ")) {
        if let Some(first) = line.strip_prefix("- ") {
            bullets.push(first.trim().to_string());
            in_bullet = true;
        } else if in_bullet && line.starts_with("  ") {
            let last = bullets.last_mut().expect("inside a bullet");
            last.push(' ');
            last.push_str(line.trim());
        } else {
            in_bullet = false;
        }
    }
    Some(bullets)
}

/// The inline code spans of a line of Markdown.
fn code_spans(line: &str) -> Vec<&str> {
    line.split('`').skip(1).step_by(2).collect()
}

/// Runs `cargo xtask ARGS` and fails, showing its output, unless it exits with 0.
fn xtask(args: &[String], shown: &str) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask binary runs");
    let tail = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    };
    assert!(
        out.status.success(),
        "{shown}\n  ran as: xtask {}\n  exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        args.join(" "),
        out.status.code(),
        tail(&out.stdout),
        tail(&out.stderr)
    );
    println!(
        "ok ({:.1} s): {shown}\n    as xtask {}",
        started.elapsed().as_secs_f64(),
        args.join(" ")
    );
}

/// `cargo xtask lesson N FLAGS`, shrunk, into a folder of `work`; returns that folder.
fn run_lesson(lesson: &models::Lesson, words: &[&str], work: &Path, shown: &str) -> PathBuf {
    assert_eq!(
        words.first().copied(),
        Some(lesson.number.to_string().as_str()),
        "{shown}: the page of lesson {} runs another lesson",
        lesson.number
    );
    let set: Vec<String> = words
        .iter()
        .filter_map(|w| w.strip_prefix("--"))
        .map(|f| f.replace('-', "_"))
        .collect();
    let fields: Vec<&str> = recipe::entries(&mut *(lesson.recipe)(Schedule::Full))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let out = work.join(format!("run-{}", std::fs::read_dir(work).unwrap().count()));
    let mut args: Vec<String> = ["lesson"]
        .iter()
        .chain(words)
        .map(|w| w.to_string())
        .collect();
    for (field, value) in SHRINK {
        if fields.contains(&field) && !set.iter().any(|s| s == field) {
            args.extend([recipe::flag(field), value.to_string()]);
        }
    }
    args.extend(["--out".to_string(), out.display().to_string()]);
    xtask(&args, shown);
    out
}

/// `cargo xtask predict FLAGS FILES`, each file replaced by a shipped picture, with `model`.
fn run_predict(words: &[&str], model: Option<&Path>, shown: &str) {
    let model = model.unwrap_or_else(|| {
        panic!("{shown}: no lesson command above it on its page saved a model to predict with")
    });
    let picture = models::own_images::shipped().expect("the shipped pictures")[0]
        .0
        .clone();
    let mut args = vec!["predict".to_string()];
    args.extend(
        words
            .iter()
            .filter(|w| w.starts_with("--"))
            .map(|w| w.to_string()),
    );
    if words.iter().any(|w| !w.starts_with("--")) {
        args.push(picture.display().to_string());
    }
    args.extend(["--model".to_string(), model.display().to_string()]);
    xtask(&args, shown);
}

#[test]
fn every_try_item_of_every_lesson_page_runs() {
    let started = Instant::now();
    let mut commands = 0;
    for lesson in models::lessons() {
        let page = root().join(format!("docs/lessons/{}.md", lesson.slug));
        let text = std::fs::read_to_string(&page).expect("every lesson has its page");
        let name = format!("docs/lessons/{}.md", lesson.slug);
        let bullets = try_bullets(&text).unwrap_or_else(|| panic!("{name}: no `## Try` section"));
        assert!(!bullets.is_empty(), "{name}: nothing under `## Try`");
        let work = tempfile::tempdir().unwrap();
        let mut model = None;
        // Lesson commands first, so that a `predict` finds the model they saved.
        let mut predictions = Vec::new();
        for (i, bullet) in bullets.iter().enumerate() {
            let spans = code_spans(bullet);
            let found: Vec<&str> = spans
                .iter()
                .filter_map(|s| s.strip_prefix("cargo xtask "))
                .collect();
            let shown = format!("{name}, Try item {}: {bullet}", i + 1);
            assert!(
                !found.is_empty(),
                "{shown}\n  names no command; write the whole command, `cargo xtask lesson {} --flag value`, so that it can be run (and tested)",
                lesson.number
            );
            if let Some(span) = spans.iter().find(|s| s.starts_with("--")) {
                panic!(
                    "{shown}\n  `{span}` is a flag on its own; name it inside its whole command, `cargo xtask lesson {} {span}`",
                    lesson.number
                );
            }
            for command in found {
                let words: Vec<&str> = command.split_whitespace().collect();
                let shown = format!("{name}, Try item {}: `cargo xtask {command}`", i + 1);
                commands += 1;
                match words.split_first() {
                    Some((&"lesson", rest)) => {
                        let out = run_lesson(lesson, rest, work.path(), &shown);
                        let saved = out.join("model.safetensors");
                        if saved.exists() {
                            model = Some(saved);
                        }
                    }
                    Some((&"predict", rest)) => predictions.push((rest.to_vec(), shown)),
                    _ => panic!("{shown}: the test runs `lesson` and `predict` commands only"),
                }
            }
        }
        for (words, shown) in predictions {
            run_predict(&words, model.as_deref(), &shown);
        }
    }
    println!(
        "{commands} commands in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn try_bullets_and_their_code_are_read() {
    let page = "# L\n\n## Try\n\n- Run `cargo xtask lesson 1 --lr 1.0` and\n  `cargo xtask lesson 1\n  --lr 0.01`.\n- Two `a` and `b`.\n\nNot a bullet, `cargo xtask data`.\n\n## Exercises\n\n- not this\n";
    let bullets = try_bullets(page).unwrap();
    assert_eq!(
        bullets,
        [
            "Run `cargo xtask lesson 1 --lr 1.0` and `cargo xtask lesson 1 --lr 0.01`.",
            "Two `a` and `b`."
        ]
    );
    assert_eq!(
        code_spans(&bullets[0]),
        [
            "cargo xtask lesson 1 --lr 1.0",
            "cargo xtask lesson 1 --lr 0.01"
        ]
    );
    assert!(try_bullets("# L\n\n## Run it\n").is_none());
}
