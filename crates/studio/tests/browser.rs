//! The pages in a real browser: headless Chromium opens each page and is driven with real
//! mouse events through the DevTools protocol — a slider moved, a training run started and
//! stopped, a stroke drawn on the canvas — and the test checks what each page then shows.
//! Screenshots go to `target/tmp/studio-screenshots/`.
//!
//! Without Chromium the test says so and passes, except in CI (`CI` set), where it fails:
//! `.ci/run` installs Debian's `chromium`.

mod common;
mod devtools;

use std::path::{Path, PathBuf};

use devtools::Browser;

/// Where the screenshots go.
fn shots() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("studio-screenshots")
}

/// The digit model to show: lesson 7's, if this checkout trained it (the screenshots then
/// show a real prediction), else the fixture's freshly initialised network.
fn trained_model() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lesson = models::lesson(7).expect("lesson 7");
    let path = root
        .join("target/lessons")
        .join(lesson.slug)
        .join("model.safetensors");
    path.is_file().then_some(path)
}

#[test]
fn the_pages_work_in_a_real_browser() {
    let Some(binary) = devtools::find() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: no Chromium found; .ci/run installs Debian's `chromium`"
        );
        eprintln!("skipped: no Chromium found (apt-get install chromium to run this test)");
        return;
    };
    let f = common::studio(true);
    if let Some(model) = trained_model() {
        std::fs::copy(model, &f.model).expect("copy the trained model");
    }
    let base = format!("http://{}", f.addr);
    let mut browser = Browser::launch(&binary);

    // The explorer: drag the w slider's thumb from 1 to about 4; the curve is redrawn
    // with the server's numbers for the new w.
    browser.open(&format!("{base}/activations"), "window.studio.draws > 0");
    let before = browser.eval("JSON.stringify(window.studio.curve.y)");
    let (x, y, width, _) = browser.rect("#w");
    let thumb = |w: f64| x - width / 2.0 + width * (w + 5.0) / 10.0;
    browser.drag(&[(thumb(1.0), y), (thumb(2.5), y), (thumb(4.0), y)]);
    browser.wait_for("window.studio.curve.w > 3", 10);
    browser.wait_for(
        "Math.abs(window.studio.curve.w - Number(document.getElementById('w').value)) < 1e-6",
        10,
    );
    let after = browser.eval("JSON.stringify(window.studio.curve.y)");
    assert_ne!(before, after, "the curve did not change");
    let shown = browser.eval("document.getElementById('w-value').textContent");
    let w = browser.eval("window.studio.curve.w").as_f64().unwrap();
    assert_eq!(shown.as_str().unwrap(), format!("{w:.2}"));
    browser.screenshot(&shots().join("studio-activations.png"));

    // Live training: lesson 1 with a long recipe, started and stopped with the buttons.
    browser.open(
        &format!("{base}/train"),
        "document.querySelectorAll('#fields input').length > 0",
    );
    // Lesson 4's form: a select box for each choice, a checkbox for each switch, each set to
    // the course's value.
    let pick = |n: &str| {
        format!(
            "document.getElementById('lesson').value = '{n}'; \
             document.getElementById('lesson').dispatchEvent(new Event('change')); true"
        )
    };
    browser.eval(&pick("4"));
    assert_eq!(
        browser.eval(
            "[document.getElementById('field-optimizer').tagName, \
              document.getElementById('field-optimizer').options.length, \
              document.getElementById('field-optimizer').value, \
              document.getElementById('field-standardize').type, \
              document.getElementById('field-standardize').checked].join(' ')"
        ),
        serde_json::json!("SELECT 3 rmsprop checkbox false")
    );
    browser.eval(&pick("1"));
    browser.eval(
        "for (const [n, v] of [['epochs', '10000'], ['hidden', '2,3'], ['solved_seeds', '1']]) \
         document.getElementById('field-' + n).value = v; true",
    );
    browser.click("#start");
    browser.wait_for(
        "window.studio.epochs >= 400 && window.studio.regions >= 3",
        20,
    );
    browser.wait_for("document.getElementById('stop').disabled === false", 5);
    browser.click("#stop");
    browser.wait_for("window.studio.done !== null", 20);
    assert_eq!(
        browser.eval("window.studio.done.stopped"),
        serde_json::json!(true)
    );
    let status = browser.eval("document.getElementById('status').textContent");
    assert!(
        status.as_str().unwrap().starts_with("stopped after"),
        "{status}"
    );
    let epochs = browser.eval("window.studio.epochs").as_u64().unwrap();
    assert!((400..20000).contains(&epochs), "{epochs} epochs");
    assert_eq!(
        browser.eval("document.getElementById('start').disabled"),
        serde_json::json!(false)
    );
    browser.screenshot(&shots().join("studio-train.png"));

    // Draw a 7: a stroke across and one down; after it, a prediction is shown.
    browser.open(
        &format!("{base}/digits"),
        "document.getElementById('model').textContent.startsWith('model:')",
    );
    let (cx, cy, side, _) = browser.rect("#pad");
    let at = |u: f64, v: f64| (cx - side / 2.0 + side * u, cy - side / 2.0 + side * v);
    browser.drag(&[at(0.25, 0.22), at(0.72, 0.22), at(0.45, 0.85)]);
    browser.wait_for("window.studio.predictions >= 1", 20);
    let sum = browser.eval("window.studio.prediction.probabilities.reduce((a, b) => a + b, 0)");
    assert!(
        (sum.as_f64().unwrap() - 1.0).abs() < 1e-4,
        "probabilities sum to {sum}"
    );
    let digit = browser.eval("window.studio.prediction.digit");
    let shown = browser.eval("document.getElementById('digit').textContent");
    assert_eq!(shown.as_str().unwrap(), digit.to_string());
    let ink = browser.eval("window.studio.prediction.seen.filter(v => v > 0.5).length");
    assert!(
        ink.as_u64().unwrap() > 20,
        "the model saw {ink} inked pixels"
    );
    browser.screenshot(&shots().join("studio-digits.png"));
    println!("screenshots in {}", shots().display());
}
