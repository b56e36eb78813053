//! Draw a digit: the model lesson 7 (or 6) saved predicts what an image shows.
//!
//! A network is not shared between threads (autograd's values are reference-counted on
//! one thread), so one thread owns the model and answers the requests in turn through a
//! channel. Before each it looks at the model files: the first that exists — lesson 7's,
//! then lesson 6's — is loaded, and loaded again when it changes, so a learner can train
//! lesson 7 while the studio runs. Without one, the page is told which lesson to run.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::SystemTime;

use data::image_io::Preprocess;
use layers::Sequential;
use models::digit_model::{self, Network};
use serde_json::{Value, json};

use crate::http::{Problem, Reply, json};

/// The largest upload accepted: 5 MB.
pub const UPLOAD_LIMIT: usize = 5 * 1024 * 1024;

/// What the model thread is asked.
enum Job {
    /// Which model is loaded, or why none is.
    Info(Sender<Value>),
    /// Classify these image bytes.
    Predict(Vec<u8>, Sender<Result<Value, Problem>>),
}

/// The model thread and the way to it.
pub(crate) struct Digits {
    jobs: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// A loaded model and the file it came from.
struct Loaded {
    path: PathBuf,
    modified: Option<SystemTime>,
    network: Network,
    model: Sequential,
}

impl Digits {
    /// Starts the model thread; `candidates` are the model files, preferred first.
    pub fn start(candidates: Vec<PathBuf>) -> Digits {
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::spawn(move || serve(&candidates, &receiver));
        Digits {
            jobs: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
        }
    }

    /// Sends `job` to the model thread.
    fn send(&self, job: Job) -> Result<(), Problem> {
        let jobs = self.jobs.lock().expect("the digits' lock");
        jobs.as_ref()
            .and_then(|s| s.send(job).ok())
            .ok_or_else(|| Problem::new(503, "the studio is stopping"))
    }

    /// `GET /api/digits/model`.
    pub fn info(&self) -> Result<Reply, Problem> {
        let (sender, receiver) = mpsc::channel();
        self.send(Job::Info(sender))?;
        let info = receiver
            .recv()
            .map_err(|_| Problem::new(503, "the studio is stopping"))?;
        Ok(json(200, &info))
    }

    /// `POST /api/digits/predict` with the image's bytes.
    pub fn predict(&self, bytes: Vec<u8>) -> Result<Reply, Problem> {
        if bytes.is_empty() {
            return Err(Problem::bad(
                "the upload is empty: send a PNG or JPEG image",
            ));
        }
        let (sender, receiver) = mpsc::channel();
        self.send(Job::Predict(bytes, sender))?;
        let answer = receiver
            .recv()
            .map_err(|_| Problem::new(503, "the studio is stopping"))??;
        Ok(json(200, &answer))
    }

    /// Ends the model thread.
    pub fn shut_down(&self) {
        self.jobs.lock().expect("the digits' lock").take();
        if let Some(thread) = self.thread.lock().expect("the digits' lock").take() {
            let _ = thread.join();
        }
    }
}

/// What to say when no model could be loaded.
fn missing(candidates: &[PathBuf], error: Option<&str>) -> String {
    let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
    match error {
        Some(e) => format!("the saved model could not be loaded: {e}"),
        None => format!(
            "no trained digit model yet: run `cargo xtask lesson 7` (or `cargo xtask lesson 6`), \
             then try again (looked for {})",
            looked.join(" and ")
        ),
    }
}

/// The model thread: answers jobs until the studio stops.
fn serve(candidates: &[PathBuf], jobs: &Receiver<Job>) {
    let mut loaded: Option<Loaded> = None;
    let mut error: Option<String> = None;
    for job in jobs {
        refresh(candidates, &mut loaded, &mut error);
        match (job, &loaded) {
            (Job::Info(reply), Some(l)) => {
                let _ = reply.send(json!({
                    "ready": true, "network": l.network.name(), "path": l.path,
                }));
            }
            (Job::Info(reply), None) => {
                let _ = reply.send(
                    json!({"ready": false, "message": missing(candidates, error.as_deref())}),
                );
            }
            (Job::Predict(_, reply), None) => {
                let _ = reply.send(Err(Problem::new(
                    503,
                    missing(candidates, error.as_deref()),
                )));
            }
            (Job::Predict(bytes, reply), Some(l)) => {
                let _ = reply.send(classify(l, &bytes));
            }
        }
    }
}

/// Loads the preferred model file if it is not the one loaded, or changed since.
fn refresh(candidates: &[PathBuf], loaded: &mut Option<Loaded>, error: &mut Option<String>) {
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        (*loaded, *error) = (None, None);
        return;
    };
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if loaded
        .as_ref()
        .is_some_and(|l| &l.path == path && l.modified == modified)
    {
        return;
    }
    match digit_model::load(path) {
        Ok((network, model)) => {
            *loaded = Some(Loaded {
                path: path.clone(),
                modified,
                network,
                model,
            });
            *error = None;
        }
        Err(e) => (*loaded, *error) = (None, Some(e.to_string())),
    }
}

/// The prediction for one upload, as the page shows it.
fn classify(l: &Loaded, bytes: &[u8]) -> Result<Value, Problem> {
    let (prediction, seen) =
        models::own_images::classify_bytes(&l.model, "the upload", bytes, Preprocess::Mnist)
            .map_err(|e| Problem::bad(format!("{e} (send a PNG or JPEG image)")))?;
    Ok(json!({
        "digit": prediction.digit(),
        "probabilities": prediction.probabilities,
        "seen": seen.data(),
        "side": data::image_io::MNIST_SIDE,
        "network": l.network.name(),
    }))
}
