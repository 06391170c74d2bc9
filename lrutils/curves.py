"""Torch-free learning-rate curves: what a torch scheduler would set, computed with numpy."""

from __future__ import annotations

from typing import Any

import numpy as np

from .schedules import get_spec
from .schedules._spec import check_base_lr, check_n_steps

DEFAULT_BASE_LR = 0.1
"""The blog's initial learning rate, used when ``base_lr`` is not given."""


def lr_curve(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> np.ndarray:
    """The learning rate in effect at steps ``0..n_steps-1`` for torch scheduler ``name``.

    Keyword names and defaults are exactly torch's. ``ReduceLROnPlateau`` takes ``metrics=``
    (the value measured after each step). A step is an epoch or a batch, whichever the
    scheduler is stepped on.

    >>> lr_curve("StepLR", 4, base_lr=0.1, step_size=2, gamma=0.5).tolist()
    [0.1, 0.1, 0.05, 0.05]
    """
    spec = get_spec(name)
    n_steps = check_n_steps(n_steps)
    base_lr = check_base_lr(base_lr)
    params = spec.resolve(n_steps, kwargs)
    return spec.curve(n_steps, base_lr, **params)


def momentum_curve(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> np.ndarray:
    """The momentum a scheduler sets at steps ``0..n_steps-1`` (OneCycleLR with cycle_momentum).

    >>> momentum_curve("OneCycleLR", 3, max_lr=1.0, total_steps=3, pct_start=0.5)[1].round(6)
    np.float64(0.875)
    """
    spec = get_spec(name)
    if spec.momentum is None:
        raise ValueError(f"{name} does not change momentum; only schedulers that cycle it have a momentum curve")
    n_steps = check_n_steps(n_steps)
    base_lr = check_base_lr(base_lr)
    params = spec.resolve(n_steps, kwargs)
    return spec.momentum(n_steps, base_lr, **params)
