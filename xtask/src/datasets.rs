//! `cargo xtask data [--data-dir DIR]`: fetch or verify every data set the lessons use.
//!
//! The data root comes from `--data-dir`, else `GRADSCHOOL_DATA`, else the per-user cache
//! (see `data::data_root`). MNIST is downloaded into `ROOT/mnist/` if missing (checked by
//! the mirrors' `.gz` SHA-256), then every local file is checked by its raw SHA-256 and
//! both splits are loaded. Fashion-MNIST is optional: verified if present. Iris is
//! embedded in the `data` crate. Works offline whenever the files are already there.

use std::path::Path;
use std::process::ExitCode;

use data::download::MNIST_MIRRORS;
use data::mnist::{self, Dataset, Mnist, Split};
use data::{DataError, data_dir_flag, data_root};

/// Runs `cargo xtask data` with the arguments after `data`; fails if MNIST cannot be
/// fetched or verified.
pub fn run(args: &[String]) -> ExitCode {
    if let Some(arg) = args
        .iter()
        .find(|a| *a != "--data-dir" && !a.starts_with("--data-dir="))
    {
        let is_flag_value = args
            .windows(2)
            .any(|w| w[0] == "--data-dir" && &w[1] == arg);
        if !is_flag_value {
            eprintln!(
                "error: unexpected argument `{arg}`\nusage: cargo xtask data [--data-dir DIR]"
            );
            return ExitCode::FAILURE;
        }
    }
    let flag = data_dir_flag(args);
    let root = data_root(flag.as_deref());
    let source = if flag.is_some() {
        "--data-dir"
    } else if std::env::var_os(data::DATA_ENV).is_some_and(|v| !v.is_empty()) {
        "GRADSCHOOL_DATA"
    } else {
        "per-user cache; set GRADSCHOOL_DATA or --data-dir to choose"
    };
    println!("data root: {} ({source})", root.display());

    let mnist_ok = match check_mnist(&root) {
        Ok(summary) => {
            println!("MNIST: ok, {summary}");
            true
        }
        Err(e) => {
            eprintln!("MNIST: FAILED\n  {e}");
            eprintln!(
                "  To fix: point GRADSCHOOL_DATA or --data-dir at a directory whose mnist/ holds \
                 the four MNIST .gz files, or connect to the internet and run `cargo xtask data` \
                 again to download them into {}.",
                root.join("mnist").display()
            );
            false
        }
    };

    let fashion_dir = root.join(Dataset::FashionMnist.dir_name());
    if fashion_dir.exists() {
        match load_both(&root, Dataset::FashionMnist) {
            Ok(summary) => println!("Fashion-MNIST: ok, {summary}"),
            Err(e) => eprintln!("Fashion-MNIST (optional): present but unreadable\n  {e}"),
        }
    } else {
        println!(
            "Fashion-MNIST: not present (optional). `apt-get install dataset-fashion-mnist` puts \
             its four .gz files in /usr/share/datasets/fashion-mnist/; copy or link them into {}.",
            fashion_dir.display()
        );
    }

    let iris = data::iris::iris();
    println!(
        "iris: ok, {} rows embedded in the data crate (crates/data/iris.csv)",
        iris.labels.len()
    );

    if mnist_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Downloads missing MNIST files, checks raw hashes, loads both splits.
fn check_mnist(root: &Path) -> Result<String, DataError> {
    let dir = root.join(Dataset::Mnist.dir_name());
    for path in mnist::download_mnist(&dir, MNIST_MIRRORS)? {
        println!("  downloaded {}", path.display());
    }
    mnist::verify_mnist(&dir)?;
    Ok(format!(
        "{} (SHA-256 of every file checked)",
        load_both(root, Dataset::Mnist)?
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
