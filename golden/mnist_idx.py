"""Reading MNIST's IDX files for the reference scripts beside this one: where the data root
is (as gradschool's `data::data_root` finds it) and one IDX file as a numpy array."""

import gzip
import os
import sys
from pathlib import Path

import numpy as np


def default_data_root():
    for var, sub in (("GRADSCHOOL_DATA", ""), ("XDG_CACHE_HOME", "gradschool")):
        if os.environ.get(var):
            return Path(os.environ[var]) / sub
    if os.environ.get("HOME"):
        return Path(os.environ["HOME"]) / ".cache" / "gradschool"
    return Path("gradschool-data")


def read_idx(path, magic):
    """An IDX file (big-endian header: magic, then one u32 per dimension) as a u8 array."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = magic & 0xFF
    header = np.frombuffer(raw, dtype=">u4", count=1 + ndim)
    if header[0] != magic:
        sys.exit(f"{path}: magic number {header[0]:#x}, expected {magic:#x}")
    shape = tuple(int(d) for d in header[1:])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 * (1 + ndim))
    if data.size != np.prod(shape):
        sys.exit(f"{path}: {data.size} bytes of data for shape {shape}")
    return data.reshape(shape)
