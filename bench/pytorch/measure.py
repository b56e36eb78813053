"""Timing and memory for the PyTorch side of `cargo xtask bench --pytorch`.

The same method as xtask/src/bench/measure.rs: `warmup` untimed runs, then timed runs; a
figure is the median, min and max of the timed runs, printed as the line the bench reads,
`FIGURE<TAB>name<TAB>unit<TAB>median<TAB>min<TAB>max`. Peak memory is the process's
`VmHWM` from /proc/self/status, as ours is.

Each section script also prints `CAPABILITY<TAB>...` (the SIMD level PyTorch's CPU kernels
picked), `TORCH_VERSION<TAB>...` and, for the lessons, `NETWORK<TAB>parameters<TAB>shapes`
(see `network`), which the bench compares with ours.
"""

import argparse
import resource
import statistics
import time

import torch

# Threads for everything but GEMM's one-thread figures: the course machine's 2 cores, and
# the threads our side runs on.
THREADS = 2


class Plan:
    """How many runs to time: `warmup` untimed, then `runs` timed (`quick_runs` with
    `--quick`), as `Plan` and `sections::run` in xtask/src/bench give them."""

    def __init__(self, warmup, runs, quick_runs):
        self.warmup = warmup
        self.runs = runs
        self.quick_runs = quick_runs

    def timed(self, quick):
        """The number of timed runs."""
        return self.quick_runs if quick else self.runs


def start(description):
    """Parses the section's command line (`--quick`), sets PyTorch's threads and prints the
    lines that say what runs: the CPU capability and the version."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="time fewer runs")
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    print(f"CAPABILITY\t{torch.backends.cpu.get_cpu_capability()}", flush=True)
    print(f"TORCH_VERSION\t{torch.__version__}", flush=True)
    return args


def time_runs(plan, quick, work):
    """The seconds each timed run of `work()` took, after the warm-up runs."""
    for _ in range(plan.warmup):
        work()
    seconds = []
    for _ in range(plan.timed(quick)):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return seconds


def figure(name, unit, values):
    """Prints the `FIGURE` line of `values`: their median, min and max."""
    median = statistics.median(values)
    print(f"FIGURE\t{name}\t{unit}\t{median!r}\t{min(values)!r}\t{max(values)!r}", flush=True)


def peak_rss_mib():
    """The peak resident set size so far in MiB: `VmHWM` in /proc/self/status, else
    `ru_maxrss` (KiB on Linux)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def finish(section):
    """Prints the section's `{section}_peak_rss_mib` figure, as our sections do at their end."""
    figure(f"{section}_peak_rss_mib", "MiB", [peak_rss_mib()])


def network(model, input_shape):
    """Prints `NETWORK<TAB>parameters<TAB>shapes`: the number of parameters and each layer's
    output shape for one input of `input_shape` (`1x16x28x28,...`), in eval mode without
    gradients, as our sections print it from `layers::summary`."""
    shapes = []
    a = torch.zeros((1, *input_shape))
    with torch.no_grad():
        model.eval()
        for layer in model:
            a = layer(a)
            shapes.append("x".join(str(d) for d in a.shape))
        model.train()
    parameters = sum(p.numel() for p in model.parameters())
    print(f"NETWORK\t{parameters}\t{','.join(shapes)}", flush=True)
