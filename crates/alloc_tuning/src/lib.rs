//! # alloc_tuning — keeping freed memory for reuse
//!
//! A training step allocates tens of megabytes of activations and gradients and frees them
//! all when the step's graph is dropped. glibc's `malloc` by default hands big blocks back
//! to the operating system (`munmap`, or trimming the heap top past 2× the mmap threshold),
//! so the next step page-faults every one of those pages in again; in lesson 6 that cost
//! more time than all the arithmetic (see docs/performance.md). Raising the mmap threshold
//! to its maximum and the trim threshold to 1 GiB keeps the freed memory in the process for
//! the next step. This changes no result, only where memory comes from; peak RSS is the
//! same, since the memory kept is the memory the step needed anyway.
//!
//! The setting belongs to a process, not to a library: it is made once where a process
//! starts — `cargo xtask`'s `main`, and the lesson integration tests — and never by the
//! teaching crates, which stay free of global state. That is why it is a crate of its own:
//! `xtask` depends on it, `models` only as a dev-dependency for its tests. It holds the
//! workspace's one `unsafe` declaration outside `tensor/src/kernels/`.

/// Asks glibc's allocator to keep freed memory (no-op on other C libraries). Returns whether
/// both settings were accepted. Call it first thing in `main`.
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

#[cfg(test)]
mod tests {
    #[test]
    fn glibc_accepts_both_settings() {
        let accepted = super::keep_freed_memory();
        if cfg!(all(target_os = "linux", target_env = "gnu")) {
            assert!(
                accepted,
                "mallopt refused M_MMAP_THRESHOLD or M_TRIM_THRESHOLD"
            );
        } else {
            assert!(!accepted);
        }
    }
}
