//! The playground over HTTP: its options, a set-up at an epoch with everything the page
//! draws, the same answer however the epoch is reached, and bad requests refused.

mod common;

use common::{post_json, send, send_json, studio};
use serde_json::{Value, json};

/// The playground's answer for `setup` at `epoch`, with the losses from `since`.
fn at(addr: &str, setup: &str, epoch: u64, since: u64) -> Value {
    let a = post_json(
        addr,
        "/api/playground/epoch",
        &json!({"setup": setup, "epoch": epoch, "since": since}),
    );
    assert_eq!(a.status, 200, "{}", a.text());
    a.json()
}

#[test]
fn the_options_offer_the_course_s_choices() {
    let f = studio(false);
    let o = send(&f.addr, "GET", "/api/playground/options", b"").json();
    assert_eq!(o["data"], json!(["xor", "circles", "spirals", "gaussians"]));
    assert_eq!(o["features"].as_array().unwrap().len(), 7);
    assert_eq!(o["features"][2], json!({"name": "x1sq", "symbol": "x₁²"}));
    assert_eq!(
        o["activations"],
        json!(["sigmoid", "tanh", "relu", "leaky_relu"])
    );
    let optimizers: Vec<&str> = o["optimizers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(optimizers, ["sgd", "momentum", "rmsprop", "adam", "adamw"]);
    assert_eq!(
        (o["max_layers"].as_u64(), o["max_width"].as_u64()),
        (Some(4), Some(8))
    );
    assert_eq!(o["default"]["hidden"], json!([4, 2]));
}

#[test]
fn a_setup_at_an_epoch_has_everything_the_page_draws() {
    let f = studio(false);
    let setup = "data=spirals&noise=0.1&train=70&features=x1,x2,sinx1&hidden=5,3&activation=relu&lr=0.01&batch=16&l2=0&optimizer=adam&seed=9";
    let a = at(&f.addr, setup, 0, 0);
    assert_eq!(a["epoch"], 0);
    assert_eq!(a["query"], setup.to_string());
    // The network 3 → 5 → 3 → 1, each neuron's output over a 20×20 grid.
    let layers = a["network"]["layers"].as_array().unwrap();
    let widths: Vec<usize> = layers
        .iter()
        .map(|l| l["neurons"].as_array().unwrap().len())
        .collect();
    assert_eq!(widths, [3, 5, 3, 1]);
    assert_eq!(layers[0]["neurons"][2]["label"], "sin x₁");
    assert_eq!(layers[3]["name"], "output");
    for l in layers {
        for n in l["neurons"].as_array().unwrap() {
            assert_eq!(n["values"].as_array().unwrap().len(), 400);
        }
    }
    // ReLU neurons are never negative; the output is a probability.
    for n in layers[1]["neurons"].as_array().unwrap() {
        assert!(n["range"][0].as_f64().unwrap() >= 0.0);
    }
    let region = &a["region"];
    assert_eq!(region["values"].as_array().unwrap().len(), 48 * 48);
    assert!(
        region["values"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| (0.0..=1.0).contains(&p.as_f64().unwrap()))
    );
    // The weights: W is [out, in] for each of the three linear layers.
    let w = a["network"]["weights"].as_array().unwrap();
    let shapes: Vec<(usize, usize)> = w
        .iter()
        .map(|l| {
            (
                l["w"].as_array().unwrap().len(),
                l["w"][0].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(shapes, [(5, 3), (3, 5), (1, 3)]);
    // 70% of the 400 points train.
    assert_eq!(a["points"]["train"].as_array().unwrap().len(), 280);
    assert_eq!(a["points"]["test"].as_array().unwrap().len(), 120);
    assert_eq!(a["loss"]["first"], 0);
    let first_loss = a["loss"]["train"][0].as_f64().unwrap();
    // Before training, a network's output is near ½ and the loss near ln 2.
    assert!((first_loss - 2f64.ln()).abs() < 0.3, "{first_loss}");

    // Five epochs on: the losses from epoch 3 on, three of them.
    let b = at(&f.addr, setup, 5, 3);
    assert_eq!(b["epoch"], 5);
    assert_eq!(b["loss"]["first"], 3);
    assert_eq!(b["loss"]["train"].as_array().unwrap().len(), 3);
    assert_eq!(b["loss"]["test"].as_array().unwrap().len(), 3);
}

#[test]
fn the_same_setup_gives_the_same_picture_however_it_is_reached() {
    let (f, other_tab) = (studio(false), studio(false));
    let setup = "data=circles&noise=0.3&hidden=4&l2=0.003&optimizer=momentum&lr=0.03&seed=3";
    // One studio goes to epoch 2, then on to 6; another straight to 6: the same bits.
    at(&f.addr, setup, 2, 0);
    let stepped = at(&f.addr, setup, 6, 0);
    let direct = at(&other_tab.addr, setup, 6, 0);
    assert_eq!(stepped, direct);
    // Asked again, the same answer; and epoch 2 again (a fresh run, since the kept one is
    // past it) is the same as the first time.
    assert_eq!(at(&f.addr, setup, 6, 0), direct);
    assert_eq!(at(&f.addr, setup, 2, 0), at(&other_tab.addr, setup, 2, 0));
    // The same settings written in another order are the same set-up.
    let shuffled = "seed=3&lr=0.03&optimizer=momentum&l2=0.003&hidden=4&noise=0.3&data=circles";
    assert_eq!(at(&f.addr, shuffled, 6, 0), direct);
    // Another seed: other points.
    let other = at(&f.addr, &setup.replace("seed=3", "seed=4"), 6, 0);
    assert_ne!(other["points"], direct["points"]);
    // A far epoch is reached over several answers of at most 4000 steps: with batches of
    // one and 360 training points, 12 epochs (4320 steps) each.
    let slow = "data=xor&train=90&batch=1&hidden=2&seed=5";
    let a = at(&f.addr, slow, 50, 0);
    assert_eq!(
        (a["epoch"].as_u64(), a["asked"].as_u64()),
        (Some(12), Some(50))
    );
    let b = at(&f.addr, slow, 50, 13);
    assert_eq!(b["epoch"], 24);
    assert_eq!(b["loss"]["first"], 13);
}

#[test]
fn bad_playground_requests_get_a_4xx_with_a_message() {
    let f = studio(false);
    for (body, says) in [
        (json!({"setup": "data=moons"}), "data: choose one of"),
        (
            json!({"setup": "hidden=2,2,2,2,2"}),
            "at most 4 hidden layers",
        ),
        (json!({"setup": "lr=0"}), "lr: expected a number"),
        (json!({"setup": 5}), "setup must be the page's query string"),
        (
            json!({"epoch": -1}),
            "epoch must be a whole number from 0 to 100000",
        ),
        (json!({"epoch": 1e9}), "epoch must be"),
        (json!({"since": "a"}), "since must be"),
    ] {
        let a = post_json(&f.addr, "/api/playground/epoch", &body);
        assert_eq!(a.status, 400, "{body}: {}", a.text());
        assert!(a.error().contains(says), "{body}: {}", a.error());
    }
    assert_eq!(
        send_json(&f.addr, "/api/playground/epoch", b"{").status,
        400
    );
    let a = send(&f.addr, "POST", "/api/playground/epoch", b"{}");
    assert_eq!(a.status, 415);
    assert_eq!(
        send(&f.addr, "GET", "/api/playground/epoch", b"").status,
        405
    );
    // An empty body is the default set-up at epoch 0.
    let a = send_json(&f.addr, "/api/playground/epoch", b"");
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["setup"]["hidden"], json!([4, 2]));
}
