//! Load: 200 prediction requests at once, each answered with exactly what
//! `classify_bytes` says for its image, and the server's memory flat afterwards — the same
//! after three more rounds as after the first (bounded by a few megabytes).

mod common;

use std::sync::Arc;

use common::{send, shipped_images, studio};

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
    let f = studio(true);
    let (_, model) = models::digit_model::load(&f.model).unwrap();
    let images: Vec<(Vec<u8>, Vec<f32>)> = shipped_images()
        .into_iter()
        .map(|(name, bytes)| {
            let (p, _) = models::own_images::classify_bytes(
                &model,
                &name,
                &bytes,
                data::image_io::Preprocess::Mnist,
            )
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
