//! A few flags shared by the commands, parsed by hand (the xtask stays dependency-light).
//!
//! The command line is the world: a wrong flag is an [`ArgError`] that names it, printed to
//! the user, never a panic.

use std::fmt;
use std::num::ParseIntError;
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
    /// `--pytorch`: measure PyTorch beside ours (`bench`).
    pub pytorch: bool,
    /// `--python PATH`: the interpreter that runs PyTorch (`bench`).
    pub python: Option<PathBuf>,
    /// `--rounds R`, at least 1: rounds of each bench section (`bench`).
    pub rounds: Option<usize>,
    /// `--out FILE`: where to write the results (`bench`).
    pub out: Option<PathBuf>,
}

/// What is wrong with a command line.
#[derive(Debug)]
pub enum ArgError {
    /// A flag that takes a value came last.
    MissingValue(&'static str),
    /// A flag's value is not a whole number.
    NotANumber {
        /// The flag.
        flag: &'static str,
        /// What was given.
        value: String,
        /// The parser's error.
        source: ParseIntError,
    },
    /// A count that must be at least 1 was 0.
    Zero(&'static str),
    /// A flag no command knows.
    UnknownFlag(String),
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgError::MissingValue(flag) => write!(f, "{flag} needs a value"),
            ArgError::NotANumber {
                flag,
                value,
                source,
            } => write!(f, "{flag} {value}: {source}"),
            ArgError::Zero(flag) => write!(f, "{flag} must be at least 1"),
            ArgError::UnknownFlag(flag) => write!(f, "unknown flag {flag}"),
        }
    }
}

impl std::error::Error for ArgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ArgError::NotANumber { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Parses `args`; an unknown flag or a missing or malformed value is an [`ArgError`].
pub fn parse(args: &[String]) -> Result<Args, ArgError> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &'static str| it.next().cloned().ok_or(ArgError::MissingValue(flag));
        match arg.as_str() {
            "--seed" => out.seed = Some(number("--seed", value("--seed")?)?),
            "--data-dir" => out.data_dir = Some(PathBuf::from(value("--data-dir")?)),
            "--epochs" => out.epochs = Some(number("--epochs", value("--epochs")?)?),
            "--model" => out.model = Some(PathBuf::from(value("--model")?)),
            "--quick" => out.quick = true,
            "--pytorch" => out.pytorch = true,
            "--python" => out.python = Some(PathBuf::from(value("--python")?)),
            "--rounds" => match number("--rounds", value("--rounds")?)? {
                0 => return Err(ArgError::Zero("--rounds")),
                r => out.rounds = Some(r),
            },
            "--out" => out.out = Some(PathBuf::from(value("--out")?)),
            flag if flag.starts_with("--") => return Err(ArgError::UnknownFlag(flag.to_string())),
            _ => out.positional.push(arg.clone()),
        }
    }
    Ok(out)
}

/// The value of `flag` as a whole number.
fn number<T: std::str::FromStr<Err = ParseIntError>>(
    flag: &'static str,
    value: String,
) -> Result<T, ArgError> {
    value.parse().map_err(|source| ArgError::NotANumber {
        flag,
        value,
        source,
    })
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

    #[test]
    fn the_bench_flags_are_parsed_and_zero_rounds_refused() {
        let strings = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let parsed = parse(&strings(&[
            "--pytorch",
            "--python",
            "/py",
            "--rounds",
            "3",
            "xor",
        ]))
        .unwrap();
        assert!(parsed.pytorch);
        assert_eq!(parsed.python, Some(PathBuf::from("/py")));
        assert_eq!(
            (parsed.rounds, parsed.positional),
            (Some(3), vec!["xor".to_string()])
        );
        let err = parse(&strings(&["--rounds", "0"])).unwrap_err();
        assert!(matches!(err, ArgError::Zero("--rounds")));
        assert_eq!(err.to_string(), "--rounds must be at least 1");
        assert!(matches!(
            parse(&strings(&["--rounds", "two"])),
            Err(ArgError::NotANumber {
                flag: "--rounds",
                ..
            })
        ));
        assert!(matches!(
            parse(&strings(&["--python"])),
            Err(ArgError::MissingValue("--python"))
        ));
    }
}
