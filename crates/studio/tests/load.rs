//! Load: 200 prediction requests at once, each answered with exactly what
//! `classify_bytes` says for its image, and the server's memory flat afterwards — the same
//! after three more rounds as after the first (bounded by a few megabytes); the same for
//! the inside view, fifty pages at a time. The time and size of one inside view and of one
//! playground epoch are printed (`-- --nocapture`), for docs/studio.md; nothing asserts
//! them.

mod common;

use std::sync::Arc;

use common::{send, shipped_images, studio};

/// The memory measured is the whole test process's, so the tests here take turns.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Waits for the other tests of this file to finish (a failed one does not block the rest).
fn alone() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// This process's resident memory in bytes (the studio runs inside the test process).
fn resident_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kb * 1024
}

/// Sends 200 predictions at once, image `i % n` for request `i`, and checks each answer.
fn round(addr: &str, images: &Arc<Vec<(Vec<u8>, Vec<f32>)>>) {
    let threads: Vec<_> = (0..200)
        .map(|i| {
            let (addr, images) = (addr.to_string(), images.clone());
            std::thread::spawn(move || {
                let (bytes, want) = &images[i % images.len()];
                let a = send(&addr, "POST", "/api/digits/predict", bytes);
                assert_eq!(a.status, 200, "request {i}: {}", a.text());
                let got: Vec<f32> = a.json()["probabilities"]
                    .as_array()
                    .expect("probabilities")
                    .iter()
                    .map(|p| p.as_f64().unwrap() as f32)
                    .collect();
                assert_eq!(&got, want, "request {i}");
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a request thread");
    }
}

#[test]
fn two_hundred_concurrent_predictions_are_right_and_memory_stays_flat() {
    let _turn = alone();
    let f = studio(true);
    let (network, model) = models::digit_model::load(&f.model).unwrap();
    let images: Vec<(Vec<u8>, Vec<f32>)> = shipped_images()
        .into_iter()
        .map(|(name, bytes)| {
            let (p, _) = models::own_images::classify_bytes(&model, network.input(), &name, &bytes)
                .expect("a shipped picture classifies");
            (bytes, p.probabilities)
        })
        .collect();
    assert!(images.len() >= 5, "{} shipped pictures", images.len());
    let images = Arc::new(images);

    let started = std::time::Instant::now();
    round(&f.addr, &images);
    let first = started.elapsed();
    let after_first = resident_bytes();
    for _ in 0..3 {
        round(&f.addr, &images);
    }
    let after_four = resident_bytes();
    let growth = after_four.saturating_sub(after_first);
    println!(
        "200 predictions in {first:.2?}; resident {:.1} MB after the first round, {:.1} MB after four",
        after_first as f64 / 1e6,
        after_four as f64 / 1e6
    );
    assert!(
        growth < 24 << 20,
        "memory grew by {:.1} MB over three rounds of 200 requests",
        growth as f64 / 1e6
    );
    assert_eq!(send(&f.addr, "GET", "/", b"").status, 200, "still serving");
}

/// The inside view's answer for `bytes` from model `model`: its size in bytes and its
/// probabilities.
fn inside(addr: &str, model: usize, bytes: &[u8]) -> (usize, Vec<f32>) {
    let a = common::send_raw(
        addr,
        "POST",
        &format!("/api/digits/inside?model={model}"),
        &["Content-Type: image/png"],
        bytes,
    );
    assert_eq!(a.status, 200, "{}", a.text());
    let probabilities = a.json()["probabilities"]
        .as_array()
        .expect("probabilities")
        .iter()
        .map(|p| p.as_f64().unwrap() as f32)
        .collect();
    (a.body.len(), probabilities)
}

#[test]
fn the_inside_view_answers_many_pages_at_once_and_memory_stays_flat() {
    let _turn = alone();
    use models::digit_model::{self, Network};
    let f = common::studio_with(&[Network::DeepCnn, Network::FirstCnn], 2);
    let images = shipped_images();
    // What each model says of each picture, computed here.
    let want: Vec<Vec<Vec<f32>>> = f
        .models
        .iter()
        .map(|path| {
            let (network, model) = digit_model::load(path).unwrap();
            images
                .iter()
                .map(|(name, bytes)| {
                    let (p, _) =
                        models::own_images::classify_bytes(&model, network.input(), name, bytes)
                            .unwrap();
                    p.probabilities
                })
                .collect()
        })
        .collect();

    // One page at a time: how long a whole inside view takes, and how large it is.
    for (model, name) in [(0, "lesson 7 (deep_cnn)"), (1, "lesson 6 (first_cnn)")] {
        let mut times = Vec::new();
        let mut size = 0;
        for (i, (_, bytes)) in images.iter().cycle().take(11).enumerate() {
            let started = std::time::Instant::now();
            let (bytes_back, p) = inside(&f.addr, model, bytes);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(p, want[model][i % images.len()]);
            size = bytes_back;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "inside view, {name}: {:.0} ms (median of 11, fastest {:.0} ms), {:.0} kB",
            times[5],
            times[0],
            size as f64 / 1000.0
        );
    }

    // Fifty pages at once, both models, three rounds: each answer right, memory flat.
    let round = |f: &common::Fixture| {
        let threads: Vec<_> = (0..50)
            .map(|i| {
                let addr = f.addr.clone();
                let (bytes, want) = (
                    images[i % images.len()].1.clone(),
                    want[i % 2][i % images.len()].clone(),
                );
                std::thread::spawn(move || {
                    let (_, p) = inside(&addr, i % 2, &bytes);
                    assert_eq!(p, want, "request {i}");
                })
            })
            .collect();
        for t in threads {
            t.join().expect("a request thread");
        }
    };
    let started = std::time::Instant::now();
    round(&f);
    println!("50 inside views at once in {:.2?}", started.elapsed());
    let after_first = resident_bytes();
    round(&f);
    round(&f);
    let growth = resident_bytes().saturating_sub(after_first);
    assert!(
        growth < 24 << 20,
        "memory grew by {:.1} MB over two more rounds of 50 inside views",
        growth as f64 / 1e6
    );
    assert_eq!(send(&f.addr, "GET", "/", b"").status, 200, "still serving");
}

#[test]
fn playground_epochs_one_after_another() {
    let _turn = alone();
    // As a running page asks: epoch after epoch of TensorFlow Playground's network, and of
    // the largest one the page allows (4 layers of 8, all seven features).
    let f = studio(false);
    for setup in [
        "data=spirals&hidden=4,2",
        "data=spirals&hidden=8,8,8,8&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2",
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        for epoch in 0..=40u64 {
            let body = serde_json::json!({"setup": setup, "epoch": epoch, "since": epoch});
            let started = std::time::Instant::now();
            let a = common::post_json(&f.addr, "/api/playground/epoch", &body);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(a.status, 200);
            assert_eq!(a.json()["epoch"], epoch);
            size = a.body.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "playground, {setup}: {:.1} ms an epoch (median of 41), {:.0} kB an answer",
            times[20],
            size as f64 / 1000.0
        );
    }
}
