//! A small driver of headless Chromium through the DevTools protocol: start the browser,
//! attach to its page over a websocket, and send it commands — go to a page, evaluate a
//! script, press, move and release the mouse as a person would, take a screenshot.
//!
//! Only what the browser test needs; each command is a JSON message `{id, method, params}`
//! whose answer carries the same `id` (events in between are skipped).

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// Where Debian, Ubuntu and Google put the browser.
const CANDIDATES: [&str; 3] = [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];

/// The browser found on this machine, if any.
pub fn find() -> Option<PathBuf> {
    CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// A headless Chromium and the websocket to its one page, 1280×900.
pub struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    watching: bool,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    /// Starts `binary` headless, with a fresh profile, its page 1280×900.
    pub fn launch(binary: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--window-size=1280,860",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        // A browser that started but cannot be reached must not outlive the test.
        let connected =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| connect(&mut child)));
        let socket = match connected {
            Ok(socket) => socket,
            Err(panic) => {
                let _ = child.kill();
                let _ = child.wait();
                std::panic::resume_unwind(panic)
            }
        };
        let mut browser = Browser {
            child,
            socket,
            next_id: 0,
            watching: false,
            _profile: profile,
        };
        let size = json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false});
        browser.call("Emulation.setDeviceMetricsOverride", size);
        browser
    }

    /// Sends `method` with `params` and returns its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"id": id, "method": method, "params": params});
        self.socket
            .send(Message::text(message.to_string()))
            .expect("send to DevTools");
        loop {
            let reply = self.socket.read().expect("read from DevTools");
            let Ok(text) = reply.to_text() else { continue };
            let value: Value = serde_json::from_str(text).expect("DevTools sends JSON");
            if value["id"] == id {
                if let Some(error) = value.get("error") {
                    panic!("{method}: {error}");
                }
                return value["result"].clone();
            }
        }
    }

    /// The value of the script `expression` (awaited if it is a promise).
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(e) = result.get("exceptionDetails") {
            panic!("{expression}: {e}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true, for at most `seconds`.
    pub fn wait_for(&mut self, expression: &str, seconds: u64) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(seconds) {
            if self.eval(expression) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(40));
        }
        let errors = self.eval(
            "JSON.stringify({errors: window.pageErrors || [], status: \
             [...document.querySelectorAll('.status')].map(s => s.textContent)})",
        );
        panic!("not true within {seconds} s: {expression}\nthe page: {errors}");
    }

    /// Goes to `url` and waits until `ready` is true there. The page's uncaught errors are
    /// kept in `window.pageErrors`, for the message of a wait that fails.
    pub fn open(&mut self, url: &str, ready: &str) {
        if !self.watching {
            self.call("Page.enable", json!({}));
            let keep = "window.pageErrors = []; \
                        addEventListener('error', e => pageErrors.push(e.message)); \
                        addEventListener('unhandledrejection', e => pageErrors.push(String(e.reason)));";
            self.call(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({"source": keep}),
            );
            self.watching = true;
        }
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for(
            &format!("document.readyState === 'complete' && ({ready})"),
            20,
        );
    }

    /// The centre and size of the element `selector`, as `(x, y, width, height)`, after
    /// scrolling it into view if it was not.
    pub fn rect(&mut self, selector: &str) -> (f64, f64, f64, f64) {
        let r = self.eval(&format!(
            "(() => {{ const e = document.querySelector('{selector}'); e.scrollIntoViewIfNeeded(); \
             const r = e.getBoundingClientRect(); \
             return [r.x + r.width / 2, r.y + r.height / 2, r.width, r.height]; }})()"
        ));
        let n = |i: usize| r[i].as_f64().expect("a number");
        (n(0), n(1), n(2), n(3))
    }

    /// One mouse event at `(x, y)`: `mousePressed`, `mouseMoved` or `mouseReleased`, with
    /// the left button held for the first two.
    fn mouse(&mut self, kind: &str, (x, y): (f64, f64)) {
        let held = if kind == "mouseReleased" { 0 } else { 1 };
        self.call(
            "Input.dispatchMouseEvent",
            json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": held, "clickCount": 1}),
        );
    }

    /// Presses at the first point, moves through the others in small steps, releases at the last.
    pub fn drag(&mut self, points: &[(f64, f64)]) {
        self.mouse("mousePressed", points[0]);
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            for k in 1..=12 {
                let t = k as f64 / 12.0;
                self.mouse("mouseMoved", (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t));
            }
        }
        self.mouse("mouseReleased", *points.last().expect("a point"));
    }

    /// A click at the centre of `selector`.
    pub fn click(&mut self, selector: &str) {
        let (x, y, _, _) = self.rect(selector);
        self.drag(&[(x, y)]);
    }

    /// Saves a PNG of the page to `path` (through the workspace's atomic writer).
    pub fn screenshot(&mut self, path: &Path) {
        self.screenshot_of(path, None);
    }

    /// Saves a PNG of the part of the page from the top of `selector` to the bottom of
    /// the window, the whole width (a smaller picture for the docs).
    pub fn screenshot_from(&mut self, path: &Path, selector: &str) {
        let top = self.eval(&format!(
            "document.querySelector('{selector}').getBoundingClientRect().top"
        ));
        let top = top.as_f64().expect("a number").max(0.0);
        let clip = json!({"x": 0, "y": top, "width": 1280, "height": 900.0 - top, "scale": 1});
        self.screenshot_of(path, Some(clip));
    }

    /// A screenshot of the window, or of `clip` within it.
    fn screenshot_of(&mut self, path: &Path, clip: Option<Value>) {
        let mut params = json!({"format": "png"});
        if let Some(clip) = clip {
            params["clip"] = clip;
        }
        let shot = self.call("Page.captureScreenshot", params);
        let png = base64_decode(shot["data"].as_str().expect("base64 data"));
        atomic_file::create_folder_for(path).expect("the screenshot folder");
        atomic_file::write(path, |f| std::io::Write::write_all(f, &png))
            .expect("write the screenshot");
    }
}

/// Reads the browser's DevTools address from its standard error and opens a websocket to
/// its page.
fn connect(child: &mut Child) -> WebSocket<TcpStream> {
    // The browser prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…".
    let stderr = child.stderr.take().expect("piped stderr");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("DevTools listening on ") {
                let _ = sender.send(url.to_string());
            }
        }
    });
    let browser_url = receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("Chromium printed no DevTools address within 30 s");
    let host = browser_url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .expect("host:port")
        .to_string();
    let page_url = page_socket(&host);
    let stream = TcpStream::connect(&host).expect("connect to DevTools");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let (socket, _) = tungstenite::client(page_url.as_str(), stream).expect("the websocket");
    socket
}

/// The websocket address of the browser's page, from `http://HOST/json/list`.
fn page_socket(host: &str) -> String {
    let started = Instant::now();
    loop {
        let list = super::common::send(host, "GET", "/json/list", b"").json();
        let page = list
            .as_array()
            .and_then(|targets| targets.iter().find(|t| t["type"] == "page"));
        if let Some(url) = page.and_then(|p| p["webSocketDebuggerUrl"].as_str()) {
            return url.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no page in {list}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Standard base64 (the screenshot's encoding) to bytes.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {:?}", c as char),
    };
    let digits: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .map(value)
        .collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n =
                chunk.iter().fold(0u32, |n, &d| (n << 6) | u32::from(d)) << (6 * (4 - chunk.len()));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(chunk.len().saturating_sub(1))
        })
        .collect()
}

#[test]
fn base64_decodes_what_it_should() {
    assert_eq!(base64_decode("TWFu"), b"Man");
    assert_eq!(base64_decode("TWE="), b"Ma");
    assert_eq!(base64_decode("TQ=="), b"M");
}
