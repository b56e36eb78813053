//! Keeping freed memory for reuse: the allocator setting that the training loops need.
//!
//! A training step allocates tens of megabytes of activations and gradients and frees them
//! all when the step's graph is dropped. glibc's `malloc` by default hands big blocks back
//! to the operating system (`munmap`, or trimming the heap top past 2× the mmap threshold),
//! so the next step page-faults every one of those pages in again; in lesson 6 that cost
//! more time than all the arithmetic (see docs/performance.md). Raising the mmap threshold
//! to its maximum and the trim threshold to 1 GiB keeps the freed memory in the process for
//! the next step. This changes no result, only where memory comes from; peak RSS is the
//! same, since the memory kept is the memory the step needed anyway.

/// Asks glibc's allocator to keep freed memory (no-op on other C libraries). Returns whether
/// both settings were accepted.
pub fn keep_freed_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // From glibc's <malloc.h>.
        const M_TRIM_THRESHOLD: i32 = -1;
        const M_MMAP_THRESHOLD: i32 = -3;
        // SAFETY: `mallopt` is glibc's documented, thread-safe setter of two allocator
        // parameters; it takes and returns plain integers and touches no Rust memory.
        #[allow(unsafe_code)]
        unsafe extern "C" {
            safe fn mallopt(param: i32, value: i32) -> i32;
        }
        // 32 MiB is the largest mmap threshold glibc accepts on 64-bit Linux.
        let mmap = mallopt(M_MMAP_THRESHOLD, 32 << 20);
        let trim = mallopt(M_TRIM_THRESHOLD, 1 << 30);
        mmap == 1 && trim == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}
