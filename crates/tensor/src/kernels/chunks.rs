//! How the convolution kernels cut a batch into chunks of images: one rule, below
//! [`conv`](super::conv), [`conv_rows`](super::conv_rows) and
//! [`conv_direct`](super::conv_direct), which all use it.
//!
//! The chunks are fixed by the shapes, never by the number of threads, so each chunk's
//! partial sums (the weight and bias gradients) are added in the same order on one core or
//! two, and the result is the same bits.

/// Images are split into at most this many chunks for the two cores; a fixed number (not
/// one per thread) keeps every sum in the same order on every run, so results are
/// reproducible.
const CHUNKS: usize = 8;

/// A chunk's `cols` matrix holds at most about this many values (4 MiB), so that it stays
/// near the cache and large evaluation batches do not allocate hundreds of megabytes.
const MAX_CHUNK_COLS: usize = 1 << 20;

/// How many images go into one chunk: `⌈N / CHUNKS⌉`, fewer if their columns would pass
/// [`MAX_CHUNK_COLS`]. It depends only on the shapes, never on the number of threads.
pub(crate) fn images_per_chunk(n: usize, cols_per_image: usize) -> usize {
    let by_size = (MAX_CHUNK_COLS / cols_per_image.max(1)).max(1);
    n.div_ceil(CHUNKS).clamp(1, by_size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_cut_into_at_most_eight_chunks_of_bounded_size() {
        // ⌈64 / 8⌉ = 8 images a chunk; ⌈3 / 8⌉ = 1; an empty batch still has chunks of 1.
        assert_eq!(images_per_chunk(64, 100), 8);
        assert_eq!(images_per_chunk(3, 100), 1);
        assert_eq!(images_per_chunk(0, 100), 1);
        // 2^20 / 2^18 = 4 images fit the column budget, fewer than ⌈256 / 8⌉ = 32.
        assert_eq!(images_per_chunk(256, 1 << 18), 4);
        // An image larger than the budget is a chunk of its own.
        assert_eq!(images_per_chunk(256, 1 << 22), 1);
    }
}
