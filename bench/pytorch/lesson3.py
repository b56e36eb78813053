"""The `lesson3` section in PyTorch: one full-batch step of lesson 3's 784-256-1 network
(tanh, sigmoid, Keras initialisation), binary cross-entropy and SGD lr 0.001 on 13,007
random images in [0, 1] with random 0/1 labels, the batch made once and reused every epoch
as the lesson does; ms per epoch (= per step) (xtask/src/bench/sections.rs, `lesson3`)."""

import torch

import measure
import networks
import training

PLAN = measure.Plan(warmup=2, runs=15, quick_runs=3)
IMAGES = 13_007
HIDDEN = 256
LR = 0.001


def main():
    args = measure.start(__doc__)
    torch.manual_seed(3)
    model = networks.mnist_1v7_net(HIDDEN)
    measure.network(model, (784,))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.BCELoss()
    x = torch.rand(IMAGES, 784)
    y = torch.randint(0, 2, (IMAGES, 1)).float()
    runs = measure.time_runs(
        PLAN, args.quick, lambda: training.step(model, opt, x, lambda y_hat: loss_fn(y_hat, y))
    )
    measure.figure("lesson3_epoch_ms", "ms", [s * 1e3 for s in runs])
    measure.finish("lesson3")


if __name__ == "__main__":
    main()
