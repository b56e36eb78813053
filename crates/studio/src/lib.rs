//! # studio — the course's interactive pages, in the browser
//!
//! `cargo xtask studio` calls [`start`]: a small web server, on 127.0.0.1 unless told
//! otherwise, with three pages — the notebooks' sliders, their live curves, and the digit a
//! learner draws:
//!
//! | page | what it shows | computed by |
//! | --- | --- | --- |
//! | `/activations` | `f(w·x + b)` over `x ∈ [−10, 10]` and its derivative, for sliders `w ∈ [−5, 5]`, `b ∈ [−7, 7]` | `layers`' activations, `autograd`'s `backward` |
//! | `/train` | lesson 1, 2 or 4 with its recipe fields, its curves epoch by epoch, XOR's decision regions as it learns, a stop button | the lesson itself, through [`models::fit::Watch`] |
//! | `/digits` | a canvas and an upload; the 28×28 image the model sees and its ten probabilities | the model lesson 7 (or 6) saved, [`models::own_images::classify_bytes`] |
//!
//! Every number on a page comes from these crates through the server; the pages — plain
//! HTML, CSS and JavaScript in `assets/`, embedded in the binary with `include_str!`, no
//! build step, no CDN — only draw.
//!
//! The API the pages use:
//!
//! ```text
//! GET  /api/activations                      the functions the explorer offers
//! GET  /api/activation?name=&w=&b=[&slope=]  x, f(w·x + b) and d/dx of it
//! GET  /api/lessons                          lessons 1, 2, 4 and their recipe fields
//! POST /api/train  {"lesson", "recipe", "seed"}   start a run (409 while one runs)
//! GET  /api/train                            whether a run is going
//! GET  /api/train/events                     server-sent events: start, epoch, regions, done
//! POST /api/train/stop                       ask the run to stop
//! GET  /api/digits/model                     which saved model predicts, or which lesson to run
//! POST /api/digits/predict   (image bytes, ≤ 5 MB)   the prediction and the image seen
//! ```
//!
//! Bad requests get a 4xx status and a JSON `{"error": "…"}` saying what was wrong; the
//! server keeps serving.
//!
//! The modules, each using only those before it: `http` (replies, bodies, queries),
//! `assets` (the pages), `activation` (the explorer's curves), `recipes` (the trainable
//! lessons and their fields), `events` (the live stream), `training` (one run at a time),
//! `digits` (the saved model), `routes` (which request goes where), then `server` (threads,
//! start and stop).

mod activation;
mod assets;
mod digits;
mod events;
mod guard;
mod http;
mod recipes;
mod routes;
mod server;
mod training;

pub use digits::UPLOAD_LIMIT;
pub use server::{Config, StartError, Studio, start};
