//! The pages, embedded in the binary: plain HTML, CSS and JavaScript from `assets/`, no
//! build step and nothing fetched from elsewhere, so the studio works offline.
//!
//! The scripts draw what the API returns; `chart.js` is the charting script, our own: line
//! charts, a heat map and bars on a `<canvas>`; `maps.js` draws the inside view's panels
//! (feature maps, strips, class bars) and their colour scales; `pad.js` is the drawing pad.

use crate::http::{Reply, content};

/// One embedded file and the path it is served at.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const HTML: &str = "text/html; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// One entry of [`ASSETS`].
const fn asset(path: &'static str, content_type: &'static str, body: &'static str) -> Asset {
    Asset {
        path,
        content_type,
        body,
    }
}

/// Every file the pages are made of.
const ASSETS: [Asset; 15] = [
    asset("/", HTML, include_str!("../assets/index.html")),
    asset(
        "/activations",
        HTML,
        include_str!("../assets/activations.html"),
    ),
    asset("/train", HTML, include_str!("../assets/train.html")),
    asset("/digits", HTML, include_str!("../assets/digits.html")),
    asset("/inside", HTML, include_str!("../assets/inside.html")),
    asset(
        "/playground",
        HTML,
        include_str!("../assets/playground.html"),
    ),
    asset(
        "/static/style.css",
        CSS,
        include_str!("../assets/style.css"),
    ),
    asset("/static/chart.js", JS, include_str!("../assets/chart.js")),
    asset(
        "/static/activations.js",
        JS,
        include_str!("../assets/activations.js"),
    ),
    asset("/static/train.js", JS, include_str!("../assets/train.js")),
    asset("/static/digits.js", JS, include_str!("../assets/digits.js")),
    asset("/static/pad.js", JS, include_str!("../assets/pad.js")),
    asset("/static/maps.js", JS, include_str!("../assets/maps.js")),
    asset("/static/inside.js", JS, include_str!("../assets/inside.js")),
    asset(
        "/static/playground.js",
        JS,
        include_str!("../assets/playground.js"),
    ),
];

/// The page or script at `path`, if there is one.
pub(crate) fn page(path: &str) -> Option<Reply> {
    let path = path.strip_suffix(".html").unwrap_or(path);
    ASSETS
        .iter()
        .find(|a| a.path == path)
        .map(|a| content(200, a.content_type, a.body.as_bytes().to_vec()))
}
