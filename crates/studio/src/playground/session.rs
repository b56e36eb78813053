//! One playground run: its points, network, optimizer and random generator, trained epoch
//! by epoch with the course's crates, and the picture the page draws of it — the decision
//! region, every neuron's output over the plane, the weights, the loss curves.
//!
//! Everything is drawn from one generator seeded with the set-up's seed, in a fixed order
//! — the points, the split, the initial weights, then each epoch's batches — so a set-up
//! trained to epoch `E` is the same, bit for bit, in any tab and after any number of
//! requests.

use autograd::{Var, no_grad};
use data::plane;
use data::{DataLoader, split};
use layers::{Linear, Mode, Module, Sequential, Sigmoid};
use optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig, bce,
};
use rand::{SeedableRng, rngs::StdRng};
use serde_json::{Value, json};
use tensor::Tensor;

use super::setup::{OptimizerChoice, POINTS, Setup};
use crate::numbers::{range, rounded};

/// The decision region is drawn on a grid of this many cells a side…
pub(crate) const REGION_STEPS: usize = 48;
/// …and each neuron's output on a coarser one.
pub(crate) const NEURON_STEPS: usize = 20;

/// A run of one set-up.
pub(crate) struct Session {
    /// The set-up.
    pub setup: Setup,
    /// Epochs trained so far.
    pub epoch: usize,
    rng: StdRng,
    /// The points `[n, 2]` and labels `[n, 1]` trained on, and those tested on.
    train: (Tensor, Tensor),
    test: (Tensor, Tensor),
    /// The same points as the network's features.
    x_train: Tensor,
    x_test: Tensor,
    model: Sequential,
    /// The weight matrices (not the biases), which the L2 term shrinks.
    weights: Vec<Var>,
    optimizer: Box<dyn Optimizer>,
    /// The loss on the training and test points after each epoch (index 0: before any).
    train_loss: Vec<f32>,
    test_loss: Vec<f32>,
}

/// `features → hidden… → 1`, each hidden layer followed by the activation, a sigmoid at
/// the end: `P(class 1)`. PyTorch's initialisation, as lesson 1.
fn network(setup: &Setup, rng: &mut StdRng) -> Sequential {
    let mut widths = vec![setup.features.len()];
    widths.extend(&setup.hidden);
    let mut model = Sequential::new();
    for pair in widths.windows(2) {
        model = setup
            .activation
            .push_onto(model.push(Linear::new(pair[0], pair[1], rng)));
    }
    let last = *widths.last().expect("at least one feature");
    model.push(Linear::new(last, 1, rng)).push(Sigmoid)
}

/// The optimizer the set-up names, over `params`.
fn optimizer(setup: &Setup, params: Vec<Var>) -> Box<dyn Optimizer> {
    let lr = setup.lr;
    match setup.optimizer {
        OptimizerChoice::Sgd => Box::new(Sgd::new(
            params,
            SgdConfig {
                lr,
                ..SgdConfig::default()
            },
        )),
        OptimizerChoice::Momentum => Box::new(Sgd::new(
            params,
            SgdConfig {
                lr,
                momentum: 0.9,
                ..SgdConfig::default()
            },
        )),
        OptimizerChoice::RmsProp => Box::new(RmsProp::new(
            params,
            RmsPropConfig {
                lr,
                ..RmsPropConfig::default()
            },
        )),
        OptimizerChoice::Adam => Box::new(Adam::new(
            params,
            AdamConfig {
                lr,
                ..AdamConfig::default()
            },
        )),
        OptimizerChoice::AdamW => Box::new(AdamW::new(
            params,
            AdamWConfig {
                lr,
                ..AdamWConfig::default()
            },
        )),
    }
}

impl Session {
    /// A fresh run of `setup`: its points drawn and split, its network initialised, at
    /// epoch 0.
    pub fn new(setup: Setup) -> Session {
        let mut rng = StdRng::seed_from_u64(setup.seed);
        let (x, y) = plane::points(setup.data, POINTS, setup.noise, &mut rng);
        let test_fraction = f64::from(100 - setup.train_percent) / 100.0;
        let (train, test) = split::train_test(POINTS, test_fraction, &mut rng);
        let train = split::take(&x, &y, &train);
        let test = split::take(&x, &y, &test);
        let model = network(&setup, &mut rng);
        let weights = model
            .named_parameters()
            .into_iter()
            .filter(|(name, _)| name.ends_with("weight"))
            .map(|(_, w)| w)
            .collect();
        let optimizer = optimizer(&setup, model.parameters());
        let mut session = Session {
            x_train: plane::features(&train.0, &setup.features),
            x_test: plane::features(&test.0, &setup.features),
            setup,
            epoch: 0,
            rng,
            train,
            test,
            model,
            weights,
            optimizer,
            train_loss: Vec::new(),
            test_loss: Vec::new(),
        };
        session.record();
        session
    }

    /// The mean binary cross-entropy on `(x, y)`, without the L2 term.
    fn loss(&self, x: &Tensor, y: &Tensor) -> f32 {
        no_grad(&self.model.parameters(), || {
            let y_hat = self.model.forward(&Var::constant(x.clone()), Mode::Eval);
            bce(&y_hat, y).item()
        })
    }

    /// Appends the current training and test losses.
    fn record(&mut self) {
        self.train_loss
            .push(self.loss(&self.x_train, &self.train.1));
        self.test_loss.push(self.loss(&self.x_test, &self.test.1));
    }

    /// One epoch: the training points in a fresh order, a step per batch — forward, loss
    /// (cross-entropy plus `(λ/2)·Σ w²`), zero grads, backward, step. Returns the steps.
    pub fn train_epoch(&mut self) -> usize {
        let loader = DataLoader::new(&self.x_train, &self.train.1, self.setup.batch);
        let mut steps = 0;
        for (x, y) in loader.shuffled(&mut self.rng) {
            let y_hat = self.model.forward(&Var::constant(x), Mode::Train);
            let mut loss = bce(&y_hat, &y);
            if self.setup.l2 > 0.0 {
                for w in &self.weights {
                    loss = loss.add(&w.square().sum().mul_scalar(self.setup.l2 / 2.0));
                }
            }
            self.optimizer.zero_grad();
            loss.backward();
            self.optimizer.step();
            steps += 1;
        }
        self.epoch += 1;
        self.record();
        steps
    }

    /// Every layer's output for the points of a `steps × steps` grid: the features, then
    /// each activation (the hidden layers' neurons and the output), as `[steps², width]`.
    fn neurons(&self, steps: usize) -> Vec<Tensor> {
        let x = plane::features(&plane::grid(steps), &self.setup.features);
        let mut outputs = vec![x.clone()];
        no_grad(&self.model.parameters(), || {
            let mut a = Var::constant(x);
            for (i, layer) in self.model.layers().iter().enumerate() {
                a = layer.forward(&a, Mode::Eval);
                // Linear layers sit at the even places, activations after them.
                if i % 2 == 1 {
                    outputs.push(a.value().clone());
                }
            }
        });
        outputs
    }

    /// What the page draws at this epoch, with the losses from epoch `since` on.
    pub fn picture(&self, since: usize) -> Value {
        let region = self.neurons(REGION_STEPS).pop().expect("the output");
        let (r_lo, r_hi) = range(region.data());
        let layers: Vec<Value> = self
            .neurons(NEURON_STEPS)
            .iter()
            .enumerate()
            .map(|(l, a)| {
                let last = l == self.setup.hidden.len() + 1;
                let neurons: Vec<Value> = (0..a.dim(1))
                    .map(|j| {
                        let column: Vec<f32> = a.data().iter().skip(j).step_by(a.dim(1)).copied().collect();
                        let (lo, hi) = range(&column);
                        let label = match l {
                            0 => self.setup.features[j].symbol().to_string(),
                            _ if last => "P(class 1)".to_string(),
                            _ => format!("neuron {}", j + 1),
                        };
                        json!({"label": label, "range": [lo, hi], "values": rounded(&column, lo.abs().max(hi.abs()))})
                    })
                    .collect();
                let name = match l {
                    0 => "features".to_string(),
                    _ if last => "output".to_string(),
                    _ => format!("hidden layer {l}"),
                };
                json!({"name": name, "neurons": neurons})
            })
            .collect();
        let weights: Vec<Value> = self
            .model
            .layers()
            .iter()
            .step_by(2)
            .map(|linear| {
                let p = linear.parameters();
                let (w, b) = (p[0].value(), p[1].value());
                let rows: Vec<&[f32]> = w.data().chunks(w.dim(1)).collect();
                json!({"w": rows, "b": b.data()})
            })
            .collect();
        let points = |(x, y): &(Tensor, Tensor)| -> Vec<[f32; 3]> {
            (0..x.dim(0))
                .map(|i| [x.at(&[i, 0]), x.at(&[i, 1]), y.at(&[i, 0])])
                .collect()
        };
        let from = since.min(self.epoch + 1);
        json!({
            "setup": self.setup.to_json(),
            "query": self.setup.query(),
            "epoch": self.epoch,
            "loss": {
                "first": from,
                "train": &self.train_loss[from..],
                "test": &self.test_loss[from..],
            },
            "region": {
                "steps": REGION_STEPS, "extent": plane::EXTENT, "range": [r_lo, r_hi],
                "values": rounded(region.data(), r_lo.abs().max(r_hi.abs())),
            },
            "network": {"steps": NEURON_STEPS, "layers": layers, "weights": weights},
            "points": {"train": points(&self.train), "test": points(&self.test)},
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_setup_trains_to_the_same_bits() {
        let setup =
            Setup::parse("data=circles&noise=0.2&hidden=3,2&l2=0.01&optimizer=adam&lr=0.01&seed=4")
                .unwrap();
        let mut a = Session::new(setup.clone());
        let mut b = Session::new(setup);
        for _ in 0..3 {
            a.train_epoch();
        }
        b.train_epoch();
        b.train_epoch();
        b.train_epoch();
        assert_eq!(a.picture(0), b.picture(0));
        assert_eq!(a.train_loss.len(), 4);
    }

    #[test]
    fn a_small_network_learns_the_gaussians() {
        // Two well-separated clouds: the loss falls from about ln 2 to near 0.
        let setup = Setup::parse("data=gaussians&hidden=2&lr=0.1&seed=2").unwrap();
        let mut s = Session::new(setup);
        for _ in 0..30 {
            s.train_epoch();
        }
        let (first, last) = (s.train_loss[0], *s.test_loss.last().unwrap());
        assert!(last < 0.1 && last < first, "test loss {first} → {last}");
        let p = s.picture(29);
        assert_eq!(p["loss"]["first"], 29);
        assert_eq!(p["loss"]["train"].as_array().unwrap().len(), 2);
        let layers = p["network"]["layers"].as_array().unwrap();
        let widths: Vec<usize> = layers
            .iter()
            .map(|l| l["neurons"].as_array().unwrap().len())
            .collect();
        assert_eq!(widths, [2, 2, 1]);
        assert_eq!(
            layers[0]["neurons"][0]["values"].as_array().unwrap().len(),
            NEURON_STEPS * NEURON_STEPS
        );
        assert_eq!(
            p["network"]["weights"][0]["w"],
            json!(
                s.model.parameters()[0]
                    .value()
                    .data()
                    .chunks(2)
                    .collect::<Vec<_>>()
            )
        );
    }
}
