//! The studio's API over 127.0.0.1, every endpoint, the bad requests included: each bad
//! one gets a 4xx and a message saying what was wrong, and the server keeps serving.

mod common;

use common::{Events, post_json, send, send_json, send_raw, shipped_images, studio};
use serde_json::json;

#[test]
fn pages_and_scripts_are_served_and_bad_paths_are_refused() {
    let f = studio(true);
    for (path, has) in [
        ("/", "gradschool studio"),
        ("/activations", "Activation explorer"),
        ("/train", "Live training"),
        ("/digits.html", "Draw a digit"),
    ] {
        let a = send(&f.addr, "GET", path, b"");
        assert_eq!(a.status, 200, "{path}");
        assert!(
            a.head.contains("text/html") && a.text().contains(has),
            "{path}"
        );
    }
    let script = send(&f.addr, "GET", "/static/chart.js", b"");
    assert_eq!(script.status, 200);
    assert!(
        script.head.contains("text/javascript") && script.text().contains("function lineChart")
    );
    // No page names anything outside the server: no CDN.
    for path in ["/", "/activations", "/train", "/digits"] {
        assert!(
            !send(&f.addr, "GET", path, b"").text().contains("http"),
            "{path}"
        );
    }

    let missing = send(&f.addr, "GET", "/nothing-here", b"");
    assert_eq!(missing.status, 404);
    assert!(
        missing.error().contains("/activations"),
        "{}",
        missing.error()
    );
    for climb in [
        "/static/../Cargo.toml",
        "/static/%2e%2e/%2e%2e/Cargo.toml",
        "/..%2fsrc",
    ] {
        let a = send(&f.addr, "GET", climb, b"");
        assert_eq!(a.status, 400, "{climb}");
        assert!(a.error().contains(".."), "{climb}: {}", a.error());
    }
    let wrong_method = send(&f.addr, "DELETE", "/api/train", b"");
    assert_eq!(wrong_method.status, 405);
    assert!(
        wrong_method.error().contains("POST or GET"),
        "{}",
        wrong_method.error()
    );
    assert_eq!(send(&f.addr, "GET", "/", b"").status, 200, "still serving");
}

#[test]
fn the_curve_and_its_derivative_come_from_backward() {
    let f = studio(false);
    let list = send(&f.addr, "GET", "/api/activations", b"").json();
    let names: Vec<&str> = list["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["sigmoid", "tanh", "relu", "leaky_relu", "prelu"]);
    assert_eq!(list["w"], json!([-5.0, 5.0]));
    assert_eq!(list["b"], json!([-7.0, 7.0]));

    let curve = |q: &str| send(&f.addr, "GET", &format!("/api/activation?{q}"), b"").json();
    let values = |v: &serde_json::Value, key: &str| -> Vec<f64> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    // a = σ(2x + 1); da/dx = 2·σ(2x + 1)·(1 − σ(2x + 1)).
    let c = curve("name=sigmoid&w=2&b=1");
    let (x, y, dy) = (values(&c, "x"), values(&c, "y"), values(&c, "dy"));
    assert_eq!((x.len(), x[0], x[400]), (401, -10.0, 10.0));
    for i in (0..401).step_by(25) {
        let s = 1.0 / (1.0 + (-(2.0 * x[i] + 1.0)).exp());
        assert!((y[i] - s).abs() < 1e-6, "σ at x = {}", x[i]);
        assert!(
            (dy[i] - 2.0 * s * (1.0 - s)).abs() < 1e-6,
            "dσ/dx at x = {}",
            x[i]
        );
    }
    // a = ReLU(−1.5x + 2): da/dx = −1.5 where −1.5x + 2 > 0 (x < 4/3), else 0.
    let c = curve("name=relu&w=-1.5&b=2");
    for (x, dy) in values(&c, "x").iter().zip(values(&c, "dy")) {
        let z = -1.5 * x + 2.0;
        if z.abs() > 1e-3 {
            assert_eq!(dy, if z > 0.0 { -1.5 } else { 0.0 }, "x = {x}");
        }
    }
    // Leaky ReLU with slope 0.1 at x = −10 (z = −10): a = −1, da/dx = 0.1.
    let c = curve("name=leaky_relu&slope=0.1");
    assert!((values(&c, "y")[0] + 1.0).abs() < 1e-6 && (values(&c, "dy")[0] - 0.1).abs() < 1e-6);
    // PReLU starts at α = 0.25: at x = −10, a = −2.5 and da/dx = 0.25.
    let c = curve("name=prelu");
    assert_eq!(
        (c["slope"].as_f64(), c["layer"].as_str()),
        (Some(0.25), Some("PReLU"))
    );
    assert!((values(&c, "y")[0] + 2.5).abs() < 1e-6 && (values(&c, "dy")[0] - 0.25).abs() < 1e-6);
    // tanh(w·x + b) with w = −5 (the slider's end): da/dx = −5·(1 − tanh²).
    let c = curve("name=tanh&w=-5&b=7");
    let t = (7.0f64).tanh();
    assert!((values(&c, "dy")[200] + 5.0 * (1.0 - t * t)).abs() < 1e-4);

    for (q, says) in [
        ("name=sigmoid&w=5.01", "w must be a number in [-5, 5]"),
        ("name=sigmoid&b=-7.5", "b must be a number in [-7, 7]"),
        ("name=sigmoid&w=abc", "got \"abc\""),
        ("name=sigmoid&w=NaN", "w must be"),
        (
            "name=swish",
            "choose one of sigmoid, tanh, relu, leaky_relu, prelu",
        ),
        ("name=prelu&slope=2", "slope must be"),
    ] {
        let a = send(&f.addr, "GET", &format!("/api/activation?{q}"), b"");
        assert_eq!(a.status, 400, "{q}");
        assert!(a.error().contains(says), "{q}: {}", a.error());
    }
}

#[test]
fn lessons_list_their_recipe_fields() {
    let f = studio(false);
    let list = send(&f.addr, "GET", "/api/lessons", b"").json();
    let lessons = list["lessons"].as_array().unwrap();
    let numbers: Vec<u64> = lessons
        .iter()
        .map(|l| l["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 4]);
    let xor = &lessons[0];
    let field = |name: &str| {
        xor["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(field("lr")["value"], json!(0.1));
    assert_eq!(field("hidden")["value"], json!("1,2,3"));
    assert_eq!(field("solved_seeds")["kind"], json!("count"));
    // A choice lists its names for a select box; a bool is a checkbox.
    let activation = field("activation");
    assert_eq!(
        (&activation["kind"], &activation["value"]),
        (&json!("choice"), &json!("sigmoid"))
    );
    assert_eq!(
        activation["choices"],
        json!(["sigmoid", "tanh", "relu", "leaky_relu"])
    );
    assert_eq!(xor["seed"], json!(42));
    let fields_of = |n: usize| lessons[n]["fields"].as_array().unwrap().clone();
    let regression = fields_of(1);
    let standardize = regression
        .iter()
        .find(|f| f["name"] == "standardize")
        .unwrap();
    assert_eq!(
        (&standardize["kind"], &standardize["value"]),
        (&json!("bool"), &json!(true))
    );
    let hidden = regression
        .iter()
        .find(|f| f["name"] == "activation")
        .unwrap();
    assert_eq!(hidden["value"], json!("prelu"));
    let optimizer = fields_of(2)
        .into_iter()
        .find(|f| f["name"] == "optimizer")
        .unwrap();
    assert_eq!(optimizer["value"], json!("rmsprop"));
    assert_eq!(optimizer["choices"], json!(["sgd", "rmsprop", "adam"]));
}

#[test]
fn a_run_streams_its_epochs_refuses_a_second_and_stops() {
    let f = studio(false);
    let mut events = Events::open(&f.addr);
    let long =
        json!({"lesson": 1, "recipe": {"epochs": 10000, "hidden": "2,3", "solved_seeds": 1}});
    let started = post_json(&f.addr, "/api/train", &long);
    assert_eq!(started.status, 202, "{}", started.text());
    let (start, _) = events.until("start");
    assert_eq!(start["recipe"]["hidden"], json!([2, 3]));

    let again = post_json(&f.addr, "/api/train", &json!({"lesson": 4}));
    assert_eq!(again.status, 409);
    assert!(
        again.error().contains("already training"),
        "{}",
        again.error()
    );

    // Epochs arrive in order, with the lesson's numbers, and XOR's regions with them.
    let mut epochs = Vec::new();
    let mut regions = 0;
    while epochs.len() < 20 {
        let (name, data) = events.next();
        match name.as_str() {
            "epoch" => {
                assert_eq!(data["run"], "H = 2");
                assert!(data["metrics"]["train_loss"].as_f64().unwrap() > 0.0);
                epochs.push(data["epoch"].as_u64().unwrap());
            }
            "regions" => {
                assert_eq!(data["outputs"].as_array().unwrap().len(), 41 * 41);
                assert_eq!(data["points"].as_array().unwrap().len(), 100);
                regions += 1;
            }
            other => panic!("unexpected {other} event"),
        }
    }
    assert_eq!(epochs, (1..=20).collect::<Vec<u64>>());
    assert!(regions >= 4, "{regions} regions in 20 epochs");
    let status = send(&f.addr, "GET", "/api/train", b"").json();
    assert_eq!(
        (status["running"].as_bool(), status["lesson"].as_u64()),
        (Some(true), Some(1))
    );

    // A page that joins late is sent the run so far first.
    let mut late = Events::open(&f.addr);
    let (late_start, _) = late.until("start");
    assert_eq!(late_start, start);
    let (first, _) = late.until("epoch");
    assert_eq!(first["epoch"], 1);

    let stop = post_json(&f.addr, "/api/train/stop", &json!({}));
    assert_eq!(stop.status, 202, "{}", stop.text());
    let (done, _) = events.until("done");
    assert_eq!(done["stopped"], true, "{done}");
    assert!(done.get("error").is_none(), "{done}");
    let status = send(&f.addr, "GET", "/api/train", b"").json();
    assert_eq!(status["running"], false);
    assert!(
        status["epochs"].as_u64().unwrap() < 20000,
        "it stopped early"
    );
    let again = post_json(&f.addr, "/api/train/stop", &json!({}));
    assert_eq!(again.status, 409);
    assert!(
        again.error().contains("no training run"),
        "{}",
        again.error()
    );
}

#[test]
fn short_runs_of_lessons_2_and_4_finish_with_their_metrics() {
    let f = studio(false);
    let mut events = Events::open(&f.addr);
    let runs = [
        (
            json!({"lesson": 2, "recipe": {"epochs": 3, "points": 200, "standardize": false}}),
            "test_mse",
            "val_loss",
        ),
        (
            json!({"lesson": 4, "recipe": {"epochs": 2, "median_seeds": 1, "repeat": 2,
                   "optimizer": "sgd", "standardize": true}, "seed": 3}),
            "test_accuracy_median_of_seeds",
            "val_accuracy",
        ),
    ];
    let mut histories = Vec::new();
    for (order, metric, measured) in runs {
        let started = post_json(&f.addr, "/api/train", &order);
        assert_eq!(started.status, 202, "{}", started.text());
        // The run's recipe has the page's values, booleans and names included.
        let (start, _) = events.until("start");
        for (name, value) in order["recipe"].as_object().unwrap() {
            assert_eq!(&start["recipe"][name], value, "{name} in {start}");
        }
        let (done, passed) = events.until("done");
        // The run left the command line's record: summary.json with the metrics the page
        // was sent, and history.json with every epoch, readable by `cargo xtask compare`.
        let folder = std::path::PathBuf::from(start["out_dir"].as_str().unwrap());
        assert!(folder.starts_with(f.dir.path().join("out")), "{folder:?}");
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("summary.json")).unwrap()).unwrap();
        assert_eq!(summary["lesson"], order["lesson"]);
        assert_eq!(summary["metrics"], done["metrics"], "{summary}");
        assert_eq!(done["summary"], json!(folder.join("summary.json")));
        let saved = models::history::SavedRun::read(&folder.join("history.json")).unwrap();
        assert_eq!(saved.lesson, order["lesson"].as_u64().unwrap());
        histories.push(saved);
        assert_eq!(done["stopped"], false, "{done}");
        assert!(done["metrics"][metric].is_number(), "{metric} in {done}");
        let epochs: Vec<_> = passed.iter().filter(|(n, _)| n == "epoch").collect();
        assert_eq!(
            epochs.len(),
            order["recipe"]["epochs"].as_u64().unwrap() as usize
        );
        assert!(
            epochs
                .iter()
                .all(|(_, e)| e["metrics"][measured].is_number())
        );
    }
    assert_eq!(histories[0].history.values("val_loss").len(), 3);
    assert_eq!(histories[1].seed, 3);
    // Their pictures went under the studio's folder, each run in its own.
    assert!(
        f.dir
            .path()
            .join("out/02-regression/run-001/loss.png")
            .is_file()
    );
    assert!(
        f.dir
            .path()
            .join("out/04-iris/run-001/curves.png")
            .is_file()
    );
    // A second run of a lesson keeps the first one's files.
    let again = json!({"lesson": 2, "recipe": {"epochs": 1, "points": 100}});
    assert_eq!(post_json(&f.addr, "/api/train", &again).status, 202);
    let (start, _) = events.until("start");
    events.until("done");
    assert!(start["out_dir"].as_str().unwrap().ends_with("run-002"));
    assert!(
        f.dir
            .path()
            .join("out/02-regression/run-001/summary.json")
            .is_file()
    );
    assert!(
        f.dir
            .path()
            .join("out/02-regression/run-002/summary.json")
            .is_file()
    );
}

#[test]
fn bad_training_requests_get_a_4xx_with_a_message() {
    let f = studio(false);
    for (body, says) in [
        ("{\"lesson\": 1", "not JSON"),
        ("[1, 2]", "a JSON object"),
        ("{\"lesson\": 3}", "lesson must be one of 1, 2, 4"),
        ("{}", "got nothing"),
        (
            "{\"lesson\": 1, \"recipe\": {\"lr\": -1}}",
            "--lr: expected a number > 0, got \"-1\"",
        ),
        (
            "{\"lesson\": 1, \"recipe\": {\"epochs\": 20000}}",
            "up to 10000",
        ),
        (
            "{\"lesson\": 1, \"recipe\": {\"hidden\": \"2,0\"}}",
            "--hidden",
        ),
        (
            "{\"lesson\": 1, \"recipe\": {\"momentum\": 0.9}}",
            "unknown flag",
        ),
        ("{\"lesson\": 4, \"recipe\": {\"dropout\": 1}}", "[0, 1)"),
        (
            "{\"lesson\": 1, \"recipe\": {\"lr\": true}}",
            "--lr: expected a number > 0, got \"true\"",
        ),
        (
            "{\"lesson\": 1, \"recipe\": {\"lr\": {}}}",
            "expected a number, text or true/false",
        ),
        (
            "{\"lesson\": 2, \"recipe\": {\"standardize\": \"maybe\"}}",
            "--standardize: expected true or false",
        ),
        (
            "{\"lesson\": 4, \"recipe\": {\"optimizer\": \"lbfgs\"}}",
            "--optimizer: expected one of sgd, rmsprop, adam",
        ),
        ("{\"lesson\": 1, \"recipe\": 5}", "recipe must be an object"),
        (
            "{\"lesson\": 1, \"seed\": -1}",
            "seed must be a whole number",
        ),
    ] {
        let a = send_json(&f.addr, "/api/train", body.as_bytes());
        assert_eq!(a.status, 400, "{body}: {}", a.text());
        assert!(a.error().contains(says), "{body}: {}", a.error());
    }
    let huge = vec![b' '; 70 * 1024];
    assert_eq!(send_json(&f.addr, "/api/train", &huge).status, 413);
    assert_eq!(send(&f.addr, "GET", "/api/train/stop", b"").status, 405);
    assert_eq!(
        send(&f.addr, "GET", "/api/train", b"").json()["running"],
        false
    );
    assert_eq!(send(&f.addr, "GET", "/", b"").status, 200, "still serving");
}

#[test]
fn predictions_equal_classify_bytes_and_bad_uploads_are_refused() {
    let f = studio(true);
    let info = send(&f.addr, "GET", "/api/digits/model", b"").json();
    assert_eq!(
        (info["ready"].as_bool(), info["network"].as_str()),
        (Some(true), Some("first_cnn"))
    );

    let (network, model) = models::digit_model::load(&f.model).unwrap();
    for (name, bytes) in shipped_images().into_iter().take(3) {
        let a = send(&f.addr, "POST", "/api/digits/predict", &bytes);
        assert_eq!(a.status, 200, "{name}: {}", a.text());
        let got = a.json();
        let (want, seen) =
            models::own_images::classify_bytes(&model, network.input(), &name, &bytes).unwrap();
        let probabilities: Vec<f32> = got["probabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap() as f32)
            .collect();
        assert_eq!(probabilities, want.probabilities, "{name}");
        assert_eq!(got["digit"], want.digit());
        assert_eq!(got["seen"].as_array().unwrap().len(), 28 * 28);
        assert_eq!(
            got["seen"][14 * 28 + 14].as_f64().unwrap() as f32,
            seen.data()[14 * 28 + 14]
        );
    }

    let not_an_image = send(
        &f.addr,
        "POST",
        "/api/digits/predict",
        b"hello, not a picture",
    );
    assert_eq!(not_an_image.status, 400);
    assert!(
        not_an_image.error().contains("PNG or JPEG"),
        "{}",
        not_an_image.error()
    );
    let empty = send(&f.addr, "POST", "/api/digits/predict", b"");
    assert_eq!(empty.status, 400);
    assert!(empty.error().contains("empty"));
    // Declared over the limit: refused before the body is read (and then drained).
    let too_big = vec![0u8; studio::UPLOAD_LIMIT + 1];
    let a = send(&f.addr, "POST", "/api/digits/predict", &too_big);
    assert_eq!(a.status, 413);
    assert!(a.error().contains("5 MB"), "{}", a.error());
    assert_eq!(send(&f.addr, "GET", "/", b"").status, 200, "still serving");
}

#[test]
fn without_a_model_the_page_is_told_which_lesson_to_run() {
    let f = studio(false);
    let info = send(&f.addr, "GET", "/api/digits/model", b"").json();
    assert_eq!(info["ready"], false);
    assert!(
        info["message"]
            .as_str()
            .unwrap()
            .contains("cargo xtask lesson 7"),
        "{info}"
    );
    let bytes = &shipped_images()[0].1;
    let a = send(&f.addr, "POST", "/api/digits/predict", bytes);
    assert_eq!(a.status, 503);
    assert!(a.error().contains("lesson 7"));
    // The model appears while the studio runs: it is picked up.
    let network = models::digit_model::Network::FirstCnn;
    let model = network.build(&mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1));
    models::digit_model::save(&model, network, &f.model).unwrap();
    assert_eq!(
        send(&f.addr, "POST", "/api/digits/predict", bytes).status,
        200
    );
}

#[test]
fn the_server_stops_cleanly_during_a_run() {
    let mut f = studio(true);
    let order = json!({"lesson": 1, "recipe": {"epochs": 10000, "hidden": "3"}});
    let mut events = Events::open(&f.addr);
    assert_eq!(post_json(&f.addr, "/api/train", &order).status, 202);
    events.until("epoch");
    let started = std::time::Instant::now();
    f.studio.take().unwrap().stop();
    assert!(
        started.elapsed().as_secs_f64() < 5.0,
        "stop took {:?}",
        started.elapsed()
    );
    // tiny_http's own accept thread lets the port go a moment after.
    let released = (0..40).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::net::TcpStream::connect(&f.addr).is_err()
    });
    assert!(released, "still listening 2 s after stop");
}

#[test]
fn requests_from_elsewhere_are_refused() {
    let f = studio(true);
    let port = f.addr.rsplit(':').next().unwrap().to_string();
    let order = br#"{"lesson": 1, "recipe": {"epochs": 5}}"#;
    let json = "Content-Type: application/json";

    // DNS rebinding: another name for this machine, or another port, is not the studio.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "127.0.0.1:1".to_string(),
    ] {
        let a = send_raw(
            &f.addr,
            "GET",
            "/api/digits/model",
            &[&format!("Host: {host}")],
            b"",
        );
        assert_eq!(a.status, 403, "{host}");
        assert!(a.error().contains("answers requests to"), "{}", a.error());
    }
    // The stream, which has a thread of its own, is guarded too.
    let a = send_raw(
        &f.addr,
        "GET",
        "/api/train/events",
        &["Host: evil.example"],
        b"",
    );
    assert_eq!(a.status, 403);
    // The studio's own names are served.
    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        let a = send_raw(
            &f.addr,
            "GET",
            "/api/digits/model",
            &[&format!("Host: {host}")],
            b"",
        );
        assert_eq!(a.status, 200, "{host}");
    }

    // Another site's page: refused before anything starts, whatever its content type.
    for headers in [
        vec!["Origin: http://evil.example", "Content-Type: text/plain"],
        vec!["Origin: http://evil.example", json],
        vec!["Origin: null", json],
        vec![&format!("Origin: http://localhost:{port}") as &str, json],
        vec!["Sec-Fetch-Site: cross-site", json],
    ] {
        let a = send_raw(&f.addr, "POST", "/api/train", &headers, order);
        assert_eq!(a.status, 403, "{headers:?}: {}", a.text());
        assert!(a.error().contains("another site"), "{}", a.error());
    }
    let a = send_raw(
        &f.addr,
        "POST",
        "/api/digits/predict",
        &["Origin: http://evil.example"],
        &shipped_images()[0].1,
    );
    assert_eq!(a.status, 403);
    assert_eq!(
        send(&f.addr, "GET", "/api/train", b"").json()["running"],
        false,
        "nothing started"
    );

    // JSON must say it is JSON: a text/plain "simple request" is refused with 415.
    for path in ["/api/train", "/api/train/stop"] {
        for headers in [vec!["Content-Type: text/plain"], vec![]] {
            let a = send_raw(&f.addr, "POST", path, &headers, order);
            assert_eq!(a.status, 415, "{path} {headers:?}");
            assert!(a.error().contains("application/json"), "{}", a.error());
        }
    }
    // An upload may not call itself a form or text.
    for kind in [
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
    ] {
        let header = format!("Content-Type: {kind}");
        let a = send_raw(
            &f.addr,
            "POST",
            "/api/digits/predict",
            &[&header],
            &shipped_images()[0].1,
        );
        assert_eq!(a.status, 415, "{kind}");
        assert!(a.error().contains("image's bytes"), "{}", a.error());
    }

    // The studio's own page, as a browser sends it: served.
    let own = format!("Origin: http://{}", f.addr);
    let a = send_raw(
        &f.addr,
        "POST",
        "/api/train",
        &[&own, json, "Sec-Fetch-Site: same-origin"],
        order,
    );
    assert_eq!(a.status, 202, "{}", a.text());
    let a = send_raw(
        &f.addr,
        "POST",
        "/api/digits/predict",
        &[&own, "Content-Type: image/png"],
        &shipped_images()[0].1,
    );
    assert_eq!(a.status, 200, "{}", a.text());
}
