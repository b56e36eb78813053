//! The live stream of a training run: server-sent events, `text/event-stream`.
//!
//! ```text
//! event: epoch
//! data: {"run": "H = 2", "epoch": 7, "metrics": {"train_loss": 0.61, …}, "seconds": 0.001}
//! ```
//!
//! The [`Hub`] keeps the events of the current run and every open stream. A page that
//! connects (or reconnects) mid-run is sent the run so far first — its `start`, every
//! `epoch`, and the latest `regions` — then each event as it happens. Each stream has its
//! own thread, which writes to the connection itself and flushes every event; a page that
//! goes away ends its thread at the next write.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tiny_http::Request;

use crate::http::Problem;

/// At most this many pages follow the training at once; more get 503.
pub(crate) const MAX_STREAMS: usize = 32;

/// A comment line is sent when nothing else was for this long, so that a page that went
/// away is noticed.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// The events of the current run, and the streams that follow it.
#[derive(Default)]
pub(crate) struct Hub {
    state: Mutex<State>,
}

/// The hub's state, behind its lock.
#[derive(Default)]
struct State {
    /// Every event of the current run except `regions`, as sent.
    log: Vec<Arc<str>>,
    /// The latest `regions` event: a page needs only the last picture.
    regions: Option<Arc<str>>,
    /// One sender per open stream.
    streams: Vec<Sender<Arc<str>>>,
    /// Set when the server stops: no new streams.
    closed: bool,
}

impl Hub {
    /// A new run begins: forget the last one's events.
    pub fn begin(&self) {
        let mut state = self.state.lock().expect("the hub's lock");
        state.log.clear();
        state.regions = None;
    }

    /// Sends event `name` with `data` to every stream, and keeps it for late-comers.
    pub fn publish(&self, name: &str, data: &Value) {
        let frame: Arc<str> = format!("event: {name}\ndata: {data}\n\n").into();
        let mut state = self.state.lock().expect("the hub's lock");
        if name == "regions" {
            state.regions = Some(frame.clone());
        } else {
            state.log.push(frame.clone());
        }
        state.streams.retain(|s| s.send(frame.clone()).is_ok());
    }

    /// A new stream: the run so far is already in its channel.
    fn subscribe(&self) -> Result<Receiver<Arc<str>>, Problem> {
        let mut state = self.state.lock().expect("the hub's lock");
        if state.closed {
            return Err(Problem::new(503, "the studio is stopping"));
        }
        if state.streams.len() >= MAX_STREAMS {
            return Err(Problem::new(
                503,
                format!("{MAX_STREAMS} pages already follow the training; close one"),
            ));
        }
        let (sender, receiver) = mpsc::channel();
        let past = state.log.iter().chain(state.regions.as_ref());
        for frame in past {
            sender.send(frame.clone()).expect("the receiver is here");
        }
        state.streams.push(sender);
        Ok(receiver)
    }

    /// The server stops: every stream ends.
    pub fn close(&self) {
        let mut state = self.state.lock().expect("the hub's lock");
        state.closed = true;
        state.streams.clear();
    }
}

/// Answers `GET /api/train/events`: the stream's head, then the events until the page goes
/// away or the server stops.
pub(crate) fn serve(hub: &Hub, request: Request) {
    let receiver = match hub.subscribe() {
        Ok(r) => r,
        Err(problem) => {
            let _ = request.respond(problem.reply());
            return;
        }
    };
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\nretry: 1000\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let frame = match receiver.recv_timeout(HEARTBEAT) {
            Ok(frame) => frame,
            Err(RecvTimeoutError::Timeout) => ": still here\n\n".into(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(frame.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
}
