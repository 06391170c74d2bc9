"""One-cycle: warm up to ``max_lr``, then anneal far below the start, stepped once per batch.

Torch ignores the optimizer's own lr here: it starts at ``max_lr / div_factor`` and ends at
``max_lr / div_factor / final_div_factor``, and it cycles momentum the opposite way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..text.i18n import template
from .momentum_params import momentum_params
from .spec import REQUIRED, ParamSpec, ScheduleSpec


def total_steps_of(params: dict[str, Any]) -> int:
    """``total_steps`` if given, else ``epochs * steps_per_epoch`` (as torch decides).

    >>> total_steps_of({"total_steps": None, "epochs": 10, "steps_per_epoch": 100})
    1000
    """
    if params["total_steps"] is not None:
        return int(params["total_steps"])
    return int(params["epochs"]) * int(params["steps_per_epoch"])


def _phases(params: dict[str, Any]) -> list[tuple[float, str, str]]:
    """(end_step, start, end) per phase, with end_step computed exactly as torch does."""
    total = total_steps_of(params)
    pct = params["pct_start"]
    if params["three_phase"]:
        return [
            (float(pct * total) - 1, "initial", "max"),
            (float(2 * pct * total) - 2, "max", "initial"),
            (total - 1, "initial", "min"),
        ]
    return [(float(pct * total) - 1, "initial", "max"), (total - 1, "max", "min")]


def _anneal(start: float, end: float, pct: np.ndarray, strategy: str) -> np.ndarray:
    if strategy == "cos":
        return end + (start - end) / 2.0 * (np.cos(np.pi * pct) + 1)
    return (end - start) * pct + start


def _piecewise(n_steps: int, params: dict[str, Any], values: dict[str, float]) -> np.ndarray:
    """Evaluate torch's phase table at steps 0..n_steps-1 (vectorised)."""
    steps = np.arange(n_steps, dtype=float)
    out = np.empty(n_steps)
    todo = np.ones(n_steps, dtype=bool)
    start_step = 0.0
    phases = _phases(params)
    for i, (end_step, start_key, end_key) in enumerate(phases):
        here = todo if i == len(phases) - 1 else todo & (steps <= end_step)
        if here.any():
            pct = (steps[here] - start_step) / (end_step - start_step)
            out[here] = _anneal(values[start_key], values[end_key], pct, params["anneal_strategy"])
            todo &= ~here
        start_step = end_step
    return out


def onecycle_curve(n_steps: int, base_lr: float, **params: Any) -> np.ndarray:
    """OneCycleLR's learning rate at steps 0..n_steps-1 (``base_lr`` is ignored, as in torch).

    >>> lrs = onecycle_curve(5, 0.1, max_lr=1.0, total_steps=5, epochs=None, steps_per_epoch=None,
    ...     pct_start=0.5, anneal_strategy="linear", cycle_momentum=True, base_momentum=0.85,
    ...     max_momentum=0.95, div_factor=4.0, final_div_factor=10.0, three_phase=False)
    >>> lrs.round(6).tolist()
    [0.25, 0.75, 0.805, 0.415, 0.025]
    """
    initial = params["max_lr"] / params["div_factor"]
    values = {"initial": initial, "max": params["max_lr"], "min": initial / params["final_div_factor"]}
    return _piecewise(n_steps, params, values)


def onecycle_momentum(n_steps: int, base_lr: float, **params: Any) -> np.ndarray:
    """The momentum (or Adam's beta1) OneCycleLR sets at each step: high when the lr is low.

    >>> m = onecycle_momentum(3, 0.1, max_lr=1.0, total_steps=3, epochs=None, steps_per_epoch=None,
    ...     pct_start=0.5, anneal_strategy="linear", cycle_momentum=True, base_momentum=0.8,
    ...     max_momentum=0.9, div_factor=25.0, final_div_factor=1e4, three_phase=False)
    >>> m.round(6).tolist()
    [0.9, 0.833333, 0.9]
    """
    if not params["cycle_momentum"]:
        raise ValueError("OneCycleLR: cycle_momentum=False, so it leaves momentum alone (no momentum curve)")
    # torch's phase table names momenta by the lr they pair with: high momentum with a low lr.
    values = {"initial": params["max_momentum"], "max": params["base_momentum"], "min": params["max_momentum"]}
    return _piecewise(n_steps, params, values)


def _check_onecycle(n_steps: int, params: dict[str, Any]) -> None:
    if params["total_steps"] is None and (params["epochs"] is None or params["steps_per_epoch"] is None):
        raise TypeError("OneCycleLR needs total_steps, or both epochs and steps_per_epoch")
    total = total_steps_of(params)
    if n_steps > total + 1:
        raise ValueError(
            f"OneCycleLR: n_steps={n_steps} is more than total_steps + 1 = {total + 1}; torch raises "
            f"'Tried to step {total + 1} times' there. Make total_steps (or epochs * steps_per_epoch) "
            "at least the number of optimizer steps"
        )
    # torch divides by (end - start) of the phase a step falls in. A zero-length phase is reached
    # by step 0 if it is the first phase, or by any step past its start if it is the last one;
    # that is a ZeroDivisionError inside torch, so say which parameters cause it instead.
    phases = _phases(params)
    first_end = phases[0][0]
    last_start, last_end = phases[-2][0], phases[-1][0]
    if first_end == 0.0 or (last_end == last_start and n_steps - 1 > last_start):
        raise ValueError(
            f"OneCycleLR: pct_start={params['pct_start']!r} with total_steps={total} makes a phase of "
            "zero length (torch divides by zero there); change pct_start or total_steps"
        )


ONE_CYCLE_LR = ScheduleSpec(
    name="OneCycleLR",
    params=(
        ParamSpec(
            "max_lr",
            "float",
            REQUIRED,
            low=0.0,
            low_open=True,
            slider=(1e-3, 1.0),
            log=True,
            example=0.1,
            help=template("the peak learning rate"),
        ),
        ParamSpec(
            "total_steps",
            "int",
            None,
            low=1,
            optional=True,
            slider=(10, 2000),
            example=1000,
            help=template("optimizer steps in the whole cycle (batches, not epochs)"),
        ),
        ParamSpec(
            "epochs",
            "int",
            None,
            low=1,
            optional=True,
            slider=(1, 50),
            help=template("with steps_per_epoch: total_steps"),
        ),
        ParamSpec(
            "steps_per_epoch", "int", None, low=1, optional=True, slider=(1, 200), help=template("batches per epoch")
        ),
        ParamSpec(
            "pct_start",
            "float",
            0.3,
            low=0.0,
            high=1.0,
            low_open=True,
            high_open=True,
            slider=(0.05, 0.95),
            help=template("fraction of the steps spent warming up"),
        ),
        ParamSpec("anneal_strategy", "choice", "cos", choices=("cos", "linear"), help=template("shape of each phase")),
        *momentum_params(
            0.85, 0.95, template("momentum at the peak lr"), template("momentum at the start and the end")
        ),
        ParamSpec(
            "div_factor",
            "float",
            25.0,
            low=0.0,
            low_open=True,
            slider=(1.0, 1000.0),
            log=True,
            help=template("initial lr = max_lr / div_factor"),
        ),
        ParamSpec(
            "final_div_factor",
            "float",
            1e4,
            low=0.0,
            low_open=True,
            slider=(1.0, 1e6),
            log=True,
            help=template("final lr = initial lr / final_div_factor"),
        ),
        ParamSpec(
            "three_phase", "bool", False, help=template("go back down to the initial lr before the final anneal")
        ),
    ),
    curve=onecycle_curve,
    unit="batch",
    summary="warm up to max_lr, then anneal far below the start; steps per batch",
    momentum=onecycle_momentum,
    check_together=_check_onecycle,
    length_param="total_steps",
    length_of=total_steps_of,
    length_help=template("total_steps, or epochs * steps_per_epoch"),
    ignores_base_lr=True,
)
