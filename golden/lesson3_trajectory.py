"""PyTorch's run of lesson 3 (MNIST, 1 versus 7), to compare gradschool's training with.

The lesson: x = the training images of 1s and 7s (in file order), pixels / 255 flattened to
784; target 1.0 for a 1 and 0.0 for a 7; the network 784 -> 256 tanh -> 1 sigmoid
(PyTorch's nn.Sequential names: 0 = Linear(784, 256), 1 = Tanh, 2 = Linear(256, 1),
3 = Sigmoid); mean binary cross-entropy; plain SGD, lr 0.001, one full-batch step per epoch,
no shuffling. f32 throughout, one thread by default, deterministic algorithms.

Two modes:

  --init FILE   start from the weights in FILE (exported by gradschool: `0.weight` [256, 784],
                `0.bias` [256], `2.weight` [1, 256], `2.bias` [1]; y = x·Wᵀ + b) and write
                the trajectory to --out (default golden/lesson3_trajectory.safetensors):
                  loss [epochs]            loss[e] is the loss of the forward pass whose
                                           backward makes step e, i.e. on the weights
                                           *before* step e (e = 0 is the initial weights);
                  train_accuracy [epochs]  the accuracy of that same forward pass, the
                                           fraction of threshold(p >= 0.5) == target.
                Default --epochs 100.

  --seeds K     for each seed s in 1..=K: torch.manual_seed(s), Keras' default
                initialisation (Glorot/Xavier-uniform weights, drawn for 0.weight then
                2.weight; zero biases), the full recipe (default --epochs 500), then print
                the final train and test accuracy (test = t10k's 1s and 7s) and the
                min / median / max test accuracy over the seeds; --json FILE also writes
                them to FILE.

Data: --data DIR holds mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz, read here with
gzip + numpy. Default: $GRADSCHOOL_DATA, else $XDG_CACHE_HOME/gradschool, else
~/.cache/gradschool (the order gradschool itself uses).
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import save_file
from safetensors.torch import load_file
from torch import nn

from mnist_idx import default_data_root, read_idx

LR = 0.001
HERE = Path(__file__).resolve().parent


# --- data ------------------------------------------------------------------------------------


def one_vs_seven(root, split):
    """(x [N, 784], y [N, 1]) of a split's 1s and 7s, in file order; y = 1 for a 1."""
    images = read_idx(root / "mnist" / f"{split}-images-idx3-ubyte.gz", 0x0803)
    labels = read_idx(root / "mnist" / f"{split}-labels-idx1-ubyte.gz", 0x0801)
    keep = (labels == 1) | (labels == 7)
    # f32 division, exactly as gradschool's `p as f32 / 255.0`.
    x = images[keep].reshape(-1, 784).astype(np.float32) / np.float32(255.0)
    y = (labels[keep] == 1).astype(np.float32).reshape(-1, 1)
    return torch.from_numpy(x), torch.from_numpy(y)


# --- model and loss --------------------------------------------------------------------------


def network():
    return nn.Sequential(nn.Linear(784, 256), nn.Tanh(), nn.Linear(256, 1), nn.Sigmoid())


class OurBce(torch.autograd.Function):
    """gradschool's `optim::bce` (crates/optim/src/losses/bce.rs), written out:

        L = −(1/n) Σ [y·max(ln p, −100) + (1 − y)·max(ln(1 − p), −100)]
        ∂L/∂p = (p − y) / max(p(1 − p), 1e-12) / n

    This is PyTorch's F.binary_cross_entropy mathematically (it also clamps each log at
    −100 and uses this backward rule), but PyTorch's kernel evaluates ln(1 − p) differently
    (log1p / vectorised logs), so the two differ in the last bit of some elements; this
    spells out ours. The backward rule is written by hand, as in bce.rs: chaining ln and
    clamp would give NaN at p = 0 or 1."""

    @staticmethod
    def forward(ctx, p, y):
        ctx.save_for_backward(p, y)
        terms = y * torch.log(p).clamp(min=-100.0) + (1.0 - y) * torch.log(1.0 - p).clamp(
            min=-100.0
        )
        return -terms.sum() / p.numel()

    @staticmethod
    def backward(ctx, g):
        p, y = ctx.saved_tensors
        return g * (p - y) / (p * (1.0 - p)).clamp(min=1e-12) / p.numel(), None


def bce(p, y):
    return OurBce.apply(p, y)


def accuracy(p, y):
    """Fraction of threshold(p >= 0.5) == target (a Python float, as gradschool's f64)."""
    return ((p >= 0.5).float() == y).sum().item() / y.shape[0]


def train(model, x, y, epochs):
    """Full-batch SGD; returns the loss and accuracy of each step's forward pass."""
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    losses, accs = [], []
    for _ in range(epochs):
        p = model(x)
        loss = bce(p, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        accs.append(accuracy(p.detach(), y))
    return losses, accs


# --- the two modes ---------------------------------------------------------------------------


def from_init(args, x, y):
    model = network()
    init = load_file(str(args.init))
    want = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    got = {k: tuple(v.shape) for k, v in init.items()}
    if got != want:
        sys.exit(f"{args.init}: tensors {got}, expected {want}")
    model.load_state_dict({k: v.to(torch.float32).contiguous() for k, v in init.items()})
    losses, accs = train(model, x, y, args.epochs)
    out = args.out or HERE / "lesson3_trajectory.safetensors"
    save_file(
        {
            "loss": np.asarray(losses, dtype=np.float32),
            "train_accuracy": np.asarray(accs, dtype=np.float32),
        },
        str(out),
        metadata={"source": f"PyTorch {torch.__version__}, golden/lesson3_trajectory.py"},
    )
    print(f"{len(losses)} epochs: loss {losses[0]:.6f} -> {losses[-1]:.6f}, "
          f"train accuracy {accs[0]:.4f} -> {accs[-1]:.4f}; wrote {out}")


def keras_init(model, seed):
    torch.manual_seed(seed)
    for i in (0, 2):
        nn.init.xavier_uniform_(model[i].weight)
        nn.init.zeros_(model[i].bias)


def over_seeds(args, x, y, root):
    x_test, y_test = one_vs_seven(root, "t10k")
    runs = []
    for seed in range(1, args.seeds + 1):
        start = time.perf_counter()
        model = network()
        keras_init(model, seed)
        losses, _ = train(model, x, y, args.epochs)
        with torch.no_grad():
            train_acc, test_acc = accuracy(model(x), y), accuracy(model(x_test), y_test)
        seconds = time.perf_counter() - start
        runs.append({"seed": seed, "train_accuracy": train_acc, "test_accuracy": test_acc,
                     "final_loss": losses[-1], "seconds": seconds})
        print(f"seed {seed}: train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}, "
              f"final loss {losses[-1]:.6f} ({seconds:.1f} s)", flush=True)
    test = [r["test_accuracy"] for r in runs]
    summary = {"min": min(test), "median": statistics.median(test), "max": max(test)}
    print(f"test accuracy over {len(runs)} seeds: min {summary['min']:.4f}, "
          f"median {summary['median']:.4f}, max {summary['max']:.4f}")
    if args.json:
        report = {"epochs": args.epochs, "lr": LR, "torch": torch.__version__,
                  "runs": runs, "test_accuracy": summary}
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--init", type=Path, help="safetensors file of initial weights")
    mode.add_argument("--seeds", type=int, metavar="K", help="train seeds 1..=K from Keras' init")
    parser.add_argument("--data", type=Path, default=None, help="data root (holds mnist/)")
    parser.add_argument("--epochs", type=int, default=None, help="100 with --init, 500 with --seeds")
    parser.add_argument("--out", type=Path, default=None, help="--init mode's output file")
    parser.add_argument("--json", type=Path, default=None, help="--seeds mode's JSON report")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = parser.parse_args()
    if args.epochs is None:
        args.epochs = 100 if args.init else 500

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    root = args.data or default_data_root()
    x, y = one_vs_seven(root, "train")
    print(f"{root}: {x.shape[0]} training images of 1s and 7s ({int(y.sum())} ones)")
    if args.init:
        from_init(args, x, y)
    else:
        over_seeds(args, x, y, root)


if __name__ == "__main__":
    main()
