"""Short names for composite curves (notebook 07): ``sequential_curve(stages, milestones, n)`` and its torch twin.

>>> lambda_curve(lambda t: 0.5**t, 3, 1.0).tolist()
[1.0, 0.5, 0.25]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .closed_form import lr_curve
from .spec import DEFAULT_BASE_LR
from .stages import Stage
from .torch_reference import torch_lr_curve


def sequential_curve(
    schedulers: list[Stage], milestones: list[int], n_steps: int, base_lr: float = DEFAULT_BASE_LR
) -> np.ndarray:
    """``lr_curve("SequentialLR", n_steps, base_lr, schedulers=..., milestones=...)``.

    >>> stages = [("ConstantLR", {"factor": 0.5}), ("StepLR", {"step_size": 1, "gamma": 0.5})]
    >>> sequential_curve(stages, [2], 4, 1.0).tolist()
    [0.5, 0.5, 1.0, 0.5]
    """
    return lr_curve("SequentialLR", n_steps, base_lr, schedulers=schedulers, milestones=milestones)


def torch_sequential_curve(
    schedulers: list[Stage], milestones: list[int], n_steps: int, base_lr: float = DEFAULT_BASE_LR
) -> np.ndarray:
    """The same as :func:`sequential_curve`, recorded by stepping torch's real SequentialLR.

    >>> stages = [("ConstantLR", {"factor": 0.5}), ("StepLR", {"step_size": 1, "gamma": 0.5})]
    >>> torch_sequential_curve(stages, [2], 4, 1.0).tolist()
    [0.5, 0.5, 1.0, 0.5]
    """
    return torch_lr_curve("SequentialLR", n_steps, base_lr, schedulers=schedulers, milestones=milestones)


def chained_curve(schedulers: list[Stage], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """``lr_curve("ChainedScheduler", n_steps, base_lr, schedulers=...)``.

    >>> chained_curve([("ExponentialLR", {"gamma": 0.5}), ("ExponentialLR", {"gamma": 0.5})], 3, 1.0).tolist()
    [1.0, 0.25, 0.0625]
    """
    return lr_curve("ChainedScheduler", n_steps, base_lr, schedulers=schedulers)


def torch_chained_curve(schedulers: list[Stage], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """The same as :func:`chained_curve`, recorded by stepping torch's real ChainedScheduler.

    >>> torch_chained_curve([("ExponentialLR", {"gamma": 0.5}), ("ExponentialLR", {"gamma": 0.5})], 3, 1.0).tolist()
    [1.0, 0.25, 0.0625]
    """
    return torch_lr_curve("ChainedScheduler", n_steps, base_lr, schedulers=schedulers)


def lambda_curve(fn: Callable[[int], float], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """``lr_curve("LambdaLR", n_steps, base_lr, lr_lambda=fn)``.

    >>> lambda_curve(lambda t: 0.5**t, 3, 1.0).tolist()
    [1.0, 0.5, 0.25]
    """
    return lr_curve("LambdaLR", n_steps, base_lr, lr_lambda=fn)


def torch_lambda_curve(fn: Callable[[int], float], n_steps: int, base_lr: float = DEFAULT_BASE_LR) -> np.ndarray:
    """The same as :func:`lambda_curve`, recorded by stepping torch's real LambdaLR.

    >>> torch_lambda_curve(lambda t: 0.5**t, 3, 1.0).tolist()
    [1.0, 0.5, 0.25]
    """
    return torch_lr_curve("LambdaLR", n_steps, base_lr, lr_lambda=fn)


__all__ = [
    "chained_curve",
    "lambda_curve",
    "sequential_curve",
    "torch_chained_curve",
    "torch_lambda_curve",
    "torch_sequential_curve",
]
