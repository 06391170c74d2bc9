"""Parameter and scheduler specs: the one table that validation, sliders, plots and tests read.

A :class:`ParamSpec` says what a keyword accepts (type, bounds, choices), what torch's default is,
and how a slider should show it. A :class:`ScheduleSpec` ties a torch scheduler class to its
parameters, its torch-free curve and the way it is meant to be stepped.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

Kind = Literal["int", "float", "choice", "bool"]
Unit = Literal["epoch", "batch", "metric"]

REQUIRED = object()
"""Sentinel default: torch has no default for this keyword, the caller must pass it."""


@dataclass(frozen=True)
class ParamSpec:
    """One keyword argument of a scheduler.

    ``low``/``high`` bound the valid values (``*_open`` makes that bound exclusive); ``slider``
    gives the (min, max) an explorer shows, ``log`` asks for a logarithmic slider.

    >>> ParamSpec("gamma", "float", 0.1, low=0.0, low_open=True).check(0.5)
    0.5
    """

    name: str
    kind: Kind
    default: Any
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[Any, ...] = ()
    slider: tuple[float, float] | None = None
    log: bool = False
    optional: bool = False  # None is accepted (e.g. OneCycleLR's total_steps)
    example: Any = None  # where an explorer starts when torch has no default (REQUIRED)
    help: str = ""

    @property
    def start(self) -> Any:
        """The value an explorer or demo starts from: torch's default, else ``example``."""
        return self.example if self.default is REQUIRED or self.example is not None else self.default

    def accepts(self) -> str:
        """Describe the accepted values in words, for error messages.

        >>> ParamSpec("step_size", "int", REQUIRED, low=1).accepts()
        'an int >= 1'
        """
        if self.kind == "choice":
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        elif self.kind == "bool":
            text = "True or False"
        else:
            text = "an int" if self.kind == "int" else "a finite number"
            bounds = []
            if self.low is not None:
                bounds.append(f"{'>' if self.low_open else '>='} {self.low:g}")
            if self.high is not None:
                bounds.append(f"{'<' if self.high_open else '<='} {self.high:g}")
            if bounds:
                text += " " + " and ".join(bounds)
        return text + (" (or None)" if self.optional else "")

    def check(self, value: Any, scheduler: str = "") -> Any:
        """Return ``value`` (ints as int, floats as float) or raise a clear error.

        >>> ParamSpec("patience", "int", 10, low=0).check(3)
        3
        """
        where = f"{scheduler}: " if scheduler else ""
        if value is None and self.optional:
            return None
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(f"{where}{self.name}={value!r} is not valid; expected {self.accepts()}")
            return value
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{where}{self.name} must be True or False, got {value!r}")
            return bool(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"{where}{self.name} must be {self.accepts()}, got {type(value).__name__} {value!r}")
        if self.kind == "int":
            if not isinstance(value, numbers.Integral):
                raise TypeError(f"{where}{self.name} must be {self.accepts()}, got {type(value).__name__} {value!r}")
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"{where}{self.name} must be {self.accepts()}, got {value!r}")
        too_low = self.low is not None and (value <= self.low if self.low_open else value < self.low)
        too_high = self.high is not None and (value >= self.high if self.high_open else value > self.high)
        if too_low or too_high:
            raise ValueError(f"{where}{self.name} must be {self.accepts()}, got {value!r}")
        return value


@dataclass(frozen=True)
class ScheduleSpec:
    """One torch scheduler: its parameters, torch-free curve and how it is stepped.

    ``curve(n_steps, base_lr, **params) -> ndarray`` receives validated parameters with every
    default filled in. ``momentum`` (optional) has the same signature and returns the momentum
    the scheduler drives. ``check_together`` validates combinations no single parameter can.
    """

    name: str
    params: tuple[ParamSpec, ...]
    curve: Callable[..., np.ndarray]
    unit: Unit
    summary: str
    momentum: Callable[..., np.ndarray] | None = None
    check_together: Callable[[int, dict[str, Any]], None] | None = None
    extra_keywords: tuple[str, ...] = field(default=())  # data, not parameters (metrics=)
    check_data: Callable[[int, dict[str, Any]], None] | None = None  # validates the extra keywords

    def param(self, name: str) -> ParamSpec:
        """Return the spec of parameter ``name``."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def resolve(self, n_steps: int, kwargs: Mapping[str, Any], with_data: bool = True) -> dict[str, Any]:
        """Validate ``kwargs`` against the specs and fill in torch's defaults.

        ``with_data=False`` checks only the constructor's parameters (building a real scheduler
        needs no metrics; stepping it does).

        >>> from lrutils.schedules import get_spec
        >>> get_spec("StepLR").resolve(5, {"step_size": 2})
        {'step_size': 2, 'gamma': 0.1}
        """
        known = {p.name for p in self.params} | set(self.extra_keywords)
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(
                f"{self.name} got unexpected keyword(s) {', '.join(unknown)}; "
                f"it accepts {', '.join(sorted(known)) or 'no keywords'}"
            )
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in kwargs:
                out[p.name] = p.check(kwargs[p.name], self.name)
            elif p.default is REQUIRED:
                raise TypeError(f"{self.name} needs {p.name} ({p.accepts()}); torch has no default for it")
            else:
                out[p.name] = p.default
        for key in self.extra_keywords:
            if key in kwargs:
                out[key] = kwargs[key]
        if self.check_together is not None:
            self.check_together(n_steps, out)
        if with_data and self.check_data is not None:
            self.check_data(n_steps, out)
        return out


def check_n_steps(n_steps: Any) -> int:
    """Validate the number of steps of a curve.

    >>> check_n_steps(3)
    3
    """
    return ParamSpec("n_steps", "int", REQUIRED, low=1).check(n_steps)


def check_base_lr(base_lr: Any) -> float:
    """Validate the optimizer's initial learning rate.

    >>> check_base_lr(0.1)
    0.1
    """
    return ParamSpec("base_lr", "float", REQUIRED, low=0.0).check(base_lr)


def float_sequence(name: str, values: Any, scheduler: str) -> Sequence[float]:
    """Turn ``values`` into a list of floats or raise an error that names ``name``."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{scheduler}: {name} must be a sequence of numbers, got {type(values).__name__}")
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError) as err:
        raise TypeError(f"{scheduler}: {name} must contain only numbers ({err})") from None
