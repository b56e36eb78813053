"""The course's networks in PyTorch, one function each, layer for layer as
crates/models/src/networks.rs builds them (the bench compares parameter counts and each
layer's output shape with ours; see `measure.network`).

Initialisation follows networks.rs too: PyTorch's defaults for the PyTorch lessons (1, 6),
Keras' Glorot-uniform with zero biases for the Keras ones (3, 7).
"""

import torch
from torch import nn


def glorot(model):
    """Keras' initialisation: Glorot-uniform weights (fan-in and fan-out count the kernel's
    positions for a convolution) and zero biases, for every Linear and Conv2d of `model`."""
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


def xor_net(hidden):
    """Lesson 1: `2 → H → 1`, sigmoid after the hidden layer and at the output."""
    return nn.Sequential(nn.Linear(2, hidden), nn.Sigmoid(), nn.Linear(hidden, 1), nn.Sigmoid())


def mnist_1v7_net(hidden):
    """Lesson 3: `784 → H → 1`, tanh then a sigmoid output, Keras initialisation."""
    return glorot(
        nn.Sequential(nn.Linear(784, hidden), nn.Tanh(), nn.Linear(hidden, 1), nn.Sigmoid())
    )


def first_cnn():
    """Lesson 6: Conv2d(1→32, 3×3, pad 1), ReLU, MaxPool(2), Flatten, Linear(6272→128),
    ReLU, Linear(128→10) giving logits."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 14 * 14, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )


def deep_cnn(dropout):
    """Lesson 7: four blocks of Conv2d(5×5, same) + ReLU + MaxPool(2×2, stride 2, same) with
    16, 32, 64 and 128 filters (28 → 14 → 7 → 4 → 2), then `512 → 128` ReLU, dropout,
    `128 → 10` logits, Keras initialisation.

    Keras' 'same' pooling of 7 rows gives 4 with the one missing row padded at the bottom
    (right for columns); `ceil_mode=True` gives the same windows, the last one cut short.
    A 5×5 'same' convolution at stride 1 pads 2 on every side, `padding=2`."""
    layers = []
    in_ch = 1
    for out_ch in (16, 32, 64, 128):
        layers += [
            nn.Conv2d(in_ch, out_ch, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2, stride=2, ceil_mode=True),
        ]
        in_ch = out_ch
    layers += [
        nn.Flatten(),
        nn.Linear(128 * 2 * 2, 128),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(128, 10),
    ]
    return glorot(nn.Sequential(*layers))


class BasicBlock(nn.Module):
    """Lesson 8's block (crates/layers/src/residual.rs): two 3×3 convolutions, the first
    with `stride`; `kind` "plain" keeps their biases and adds nothing, "bn" puts batch
    normalisation after each (the convolutions lose their biases), "resnet" adds the
    shortcut — the input itself, or a 1×1 convolution with stride and batch normalisation
    where the shape changes — before the last ReLU. Attribute names as ours: conv1, bn1,
    conv2, bn2, shortcut."""

    def __init__(self, in_ch, out_ch, stride, kind):
        super().__init__()
        plain = kind == "plain"
        self.kind = kind
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=plain)
        self.bn1 = None if plain else nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, padding=1, bias=plain)
        self.bn2 = None if plain else nn.BatchNorm2d(out_ch)
        self.shortcut = None
        if kind == "resnet" and (stride != 1 or in_ch != out_ch):
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False), nn.BatchNorm2d(out_ch)
            )

    def forward(self, x):
        z = self.conv1(x)
        a = (z if self.bn1 is None else self.bn1(z)).relu()
        z = self.conv2(a)
        z = z if self.bn2 is None else self.bn2(z)
        if self.kind == "resnet":
            z = z + (x if self.shortcut is None else self.shortcut(x))
        return z.relu()


class GlobalAvgPool(nn.Module):
    """The mean of each channel's map, `[N, C, H, W] → [N, C]` (ours: GlobalAvgPool2d)."""

    def forward(self, x):
        return x.mean(dim=(2, 3))


def fashion_resnet(kind="resnet", widths=(16, 32, 64), blocks=2):
    """Lesson 8: a stem (Conv2d(1 → widths[0], 3×3, pad 1), batch normalisation unless
    plain, ReLU), then per width a stage of `blocks` blocks, the first of every stage after
    the first with stride 2, then global average pooling and Linear(widths[-1] → 10);
    PyTorch's default initialisation, the indices of ours (networks.rs, `fashion_resnet`)."""
    plain = kind == "plain"
    layers = [nn.Conv2d(1, widths[0], 3, padding=1, bias=plain)]
    if not plain:
        layers.append(nn.BatchNorm2d(widths[0]))
    layers.append(nn.ReLU())
    in_ch = widths[0]
    for stage, out_ch in enumerate(widths):
        for block in range(blocks):
            stride = 2 if stage > 0 and block == 0 else 1
            layers.append(BasicBlock(in_ch, out_ch, stride, kind))
            in_ch = out_ch
    layers += [GlobalAvgPool(), nn.Linear(in_ch, 10)]
    return nn.Sequential(*layers)


class PatchEmbed(nn.Module):
    """Lesson 9's patch embedding (crates/layers/src/patch_embed.rs): a convolution with
    kernel = stride = patch, `[N, C, H, W] → [N, T, D]`, named `proj` as timm does."""

    def __init__(self, channels, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    """Lesson 9's network (layers::VisionTransformer): patch embedding, a class token and
    learned position embeddings (timm's initialisation: N(0, 10⁻⁶) and a truncated normal
    of std 0.02), `depth` pre-norm `nn.TransformerEncoderLayer`s (GELU, no dropout), a final
    LayerNorm and a Linear head on the class token; PyTorch's defaults elsewhere, and ours
    names (`patch_embed.proj.*`, `cls_token`, `pos_embed`, `blocks.{i}.*`, `norm.*`,
    `head.*`). Iterating it gives its stages in the order of our summary's rows (see
    `measure.network`)."""

    def __init__(self, patch=4, dim=64, depth=4, heads=4, mlp=128, classes=10, image=(1, 28, 28)):
        super().__init__()
        tokens = (image[1] // patch) * (image[2] // patch)
        self.patch_embed = PatchEmbed(image[0], patch, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens + 1, dim))
        nn.init.normal_(self.cls_token, std=1e-6)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(
                dim, heads, mlp, dropout=0.0, activation="gelu", batch_first=True,
                norm_first=True,
            )
            for _ in range(depth)
        )
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def embed(self, patches):
        """`[cls; patches] + pos_embed`, `[N, T, D] → [N, T + 1, D]`."""
        cls = self.cls_token.expand(patches.shape[0], -1, -1)
        return torch.cat([cls, patches], dim=1) + self.pos_embed

    def __iter__(self):
        return iter(
            [self.patch_embed, self.embed, *self.blocks, self.norm, lambda x: x[:, 0], self.head]
        )

    def forward(self, x):
        for stage in self:
            x = stage(x)
        return x
