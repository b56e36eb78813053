"""The `lesson9` section in PyTorch: training throughput of lesson 9's vision transformer
(4×4 patches, width 64, 4 pre-norm blocks of 4 heads, MLP 128; `networks.VisionTransformer`
with `nn.TransformerEncoderLayer`), cross-entropy and AdamW with the recipe's learning rate
and weight decay, on batches of 128 random images in [−1, 1] with random classes, a new batch
drawn every step inside the timed run; 3 steps per timed run, images per second
(xtask/src/bench/sections.rs, `vit`)."""

import torch

import measure
import networks
import training

PLAN = measure.Plan(warmup=2, runs=15, quick_runs=3)
STEPS = 3
BATCH = 128
PATCH = 4
WIDTH = 64
DEPTH = 4
HEADS = 4
MLP = 128
LR = 0.001
WEIGHT_DECAY = 0.05


def main():
    args = measure.start(__doc__)
    torch.manual_seed(9)
    model = networks.VisionTransformer(PATCH, WIDTH, DEPTH, HEADS, MLP)
    measure.network(model, (1, 28, 28))
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    training.cnn_images_per_s("lesson9", model, opt, BATCH, STEPS, PLAN, args.quick)
    measure.finish("lesson9")


if __name__ == "__main__":
    main()
