"""The training loop that lessons 8 and 9's twins share, as the lessons share `fit`: the
learning rate of step t (optim::WarmupCosine), the test loss and accuracy in eval mode, and
the epochs themselves — shuffled batches of `batch_size` (the last partial one kept), each
prepared by the lesson (augmentation, standardising), cross-entropy, the rate set before
each step; after each epoch the test set in eval mode, the epoch's seconds including it."""

import math
import statistics
import time

import torch
import torch.nn.functional as F

EVAL_BATCH = 1000


def lr_at(t, peak, warmup, total):
    """The learning rate of step `t` (0-based) of `total`: linear warm-up over `warmup`
    steps to `peak`, then a cosine to 0, as optim::WarmupCosine."""
    if t < warmup:
        return peak * (t + 1) / warmup
    p = min((t - warmup) / (total - warmup), 1.0)
    return peak * (1 + math.cos(math.pi * p)) / 2


def evaluate(model, x, y, batch=EVAL_BATCH):
    """Mean cross-entropy and accuracy over `(x, y)` in eval mode, `batch` images at a time."""
    model.eval()
    loss, right = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(x), batch):
            logits = model(x[start : start + batch])
            yb = y[start : start + batch]
            loss += F.cross_entropy(logits, yb, reduction="sum").item()
            right += (logits.argmax(1) == yb).sum().item()
    model.train()
    return loss / len(x), right / len(x)


def run_epochs(model, opt, train, test, args, seed, generator, prepare, eval_batch=EVAL_BATCH):
    """Trains `model` with `opt` for `args.epochs` epochs of `train = (x, y)` in batches of
    `args.batch_size`, the rate from `args.lr` and `args.warmup_epochs`; `prepare(x_batch)`
    turns a batch of raw pixels into the network's input, and `test = (x, y)` is already
    prepared (measured `eval_batch` images at a time). Prints one line per epoch; returns the final test accuracy and the mean
    seconds per epoch."""
    (x_train, y_train), (x_test, y_test) = train, test
    steps_per_epoch = math.ceil(len(x_train) / args.batch_size)
    total = steps_per_epoch * args.epochs
    warmup = min(round(args.warmup_epochs * steps_per_epoch), total - 1)
    t, seconds, accuracy = 0, [], 0.0
    print(f"seed {seed}: {sum(p.numel() for p in model.parameters())} parameters")
    print("  epoch  train_loss  train_acc  test_loss  test_acc      lr  seconds")
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        order = torch.randperm(len(x_train), generator=generator)
        total_loss, right, steps = 0.0, 0, 0
        for start in range(0, len(x_train), args.batch_size):
            rows = order[start : start + args.batch_size]
            x_b, y_b = prepare(x_train[rows]), y_train[rows]
            logits = model(x_b)
            loss = F.cross_entropy(logits, y_b)
            opt.zero_grad()
            loss.backward()
            lr = lr_at(t, args.lr, warmup, total)
            for group in opt.param_groups:
                group["lr"] = lr
            opt.step()
            t += 1
            total_loss += loss.item()
            right += (logits.argmax(1) == y_b).sum().item()
            steps += 1
            if not math.isfinite(loss.item()):
                raise SystemExit(f"seed {seed}: the loss is {loss.item()} at epoch {epoch}")
        test_loss, accuracy = evaluate(model, x_test, y_test, eval_batch)
        seconds.append(time.perf_counter() - started)
        print(f"  {epoch:>5}  {total_loss / steps:>10.4f}  {right / len(x_train):>9.4f}  "
              f"{test_loss:>9.4f}  {accuracy:>8.4f}  {lr:>6.4f}  {seconds[-1]:>7.1f}",
              flush=True)
    return accuracy, statistics.mean(seconds)
