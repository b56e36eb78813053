"""Lesson 9's recipe in PyTorch, on real MNIST: the twin whose test accuracy over seeds the
lesson's bar is set against, and whose seconds per epoch its speed is.

As crates/models/src/lessons/vit.rs does: `networks.VisionTransformer(patch, width, depth,
heads, mlp)` (`nn.TransformerEncoderLayer` blocks, pre-norm, GELU, no dropout; timm's
initialisation of the class token and positions, PyTorch's elsewhere); pixels/255, each
training batch's digits rotated, scaled and shifted about their centre by amounts drawn
uniformly from ±`rotate` degrees, 1 ± `scale` and ±`shift` pixels (bilinear, black outside:
`F.affine_grid` + `F.grid_sample`, data::augment::random_affine's moves), then
`(x − 0.1307)/0.3081`; AdamW with `lr` and `weight_decay` (betas and eps PyTorch's
defaults); the learning rate of step t set before each step, linear warm-up over
`warmup_epochs` then a cosine to 0 (optim::WarmupCosine); cross-entropy; shuffled batches of
128, the last partial batch kept. After each epoch: the test loss and accuracy in eval mode
(batches of 500); an epoch's seconds include that, as the lesson's do.

Usage: `python lesson9_course.py [--seeds 1,2,3] [--epochs N] [--patch 4] ...` prints one
line per epoch and a summary per seed, and the median of the seeds' final test accuracies.
`--check-model FILE` instead loads a model saved by `cargo xtask lesson 9` into this network
with `load_state_dict(strict=True)` and prints its test accuracy.
"""

import argparse
import math
import statistics

import torch
import torch.nn.functional as F

import measure
import networks
from course_data import data_root, load
from course_loop import evaluate, run_epochs

EVAL_BATCH = 500
MEAN, STD = 0.1307, 0.3081


def random_moves(x, rotate, scale, shift, generator):
    """Each image of `x: [N, 1, H, W]` rotated by up to ±`rotate` degrees, scaled by
    1 ± `scale` and shifted by up to ±`shift` pixels about its centre."""
    n, _, h, w = x.shape
    uniform = lambda lo, hi: lo + (hi - lo) * torch.rand(n, generator=generator)
    angle = uniform(-rotate, rotate) * math.pi / 180
    s = uniform(1 - scale, 1 + scale)
    dx, dy = uniform(-shift, shift), uniform(-shift, shift)
    # The output pixel p samples the input at R(−angle)·(p − c − d)/s + c, in coordinates
    # normalised to [−1, 1] (a pixel is 2/W wide).
    cos, sin = torch.cos(angle) / s, torch.sin(angle) / s
    tx, ty = -(cos * dx * 2 / w + sin * dy * 2 / h), -(-sin * dx * 2 / w + cos * dy * 2 / h)
    theta = torch.stack([torch.stack([cos, sin, tx], 1), torch.stack([-sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def build(args):
    return networks.VisionTransformer(args.patch, args.width, args.depth, args.heads, args.mlp)


def train(args, seed, data):
    """One run of the recipe with `seed`; returns the final test accuracy and the mean
    seconds per epoch."""
    (x_train, y_train), (x_test, y_test) = data
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = build(args)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    prepare = lambda x: (random_moves(x, args.rotate, args.scale, args.shift, generator) - MEAN) / STD
    return run_epochs(
        model, opt, (x_train, y_train), ((x_test - MEAN) / STD, y_test), args, seed,
        generator, prepare, EVAL_BATCH,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--patch", type=int, default=4)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--mlp", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument("--warmup-epochs", type=float, default=1.0)
    parser.add_argument("--rotate", type=float, default=10.0)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--shift", type=float, default=2.0)
    parser.add_argument("--train-images", type=int, default=60_000)
    parser.add_argument("--check-model", default=None)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    torch.set_num_threads(measure.THREADS)
    print(f"PyTorch {torch.__version__}, CPU capability "
          f"{torch.backends.cpu.get_cpu_capability()}, {torch.get_num_threads()} threads")
    root = data_root(args.data_dir)
    data = (load(root, "train", args.train_images), load(root, "test", None))
    if args.check_model:
        from safetensors.torch import load_file

        model = build(args)
        print(model.load_state_dict(load_file(args.check_model), strict=True))
        x_test, y_test = data[1]
        loss, accuracy = evaluate(model, (x_test - MEAN) / STD, y_test, EVAL_BATCH)
        print(f"{args.check_model}: test loss {loss:.4f}, test accuracy {accuracy:.4f}")
        return
    finals = []
    for seed in (int(s) for s in args.seeds.split(",")):
        accuracy, per_epoch = train(args, seed, data)
        finals.append(accuracy)
        print(f"seed {seed}: test accuracy {accuracy:.4f}, {per_epoch:.1f} s per epoch",
              flush=True)
    print(f"median test accuracy over seeds {args.seeds}: {statistics.median(finals):.4f}")


if __name__ == "__main__":
    main()
