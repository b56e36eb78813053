"""Regenerate the PyTorch reference values ("golden files") that gradschool's tests compare with.

    python golden/generate.py [--out DIR] [--seed N]
    python golden/generate.py --check DIR     # recompute DIR's outputs from DIR's own inputs

Every file holds f32 tensors named `CASE.NAME`, contiguous and row-major, in PyTorch's
layouts: images [N, C, H, W], conv weights [out, in, kh, kw], linear weights [out, in]
(y = x·Wᵀ + b). Integer targets and hyper-parameters (stride, padding) are stored as f32.
Where a case has `g`, the scalar whose gradients are stored is L = sum(y * g), so that
∂L/∂y = g.

activations.safetensors -- one x [4, 5] shared by every case, a fresh g [4, 5] per case:
    sigmoid, tanh, relu, leaky_relu_0.1 (negative slope 0.1), softmax (dim 1),
    log_softmax (dim 1), prelu (one slope, 0.25: also `slope` and `grad_slope`).
    Names: x, g, y, grad_x.
conv2d.safetensors -- F.conv2d with bias:
    s1p1   x [2,3,7,6], weight [4,3,3,3], stride 1, padding 1
    s2p0   x [2,2,9,8], weight [5,2,3,3], stride 2, padding 0
    s1p2k5 x [1,3,6,6], weight [2,3,5,5], stride 1, padding 2
    Names: x, weight, bias, stride, padding, g, y, grad_x, grad_weight, grad_bias.
max_pool2d.safetensors -- F.max_pool2d, 2×2 window, stride 2:
    even      x [2,3,6,6] -> y [2,3,3,3]
    same_odd  x [1,2,7,7] with ceil_mode=True -> y [1,2,4,4] (Keras' 'same' padding)
    Names: x, g, y, grad_x.
losses.safetensors -- mean-reduced losses and the gradient of the loss w.r.t. the input:
    cross_entropy  logits [6,10], target [6] (class indices) -- F.cross_entropy
    bce            p [8,1] probabilities, target [8,1] in {0,1} -- F.binary_cross_entropy
    bce_logits     z [8,1], target [8,1] in {0,1} -- F.binary_cross_entropy_with_logits
    mse            y_hat [7,1], target [7,1] -- F.mse_loss
    Names: INPUT, target, loss [1], grad_INPUT.
optimizers.safetensors -- three steps of torch.optim from one p0 [3,4] and three given
    gradients grad_0..grad_2 (the same p0 and gradients for every case):
    sgd_momentum     SGD(lr 0.1, momentum 0.9)
    sgd_nesterov_wd  SGD(lr 0.05, momentum 0.9, nesterov, weight_decay 0.01)
    rmsprop_keras    RMSprop(lr 1e-3, alpha 0.9, eps 1e-7): Keras' defaults, with
                     PyTorch's update w -= lr·g / (sqrt(v) + eps)
    adam             Adam(lr 0.01), betas (0.9, 0.999), eps 1e-8
    adamw            AdamW(lr 0.01, weight_decay 0.1), betas (0.9, 0.999), eps 1e-8
    Names: p0, grad_i, p_after_i for i in 0..2.
cnn.safetensors -- lesson6_cnn: nn.Sequential(Conv2d(1,32,3,padding=1), ReLU, MaxPool2d(2),
    Flatten, Linear(1568,128), ReLU, Linear(128,10)) with PyTorch's default initialisation,
    on x [2,1,14,14] uniform in [-1, 1) and 2 class indices, mean cross-entropy.
    (The lesson itself runs on 28×28 images, F = 6272; 14×14 keeps the file small.)
    Names: x, target, logits, loss, param.NAME, grad.NAME for NAME in 0.weight, 0.bias,
    4.weight, 4.bias, 6.weight, 6.bias.
batch_norm.safetensors -- nn.BatchNorm2d(C) (eps 1e-5, momentum 0.1) with a given weight and
    bias, two training passes then one evaluation pass:
    images  x, x2, x_eval [4,3,5,6] (each channel with its own offset and spread)
    small   x, x2, x_eval [1,2,2,2] (m = 4 numbers per channel)
    Names: x, x2, x_eval, weight, bias, g, g_eval (inputs); y, grad_x, grad_weight,
    grad_bias (the first training pass, L = sum(y * g)); running_mean_1, running_var_1
    (after it), running_mean_2, running_var_2 (after the pass on x2); y_eval, grad_x_eval,
    grad_weight_eval, grad_bias_eval (evaluation on x_eval, L = sum(y_eval * g_eval)).

The output is byte-for-byte the same on every run with the same seed and the same
PyTorch build (one thread, deterministic algorithms, one metadata key).
"""

import argparse
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import load_file, save_file
from torch import nn

FILES = ["activations", "conv2d", "max_pool2d", "losses", "optimizers", "cnn", "batch_norm"]


# --- the computations: inputs -> PyTorch's outputs ------------------------------------------
# Each takes a case name and a dict of input tensors and returns a dict of output tensors, so
# that `--check` can feed it the inputs of an existing file.


def gradients(loss, inputs):
    """∂loss/∂t for each t in inputs."""
    return torch.autograd.grad(loss, inputs)


ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu_0.1": lambda x: F.leaky_relu(x, 0.1),
    "softmax": lambda x: F.softmax(x, dim=1),
    "log_softmax": lambda x: F.log_softmax(x, dim=1),
    "prelu": None,  # needs the slope: see activation_case
}


def activation_case(case, t):
    x = t["x"].clone().requires_grad_()
    if case == "prelu":
        slope = t["slope"].clone().requires_grad_()
        y = F.prelu(x, slope)
        grad_x, grad_slope = gradients((y * t["g"]).sum(), [x, slope])
        return {"y": y, "grad_x": grad_x, "grad_slope": grad_slope}
    y = ACTIVATIONS[case](x)
    (grad_x,) = gradients((y * t["g"]).sum(), [x])
    return {"y": y, "grad_x": grad_x}


def conv2d_case(case, t):
    x, w, b = (t[k].clone().requires_grad_() for k in ("x", "weight", "bias"))
    y = F.conv2d(x, w, b, stride=int(t["stride"].item()), padding=int(t["padding"].item()))
    grad_x, grad_w, grad_b = gradients((y * t["g"]).sum(), [x, w, b])
    return {"y": y, "grad_x": grad_x, "grad_weight": grad_w, "grad_bias": grad_b}


POOLS = {"even": {"ceil_mode": False}, "same_odd": {"ceil_mode": True}}


def max_pool2d_case(case, t):
    x = t["x"].clone().requires_grad_()
    y = F.max_pool2d(x, kernel_size=2, stride=2, **POOLS[case])
    (grad_x,) = gradients((y * t["g"]).sum(), [x])
    return {"y": y, "grad_x": grad_x}


# case -> (name of the input, the loss of (input, target))
LOSSES = {
    "cross_entropy": ("logits", lambda z, k: F.cross_entropy(z, k.long())),
    "bce": ("p", F.binary_cross_entropy),
    "bce_logits": ("z", F.binary_cross_entropy_with_logits),
    "mse": ("y_hat", F.mse_loss),
}


def loss_case(case, t):
    name, loss_fn = LOSSES[case]
    x = t[name].clone().requires_grad_()
    loss = loss_fn(x, t["target"])
    (grad,) = gradients(loss, [x])
    return {"loss": loss.reshape(1), f"grad_{name}": grad}


OPTIMIZERS = {
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_nesterov_wd": lambda p: torch.optim.SGD(
        p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01
    ),
    "rmsprop_keras": lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, eps=1e-7),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
}
STEPS = 3


def optimizer_case(case, t):
    p = t["p0"].clone().requires_grad_()
    opt = OPTIMIZERS[case]([p])
    out = {}
    for i in range(STEPS):
        opt.zero_grad()
        p.grad = t[f"grad_{i}"].clone()  # the gradient is given, not computed
        opt.step()
        out[f"p_after_{i}"] = p.detach().clone()
    return out


def cnn_model(features):
    """Lesson 6's CNN; `features` = 32·(H/2)·(W/2) for H×W inputs."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(features, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def cnn_case(case, t):
    params = {k[len("param.") :]: v for k, v in t.items() if k.startswith("param.")}
    model = cnn_model(params["4.weight"].shape[1])
    model.load_state_dict(params)
    logits = model(t["x"])
    loss = F.cross_entropy(logits, t["target"].long())
    names = [n for n, _ in model.named_parameters()]
    grads = gradients(loss, list(model.parameters()))
    out = {"logits": logits, "loss": loss.reshape(1)}
    out.update({f"grad.{n}": g for n, g in zip(names, grads)})
    return out


def batch_norm_case(case, t):
    """nn.BatchNorm2d(C) with the given weight and bias: two training passes (x, then x2),
    then one evaluation pass (x_eval) with the running statistics they left."""
    bn = nn.BatchNorm2d(t["weight"].numel())
    bn.load_state_dict({"weight": t["weight"], "bias": t["bias"]}, strict=False)
    x = t["x"].clone().requires_grad_()
    bn.train()
    y = bn(x)
    grad_x, grad_w, grad_b = gradients((y * t["g"]).sum(), [x, bn.weight, bn.bias])
    out = {"y": y, "grad_x": grad_x, "grad_weight": grad_w, "grad_bias": grad_b}
    out["running_mean_1"] = bn.running_mean.clone()
    out["running_var_1"] = bn.running_var.clone()
    bn(t["x2"])
    out["running_mean_2"] = bn.running_mean.clone()
    out["running_var_2"] = bn.running_var.clone()
    bn.eval()
    x_eval = t["x_eval"].clone().requires_grad_()
    y_eval = bn(x_eval)
    grads = gradients((y_eval * t["g_eval"]).sum(), [x_eval, bn.weight, bn.bias])
    out["y_eval"] = y_eval
    out.update(zip(["grad_x_eval", "grad_weight_eval", "grad_bias_eval"], grads))
    return out


# file -> (its cases, the computation, how the names of its outputs begin: every other
# stored name is an input of the computation)
COMPUTE = {
    "activations": (ACTIVATIONS, activation_case, ("y", "grad_")),
    "conv2d": (["s1p1", "s2p0", "s1p2k5"], conv2d_case, ("y", "grad_")),
    "max_pool2d": (POOLS, max_pool2d_case, ("y", "grad_")),
    "losses": (LOSSES, loss_case, ("loss", "grad_")),
    "optimizers": (OPTIMIZERS, optimizer_case, ("p_after_",)),
    "cnn": (["lesson6_cnn"], cnn_case, ("logits", "loss", "grad.")),
    "batch_norm": (["images", "small"], batch_norm_case, ("y", "grad_", "running_")),
}


# --- the inputs: one small function per file -------------------------------------------------


def activations():
    x = torch.randn(4, 5)
    cases = {}
    for case in ACTIVATIONS:
        cases[case] = {"x": x, "g": torch.randn(4, 5)}
    cases["prelu"]["slope"] = torch.tensor([0.25])
    return cases


def conv2d():
    def case(x_shape, w_shape, stride, padding):
        (n, _, h, w), (c_out, _, k, _) = x_shape, w_shape
        y_size = [(size + 2 * padding - k) // stride + 1 for size in (h, w)]
        return {
            "x": torch.randn(x_shape),
            "weight": 0.3 * torch.randn(w_shape),
            "bias": torch.randn(c_out),
            "stride": torch.tensor([float(stride)]),
            "padding": torch.tensor([float(padding)]),
            "g": torch.randn(n, c_out, *y_size),  # g has y's shape
        }

    return {
        "s1p1": case((2, 3, 7, 6), (4, 3, 3, 3), stride=1, padding=1),
        "s2p0": case((2, 2, 9, 8), (5, 2, 3, 3), stride=2, padding=0),
        "s1p2k5": case((1, 3, 6, 6), (2, 3, 5, 5), stride=1, padding=2),
    }


def max_pool2d():
    return {
        "even": {"x": torch.randn(2, 3, 6, 6), "g": torch.randn(2, 3, 3, 3)},
        "same_odd": {"x": torch.randn(1, 2, 7, 7), "g": torch.randn(1, 2, 4, 4)},
    }


def losses():
    def binary(n):
        return torch.randint(0, 2, (n, 1)).float()

    return {
        "cross_entropy": {
            "logits": torch.randn(6, 10),
            "target": torch.randint(0, 10, (6,)).float(),
        },
        "bce": {"p": torch.sigmoid(torch.randn(8, 1)), "target": binary(8)},
        "bce_logits": {"z": 2.0 * torch.randn(8, 1), "target": binary(8)},
        "mse": {"y_hat": torch.randn(7, 1), "target": torch.randn(7, 1)},
    }


def optimizers():
    shared = {"p0": 0.5 * torch.randn(3, 4)}
    shared.update({f"grad_{i}": torch.randn(3, 4) for i in range(STEPS)})
    return {case: dict(shared) for case in OPTIMIZERS}


def cnn():
    n, side = 2, 14
    model = cnn_model(32 * (side // 2) ** 2)  # PyTorch's default initialisation
    t = {f"param.{k}": v.detach().clone() for k, v in model.state_dict().items()}
    t["x"] = 2.0 * torch.rand(n, 1, side, side) - 1.0
    t["target"] = torch.randint(0, 10, (n,)).float()
    return {"lesson6_cnn": t}


def batch_norm():
    def case(shape):
        n, c, h, w = shape
        # Channels with their own offset and spread, as a convolution's outputs have.
        spread = (0.5 + torch.rand(1, c, 1, 1)) * 2.0
        offset = torch.randn(1, c, 1, 1)
        return {
            "x": offset + spread * torch.randn(shape),
            "x2": offset + spread * torch.randn(shape),
            "x_eval": offset + spread * torch.randn(shape),
            "weight": 1.0 + 0.5 * torch.randn(c),
            "bias": 0.5 * torch.randn(c),
            "g": torch.randn(shape),
            "g_eval": torch.randn(shape),
        }

    return {"images": case((4, 3, 5, 6)), "small": case((1, 2, 2, 2))}


INPUTS = {
    "activations": activations,
    "conv2d": conv2d,
    "max_pool2d": max_pool2d,
    "losses": losses,
    "optimizers": optimizers,
    "cnn": cnn,
    "batch_norm": batch_norm,
}


# --- files -----------------------------------------------------------------------------------


def deterministic(seed):
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def build(file):
    """{`CASE.NAME`: tensor} of one file: its inputs and PyTorch's outputs."""
    cases, compute, _ = COMPUTE[file]
    tensors = {}
    for case, t in INPUTS[file]().items():
        assert case in cases, case
        for name, value in {**t, **compute(case, t)}.items():
            tensors[f"{case}.{name}"] = value
    return tensors


def save(tensors, path, seed):
    arrays = {}
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().to(torch.float32).numpy())
        assert a.dtype == np.float32 and a.flags["C_CONTIGUOUS"], name
        arrays[name] = a
    # One metadata key only: safetensors writes the metadata map in an arbitrary order, so
    # two keys would make the bytes differ from run to run.
    source = f"PyTorch {torch.__version__}, golden/generate.py --seed {seed}"
    save_file(arrays, str(path), metadata={"source": source})


def check(dir):
    """Feeds the inputs stored in DIR's files through the computations above and prints how
    far the results are from the outputs stored beside them."""
    worst_all = 0.0
    for file in FILES:
        stored = {k: torch.from_numpy(v) for k, v in load_file(f"{dir}/{file}.safetensors").items()}
        cases, compute, outputs = COMPUTE[file]
        worst, worst_rel, seen = 0.0, 0.0, set()
        for case in cases:
            t = {k[len(case) + 1 :]: v for k, v in stored.items() if k.startswith(case + ".")}
            inputs = {k: v for k, v in t.items() if not k.startswith(outputs)}
            want = {k: v for k, v in t.items() if k.startswith(outputs)}
            got = compute(case, inputs)
            assert got.keys() == want.keys(), (file, case, got.keys() ^ want.keys())
            for name, w in want.items():
                g = got[name].detach()
                assert g.shape == w.shape, (file, case, name, g.shape, w.shape)
                diff = (g - w).abs().max().item()
                scale = w.abs().max().item()
                worst, worst_rel = max(worst, diff), max(worst_rel, diff / max(scale, 1e-30))
            seen.update(f"{case}.{k}" for k in t)
        assert seen == stored.keys(), (file, stored.keys() - seen)
        print(f"{file:12s} max |diff| {worst:.3e}   max |diff| / max |value| {worst_rel:.3e}")
        worst_all = max(worst_all, worst)
    return worst_all


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", type=Path, metavar="DIR", help="verify DIR's files instead")
    args = parser.parse_args()

    deterministic(args.seed)
    if args.check:
        check(args.check)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for file in FILES:
        torch.manual_seed(args.seed)  # each file's draws depend on the seed alone
        path = args.out / f"{file}.safetensors"
        save(build(file), path, args.seed)
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
