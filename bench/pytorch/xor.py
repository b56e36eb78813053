"""The `xor` section in PyTorch: lesson 1's 2-2-1 sigmoid network, binary cross-entropy and
SGD lr 0.1 at batch 1 over the lesson's 100 noisy XOR points (corner `i mod 4` plus
N(0, 0.01²) noise per coordinate), 1,000 steps per timed run, each step on a fresh copy of
its point as the lesson's loader hands it; µs per step (xtask/src/bench/sections.rs, `xor`)."""

import itertools

import torch

import measure
import networks
import training

PLAN = measure.Plan(warmup=2, runs=21, quick_runs=5)
STEPS = 1000
POINTS = 100
HIDDEN = 2
LR = 0.1
CORNERS = [((0.0, 0.0), 0.0), ((0.0, 1.0), 1.0), ((1.0, 0.0), 1.0), ((1.0, 1.0), 0.0)]


def main():
    args = measure.start(__doc__)
    torch.manual_seed(1)
    model = networks.xor_net(HIDDEN)
    measure.network(model, (2,))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.BCELoss()
    corner = torch.tensor([CORNERS[i % 4][0] for i in range(POINTS)])
    x = corner + 0.01 * torch.randn(POINTS, 2)
    y = torch.tensor([[CORNERS[i % 4][1]] for i in range(POINTS)])
    points = [(x[i : i + 1].clone(), y[i : i + 1].clone()) for i in range(POINTS)]

    def work():
        for x_b, y_b in itertools.islice(itertools.cycle(points), STEPS):
            training.step(model, opt, x_b.clone(), lambda y_hat: loss_fn(y_hat, y_b))

    runs = measure.time_runs(PLAN, args.quick, work)
    measure.figure("xor_step_us", "us", [s / STEPS * 1e6 for s in runs])
    measure.finish("xor")


if __name__ == "__main__":
    main()
