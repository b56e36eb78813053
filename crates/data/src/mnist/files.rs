//! The four MNIST files: their published hashes, downloading the missing ones, checking
//! local copies, and finding a file whether it is stored gzip-compressed or raw.

use std::path::{Path, PathBuf};

use super::Dataset;
use crate::download::{RemoteFile, fetch_missing};
use crate::error::{DataError, io_error};
use crate::hash::sha256_hex;
use crate::idx;

/// One MNIST file with its published hashes (lowercase hex SHA-256).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MnistFile {
    /// The name as the mirrors serve it, with `.gz`.
    pub name: &'static str,
    /// SHA-256 of the `.gz` file as the mirrors serve it: downloads are checked against it.
    pub gz_sha256: &'static str,
    /// SHA-256 of the decompressed IDX bytes: a local copy, however compressed, has it.
    pub raw_sha256: &'static str,
}

/// The four MNIST files and their hashes.
pub const MNIST_FILES: [MnistFile; 4] = [
    MnistFile {
        name: "train-images-idx3-ubyte.gz",
        gz_sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        raw_sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    },
    MnistFile {
        name: "train-labels-idx1-ubyte.gz",
        gz_sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        raw_sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    },
    MnistFile {
        name: "t10k-images-idx3-ubyte.gz",
        gz_sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        raw_sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    },
    MnistFile {
        name: "t10k-labels-idx1-ubyte.gz",
        gz_sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        raw_sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
];

/// Downloads whichever MNIST files `dir` (e.g. `root/mnist`) lacks, in neither `.gz` nor
/// raw form, from `mirrors` (normally [`crate::download::MNIST_MIRRORS`]), checking each
/// against its `.gz` hash. Files already present are not checked. Returns the paths
/// downloaded.
pub fn download_mnist(dir: &Path, mirrors: &[&str]) -> Result<Vec<PathBuf>, DataError> {
    let files: Vec<RemoteFile<'_>> = MNIST_FILES
        .iter()
        .filter(|f| find_file(dir, f.name.trim_end_matches(".gz"), Dataset::Mnist).is_err())
        .map(|f| RemoteFile {
            name: f.name,
            sha256: f.gz_sha256,
        })
        .collect();
    fetch_missing(dir, &files, mirrors)
}

/// Checks every MNIST file in `dir` against its raw (decompressed) hash, which holds for
/// a recompressed copy too. Returns the files checked; a missing file is an error.
pub fn verify_mnist(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let mut checked = Vec::new();
    for file in &MNIST_FILES {
        let path = find_file(dir, file.name.trim_end_matches(".gz"), Dataset::Mnist)?;
        let bytes = std::fs::read(&path).map_err(io_error(&path))?;
        let hash = if bytes.starts_with(&idx::GZIP_MAGIC) {
            sha256_hex(flate2::read::MultiGzDecoder::new(&bytes[..]))
        } else {
            sha256_hex(&bytes[..])
        }
        .map_err(io_error(&path))?;
        if hash != file.raw_sha256 {
            return Err(DataError::Checksum {
                path,
                expected: file.raw_sha256.to_string(),
                actual: hash,
            });
        }
        checked.push(path);
    }
    Ok(checked)
}

/// Finds `stem.gz` or raw `stem` in `dir`, or says how to get the data set.
pub(super) fn find_file(dir: &Path, stem: &str, dataset: Dataset) -> Result<PathBuf, DataError> {
    let gz = dir.join(format!("{stem}.gz"));
    if gz.exists() {
        return Ok(gz);
    }
    let raw = dir.join(stem);
    if raw.exists() {
        return Ok(raw);
    }
    let hint = match dataset {
        Dataset::Mnist => format!(
            "Point GRADSCHOOL_DATA or --data-dir at a directory holding mnist/, \
             or run `cargo xtask data` to download MNIST into {}.",
            dir.display()
        ),
        Dataset::FashionMnist => format!(
            "Fashion-MNIST is not downloaded automatically: `apt-get install dataset-fashion-mnist` \
             puts its four .gz files in /usr/share/datasets/fashion-mnist/; copy or link them into {}.",
            dir.display()
        ),
    };
    Err(DataError::Missing { path: gz, hint })
}
