"""The set-up every notebook runs first: one thread, fixed seeds, fixed print precision."""

from __future__ import annotations

import random
from importlib.metadata import version

import numpy as np

EXPECTED_TORCH = "2.13.0"
PRINT_PRECISION = 6


def setup(seed: int = 0) -> None:
    """Make a notebook reproducible to the last printed digit, and check the torch version.

    One thread: bit-identical results (and a tiny model trains faster); seeds for ``random``,
    numpy and torch; numpy prints ``PRINT_PRECISION`` digits; figures are small PNGs.

    >>> setup()
    """
    import matplotlib
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=PRINT_PRECISION, suppress=False)
    matplotlib.rcParams.update({"figure.dpi": 72, "savefig.dpi": 72, "font.size": 9})
    found = version("torch").split("+")[0]
    if found != EXPECTED_TORCH:
        raise RuntimeError(
            f"these notebooks were checked with torch {EXPECTED_TORCH}, found {found}; "
            "run `make lab` from the repository to get the pinned environment"
        )
