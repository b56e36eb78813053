//! The machine a bench ran on: its CPU model, the vector extensions it has that matter to
//! a GEMM, and which of them our GEMM uses.

/// The CPU and its extensions.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    /// `model name` from `/proc/cpuinfo`, or `unknown CPU`.
    pub cpu: String,
    /// Which of `avx512f`, `avx2` and `fma` the CPU has (only looked for on x86_64).
    pub extensions: Vec<&'static str>,
}

/// Whether the workspace builds the `gemm` crate with its AVX-512 kernels, which it
/// compiles only with its `x86-v4` feature (`[workspace.dependencies]` in Cargo.toml; a
/// test checks this agrees). Without them the crate runs its AVX2+FMA kernel even on a CPU
/// with AVX-512.
pub const GEMM_HAS_AVX512: bool = true;

/// The kernel our stride-1 convolutions with window rows of 8 values or more run here (see
/// `tensor::kernels::conv`): the direct AVX2+FMA micro-kernel where the CPU has both, else
/// the channels-last rows and the GEMM.
pub fn conv_kernel() -> &'static str {
    if tensor::kernels::conv_direct::available() {
        "direct avx2+fma"
    } else {
        "rows + GEMM"
    }
}

impl Machine {
    /// This machine.
    pub fn this() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        Machine {
            cpu: cpu_model(&cpuinfo).unwrap_or_else(|| "unknown CPU".to_string()),
            extensions: extensions(),
        }
    }

    /// The kernel our GEMM runs here: `avx512f` where the CPU has it and the `gemm` crate is
    /// built with it, else `avx2+fma` where the CPU has both, else `portable`.
    pub fn gemm_kernel(&self) -> &'static str {
        let has = |e| self.extensions.contains(&e);
        if has("avx512f") && GEMM_HAS_AVX512 {
            "avx512f"
        } else if has("avx2") && has("fma") {
            "avx2+fma"
        } else {
            "portable"
        }
    }

    /// One line for above the table, e.g. `CPU: AMD EPYC; avx2 fma; GEMM kernel avx2+fma`.
    pub fn describe(&self) -> String {
        let extensions = if self.extensions.is_empty() {
            "none of avx512f, avx2, fma".to_string()
        } else {
            self.extensions.join(" ")
        };
        let mut line = format!(
            "CPU: {}; extensions: {extensions}; GEMM kernel: {}; convolution kernel: {}",
            self.cpu,
            self.gemm_kernel(),
            conv_kernel()
        );
        if self.extensions.contains(&"avx512f") && !GEMM_HAS_AVX512 {
            line += " (the gemm crate is built without its x86-v4 feature, so no AVX-512)";
        }
        line
    }
}

/// The first `model name` of a `/proc/cpuinfo` text.
fn cpu_model(cpuinfo: &str) -> Option<String> {
    let line = cpuinfo.lines().find(|l| l.starts_with("model name"))?;
    let (_, name) = line.split_once(':')?;
    Some(name.trim().to_string())
}

/// The extensions among `avx512f`, `avx2` and `fma` that this CPU has.
#[cfg(target_arch = "x86_64")]
fn extensions() -> Vec<&'static str> {
    let mut found = Vec::new();
    if std::arch::is_x86_feature_detected!("avx512f") {
        found.push("avx512f");
    }
    if std::arch::is_x86_feature_detected!("avx2") {
        found.push("avx2");
    }
    if std::arch::is_x86_feature_detected!("fma") {
        found.push("fma");
    }
    found
}

/// Not an x86_64 CPU: none of the x86 extensions.
#[cfg(not(target_arch = "x86_64"))]
fn extensions() -> Vec<&'static str> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_model_is_read_from_cpuinfo() {
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(cpu_model(text).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(cpu_model("processor\t: 0\n"), None);
    }

    #[test]
    fn the_gemm_kernel_is_the_widest_the_cpu_and_the_build_have() {
        let with = |extensions: &[&'static str]| Machine {
            cpu: "x".to_string(),
            extensions: extensions.to_vec(),
        };
        let widest = if GEMM_HAS_AVX512 {
            "avx512f"
        } else {
            "avx2+fma"
        };
        assert_eq!(with(&["avx512f", "avx2", "fma"]).gemm_kernel(), widest);
        assert_eq!(with(&["avx2", "fma"]).gemm_kernel(), "avx2+fma");
        assert_eq!(with(&["avx2"]).gemm_kernel(), "portable");
        assert_eq!(with(&[]).gemm_kernel(), "portable");
    }

    #[test]
    fn gemm_has_avx512_agrees_with_the_workspace_manifest() {
        let manifest = std::fs::read_to_string(crate::args::workspace_root().join("Cargo.toml"))
            .expect("the workspace's Cargo.toml");
        let gemm = manifest
            .lines()
            .find(|l| l.starts_with("gemm ="))
            .expect("a `gemm = ...` line in [workspace.dependencies]");
        assert_eq!(
            gemm.contains("x86-v4"),
            GEMM_HAS_AVX512,
            "GEMM_HAS_AVX512 in xtask/src/bench/machine.rs says whether this line enables \
             the gemm crate's AVX-512 kernels: {gemm}"
        );
    }
}
