"""Cosine annealing: half a cosine from the initial learning rate down to ``eta_min``."""

from __future__ import annotations

import numpy as np

from ..text.i18n import template
from .spec import REQUIRED, ParamSpec, ScheduleSpec


def cosine_annealing_curve(n_steps: int, base_lr: float, *, T_max: int, eta_min: float) -> np.ndarray:
    """CosineAnnealingLR: ``eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2``.

    Torch steps a recursive form of this; past ``T_max`` it keeps following the cosine, so the
    learning rate rises again and the curve has period ``2 * T_max``.

    >>> cosine_annealing_curve(5, 1.0, T_max=2, eta_min=0.0).round(12).tolist()
    [1.0, 0.5, 0.0, 0.5, 1.0]
    """
    t = np.arange(n_steps, dtype=float)
    return eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * t / T_max)) / 2


COSINE_ANNEALING_LR = ScheduleSpec(
    name="CosineAnnealingLR",
    params=(
        ParamSpec(
            "T_max",
            "int",
            REQUIRED,
            low=1,
            slider=(1, 200),
            example=100,
            help=template("steps from the initial lr down to eta_min (half a period)"),
        ),
        ParamSpec("eta_min", "float", 0.0, low=0.0, slider=(0.0, 0.05), help=template("the lowest learning rate")),
    ),
    curve=cosine_annealing_curve,
    unit="epoch",
    summary="half a cosine from the initial lr to eta_min over T_max epochs",
)
