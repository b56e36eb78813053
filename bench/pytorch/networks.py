"""The course's networks in PyTorch, one function each, layer for layer as
crates/models/src/networks.rs builds them (the bench compares parameter counts and each
layer's output shape with ours; see `measure.network`).

Initialisation follows networks.rs too: PyTorch's defaults for the PyTorch lessons (1, 6),
Keras' Glorot-uniform with zero biases for the Keras ones (3, 7).
"""

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
