"""What :func:`~lrutils.training.runs.train`, ``compare``, ``tune_lr`` and ``bake_off`` accept, checked
before anything trains: every error names the parameter and what it accepts.

>>> seed_list(3), seed_list([7, 8])
([0, 1, 2], [7, 8])
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..curves.closed_form import lr_curve
from ..curves.spec import REQUIRED, ParamSpec
from ..curves.table import get_spec
from ..text.i18n import tr
from .comparison import Setup, check_baseline
from .demo import OPTIMIZERS, TUNED_LR, demo_kwargs, steps_per_epoch
from .engine import OptimizerName, RunSpec
from .history import CONSTANT

# Validated like every scheduler parameter: one mechanism, one style of error message.
EPOCHS_SPEC = ParamSpec("epochs", "int", REQUIRED, low=1, high=1000)
LR_SPEC = ParamSpec("lr", "float", REQUIRED, low=0.0, low_open=True)
SEED_SPEC = ParamSpec("seed", "int", REQUIRED, low=0, high=2**63 - 1)
OPTIMIZER_SPEC = ParamSpec("optimizer", "choice", "sgd", choices=OPTIMIZERS)
PROGRESS_SPEC = ParamSpec("progress", "bool", True)


def check_name(name: object, what: str = "name") -> str | None:
    """A scheduler name (or ``None``: the constant lr), else an error listing the names.

    >>> check_name("StepLR"), check_name(None)
    ('StepLR', None)
    """
    if name is None:
        return None
    if not isinstance(name, str):
        raise TypeError(
            tr(
                "{what} must be a scheduler name (str) or None (constant lr), got {kind} {value}",
                what=what,
                kind=type(name).__name__,
                value=repr(name),
            )
        )
    get_spec(name)  # a clear error listing the names (and a near miss) if it is unknown
    return name


def check_common(epochs: object, optimizer: object) -> tuple[int, OptimizerName]:
    """``epochs`` and ``optimizer``, checked."""
    if isinstance(optimizer, np.ndarray):
        raise TypeError(tr("optimizer must be one of {choices}, got an array", choices="'sgd', 'adamw'"))
    return EPOCHS_SPEC.check(epochs), OPTIMIZER_SPEC.check(optimizer)


def check_schedule(name: str | None, kwargs: dict[str, Any], epochs: int, spe: int, lr: float) -> None:
    """Refuse settings that would fail inside torch during training, or leave the run past the end of
    a schedule planned for fewer steps, with lrutils' clear errors.

    The schedule is drawn with :func:`lrutils.lr_curve` over exactly the steps training will take,
    so a setting that divides by zero or overflows at step 900 is refused before training starts.
    """
    if name is None:
        return
    spec = get_spec(name)
    for key in spec.extra_keywords:
        if key in kwargs:
            raise TypeError(
                tr(
                    "{name}: train() feeds it the run's own validation loss after every epoch; leave {key} out",
                    name=name,
                    key=key,
                )
            )
    n_steps = epochs * spe if spec.unit == "batch" else epochs
    planned = spec.length_of or spec.planned_steps
    if planned is not None:
        total = planned(spec.resolve(1, kwargs, with_data=False))
        if total is not None and total < n_steps:
            raise ValueError(
                tr(
                    "{name} is planned for {total} steps ({how}) but training takes epochs * steps_per_epoch = "
                    "{epochs} * {spe} = {n_steps} optimizer steps; plan it for {n_steps} steps",
                    name=name,
                    total=total,
                    how=spec.length_help,
                    epochs=epochs,
                    spe=spe,
                    n_steps=n_steps,
                )
            )
    if spec.unit == "metric":
        spec.resolve(n_steps, kwargs, with_data=False)
        return
    curve = lr_curve(name, n_steps, base_lr=lr, **kwargs)
    if not all(math.isfinite(v) for v in curve.tolist()):
        raise ValueError(
            tr(
                "{name} with {kwargs} gives a non-finite learning rate within {n_steps} steps",
                name=name,
                kwargs=kwargs,
                n_steps=n_steps,
            )
        )


def run_spec(name: str | None, epochs: int, seed: int, lr: float, optimizer: str, kwargs: Mapping[str, Any]) -> RunSpec:
    """One run's arguments, checked, with the demo keywords filled in."""
    spe = steps_per_epoch()
    if name is None:
        if kwargs:
            raise TypeError(
                tr("name=None (constant lr) takes no scheduler keywords, got {keys}", keys=", ".join(kwargs))
            )
        merged: dict[str, Any] = {}
    else:
        merged = {**demo_kwargs(name, epochs, spe, lr), **kwargs}
        check_schedule(name, merged, epochs, spe, lr)
    return RunSpec(name, merged, lr=lr, seed=seed, optimizer=optimizer)  # type: ignore[arg-type]


def seed_list(seeds: object, what: str = "seeds") -> list[int]:
    """``seeds`` as a list: a number of seeds (``10``: seeds 0-9) or a list (or 1-d array) of seeds."""
    is_count = isinstance(seeds, numbers.Integral) or (isinstance(seeds, np.ndarray) and seeds.ndim == 0)
    if isinstance(seeds, (bool, np.bool_)) or not (is_count or _is_list(seeds)):
        raise TypeError(
            tr(
                "{what} must be a number of seeds (an int >= 1) or a list of seeds, got {kind} {value}",
                what=what,
                kind=type(seeds).__name__,
                value=repr(seeds),
            )
        )
    if is_count:
        return list(range(ParamSpec(what, "int", REQUIRED, low=1, high=1000).check(int(seeds))))  # type: ignore[call-overload]
    out = [ParamSpec(f"every seed of {what}", "int", REQUIRED, low=0, high=2**63 - 1).check(s) for s in seeds]  # type: ignore[union-attr]
    if not out or len(set(out)) != len(out):
        raise ValueError(tr("{what} must be a non-empty list of different seeds, got {value}", what=what, value=out))
    return out


def check_grid(grid: object) -> list[float]:
    """The lr sweep: a non-empty list of different positive learning rates."""
    if not _is_list(grid):
        raise TypeError(
            tr(
                "grid must be a list of learning rates such as (0.05, 0.1, 0.2), got {kind} {value}",
                kind=type(grid).__name__,
                value=repr(grid),
            )
        )
    out = [ParamSpec("every lr of grid", "float", REQUIRED, low=0.0, low_open=True).check(v) for v in grid]  # type: ignore[union-attr]
    if not out or len(set(out)) != len(out):
        raise ValueError(tr("grid must be a non-empty list of different learning rates, got {value}", value=out))
    return out


def _is_list(value: object) -> bool:
    if isinstance(value, np.ndarray):
        return value.ndim == 1
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _setup(label: str, item: object, common: Mapping[str, Any]) -> Setup:
    if not isinstance(item, Setup):
        return Setup(check_name(item, "names"), None, dict(common) if item is not None else {})
    name = check_name(item.name, f"names[{label!r}].name")
    if not isinstance(item.kwargs, Mapping):
        raise TypeError(
            tr(
                "names[{label}].kwargs must be a dict of scheduler keywords, got {kind} {value}",
                label=repr(label),
                kind=type(item.kwargs).__name__,
                value=repr(item.kwargs),
            )
        )
    lr = (
        None
        if item.lr is None
        else ParamSpec(f"names[{label!r}].lr", "float", REQUIRED, low=0.0, low_open=True).check(item.lr)
    )
    return Setup(name, lr, {**common, **item.kwargs} if name is not None else dict(item.kwargs))


def setups(names: object, lr: object, common: Mapping[str, Any]) -> dict[str, Setup]:
    """Labelled setups from ``names`` (a list of names, or a dict label -> Setup / name), each with its lr."""
    if isinstance(names, Mapping):
        items = list(names.items())
    elif _is_list(names):
        items = [(CONSTANT if n is None else n, n) for n in names]  # type: ignore[union-attr]
    else:
        raise TypeError(
            tr(
                "names must be a list of scheduler names (None: constant lr) or a dict label -> Setup, got {kind}",
                kind=type(names).__name__,
            )
        )
    if not items:
        raise ValueError(tr("names must name at least one schedule (None is the constant baseline)"))
    out: dict[str, Setup] = {}
    for label, item in items:
        if not isinstance(label, str):
            raise TypeError(
                tr(
                    "names must be scheduler names (str) or None, or a dict with string labels, got {value}",
                    value=repr(label),
                )
            )
        if label in out:
            raise ValueError(tr("names must not repeat a schedule, got {value}", value=[lbl for lbl, _ in items]))
        out[label] = _setup(label, item, common)
    if isinstance(lr, str) and lr == "tuned":
        lr = _tuned(out)
    for label, setup in out.items():
        if setup.lr is None:
            value = lr.get(label, lr.get(setup.name, REQUIRED)) if isinstance(lr, Mapping) else lr
            if value is REQUIRED:
                raise ValueError(
                    tr("lr has no entry for {label}; give one lr, or one per schedule label", label=repr(label))
                )
            out[label] = Setup(setup.name, LR_SPEC.check(value), setup.kwargs)
    return out


def _tuned(labelled: Mapping[str, Setup]) -> dict[str, float]:
    """``lr="tuned"``: each setup's lr from :data:`~lrutils.training.demo.TUNED_LR`, by its scheduler's name."""
    out = {}
    for label, setup in labelled.items():
        key = setup.name or CONSTANT
        if setup.lr is None and key not in TUNED_LR:
            raise ValueError(
                tr(
                    "lr='tuned' has no lr for {key}: the shared sweep tuned {names}; tune it with "
                    "lrutils.tune_lr([{key_repr}]) and pass lr={{...}}",
                    key=key,
                    names=", ".join(TUNED_LR),
                    key_repr=repr(key),
                )
            )
        out[label] = TUNED_LR.get(key, 0.0)
    return out


def pick_baseline(baseline: object, labels: Sequence[str]) -> str:
    """The label every schedule is paired with: ``baseline``, or the first label."""
    return labels[0] if baseline is None else check_baseline(baseline, labels)


__all__ = [
    "EPOCHS_SPEC",
    "LR_SPEC",
    "PROGRESS_SPEC",
    "SEED_SPEC",
    "check_common",
    "check_grid",
    "check_name",
    "check_schedule",
    "pick_baseline",
    "run_spec",
    "seed_list",
    "setups",
]
