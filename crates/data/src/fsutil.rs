//! Writing files so that they appear whole or not at all, and hashing them.
//!
//! Every file this crate writes (IDX exports, PNGs, downloads) goes to a temporary file in
//! the destination's directory and is renamed into place only once complete: a crash or an
//! error halfway leaves nothing a later run could mistake for a good file.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{DataError, io_error};

/// Writes a file atomically: `fill` writes into a temporary file next to `path`, which is
/// then renamed to `path`. If `fill` fails the temporary file is removed and `path` is
/// untouched. Missing parent directories are created.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&File>) -> io::Result<()>,
) -> Result<(), DataError> {
    let temp = temp_file_beside(path)?;
    let mut writer = BufWriter::new(temp.as_file());
    fill(&mut writer).map_err(io_error(path))?;
    writer.flush().map_err(io_error(path))?;
    drop(writer);
    temp.persist(path).map_err(|e| DataError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// A new temporary file in `path`'s directory, named `.<file name>.<random>.part`; it is
/// deleted when dropped unless persisted.
pub fn temp_file_beside(path: &Path) -> Result<tempfile::NamedTempFile, DataError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(io_error(dir))
}

/// The SHA-256 of everything `reader` yields, as lowercase hex.
pub fn sha256_hex(mut reader: impl Read) -> io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Bytes as lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
