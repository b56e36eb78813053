"""The `lesson7` section in PyTorch: training throughput of lesson 7's deep CNN (Keras
initialisation, dropout 0.4 active), cross-entropy and Keras' RMSprop (lr 0.001, ρ 0.9,
ε 1e-7 added outside the square root, as ours and `torch.optim.RMSprop` both do) on batches
of 128 random images in [−1, 1] with random classes, a new batch drawn every step inside
the timed run; 3 steps per timed run, images per second
(xtask/src/bench/sections.rs, `cnn`)."""

import torch

import measure
import networks
import training

PLAN = measure.Plan(warmup=2, runs=15, quick_runs=3)
STEPS = 3
BATCH = 128
LR = 0.001
RHO = 0.9
EPS = 1e-7
DROPOUT = 0.4


def main():
    args = measure.start(__doc__)
    torch.manual_seed(7)
    model = networks.deep_cnn(DROPOUT)
    measure.network(model, (1, 28, 28))
    opt = torch.optim.RMSprop(model.parameters(), lr=LR, alpha=RHO, eps=EPS)
    training.cnn_images_per_s("lesson7", model, opt, BATCH, STEPS, PLAN, args.quick)
    measure.finish("lesson7")


if __name__ == "__main__":
    main()
