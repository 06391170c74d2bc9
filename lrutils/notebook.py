"""The set-up every notebook runs first: pinned numerics, one thread, fixed seeds, readable figures."""

from __future__ import annotations

import random
from importlib.metadata import version

import numpy as np

EXPECTED_TORCH = "2.13.0"
PRINT_PRECISION = 6


def setup(seed: int = 0) -> None:
    """Make a notebook reproducible to the last printed digit on any x86-64 CPU, and check torch.

    Checks that MKL runs in its CPU-independent mode (lrutils switches it on when imported; if a
    matrix multiply ran before ``import lrutils``, this says to restart the kernel), one torch
    thread, seeds for ``random``, numpy and torch, numpy prints ``PRINT_PRECISION`` digits, and
    figures use :mod:`lrutils.figures.style` (readable on a projector, crisp PNGs).

    >>> setup()
    """
    import torch

    from .curves.spec import REQUIRED, ParamSpec
    from .figures import style
    from .training.numerics import require_pinned_mkl

    seed = ParamSpec("seed", "int", REQUIRED, low=0, high=2**32 - 1).check(seed)  # before anything is seeded

    found = version("torch").split("+")[0]
    if found != EXPECTED_TORCH:
        raise RuntimeError(
            f"these notebooks were checked with torch {EXPECTED_TORCH}, found {found}; "
            "run `make lab` from the repository to get the pinned environment"
        )
    require_pinned_mkl()
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=PRINT_PRECISION, suppress=False)
    style.apply()
