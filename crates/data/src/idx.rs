//! IDX, the file format of MNIST: a tiny header, then one big-endian array.
//!
//! ```text
//! byte 0-1   0x00 0x00                      (the magic's zero half)
//! byte 2     element type: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64
//! byte 3     number of dimensions n
//! then       n big-endian u32 sizes, d_0 … d_{n-1}
//! then       d_0·…·d_{n-1} elements, big-endian, row-major
//! ```
//!
//! MNIST's images have magic `0x00000803` (u8, three dimensions: count, rows, cols) and its
//! labels `0x00000801`. Files are usually gzip-compressed; [`parse`] recognises gzip by its
//! first two bytes `1f 8b`, never by the file name.
//!
//! The reader never trusts the header: it checks the claimed size against the bytes that
//! are really there *before* it allocates (for gzip, it reads at most the claimed number of
//! bytes from the decompressed stream), and any malformed input gives an [`IdxProblem`],
//! never a panic. A fuzz target (`crates/data/fuzz`) and a property test hold it to that.
//!
//! ```
//! use data::idx::{self, IdxArray};
//! let labels = IdxArray::from_u8(&[3], vec![5, 0, 4]);
//! let bytes = idx::encode(&labels);
//! assert_eq!(&bytes[..8], &[0, 0, 0x08, 1, 0, 0, 0, 3]);
//! assert_eq!(idx::parse(&bytes).unwrap(), labels);
//! ```

use std::io::{self, Read, Write};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;

use crate::error::{DataError, io_error};

mod array;

pub use crate::error::IdxProblem;
pub use array::{IdxArray, IdxType};

/// The two bytes every gzip stream starts with.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The largest body the reader accepts (2 GiB): a header claiming more is rejected before
/// anything is read, so no input can make the reader allocate without bound.
pub const MAX_BODY_BYTES: u64 = 1 << 31;

/// Parses an IDX file held in memory, raw or gzip-compressed (recognised by `1f 8b`).
///
/// Never panics; every malformed input is an [`IdxProblem`]. Use [`read`] for files, which
/// adds the path to the error.
pub fn parse(bytes: &[u8]) -> Result<IdxArray, IdxProblem> {
    if bytes.starts_with(&GZIP_MAGIC) {
        parse_stream(&mut MultiGzDecoder::new(bytes), None)
    } else {
        parse_stream(&mut &bytes[..], Some(bytes.len() as u64))
    }
}

/// Reads and parses the IDX file at `path` (raw or gzip-compressed).
pub fn read(path: &Path) -> Result<IdxArray, DataError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    parse(&bytes).map_err(|problem| DataError::Idx {
        path: path.to_path_buf(),
        problem,
    })
}

/// The bytes of `array` as an uncompressed IDX file.
///
/// Panics if the array has more than 255 dimensions or a dimension above `u32::MAX`,
/// which IDX cannot express.
pub fn encode(array: &IdxArray) -> Vec<u8> {
    let ndims = u8::try_from(array.dims.len()).expect("encode: IDX allows at most 255 dimensions");
    let mut out = vec![0, 0, array.dtype.code(), ndims];
    for &d in &array.dims {
        let d = u32::try_from(d).expect("encode: an IDX dimension must fit in a u32");
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(&array.body);
    out
}

/// Writes `array` to `path` as IDX, gzip-compressed if `gzip` is true.
///
/// The file appears only when complete (written by [`atomic_file::write`]); its folder is
/// created if missing.
pub fn write(path: &Path, array: &IdxArray, gzip: bool) -> Result<(), DataError> {
    let bytes = encode(array);
    atomic_file::create_folder_for(path)?;
    atomic_file::write(path, |file| {
        if gzip {
            let mut encoder = GzEncoder::new(file, flate2::Compression::default());
            encoder.write_all(&bytes)?;
            encoder.finish()?;
            Ok(())
        } else {
            file.write_all(&bytes)
        }
    })?;
    Ok(())
}

/// Parses from a stream: the header first, then exactly the body it claims, then a check
/// that nothing follows. `available` is the stream's length when known (raw input), which
/// lets the size checks happen before any allocation.
fn parse_stream(reader: &mut impl Read, available: Option<u64>) -> Result<IdxArray, IdxProblem> {
    let mut magic = [0u8; 4];
    let got = read_up_to(reader, &mut magic)?;
    if got < 4 {
        return Err(IdxProblem::HeaderTruncated { needed: 4, got });
    }
    if magic[0] != 0 || magic[1] != 0 {
        return Err(IdxProblem::BadMagic {
            magic: u32::from_be_bytes(magic),
        });
    }
    let dtype =
        IdxType::from_code(magic[2]).ok_or(IdxProblem::UnsupportedType { code: magic[2] })?;
    let ndims = magic[3] as usize;
    if ndims == 0 {
        return Err(IdxProblem::NoDimensions);
    }

    let mut dim_bytes = vec![0u8; 4 * ndims]; // at most 1020 bytes
    let got = read_up_to(reader, &mut dim_bytes)?;
    let header_len = 4 + 4 * ndims as u64;
    if got < dim_bytes.len() as u64 {
        return Err(IdxProblem::HeaderTruncated {
            needed: header_len,
            got: 4 + got,
        });
    }
    let dims: Vec<u32> = dim_bytes
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let claimed = dims
        .iter()
        .try_fold(dtype.size() as u64, |acc, &d| acc.checked_mul(d as u64))
        .filter(|&bytes| bytes <= MAX_BODY_BYTES)
        .ok_or_else(|| IdxProblem::TooLarge {
            dims: dims.clone(),
            limit: MAX_BODY_BYTES,
        })?;

    if let Some(total) = available {
        let actual = total - header_len;
        if actual < claimed {
            return Err(IdxProblem::BodyTruncated {
                expected: claimed,
                actual,
            });
        }
        if actual > claimed {
            return Err(IdxProblem::TrailingBytes {
                extra: actual - claimed,
            });
        }
    }

    // Raw input was checked above, so reserve it all. For gzip the header is unproven: start
    // at most 1 MiB and let the buffer grow only as decompressed data really arrives.
    let reserve = if available.is_some() {
        claimed
    } else {
        claimed.min(1 << 20)
    };
    let mut body = Vec::with_capacity(reserve as usize);
    if let Err(e) = reader.take(claimed).read_to_end(&mut body) {
        return Err(stream_problem(e, claimed, body.len() as u64));
    }
    if (body.len() as u64) < claimed {
        return Err(IdxProblem::BodyTruncated {
            expected: claimed,
            actual: body.len() as u64,
        });
    }
    let extra = io::copy(&mut reader.take(1 << 20), &mut io::sink())
        .map_err(|e| stream_problem(e, claimed, claimed))?;
    if extra > 0 {
        return Err(IdxProblem::TrailingBytes { extra });
    }
    let dims = dims.iter().map(|&d| d as usize).collect();
    Ok(IdxArray { dtype, dims, body })
}

/// Fills as much of `buf` as the stream holds; returns how many bytes were read.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> Result<u64, IdxProblem> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
            Err(e) => {
                return Err(IdxProblem::Gzip {
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(filled as u64)
}

/// Turns a read error in the body into a problem: a stream that ends early is a truncated
/// body, anything else a corrupt gzip stream.
fn stream_problem(e: io::Error, expected: u64, actual: u64) -> IdxProblem {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        IdxProblem::BodyTruncated { expected, actual }
    } else {
        IdxProblem::Gzip {
            message: e.to_string(),
        }
    }
}
