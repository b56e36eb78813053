"""The `lesson6` section in PyTorch: training throughput of lesson 6's first CNN (PyTorch's
default initialisation), cross-entropy and SGD lr 0.0008 with momentum 0.9 on batches of
32 random images in [−1, 1] with random classes, a new batch drawn every step inside the
timed run; 10 steps per timed run, images per second
(xtask/src/bench/sections.rs, `cnn`)."""

import torch

import measure
import networks
import training

PLAN = measure.Plan(warmup=2, runs=15, quick_runs=3)
STEPS = 10
BATCH = 32
LR = 0.0008
MOMENTUM = 0.9


def main():
    args = measure.start(__doc__)
    torch.manual_seed(6)
    model = networks.first_cnn()
    measure.network(model, (1, 28, 28))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    training.cnn_images_per_s("lesson6", model, opt, BATCH, STEPS, PLAN, args.quick)
    measure.finish("lesson6")


if __name__ == "__main__":
    main()
