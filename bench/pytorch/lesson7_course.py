"""Lesson 7's course training in PyTorch, on real MNIST, printing the seconds of each epoch:
the whole-run counterpart of the `lesson7` bench section, to set beside the epoch seconds
that `cargo xtask lesson 7` records (crates/models/src/lessons/deep_cnn.rs).

As the lesson's first two stages do: the deep CNN (Keras initialisation, dropout 0.4),
Keras' RMSprop (lr 0.001, ρ 0.9, ε 1e-7), cross-entropy, shuffled batches of 128 with the
last partial batch kept; stage 1 is 20 epochs on the 60,000 training images as they are,
stage 2 is 5 epochs on those plus an inverted copy of each (`1 − x`, 120,000 images). After
every epoch the model is measured on the test set and the inverted test set (batches of
500, eval mode); an epoch's seconds include that measurement, as the lesson's do, and the
training and measuring seconds are printed apart too. The lesson's third stage (moved
digits at lr 0.0001) is not mirrored.

Usage: `python lesson7_course.py [--epochs N] [--limit N] [--data-dir DIR]`; `--epochs N`
runs the first N of the 25 epochs, `--limit N` keeps the first N training and test images.
MNIST is read from DIR/mnist/*.gz, DIR being `--data-dir`, else `$GRADSCHOOL_DATA`, else
`$XDG_CACHE_HOME/gradschool`, else `~/.cache/gradschool` (where `cargo xtask data` puts it).
"""

import argparse
import time

import torch

import measure
import networks
from course_data import data_root, load

BATCH = 128
LR = 0.001
RHO = 0.9
EPS = 1e-7
DROPOUT = 0.4
PLAIN_EPOCHS = 20
AUGMENTED_EPOCHS = 5
EVAL_BATCH = 500


def measure_test(model, x, y):
    """Test loss and accuracy, and the accuracy on the inverted test images."""
    model.eval()
    loss, right, inverted_right = 0.0, 0, 0
    with torch.no_grad():
        for start in range(0, len(x), EVAL_BATCH):
            xb, yb = x[start : start + EVAL_BATCH], y[start : start + EVAL_BATCH]
            logits = model(xb)
            loss += torch.nn.functional.cross_entropy(logits, yb, reduction="sum").item()
            right += (logits.argmax(1) == yb).sum().item()
            inverted_right += (model(1.0 - xb).argmax(1) == yb).sum().item()
    model.train()
    n = len(x)
    return loss / n, right / n, inverted_right / n


def train_epoch(model, opt, x, y):
    """One epoch of shuffled batches; the mean training loss."""
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(len(x))
    total, steps = 0.0, 0
    for start in range(0, len(x), BATCH):
        rows = order[start : start + BATCH]
        x_b, y_b = x[rows], y[rows]
        logits = model(x_b)
        loss = loss_fn(logits, y_b)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
        steps += 1
    return total / steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=PLAIN_EPOCHS + AUGMENTED_EPOCHS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    torch.set_num_threads(measure.THREADS)
    torch.manual_seed(42)
    print(f"PyTorch {torch.__version__}, CPU capability "
          f"{torch.backends.cpu.get_cpu_capability()}, {torch.get_num_threads()} threads")
    root = data_root(args.data_dir)
    x_train, y_train = load(root, "train", args.limit)
    x_test, y_test = load(root, "test", args.limit)
    x_aug = torch.cat([x_train, 1.0 - x_train])
    y_aug = torch.cat([y_train, y_train])
    model = networks.deep_cnn(DROPOUT)
    opt = torch.optim.RMSprop(model.parameters(), lr=LR, alpha=RHO, eps=EPS)
    print(f"{len(x_train)} training images, {len(x_test)} test images, "
          f"{sum(p.numel() for p in model.parameters())} parameters")
    print("epoch  stage  images  train_s  test_s  epoch_s  train_loss  test_acc  inverted_acc")
    seconds = {1: [], 2: []}
    for epoch in range(1, min(args.epochs, PLAIN_EPOCHS + AUGMENTED_EPOCHS) + 1):
        stage, (x, y) = (1, (x_train, y_train)) if epoch <= PLAIN_EPOCHS else (2, (x_aug, y_aug))
        started = time.perf_counter()
        train_loss = train_epoch(model, opt, x, y)
        trained = time.perf_counter()
        _, acc, inverted = measure_test(model, x_test, y_test)
        ended = time.perf_counter()
        seconds[stage].append(ended - started)
        print(f"{epoch:>5}  {stage:>5}  {len(x):>6}  {trained - started:>7.1f}  "
              f"{ended - trained:>6.1f}  {ended - started:>7.1f}  {train_loss:>10.4f}  "
              f"{acc:>8.4f}  {inverted:>12.4f}", flush=True)
    for stage, s in seconds.items():
        if s:
            print(f"stage {stage}: {len(s)} epoch(s), {sum(s) / len(s):.1f} s per epoch")


if __name__ == "__main__":
    main()
