//! Reproducibility, tested rather than claimed: the same seed gives the same numbers bit for
//! bit, run after run, on one thread or two.
//!
//! - Lesson 4 (shuffled mini-batches and dropout) run twice, and on a 1-thread and a
//!   2-thread rayon pool, gives identical per-epoch losses and test accuracy.
//! - Lesson 6's CNN, a few SGD-with-momentum steps on a few hundred MNIST images, gives
//!   identical losses and identical parameters, twice and on 1 or 2 threads. The batches
//!   are large enough that every parallel kernel (GEMM, im2col, element-wise maps) splits
//!   its work, so a kernel whose result depends on the split would show here.
//! - Lesson 1's loss trace hashes to the SHA-256 checked in beside this file, so any change
//!   of numerics shows up in review (see [`lesson_1_loss_trace_is_unchanged`] for how to
//!   update it on purpose).
//!
//! Bit-identical means comparing `f64::to_bits`/`f32::to_bits`, not a tolerance.

use std::path::{Path, PathBuf};

use autograd::Var;
use data::{DataLoader, Split};
use layers::{Mode, Module};
use models::{Context, Schedule};
use optim::{Optimizer, Sgd, SgdConfig, cross_entropy};
use rand::{SeedableRng, rngs::StdRng};
use sha2::{Digest, Sha256};

/// Runs `f` on a fresh rayon pool of `threads` threads.
fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
        .install(f)
}

/// The context of a lesson run with its default seed, writing under the test's temp dir.
fn context(n: u32, run: &str) -> (Context, &'static models::Lesson) {
    let lesson = models::lesson(n).expect("the lesson is registered");
    let ctx = Context {
        seed: lesson.seed,
        data_root: data::data_root(None),
        out_dir: Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("reproducibility")
            .join(format!("{}-{run}", lesson.slug)),
        schedule: Schedule::Quick,
        overrides: Vec::new(),
    };
    (ctx, lesson)
}

/// A lesson's per-epoch curves and its metrics, every number as its bit pattern.
type Bits = (Vec<(String, Vec<u64>)>, Vec<(String, u64)>);

/// Runs lesson `n` and returns its per-epoch training losses (every history metric whose
/// name starts with `train_loss`) and its metrics, as bit patterns.
fn lesson_bits(n: u32, run: &str) -> Bits {
    let (ctx, lesson) = context(n, run);
    let summary = models::run_lesson(lesson, &ctx).unwrap_or_else(|e| panic!("lesson {n}: {e}"));
    let history = &summary.outcome.history;
    let curves = history
        .names()
        .into_iter()
        .filter(|name| name.starts_with("train_loss"))
        .map(|name| {
            let bits = history.values(&name).iter().map(|v| v.to_bits()).collect();
            (name, bits)
        })
        .collect();
    let metrics = summary
        .outcome
        .metrics
        .iter()
        .map(|(name, v)| (name.clone(), v.to_bits()))
        .collect();
    (curves, metrics)
}

#[test]
fn lesson_4_same_seed_same_losses_on_one_or_two_threads() {
    let first = on_threads(2, || lesson_bits(4, "a"));
    let again = on_threads(2, || lesson_bits(4, "b"));
    let one_thread = on_threads(1, || lesson_bits(4, "c"));
    assert!(
        first
            .0
            .iter()
            .any(|(name, v)| name == "train_loss" && !v.is_empty()),
        "lesson 4 reported no train_loss curve: {:?}",
        first.0
    );
    assert_eq!(
        first, again,
        "lesson 4: a second run with the same seed differs"
    );
    assert_eq!(
        first, one_thread,
        "lesson 4: 1 thread differs from 2 threads"
    );
}

/// Lesson 6's network trained for `steps` steps of 64 images from MNIST's first 384
/// training images (shuffled with the seed); returns each step's loss and every parameter
/// afterwards, as bits.
fn cnn_steps(seed: u64, steps: usize) -> (Vec<u32>, Vec<Vec<u32>>) {
    let mnist = data::Mnist::load_or_download(
        &data::data_root(None),
        data::Dataset::Mnist,
        Split::Train,
        data::download::MNIST_MIRRORS,
    )
    .expect("MNIST (set GRADSCHOOL_DATA to a folder holding mnist/)");
    let x = data::standardize::center_unit(&mnist.images().narrow(0, 0, 384));
    let y = mnist.labels_tensor().narrow(0, 0, 384);
    let mut rng = StdRng::seed_from_u64(seed);
    let model = models::networks::first_cnn(32, true, &mut rng);
    let config = SgdConfig {
        lr: 0.01,
        momentum: 0.9,
        ..SgdConfig::default()
    };
    let mut opt = Sgd::new(model.parameters(), config);
    let loader = DataLoader::new(&x, &y, 64);
    let mut losses = Vec::new();
    for (x_b, y_b) in loader.shuffled(&mut rng).take(steps) {
        let loss = cross_entropy(&model.forward(&Var::constant(x_b), Mode::Train), &y_b);
        opt.zero_grad();
        loss.backward();
        opt.step();
        losses.push(loss.item().to_bits());
    }
    let params = model
        .parameters()
        .iter()
        .map(|p| p.value().data().iter().map(|v| v.to_bits()).collect())
        .collect();
    (losses, params)
}

#[test]
fn lesson_6_cnn_same_seed_same_steps_on_one_or_two_threads() {
    let first = on_threads(2, || cnn_steps(1, 5));
    let again = on_threads(2, || cnn_steps(1, 5));
    let one_thread = on_threads(1, || cnn_steps(1, 5));
    assert_eq!(first.0.len(), 5);
    let losses: Vec<f32> = first.0.iter().map(|&b| f32::from_bits(b)).collect();
    assert!(
        losses.iter().all(|l| l.is_finite()) && losses[4] < losses[0],
        "the CNN did not learn in five steps: {losses:?}"
    );
    assert!(first == again, "lesson 6's CNN: a second run differs");
    assert!(
        first.0 == one_thread.0,
        "lesson 6's CNN: losses on 1 thread {:?} differ from 2 threads {:?}",
        one_thread
            .0
            .iter()
            .map(|&b| f32::from_bits(b))
            .collect::<Vec<_>>(),
        losses
    );
    assert!(
        first == one_thread,
        "lesson 6's CNN: 1 thread gives other parameters than 2"
    );
    let other_seed = on_threads(2, || cnn_steps(2, 5));
    assert!(first != other_seed, "another seed must give other numbers");
}

/// The file holding the expected SHA-256 of lesson 1's loss trace.
fn trace_hash_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lesson1_loss_trace.sha256")
}

/// The SHA-256 of lesson 1's curves: each curve's name, then its values as little-endian
/// `f64` bits, in the order the lesson recorded them.
fn trace_hash(curves: &[(String, Vec<u64>)]) -> String {
    let mut hasher = Sha256::new();
    for (name, values) in curves {
        hasher.update(name.as_bytes());
        for v in values {
            hasher.update(v.to_le_bytes());
        }
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Lesson 1's per-epoch losses (H = 1, 2, 3, 500 epochs each) hash to the checked-in value.
///
/// A change to any op, initialiser, optimizer or to the data changes this hash. When that
/// is intended, run this test with `UPDATE_TRACE_HASH=1` to rewrite the file, and say in
/// the commit why the numbers moved. The trace is of this project's machines (x86-64 with
/// AVX2/AVX-512, glibc's libm); another libm may differ in a last bit.
#[test]
fn lesson_1_loss_trace_is_unchanged() {
    let (curves, _) = lesson_bits(1, "trace");
    let names: Vec<&str> = curves.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["train_loss_h1", "train_loss_h2", "train_loss_h3"]);
    assert!(curves.iter().all(|(_, v)| v.len() == 500));
    let got = trace_hash(&curves);
    let path = trace_hash_file();
    if std::env::var_os("UPDATE_TRACE_HASH").is_some() {
        std::fs::write(&path, format!("{got}\n")).expect("write the trace hash");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_TRACE_HASH=1)", path.display()));
    assert_eq!(
        got,
        want.trim(),
        "lesson 1's loss trace changed: its SHA-256 is no longer the one in {}. If the change \
         of numerics is intended, rerun with UPDATE_TRACE_HASH=1 and explain it in the commit",
        path.display()
    );
}
