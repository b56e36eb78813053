//! The server's threads: one takes each request from `tiny_http` and hands it to a small
//! pool of workers (the live stream gets a thread of its own), and [`Studio::stop`] ends
//! them all — the training run asked to stop and waited for, the streams closed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tiny_http::Server;

use crate::digits::Digits;
use crate::events::{self, Hub};
use crate::guard::Guard;
use crate::playground::Playground;
use crate::routes::{self, App};
use crate::training::Trainer;

/// How to start the studio.
#[derive(Clone, Debug)]
pub struct Config {
    /// The address to listen on: `127.0.0.1` unless the learner says otherwise.
    pub host: String,
    /// The port; 0 lets the system pick a free one (the tests do).
    pub port: u16,
    /// The data root handed to the lessons (see `data::data_root`).
    pub data_root: PathBuf,
    /// Where studio runs write their pictures: `target/studio/`.
    pub out_dir: PathBuf,
    /// The model files to try (lessons 6 to 9's), preferred first.
    pub models: Vec<PathBuf>,
    /// Threads answering requests.
    pub workers: usize,
}

impl Config {
    /// The defaults for the workspace at `root`: 127.0.0.1:8000, runs under
    /// `target/studio/`, the models of lessons 7, 6, 9 and 8 (each that exists).
    pub fn new(root: &Path, data_root: PathBuf) -> Config {
        Config {
            host: "127.0.0.1".into(),
            port: 8000,
            data_root,
            out_dir: root.join("target/studio"),
            models: models::registry::saved_models(&root.join("target/lessons")),
            workers: 8,
        }
    }
}

/// The studio could not listen where it was told.
#[derive(Debug)]
pub struct StartError {
    /// `host:port`.
    pub address: String,
    /// What the network layer said.
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot listen on {}: {}", self.address, self.source)
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A running studio.
pub struct Studio {
    url: String,
    server: Arc<Server>,
    app: Arc<App>,
    threads: Vec<JoinHandle<()>>,
    streams: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

/// Starts the studio as `config` says; it serves until [`Studio::stop`].
pub fn start(config: Config) -> Result<Studio, StartError> {
    let address = format!("{}:{}", config.host, config.port);
    let server = Server::http(&address).map_err(|source| StartError {
        address: address.clone(),
        source,
    })?;
    let bound = server
        .server_addr()
        .to_ip()
        .expect("an IP listener has an IP address");
    let url = format!("http://{bound}/");
    let hub = Arc::new(Hub::default());
    let app = Arc::new(App {
        guard: Guard::new(&config.host, bound.port()),
        hub: hub.clone(),
        trainer: Trainer::new(hub, config.data_root.clone(), config.out_dir.clone()),
        digits: Digits::start(config.models.clone()),
        playground: Playground::start(),
    });
    let server = Arc::new(server);
    let (sender, receiver) = mpsc::channel::<tiny_http::Request>();
    let receiver = Arc::new(Mutex::new(receiver));
    let mut threads: Vec<JoinHandle<()>> = (0..config.workers.max(1))
        .map(|_| {
            let (app, receiver) = (app.clone(), receiver.clone());
            std::thread::spawn(move || {
                loop {
                    let next = receiver.lock().expect("the queue's lock").recv();
                    match next {
                        Ok(request) => routes::handle(&app, request),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    let streams = Arc::new(Mutex::new(Vec::new()));
    let (accept_server, accept_app, accept_streams) =
        (server.clone(), app.clone(), streams.clone());
    threads.push(std::thread::spawn(move || {
        for request in accept_server.incoming_requests() {
            if routes::is_stream(&request) {
                if let Err(refused) = accept_app.guard.check(&request) {
                    let _ = request.respond(refused.reply());
                    continue;
                }
                let app = accept_app.clone();
                let stream = std::thread::spawn(move || events::serve(&app.hub, request));
                let mut streams = accept_streams.lock().expect("the streams' lock");
                streams.retain(|s: &JoinHandle<()>| !s.is_finished());
                streams.push(stream);
            } else if sender.send(request).is_err() {
                return;
            }
        }
    }));
    Ok(Studio {
        url,
        server,
        app,
        threads,
        streams,
    })
}

impl Studio {
    /// The address to open, `http://127.0.0.1:8000/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops serving: the training run is asked to stop and waited for, every stream is
    /// closed, and every thread has ended when this returns.
    pub fn stop(self) {
        self.app.trainer.shut_down();
        self.app.hub.close();
        self.server.unblock();
        for thread in self.threads {
            let _ = thread.join();
        }
        self.app.digits.shut_down();
        self.app.playground.shut_down();
        let streams = std::mem::take(&mut *self.streams.lock().expect("the streams' lock"));
        for stream in streams {
            let _ = stream.join();
        }
    }
}
