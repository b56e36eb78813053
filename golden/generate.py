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
attention.safetensors -- the transformer's pieces (lesson 9), each with L = sum(y * g):
    layer_norm     nn.LayerNorm(8) (eps 1e-5) with a given weight and bias on x [2,5,8]
                   (each row with its own offset and spread). Names: x, weight, bias, g;
                   y, grad_x, grad_weight, grad_bias.
    gelu           F.gelu (exact erf form) on x [4,6] spread over [-6, 6]. Names: x, g;
                   y, grad_x.
    mha            nn.MultiheadAttention(8, 2, batch_first=True) called as mha(x, x, x,
                   need_weights=True, average_attn_weights=False) on x [2,5,8], its
                   parameters PyTorch's initialisation plus noise of std 0.1 (so no bias is
                   zero). Names: x, heads, in_proj_weight, in_proj_bias, out_proj.weight,
                   out_proj.bias, g; y, attn [2,2,5,5] (per head), grad_x, grad_NAME for each
                   parameter NAME.
    encoder_layer  nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu",
                   batch_first=True, norm_first=True) on x [2,5,8], parameters as for mha.
                   Names: x, heads, param.NAME (NAME its state_dict keys), g; y, grad_x,
                   grad.NAME.
    vit            a vision transformer: patch_embed.proj = Conv2d(1,8,4,stride 4), cls_token
                   [1,1,8], pos_embed [1,5,8], blocks.0 and blocks.1 as encoder_layer, norm =
                   LayerNorm(8), head = Linear(8,3); logits = head(norm(blocks(cat(cls, patches)
                   + pos_embed))[:, 0]) on x [2,1,8,8] (4 patches of 4×4), parameters as for
                   mha. Names: x, heads, patch, param.NAME, g [2,3]; logits, grad_x, grad.NAME.

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

FILES = [
    "activations",
    "conv2d",
    "max_pool2d",
    "losses",
    "optimizers",
    "cnn",
    "batch_norm",
    "attention",
]


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


def layer_norm_case(t):
    norm = nn.LayerNorm(t["weight"].numel())
    norm.load_state_dict({"weight": t["weight"], "bias": t["bias"]})
    x = t["x"].clone().requires_grad_()
    y = norm(x)
    grads = gradients((y * t["g"]).sum(), [x, norm.weight, norm.bias])
    return {"y": y, **dict(zip(["grad_x", "grad_weight", "grad_bias"], grads))}


def gelu_case(t):
    x = t["x"].clone().requires_grad_()
    y = F.gelu(x)
    (grad_x,) = gradients((y * t["g"]).sum(), [x])
    return {"y": y, "grad_x": grad_x}


MHA_PARAMS = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]


def mha_case(t):
    d = t["x"].shape[2]
    mha = nn.MultiheadAttention(d, int(t["heads"].item()), batch_first=True)
    mha.load_state_dict({k: t[k] for k in MHA_PARAMS})
    x = t["x"].clone().requires_grad_()
    y, attn = mha(x, x, x, need_weights=True, average_attn_weights=False)
    grads = gradients((y * t["g"]).sum(), [x] + [mha.get_parameter(k) for k in MHA_PARAMS])
    out = {"y": y, "attn": attn, "grad_x": grads[0]}
    out.update({f"grad_{k}": g for k, g in zip(MHA_PARAMS, grads[1:])})
    return out


def encoder_layer(d, heads, ff):
    return nn.TransformerEncoderLayer(
        d, heads, ff, dropout=0.0, activation="gelu", batch_first=True, norm_first=True
    )


class TinyViT(nn.Module):
    """timm's names around PyTorch's encoder layers, as layers::VisionTransformer has them."""

    def __init__(self, channels, patch, tokens, d, depth, heads, ff, classes):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(channels, d, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens + 1, d))
        self.blocks = nn.ModuleList([encoder_layer(d, heads, ff) for _ in range(depth)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, classes)

    def forward(self, x):
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x)[:, 0])


def params_of(t):
    return {k[len("param.") :]: v for k, v in t.items() if k.startswith("param.")}


def model_case(model, t, output):
    """Loads param.NAME into `model` (strictly), runs it on x and stores its output under
    `output`, and the gradients of L = sum(output * g) for x and every parameter."""
    model.load_state_dict(params_of(t), strict=True)
    x = t["x"].clone().requires_grad_()
    y = model(x)
    names = [n for n, _ in model.named_parameters()]
    grads = gradients((y * t["g"]).sum(), [x] + list(model.parameters()))
    out = {output: y, "grad_x": grads[0]}
    out.update({f"grad.{n}": g for n, g in zip(names, grads[1:])})
    return out


def vit_shape(t):
    """TinyViT's sizes, read from the stored parameters and hyper-parameters."""
    p = params_of(t)
    d, channels, patch, _ = p["patch_embed.proj.weight"].shape
    assert patch == int(t["patch"].item())
    depth = len({k.split(".")[1] for k in p if k.startswith("blocks.")})
    ff = p["blocks.0.linear1.weight"].shape[0]
    tokens = p["pos_embed"].shape[1] - 1
    classes = p["head.weight"].shape[0]
    return channels, patch, tokens, d, depth, int(t["heads"].item()), ff, classes


def attention_case(case, t):
    if case == "layer_norm":
        return layer_norm_case(t)
    if case == "gelu":
        return gelu_case(t)
    if case == "mha":
        return mha_case(t)
    if case == "encoder_layer":
        d = t["x"].shape[2]
        ff = t["param.linear1.weight"].shape[0]
        return model_case(encoder_layer(d, int(t["heads"].item()), ff), t, "y")
    return model_case(TinyViT(*vit_shape(t)), t, "logits")


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
    "attention": (
        ["layer_norm", "gelu", "mha", "encoder_layer", "vit"],
        attention_case,
        ("y", "attn", "grad", "logits"),
    ),
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


def perturbed(model):
    """`model`'s state_dict after PyTorch's initialisation, every parameter moved by noise of
    std 0.1, so that no bias is 0 and no norm's weight is 1 (a mix-up of two of them would
    then go unseen)."""
    return {k: v + 0.1 * torch.randn_like(v) for k, v in model.state_dict().items()}


def attention():
    d, heads, ff = 8, 2, 16
    # Rows with their own offset and spread, as tokens in a residual stream have.
    x_norm = torch.randn(2, 5, 1) + (0.5 + torch.rand(2, 5, 1)) * torch.randn(2, 5, d)
    layer_norm = {
        "x": x_norm,
        "weight": 1.0 + 0.5 * torch.randn(d),
        "bias": 0.5 * torch.randn(d),
        "g": torch.randn(2, 5, d),
    }
    gelu = {"x": 3.0 * torch.randn(4, 6).clamp(-2.0, 2.0), "g": torch.randn(4, 6)}
    mha = {"x": torch.randn(2, 5, d), "heads": torch.tensor([float(heads)])}
    mha.update(perturbed(nn.MultiheadAttention(d, heads, batch_first=True)))
    mha["g"] = torch.randn(2, 5, d)
    layer = {"x": torch.randn(2, 5, d), "heads": torch.tensor([float(heads)])}
    layer.update({f"param.{k}": v for k, v in perturbed(encoder_layer(d, heads, ff)).items()})
    layer["g"] = torch.randn(2, 5, d)
    vit = {
        "x": 2.0 * torch.rand(2, 1, 8, 8) - 1.0,
        "heads": torch.tensor([float(heads)]),
        "patch": torch.tensor([4.0]),
    }
    model = TinyViT(1, 4, 4, d, 2, heads, ff, 3)
    vit.update({f"param.{k}": v for k, v in perturbed(model).items()})
    vit["g"] = torch.randn(2, 3)
    return {"layer_norm": layer_norm, "gelu": gelu, "mha": mha, "encoder_layer": layer, "vit": vit}


INPUTS = {
    "activations": activations,
    "conv2d": conv2d,
    "max_pool2d": max_pool2d,
    "losses": losses,
    "optimizers": optimizers,
    "cnn": cnn,
    "batch_norm": batch_norm,
    "attention": attention,
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
