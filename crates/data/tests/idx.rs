//! The IDX reader and writer: round trips, every malformed-input case, and a property test
//! that no input makes the reader panic.

use std::io::Write;

use data::DataError;
use data::idx::{self, IdxArray, IdxProblem, IdxType};
use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A 2×3 u8 "image set": magic 0x00000802 (u8, two dims), dims 2 and 3, six bytes.
fn small() -> IdxArray {
    IdxArray::from_u8(&[2, 3], vec![0, 1, 2, 253, 254, 255])
}

#[test]
fn header_layout_matches_the_format() {
    let bytes = idx::encode(&small());
    assert_eq!(&bytes[..4], &[0, 0, 0x08, 2]);
    assert_eq!(&bytes[4..12], &[0, 0, 0, 2, 0, 0, 0, 3]);
    assert_eq!(&bytes[12..], &[0, 1, 2, 253, 254, 255]);
}

#[test]
fn raw_and_gzip_round_trip_through_files() {
    let dir = tempfile::tempdir().unwrap();
    for gz in [false, true] {
        let path = dir.path().join(format!("a-{gz}.idx"));
        idx::write(&path, &small(), gz).unwrap();
        let on_disk = std::fs::read(&path).unwrap();
        assert_eq!(on_disk.starts_with(&idx::GZIP_MAGIC), gz);
        assert_eq!(idx::read(&path).unwrap(), small());
    }
}

#[test]
fn gzip_is_detected_by_magic_bytes_not_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.raw");
    std::fs::write(&path, gzip(&idx::encode(&small()))).unwrap();
    assert_eq!(idx::read(&path).unwrap(), small());
}

#[test]
fn every_element_type_decodes_big_endian() {
    // i16 −2 is 0xFFFE; i32 258 is 00 00 01 02; f64 1.5 is 3FF8 0000 0000 0000.
    let cases: Vec<(IdxType, Vec<u8>, f32)> = vec![
        (IdxType::U8, vec![200], 200.0),
        (IdxType::I8, vec![0xFF], -1.0),
        (IdxType::I16, vec![0xFF, 0xFE], -2.0),
        (IdxType::I32, vec![0, 0, 1, 2], 258.0),
        (IdxType::F32, 2.5f32.to_be_bytes().to_vec(), 2.5),
        (IdxType::F64, vec![0x3F, 0xF8, 0, 0, 0, 0, 0, 0], 1.5),
    ];
    for (dtype, body, value) in cases {
        let array = IdxArray::new(dtype, &[1], body);
        let parsed = idx::parse(&idx::encode(&array)).unwrap();
        assert_eq!(parsed.dtype(), dtype);
        assert_eq!(parsed.to_f32_vec(), vec![value], "{dtype:?}");
        assert_eq!(IdxType::from_code(dtype.code()), Some(dtype));
    }
    let floats = IdxArray::from_f32(&[2, 1], &[0.25, -3.0]);
    let tensor = idx::parse(&idx::encode(&floats)).unwrap().to_tensor();
    assert_eq!(
        (tensor.shape(), tensor.data()),
        (&[2, 1][..], &[0.25, -3.0][..])
    );
}

#[test]
fn wrong_magic_is_reported() {
    let mut bytes = idx::encode(&small());
    bytes[0] = 0x12;
    assert_eq!(
        idx::parse(&bytes),
        Err(IdxProblem::BadMagic { magic: 0x1200_0802 })
    );
}

#[test]
fn unsupported_type_is_reported() {
    let mut bytes = idx::encode(&small());
    bytes[2] = 0x0A;
    assert_eq!(
        idx::parse(&bytes),
        Err(IdxProblem::UnsupportedType { code: 0x0A })
    );
}

#[test]
fn zero_dimensions_is_reported() {
    assert_eq!(idx::parse(&[0, 0, 8, 0]), Err(IdxProblem::NoDimensions));
}

#[test]
fn truncated_headers_are_reported() {
    assert_eq!(
        idx::parse(&[]),
        Err(IdxProblem::HeaderTruncated { needed: 4, got: 0 })
    );
    assert_eq!(
        idx::parse(&[0, 0]),
        Err(IdxProblem::HeaderTruncated { needed: 4, got: 2 })
    );
    // Three dimensions need 4 + 12 header bytes; only one dimension is there.
    let bytes = [0, 0, 8, 3, 0, 0, 0, 1];
    assert_eq!(
        idx::parse(&bytes),
        Err(IdxProblem::HeaderTruncated { needed: 16, got: 8 })
    );
}

#[test]
fn a_header_claiming_more_than_the_file_holds_is_truncated() {
    let bytes = idx::encode(&small());
    let cut = &bytes[..bytes.len() - 2];
    assert_eq!(
        idx::parse(cut),
        Err(IdxProblem::BodyTruncated {
            expected: 6,
            actual: 4
        })
    );
    // The same through gzip: the decompressed stream ends early.
    assert_eq!(
        idx::parse(&gzip(cut)),
        Err(IdxProblem::BodyTruncated {
            expected: 6,
            actual: 4
        })
    );
}

#[test]
fn a_huge_claim_is_rejected_before_allocating() {
    // 60000 × 60000 × 60000 bytes: far beyond MAX_BODY_BYTES, and the product of three u32s
    // of 0xFFFFFFFF overflows u64 as well.
    let mut header = vec![0, 0, 8, 3];
    for _ in 0..3 {
        header.extend_from_slice(&60_000u32.to_be_bytes());
    }
    assert!(matches!(
        idx::parse(&header),
        Err(IdxProblem::TooLarge { .. })
    ));
    let mut overflow = vec![0, 0, 0x0E, 3];
    overflow.extend_from_slice(&[0xFF; 12]);
    assert!(matches!(
        idx::parse(&gzip(&overflow)),
        Err(IdxProblem::TooLarge { .. })
    ));
    // Below the cap but not backed by data: a 1 GiB claim over a tiny gzip stream.
    let mut lie = vec![0, 0, 8, 1];
    lie.extend_from_slice(&(1u32 << 30).to_be_bytes());
    lie.extend_from_slice(&[7; 100]);
    assert_eq!(
        idx::parse(&gzip(&lie)),
        Err(IdxProblem::BodyTruncated {
            expected: 1 << 30,
            actual: 100
        })
    );
}

#[test]
fn trailing_garbage_is_reported() {
    let mut bytes = idx::encode(&small());
    bytes.extend_from_slice(b"junk");
    assert_eq!(
        idx::parse(&bytes),
        Err(IdxProblem::TrailingBytes { extra: 4 })
    );
    assert_eq!(
        idx::parse(&gzip(&bytes)),
        Err(IdxProblem::TrailingBytes { extra: 4 })
    );
}

#[test]
fn corrupt_gzip_is_reported() {
    let mut bytes = gzip(&idx::encode(&small()));
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xFF;
    bytes.truncate(middle + 1);
    let problem = idx::parse(&bytes).unwrap_err();
    assert!(
        matches!(
            problem,
            IdxProblem::Gzip { .. }
                | IdxProblem::BodyTruncated { .. }
                | IdxProblem::HeaderTruncated { .. }
        ),
        "{problem:?}"
    );
}

#[test]
fn file_errors_name_the_file_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad-labels.idx");
    std::fs::write(&path, [0x50, 0x4B, 3, 4, 0, 0]).unwrap();
    let error = idx::read(&path).unwrap_err();
    assert!(matches!(
        &error,
        DataError::Idx {
            problem: IdxProblem::BadMagic { .. },
            ..
        }
    ));
    let message = error.to_string();
    assert!(
        message.contains("bad-labels.idx") && message.contains("wrong magic"),
        "{message}"
    );

    let missing = dir.path().join("nope.idx");
    let message = idx::read(&missing).unwrap_err().to_string();
    assert!(message.contains("nope.idx"), "{message}");
}

/// Valid IDX bytes of a small random array, to mutate.
fn valid_idx() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(1usize..4, 1..4), any::<u8>()).prop_map(|(dims, seed)| {
        let n: usize = dims.iter().product();
        let body = (0..n).map(|i| (i as u8).wrapping_mul(seed)).collect();
        idx::encode(&IdxArray::from_u8(&dims, body))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = idx::parse(&bytes);
        let _ = idx::parse(&gzip(&bytes));
    }

    #[test]
    fn mutated_headers_never_panic_and_are_checked(
        bytes in valid_idx(),
        edits in prop::collection::vec((0usize..24, any::<u8>()), 1..4),
        cut in 0usize..40,
    ) {
        let mut mutated = bytes.clone();
        for (at, value) in edits {
            if at < mutated.len() {
                mutated[at] = value;
            }
        }
        mutated.truncate(mutated.len().saturating_sub(cut % 3));
        for input in [mutated.clone(), gzip(&mutated)] {
            if let Ok(array) = idx::parse(&input) {
                // Anything accepted must be exactly what its header says.
                prop_assert_eq!(array.body().len(), array.len() * array.dtype().size());
                prop_assert_eq!(idx::encode(&array), mutated.clone());
            }
        }
    }
}
