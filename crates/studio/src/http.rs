//! The small pieces of HTTP every handler needs: a reply (JSON, a page, an error), the
//! request's body read up to a limit, and the URL split into a checked path and a query.
//!
//! A handler returns `Result<Reply, Problem>`: a [`Problem`] is a status and a message,
//! sent as `{"error": message}`, so every refusal says what was wrong.

use std::io::{Cursor, Read};

use serde_json::{Value, json};
use tiny_http::{Header, Request, Response};

/// A whole response, its body in memory.
pub(crate) type Reply = Response<Cursor<Vec<u8>>>;

/// A request refused: the status (4xx, or 503 when the server lacks something) and why.
#[derive(Debug)]
pub(crate) struct Problem {
    /// The HTTP status.
    pub status: u16,
    /// What was wrong, for the person at the page.
    pub message: String,
}

impl Problem {
    /// A refusal with `status` and `message`.
    pub fn new(status: u16, message: impl Into<String>) -> Problem {
        Problem {
            status,
            message: message.into(),
        }
    }

    /// 400 Bad Request.
    pub fn bad(message: impl Into<String>) -> Problem {
        Problem::new(400, message)
    }

    /// The reply: the status and `{"error": message}`.
    pub fn reply(&self) -> Reply {
        json(self.status, &json!({ "error": self.message }))
    }
}

/// A header from two ASCII strings.
pub(crate) fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("an ASCII header")
}

/// A body of `content_type` with `status`, sent whole with its `Content-Length` (never
/// in chunks: it is all in memory already).
pub(crate) fn content(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    Response::from_data(body)
        .with_chunked_threshold(usize::MAX)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
}

/// A JSON body with `status`.
pub(crate) fn json(status: u16, value: &Value) -> Reply {
    content(status, "application/json", value.to_string().into_bytes())
}

/// The request's body, refused with 413 if it is longer than `limit` bytes (declared or
/// actual).
pub(crate) fn body(request: &mut Request, limit: usize) -> Result<Vec<u8>, Problem> {
    let too_long = || {
        Problem::new(
            413,
            format!(
                "the body is larger than the limit of {limit} bytes ({} MB)",
                limit / (1024 * 1024)
            ),
        )
    };
    if request.body_length().is_some_and(|n| n > limit) {
        return Err(too_long());
    }
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::bad(format!("could not read the body: {e}")))?;
    if bytes.len() > limit {
        return Err(too_long());
    }
    Ok(bytes)
}

/// The request's body as a JSON object (at most `limit` bytes).
pub(crate) fn json_body(request: &mut Request, limit: usize) -> Result<Value, Problem> {
    let bytes = body(request, limit)?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Problem::bad(format!("the body is not JSON: {e}")))?;
    if !value.is_object() {
        return Err(Problem::bad("the body must be a JSON object"));
    }
    Ok(value)
}

/// A URL's path (percent-decoded, checked) and its query's `(name, value)` pairs.
#[derive(Debug, PartialEq)]
pub(crate) struct Target {
    /// `/api/activation`.
    pub path: String,
    /// `[("w", "1.5"), …]`, decoded.
    pub query: Vec<(String, String)>,
}

impl Target {
    /// The query's value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query's `name` as a number in `[lo, hi]`, or `default` if absent.
    pub fn number(&self, name: &str, (lo, hi): (f32, f32), default: f32) -> Result<f32, Problem> {
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        text.parse::<f32>()
            .ok()
            .filter(|v| (lo..=hi).contains(v))
            .ok_or_else(|| {
                Problem::bad(format!(
                    "{name} must be a number in [{lo}, {hi}], got {text:?}"
                ))
            })
    }
}

impl Target {
    /// The query's `name` as a whole number ≥ 0, if given.
    pub fn whole(&self, name: &str) -> Result<Option<usize>, Problem> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        text.parse::<usize>()
            .map(Some)
            .map_err(|_| Problem::bad(format!("{name} must be a whole number ≥ 0, got {text:?}")))
    }
}

/// Splits `url` into its path and query; a path with a `..` segment (written plainly or
/// percent-encoded) or that is not UTF-8 is refused with 400.
pub(crate) fn target(url: &str) -> Result<Target, Problem> {
    let (raw_path, raw_query) = url.split_once('?').unwrap_or((url, ""));
    let path = decode(raw_path).ok_or_else(|| Problem::bad("the path is not valid UTF-8"))?;
    if path.split(['/', '\\']).any(|segment| segment == "..") {
        return Err(Problem::bad(format!(
            "the path {path:?} climbs out with `..`; ask for a page by its name"
        )));
    }
    let query = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            let plus = |s: &str| s.replace('+', " ");
            match (decode(&plus(n)), decode(&plus(v))) {
                (Some(n), Some(v)) => Ok((n, v)),
                _ => Err(Problem::bad("the query is not valid UTF-8")),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(Target { path, query })
}

/// Percent-decoding (`%2e` → `.`); `None` if the bytes are not UTF-8. A `%` not followed
/// by two hex digits is kept as it is.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_and_climbing_out_is_refused() {
        let t = target("/api/activation?name=leaky_relu&w=1.5&b=-2").unwrap();
        assert_eq!(t.path, "/api/activation");
        assert_eq!(t.get("name"), Some("leaky_relu"));
        assert_eq!(t.number("w", (-5.0, 5.0), 1.0).unwrap(), 1.5);
        assert_eq!(t.number("slope", (0.0, 1.0), 0.25).unwrap(), 0.25);
        assert!(t.number("b", (0.0, 1.0), 0.0).is_err());
        assert_eq!(target("/static/a%20b.js").unwrap().path, "/static/a b.js");
        for bad in [
            "/static/../Cargo.toml",
            "/%2e%2e/etc",
            "/static/%2E%2E",
            "/a/..\\b",
        ] {
            assert_eq!(target(bad).unwrap_err().status, 400, "{bad}");
        }
        assert!(target("/%ff").is_err());
    }
}
