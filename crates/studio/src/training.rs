//! One training run at a time, on its own thread, followed live.
//!
//! `POST /api/train` checks the page's recipe ([`recipes::order`]) and starts the lesson's
//! watched entry point with a [`Live`] watch: each epoch's record, and XOR's decision
//! regions, become events on the [`Hub`]; the stop button sets the flag the lesson's
//! training loop asks before every step. The run goes through [`models::run_lesson_with`],
//! as `cargo xtask lesson N` does, so it writes the lesson's pictures, `history.json` and
//! `summary.json` — each run in a folder of its own, `target/studio/NN-name/run-001/`, …,
//! never over `target/lessons/` — and `cargo xtask compare` can set it beside any other.
//!
//! A second start while a run goes on is refused with 409. A lesson that fails (a loss
//! that diverged) or panics (a recipe the lesson's code cannot take) ends its run with an
//! `error` in the `done` event; the server goes on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use models::fit::{Regions, Watch};
use models::history::EpochRecord;
use models::{Context, Schedule};
use serde_json::{Map, Value, json};

use crate::events::Hub;
use crate::http::{Problem, Reply, json};
use crate::recipes::{self, Order};

/// Where runs go and how they are followed.
pub(crate) struct Trainer {
    hub: Arc<Hub>,
    data_root: PathBuf,
    out_dir: PathBuf,
    current: Arc<Mutex<Option<Running>>>,
}

/// The run in progress (or the last one, until the next starts).
struct Running {
    lesson: u32,
    stop: Arc<AtomicBool>,
    epochs: Arc<AtomicUsize>,
    finished: bool,
    thread: Option<JoinHandle<()>>,
}

/// The watch a studio run is given: epochs and regions to the hub, the stop flag.
struct Live {
    hub: Arc<Hub>,
    stop: Arc<AtomicBool>,
    epochs: Arc<AtomicUsize>,
}

impl Watch for Live {
    fn on_epoch(&self, run: &str, record: &EpochRecord) {
        self.epochs.fetch_add(1, Ordering::Relaxed);
        let metrics: Map<String, Value> = record
            .metrics
            .iter()
            .map(|(n, v)| (n.clone(), json!(v)))
            .collect();
        let data = json!({"run": run, "epoch": record.epoch, "metrics": metrics, "seconds": record.seconds});
        self.hub.publish("epoch", &data);
    }

    /// The first epoch, then every fifth: a picture a tenth of a second or so.
    fn wants_regions(&self, epoch: usize) -> bool {
        epoch == 1 || epoch.is_multiple_of(5)
    }

    fn on_regions(&self, run: &str, r: &Regions<'_>) {
        let points: Vec<Value> = r.points.iter().map(|&(a, b, c)| json!([a, b, c])).collect();
        let data = json!({
            "run": run, "epoch": r.epoch, "range": [r.range.0, r.range.1], "steps": r.steps,
            "outputs": r.outputs, "points": points,
        });
        self.hub.publish("regions", &data);
    }

    fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

impl Trainer {
    /// A trainer whose runs read `data_root` and write under `out_dir`.
    pub fn new(hub: Arc<Hub>, data_root: PathBuf, out_dir: PathBuf) -> Trainer {
        Trainer {
            hub,
            data_root,
            out_dir,
            current: Arc::new(Mutex::new(None)),
        }
    }

    /// `POST /api/train`: starts the run `body` asks for, unless one is going.
    pub fn start(&self, body: &Value) -> Result<Reply, Problem> {
        let order = recipes::order(body)?;
        let mut current = self.current.lock().expect("the trainer's lock");
        if let Some(running) = current.as_ref().filter(|r| !r.finished) {
            return Err(Problem::new(
                409,
                format!(
                    "lesson {} is already training ({} epochs so far); stop it first",
                    running.lesson,
                    running.epochs.load(Ordering::Relaxed)
                ),
            ));
        }
        if let Some(thread) = current.as_mut().and_then(|r| r.thread.take()) {
            let _ = thread.join();
        }
        let Order {
            lesson,
            run,
            seed,
            overrides,
            recipe,
        } = order;
        let lesson_dir = self.out_dir.join(lesson.slug);
        std::fs::create_dir_all(&lesson_dir).map_err(|e| {
            Problem::new(503, format!("cannot create {}: {e}", lesson_dir.display()))
        })?;
        let ctx = Context {
            seed,
            data_root: self.data_root.clone(),
            out_dir: next_run_folder(&lesson_dir),
            schedule: Schedule::Full,
            overrides,
        };
        let start = json!({"lesson": lesson.number, "title": lesson.title, "seed": seed, "recipe": recipe, "out_dir": ctx.out_dir});
        self.hub.begin();
        self.hub.publish("start", &start);
        let live = Live {
            hub: self.hub.clone(),
            stop: Arc::new(AtomicBool::new(false)),
            epochs: Arc::new(AtomicUsize::new(0)),
        };
        let (stop, epochs) = (live.stop.clone(), live.epochs.clone());
        let shared = self.current.clone();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            // The command line's own bookkeeping around the watched run: history.json and
            // summary.json are written as `cargo xtask lesson N` writes them.
            let result = catch_unwind(AssertUnwindSafe(|| {
                models::run_lesson_with(lesson, &ctx, |ctx| run(ctx, &live))
            }));
            let mut done = json!({"stopped": live.stop_requested(), "seconds": started.elapsed().as_secs_f64()});
            match result {
                Ok(Ok(summary)) => {
                    let metrics: Map<String, Value> = summary
                        .outcome
                        .metrics
                        .iter()
                        .map(|(n, v)| (n.clone(), json!(v)))
                        .collect();
                    done["metrics"] = Value::Object(metrics);
                    let mut files = summary.outcome.files.clone();
                    files.push(summary.json_path.clone());
                    done["files"] = json!(files);
                    done["summary"] = json!(summary.json_path);
                }
                Ok(Err(e)) => done["error"] = json!(e.to_string()),
                Err(panic) => {
                    done["error"] = json!(format!("the lesson stopped: {}", panic_text(&*panic)))
                }
            }
            // Under the trainer's lock, so that no new run begins between the two.
            let mut current = shared.lock().expect("the trainer's lock");
            live.hub.publish("done", &done);
            if let Some(r) = current.as_mut() {
                r.finished = true;
            }
        });
        *current = Some(Running {
            lesson: lesson.number,
            stop,
            epochs,
            finished: false,
            thread: Some(thread),
        });
        Ok(json(202, &start))
    }

    /// `POST /api/train/stop`: asks the run to stop (it does at its next step).
    pub fn stop(&self) -> Result<Reply, Problem> {
        let current = self.current.lock().expect("the trainer's lock");
        match current.as_ref().filter(|r| !r.finished) {
            Some(r) => {
                r.stop.store(true, Ordering::Relaxed);
                Ok(json(202, &json!({"stopping": r.lesson})))
            }
            None => Err(Problem::new(
                409,
                "no training run is going; start one first",
            )),
        }
    }

    /// `GET /api/train`: whether a run is going, which, and how far it is.
    pub fn status(&self) -> Result<Reply, Problem> {
        let current = self.current.lock().expect("the trainer's lock");
        let body = match current.as_ref() {
            Some(r) => {
                json!({"running": !r.finished, "lesson": r.lesson, "epochs": r.epochs.load(Ordering::Relaxed)})
            }
            None => json!({"running": false}),
        };
        Ok(json(200, &body))
    }

    /// The server stops: the run is asked to stop, and waited for.
    pub fn shut_down(&self) {
        let thread = {
            let mut current = self.current.lock().expect("the trainer's lock");
            current.as_mut().and_then(|r| {
                r.stop.store(true, Ordering::Relaxed);
                r.thread.take()
            })
        };
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// The first of `run-001`, `run-002`, … not yet in `folder`: each studio run keeps its own
/// pictures, `history.json` and `summary.json`, so that runs can be compared.
fn next_run_folder(folder: &Path) -> PathBuf {
    (1..)
        .map(|n| folder.join(format!("run-{n:03}")))
        .find(|p| !p.exists())
        .expect("a free run number")
}

/// The message of a panic's payload.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a panic".into())
}
