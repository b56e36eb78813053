//! # atomic_file — files that appear whole or not at all
//!
//! Every file the workspace writes — downloads, IDX exports, checkpoints, pictures,
//! `summary.json`, the benchmark table — is written here, in four steps:
//!
//! 1. create a temporary file `.<name>.<random>.part` in the destination's folder (the same
//!    file system, so step 4 is a rename and never a copy);
//! 2. write into it;
//! 3. `fsync` it, so that its bytes are on disk before its name is;
//! 4. rename it over the destination. A rename within one folder is atomic: a reader, or a
//!    run after a crash, finds the old file or the whole new one, never a part of it.
//!
//! If anything stops the write before step 4 — an I/O error, a download whose hash does not
//! match, a panic — the temporary file is deleted when it is dropped, and the destination
//! is untouched. The [`tempfile`] crate does steps 1 and 4 (`Builder::tempfile_in`,
//! `NamedTempFile::persist`) and the deleting on drop.
//!
//! The folder must exist: making it is the caller's decision, taken with
//! [`create_folder_for`] (the data crate makes the folders it fills; saving a checkpoint
//! into a folder that is not there is an error).
//!
//! What is not done: an `fsync` of the folder after the rename. Without it a power cut just
//! after the rename may bring the *old* file back; it can never leave a part of the new one.
//!
//! This is a crate of its own, below every other, so that `data` (downloads, IDX, PNGs),
//! `layers` (checkpoints), `models` (charts, summaries) and `xtask` (the bench table) all
//! reach the one writer without depending on each other (see `docs/ARCHITECTURE.md`).
//!
//! ```
//! use std::io::Write;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("hello.txt");
//! atomic_file::write(&path, |file| file.write_all(b"hello")).unwrap();
//! assert_eq!(std::fs::read(&path).unwrap(), b"hello");
//! ```

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Writes the file `path` atomically: `fill` writes the contents into a temporary file
/// beside it, which is synced and renamed to `path`. If `fill` fails, the temporary file is
/// deleted and `path` is untouched. The folder must exist.
pub fn write(
    path: impl AsRef<Path>,
    fill: impl FnOnce(&mut AtomicFile) -> io::Result<()>,
) -> Result<(), WriteError> {
    let mut file = AtomicFile::create(path)?;
    fill(&mut file).map_err(|source| file.error(source))?;
    file.commit()
}

/// Creates the folder that `path` will be written into, and its parents, if missing.
pub fn create_folder_for(path: impl AsRef<Path>) -> Result<(), WriteError> {
    match path.as_ref().parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| WriteError {
                path: dir.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// A file being written: a buffered temporary file beside its destination, renamed into
/// place by [`AtomicFile::commit`]. Dropped without a commit, it deletes itself.
///
/// For writers that must decide at the end whether the file is good (a download checks
/// its hash before it commits); [`write`](fn@write) is the short form for the rest.
pub struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `path`: creates `.<name>.<random>.part` in its folder. Nothing at
    /// `path` changes until [`AtomicFile::commit`].
    pub fn create(path: impl AsRef<Path>) -> Result<AtomicFile, WriteError> {
        let path = path.as_ref().to_path_buf();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".part")
            .tempfile_in(dir);
        match temp {
            Ok(temp) => Ok(AtomicFile {
                path,
                writer: BufWriter::new(temp),
            }),
            Err(source) => Err(WriteError { path, source }),
        }
    }

    /// The destination, where the file will appear.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Finishes the file: flushes the buffer, syncs the temporary file to disk and renames
    /// it to the destination, replacing any file there.
    pub fn commit(self) -> Result<(), WriteError> {
        let AtomicFile { path, writer } = self;
        let fail = |source| WriteError {
            path: path.clone(),
            source,
        };
        let temp = writer.into_inner().map_err(|e| fail(e.into_error()))?;
        temp.as_file().sync_all().map_err(fail)?;
        temp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }

    /// `source` as an error about this file's destination.
    pub fn error(&self, source: io::Error) -> WriteError {
        WriteError {
            path: self.path.clone(),
            source,
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// A file (or the folder for it) could not be written: its path and the operating system's
/// error.
#[derive(Debug)]
pub struct WriteError {
    /// The file that was to be written, or the folder that was to be made for it.
    pub path: PathBuf,
    /// What the operating system said (no such folder, disk full, permission denied, ...).
    pub source: io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_interrupted_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.safetensors");
        write(&path, |f| f.write_all(b"old contents")).unwrap();

        // Simulate a crash halfway: some bytes are written, then the write fails.
        let result = write(&path, |f| {
            f.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        });

        let err = result.unwrap_err();
        assert!(err.to_string().contains("model.safetensors"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old contents");
        assert_eq!(listing(dir.path()), ["model.safetensors"]);
    }

    #[test]
    fn the_file_appears_only_at_commit_and_a_dropped_one_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.bin");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"whole").unwrap();
        // While it is written, only the temporary file is there, beside the destination.
        let during = listing(dir.path());
        assert!(
            during.len() == 1
                && during[0].starts_with(".data.bin.")
                && during[0].ends_with(".part"),
            "{during:?}"
        );
        file.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"whole");
        assert_eq!(listing(dir.path()), ["data.bin"]);

        let mut abandoned = AtomicFile::create(dir.path().join("other.bin")).unwrap();
        abandoned.write_all(b"never committed").unwrap();
        drop(abandoned);
        assert_eq!(listing(dir.path()), ["data.bin"]);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_the_file_unless_the_caller_makes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no_such_dir").join("summary.json");
        let err = write(&path, |f| f.write_all(b"{}")).unwrap_err();
        assert_eq!(err.path, path);
        assert_eq!(err.source.kind(), io::ErrorKind::NotFound);
        assert!(listing(dir.path()).is_empty());

        create_folder_for(&path).unwrap();
        write(&path, |f| f.write_all(b"{}")).unwrap();
        assert_eq!(listing(&dir.path().join("no_such_dir")), ["summary.json"]);
    }
}
