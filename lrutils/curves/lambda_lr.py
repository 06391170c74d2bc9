"""LambdaLR: ``base_lr * lr_lambda(t)``; the learner's function is called and checked once per step.

>>> lambda_lr_curve(3, 0.5, lr_lambda=lambda t: t + 1).tolist()
[0.5, 1.0, 1.5]
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..text.i18n import template
from .spec import REQUIRED, ParamSpec, ScheduleSpec


def _lambda_values(fn: Callable[[int], Any], n_steps: int) -> np.ndarray:
    """``[fn(0), ..., fn(n_steps - 1)]`` checked to be finite numbers."""
    out = np.empty(n_steps)
    for t in range(n_steps):
        try:
            value = fn(t)
        except Exception as err:  # the learner's own function: say which step, keep its message
            raise ValueError(f"LambdaLR: lr_lambda({t}) raised {type(err).__name__}: {err}") from err
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"LambdaLR: lr_lambda({t}) must return a number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"LambdaLR: lr_lambda({t}) must return a finite number, got {value!r}")
        out[t] = value
    return out


class _CheckedLambda:
    """``lr_lambda`` whose values for steps ``0..n-1`` were computed and checked once, by the spec.

    The curve and a real torch LambdaLR then read those values instead of calling the learner's
    function a second time for every step (beyond them it falls back to the function).
    """

    def __init__(self, fn: Callable[[int], Any], values: np.ndarray) -> None:
        self.fn, self.values = fn, values
        self.__qualname__ = getattr(fn, "__qualname__", repr(fn))  # the explorer's torch line names it

    def __call__(self, t: int) -> Any:
        return float(self.values[t]) if 0 <= t < len(self.values) else self.fn(t)


def _check_lambda(n_steps: int, params: dict[str, Any]) -> None:
    fn = params["lr_lambda"]
    if not (isinstance(fn, _CheckedLambda) and len(fn.values) >= n_steps):
        params["lr_lambda"] = _CheckedLambda(fn, _lambda_values(fn, n_steps))  # clear errors before torch sees it


def lambda_lr_curve(n_steps: int, base_lr: float, *, lr_lambda: Callable[[int], Any]) -> np.ndarray:
    """LambdaLR: ``base_lr * lr_lambda(t)``.

    >>> lambda_lr_curve(3, 0.5, lr_lambda=lambda t: t + 1).tolist()
    [0.5, 1.0, 1.5]
    """
    if isinstance(lr_lambda, _CheckedLambda) and len(lr_lambda.values) >= n_steps:
        return base_lr * lr_lambda.values[:n_steps]
    return base_lr * _lambda_values(lr_lambda, n_steps)


def linear_warmup_lambda(warmup_steps: int) -> Callable[[int], float]:
    """``t -> min(1, (t + 1) / warmup_steps)``: a LambdaLR warm-up that reaches 1 at step ``warmup_steps - 1``.

    >>> [linear_warmup_lambda(4)(t) for t in range(5)]
    [0.25, 0.5, 0.75, 1.0, 1.0]
    """
    warmup_steps = ParamSpec("warmup_steps", "int", REQUIRED, low=1).check(warmup_steps)

    def warmup(t: int) -> float:
        return min(1.0, (t + 1) / warmup_steps)

    warmup.__qualname__ = f"linear_warmup_lambda({warmup_steps})"
    warmup.__lrutils_code__ = f"lambda t: min(1.0, (t + 1) / {warmup_steps})"  # type: ignore[attr-defined]
    return warmup


LAMBDA_LR = ScheduleSpec(
    name="LambdaLR",
    params=(
        ParamSpec(
            "lr_lambda",
            "callable",
            REQUIRED,
            example=linear_warmup_lambda(10),
            help=template("factor of base_lr at step t"),
        ),
    ),
    curve=lambda_lr_curve,
    unit="epoch",
    summary="base_lr * lr_lambda(t)",
    check_data=_check_lambda,
)

__all__ = ["LAMBDA_LR", "lambda_lr_curve", "linear_warmup_lambda"]
