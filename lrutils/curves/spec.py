"""Parameter and scheduler specs: the one table that validation, sliders, plots and tests read.

A :class:`ParamSpec` says what a keyword accepts (type, bounds, choices), what torch's default is,
and how a slider should show it. A :class:`ScheduleSpec` ties a torch scheduler class to its
parameters, its torch-free curve and the way it is meant to be stepped.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from ..text.i18n import template, tr
from ..text.suggest import did_you_mean

Kind = Literal["int", "float", "choice", "bool", "int_list", "stages", "callable"]
"""``int_list``: a non-empty list of ints, each within ``low``/``high`` (MultiStepLR's milestones);
``stages``: a non-empty list of ``(scheduler name, kwargs)`` pairs (SequentialLR, ChainedScheduler);
``callable``: a function (LambdaLR's ``lr_lambda``). The last two are not drawn as controls."""
Unit = Literal["epoch", "batch", "metric"]

DEFAULT_BASE_LR = 0.1
"""The blog's initial learning rate, used when ``base_lr`` is not given."""

REQUIRED = object()
"""Sentinel default: torch has no default for this keyword, the caller must pass it."""

MAX_INT = int(sys.float_info.max)
"""Largest int a parameter may hold: torch and numpy turn ints into floats on the way, so it must fit in one."""

MAX_STEPS = 10_000_000
"""The longest curve lrutils computes: 10 million steps (80 MB of float64 per curve). A longer
request is refused at once with a clear message instead of filling the memory."""


_ACCEPTS: dict[tuple[bool, str | None, str | None], str] = {
    (True, None, None): template("an int"),
    (True, ">=", None): template("an int >= {low}"),
    (True, ">", None): template("an int > {low}"),
    (True, None, "<="): template("an int <= {high}"),
    (True, None, "<"): template("an int < {high}"),
    (True, ">=", "<="): template("an int >= {low} and <= {high}"),
    (True, ">=", "<"): template("an int >= {low} and < {high}"),
    (True, ">", "<="): template("an int > {low} and <= {high}"),
    (True, ">", "<"): template("an int > {low} and < {high}"),
    (False, None, None): template("a finite number"),
    (False, ">=", None): template("a finite number >= {low}"),
    (False, ">", None): template("a finite number > {low}"),
    (False, None, "<="): template("a finite number <= {high}"),
    (False, None, "<"): template("a finite number < {high}"),
    (False, ">=", "<="): template("a finite number >= {low} and <= {high}"),
    (False, ">=", "<"): template("a finite number >= {low} and < {high}"),
    (False, ">", "<="): template("a finite number > {low} and <= {high}"),
    (False, ">", "<"): template("a finite number > {low} and < {high}"),
}
"""What a number parameter accepts, in words: (is an int, low bound, high bound) -> template."""


@dataclass(frozen=True)
class ParamSpec:
    """One keyword argument of a scheduler.

    ``low``/``high`` bound the valid values (``*_open`` makes that bound exclusive); ``slider``
    gives the (min, max) an explorer shows, ``log`` asks for a logarithmic slider, ``presets`` for
    a menu of a few values instead (a slider would do nothing over most of its range).
    ``only_if=(other, value)``: the parameter changes nothing unless ``other == value``.

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
    only_if: tuple[str, Any] | None = None  # (other parameter, value) it needs to matter at all
    presets: tuple[Any, ...] = ()  # an explorer offers these in a menu instead of a slider
    offer_none: bool = False  # an explorer offers None (torch's default meaning) besides the slider's ints

    @property
    def start(self) -> Any:
        """The value an explorer or demo starts from: torch's default, else ``example``."""
        return self.example if self.default is REQUIRED or self.example is not None else self.default

    def accepts(self) -> str:
        """Describe the accepted values in words, for error messages.

        >>> ParamSpec("step_size", "int", REQUIRED, low=1).accepts()
        'an int >= 1'
        >>> ParamSpec("milestones", "int_list", REQUIRED, low=0).accepts()
        'a non-empty list of ints >= 0'
        """
        if self.kind == "int_list":
            if self.low is None:
                return tr("a non-empty list of ints")
            return tr("a non-empty list of ints >= {low}", low=self._bound(self.low))
        if self.kind == "stages":
            return tr("a non-empty list of (scheduler name, kwargs dict) pairs")
        if self.kind == "callable":
            return tr("a function of the step number returning a number")
        if self.kind == "choice":
            text = tr("one of {choices}", choices=", ".join(repr(c) for c in self.choices))
        elif self.kind == "bool":
            text = tr("True or False")
        else:
            low = None if self.low is None else (">" if self.low_open else ">=")
            high = None if self.high is None else ("<" if self.high_open else "<=")
            text = tr(
                _ACCEPTS[(self.kind == "int", low, high)],
                low="" if self.low is None else self._bound(self.low),
                high="" if self.high is None else self._bound(self.high),
            )
        return tr("{accepts} (or None)", accepts=text) if self.optional else text

    def _must(self, where: str, got: str) -> str:
        """``"StepLR: gamma must be a finite number > 0, got -1.0"``: the one error sentence of a parameter."""
        return tr(
            "{where}{name} must be {accepts}, got {got}", where=where, name=self.name, accepts=self.accepts(), got=got
        )

    def _bound(self, bound: float) -> str:
        return str(int(bound)) if self.kind in ("int", "int_list") else f"{bound:g}"

    def check(self, value: Any, scheduler: str = "") -> Any:
        """Return ``value`` (ints as int, floats as float) or raise a clear error.

        >>> ParamSpec("patience", "int", 10, low=0).check(3)
        3
        """
        where = f"{scheduler}: " if scheduler else ""
        if value is None and self.optional:
            return None
        if self.kind == "int_list":
            return self._check_int_list(value, where)
        if self.kind == "stages":
            return _check_stages(self.name, value, where)
        if self.kind == "callable":
            if not callable(value):
                raise TypeError(self._must(where, f"{type(value).__name__} {value!r}"))
            return value
        if self.kind == "choice":
            if value not in self.choices:
                hint = did_you_mean(value, self.choices) if isinstance(value, str) else ""
                raise ValueError(
                    tr(
                        "{where}{name}={value} is not valid; expected {accepts}{hint}",
                        where=where,
                        name=self.name,
                        value=repr(value),
                        accepts=self.accepts(),
                        hint=hint,
                    )
                )
            return value
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(self._must(where, repr(value)))
            return bool(value)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(self._must(where, f"{type(value).__name__} {value!r}"))
        if self.kind == "int":
            if not isinstance(value, numbers.Integral):
                raise TypeError(self._must(where, f"{type(value).__name__} {value!r}"))
            value = int(value)
            if abs(value) > MAX_INT:  # torch and numpy turn it into a float on the way: it must fit in one
                raise ValueError(self._must(where, tr("{value} (beyond float range)", value=_digits(value))))
        else:
            try:
                value = float(value)
            except OverflowError:  # an int beyond float range
                got = _digits(value)
                raise ValueError(self._must(where, tr("{value} (beyond float range)", value=got))) from None
            if not math.isfinite(value):
                raise ValueError(self._must(where, repr(value)))
        too_low = self.low is not None and (value <= self.low if self.low_open else value < self.low)
        too_high = self.high is not None and (value >= self.high if self.high_open else value > self.high)
        if too_low or too_high:
            raise ValueError(self._must(where, repr(value)))
        return value

    def _check_int_list(self, value: Any, where: str) -> list[int]:
        """A fresh list of ints, order and duplicates kept (torch counts duplicates)."""
        not_a_list = not hasattr(value, "__len__") or not hasattr(value, "__iter__") or np.ndim(value) == 0
        if isinstance(value, (str, bytes, Mapping)) or not_a_list:
            raise TypeError(self._must(where, f"{type(value).__name__} {value!r}"))
        items = list(value)
        if not items:
            raise ValueError(self._must(where, tr("an empty list")))
        element = ParamSpec(
            tr("every element of {name}", name=self.name), "int", REQUIRED, low=self.low, high=self.high
        )
        for item in items:
            if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Integral):
                got = f"{type(item).__name__} {item!r}"
                raise TypeError(self._must(where, tr("{value} in it", value=got)))
            if element.low is not None and item < element.low or element.high is not None and item > element.high:
                raise ValueError(self._must(where, tr("{value} in it", value=repr(item))))
        return [int(item) for item in items]


def _digits(value: int) -> str:
    """A huge int said briefly: ``a 401-digit number``."""
    return tr("a {n}-digit number", n=len(str(abs(int(value)))))


def _check_stages(name: str, value: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """Shape check of a stage list; each stage's own keywords are checked by its scheduler's spec."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (Sequence, np.ndarray)):
        raise TypeError(
            tr(
                "{where}{name} must be a non-empty list of (scheduler name, kwargs dict) pairs, got {kind}",
                where=where,
                name=name,
                kind=type(value).__name__,
            )
        )
    if len(value) == 0:
        raise ValueError(
            tr("{where}{name} must name at least one scheduler, got an empty list", where=where, name=name)
        )
    out = []
    for i, stage in enumerate(value):
        ok = isinstance(stage, (tuple, list)) and len(stage) == 2 and isinstance(stage[0], str)
        if not ok or not isinstance(stage[1], Mapping):
            raise TypeError(
                tr(
                    "{where}{name}[{i}] must be a (scheduler name, kwargs dict) pair such as {example}, got {value}",
                    where=where,
                    name=name,
                    i=i,
                    example="('LinearLR', {'start_factor': 0.1, 'total_iters': 5})",
                    value=repr(stage),
                )
            )
        out.append((stage[0], dict(stage[1])))
    return out


@dataclass(frozen=True)
class ScheduleSpec:
    """One torch scheduler: its parameters, torch-free curve and how it is stepped.

    ``curve(n_steps, base_lr, **params) -> ndarray`` receives validated parameters with every
    default filled in. ``factory(optimizer, **params)`` (optional) builds the torch scheduler when
    ``torch.optim.lr_scheduler.<name>(optimizer, **params)`` does not (composites).
    ``momentum`` (optional) has the same signature and returns the momentum
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
    factory: Callable[..., Any] | None = None  # builds the torch scheduler when it is not cls(optimizer, **params)
    length_param: str | None = None  # the parameter that fixes how many steps the schedule has (total_steps)
    length_of: Callable[[dict[str, Any]], int] | None = None  # that length from resolved parameters
    # Steps the schedule is planned for, where torch goes on past them without a word (a recipe whose
    # lr is 0 after total_steps); training longer than this is refused (OneCycleLR: length_of).
    planned_steps: Callable[[dict[str, Any]], int] | None = None
    length_help: str = ""  # which keywords set that length, for the error message
    ignores_base_lr: bool = False  # torch overwrites the optimizer's lr (OneCycleLR starts at max_lr / div_factor)
    base_lr_keyword: str | None = None  # torch keyword that receives lrutils' base_lr (CyclicLR's own base_lr)

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

        >>> from lrutils.curves.table import get_spec
        >>> get_spec("StepLR").resolve(5, {"step_size": 2})
        {'step_size': 2, 'gamma': 0.1}
        """
        known = {p.name for p in self.params} | set(self.extra_keywords)
        unknown = sorted(set(kwargs) - known)
        if unknown:
            hints = [did_you_mean(word, known).removeprefix("; ") for word in unknown]
            hint = "".join(f" ({word}: {h})" for word, h in zip(unknown, hints, strict=True) if h)
            raise TypeError(
                tr(
                    "{name} got unexpected keyword(s) {unknown}{hint}; it accepts {known}",
                    name=self.name,
                    unknown=", ".join(unknown),
                    hint=hint,
                    known=", ".join(sorted(known)) or tr("no keywords"),
                )
            )
        out: dict[str, Any] = {}
        for p in self.params:
            if p.name in kwargs:
                out[p.name] = p.check(kwargs[p.name], self.name)
            elif p.default is REQUIRED:
                raise TypeError(
                    tr(
                        "{name} needs {param} ({accepts}); torch has no default for it",
                        name=self.name,
                        param=p.name,
                        accepts=p.accepts(),
                    )
                )
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
    """Validate the number of steps of a curve: an int from 1 to :data:`MAX_STEPS`.

    >>> check_n_steps(3)
    3
    """
    n_steps = ParamSpec("n_steps", "int", REQUIRED, low=1).check(n_steps)
    if n_steps > MAX_STEPS:
        raise ValueError(
            tr(
                "n_steps must be an int from 1 to {cap:,} (lrutils' cap: such a curve already takes {mb} MB), "
                "got {n:,}",
                cap=MAX_STEPS,
                mb=MAX_STEPS * 8 // 10**6,
                n=n_steps,
            )
        )
    return n_steps


def check_base_lr(base_lr: Any) -> float:
    """Validate the optimizer's initial learning rate.

    >>> check_base_lr(0.1)
    0.1
    """
    return ParamSpec("base_lr", "float", REQUIRED, low=0.0).check(base_lr)


def float_sequence(name: str, values: Any, scheduler: str) -> Sequence[float]:
    """Turn ``values`` into a list of floats or raise an error that names ``name``.

    >>> float_sequence("metrics", (1, 2.5), "ReduceLROnPlateau")
    [1.0, 2.5]
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(
            tr(
                "{scheduler}: {name} must be a sequence of numbers, got {kind}",
                scheduler=scheduler,
                name=name,
                kind=type(values).__name__,
            )
        )
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError) as err:
        raise TypeError(
            tr("{scheduler}: {name} must contain only numbers ({why})", scheduler=scheduler, name=name, why=err)
        ) from None
