//! The pages in a real browser: headless Chromium opens each page and is driven with real
//! mouse events through the DevTools protocol — a slider moved, a training run started and
//! stopped, a stroke drawn on the canvas, a feature map clicked, a network built and run
//! in the playground — and the test checks what each page then shows.
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

/// The digit model lesson `n` saved, if this checkout trained it (the screenshots then
/// show a real prediction; else the fixture's freshly initialised network stands in).
fn trained_model(n: u32) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lesson = models::lesson(n).expect("a lesson");
    let path = root
        .join("target/lessons")
        .join(lesson.slug)
        .join("model.safetensors");
    path.is_file().then_some(path)
}

/// The number of map pictures in each panel of the inside view, `None` for panels of
/// other kinds, and what the server said each panel's first dimension is.
fn maps_shown(browser: &mut Browser) -> Vec<(Option<u64>, u64)> {
    let counts = browser.eval(
        "window.studio.inside.panels.map(p => [p.kind === 'maps' ? \
         document.querySelectorAll('#panel-' + p.id + ' .map').length : null, p.shape[0]])",
    );
    counts
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_u64(), c[1].as_u64().unwrap()))
        .collect()
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
    use models::digit_model::Network;
    // Lesson 9's and 8's networks, small, as the fixture's stand-ins.
    let vit = Network::VisionTransformer(layers::VitConfig {
        image: [1, 28, 28],
        patch: 7,
        dim: 16,
        depth: 2,
        heads: 2,
        mlp: 32,
        classes: 10,
    });
    let resnet = Network::FashionResnet {
        variant: layers::BlockKind::Residual,
        widths: vec![4, 8],
        blocks: 1,
        mean: 0.286,
        std: 0.353,
    };
    let f = common::studio_with(&[Network::DeepCnn, Network::FirstCnn, vit, resnet], 4);
    for (n, path) in [7, 6, 9, 8].into_iter().zip(&f.models) {
        if let Some(model) = trained_model(n) {
            std::fs::copy(model, path).expect("copy the trained model");
        }
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

    inside_the_network(&mut browser, &base);
    the_playground(&mut browser, &base);
    println!("screenshots in {}", shots().display());
}

/// Inside the network: a 7 drawn, every layer's maps counted for lessons 7 and 6, a map
/// clicked and its sum shown, the saliency of another class asked for; then lesson 9's
/// attention maps and lesson 8's stages, each model chosen in the page.
fn inside_the_network(browser: &mut Browser, base: &str) {
    browser.open(
        &format!("{base}/inside"),
        "document.getElementById('choice').options.length === 4",
    );
    let (cx, cy, side, _) = browser.rect("#pad");
    let at = |u: f64, v: f64| (cx - side / 2.0 + side * u, cy - side / 2.0 + side * v);
    browser.drag(&[at(0.25, 0.22), at(0.72, 0.22), at(0.45, 0.85)]);
    browser.wait_for("window.studio.insides >= 1", 20);
    // Lesson 7 (model 0): 16, 32, 64 and 128 maps, each after the convolution, its ReLU
    // and its pooling; then the dense layers and the classes.
    assert_eq!(browser.eval("window.studio.inside.network"), "deep_cnn");
    let shown = maps_shown(browser);
    let mut want: Vec<(Option<u64>, u64)> = [16, 32, 64, 128]
        .iter()
        .flat_map(|&c| [(Some(c), c); 3])
        .collect();
    want.extend([(None, 128), (None, 128), (None, 10), (None, 10)]);
    assert_eq!(shown, want);
    // A map of the second convolution clicked at its middle: the filter over the 16 pooled
    // maps before it, the window marked on each of them.
    let (x, y, _, _) = browser.rect("#panel-3 .map[data-channel=\"5\"] canvas");
    browser.drag(&[(x, y)]);
    browser.wait_for("window.studio.explains >= 1", 20);
    let terms = browser.eval("window.studio.explained.terms.length");
    assert_eq!(terms, 16);
    let windows = browser.eval("document.querySelectorAll('#panel-2 .mark.window').length");
    assert_eq!(windows, 16);
    let cells = browser.eval("document.querySelectorAll('.explain .term').length");
    assert_eq!(cells, 16);

    // Lesson 6 (model 1), chosen in the page: 32 maps three times.
    browser.eval(
        "const c = document.getElementById('choice'); c.value = '1'; \
         c.dispatchEvent(new Event('change')); true",
    );
    browser.wait_for("window.studio.inside.network === 'first_cnn'", 20);
    let shown = maps_shown(browser);
    assert_eq!(
        shown,
        [
            (Some(32), 32),
            (Some(32), 32),
            (Some(32), 32),
            (None, 128),
            (None, 128),
            (None, 10),
            (None, 10)
        ]
    );
    let probabilities =
        browser.eval("window.studio.inside.panels[6].values.reduce((a, b) => a + b, 0)");
    assert!(
        (probabilities.as_f64().unwrap() - 1.0).abs() < 1e-3,
        "{probabilities}"
    );
    // Which pixels would make it an 8.
    browser.click("#classes button[data-digit=\"8\"]");
    browser.wait_for("window.studio.saliency.class === 8", 20);
    // A pixel of the first convolution's map 3: its 3×3 window on the image, the nine
    // products w·x.
    let (x, y, w, h) = browser.rect("#panel-0 .map[data-channel=\"3\"] canvas");
    browser.drag(&[(x - w * 0.1, y - h * 0.1)]);
    browser.wait_for("window.studio.explains >= 2", 20);
    let products = browser.eval("document.querySelectorAll('.explain table.products td').length");
    assert_eq!(products, 9);
    assert_eq!(
        browser.eval("document.querySelectorAll('#seen-box .mark.window').length"),
        1
    );
    browser.eval("document.querySelector('main .row').scrollIntoView(); true");
    browser.screenshot(&shots().join("studio-inside.png"));
    browser.eval("document.getElementById('panel-2').scrollIntoView(); true");
    browser.screenshot(&shots().join("studio-inside-layers.png"));

    // Lesson 9 (model 2): one map per head for each block, over the patch grid, then the
    // rollout; lesson 8 (model 3): its stages' maps, and a piece of clothing for an answer.
    for (model, network, shot) in [
        (2, "vision_transformer", "studio-inside-vit.png"),
        (3, "fashion_resnet", "studio-inside-resnet.png"),
    ] {
        browser.eval(&format!(
            "{{ const c = document.getElementById('choice'); c.value = '{model}'; \
             c.dispatchEvent(new Event('change')); }} true"
        ));
        browser.wait_for(&format!("window.studio.inside.network === '{network}'"), 20);
        let shown = maps_shown(browser);
        let maps = shown.iter().filter(|(count, _)| count.is_some()).count();
        assert!(maps >= 2, "{network}: {shown:?}");
        for (count, first) in shown {
            assert!(
                count.is_none() || count == Some(first),
                "{network}: {count:?} of {first}"
            );
        }
        let label = browser.eval("window.studio.inside.label");
        let answer = browser.eval("document.getElementById('digit').textContent");
        assert_eq!(answer, label, "{network}");
        browser.eval("document.getElementById('panel-0').scrollIntoView(); true");
        browser.screenshot(&shots().join(shot));
    }
}

/// The playground: a network built with the buttons, run and paused, its neurons counted;
/// its address opened afresh gives the same set-up and the same numbers.
fn the_playground(browser: &mut Browser, base: &str) {
    browser.open(&format!("{base}/playground"), "window.studio.answers >= 1");
    assert_eq!(browser.eval("window.studio.neurons"), 4 + 2 + 1);
    // Circles, with x₁² and x₂² as well, three hidden layers of 5, 2 and 2.
    browser.eval(
        "const d = document.getElementById('data'); d.value = 'circles'; \
         d.dispatchEvent(new Event('change')); true",
    );
    browser.wait_for("window.studio.answer.setup.data === 'circles'", 10);
    for (click, ready) in [
        (
            "#feature-x1sq",
            "window.studio.answer.setup.features.length === 3",
        ),
        (
            "#feature-x2sq",
            "window.studio.answer.setup.features.length === 4",
        ),
        (
            "#add-layer",
            "window.studio.answer.setup.hidden.length === 3",
        ),
        (
            "#add-neuron-0",
            "window.studio.answer.setup.hidden[0] === 5",
        ),
    ] {
        browser.click(click);
        browser.wait_for(ready, 10);
    }
    let hidden = browser.eval("window.studio.answer.setup.hidden");
    assert_eq!(hidden, serde_json::json!([5, 2, 2]));
    assert_eq!(browser.eval("window.studio.neurons"), 5 + 2 + 2 + 1);
    let features = browser.eval("document.querySelectorAll('.neuron-box.feature').length");
    assert_eq!(features, 4);
    let address = browser.eval("location.href").as_str().unwrap().to_string();
    let first = browser.eval("JSON.stringify(window.studio.answer.region.values)");

    browser.click("#run");
    browser.wait_for("window.studio.epoch >= 30", 30);
    browser.click("#run");
    browser.wait_for("window.studio.running === false", 5);
    let trained = browser.eval("window.studio.epoch").as_u64().unwrap();
    assert!(trained >= 30, "{trained} epochs");
    let loss = browser.eval("window.studio.losses.train[window.studio.epoch]");
    assert!(loss.as_f64().unwrap() < 0.5, "training loss {loss}");
    browser.screenshot_from(&shots().join("studio-playground.png"), ".pg-bar");
    let at_three = browser.eval("JSON.stringify(window.studio.losses.train.slice(0, 4))");

    // The address in a fresh page: the same set-up, the same picture at epoch 0, and after
    // three steps the same losses as the first run had.
    browser.open(&address, "window.studio.answers >= 1");
    assert_eq!(browser.eval("location.href").as_str().unwrap(), address);
    assert_eq!(browser.eval("window.studio.neurons"), 5 + 2 + 2 + 1);
    assert_eq!(
        browser.eval("document.getElementById('data').value"),
        "circles"
    );
    assert_eq!(
        browser.eval("JSON.stringify(window.studio.answer.region.values)"),
        first
    );
    for k in 1..=3 {
        browser.click("#step");
        browser.wait_for(&format!("window.studio.epoch === {k}"), 10);
    }
    assert_eq!(
        browser.eval("JSON.stringify(window.studio.losses.train)"),
        at_three
    );
}
