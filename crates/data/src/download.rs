//! Downloading a data file from a list of mirrors, trusting it only once its SHA-256 matches.
//!
//! For each mirror in turn: request `mirror + file name`, stream the body into an
//! [`AtomicFile`] (a temporary file beside the destination) while hashing it (with a
//! progress bar on a terminal), check the length against `Content-Length` and the hash
//! against the published one, and only then commit it under its final name. A 404, a
//! dropped connection, a short body or a wrong hash moves on to the next mirror and leaves
//! nothing behind (the uncommitted file deletes itself); if no mirror delivers, the error
//! lists what each one did.
//!
//! The mirror list is a parameter, so tests serve files from `127.0.0.1`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use atomic_file::AtomicFile;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::error::DataError;
use crate::hash::hex;

/// The public MNIST mirrors torchvision uses, tried in this order.
pub const MNIST_MIRRORS: &[&str] = &[
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
];

/// The public Fashion-MNIST mirrors: the dataset's own (which torchvision uses), then its
/// repository's copy. Their `.gz` bytes may differ; the data inside does not.
pub const FASHION_MNIST_MIRRORS: &[&str] = &[
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
];

/// A file to fetch: its name (appended to each mirror's base URL) and the SHA-256 it must
/// have, as lowercase hex, of the bytes [`Hashed`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RemoteFile<'a> {
    /// The file name, e.g. `train-labels-idx1-ubyte.gz`.
    pub name: &'a str,
    /// The SHA-256 of the bytes `hashed` names.
    pub sha256: &'a str,
    /// Which bytes the hash is of.
    pub hashed: Hashed,
}

/// Which bytes a published hash is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hashed {
    /// The file as the mirrors serve it (MNIST's `.gz` files are the same everywhere).
    Served,
    /// The file after gunzipping: where copies were compressed anew (Fashion-MNIST's), only
    /// the data inside is the same from mirror to mirror.
    Gunzipped,
}

/// Downloads each of `files` that `dir` does not already hold; returns the paths of the
/// files it downloaded (empty when all were present). Files already present are trusted
/// as they are: checking local copies is the caller's choice.
pub fn fetch_missing(
    dir: &Path,
    files: &[RemoteFile<'_>],
    mirrors: &[&str],
) -> Result<Vec<PathBuf>, DataError> {
    let mut fetched = Vec::new();
    for file in files {
        let path = dir.join(file.name);
        if !path.exists() {
            download(&path, file, mirrors)?;
            fetched.push(path);
        }
    }
    Ok(fetched)
}

/// Downloads `file` to `dest` from the first mirror that serves it with the right hash,
/// creating `dest`'s folder if needed (a fresh data cache). On failure `dest` does not
/// exist and no temporary file remains.
pub fn download(dest: &Path, file: &RemoteFile<'_>, mirrors: &[&str]) -> Result<(), DataError> {
    atomic_file::create_folder_for(dest)?;
    let agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .build()
        .new_agent();
    let mut attempts = Vec::new();
    for mirror in mirrors {
        let url = format!("{mirror}{}", file.name);
        match download_from(&agent, &url, dest, (file.sha256, file.hashed)) {
            Ok(()) => return Ok(()),
            Err(e) => attempts.push((url, e)),
        }
    }
    Err(DataError::Download {
        path: dest.to_path_buf(),
        attempts,
    })
}

/// Hashes what is written into it: the bytes a gzip decoder hands on.
struct HashWriter(Sha256);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One attempt: stream `url` into an [`AtomicFile`] for `dest`, check length and hash (of
/// the bytes as served, or as a gzip decoder fed them on the way gives them),
/// commit. On every error path the file is dropped uncommitted, which deletes it.
fn download_from(
    agent: &ureq::Agent,
    url: &str,
    dest: &Path,
    (expected, hashed): (&str, Hashed),
) -> Result<(), DataError> {
    let http = |problem: String, source: Option<ureq::Error>| DataError::Http {
        url: url.to_string(),
        problem,
        source,
    };
    let mut out = AtomicFile::create(dest)?;
    let mut response = agent
        .get(url)
        .call()
        .map_err(|e| http("request failed".to_string(), Some(e)))?;
    let length: Option<u64> = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let bar = progress_bar(length, url);

    let mut reader = response.body_mut().as_reader();
    let mut hasher = Sha256::new();
    let mut gunzipped = flate2::write::MultiGzDecoder::new(HashWriter(Sha256::new()));
    let not_gzip = |e: std::io::Error| DataError::Format {
        path: dest.to_path_buf(),
        problem: format!("{url} is not a valid gzip stream: {e}"),
    };
    let mut received: u64 = 0;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let of = length.map(|l| format!(" of {l}")).unwrap_or_default();
                return Err(http(
                    format!("connection failed after {received}{of} bytes"),
                    Some(ureq::Error::from(e)),
                ));
            }
        };
        match hashed {
            Hashed::Served => hasher.update(&buf[..n]),
            Hashed::Gunzipped => gunzipped.write_all(&buf[..n]).map_err(not_gzip)?,
        }
        out.write_all(&buf[..n]).map_err(|e| out.error(e))?;
        received += n as u64;
        bar.set_position(received);
    }
    bar.finish_and_clear();
    if let Some(length) = length
        && received != length
    {
        return Err(http(
            format!("body ended after {received} of {length} bytes"),
            None,
        ));
    }

    let actual = match hashed {
        Hashed::Served => hex(&hasher.finalize()),
        Hashed::Gunzipped => hex(&gunzipped.finish().map_err(not_gzip)?.0.finalize()),
    };
    if actual != expected {
        return Err(DataError::Checksum {
            path: dest.to_path_buf(),
            expected: expected.to_string(),
            actual,
        });
    }
    out.commit()?;
    Ok(())
}

/// A byte-count progress bar for a download (drawn only when stderr is a terminal).
fn progress_bar(length: Option<u64>, url: &str) -> ProgressBar {
    let bar = match length {
        Some(len) => ProgressBar::new(len),
        None => ProgressBar::new_spinner(),
    };
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
        .expect("the template is valid")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(url.rsplit('/').next().unwrap_or(url).to_string());
    bar
}
