"""The training demo's settings: how long, how fast, on which seeds, and each scheduler's keywords.

The demo: a 2-32-32-3 ReLU network on three noisy spiral arms (:mod:`lrutils.training.data`),
SGD with momentum 0.9 (or AdamW), batches of 40, 30 epochs, float64.

>>> steps_per_epoch(), DEFAULT_EPOCHS, DEFAULT_LR
(30, 30, 0.1)
"""

from __future__ import annotations

import math
from typing import Any

from ..curves.composite import linear_warmup_lambda, warmup_cosine
from ..curves.table import get_spec
from .data import N_TRAIN

DEFAULT_EPOCHS = 30
DEFAULT_LR = 0.1
"""Starting (peak) learning rate when none is given: the blog's 0.1."""
BATCH_SIZE = 40
DEFAULT_SEEDS = 10
"""Seeds per schedule in :func:`compare` and :func:`bake_off`: 0, 1, ..., 9."""
TUNING_SEEDS = (100, 101, 102)
"""Seeds :func:`tune_lr` sweeps on: disjoint from the seeds results are reported on."""
LR_GRID = (0.025, 0.05, 0.1, 0.2, 0.4)
"""The sweep every schedule gets in :func:`tune_lr`: factors of 2 around the blog's 0.1."""
OPTIMIZERS = ("sgd", "adamw")

TUNED_LR: dict[str, float] = {
    "constant": 0.1,
    "StepLR": 0.1,
    "ExponentialLR": 0.4,
    "CosineAnnealingLR": 0.1,
    "ReduceLROnPlateau": 0.1,
    "OneCycleLR": 0.1,
}
"""The lr each of the blog's schedules (and the constant) gets from the shared sweep: :data:`LR_GRID` on
:data:`TUNING_SEEDS` with the demo keywords, SGD, 30 epochs. Notebook 06 runs that sweep and prints
its table (strict nbval re-checks it); ``tests/test_tuned_lr.py`` holds this dict to that table.
``compare(..., lr="tuned")`` trains each schedule at its entry, so the scheduler notebooks compare at
the same tuned lrs without each re-running the sweep."""


def steps_per_epoch(batch_size: int = BATCH_SIZE) -> int:
    """Optimizer steps (batches) per epoch of the demo data set.

    >>> steps_per_epoch()
    30
    """
    return math.ceil(N_TRAIN / batch_size)


def demo_kwargs(name: str | None, epochs: int, steps_per_epoch: int, lr: float) -> dict[str, Any]:
    """Demo keyword arguments for scheduler ``name`` over a run of ``epochs`` epochs.

    The one table of defaults :func:`train` starts from (keywords the caller passes win):
    StepLR cuts the lr by 0.3 every third of the run, ExponentialLR decays it 100x over the run,
    CosineAnnealingLR anneals over the whole run, ReduceLROnPlateau cuts by 0.3 after 2 epochs
    without improvement, OneCycleLR peaks at ``lr`` over ``epochs * steps_per_epoch`` batches,
    CosineAnnealingWarmRestarts restarts every third of the run, CyclicLR climbs from ``lr`` (its
    ``base_lr``, the optimizer's lr) to ``2 * lr`` and back three times (per batch).
    Warm-up schedulers warm up over the first tenth of the run, SequentialLR and ``warmup_cosine``
    warm up then anneal over the rest, ChainedScheduler multiplies a warm-up with a cosine over the
    whole run, ``warmup_stable_decay`` decays over the last fifth, MultiStepLR cuts by 0.3 at half
    and three quarters, PolynomialLR decays linearly.

    >>> demo_kwargs("StepLR", 30, 30, 0.2)
    {'step_size': 10, 'gamma': 0.3}
    >>> demo_kwargs(None, 30, 30, 0.2)
    {}
    """
    if name is None:
        return {}
    get_spec(name)  # a clear error listing the names (and a near miss) if it is unknown
    table: dict[str, dict[str, Any]] = {
        "StepLR": {"step_size": max(1, epochs // 3), "gamma": 0.3},
        "ExponentialLR": {"gamma": 0.01 ** (1.0 / epochs)},
        "CosineAnnealingLR": {"T_max": epochs},
        "ReduceLROnPlateau": {"patience": 2, "factor": 0.3},
        "OneCycleLR": {"max_lr": lr, "epochs": epochs, "steps_per_epoch": steps_per_epoch},
        "CosineAnnealingWarmRestarts": {"T_0": max(1, epochs // 3)},
        "CyclicLR": {"max_lr": 2 * lr, "step_size_up": max(1, epochs * steps_per_epoch // 6)},
    }
    table.update(_warmup_demo_kwargs(epochs))
    table.update(_recipe_demo_kwargs(epochs * steps_per_epoch))
    return dict(table.get(name, {}))


def _recipe_demo_kwargs(total: int) -> dict[str, dict[str, Any]]:
    """The per-batch recipes of notebook 12 over ``total`` batches: warm-up over the first tenth,
    decay over the last fifth (WSD). Noam with ``d_model=1`` peaks at ``lr / sqrt(warmup_steps)``."""
    warm, decay = max(1, total // 10), max(1, total // 5)
    return {
        "noam": {"d_model": 1, "warmup_steps": warm},
        "linear_warmup_decay": {"warmup_steps": warm, "total_steps": total},
        "warmup_cosine_floor": {"warmup_steps": warm, "total_steps": total, "min_lr_ratio": 0.1},
        "wsd_1sqrt": {"warmup_steps": warm, "stable_steps": max(0, total - warm - decay), "decay_steps": decay},
    }


def _warmup_demo_kwargs(epochs: int) -> dict[str, dict[str, Any]]:
    """Warm-up schedulers: warm-up over the first tenth of the run (at least one epoch)."""
    warm = max(1, epochs // 10)
    decay = max(1, epochs // 5)
    return {
        "MultiStepLR": {"milestones": [epochs // 2, 3 * epochs // 4], "gamma": 0.3},
        "ConstantLR": {"factor": 0.25, "total_iters": warm},
        "LinearLR": {"start_factor": 0.1, "total_iters": warm},
        "PolynomialLR": {"total_iters": epochs, "power": 1.0},
        "LambdaLR": {"lr_lambda": linear_warmup_lambda(warm)},
        "SequentialLR": warmup_cosine(warmup_steps=warm, T_max=max(1, epochs - warm)),
        "ChainedScheduler": {
            "schedulers": [
                ("LinearLR", {"start_factor": 0.1, "total_iters": warm}),
                ("CosineAnnealingLR", {"T_max": epochs}),
            ]
        },
        "warmup_cosine": {"warmup_steps": warm, "T_max": max(1, epochs - warm)},
        "warmup_stable_decay": {
            "warmup_steps": warm,
            "stable_steps": max(0, epochs - warm - decay),
            "decay_steps": decay,
        },
    }


__all__ = [
    "BATCH_SIZE",
    "DEFAULT_EPOCHS",
    "DEFAULT_LR",
    "DEFAULT_SEEDS",
    "LR_GRID",
    "OPTIMIZERS",
    "TUNED_LR",
    "TUNING_SEEDS",
    "demo_kwargs",
    "steps_per_epoch",
]
