"""Warm-up and decay pieces: MultiStepLR, ConstantLR, LinearLR and PolynomialLR.

Torch steps each of them recursively (the new lr is the current lr times a ratio); the curves here
are the closed forms of what that recursion gives when the scheduler is stepped alone, including
the corners where torch's recursive and closed forms disagree (``ConstantLR(total_iters=0)`` keeps
``factor`` for ever when stepped, because the ``1 / factor`` is only applied at ``last_epoch ==
total_iters`` and step 0 is handled first).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..text.i18n import template
from .spec import REQUIRED, ParamSpec, ScheduleSpec


def multistep_lr_curve(n_steps: int, base_lr: float, *, milestones: list[int], gamma: float) -> np.ndarray:
    """MultiStepLR: ``base_lr * gamma ** (number of milestones <= t)``, duplicates counted twice.

    Torch keeps ``Counter(milestones)``: a milestone listed twice multiplies by ``gamma ** 2``.

    >>> multistep_lr_curve(6, 1.0, milestones=[2, 4, 4], gamma=0.5).tolist()
    [1.0, 1.0, 0.5, 0.5, 0.125, 0.125]
    """
    hits = np.asarray([m for m in milestones if m < n_steps], dtype=np.int64)
    decays = np.cumsum(np.bincount(hits, minlength=n_steps)[:n_steps])
    return base_lr * gamma ** decays.astype(float)


def constant_lr_curve(n_steps: int, base_lr: float, *, factor: float, total_iters: int) -> np.ndarray:
    """ConstantLR: ``base_lr * factor`` before step ``total_iters``, ``base_lr`` from it on.

    With ``total_iters=0`` torch multiplies by ``factor`` at step 0 and never undoes it.

    >>> constant_lr_curve(4, 1.0, factor=0.5, total_iters=2).tolist()
    [0.5, 0.5, 1.0, 1.0]
    >>> constant_lr_curve(3, 1.0, factor=0.5, total_iters=0).tolist()
    [0.5, 0.5, 0.5]
    """
    out = np.full(n_steps, base_lr * factor)
    if total_iters >= 1 and total_iters < n_steps:
        out[total_iters:] = base_lr * factor * (1.0 / factor)  # torch: lr * factor, later lr * (1 / factor)
    return out


def linear_lr_curve(
    n_steps: int, base_lr: float, *, start_factor: float, end_factor: float, total_iters: int
) -> np.ndarray:
    """LinearLR: the factor moves linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` steps.

    ``base_lr * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)``

    >>> linear_lr_curve(6, 1.0, start_factor=0.25, end_factor=1.0, total_iters=3).tolist()
    [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    """
    t = np.minimum(np.arange(n_steps, dtype=float), total_iters)
    return base_lr * (start_factor + (end_factor - start_factor) * t / total_iters)


def polynomial_lr_curve(n_steps: int, base_lr: float, *, total_iters: int, power: float) -> np.ndarray:
    """PolynomialLR: ``base_lr * (1 - min(t, total_iters) / total_iters) ** power`` (0 from total_iters on).

    >>> polynomial_lr_curve(5, 1.0, total_iters=4, power=2.0).tolist()
    [1.0, 0.5625, 0.25, 0.0625, 0.0]
    """
    t = np.minimum(np.arange(n_steps, dtype=float), total_iters)
    return base_lr * (1.0 - t / total_iters) ** power


def _constant_lr_together(n_steps: int, params: dict[str, Any]) -> None:
    total = params["total_iters"]
    if params["factor"] == 0 and 1 <= total <= n_steps - 1:
        raise ValueError(
            f"ConstantLR: factor=0 with total_iters={total} makes torch divide by zero at step {total} "
            "(it undoes the factor with lr * (1 / factor)); use a factor > 0, or total_iters >= n_steps"
        )


TOTAL_ITERS_HELP = template("steps until the factor reaches its final value")

MULTI_STEP_LR = ScheduleSpec(
    name="MultiStepLR",
    params=(
        ParamSpec(
            "milestones",
            "int_list",
            REQUIRED,
            low=0,
            example=[30, 80],
            help=template("steps at which the lr is multiplied by gamma (a repeated milestone counts twice)"),
        ),
        ParamSpec(
            "gamma", "float", 0.1, low=0.0, low_open=True, slider=(0.05, 1.0), help=template("multiplies the lr")
        ),
    ),
    curve=multistep_lr_curve,
    unit="epoch",
    summary="multiply the lr by gamma at each milestone",
)

CONSTANT_LR = ScheduleSpec(
    name="ConstantLR",
    params=(
        ParamSpec(
            "factor",
            "float",
            1.0 / 3,
            low=0.0,
            high=1.0,
            slider=(0.0, 1.0),
            help=template("the lr is base_lr * factor until total_iters"),
        ),
        ParamSpec("total_iters", "int", 5, low=0, slider=(0, 100), help=template("steps with the reduced lr")),
    ),
    curve=constant_lr_curve,
    unit="epoch",
    summary="base_lr * factor for total_iters steps, then base_lr",
    check_together=_constant_lr_together,
)

LINEAR_LR = ScheduleSpec(
    name="LinearLR",
    params=(
        ParamSpec(
            "start_factor",
            "float",
            1.0 / 3,
            low=0.0,
            low_open=True,
            high=1.0,
            slider=(0.01, 1.0),
            help=template("factor at step 0"),
        ),
        ParamSpec(
            "end_factor",
            "float",
            1.0,
            low=0.0,
            high=1.0,
            slider=(0.0, 1.0),
            help=template("factor from total_iters on"),
        ),
        ParamSpec("total_iters", "int", 5, low=1, slider=(1, 100), help=TOTAL_ITERS_HELP),
    ),
    curve=linear_lr_curve,
    unit="epoch",
    summary="factor moves linearly from start_factor to end_factor over total_iters steps",
)

POLYNOMIAL_LR = ScheduleSpec(
    name="PolynomialLR",
    params=(
        ParamSpec("total_iters", "int", 5, low=1, slider=(1, 200), help=template("steps until the lr reaches 0")),
        ParamSpec("power", "float", 1.0, low=0.0, slider=(0.0, 5.0), help=template("1 is linear, 2 quadratic, ...")),
    ),
    curve=polynomial_lr_curve,
    unit="epoch",
    summary="base_lr * (1 - t / total_iters) ** power, 0 from total_iters on",
)
