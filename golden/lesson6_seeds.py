"""PyTorch's run of lesson 6 (the first CNN on MNIST) over several seeds, to compare the
spread of gradschool's test accuracy with.

The recipe, as crates/models/src/lessons/first_cnn.rs runs it (the PyTorch course's): x =
the 60,000 training images, pixels (x/255 − 0.5)/0.5 (so [−1, 1]), shape [N, 1, 28, 28];
the network nn.Sequential(Conv2d(1, 32, 3, padding=1), ReLU, MaxPool2d(2), Flatten,
Linear(6272, 128), ReLU, Linear(128, 10)) with PyTorch's default initialisation; mean
cross-entropy on the logits; SGD lr 0.0008, momentum 0.9 (no dampening, no Nesterov, no
weight decay); batches of 32 in a fresh random order each epoch; 10 epochs. f32
throughout, one thread by default, deterministic algorithms.

For each seed s in 1..=K: torch.manual_seed(s) before the network is built (so s draws the
initialisation) and a torch.Generator seeded with s draws the order of each epoch. After
training: the accuracy on the 10,000 test images (argmax of the logits) and the mean
training loss of the last epoch (the mean over its batches of each batch's loss, as the
lesson reports it). Prints one line per seed, then the min / median / max test accuracy;
--json FILE also writes the per-seed numbers (with every epoch's mean loss) and that
summary to FILE.

Data: --data DIR holds mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz, read here with
gzip + numpy. Default: $GRADSCHOOL_DATA, else $XDG_CACHE_HOME/gradschool, else
~/.cache/gradschool (the order gradschool itself uses).
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mnist_idx import default_data_root, read_idx

LR = 0.0008
MOMENTUM = 0.9
BATCH_SIZE = 32
EVAL_BATCH = 500


# --- data ------------------------------------------------------------------------------------


def mnist(root, split):
    """(x [N, 1, 28, 28] in [−1, 1], y [N] int64 labels) of a split, in file order."""
    images = read_idx(root / "mnist" / f"{split}-images-idx3-ubyte.gz", 0x0803)
    labels = read_idx(root / "mnist" / f"{split}-labels-idx1-ubyte.gz", 0x0801)
    # f32 throughout, as gradschool's `p as f32 / 255.0` then `(v − 0.5) / 0.5`.
    x = images.reshape(-1, 1, 28, 28).astype(np.float32) / np.float32(255.0)
    x = (x - np.float32(0.5)) / np.float32(0.5)
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


# --- model and training ----------------------------------------------------------------------


def network():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 14 * 14, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def train_epoch(model, opt, x, y, generator):
    """One epoch over a fresh random order; returns the mean of the batches' losses."""
    order = torch.randperm(x.shape[0], generator=generator)
    total, batches = 0.0, 0
    for start in range(0, x.shape[0], BATCH_SIZE):
        idx = order[start : start + BATCH_SIZE]
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
        batches += 1
    return total / batches


def accuracy(model, x, y):
    """Fraction of argmax(logits) == label (a Python float), in batches of EVAL_BATCH."""
    correct = 0
    with torch.no_grad():
        for start in range(0, x.shape[0], EVAL_BATCH):
            logits = model(x[start : start + EVAL_BATCH])
            correct += (logits.argmax(dim=1) == y[start : start + EVAL_BATCH]).sum().item()
    return correct / x.shape[0]


def run_seed(seed, epochs, x, y, x_test, y_test):
    torch.manual_seed(seed)
    model = network()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    losses = [train_epoch(model, opt, x, y, generator) for _ in range(epochs)]
    model.eval()
    return losses, accuracy(model, x_test, y_test)


# --- main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument("--seeds", type=int, default=5, metavar="K", help="train seeds 1..=K (default 5)")
    parser.add_argument("--epochs", type=int, default=10, help="epochs per seed (default 10)")
    parser.add_argument("--data", type=Path, default=None, help="data root (holds mnist/)")
    parser.add_argument("--json", type=Path, default=None, help="write the report to FILE")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    root = args.data or default_data_root()
    x, y = mnist(root, "train")
    x_test, y_test = mnist(root, "t10k")
    print(f"{root}: {x.shape[0]} training and {x_test.shape[0]} test images; "
          f"{args.seeds} seeds x {args.epochs} epochs, {args.threads} thread(s)", flush=True)

    runs = []
    for seed in range(1, args.seeds + 1):
        start = time.perf_counter()
        losses, test_acc = run_seed(seed, args.epochs, x, y, x_test, y_test)
        seconds = time.perf_counter() - start
        runs.append({"seed": seed, "test_accuracy": test_acc, "final_loss": losses[-1],
                     "losses": losses, "seconds": seconds})
        print(f"seed {seed}: test accuracy {test_acc:.4f}, final loss {losses[-1]:.6f} "
              f"({seconds:.1f} s)", flush=True)
    test = [r["test_accuracy"] for r in runs]
    summary = {"min": min(test), "median": statistics.median(test), "max": max(test)}
    print(f"test accuracy over {len(runs)} seeds: min {summary['min']:.4f}, "
          f"median {summary['median']:.4f}, max {summary['max']:.4f}")
    if args.json:
        report = {"epochs": args.epochs, "lr": LR, "momentum": MOMENTUM,
                  "batch_size": BATCH_SIZE, "threads": args.threads, "torch": torch.__version__,
                  "runs": runs, "test_accuracy": summary}
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
