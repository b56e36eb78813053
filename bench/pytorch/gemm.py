"""The `gemm` section in PyTorch: GFLOP/s of `C = A·B` for square `n × n` float32 matrices
in [−1, 1] on 1 and 2 threads, `2n³` flops per product, each timed run repeating the
product to at least 3 GFLOP (xtask/src/bench/sections.rs, `gemm`)."""

import math

import torch

import measure

PLAN = measure.Plan(warmup=2, runs=15, quick_runs=3)
# Each timed run repeats the product until it has done at least this many flops.
FLOPS_PER_RUN = 3e9


def main():
    args = measure.start(__doc__)
    torch.manual_seed(0)
    for n in (256, 512, 1024):
        a = torch.empty(n, n).uniform_(-1.0, 1.0)
        b = torch.empty(n, n).uniform_(-1.0, 1.0)
        c = torch.empty(n, n)
        flops = 2.0 * n**3
        reps = math.ceil(FLOPS_PER_RUN / flops)

        def work():
            for _ in range(reps):
                torch.mm(a, b, out=c)

        for threads in (1, 2):
            torch.set_num_threads(threads)
            runs = measure.time_runs(PLAN, args.quick, work)
            gflops = [flops * reps / s / 1e9 for s in runs]
            measure.figure(f"gemm_{n}_t{threads}_gflops", "GFLOP/s", gflops)
    torch.set_num_threads(measure.THREADS)
    measure.finish("gemm")


if __name__ == "__main__":
    main()
