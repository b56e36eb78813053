//! The four files of MNIST and of Fashion-MNIST: their published hashes, downloading the
//! missing ones, checking local copies, and finding a file whether it is stored
//! gzip-compressed or raw.

use std::path::{Path, PathBuf};

use super::Dataset;
use crate::download::{Hashed, RemoteFile, fetch_missing};
use crate::error::{DataError, io_error};
use crate::hash::sha256_hex;
use crate::idx;

/// One file of either set with its published hashes (lowercase hex SHA-256).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MnistFile {
    /// The name as the mirrors serve it, with `.gz`.
    pub name: &'static str,
    /// SHA-256 of the `.gz` file as the mirrors serve it, where every mirror serves the
    /// same bytes (MNIST): downloads are checked against it. `None` where copies differ
    /// (Fashion-MNIST): downloads are checked against `raw_sha256` instead.
    pub gz_sha256: Option<&'static str>,
    /// SHA-256 of the decompressed IDX bytes: a local copy, however compressed, has it.
    pub raw_sha256: &'static str,
}

/// The four MNIST files and their hashes.
pub const MNIST_FILES: [MnistFile; 4] = [
    MnistFile {
        name: "train-images-idx3-ubyte.gz",
        gz_sha256: Some("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        raw_sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    },
    MnistFile {
        name: "train-labels-idx1-ubyte.gz",
        gz_sha256: Some("3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        raw_sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    },
    MnistFile {
        name: "t10k-images-idx3-ubyte.gz",
        gz_sha256: Some("8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        raw_sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    },
    MnistFile {
        name: "t10k-labels-idx1-ubyte.gz",
        gz_sha256: Some("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        raw_sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    },
];

/// The four Fashion-MNIST files (Zalando Research's, MIT licence) and the hashes of their
/// decompressed bytes; their `.gz` bytes differ from copy to copy.
pub const FASHION_MNIST_FILES: [MnistFile; 4] = [
    MnistFile {
        name: "train-images-idx3-ubyte.gz",
        gz_sha256: None,
        raw_sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    },
    MnistFile {
        name: "train-labels-idx1-ubyte.gz",
        gz_sha256: None,
        raw_sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    },
    MnistFile {
        name: "t10k-images-idx3-ubyte.gz",
        gz_sha256: None,
        raw_sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    },
    MnistFile {
        name: "t10k-labels-idx1-ubyte.gz",
        gz_sha256: None,
        raw_sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    },
];

/// The four files of `dataset` with their hashes.
pub fn files_of(dataset: Dataset) -> &'static [MnistFile; 4] {
    match dataset {
        Dataset::Mnist => &MNIST_FILES,
        Dataset::FashionMnist => &FASHION_MNIST_FILES,
    }
}

/// Downloads whichever files of `dataset` `dir` (e.g. `root/mnist`) lacks, in neither
/// `.gz` nor raw form, from `mirrors` (normally [`Dataset::mirrors`]), checking each
/// against its `.gz` hash or, where there is none, the hash of its decompressed bytes.
/// Files already present are not checked. Returns the paths downloaded.
pub fn download_set(
    dataset: Dataset,
    dir: &Path,
    mirrors: &[&str],
) -> Result<Vec<PathBuf>, DataError> {
    let files: Vec<RemoteFile<'_>> = files_of(dataset)
        .iter()
        .filter(|f| find_file(dir, f.name.trim_end_matches(".gz"), dataset).is_err())
        .map(|f| match f.gz_sha256 {
            Some(gz) => RemoteFile {
                name: f.name,
                sha256: gz,
                hashed: Hashed::Served,
            },
            None => RemoteFile {
                name: f.name,
                sha256: f.raw_sha256,
                hashed: Hashed::Gunzipped,
            },
        })
        .collect();
    fetch_missing(dir, &files, mirrors)
}

/// Checks every file of `dataset` in `dir` against its raw (decompressed) hash, which holds
/// for a recompressed copy too. Returns the files checked; a missing file is an error.
pub fn verify_set(dataset: Dataset, dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let mut checked = Vec::new();
    for file in files_of(dataset) {
        let path = find_file(dir, file.name.trim_end_matches(".gz"), dataset)?;
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
    let hint = format!(
        "Point GRADSCHOOL_DATA or --data-dir at a directory holding {}/, \
         or run `cargo xtask data` to download {} into {}.",
        dataset.dir_name(),
        dataset.title(),
        dir.display()
    );
    Err(DataError::Missing { path: gz, hint })
}
