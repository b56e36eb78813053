//! Fuzz target: `data::idx::parse` must return `Ok` or `Err` for any bytes, never panic,
//! and never allocate more than the input (or, for gzip, its decompressed stream) backs.
//!
//! Run with `cargo +nightly fuzz run idx` from `crates/data`; seed the corpus with real
//! headers, e.g. `head -c 64 train-labels-idx1-ubyte > fuzz/corpus/idx/labels`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(array) = data::idx::parse(bytes) {
        // Whatever is accepted re-encodes to a header that describes it exactly.
        let encoded = data::idx::encode(&array);
        assert_eq!(data::idx::parse(&encoded).as_ref(), Ok(&array));
    }
});
