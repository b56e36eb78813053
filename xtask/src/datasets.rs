//! `cargo xtask data [--data-dir DIR]`: fetch or verify every data set the lessons use.
//!
//! The data root comes from `--data-dir`, else `GRADSCHOOL_DATA`, else the per-user cache
//! (see `data::data_root`). MNIST and Fashion-MNIST are downloaded into `ROOT/mnist/` and
//! `ROOT/fashion-mnist/` if missing (checked by the mirrors' `.gz` SHA-256, or for
//! Fashion-MNIST, whose copies were compressed differently, by the SHA-256 of the bytes
//! inside), then every local file is checked by its raw SHA-256 and both splits are loaded.
//! Iris is embedded in the `data` crate. Works offline whenever the files are already there.

use std::path::Path;
use std::process::ExitCode;

use data::mnist::{self, Dataset, Mnist, Split};
use data::{DataError, data_root};

use crate::args;

/// The usage line, printed with every usage error and for `--help`.
const USAGE: &str = "usage: cargo xtask data [--data-dir DIR]";

/// Runs `cargo xtask data` with the arguments after `data`. Exit codes: 0 when every set
/// is there and verified, 1 when MNIST or Fashion-MNIST cannot be fetched or verified,
/// [`args::USAGE_ERROR`] for a wrong command line (with nothing fetched).
pub fn run(raw: &[String]) -> ExitCode {
    let parsed = match args::parse("data", args::DATA, raw) {
        Ok(parsed) => parsed,
        Err(e) => return args::usage_error(e, USAGE),
    };
    if let Some(arg) = parsed.positional.first() {
        return args::usage_error(format!("unexpected argument `{arg}`"), USAGE);
    }
    if parsed.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let flag = parsed.data_dir;
    let root = data_root(flag.as_deref());
    let source = if flag.is_some() {
        "--data-dir"
    } else if std::env::var_os(data::DATA_ENV).is_some_and(|v| !v.is_empty()) {
        "GRADSCHOOL_DATA"
    } else {
        "per-user cache; set GRADSCHOOL_DATA or --data-dir to choose"
    };
    println!("data root: {} ({source})", root.display());

    let mut all_ok = true;
    for dataset in [Dataset::Mnist, Dataset::FashionMnist] {
        let name = dataset.title();
        match check_set(&root, dataset) {
            Ok(summary) => println!("{name}: ok, {summary}"),
            Err(e) => {
                eprintln!("{name}: FAILED\n  {e}");
                eprintln!(
                    "  To fix: point GRADSCHOOL_DATA or --data-dir at a directory whose {}/ holds \
                     the four {name} .gz files, or connect to the internet and run `cargo xtask \
                     data` again to download them into {}.",
                    dataset.dir_name(),
                    root.join(dataset.dir_name()).display()
                );
                all_ok = false;
            }
        }
    }

    let iris = data::iris::iris();
    println!(
        "iris: ok, {} rows embedded in the data crate (crates/data/iris.csv)",
        iris.labels.len()
    );

    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Downloads the set's missing files, checks raw hashes, loads both splits.
fn check_set(root: &Path, dataset: Dataset) -> Result<String, DataError> {
    let dir = root.join(dataset.dir_name());
    for path in mnist::download_set(dataset, &dir, dataset.mirrors())? {
        println!("  downloaded {}", path.display());
    }
    mnist::verify_set(dataset, &dir)?;
    Ok(format!(
        "{} (SHA-256 of every file checked)",
        load_both(root, dataset)?
    ))
}

/// Loads the train and test splits and describes them.
fn load_both(root: &Path, dataset: Dataset) -> Result<String, DataError> {
    let train = Mnist::load(root, dataset, Split::Train)?;
    let test = Mnist::load(root, dataset, Split::Test)?;
    Ok(format!(
        "{} train + {} test images in {}",
        train.len(),
        test.len(),
        root.join(dataset.dir_name()).display()
    ))
}
