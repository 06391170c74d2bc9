"""Cyclical learning rates (CLR): a triangle wave between ``base_lr`` and ``max_lr``, stepped per batch.

Torch's ``CyclicLR`` takes its own ``base_lr`` (the bottom of the wave) and overwrites the
optimizer's lr with it at construction, the way ``OneCycleLR`` ignores the optimizer's lr.
lrutils has one ``base_lr`` argument everywhere (``lr_curve(name, n_steps, base_lr=...)``,
``train(..., lr=...)``): for ``CyclicLR`` that value is passed to torch as ``CyclicLR(base_lr=...)``.

Not supported: ``scale_fn`` and ``scale_mode`` (custom scaling callables). A callable cannot sit on
a slider or be checked against a table; the three ``mode`` values cover torch's built-in policies,
and with ``scale_fn=None`` torch itself ignores ``scale_mode`` (it uses 'cycle' for the triangular
modes and 'iterations' for exp_range).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..text.i18n import template
from .momentum_params import momentum_params
from .spec import REQUIRED, ParamSpec, ScheduleSpec


def _scale_factor_and_amplitude(n_steps: int, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Torch's ``get_lr`` arithmetic for steps ``0..n_steps-1``, same operations in the same order.

    Returns the position on the triangle (0 at the bottom, 1 at the top) and the mode's scale
    (1, ``1 / 2**(cycle - 1)`` or ``gamma**step``).
    """
    up = float(params["step_size_up"])
    down = float(params["step_size_down"]) if params["step_size_down"] is not None else up
    total_size = up + down
    step_ratio = up / total_size
    steps = np.arange(n_steps, dtype=float)
    cycle = np.floor(1 + steps / total_size)
    x = 1.0 + steps / total_size - cycle
    rising = x <= step_ratio
    scale_factor = np.empty(n_steps)
    scale_factor[rising] = x[rising] / step_ratio
    # step_ratio == 1 (step_size_down=0) never reaches this branch, so no 0/0 here.
    scale_factor[~rising] = (x[~rising] - 1) / (step_ratio - 1)
    mode = params["mode"]
    if mode == "triangular":
        scale = np.ones(n_steps)
    elif mode == "triangular2":
        scale = 1 / (2.0 ** (cycle - 1))
    else:  # exp_range: scaled per iteration, not per cycle
        scale = params["gamma"] ** steps
    return scale_factor, scale


def cyclic_curve(n_steps: int, base_lr: float, **params: Any) -> np.ndarray:
    """CyclicLR's learning rate at steps ``0..n_steps-1``; ``base_lr`` is CyclicLR's own ``base_lr``.

    ``lr = base_lr + (max_lr - base_lr) * scale_factor * scale``: ``scale_factor`` climbs from 0 to
    1 over ``step_size_up`` steps and falls back over ``step_size_down``; ``scale`` is 1
    (triangular), halves every cycle (triangular2) or is ``gamma**step`` (exp_range).

    >>> cyclic_curve(6, 0.1, max_lr=0.5, step_size_up=2, step_size_down=None, mode="triangular",
    ...     gamma=1.0, cycle_momentum=True, base_momentum=0.8, max_momentum=0.9).round(12).tolist()
    [0.1, 0.3, 0.5, 0.3, 0.1, 0.3]
    """
    scale_factor, scale = _scale_factor_and_amplitude(n_steps, params)
    base_height = (params["max_lr"] - base_lr) * scale_factor
    return base_lr + base_height * scale


def cyclic_momentum(n_steps: int, base_lr: float, **params: Any) -> np.ndarray:
    """The momentum (or Adam's beta1) CyclicLR sets: ``max_momentum`` when the lr is at ``base_lr``.

    >>> cyclic_momentum(3, 0.1, max_lr=0.5, step_size_up=2, step_size_down=None, mode="triangular",
    ...     gamma=1.0, cycle_momentum=True, base_momentum=0.8, max_momentum=0.9).round(12).tolist()
    [0.9, 0.85, 0.8]
    """
    if not params["cycle_momentum"]:
        raise ValueError("CyclicLR: cycle_momentum=False, so it leaves momentum alone (no momentum curve)")
    scale_factor, scale = _scale_factor_and_amplitude(n_steps, params)
    base_height = (params["max_momentum"] - params["base_momentum"]) * scale_factor
    return params["max_momentum"] - base_height * scale


def _check_cyclic(n_steps: int, params: dict[str, Any]) -> None:
    if params["mode"] != "triangular2":
        return
    up = float(params["step_size_up"])
    total_size = up + (float(params["step_size_down"]) if params["step_size_down"] is not None else up)
    last_cycle = math.floor(1 + (n_steps - 1) / total_size)  # torch's cycle number at the last step
    if last_cycle > 1024:
        raise ValueError(
            f"CyclicLR: mode='triangular2' over n_steps={n_steps} reaches cycle {last_cycle}; torch computes "
            "2.0 ** (cycle - 1) and raises OverflowError from cycle 1025 on. Use fewer steps or longer "
            "cycles (step_size_up, step_size_down)"
        )


CYCLIC_LR = ScheduleSpec(
    name="CyclicLR",
    params=(
        ParamSpec(
            "max_lr",
            "float",
            REQUIRED,
            low=0.0,
            slider=(1e-3, 1.0),
            log=True,
            example=0.5,
            help=template("top of the triangle (the bottom, CyclicLR's base_lr, is lrutils' base_lr)"),
        ),
        ParamSpec(
            "step_size_up",
            "int",
            2000,
            low=1,
            slider=(1, 200),
            example=20,
            help=template("batches (optimizer steps) from base_lr up to max_lr"),
        ),
        ParamSpec(
            "step_size_down",
            "int",
            None,
            low=0,
            optional=True,
            slider=(0, 200),
            offer_none=True,
            help=template("batches from max_lr back down (None: same as step_size_up)"),
        ),
        ParamSpec(
            "mode",
            "choice",
            "triangular",
            choices=("triangular", "triangular2", "exp_range"),
            help=template("keep the height, halve it every cycle, or shrink it by gamma every batch"),
        ),
        ParamSpec(
            "gamma",
            "float",
            1.0,
            low=0.0,
            high=1.0,
            low_open=True,
            slider=(0.95, 1.0),
            help=template("exp_range only: the height is multiplied by gamma every batch"),
            only_if=("mode", "exp_range"),
        ),
        *momentum_params(0.8, 0.9, template("momentum at max_lr"), template("momentum at base_lr")),
    ),
    curve=cyclic_curve,
    unit="batch",
    summary="triangle waves between base_lr and max_lr; steps per batch; base_lr is CyclicLR's own",
    momentum=cyclic_momentum,
    check_together=_check_cyclic,
    base_lr_keyword="base_lr",
)
