"""Step decay and exponential decay: the learning rate multiplied by ``gamma`` now and then."""

from __future__ import annotations

import numpy as np

from ..text.i18n import template
from .spec import REQUIRED, ParamSpec, ScheduleSpec


def step_lr_curve(n_steps: int, base_lr: float, *, step_size: int, gamma: float) -> np.ndarray:
    """StepLR: ``base_lr * gamma ** (t // step_size)``.

    >>> step_lr_curve(5, 1.0, step_size=2, gamma=0.5).tolist()
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    n_decays = (n_steps - 1) // step_size + 1
    # One power per plateau, each repeated step_size times: far cheaper than a power per step.
    # Never more than n_steps copies: memory follows n_steps, not step_size (which may be 10**10).
    return np.repeat(base_lr * gamma ** np.arange(n_decays, dtype=float), min(step_size, n_steps))[:n_steps]


def exponential_lr_curve(n_steps: int, base_lr: float, *, gamma: float) -> np.ndarray:
    """ExponentialLR: ``base_lr * gamma ** t``.

    >>> exponential_lr_curve(3, 1.0, gamma=0.5).tolist()
    [1.0, 0.5, 0.25]
    """
    return base_lr * gamma ** np.arange(n_steps, dtype=float)


GAMMA_HELP = template("multiplies the learning rate at each decay")

STEP_LR = ScheduleSpec(
    name="StepLR",
    params=(
        ParamSpec(
            "step_size", "int", REQUIRED, low=1, slider=(1, 50), example=10, help=template("epochs between two decays")
        ),
        ParamSpec("gamma", "float", 0.1, low=0.0, low_open=True, slider=(0.05, 1.0), help=GAMMA_HELP),
    ),
    curve=step_lr_curve,
    unit="epoch",
    summary="multiply the lr by gamma every step_size epochs",
)

EXPONENTIAL_LR = ScheduleSpec(
    name="ExponentialLR",
    params=(
        ParamSpec(
            "gamma",
            "float",
            REQUIRED,
            low=0.0,
            low_open=True,
            slider=(0.8, 1.0),
            example=0.9,
            help=template("multiplies the learning rate every epoch"),
        ),
    ),
    curve=exponential_lr_curve,
    unit="epoch",
    summary="multiply the lr by gamma every epoch",
)
