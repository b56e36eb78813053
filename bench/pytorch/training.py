"""One training step as the lessons write it, and the training-throughput loop that the
lesson 6 and 7 sections share (xtask/src/bench/sections.rs: `step` and `cnn`)."""

import math

import torch

import measure


def step(model, opt, x, loss_of):
    """Forward, loss, zero grads, backward, step; the loss must stay finite (ours asserts
    the same every step, which also reads the loss back as a number)."""
    y_hat = model(x)
    loss = loss_of(y_hat)
    opt.zero_grad()
    loss.backward()
    opt.step()
    assert math.isfinite(loss.item()), "bench: the loss is not finite"


def cnn_images_per_s(section, model, opt, batch, steps, plan, quick):
    """Training throughput of `model` on random `[batch, 1, 28, 28]` images in [−1, 1] with
    random classes, drawn afresh for every step inside the timed run (a fixed batch would be
    fitted within a few hundred steps, its gradients would underflow to denormals and the
    CPU would slow down several times). Each timed run is `steps` steps; prints
    `{section}_train_images_per_s`."""
    loss_fn = torch.nn.CrossEntropyLoss()
    model.train()

    def work():
        for _ in range(steps):
            x = torch.empty(batch, 1, 28, 28).uniform_(-1.0, 1.0)
            y = torch.randint(0, 10, (batch,))
            step(model, opt, x, lambda logits: loss_fn(logits, y))

    runs = measure.time_runs(plan, quick, work)
    images = batch * steps
    measure.figure(f"{section}_train_images_per_s", "images/s", [images / s for s in runs])
