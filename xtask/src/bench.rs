//! `cargo xtask bench [--pytorch [--python PATH]] [--rounds R] [--quick] [--out FILE]
//! [SECTION...]`: the benchmark table, ours beside PyTorch's.
//!
//! Each section (see [`sections::SECTIONS`]: `gemm`, `xor`, `lesson3`, `lesson6`, `lesson7`)
//! runs in a child process of its own (`xtask bench __section NAME`), which prints its
//! figures, its network and its peak RSS as lines the parent reads back. With `--pytorch`,
//! the section's script in `bench/pytorch/` does the same work in PyTorch in a process of
//! its own, printing the same lines. Each section runs `R` rounds (2 with `--pytorch`,
//! else 1) of ours then theirs, so that both sides meet the same moments of a busy machine;
//! each side's figure is its best median over the rounds. The parent prints the machine,
//! one table with PyTorch's figure, the speed ratio and the goal beside ours, and writes
//! `target/bench/bench.json` (or `--out FILE`). Without `--pytorch`, or when the Python
//! cannot import torch (the bench says how to install it), the PyTorch column holds the
//! figures recorded once ([`reference::REFERENCES`]), labelled as such.
//!
//! Every figure is the median of several timed runs after a warm-up; `--quick` times fewer.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::args;

mod child;
mod machine;
mod measure;
mod pytorch;
mod reference;
mod report;
mod rounds;
mod sections;

use child::{Side, our_command, run_child};
use machine::Machine;
use measure::{Figure, peak_rss_mib};
use rounds::gather;

/// The usage line, printed with every usage error and for `--help`.
const USAGE: &str = "usage: cargo xtask bench [--pytorch [--python PATH]] [--rounds R] [--quick] \
                     [--out FILE] [SECTION...]";

/// Runs the bench; see the module docs. Exit codes: 0 when the table was written, 1 when a
/// section failed, [`args::USAGE_ERROR`] for a wrong command line.
pub fn run(raw: &[String]) -> ExitCode {
    let parsed = match args::parse("bench", args::BENCH, raw) {
        Ok(a) => a,
        Err(e) => return args::usage_error(e, USAGE),
    };
    if parsed.help {
        println!("{USAGE}\n\nsections: {}", sections::SECTIONS.join(", "));
        return ExitCode::SUCCESS;
    }
    if let [marker, name] = parsed.positional.as_slice()
        && marker == "__section"
    {
        return section(name, parsed.quick);
    }
    let wanted: Vec<&str> = if parsed.positional.is_empty() {
        sections::SECTIONS.to_vec()
    } else {
        parsed.positional.iter().map(String::as_str).collect()
    };
    if let Some(bad) = wanted.iter().find(|s| !sections::SECTIONS.contains(s)) {
        let known = sections::SECTIONS.join(", ");
        return args::usage_error(
            format!("unknown bench section `{bad}` (known: {known})"),
            USAGE,
        );
    }
    if parsed.python.is_some() && !parsed.pytorch {
        return args::usage_error(
            "--python names the interpreter for --pytorch, which is not given",
            USAGE,
        );
    }
    let root = args::workspace_root();
    let python = if parsed.pytorch {
        match pytorch::check(pytorch::choose(parsed.python.as_deref(), &root)) {
            Ok(python) => Some(python),
            Err(e) => {
                eprintln!("bench: {e}");
                eprintln!("bench: {}", pytorch::INSTALL_HINT);
                eprintln!("bench: going on with ours only, beside PyTorch's recorded figures");
                None
            }
        }
    } else {
        None
    };
    let rounds = parsed.rounds.unwrap_or(if parsed.pytorch { 2 } else { 1 });
    let quick = parsed.quick;
    let gathered = gather(&wanted, rounds, python.is_some(), |side, section| {
        let cmd = match (side, &python) {
            (Side::PyTorch, Some(python)) => python.command(&root, section, quick),
            _ => our_command(section, quick)?,
        };
        run_child(cmd)
    });
    let gathered = match gathered {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = gathered.into_report(Machine::this(), rounds, python.is_some());
    print!("{}", report.table());
    let path = parsed
        .out
        .unwrap_or_else(|| root.join("target/bench/bench.json"));
    match write(&path, &report.json()) {
        Ok(()) => {
            println!("written to {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The child: runs one section and prints its lines (`FIGURE`, `NETWORK`) for the parent.
fn section(name: &str, quick: bool) -> ExitCode {
    if !sections::SECTIONS.contains(&name) {
        return args::usage_error(format!("unknown bench section `{name}`"), USAGE);
    }
    let measured = sections::run(name, quick);
    if let Some(network) = measured.network {
        println!("NETWORK\t{network}");
    }
    for f in measured.figures {
        println!("{}", f.to_line());
    }
    if let Some(mib) = peak_rss_mib() {
        let rss = Figure::from_runs(&format!("{name}_peak_rss_mib"), "MiB", vec![mib]);
        println!("{}", rss.to_line());
    }
    ExitCode::SUCCESS
}

/// Writes `text` to `path` atomically, creating its folder first.
fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    atomic_file::write(path, |f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {e}"))
}
