//! A few flags shared by the commands, parsed by hand (the xtask stays dependency-light).

use std::path::PathBuf;

/// Flags and positional arguments of one command.
#[derive(Debug, Default)]
pub struct Args {
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
    /// `--seed S`.
    pub seed: Option<u64>,
    /// `--data-dir DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--epochs E`.
    pub epochs: Option<usize>,
    /// `--quick`: the shorter schedule.
    pub quick: bool,
    /// `--model FILE`.
    pub model: Option<PathBuf>,
}

/// Parses `args`; an unknown flag or a missing or malformed value is an error message.
pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seed" => {
                out.seed = Some(
                    value("--seed")?
                        .parse()
                        .map_err(|e| format!("--seed: {e}"))?,
                )
            }
            "--data-dir" => out.data_dir = Some(PathBuf::from(value("--data-dir")?)),
            "--epochs" => {
                out.epochs = Some(
                    value("--epochs")?
                        .parse()
                        .map_err(|e| format!("--epochs: {e}"))?,
                )
            }
            "--model" => out.model = Some(PathBuf::from(value("--model")?)),
            "--quick" => out.quick = true,
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
            _ => out.positional.push(arg.clone()),
        }
    }
    Ok(out)
}

/// The workspace's root folder (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_positionals_are_separated() {
        let args: Vec<String> = ["3", "--seed", "7", "--quick"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let parsed = parse(&args).unwrap();
        assert_eq!(parsed.positional, vec!["3"]);
        assert_eq!((parsed.seed, parsed.quick), (Some(7), true));
        assert!(parse(&["--seed".to_string()]).is_err());
        assert!(parse(&["--bogus".to_string()]).is_err());
    }
}
