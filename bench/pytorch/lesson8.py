"""The `lesson8` section in PyTorch: training throughput of lesson 8's ResNet (three stages
of 16, 32 and 64 channels, two residual blocks each, batch normalisation in training mode,
PyTorch's default initialisation), cross-entropy and SGD with Nesterov momentum 0.9 and
weight decay at the peak learning rate, on batches of 128 random images in [−1, 1] with
random classes, a new batch drawn every step inside the timed run; 2 steps per timed run,
images per second (xtask/src/bench/sections.rs, `cnn`)."""

import torch

import measure
import networks
import training

PLAN = measure.Plan(warmup=2, runs=15, quick_runs=3)
STEPS = 2
BATCH = 128
WIDTHS = (16, 32, 64,)
BLOCKS = 2
LR = 0.1
MOMENTUM = 0.9
WEIGHT_DECAY = 0.0005


def main():
    args = measure.start(__doc__)
    torch.manual_seed(8)
    model = networks.fashion_resnet("resnet", WIDTHS, BLOCKS)
    measure.network(model, (1, 28, 28))
    opt = torch.optim.SGD(
        model.parameters(), lr=LR, momentum=MOMENTUM, nesterov=True, weight_decay=WEIGHT_DECAY
    )
    training.cnn_images_per_s("lesson8", model, opt, BATCH, STEPS, PLAN, args.quick)
    measure.finish("lesson8")


if __name__ == "__main__":
    main()
