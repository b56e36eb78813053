//! `cargo xtask compare A/history.json B/history.json … [--metric NAME] [--out FILE]`:
//! overlays the curves of several runs in one chart, each labelled by what differs between
//! their recipes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use models::history::SavedRun;
use models::plot::{self, Labels, Series};

/// The usage line, printed with every error.
const USAGE: &str =
    "usage: cargo xtask compare RUN/history.json RUN/history.json ... [--metric NAME] [--out FILE]";

/// What the command line asked for.
struct Request {
    files: Vec<PathBuf>,
    metric: String,
    out: PathBuf,
}

/// Parses the arguments: history files, `--metric` (default `train_loss`), `--out`
/// (default `target/compare.png`).
fn parse(raw: &[String]) -> Result<Request, String> {
    let mut request = Request {
        files: Vec::new(),
        metric: "train_loss".into(),
        out: crate::args::workspace_root().join("target/compare.png"),
    };
    let mut it = raw.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--metric" => request.metric = value("--metric")?,
            "--out" => request.out = PathBuf::from(value("--out")?),
            flag if flag.starts_with("--") => {
                return Err(format!(
                    "unknown flag {flag}; compare takes --metric and --out"
                ));
            }
            file => request.files.push(PathBuf::from(file)),
        }
    }
    if request.files.len() < 2 {
        return Err("compare needs at least two history.json files".into());
    }
    Ok(request)
}

/// The legend of each run: the recipe fields (and lesson, seed) whose values are not the
/// same in every run, as `lr=0.01, seed=2`; a run's folder name when nothing differs.
pub fn legends(runs: &[SavedRun]) -> Vec<String> {
    let described: Vec<Vec<(String, String)>> = runs
        .iter()
        .map(|r| {
            let mut fields = vec![
                ("lesson".to_string(), r.lesson.to_string()),
                ("seed".to_string(), r.seed.to_string()),
            ];
            fields.extend(r.recipe.iter().cloned());
            fields
        })
        .collect();
    let differs = |name: &str| {
        let value = |fields: &[(String, String)]| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let first = value(&described[0]);
        described.iter().any(|d| value(d) != first)
    };
    described
        .iter()
        .zip(runs)
        .map(|(fields, run)| {
            let parts: Vec<String> = fields
                .iter()
                .filter(|(n, _)| differs(n))
                .map(|(n, v)| format!("{n}={}", v.trim_matches('"')))
                .collect();
            if parts.is_empty() {
                folder_name(&run.path)
            } else {
                parts.join(", ")
            }
        })
        .collect()
}

/// The name of the folder holding `path` (a run's `--out` folder).
fn folder_name(path: &Path) -> String {
    path.parent().and_then(|p| p.file_name()).map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Runs the command.
pub fn run(raw: &[String]) -> ExitCode {
    let request = match parse(raw) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut runs = Vec::new();
    for file in &request.files {
        match SavedRun::read(file) {
            Ok(run) => runs.push(run),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let missing: Vec<String> = runs
        .iter()
        .filter(|r| r.history.values(&request.metric).is_empty())
        .map(|r| r.path.display().to_string())
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "error: no `{}` in {} (its metrics: {})",
            request.metric,
            missing.join(", "),
            runs[0].history.names().join(", ")
        );
        return ExitCode::from(2);
    }
    let series: Vec<Series> = legends(&runs)
        .iter()
        .zip(&runs)
        .map(|(legend, r)| Series::line(legend, r.history.curve(&request.metric)))
        .collect();
    for (s, r) in series.iter().zip(&runs) {
        let last = s.points.last().map_or(f64::NAN, |p| p.1);
        println!(
            "  {:<40} final {} {last:.4}  ({})",
            s.label,
            request.metric,
            r.path.display()
        );
    }
    let labels = Labels {
        title: format!("{} over epochs", request.metric),
        x: "epoch".into(),
        y: request.metric.clone(),
        ..Labels::default()
    };
    if let Some(dir) = request.out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match plot::line_chart(&request.out, &labels, &series) {
        Ok(path) => {
            println!("comparison: {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use models::history::History;

    fn saved(path: &str, seed: u64, lr: &str) -> SavedRun {
        SavedRun {
            path: PathBuf::from(path),
            lesson: 3,
            seed,
            recipe: vec![("lr".into(), lr.into()), ("epochs".into(), "100".into())],
            history: History::default(),
        }
    }

    #[test]
    fn legends_name_only_what_differs() {
        let runs = [
            saved("a/history.json", 2, "0.001"),
            saved("b/history.json", 2, "0.01"),
        ];
        assert_eq!(legends(&runs), ["lr=0.001", "lr=0.01"]);
        let runs = [
            saved("a/history.json", 1, "0.001"),
            saved("b/history.json", 2, "0.01"),
        ];
        assert_eq!(legends(&runs), ["seed=1, lr=0.001", "seed=2, lr=0.01"]);
        let runs = [
            saved("x/history.json", 2, "0.1"),
            saved("y/history.json", 2, "0.1"),
        ];
        assert_eq!(legends(&runs), ["x", "y"]);
    }

    #[test]
    fn bad_arguments_are_refused() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(parse(&args(&["a.json"])).is_err());
        assert!(parse(&args(&["a.json", "b.json", "--colour", "red"])).is_err());
        let ok = parse(&args(&["a.json", "b.json", "--metric", "val_loss"])).unwrap();
        assert_eq!((ok.files.len(), ok.metric.as_str()), (2, "val_loss"));
    }
}
