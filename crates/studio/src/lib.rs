//! # studio — the course's interactive pages, in the browser
//!
//! `cargo xtask studio` calls [`start`]: a small web server, on 127.0.0.1 unless told
//! otherwise, with five pages — the notebooks' sliders, their live curves, the digit a
//! learner draws, what happens to it inside the network, and a playground:
//!
//! | page | what it shows | computed by |
//! | --- | --- | --- |
//! | `/activations` | `f(w·x + b)` over `x ∈ [−10, 10]` and its derivative, for sliders `w ∈ [−5, 5]`, `b ∈ [−7, 7]` | `layers`' activations, `autograd`'s `backward` |
//! | `/train` | lesson 1, 2 or 4 with its recipe fields, its curves epoch by epoch, XOR's decision regions as it learns, a stop button; each run's `history.json` and `summary.json` | the lesson itself, through [`models::fit::Watch`] and [`models::run_lesson_with`] |
//! | `/digits` | a canvas and an upload; the 28×28 image the model sees and its ten probabilities | the model lesson 7 (or 6, 9, 8) saved, [`models::own_images::classify_bytes`] |
//! | `/inside` | for the drawn digit, every layer of lesson 6's, 7's or 8's network: each convolution's maps, after batch normalisation, ReLU and pooling, a ResNet's blocks, the dense layers, logits, softmax; a map's filter and the sum behind one pixel; for lesson 9's transformer, the class token's attention over the patches per block and head, and the rollout; the gradient of a class's score over the pixels | the saved model, layer by layer, and `backward()` |
//! | `/playground` | two classes in the plane (XOR, circles, spirals, Gaussians), a network of 0–4 hidden layers built with buttons, trained live: the decision region, every neuron's output over the plane, the weights, the losses; the set-up in the address | [`data::plane`], `layers`, `optim`, trained on the server from the address's seed |
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
//! GET  /api/digits/model                     the saved models, or which lesson to run
//! POST /api/digits/predict[?model=]    (image bytes, ≤ 5 MB)   the prediction and the image seen
//! POST /api/digits/inside[?model=]     (image bytes)   every layer's output, the winner's saliency
//! POST /api/digits/explain?panel=&channel=&y=&x=[&model=]   (image bytes)   a map's pixel as a sum
//! POST /api/digits/saliency[?class=][&model=]   (image bytes)   ∂(a class's logit)/∂(the pixels)
//! GET  /api/playground/options               the playground's choices and default set-up
//! POST /api/playground/epoch  {"setup", "epoch", "since"}   the set-up trained to an epoch
//! ```
//!
//! Bad requests get a 4xx status and a JSON `{"error": "…"}` saying what was wrong; the
//! server keeps serving. It answers only its own pages (the `guard` module): requests
//! addressed to another host, state-changing requests from another site's page, and JSON
//! not declared as JSON are refused.
//!
//! The modules, each using only those before it: `http` (replies, bodies, queries),
//! `guard` (which requests are the studio's own), `numbers` (values rounded for the
//! browser), `assets` (the pages), `activation` (the explorer's curves), `recipes` (the
//! trainable lessons and their fields), `events` (the live stream), `training` (one run at
//! a time), `inside` (what a saved model shows of itself, the hook for a new kind of
//! model), `digits` (the saved models' thread), `playground` (its set-up, runs and
//! pictures), `routes` (which request goes where), then `server` (threads, start and
//! stop).

mod activation;
mod assets;
mod digits;
mod events;
mod guard;
mod http;
mod inside;
mod numbers;
mod playground;
mod recipes;
mod routes;
mod server;
mod training;

pub use digits::UPLOAD_LIMIT;
pub use server::{Config, StartError, Studio, start};
