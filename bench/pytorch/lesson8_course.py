"""Lesson 8's recipe in PyTorch, on real Fashion-MNIST: the twin whose test accuracy over
seeds the lesson's bar is set against, and whose seconds per epoch its speed is.

As crates/models/src/lessons/resnet.rs does: `networks.fashion_resnet(kind, widths,
blocks)` with PyTorch's default initialisation; pixels/255, then `(x − mean)/std` with the
mean and standard deviation of the training images; each batch's images randomly cropped
from a copy padded by 2 black pixels and flipped left–right with chance ½ (torchvision's
RandomCrop(28, padding=2) + RandomHorizontalFlip, written out on the batch); SGD with
Nesterov momentum 0.9 and weight decay 5e-4 (PyTorch's form, on every parameter); the
learning rate of step t set before each step, linear warm-up over `warmup` steps to the peak,
then a cosine to 0 (optim::WarmupCosine); cross-entropy; shuffled batches of 128, the last
partial batch kept. After each epoch: the test loss and accuracy in eval mode (batches of
1000); an epoch's seconds include that, as the lesson's do.

Usage: `python lesson8_course.py [--seeds 1,2,3] [--epochs N] [--variant resnet] ...`
prints one line per epoch and a summary per seed, and the median of the seeds' final test
accuracies. `--check-model FILE` instead loads a model saved by `cargo xtask lesson 8`
into this network with `load_state_dict(strict=True)` and prints its test accuracy.
Fashion-MNIST is read from DIR/fashion-mnist/*.gz (see course_data.data_root).
"""

import argparse
import statistics

import torch
import torch.nn.functional as F

import measure
import networks
from course_data import data_root, load
from course_loop import evaluate, run_epochs


def crop_flip(x, pad, generator):
    """Each image of `x: [N, 1, H, W]` cut at a random offset in −pad..=pad from its
    zero-padded copy, then mirrored left–right with chance ½."""
    n, _, h, w = x.shape
    padded = F.pad(x, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    flip = torch.rand(n, generator=generator) < 0.5
    out = torch.empty_like(x)
    for i in range(n):
        image = padded[i, :, dy[i] : dy[i] + h, dx[i] : dx[i] + w]
        out[i] = image.flip(-1) if flip[i] else image
    return out


def train(args, seed, data):
    """One run of the recipe with `seed`; returns the final test accuracy and the mean
    seconds per epoch."""
    (x_train, y_train), (x_test, y_test), (mean, std) = data
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = networks.fashion_resnet(args.variant, args.widths, args.blocks)
    opt = torch.optim.SGD(
        model.parameters(), lr=args.lr, momentum=0.9, nesterov=True,
        weight_decay=args.weight_decay,
    )
    prepare = lambda x: (crop_flip(x, args.crop_padding, generator) - mean) / std
    return run_epochs(
        model, opt, (x_train, y_train), ((x_test - mean) / std, y_test), args, seed,
        generator, prepare,
    )


def check_model(args, data):
    """Loads a model file of the lesson into the twin, strictly, and measures it."""
    from safetensors.torch import load_file

    _, (x_test, y_test), (mean, std) = data
    model = networks.fashion_resnet(args.variant, args.widths, args.blocks)
    print(model.load_state_dict(load_file(args.check_model), strict=True))
    loss, accuracy = evaluate(model, (x_test - mean) / std, y_test)
    print(f"{args.check_model}: test loss {loss:.4f}, test accuracy {accuracy:.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--variant", default="resnet", choices=["plain", "bn", "resnet"])
    parser.add_argument("--widths", default="16,32,64")
    parser.add_argument("--blocks", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--warmup-epochs", type=float, default=1.0)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--crop-padding", type=int, default=2)
    parser.add_argument("--train-images", type=int, default=60_000)
    parser.add_argument("--check-model", default=None)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    args.widths = tuple(int(w) for w in args.widths.split(","))
    torch.set_num_threads(measure.THREADS)
    print(f"PyTorch {torch.__version__}, CPU capability "
          f"{torch.backends.cpu.get_cpu_capability()}, {torch.get_num_threads()} threads")
    root = data_root(args.data_dir)
    x_train, y_train = load(root, "train", args.train_images, "fashion-mnist")
    x_test, y_test = load(root, "test", None, "fashion-mnist")
    mean, std = x_train.mean().item(), x_train.std(unbiased=False).item()
    print(f"{len(x_train)} training images; pixels/255: mean {mean:.4f}, std {std:.4f}")
    data = ((x_train, y_train), (x_test, y_test), (mean, std))
    if args.check_model:
        check_model(args, data)
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
