//! Which request goes where: the API's endpoints, the stream, and the pages.

use tiny_http::{Method, Request};

use crate::digits::{Digits, Question, UPLOAD_LIMIT};
use crate::events::Hub;
use crate::guard::Guard;
use crate::http::{self, Problem, Reply};
use crate::inside::Pixel;
use crate::playground::{self, Playground};
use crate::training::Trainer;
use crate::{activation, assets, guard, recipes};

/// The largest JSON body accepted (a recipe is a few hundred bytes).
const JSON_LIMIT: usize = 64 * 1024;

/// The path of the live stream, which has a thread of its own.
pub(crate) const EVENTS: &str = "/api/train/events";

/// Everything a request may need.
pub(crate) struct App {
    /// Which requests are the studio's own.
    pub guard: Guard,
    /// The live stream's events.
    pub hub: std::sync::Arc<Hub>,
    /// The training run.
    pub trainer: Trainer,
    /// The saved models' thread.
    pub digits: Digits,
    /// The playground's thread.
    pub playground: Playground,
}

/// Every path the API answers, with the method it takes (for 405 rather than 404).
const ENDPOINTS: [(&str, &Method); 14] = [
    ("/api/activations", &Method::Get),
    ("/api/activation", &Method::Get),
    ("/api/lessons", &Method::Get),
    ("/api/train", &Method::Post),
    ("/api/train", &Method::Get),
    ("/api/train/stop", &Method::Post),
    (EVENTS, &Method::Get),
    ("/api/digits/model", &Method::Get),
    ("/api/digits/predict", &Method::Post),
    ("/api/digits/inside", &Method::Post),
    ("/api/digits/explain", &Method::Post),
    ("/api/digits/saliency", &Method::Post),
    ("/api/playground/options", &Method::Get),
    ("/api/playground/epoch", &Method::Post),
];

/// Whether `request` opens the live stream.
pub(crate) fn is_stream(request: &Request) -> bool {
    *request.method() == Method::Get && request.url().split('?').next() == Some(EVENTS)
}

/// Answers `request`; a refusal is sent as its status and message.
pub(crate) fn handle(app: &App, mut request: Request) {
    let reply = respond(app, &mut request).unwrap_or_else(|p| p.reply());
    // A page that went away before its answer is not the server's problem.
    let _ = request.respond(reply);
}

/// The reply to `request`.
fn respond(app: &App, request: &mut Request) -> Result<Reply, Problem> {
    app.guard.check(request)?;
    let target = http::target(request.url())?;
    let method = request.method().clone();
    match (&method, target.path.as_str()) {
        (Method::Get, "/api/activations") => activation::list(),
        (Method::Get, "/api/activation") => activation::curve(&target),
        (Method::Get, "/api/lessons") => Ok(http::json(200, &recipes::list())),
        (Method::Post, "/api/train") => app.trainer.start(&json_body(request)?),
        (Method::Get, "/api/train") => app.trainer.status(),
        (Method::Post, "/api/train/stop") => {
            json_body(request)?;
            app.trainer.stop()
        }
        (Method::Get, "/api/digits/model") => app.digits.info(),
        (Method::Get, "/api/playground/options") => Ok(http::json(200, &playground::options())),
        (Method::Post, "/api/playground/epoch") => app.playground.epoch(&json_body(request)?),
        (Method::Post, "/api/digits/predict") => {
            app.digits
                .ask(target.whole("model")?, upload(request)?, Question::Predict)
        }
        (Method::Post, "/api/digits/inside") => {
            app.digits
                .ask(target.whole("model")?, upload(request)?, Question::Inside)
        }
        (Method::Post, "/api/digits/explain") => {
            let need = |name: &str| {
                target.whole(name)?.ok_or_else(|| {
                    Problem::bad(format!(
                        "{name} is missing: explain needs panel, channel, y and x"
                    ))
                })
            };
            let at = Pixel {
                panel: need("panel")?,
                channel: need("channel")?,
                y: need("y")?,
                x: need("x")?,
            };
            app.digits.ask(
                target.whole("model")?,
                upload(request)?,
                Question::Explain(at),
            )
        }
        (Method::Post, "/api/digits/saliency") => {
            let class = target.whole("class")?;
            app.digits.ask(
                target.whole("model")?,
                upload(request)?,
                Question::Saliency(class),
            )
        }
        (method, path) => {
            if let (Method::Get | Method::Head, Some(page)) = (method, assets::page(path)) {
                return Ok(page);
            }
            let allowed: Vec<String> = ENDPOINTS
                .iter()
                .filter(|(p, _)| *p == path)
                .map(|(_, m)| m.to_string())
                .collect();
            if allowed.is_empty() {
                Err(not_found(path))
            } else {
                Err(Problem::new(
                    405,
                    format!("{path} takes {}, not {method}", allowed.join(" or ")),
                ))
            }
        }
    }
}

/// The body of a request that must be JSON (an empty body counts as `{}`).
fn json_body(request: &mut Request) -> Result<serde_json::Value, Problem> {
    guard::require_json(request)?;
    if request.body_length() == Some(0) {
        return Ok(serde_json::json!({}));
    }
    http::json_body(request, JSON_LIMIT)
}

/// The bytes of an uploaded image.
fn upload(request: &mut Request) -> Result<Vec<u8>, Problem> {
    guard::refuse_form(request)?;
    http::body(request, UPLOAD_LIMIT)
}

/// 404, naming the pages there are.
fn not_found(path: &str) -> Problem {
    Problem::new(
        404,
        format!(
            "nothing at {path}; the pages are /activations, /train, /digits, /inside and /playground"
        ),
    )
}
