"""Torch-free learning-rate curves: what a torch scheduler would set, computed with numpy."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..text.i18n import template, tr
from .spec import DEFAULT_BASE_LR, ScheduleSpec, check_base_lr, check_n_steps
from .table import get_spec

LEARNING_RATE = template("learning rate")
MOMENTUM = template("momentum")


def lr_curve(name: str, n_steps: int, base_lr: float = DEFAULT_BASE_LR, **kwargs: Any) -> np.ndarray:
    """The learning rate in effect at steps ``0..n_steps-1`` for torch scheduler ``name``.

    Keyword names and defaults are exactly torch's. ``ReduceLROnPlateau`` takes ``metrics=``
    (the value measured after each step). A step is an epoch or a batch, whichever the
    scheduler is stepped on. ``n_steps`` is at most ``MAX_STEPS`` (10 million).

    >>> lr_curve("StepLR", 4, base_lr=0.1, step_size=2, gamma=0.5).tolist()
    [0.1, 0.1, 0.05, 0.05]
    """
    spec = get_spec(name)
    n_steps = check_n_steps(n_steps)
    base_lr = check_base_lr(base_lr)
    params = spec.resolve(n_steps, kwargs)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # reported below, by name
        curve = spec.curve(n_steps, base_lr, **params)
    return finite_curve(spec, LEARNING_RATE, curve, base_lr, kwargs)


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
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        curve = spec.momentum(n_steps, base_lr, **params)
    return finite_curve(spec, MOMENTUM, curve, base_lr, kwargs)


def finite_curve(
    spec: ScheduleSpec, what: str, curve: np.ndarray, base_lr: float, kwargs: dict[str, Any]
) -> np.ndarray:
    """``curve`` if every value is a finite number, else an error naming the numbers that caused it
    (``what``: "learning rate" or "momentum"; :func:`~lrutils.curves.torch_reference.torch_lr_curve` checks
    the real scheduler's curve the same way).

    Torch would store the same inf or nan in the optimizer without a word (its schedulers compute
    with Python floats); an lr of inf teaches nothing, so lrutils says which values overflow.
    """
    bad = ~np.isfinite(curve)
    if not bad.any():
        return curve
    step = int(np.argmax(bad))
    value = float(curve[step])
    numbers_given = {} if spec.ignores_base_lr else {"base_lr": base_lr}
    numbers_given |= {k: v for k, v in kwargs.items() if isinstance(v, numbers.Real) and not isinstance(v, bool)}
    given = ", ".join(f"{k}={v!r}" for k, v in numbers_given.items())
    raise ValueError(
        tr(
            "{name}: the {what} becomes {value} at step {step} with {given}; every {what} must be a finite number, "
            "so choose values that keep it finite (torch would silently store {value})",
            name=spec.name,
            what=tr(what),
            value=repr(value),
            step=step,
            given=given,
        )
    )
