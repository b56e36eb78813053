//! The bench's results: the table it prints and the `bench.json` it writes, each of our
//! figures beside PyTorch's, the speed ratio and the goal.

use serde_json::Value;

use super::machine::Machine;
use super::measure::Figure;
use super::reference::{RECORDED_ON, ratio, reference};

/// Where the PyTorch column comes from.
#[derive(Clone, Debug)]
pub enum PyTorch {
    /// Measured in this run, each section's rounds interleaved with ours.
    SameRun {
        /// PyTorch's figures, each its best median over the rounds.
        figures: Vec<Figure>,
        /// `torch.__version__`.
        version: String,
        /// `torch.backends.cpu.get_cpu_capability()`: the SIMD level its kernels use.
        capability: String,
    },
    /// Not run: the figures recorded once in [`REFERENCES`](super::reference::REFERENCES).
    Recorded,
}

/// A lesson section's network as each side described it ([`super::sections::network`]:
/// parameters and each layer's output shape), to show that both trained the same network.
#[derive(Clone, Debug, PartialEq)]
pub struct Networks {
    /// The section.
    pub section: String,
    /// Our network.
    pub ours: String,
    /// PyTorch's network.
    pub pytorch: String,
}

/// Everything the bench measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// The machine it ran on.
    pub machine: Machine,
    /// Rounds per section; each figure is its side's best median over them.
    pub rounds: usize,
    /// Our figures.
    pub ours: Vec<Figure>,
    /// PyTorch's.
    pub pytorch: PyTorch,
    /// The networks of the lesson sections that both sides ran.
    pub networks: Vec<Networks>,
}

/// PyTorch's figure beside one of ours.
struct Theirs {
    median: f64,
    /// The spread of its runs, known only when it ran in this run.
    spread: Option<(f64, f64)>,
    /// `"same run"` or `"recorded"`.
    source: &'static str,
}

/// One line of the table.
struct Row<'a> {
    ours: &'a Figure,
    theirs: Option<Theirs>,
    /// Our speed relative to PyTorch's (≥ 1: at least as fast).
    ratio: Option<f64>,
    /// The goal, as the least ratio that meets it.
    goal: Option<f64>,
}

impl Row<'_> {
    /// Whether the goal is met; `None` without a goal or a PyTorch figure.
    fn met(&self) -> Option<bool> {
        Some(self.ratio? >= self.goal?)
    }
}

impl Report {
    /// Our figures, each with PyTorch's, the ratio and the goal where they exist.
    fn rows(&self) -> Vec<Row<'_>> {
        self.ours
            .iter()
            .map(|ours| {
                let theirs = match &self.pytorch {
                    PyTorch::SameRun { figures, .. } => figures
                        .iter()
                        .find(|t| t.name == ours.name)
                        .map(|t| Theirs {
                            median: t.median,
                            spread: Some((t.min, t.max)),
                            source: "same run",
                        }),
                    PyTorch::Recorded => reference(&ours.name).map(|r| Theirs {
                        median: r.recorded,
                        spread: None,
                        source: "recorded",
                    }),
                };
                Row {
                    ours,
                    ratio: theirs.as_ref().and_then(|t| ratio(ours, t.median)),
                    theirs,
                    goal: reference(&ours.name).map(|r| r.goal_ratio),
                }
            })
            .collect()
    }

    /// The table, with the machine and PyTorch's source above it.
    pub fn table(&self) -> String {
        let mut s = format!("{}\n", self.machine.describe());
        s += &match &self.pytorch {
            PyTorch::SameRun {
                version,
                capability,
                ..
            } => format!(
                "PyTorch {version} in the same run (CPU capability {capability}); each side's \
                 figure is its best median of {} round(s), min and max over all its runs\n",
                self.rounds
            ),
            PyTorch::Recorded => format!(
                "PyTorch column: recorded constants, not measured in this run \
                 ({RECORDED_ON}); `--pytorch` measures it beside ours\n"
            ),
        };
        s += &format!(
            "{:<28} {:>9} {:>9} {:>9} {:<8} {:>9} {:>7}  {}\n",
            "figure", "ours", "min", "max", "unit", "PyTorch", "ratio", "goal"
        );
        for row in self.rows() {
            let f = row.ours;
            let theirs = row
                .theirs
                .as_ref()
                .map_or("—".to_string(), |t| format!("{:.2}", t.median));
            let speed = row.ratio.map_or("—".to_string(), |r| format!("{r:.2}×"));
            let goal = match (row.goal, row.met()) {
                (Some(g), Some(true)) => format!("≥ {g:.2}× met"),
                (Some(g), Some(false)) => format!("≥ {g:.2}× MISSED"),
                (Some(g), None) => format!("≥ {g:.2}×"),
                (None, _) => String::new(),
            };
            s += &format!(
                "{:<28} {:>9.2} {:>9.2} {:>9.2} {:<8} {:>9} {:>7}  {goal}\n",
                f.name, f.median, f.min, f.max, f.unit, theirs, speed
            );
        }
        s += "ratio: our speed vs PyTorch's (ours/theirs for rates, theirs/ours for times); ≥ 1 \
              is at least as fast. Peak RSS has no ratio: PyTorch's includes its libraries \
              (about 525 MiB after `import torch` alone)\n";
        let (same, differ): (Vec<&Networks>, Vec<&Networks>) =
            self.networks.iter().partition(|n| n.ours == n.pytorch);
        if !same.is_empty() {
            let names: Vec<&str> = same.iter().map(|n| n.section.as_str()).collect();
            s += &format!(
                "networks: the same parameter count and layer output shapes on both sides in {}\n",
                names.join(", ")
            );
        }
        for n in differ {
            s += &format!(
                "WARNING: {}'s networks differ, so its ratio compares different work:\n  \
                 ours:    {}\n  PyTorch: {}\n",
                n.section, n.ours, n.pytorch
            );
        }
        s
    }

    /// `bench.json`: the machine, PyTorch's source, and per figure ours, PyTorch's, the
    /// ratio and the goal (`null` where there is none). One figure per line.
    pub fn json(&self) -> String {
        let pytorch = match &self.pytorch {
            PyTorch::SameRun {
                version,
                capability,
                ..
            } => object(&[
                ("source", "same run".into()),
                ("version", version.as_str().into()),
                ("capability", capability.as_str().into()),
            ]),
            PyTorch::Recorded => object(&[
                ("source", "recorded".into()),
                ("recorded", RECORDED_ON.into()),
            ]),
        };
        let figures: Vec<String> = self.rows().iter().map(row_json).collect();
        let networks: Vec<String> = self
            .networks
            .iter()
            .map(|n| {
                object(&[
                    ("section", n.section.as_str().into()),
                    ("ours", n.ours.as_str().into()),
                    ("pytorch", n.pytorch.as_str().into()),
                    ("same", (n.ours == n.pytorch).into()),
                ])
            })
            .collect();
        let list = |items: &[String]| {
            if items.is_empty() {
                return "[]".to_string();
            }
            let lines: Vec<String> = items.iter().map(|i| format!("    {i}")).collect();
            format!("[\n{}\n  ]", lines.join(",\n"))
        };
        format!(
            "{{\n  \"cpu\": {},\n  \"extensions\": {},\n  \"gemm_kernel\": {},\n  \
             \"rounds\": {},\n  \"pytorch\": {pytorch},\n  \"figures\": {},\n  \
             \"networks\": {}\n}}\n",
            Value::from(self.machine.cpu.as_str()),
            Value::from(self.machine.extensions.clone()),
            Value::from(self.machine.gemm_kernel()),
            self.rounds,
            list(&figures),
            list(&networks),
        )
    }
}

/// `{"k1": v1, "k2": v2}` with the keys in the order given (a `serde_json` map would sort
/// them), each value written by `serde_json` (so strings are escaped, and a number that is
/// not finite is `null`).
fn object(pairs: &[(&str, Value)]) -> String {
    let fields: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
    format!("{{{}}}", fields.join(", "))
}

/// One figure of `bench.json`: `name`, `unit`, `median`, `min`, `max`, `pytorch`,
/// `pytorch_min`, `pytorch_max`, `pytorch_source`, `ratio`, `goal` and `goal_met`.
fn row_json(row: &Row<'_>) -> String {
    let f = row.ours;
    let theirs = row.theirs.as_ref();
    let spread = theirs.and_then(|t| t.spread);
    object(&[
        ("name", f.name.as_str().into()),
        ("unit", f.unit.as_str().into()),
        ("median", f.median.into()),
        ("min", f.min.into()),
        ("max", f.max.into()),
        ("pytorch", theirs.map(|t| t.median).into()),
        ("pytorch_min", spread.map(|s| s.0).into()),
        ("pytorch_max", spread.map(|s| s.1).into()),
        ("pytorch_source", theirs.map(|t| t.source).into()),
        ("ratio", row.ratio.into()),
        ("goal", row.goal.into()),
        ("goal_met", row.met().into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Machine {
        Machine {
            cpu: "AMD EPYC".to_string(),
            extensions: vec!["avx2", "fma"],
        }
    }

    fn ours() -> Vec<Figure> {
        vec![
            Figure::from_runs("xor_step_us", "us", vec![5.0, 6.0, 7.0]),
            Figure::from_runs("lesson7_train_images_per_s", "images/s", vec![1500.0]),
            Figure::from_runs("gemm_256_t2_gflops", "GFLOP/s", vec![1.0]),
        ]
    }

    fn report(pytorch: PyTorch) -> Report {
        Report {
            machine: machine(),
            rounds: 2,
            ours: ours(),
            pytorch,
            networks: Vec::new(),
        }
    }

    #[test]
    fn recorded_figures_are_labelled_and_give_the_ratio_and_goal() {
        let r = report(PyTorch::Recorded);
        let table = r.table();
        assert!(table.contains("recorded constants, not measured in this run"));
        assert!(table.contains(RECORDED_ON));
        // XOR: 394.8/6 = 65.80 ≥ 50, met. Lesson 7: 1500/2068 = 0.73 < 1, missed.
        assert!(table.contains("65.80×  ≥ 50.00× met"), "{table}");
        assert!(table.contains("0.73×  ≥ 1.00× MISSED"), "{table}");
        let text = r.json();
        // One figure per line, its keys in the documented order.
        assert!(text.contains(
            "\n    {\"name\": \"xor_step_us\", \"unit\": \"us\", \"median\": 6.0, \"min\": 5.0, "
        ));
        assert!(text.contains("\"networks\": []\n}"));
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["pytorch"]["source"], "recorded");
        assert_eq!(json["cpu"], "AMD EPYC");
        assert_eq!(json["extensions"], Value::from(vec!["avx2", "fma"]));
        let xor = &json["figures"][0];
        assert_eq!(
            (xor["name"].as_str(), xor["median"].as_f64()),
            (Some("xor_step_us"), Some(6.0))
        );
        assert_eq!(xor["pytorch"], 394.8);
        assert_eq!(xor["pytorch_source"], "recorded");
        assert_eq!(xor["goal"], 50.0);
        assert_eq!(xor["goal_met"], true);
        assert!((xor["ratio"].as_f64().unwrap() - 394.8 / 6.0).abs() < 1e-9);
        // A figure without a goal has no recorded PyTorch figure either.
        let gemm = &json["figures"][2];
        for key in ["pytorch", "pytorch_source", "ratio", "goal", "goal_met"] {
            assert!(gemm[key].is_null(), "{key}: {}", gemm[key]);
        }
    }

    #[test]
    fn same_run_figures_give_every_shared_figure_a_ratio() {
        let theirs = vec![
            Figure::from_runs("xor_step_us", "us", vec![300.0, 400.0]),
            Figure::from_runs("lesson7_train_images_per_s", "images/s", vec![1400.0]),
            Figure::from_runs("gemm_256_t2_gflops", "GFLOP/s", vec![2.0]),
        ];
        let mut r = report(PyTorch::SameRun {
            figures: theirs,
            version: "2.15.0".to_string(),
            capability: "AVX2".to_string(),
        });
        r.networks = vec![
            Networks {
                section: "lesson7".into(),
                ours: "9\t1x2".into(),
                pytorch: "9\t1x2".into(),
            },
            Networks {
                section: "xor".into(),
                ours: "9\t1x2".into(),
                pytorch: "11\t1x3".into(),
            },
        ];
        let table = r.table();
        assert!(table.contains("PyTorch 2.15.0 in the same run (CPU capability AVX2)"));
        // Lesson 7: 1500/1400 = 1.07 ≥ 1, met; GEMM 256: 1/2 = 0.5 and no goal.
        assert!(table.contains("1.07×  ≥ 1.00× met"), "{table}");
        assert!(table.contains("0.50×  \n"), "{table}");
        assert!(
            table.contains("same parameter count and layer output shapes on both sides in lesson7")
        );
        assert!(table.contains("WARNING: xor's networks differ"));
        let json: Value = serde_json::from_str(&r.json()).unwrap();
        assert_eq!(json["pytorch"]["source"], "same run");
        assert_eq!(json["pytorch"]["capability"], "AVX2");
        let xor = &json["figures"][0];
        assert_eq!(xor["pytorch"], 350.0);
        assert_eq!(
            (xor["pytorch_min"].as_f64(), xor["pytorch_max"].as_f64()),
            (Some(300.0), Some(400.0))
        );
        assert_eq!(xor["pytorch_source"], "same run");
        assert_eq!(json["figures"][2]["ratio"], 0.5);
        assert!(json["figures"][2]["goal"].is_null());
        assert_eq!(json["networks"][1]["same"], false);
    }
}
