//! The playground: a small network learning two classes in the plane, as TensorFlow
//! Playground shows one — trained here by the course's crates, drawn by the page.
//!
//! The page asks for its set-up at an epoch: `POST /api/playground/epoch` with
//! `{"setup": "data=xor&hidden=4,2&…", "epoch": 12, "since": 11}`, and draws the answer —
//! the decision region, each neuron's output over the plane, the weights, the losses from
//! epoch `since` on. Running is asking for the next epoch when the last answer is drawn;
//! pausing is not asking; a step is one more epoch; reset is epoch 0 again.
//!
//! Why asking rather than a stream: the answer for a set-up at an epoch is the same
//! whoever asks and whenever (every random number comes from the set-up's seed, see
//! [`session`]), so the page's address alone reproduces a run in another tab, the server
//! keeps no per-page state to clean up, and it never trains faster than the page draws.
//! The server keeps the last few runs ([`KEEP`]) and continues the one furthest along
//! that is not past the epoch asked for; an answer trains at most [`MAX_STEPS`] steps, so
//! a far epoch is reached over several answers, each saying where it got.

mod session;
mod setup;

use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use serde_json::Value;

use crate::http::{Problem, Reply, json};
use session::Session;
use setup::Setup;
pub(crate) use setup::options;

/// Runs kept, the most recently used last.
pub(crate) const KEEP: usize = 8;
/// The most optimizer steps one answer trains (at least one epoch is always trained).
pub(crate) const MAX_STEPS: usize = 4000;
/// The last epoch the playground trains to.
pub(crate) const MAX_EPOCH: usize = 100_000;

/// A request for a set-up at an epoch.
struct Job {
    setup: Setup,
    epoch: usize,
    since: usize,
    reply: Sender<Value>,
}

/// The playground's thread (networks are not shared between threads) and the way to it.
pub(crate) struct Playground {
    jobs: Mutex<Option<Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Playground {
    /// Starts the playground's thread.
    pub fn start() -> Playground {
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::spawn(move || serve(&receiver));
        Playground {
            jobs: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
        }
    }

    /// `POST /api/playground/epoch`: `{"setup": query, "epoch": E, "since": S}`.
    pub fn epoch(&self, body: &Value) -> Result<Reply, Problem> {
        let setup = match body.get("setup") {
            None | Some(Value::Null) => Setup::default(),
            Some(Value::String(query)) => Setup::parse(query)?,
            Some(other) => {
                return Err(Problem::bad(format!(
                    "setup must be the page's query string, got {other}"
                )));
            }
        };
        let whole = |name: &str| -> Result<usize, Problem> {
            match body.get(name) {
                None | Some(Value::Null) => Ok(0),
                Some(v) => v
                    .as_u64()
                    .map(|n| n as usize)
                    .filter(|&n| n <= MAX_EPOCH)
                    .ok_or_else(|| {
                        Problem::bad(format!(
                            "{name} must be a whole number from 0 to {MAX_EPOCH}, got {v}"
                        ))
                    }),
            }
        };
        let (epoch, since) = (whole("epoch")?, whole("since")?);
        let (reply, answer) = mpsc::channel();
        let job = Job {
            setup,
            epoch,
            since,
            reply,
        };
        let sent = self
            .jobs
            .lock()
            .expect("the playground's lock")
            .as_ref()
            .is_some_and(|s| s.send(job).is_ok());
        let stopping = || Problem::new(503, "the studio is stopping");
        if !sent {
            return Err(stopping());
        }
        Ok(json(200, &answer.recv().map_err(|_| stopping())?))
    }

    /// Ends the playground's thread.
    pub fn shut_down(&self) {
        self.jobs.lock().expect("the playground's lock").take();
        if let Some(thread) = self.thread.lock().expect("the playground's lock").take() {
            let _ = thread.join();
        }
    }
}

/// The playground's thread: answers each request from the run furthest along that is not
/// past it, or a fresh one.
fn serve(jobs: &Receiver<Job>) {
    let mut runs: Vec<Session> = Vec::new();
    for job in jobs {
        let best = runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.setup == job.setup && r.epoch <= job.epoch)
            .max_by_key(|(_, r)| r.epoch)
            .map(|(i, _)| i);
        let mut run = match best {
            Some(i) => runs.remove(i),
            None => Session::new(job.setup),
        };
        let mut steps = 0;
        while run.epoch < job.epoch && steps < MAX_STEPS {
            steps += run.train_epoch();
        }
        let mut answer = run.picture(job.since);
        answer["asked"] = job.epoch.into();
        let _ = job.reply.send(answer);
        runs.push(run);
        if runs.len() > KEEP {
            runs.remove(0);
        }
    }
}
