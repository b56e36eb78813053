//! Draw a digit: the models lessons 6 to 9 saved say what an image shows (a digit, or for
//! lesson 8's ResNet a piece of clothing), and show what happens inside them.
//!
//! A network is not shared between threads (autograd's values are reference-counted on
//! one thread), so one thread owns the models and answers the requests in turn through a
//! channel. Before each it looks at the model files — lesson 7's, 6's, 9's and 8's, or the
//! one `--model` named: each that exists is loaded (the network its header names, see
//! [`digit_model`]), and loaded again when it changes, so a
//! learner can train a lesson while the studio runs. A request names the model it wants by
//! its place in that list (`?model=1`); without one, the first that loads answers. Without
//! any, the page is told which lesson to run.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::SystemTime;

use data::image_io::MNIST_SIDE;
use models::digit_model::{self, Model, Network};
use serde_json::{Value, json};

use crate::http::{Problem, Reply, json};
use crate::inside::{self, Pixel};

/// The largest upload accepted: 5 MB.
pub const UPLOAD_LIMIT: usize = 5 * 1024 * 1024;

/// What the page asks about an image.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Question {
    /// The digit and the ten probabilities.
    Predict,
    /// Every layer's output ([`inside::view`]) and the winner's saliency.
    Inside,
    /// What made one pixel of a map ([`inside::Inside::explain`]).
    Explain(Pixel),
    /// The saliency of a class, or of the winner ([`inside::saliency`]).
    Saliency(Option<usize>),
}

/// What the model thread is asked.
enum Job {
    /// Which models there are, or why there is none.
    Info(Sender<Value>),
    /// A question about these image bytes, for model `model` (the first that loads if
    /// `None`).
    Ask {
        model: Option<usize>,
        bytes: Vec<u8>,
        question: Question,
        reply: Sender<Result<Value, Problem>>,
    },
}

/// The model thread and the way to it.
pub(crate) struct Digits {
    jobs: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// A loaded model and the file it came from.
struct Loaded {
    modified: Option<SystemTime>,
    network: Network,
    model: Model,
}

/// One model file: loaded, or why not (`None` and no error: there is no such file).
#[derive(Default)]
struct Slot {
    loaded: Option<Loaded>,
    error: Option<String>,
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

    /// `POST /api/digits/…` with the image's bytes: the answer to `question`.
    pub fn ask(
        &self,
        model: Option<usize>,
        bytes: Vec<u8>,
        question: Question,
    ) -> Result<Reply, Problem> {
        if bytes.is_empty() {
            return Err(Problem::bad(
                "the upload is empty: send a PNG or JPEG image",
            ));
        }
        let (reply, receiver) = mpsc::channel();
        self.send(Job::Ask {
            model,
            bytes,
            question,
            reply,
        })?;
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
fn missing(candidates: &[PathBuf], slots: &[Slot]) -> String {
    if let Some(e) = slots.iter().find_map(|s| s.error.as_deref()) {
        return format!("the saved model could not be loaded: {e}");
    }
    let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
    format!(
        "no trained model yet: run `cargo xtask lesson 7` (or lesson 6, 8 or 9), then try \
         again (looked for {})",
        looked.join(", ")
    )
}

/// The model thread: answers jobs until the studio stops.
fn serve(candidates: &[PathBuf], jobs: &Receiver<Job>) {
    let mut slots: Vec<Slot> = candidates.iter().map(|_| Slot::default()).collect();
    for job in jobs {
        for (path, slot) in candidates.iter().zip(&mut slots) {
            refresh(path, slot);
        }
        match job {
            Job::Info(reply) => {
                let _ = reply.send(info(candidates, &slots));
            }
            Job::Ask {
                model,
                bytes,
                question,
                reply,
            } => {
                let answer = pick(candidates, &slots, model)
                    .and_then(|(i, l)| answer(i, l, &bytes, question));
                let _ = reply.send(answer);
            }
        }
    }
}

/// `GET /api/digits/model`'s answer: every model file that loads, the first the default.
fn info(candidates: &[PathBuf], slots: &[Slot]) -> Value {
    let models: Vec<Value> = candidates
        .iter()
        .zip(slots)
        .enumerate()
        .filter_map(|(i, (path, slot))| {
            let l = slot.loaded.as_ref()?;
            Some(json!({"id": i, "network": l.network.name(), "path": path}))
        })
        .collect();
    match models.first() {
        Some(first) => json!({
            "ready": true, "network": first["network"], "path": first["path"], "models": models,
        }),
        None => json!({"ready": false, "message": missing(candidates, slots), "models": []}),
    }
}

/// The model `wanted` (its place in the list), or the first that loads.
fn pick<'s>(
    candidates: &[PathBuf],
    slots: &'s [Slot],
    wanted: Option<usize>,
) -> Result<(usize, &'s Loaded), Problem> {
    match wanted {
        Some(i) => {
            let slot = slots.get(i).ok_or_else(|| {
                Problem::bad(format!(
                    "model must be from 0 to {}, got {i} (see /api/digits/model)",
                    slots.len().saturating_sub(1)
                ))
            })?;
            let loaded = slot.loaded.as_ref().ok_or_else(|| {
                Problem::new(
                    503,
                    slot.error.clone().unwrap_or_else(|| {
                        format!("model {i} ({}) does not exist", candidates[i].display())
                    }),
                )
            })?;
            Ok((i, loaded))
        }
        None => slots
            .iter()
            .enumerate()
            .find_map(|(i, s)| s.loaded.as_ref().map(|l| (i, l)))
            .ok_or_else(|| Problem::new(503, missing(candidates, slots))),
    }
}

/// Loads the model file at `path` if it is not loaded, or changed since.
fn refresh(path: &PathBuf, slot: &mut Slot) {
    if !path.is_file() {
        *slot = Slot::default();
        return;
    }
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if slot.loaded.as_ref().is_some_and(|l| l.modified == modified) {
        return;
    }
    *slot = match digit_model::load(path) {
        Ok((network, model)) => Slot {
            loaded: Some(Loaded {
                modified,
                network,
                model,
            }),
            error: None,
        },
        Err(e) => Slot {
            loaded: None,
            error: Some(e.to_string()),
        },
    };
}

/// The answer to `question` about the image in `bytes`, from model `id`: the image
/// prepared and standardised as the model's lesson trained it.
fn answer(id: usize, l: &Loaded, bytes: &[u8], question: Question) -> Result<Value, Problem> {
    let bad_image =
        |e: &dyn std::fmt::Display| Problem::bad(format!("{e} (send a PNG or JPEG image)"));
    let input = l.network.input();
    let classes = l.network.classes();
    if let Question::Predict = question {
        let (prediction, seen) =
            models::own_images::classify_bytes(&l.model, input, "the upload", bytes)
                .map_err(|e| bad_image(&e))?;
        return Ok(json!({
            "digit": prediction.digit(),
            "label": classes[prediction.digit()],
            "classes": classes,
            "probabilities": prediction.probabilities,
            "seen": seen.data(),
            "side": MNIST_SIDE,
            "network": l.network.name(),
            "model": id,
        }));
    }
    let seen = data::image_io::digit_from_bytes(bytes, "the upload".as_ref(), input.how)
        .map_err(|e| bad_image(&e))?;
    let side = MNIST_SIDE as usize;
    let seen_4d = seen.reshape(&[1, 1, side, side]);
    let x = input.standardize(&seen_4d);
    let view = inside::for_network(&l.network, &l.model);
    let mut answer = match question {
        Question::Predict => unreachable!("answered above"),
        Question::Inside => {
            let mut answer = inside::view(view.as_ref(), &x, classes);
            answer["saliency"] = inside::saliency(view.as_ref(), &seen_4d, input, None)?;
            answer["seen"] = json!(seen.data());
            answer
        }
        Question::Explain(at) => view.explain(&x, at)?,
        Question::Saliency(class) => inside::saliency(view.as_ref(), &seen_4d, input, class)?,
    };
    answer["network"] = json!(l.network.name());
    answer["model"] = json!(id);
    answer["side"] = json!(MNIST_SIDE);
    Ok(answer)
}
