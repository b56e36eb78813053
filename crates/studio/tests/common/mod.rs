//! What the studio's tests share: a studio on a free port of 127.0.0.1 with freshly
//! initialised models (no training needed to test the endpoints), and a plain HTTP
//! client over a `TcpStream`, so that a test can send exactly the bytes it means —
//! a `..` in a path, a malformed body, a declared length over the limit.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use models::digit_model::{self, Network};
use rand::{SeedableRng, rngs::StdRng};
use serde_json::Value;

/// A running studio and the folder its model and runs live in.
pub struct Fixture {
    /// The studio (taken by a test that stops it itself).
    pub studio: Option<studio::Studio>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The model file it predicts with (the first of `models`).
    pub model: PathBuf,
    /// Every model file it was given, in order.
    pub models: Vec<PathBuf>,
    /// Holds the model and `out/`; removed when the fixture is dropped.
    pub dir: tempfile::TempDir,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(s) = self.studio.take() {
            s.stop();
        }
    }
}

/// Starts a studio on a free port; with `with_model`, a freshly initialised lesson-6
/// network saved as its model.
pub fn studio(with_model: bool) -> Fixture {
    let networks: &[Network] = if with_model {
        &[Network::FirstCnn]
    } else {
        &[]
    };
    studio_with(networks, 1)
}

/// Starts a studio on a free port with `slots` model files, the first `networks.len()` of
/// them freshly initialised networks of those kinds (the others missing): the studio's
/// models 0, 1, …
pub fn studio_with(networks: &[Network], slots: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let paths: Vec<PathBuf> = (0..slots.max(networks.len()))
        .map(|i| match i {
            0 => dir.path().join("model.safetensors"),
            _ => dir.path().join(format!("model-{i}.safetensors")),
        })
        .collect();
    for (i, network) in networks.iter().enumerate() {
        let model = network.build(&mut StdRng::seed_from_u64(7 + i as u64));
        digit_model::save(&model, network.clone(), &paths[i]).expect("save the model");
    }
    let model = paths[0].clone();
    let mut config = studio::Config::new(dir.path(), data::data_root(None));
    config.port = 0;
    config.out_dir = dir.path().join("out");
    config.models = paths.clone();
    let s = studio::start(config).expect("the studio starts");
    let addr = s
        .url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    Fixture {
        studio: Some(s),
        addr,
        model,
        models: paths,
        dir,
    }
}

/// A response: status, head and body.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `error` message of a refusal.
    pub fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message in {}", self.text()))
            .to_string()
    }
}

/// Sends one request (`Connection: close`) and reads the whole response.
pub fn send(addr: &str, method: &str, path: &str, body: &[u8]) -> Answer {
    send_raw(addr, method, path, &[], body)
}

/// [`send`] with extra header lines.
pub fn send_raw(addr: &str, method: &str, path: &str, headers: &[&str], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect to the studio");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    // The studio's own address unless the test names another.
    if !headers
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("host:"))
    {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // A refused upload may be answered before it is all sent; the answer still comes.
    let _ = stream.write_all(body);
    parse(&read_response(&mut stream))
}

/// Reads a response: its head, then as many bytes as its `Content-Length` says (Chromium's
/// DevTools server keeps the connection open), or up to the end without one.
fn read_response(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 64 * 1024];
    loop {
        let n = stream.read(&mut buffer).expect("read the response");
        raw.extend_from_slice(&buffer[..n]);
        let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            assert!(n > 0, "the connection closed inside the head");
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        match length {
            Some(len) if raw.len() >= split + 4 + len => return raw,
            _ if n == 0 => return raw,
            _ => {}
        }
    }
}

/// Splits a raw response into status, head and body.
fn parse(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    Answer {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

/// POSTs `value` as JSON.
pub fn post_json(addr: &str, path: &str, value: &Value) -> Answer {
    send_json(addr, path, value.to_string().as_bytes())
}

/// POSTs `body` declared as JSON (whether it is or not).
pub fn send_json(addr: &str, path: &str, body: &[u8]) -> Answer {
    send_raw(
        addr,
        "POST",
        path,
        &["Content-Type: application/json"],
        body,
    )
}

/// A follower of the live stream: events as `(name, data)`.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Opens `GET /api/train/events`.
    pub fn open(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect to the studio");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET /api/train/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        Events { reader }
    }

    /// The next event.
    pub fn next(&mut self) -> (String, Value) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("read the stream");
            assert!(n > 0, "the stream ended");
            let line = line.trim_end();
            if let Some(v) = line.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = line.strip_prefix("data: ") {
                data = v.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return (name, serde_json::from_str(&data).expect("JSON data"));
            }
        }
    }

    /// Reads until an event called `name` (within 20 s), returning those passed over too.
    pub fn until(&mut self, name: &str) -> (Value, Vec<(String, Value)>) {
        let started = Instant::now();
        let mut passed = Vec::new();
        while started.elapsed() < Duration::from_secs(20) {
            let (n, data) = self.next();
            if n == name {
                return (data, passed);
            }
            passed.push((n, data));
        }
        panic!("no {name} event within 20 s");
    }
}

/// The pictures the project ships for "your own images", as bytes.
pub fn shipped_images() -> Vec<(String, Vec<u8>)> {
    models::own_images::shipped()
        .expect("the shipped pictures")
        .into_iter()
        .map(|(p, _)| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read a shipped picture"))
        })
        .collect()
}
