//! The child processes that measure a section, ours (`xtask bench __section NAME`) and
//! PyTorch's (`bench/pytorch/NAME.py`), and the lines they print for the parent: `FIGURE`
//! lines, a lesson's `NETWORK` line, and PyTorch's `CAPABILITY` and `TORCH_VERSION`.

use std::fmt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};

use super::measure::Figure;

/// The threads each side computes on, the course machine's 2 cores: our section's process
/// gets `RAYON_NUM_THREADS` (speed only: results do not depend on the thread count), the
/// PyTorch scripts call `torch.set_num_threads` with the same number (`THREADS` in
/// `bench/pytorch/measure.py`). GEMM's `t1` figures use one thread on both sides.
pub const THREADS: usize = 2;

/// Which side of the table a child process measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Side {
    /// Ours: `xtask bench __section NAME`.
    Ours,
    /// PyTorch's: `bench/pytorch/NAME.py`.
    PyTorch,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Ours => "ours",
            Side::PyTorch => "PyTorch",
        })
    }
}

/// What one child process printed for one section.
#[derive(Debug, Default, PartialEq)]
pub struct SectionRun {
    /// Its `FIGURE` lines.
    pub figures: Vec<Figure>,
    /// Its `NETWORK` line (a lesson's parameters and layer output shapes).
    pub network: Option<String>,
    /// PyTorch's `CAPABILITY` line.
    pub capability: Option<String>,
    /// PyTorch's `TORCH_VERSION` line.
    pub version: Option<String>,
}

impl SectionRun {
    /// Reads the lines a section printed; other lines are ignored.
    pub fn parse(text: &str) -> SectionRun {
        let mut run = SectionRun::default();
        for line in text.lines() {
            if let Some(f) = Figure::from_line(line) {
                run.figures.push(f);
            } else if let Some((key, value)) = line.split_once('\t') {
                let value = Some(value.to_string());
                match key {
                    "NETWORK" => run.network = value,
                    "CAPABILITY" => run.capability = value,
                    "TORCH_VERSION" => run.version = value,
                    _ => {}
                }
            }
        }
        run
    }
}

/// Why a section's child process gave no figures.
#[derive(Debug)]
pub enum ChildError {
    /// The path of the running `xtask` could not be found, to start it again.
    NoExe(std::io::Error),
    /// The child could not be started.
    Start(std::io::Error),
    /// The child failed (a panic, a missed assertion, a Python exception).
    Failed(ExitStatus),
}

impl fmt::Display for ChildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildError::NoExe(e) => write!(f, "cannot find xtask itself: {e}"),
            ChildError::Start(e) => write!(f, "cannot start: {e}"),
            ChildError::Failed(status) => write!(f, "exited with {status}"),
        }
    }
}

impl std::error::Error for ChildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChildError::NoExe(e) | ChildError::Start(e) => Some(e),
            ChildError::Failed(_) => None,
        }
    }
}

/// `xtask bench __section SECTION [--quick]` on [`THREADS`] threads.
pub fn our_command(section: &str, quick: bool) -> Result<Command, ChildError> {
    let exe: PathBuf = std::env::current_exe().map_err(ChildError::NoExe)?;
    let mut cmd = Command::new(exe);
    cmd.args(["bench", "__section", section]);
    if quick {
        cmd.arg("--quick");
    }
    cmd.env("RAYON_NUM_THREADS", THREADS.to_string());
    Ok(cmd)
}

/// Runs one section's child process and reads back what it printed.
pub fn run_child(mut cmd: Command) -> Result<SectionRun, ChildError> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(ChildError::Start)?;
    if !out.status.success() {
        return Err(ChildError::Failed(out.status));
    }
    Ok(SectionRun::parse(&String::from_utf8_lossy(&out.stdout)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_run_reads_figures_network_and_capability() {
        let text = "CAPABILITY\tAVX2\nTORCH_VERSION\t2.15.0\nNETWORK\t9\t1x2,1x1\n\
                    some other output\nFIGURE\txor_step_us\tus\t6\t5\t7\n";
        let run = SectionRun::parse(text);
        assert_eq!(
            run.figures,
            [Figure::from_runs("xor_step_us", "us", vec![5.0, 6.0, 7.0])]
        );
        assert_eq!(run.network.as_deref(), Some("9\t1x2,1x1"));
        assert_eq!(run.capability.as_deref(), Some("AVX2"));
        assert_eq!(run.version.as_deref(), Some("2.15.0"));
    }
}
