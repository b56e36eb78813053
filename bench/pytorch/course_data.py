"""Reading the course's data sets for the whole-run scripts beside this one (`*_course.py`):
where the data root is, one IDX file, and a split of MNIST or Fashion-MNIST as tensors."""

import gzip
import os
import struct
import sys
from pathlib import Path

import numpy as np
import torch


def data_root(flag):
    """The data root, found as the lessons find it (crates/data/src/root.rs)."""
    if flag:
        return Path(flag)
    if os.environ.get("GRADSCHOOL_DATA"):
        return Path(os.environ["GRADSCHOOL_DATA"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "gradschool"
    return Path.home() / ".cache" / "gradschool"


def read_idx(path, magic, dims):
    """The array in IDX file `path` (gzip), checking its magic number and its number of
    dimensions; exits naming the file if it is wrong."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        sys.exit(f"{path}: magic number {found}, expected {magic}")
    shape = struct.unpack(f">{dims}I", data[4 : 4 + 4 * dims])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if body.size != int(np.prod(shape)):
        sys.exit(f"{path}: {body.size} bytes of data for a header of {shape}")
    return body.reshape(shape)


def load(root, split, limit, folder="mnist"):
    """Images `[N, 1, 28, 28]` as pixel/255 and labels `[N]`, the first `limit` of them, of
    the set in `root/folder` (`mnist` or `fashion-mnist`)."""
    prefix = "train" if split == "train" else "t10k"
    where = root / folder
    try:
        images = read_idx(where / f"{prefix}-images-idx3-ubyte.gz", 2051, 3)
        labels = read_idx(where / f"{prefix}-labels-idx1-ubyte.gz", 2049, 1)
    except OSError as e:
        sys.exit(f"cannot read {folder} in {where}: {e} (`cargo xtask data` fetches it)")
    x = torch.from_numpy(images[:limit].astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels[:limit].astype(np.int64))
    return x, y
