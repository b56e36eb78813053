//! The playground's set-up — data, features, network, training and seed — read from the
//! page's address (`?data=spirals&noise=0.2&hidden=8,8,4&…`) and written back to it in one
//! order, so that an address copied to another tab gives the same set-up and, trained from
//! the same seed, the same pictures.

use data::plane::{Feature, Shape};
use layers::Activation;
use serde_json::{Value, json};

use crate::http::{self, Problem};

/// Points drawn for every data set (train and test together).
pub(crate) const POINTS: usize = 400;
/// At most this many hidden layers…
pub(crate) const MAX_LAYERS: usize = 4;
/// …of at most this many neurons.
pub(crate) const MAX_WIDTH: usize = 8;
/// The learning rates offered (TensorFlow Playground's).
pub(crate) const LEARNING_RATES: [f32; 11] = [
    0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0,
];
/// The L2 rates offered.
pub(crate) const L2_RATES: [f32; 10] = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];
/// The batch sizes allowed.
pub(crate) const BATCH: (usize, usize) = (1, 64);
/// The share of points used for training, in percent, in steps of 10.
pub(crate) const TRAIN_PERCENT: (u32, u32) = (10, 90);

/// An optimizer of the `optim` crate, with its PyTorch defaults but the learning rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OptimizerChoice {
    /// Plain SGD.
    Sgd,
    /// SGD with momentum 0.9.
    Momentum,
    /// RMSprop.
    RmsProp,
    /// Adam.
    Adam,
    /// AdamW (decoupled weight decay 0.01).
    AdamW,
}

impl OptimizerChoice {
    /// Every choice, in the page's order.
    pub const ALL: [OptimizerChoice; 5] = [
        OptimizerChoice::Sgd,
        OptimizerChoice::Momentum,
        OptimizerChoice::RmsProp,
        OptimizerChoice::Adam,
        OptimizerChoice::AdamW,
    ];

    /// The name in the address.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerChoice::Sgd => "sgd",
            OptimizerChoice::Momentum => "momentum",
            OptimizerChoice::RmsProp => "rmsprop",
            OptimizerChoice::Adam => "adam",
            OptimizerChoice::AdamW => "adamw",
        }
    }

    /// What the page calls it.
    pub fn label(self) -> &'static str {
        match self {
            OptimizerChoice::Sgd => "SGD",
            OptimizerChoice::Momentum => "SGD, momentum 0.9",
            OptimizerChoice::RmsProp => "RMSprop",
            OptimizerChoice::Adam => "Adam",
            OptimizerChoice::AdamW => "AdamW (decay 0.01)",
        }
    }
}

/// `v` as the shortest decimal that is the same `f32` (0.03, not 0.029999999329447746), for
/// JSON, whose numbers are `f64`.
fn short(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}

/// Everything that decides a playground run.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Setup {
    /// The data set.
    pub data: Shape,
    /// Its noise, in `[0, 1]`.
    pub noise: f32,
    /// The share of points trained on, in percent; the rest are the test set.
    pub train_percent: u32,
    /// The network's inputs.
    pub features: Vec<Feature>,
    /// The hidden layers' widths (none: a single neuron, logistic regression).
    pub hidden: Vec<usize>,
    /// The hidden layers' activation.
    pub activation: Activation,
    /// The learning rate.
    pub lr: f32,
    /// Points per step.
    pub batch: usize,
    /// The L2 rate `λ`: the loss gains `(λ/2)·Σ w²` over the weights (not the biases).
    pub l2: f32,
    /// The optimizer.
    pub optimizer: OptimizerChoice,
    /// The seed of the points, the split, the initial weights and the batches.
    pub seed: u64,
}

impl Default for Setup {
    /// TensorFlow Playground's start: XOR, `x₁` and `x₂`, two hidden layers of 4 and 2
    /// tanh neurons, learning rate 0.03, batches of 10.
    fn default() -> Setup {
        Setup {
            data: Shape::Xor,
            noise: 0.0,
            train_percent: 50,
            features: vec![Feature::X1, Feature::X2],
            hidden: vec![4, 2],
            activation: Activation::Tanh,
            lr: 0.03,
            batch: 10,
            l2: 0.0,
            optimizer: OptimizerChoice::Sgd,
            seed: 1,
        }
    }
}

/// A comma-separated list, each item through `item`.
fn list<T>(text: &str, item: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(item)
        .collect()
}

/// `text` as a number in `[lo, hi]`.
fn number(text: &str, (lo, hi): (f32, f32)) -> Result<f32, String> {
    text.parse::<f32>()
        .ok()
        .filter(|v| (lo..=hi).contains(v))
        .ok_or_else(|| format!("expected a number in [{lo}, {hi}], got {text:?}"))
}

/// `text` as a whole number in `[lo, hi]`.
fn whole(text: &str, (lo, hi): (usize, usize)) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|v| (lo..=hi).contains(v))
        .ok_or_else(|| format!("expected a whole number from {lo} to {hi}, got {text:?}"))
}

/// The names of `items`, joined with commas.
fn names<T: Copy>(items: &[T], name: impl Fn(T) -> &'static str) -> String {
    items
        .iter()
        .map(|&i| name(i))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Setup {
    /// The set-up a query string (`data=xor&hidden=4,2`, with or without its `?`) asks
    /// for; what it leaves out is the default's. 400 naming the setting and what it takes.
    pub fn parse(query: &str) -> Result<Setup, Problem> {
        let target = http::target(&format!("/?{}", query.trim_start_matches('?')))?;
        let mut s = Setup::default();
        for (name, value) in &target.query {
            let v = value.as_str();
            let result: Result<(), String> = match name.as_str() {
                "data" => Shape::from_name(v)
                    .map(|d| s.data = d)
                    .ok_or_else(|| format!("choose one of {}", names(&Shape::ALL, Shape::name))),
                "noise" => number(v, (0.0, 1.0)).map(|n| s.noise = n),
                "train" => whole(v, (TRAIN_PERCENT.0 as usize, TRAIN_PERCENT.1 as usize))
                    .map(|p| s.train_percent = p as u32),
                "features" => list(v, |f| {
                    Feature::from_name(f).ok_or_else(|| {
                        format!(
                            "{f:?} is not one of {}",
                            names(&Feature::ALL, Feature::name)
                        )
                    })
                })
                .and_then(|f| {
                    let twice = f.iter().enumerate().any(|(i, a)| f[..i].contains(a));
                    match (f.is_empty(), twice) {
                        (true, _) => Err("choose at least one feature".into()),
                        (_, true) => Err("a feature is named twice".into()),
                        _ => Ok(f),
                    }
                })
                .map(|f| s.features = f),
                "hidden" => list(v, |w| whole(w, (1, MAX_WIDTH)))
                    .and_then(|h| {
                        if h.len() > MAX_LAYERS {
                            Err(format!(
                                "at most {MAX_LAYERS} hidden layers, got {}",
                                h.len()
                            ))
                        } else {
                            Ok(h)
                        }
                    })
                    .map(|h| s.hidden = h),
                "activation" => v
                    .parse::<Activation>()
                    .map(|a| s.activation = a)
                    .map_err(|e| e.to_string()),
                "lr" => number(v, (1e-6, 10.0)).map(|lr| s.lr = lr),
                "batch" => whole(v, BATCH).map(|b| s.batch = b),
                "l2" => number(v, (0.0, 10.0)).map(|l2| s.l2 = l2),
                "optimizer" => OptimizerChoice::ALL
                    .into_iter()
                    .find(|o| o.name() == v)
                    .map(|o| s.optimizer = o)
                    .ok_or_else(|| {
                        format!(
                            "choose one of {}",
                            names(&OptimizerChoice::ALL, OptimizerChoice::name)
                        )
                    }),
                "seed" => v
                    .parse::<u64>()
                    .map(|seed| s.seed = seed)
                    .map_err(|_| format!("expected a whole number ≥ 0, got {v:?}")),
                other => Err(format!(
                    "unknown setting {other:?}; the settings are data, noise, train, features, \
                     hidden, activation, lr, batch, l2, optimizer, seed"
                )),
            };
            result.map_err(|e| Problem::bad(format!("{name}: {e}")))?;
        }
        if !s.train_percent.is_multiple_of(10) {
            return Err(Problem::bad(format!(
                "train: expected a multiple of 10 from {} to {}, got {}",
                TRAIN_PERCENT.0, TRAIN_PERCENT.1, s.train_percent
            )));
        }
        Ok(s)
    }

    /// The set-up as a query string, every setting in one order: the page's address and
    /// the key under which a run is kept.
    pub fn query(&self) -> String {
        let join = |items: Vec<String>| items.join(",");
        format!(
            "data={}&noise={}&train={}&features={}&hidden={}&activation={}&lr={}&batch={}&l2={}&optimizer={}&seed={}",
            self.data.name(),
            self.noise,
            self.train_percent,
            join(self.features.iter().map(|f| f.name().to_string()).collect()),
            join(self.hidden.iter().map(|h| h.to_string()).collect()),
            self.activation.name(),
            self.lr,
            self.batch,
            self.l2,
            self.optimizer.name(),
            self.seed
        )
    }

    /// The set-up as JSON, for the page's controls.
    pub fn to_json(&self) -> Value {
        json!({
            "data": self.data.name(), "noise": short(self.noise), "train": self.train_percent,
            "features": self.features.iter().map(|f| f.name()).collect::<Vec<_>>(),
            "hidden": self.hidden, "activation": self.activation.name(), "lr": short(self.lr),
            "batch": self.batch, "l2": short(self.l2), "optimizer": self.optimizer.name(),
            "seed": self.seed,
        })
    }
}

/// `GET /api/playground/options`: every choice the page offers, and the default set-up.
pub(crate) fn options() -> Value {
    let shapes: Vec<&str> = Shape::ALL.iter().map(|s| s.name()).collect();
    let features: Vec<Value> = Feature::ALL
        .iter()
        .map(|f| json!({"name": f.name(), "symbol": f.symbol()}))
        .collect();
    let optimizers: Vec<Value> = OptimizerChoice::ALL
        .iter()
        .map(|o| json!({"name": o.name(), "label": o.label()}))
        .collect();
    let activations: Vec<&str> = Activation::ALL.iter().map(|a| a.name()).collect();
    json!({
        "data": shapes, "features": features, "optimizers": optimizers,
        "activations": activations,
        "lr": LEARNING_RATES.map(short), "l2": L2_RATES.map(short),
        "batch": [BATCH.0, BATCH.1], "train": [TRAIN_PERCENT.0, TRAIN_PERCENT.1],
        "noise": [0.0, 1.0], "max_layers": MAX_LAYERS, "max_width": MAX_WIDTH,
        "points": POINTS, "extent": data::plane::EXTENT,
        "default": Setup::default().to_json(), "query": Setup::default().query(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_round_trips_and_bad_settings_are_named() {
        let s = Setup::parse("?data=spirals&noise=0.25&hidden=8,8,3&features=x1,x2,sinx1&lr=0.1&optimizer=adam&seed=7").unwrap();
        assert_eq!(s.data, Shape::Spirals);
        assert_eq!(s.hidden, [8, 8, 3]);
        assert_eq!(s.features, [Feature::X1, Feature::X2, Feature::SinX1]);
        assert_eq!(Setup::parse(&s.query()).unwrap(), s);
        assert_eq!(Setup::parse("").unwrap(), Setup::default());
        // No hidden layer: logistic regression.
        assert!(Setup::parse("hidden=").unwrap().hidden.is_empty());
        for (query, says) in [
            ("data=moons", "data: choose one of xor, circles"),
            ("noise=2", "noise: expected a number in [0, 1]"),
            ("hidden=1,2,3,4,5", "at most 4 hidden layers"),
            ("hidden=9", "from 1 to 8"),
            ("features=", "at least one feature"),
            ("features=x1,x2,x1", "named twice"),
            ("features=x3", "\"x3\" is not one of x1, x2"),
            ("activation=swish", "unknown activation"),
            ("train=55", "multiple of 10"),
            ("batch=0", "from 1 to 64"),
            ("optimizer=lbfgs", "choose one of sgd"),
            ("colour=red", "unknown setting"),
        ] {
            let e = Setup::parse(query).unwrap_err();
            assert!(e.message.contains(says), "{query}: {}", e.message);
        }
    }
}
