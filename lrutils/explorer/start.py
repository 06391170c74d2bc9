"""Where an explorer starts: torch's defaults (or an example where torch has none), the values the
learner gave, and one control for every parameter that has a value.

>>> start = explorer_start("StepLR", {"step_size": 5}, {})
>>> sorted(start.controls), start.base_lr
(['base_lr', 'gamma', 'n_steps', 'step_size'], 0.1)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import ipywidgets as widgets

from ..curves.spec import DEFAULT_BASE_LR, ParamSpec, ScheduleSpec, check_base_lr, check_n_steps
from ..curves.table import get_spec
from ..text.i18n import template, tr
from .controls import make_control

EXPLORER_MAX_STEPS = 100_000
"""The most steps an explorer draws (redrawn on every slider move); lr_curve itself takes more."""

N_STEPS = ParamSpec("n_steps", "int", 100, low=1, slider=(10, 300), help=template("how many steps are drawn"))
BASE_LR = ParamSpec(
    "base_lr", "float", DEFAULT_BASE_LR, low=0.0, slider=(1e-3, 1.0), log=True, help=template("the optimizer's lr")
)
LOSS_FLAT = ParamSpec(
    template("loss flattens at"),
    "int",
    40,
    low=0,
    slider=(5, 150),
    help=template("the epoch from which the scripted val loss stays flat"),
)
LOSS_NOISE = ParamSpec(
    template("loss noise"),
    "float",
    0.0,
    low=0.0,
    high=1.0,
    slider=(0.0, 0.05),
    help=template("relative size of seeded random wiggles in the scripted val loss"),
)
ONE_CYCLE_LENGTHS = ("epochs", "steps_per_epoch")  # OneCycleLR's alternative to total_steps


@dataclass
class ExplorerStart:
    """What an explorer starts from: its controls, the values it uses without a control, and the rest."""

    spec: ScheduleSpec
    controls: dict[str, widgets.ValueWidget] = field(default_factory=dict)
    fixed: dict[str, Any] = field(default_factory=dict)  # given, but not on a control (functions, stages)
    base_lr: float = DEFAULT_BASE_LR
    n_steps: int | None = None  # None: a control holds it, or the schedule fixes its own length
    metrics: Any = None  # ReduceLROnPlateau's metric series, if the learner gave one


def check_explorer_steps(n_steps: Any, name: str = "n_steps") -> int:
    """``n_steps`` for an explorer: an int from 1 to :data:`EXPLORER_MAX_STEPS`; ``name`` is the keyword
    that set it (OneCycleLR's ``total_steps``).

    >>> check_explorer_steps(30)
    30
    """
    n_steps = check_n_steps(n_steps)
    if n_steps > EXPLORER_MAX_STEPS:
        raise ValueError(
            tr(
                "an explorer draws {name} from 1 to {cap:,} steps (it redraws on every slider move), got {n:,}; "
                "for longer runs use lrutils.lr_curve and lrutils.figures.curves.plot_curve",
                name=name,
                cap=EXPLORER_MAX_STEPS,
                n=n_steps,
            )
        )
    return n_steps


def _base_lr_spec(spec: ScheduleSpec) -> ParamSpec:
    if spec.base_lr_keyword is not None:
        help_text = tr("{name}'s own {keyword}: the bottom of the wave", name=spec.name, keyword=spec.base_lr_keyword)
        return replace(BASE_LR, help=help_text)  # already in the learner's language (tr of it finds no entry)
    return BASE_LR


def explorer_start(name: str, overrides: dict[str, Any], fixed: dict[str, Any]) -> ExplorerStart:
    """Validate what ``explore`` was given and build a control for every parameter that has a value.

    ``fixed`` values (``n_steps`` or scheduler keywords) are used but get no control: the live
    training explorer keeps the run's length fixed this way. Bad values are a clear error now,
    not a broken explorer.
    """
    spec = get_spec(name)
    overrides, fixed = dict(overrides), dict(fixed)
    out = ExplorerStart(spec)
    fixed_n = fixed.pop("n_steps", None)
    overrides.update(fixed)
    out.base_lr = check_base_lr(overrides.pop("base_lr", DEFAULT_BASE_LR))
    n_steps = overrides.pop("n_steps", None)
    out.n_steps = None if n_steps is None else check_explorer_steps(n_steps)
    out.metrics = overrides.pop("metrics", None) if "metrics" in spec.extra_keywords else None
    start = {p.name: p.start for p in spec.params if p.start is not None}
    if spec.length_of is not None and any(k in overrides for k in ONE_CYCLE_LENGTHS):
        if overrides.get("total_steps") is not None:
            raise ValueError(
                tr(
                    "explore({name}): give total_steps, or epochs and steps_per_epoch, not both (torch uses "
                    "total_steps and ignores the other two, so their sliders would do nothing)",
                    name=repr(name),
                )
            )
        start["total_steps"] = None
    start.update(overrides)
    given = {k: v for k, v in start.items() if v is not None}
    spec.resolve(1, given, with_data=False)  # unknown keywords and bad values, by name
    if out.metrics is not None:
        spec.resolve(1, {**given, "metrics": out.metrics})  # the metric series itself
        if len(out.metrics) < 1:
            raise ValueError(
                tr(
                    "explore({name}): metrics must hold at least one value (the metric after step 0 decides the lr "
                    "of step 1), got an empty list",
                    name=repr(name),
                )
            )
    if spec.unit == "metric" and out.n_steps is not None and out.n_steps < 2:
        raise ValueError(
            tr(
                "explore({name}): n_steps must be at least 2 for ReduceLROnPlateau (a metric measured after a step "
                "decides the next one), got {n}",
                name=repr(name),
                n=out.n_steps,
            )
        )
    if not spec.ignores_base_lr:
        out.controls["base_lr"] = make_control(_base_lr_spec(spec), out.base_lr)
    if fixed_n is not None:
        out.n_steps = check_explorer_steps(fixed_n)
    elif spec.length_of is None:
        n_max = None if out.metrics is None else len(out.metrics) + 1
        default = N_STEPS.start if n_max is None else min(n_max, EXPLORER_MAX_STEPS)
        start_n = out.n_steps if out.n_steps is not None else default
        slider = N_STEPS.slider if n_max is None else (min(2, n_max), n_max)  # the metric after a step decides the next
        out.controls["n_steps"] = make_control(replace(N_STEPS, slider=slider), start_n)
        out.n_steps = None
    for p in spec.params:
        value = start.get(p.name)
        if p.kind in ("stages", "callable") or p.name in fixed:
            if value is not None:
                out.fixed[p.name] = value
        elif value is not None or p.offer_none:
            out.controls[p.name] = make_control(p, value)
    if spec.unit == "metric" and out.metrics is None:  # the learner shapes the metric it reacts to
        for knob in (LOSS_FLAT, LOSS_NOISE):  # not torch keywords: labelled in the learner's language
            out.controls[knob.name] = make_control(knob, knob.start)
            out.controls[knob.name].description = tr(knob.name)
    for control in out.controls.values():
        if isinstance(control, widgets.SelectionSlider):
            control.add_class("lrutils-choice-slider")
    return out


__all__ = [
    "BASE_LR",
    "EXPLORER_MAX_STEPS",
    "LOSS_FLAT",
    "LOSS_NOISE",
    "N_STEPS",
    "ONE_CYCLE_LENGTHS",
    "ExplorerStart",
    "check_explorer_steps",
    "explorer_start",
]
