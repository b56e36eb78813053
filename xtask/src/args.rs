//! The flags of `bench` and `data`, parsed by hand (the xtask stays dependency-light), and
//! the exit code of every command's usage errors.
//!
//! The command line is the world: a wrong flag is an [`ArgError`] that names it and the
//! command, printed to the user, never a panic. Each command takes only its own flags: a
//! flag it does not use is refused, not ignored, so `cargo xtask bench --seed 1` says that
//! `bench` has no `--seed` instead of running as if the seed had been taken.
//!
//! **Exit codes**, the same for every command: 0 for success; [`USAGE_ERROR`] (2) for a
//! command line that is wrong — an unknown command, a flag the command does not take, a
//! flag without its value, a malformed number — with nothing done; 1 for a run that failed
//! (a missed bar, a download that did not verify, a failing exercise). `lesson`, `compare`,
//! `predict`, `studio` and `exercise` parse their own flags and return [`USAGE_ERROR`] the
//! same way; `test` hands its arguments to `cargo test`, which judges them itself.

use std::fmt;
use std::num::ParseIntError;
use std::path::PathBuf;
use std::process::ExitCode;

/// The exit code of a wrong command line.
pub const USAGE_ERROR: u8 = 2;

/// The flags `cargo xtask bench` takes (besides `--help`).
pub const BENCH: &[&str] = &["--pytorch", "--python", "--rounds", "--quick", "--out"];

/// The flags `cargo xtask data` takes (besides `--help`).
pub const DATA: &[&str] = &["--data-dir"];

/// Prints `error: {message}` and the usage text to standard error; returns [`USAGE_ERROR`].
pub fn usage_error(message: impl fmt::Display, usage: &str) -> ExitCode {
    eprintln!("error: {message}\n{usage}");
    ExitCode::from(USAGE_ERROR)
}

/// Flags and positional arguments of one command.
#[derive(Debug, Default)]
pub struct Args {
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
    /// `--help` (or `-h`).
    pub help: bool,
    /// `--data-dir DIR`: the folder holding the data sets (`data`).
    pub data_dir: Option<PathBuf>,
    /// `--quick`: the shorter schedule (`bench`).
    pub quick: bool,
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
    /// A flag that takes a value came last, or was followed by another flag.
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
    /// A flag the command does not take (another command's, or no command's).
    NotTaken {
        /// The flag as given.
        flag: String,
        /// The command, e.g. `data`.
        command: &'static str,
        /// The flags it takes.
        takes: &'static [&'static str],
    },
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
            ArgError::NotTaken {
                flag,
                command,
                takes,
            } => write!(
                f,
                "{flag}: `cargo xtask {command}` takes no such flag (its flags: {})",
                takes.join(", ")
            ),
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

/// Parses the arguments of `command`, which takes the flags `takes` (and `--help`); any
/// other flag, a missing or malformed value is an [`ArgError`]. A value may follow its flag
/// as the next argument or after `=` (`--data-dir=DIR`).
pub fn parse(
    command: &'static str,
    takes: &'static [&'static str],
    args: &[String],
) -> Result<Args, ArgError> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if !arg.starts_with('-') || arg == "-" {
            out.positional.push(arg.clone());
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        if flag == "--help" || flag == "-h" {
            out.help = true;
            continue;
        }
        let Some(&flag) = takes.iter().find(|&&f| f == flag) else {
            return Err(ArgError::NotTaken {
                flag: flag.to_string(),
                command,
                takes,
            });
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().filter(|v| !v.starts_with("--")).cloned())
                .ok_or(ArgError::MissingValue(flag))
        };
        match flag {
            "--data-dir" => out.data_dir = Some(PathBuf::from(value()?)),
            "--quick" => out.quick = true,
            "--pytorch" => out.pytorch = true,
            "--python" => out.python = Some(PathBuf::from(value()?)),
            "--rounds" => match number("--rounds", value()?)? {
                0 => return Err(ArgError::Zero("--rounds")),
                r => out.rounds = Some(r),
            },
            "--out" => out.out = Some(PathBuf::from(value()?)),
            other => unreachable!("{command} takes {other}, which `args::parse` does not know"),
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

    fn strings(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_and_positionals_are_separated() {
        let parsed = parse("bench", BENCH, &strings(&["xor", "--quick", "gemm"])).unwrap();
        assert_eq!(parsed.positional, ["xor", "gemm"]);
        assert!(parsed.quick && !parsed.help);
        let parsed = parse("data", DATA, &strings(&["--data-dir", "/d"])).unwrap();
        assert_eq!(parsed.data_dir, Some(PathBuf::from("/d")));
        let parsed = parse("data", DATA, &strings(&["--data-dir=/e", "--help"])).unwrap();
        assert_eq!(parsed.data_dir, Some(PathBuf::from("/e")));
        assert!(parsed.help);
    }

    #[test]
    fn a_flag_the_command_does_not_take_is_refused_naming_both() {
        // Issue 24: `data --epochs 3` was answered with exit code 1, as if a run had failed.
        let err = parse("data", DATA, &strings(&["--epochs", "3"])).unwrap_err();
        assert!(
            matches!(&err, ArgError::NotTaken { flag, command: "data", .. } if flag == "--epochs")
        );
        assert_eq!(
            err.to_string(),
            "--epochs: `cargo xtask data` takes no such flag (its flags: --data-dir)"
        );
        // Another command's flag (also as `--flag=value`), and a flag of none.
        for flag in [
            "--data-dir",
            "--data-dir=/d",
            "--seed",
            "--epochs",
            "--bogus",
        ] {
            let err = parse("bench", BENCH, &strings(&[flag, "1"])).unwrap_err();
            let shown = flag.split('=').next().unwrap();
            assert!(
                err.to_string()
                    .starts_with(&format!("{shown}: `cargo xtask bench`")),
                "{err}"
            );
        }
        assert!(matches!(
            parse("data", DATA, &strings(&["--quick"])),
            Err(ArgError::NotTaken { .. })
        ));
    }

    #[test]
    fn missing_values_bad_numbers_and_zero_rounds_are_refused() {
        let parsed = parse(
            "bench",
            BENCH,
            &strings(&["--pytorch", "--python", "/py", "--rounds", "3", "xor"]),
        )
        .unwrap();
        assert!(parsed.pytorch);
        assert_eq!(parsed.python, Some(PathBuf::from("/py")));
        assert_eq!(
            (parsed.rounds, parsed.positional),
            (Some(3), strings(&["xor"]))
        );
        let err = parse("bench", BENCH, &strings(&["--rounds", "0"])).unwrap_err();
        assert!(matches!(err, ArgError::Zero("--rounds")));
        assert_eq!(err.to_string(), "--rounds must be at least 1");
        assert!(matches!(
            parse("bench", BENCH, &strings(&["--rounds", "two"])),
            Err(ArgError::NotANumber {
                flag: "--rounds",
                ..
            })
        ));
        for args in [&["--python"][..], &["--out", "--quick"], &["--data-dir"]] {
            let takes = if args[0] == "--data-dir" { DATA } else { BENCH };
            let command = if args[0] == "--data-dir" {
                "data"
            } else {
                "bench"
            };
            assert!(
                matches!(parse(command, takes, &strings(args)), Err(ArgError::MissingValue(f)) if f == args[0]),
                "{args:?}"
            );
        }
    }

    #[test]
    fn every_flag_a_command_takes_is_one_parse_reads() {
        // A command listing a flag that `parse` cannot read would panic when it is given.
        for flag in DATA.iter().chain(BENCH) {
            let parsed = parse("any", std::slice::from_ref(flag), &strings(&[flag, "1"]));
            assert!(parsed.is_ok(), "{flag}: {parsed:?}");
        }
    }
}
